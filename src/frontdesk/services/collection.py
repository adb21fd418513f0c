"""收缴率: for a billing period, what was billed, reduced and collected so far, by
building and by fee item; and how much older arrears the month brought in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Allocation, Bill, Building, FeeItem, Payment, Reduction, Room
from frontdesk.domain.fees import Collection
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require

# The work plan's target: 收缴率 ≥ 98%.
TARGET_RATE = 0.98


@dataclass(frozen=True)
class CollectionLine:
    name: str
    collection: Collection | None  # None on building rows (own income only)
    billed_fen: int
    reduced_fen: int
    collected_fen: int

    @property
    def outstanding_fen(self) -> int:
        return self.billed_fen - self.reduced_fen - self.collected_fen


@dataclass(frozen=True)
class CollectionFigures:
    period: Period
    by_building: list[CollectionLine]
    by_item: list[CollectionLine]
    this_year_arrears_fen: int  # collected in the month for earlier months of its year
    prior_years_arrears_fen: int  # … for earlier years

    @property
    def total(self) -> CollectionLine:
        own = [line for line in self.by_item if line.collection == Collection.OWN]
        return CollectionLine(
            "合计（物业收入）",
            Collection.OWN,
            sum(line.billed_fen for line in own),
            sum(line.reduced_fen for line in own),
            sum(line.collected_fen for line in own),
        )


def collection_figures(db: Database, actor: Actor, period: Period) -> CollectionFigures:
    require(actor, Permission.VIEW_FINANCE)
    with db.read() as session:
        by_building = _lines(session, period, by_building=True)
        by_item = _lines(session, period, by_building=False)
        this_year, prior = _arrears_collected(session, period)
    return CollectionFigures(period, by_building, by_item, this_year, prior)


def _lines(session: Session, period: Period, *, by_building: bool) -> list[CollectionLine]:
    key = Building.name if by_building else FeeItem.name
    order = Building.sort_key if by_building else FeeItem.sort_key
    base = (
        select(key, FeeItem.collection, order)
        .select_from(Bill)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .join(Room, Bill.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .where(Bill.period == str(period))
    )
    if by_building:
        base = base.where(FeeItem.collection == Collection.OWN.value)
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for name, collection, sort_key, due in session.execute(
        base.add_columns(func.sum(Bill.due_fen)).group_by(key, FeeItem.collection, order)
    ):
        sums[(name, collection)][0] += due
        sums[(name, collection)][3] = sort_key
    for column, slot, model in (
        (Reduction.amount_fen, 1, Reduction),
        (Allocation.amount_fen, 2, Allocation),
    ):
        query = base.add_columns(func.sum(column)).join(model, model.bill_id == Bill.id)
        for name, collection, _, amount in session.execute(
            query.group_by(key, FeeItem.collection, order)
        ):
            sums[(name, collection)][slot] += amount or 0
    ordered = sorted(sums.items(), key=lambda kv: (kv[1][3], kv[0][0]))
    return [
        CollectionLine(
            name,
            None if by_building else Collection(collection),
            billed,
            reduced,
            collected,
        )
        for (name, collection), (billed, reduced, collected, _) in ordered
    ]


def _arrears_collected(session: Session, period: Period) -> tuple[int, int]:
    start, end = period.first_day, period.last_day
    query = (
        select(Bill.period, func.sum(Allocation.amount_fen))
        .join(Bill, Allocation.bill_id == Bill.id)
        .join(Payment, Allocation.payment_id == Payment.id)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .where(
            Payment.day >= start,
            Payment.day <= end,
            Bill.period < str(period),
            FeeItem.collection == Collection.OWN.value,
        )
        .group_by(Bill.period)
    )
    this_year = prior = 0
    for bill_period, amount in session.execute(query):
        if (bill_period or "").startswith(f"{period.year:04d}-"):
            this_year += amount or 0
        else:
            prior += amount or 0
    return this_year, prior
