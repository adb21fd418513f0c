"""收缴率: for a billing period, what was billed, reduced and collected so far, by
building and by fee item; and how much older arrears the month brought in.

The rate is of this system's own bills. 期初欠费 carried over from the old system
(数据导入, Bill.import_id) is left out of every period's lines and shown apart: what
the month collected on it, and what is still open of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Allocation,
    Bill,
    BillOpen,
    Building,
    CollectionTally,
    FeeItem,
    Payment,
    Reduction,
    Room,
)
from frontdesk.domain.fees import Collection
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require

# The work plan's target: 收缴率 ≥ 98%.
TARGET_RATE = 0.98
TOTAL_NAME = "合计（物业收入）"


@dataclass(frozen=True)
class CollectionLine:
    """One row: 应收 (gross, before any reduction) − 减免 − 实收 = 未收."""

    name: str
    collection: Collection | None  # None on building rows (own income only)
    billed_fen: int  # 应收: the bills' gross amount
    reduced_at_billing_fen: int  # 减免 on the bill when it was raised (空置房 …)
    reduced_later_fen: int  # 减免 granted afterwards, at a payment or by a supervisor
    collected_fen: int  # 实收 so far, net of voids

    @property
    def reduced_fen(self) -> int:
        return self.reduced_at_billing_fen + self.reduced_later_fen

    @property
    def outstanding_fen(self) -> int:
        return self.billed_fen - self.reduced_fen - self.collected_fen


def _summed(
    name: str, collection: Collection | None, lines: list[CollectionLine]
) -> CollectionLine:
    return CollectionLine(
        name,
        collection,
        sum(line.billed_fen for line in lines),
        sum(line.reduced_at_billing_fen for line in lines),
        sum(line.reduced_later_fen for line in lines),
        sum(line.collected_fen for line in lines),
    )


@dataclass(frozen=True)
class CollectionFigures:
    period: Period
    by_building: list[CollectionLine]  # the office's own income only
    by_item: list[CollectionLine]  # every item of the period, own and 代收 alike
    this_year_arrears_fen: int  # collected in the month for earlier months of its year
    prior_years_arrears_fen: int  # … for earlier years (both: this system's own bills)
    carried_collected_fen: int = 0  # … on 期初欠费 carried over from the old system
    carried_open_fen: int = 0  # what is still open of that 期初欠费, now

    @property
    def own_items(self) -> list[CollectionLine]:
        return [line for line in self.by_item if line.collection == Collection.OWN]

    @property
    def other_items(self) -> list[CollectionLine]:
        """代收代缴, 公共维修资金, 押金 …: shown apart, never in the 物业收入 合计."""
        return [line for line in self.by_item if line.collection != Collection.OWN]

    @property
    def total(self) -> CollectionLine:
        return _summed(TOTAL_NAME, Collection.OWN, self.own_items)

    def other_totals(self) -> list[CollectionLine]:
        """A subtotal for each kind of money that is not the office's income."""
        kinds = [c for c in Collection if c != Collection.OWN]
        return [
            _summed(f"小计（{kind.label}）", kind, lines)
            for kind in kinds
            if (lines := [line for line in self.other_items if line.collection == kind])
        ]


def collection_figures(db: Database, actor: Actor, period: Period) -> CollectionFigures:
    require(actor, Permission.VIEW_FINANCE)
    with db.read() as session:
        by_building = _lines(session, period, by_building=True)
        by_item = _lines(session, period, by_building=False)
        this_year, prior, carried = _arrears_collected(session, period)
        carried_open = _carried_open(session)
    return CollectionFigures(period, by_building, by_item, this_year, prior, carried, carried_open)


def collection_by_building(
    db: Database, actor: Actor, periods: list[Period]
) -> dict[Period, list[CollectionLine]]:
    """Each period's 物业收入 lines by building, as `collection_figures` reads them, in
    one pass over the periods' bills (a period without bills maps to no lines)."""
    require(actor, Permission.VIEW_FINANCE)
    with db.read() as session:
        return _lines_of(session, periods, by_building=True)


def own_totals(session: Session, periods: Sequence[Period]) -> dict[Period, CollectionLine]:
    """For each period, its `collection_figures(...).total` (the office's own income:
    应收, 减免 on the bill and later, 实收 so far), read for all the periods at once as
    the sum of its buildings' lines."""
    lines = _lines_of(session, list(periods), by_building=True)
    return {
        period: _summed(TOTAL_NAME, Collection.OWN, lines.get(period, [])) for period in periods
    }


def arrears_collected(session: Session, periods: Sequence[Period]) -> dict[Period, int]:
    """For each period, own income collected in the month for earlier months' bills
    (`this_year_arrears_fen + prior_years_arrears_fen + carried_collected_fen` of its
    figures, 期初欠费 included): one query for
    each run of consecutive months (a month, the month before and last year's: two)."""
    found = {period: 0 for period in periods}
    for first, last in _runs(sorted(found)):
        query = (
            select(Payment.day, Bill.period, func.sum(Allocation.amount_fen))
            .join(Bill, Allocation.bill_id == Bill.id)
            .join(Payment, Allocation.payment_id == Payment.id)
            .join(FeeItem, Bill.fee_item_id == FeeItem.id)
            .where(
                Payment.day >= first.first_day,
                Payment.day <= last.last_day,
                Bill.period < str(last),
                FeeItem.collection == Collection.OWN,
            )
            .group_by(Payment.day, Bill.period)
        )
        for day, bill_period, amount in session.execute(query):
            month = Period.of(day)
            if (bill_period or "") < str(month):
                found[month] += amount or 0
    return found


def _runs(periods: Sequence[Period]) -> list[tuple[Period, Period]]:
    """Sorted months as runs of consecutive ones: (first, last) of each."""
    runs: list[tuple[Period, Period]] = []
    for period in periods:
        if runs and runs[-1][1].shifted(1) == period:
            runs[-1] = (runs[-1][0], period)
        else:
            runs.append((period, period))
    return runs


def _lines(session: Session, period: Period, *, by_building: bool) -> list[CollectionLine]:
    return _lines_of(session, [period], by_building=by_building).get(period, [])


def _lines_of(
    session: Session, periods: list[Period], *, by_building: bool
) -> dict[Period, list[CollectionLine]]:
    """The periods' lines from `collection_tally`, which the database keeps as each
    bill, allocation and reduction is inserted (a few rows per period, not its bills)."""
    key = Building.name if by_building else FeeItem.name
    order = Building.sort_key if by_building else FeeItem.sort_key
    query = (
        select(
            CollectionTally.period,
            key,
            FeeItem.collection,
            func.sum(CollectionTally.billed_fen),
            func.sum(CollectionTally.reduced_at_billing_fen),
            func.sum(CollectionTally.reduced_later_fen),
            func.sum(CollectionTally.collected_fen),
        )
        .join(FeeItem, CollectionTally.fee_item_id == FeeItem.id)
        .join(Building, CollectionTally.building_id == Building.id)
        .where(CollectionTally.period.in_([str(period) for period in periods]))
        .group_by(CollectionTally.period, key, FeeItem.collection, order)
        .order_by(order, key)
    )
    if by_building:
        query = query.where(FeeItem.collection == Collection.OWN)
    carried = _carried_sums(session, periods, by_building=by_building)
    found: dict[Period, list[CollectionLine]] = {}
    for period, name, collection, *sums in session.execute(query):
        less = carried.get((period, name, collection), (0, 0, 0, 0))
        gross, at_billing, later, collected = (
            (total or 0) - apart for total, apart in zip(sums, less, strict=True)
        )
        if (gross, at_billing, later, collected) == (0, 0, 0, 0) and any(less):
            continue  # a month of carried-over bills only: not this system's month
        found.setdefault(Period.parse(period), []).append(
            CollectionLine(
                name, None if by_building else collection, gross, at_billing, later, collected
            )
        )
    return found


# 期初欠费 is a bill with an import: `import_id > 0` (ids are positive) rather than
# IS NOT NULL, so SQLite reads the few carried-over bills from their index instead of
# scanning every bill of the months.
CARRIED = Bill.import_id > 0


def _carried_sums(
    session: Session, periods: list[Period], *, by_building: bool
) -> dict[tuple[str, str, str], tuple[int, int, int, int]]:
    """The share of the periods' tally that is 期初欠费 (carried over by an import):
    (billed, reduced on the bill, reduced later, collected) by (period, name, collection),
    read from the carried-over bills alone (nothing where nothing was imported)."""
    carried_periods = set(
        # `period || ''`: the distinct months from the import index, not the period one
        session.scalars(select(Bill.period.concat("")).where(CARRIED).distinct())
    )
    wanted = [str(period) for period in periods if str(period) in carried_periods]
    if not wanted:
        return {}
    key = Building.name if by_building else FeeItem.name
    paid = select(func.coalesce(func.sum(Allocation.amount_fen), 0)).where(
        Allocation.bill_id == Bill.id
    )
    reduced = select(func.coalesce(func.sum(Reduction.amount_fen), 0)).where(
        Reduction.bill_id == Bill.id
    )
    query = (
        select(
            Bill.period,
            key,
            FeeItem.collection,
            func.sum(Bill.amount_fen),
            func.sum(Bill.reduction_fen),
            func.sum(reduced.scalar_subquery()),
            func.sum(paid.scalar_subquery()),
        )
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .join(Room, Bill.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .where(CARRIED, Bill.period.in_(wanted))
        .group_by(Bill.period, key, FeeItem.collection)
    )
    return {
        (period, name, collection): (int(gross), int(at_billing), int(later), int(collected))
        for period, name, collection, gross, at_billing, later, collected in session.execute(query)
    }


def _carried_open(session: Session) -> int:
    """What is still open of the office's own 期初欠费 (deposits are never carried)."""
    total = session.scalar(
        select(func.sum(BillOpen.open_fen))
        .join(Bill, BillOpen.bill_id == Bill.id)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .where(CARRIED, FeeItem.collection == Collection.OWN)
    )
    return int(total or 0)


def _arrears_collected(session: Session, period: Period) -> tuple[int, int, int]:
    """Own income collected in the month for earlier months: on this system's bills of
    the period's year, of earlier years, and on 期初欠费 carried over by an import."""
    start, end = period.first_day, period.last_day
    query = (
        select(Bill.period, Bill.import_id.is_not(None), func.sum(Allocation.amount_fen))
        .join(Bill, Allocation.bill_id == Bill.id)
        .join(Payment, Allocation.payment_id == Payment.id)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .where(
            Payment.day >= start,
            Payment.day <= end,
            Bill.period < str(period),
            FeeItem.collection == Collection.OWN,
        )
        .group_by(Bill.period, Bill.import_id.is_not(None))
    )
    this_year = prior = carried = 0
    for bill_period, carried_over, amount in session.execute(query):
        if carried_over:
            carried += amount or 0
        elif (bill_period or "").startswith(f"{period.year:04d}-"):
            this_year += amount or 0
        else:
            prior += amount or 0
    return this_year, prior, carried
