"""The monthly billing run (`frontdesk bill --period YYYY-MM`), one room brought up to
date (a catch-up at hand-over), and bills for periods paid in advance.

A run computes every room's bills for the month (meter items from their readings),
skips those that exist (so a second run creates nothing twice), inserts the rest in
short write steps, each sealed by one audit entry, then lets households' 预存 balances
settle what they can. One-off charges are charges.py; fee estimates estimates.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.bulk_audit import bulk_sealed, insert_rows
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Allocation,
    Bill,
    BillingRun,
    BillOpen,
    Building,
    FeeItem,
    MeterReading,
    PaidThrough,
    ParkingUse,
    Payment,
    PrepaidEntry,
    Room,
    Tender,
    Unit,
)
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.billing import (
    BillDraft,
    PlanTerms,
    RoomTerms,
    by_fee_item,
    is_billable,
    meter_bill,
    monthly_bill,
    plan_in_force,
)
from frontdesk.domain.fees import FeeMethod, PayMethod
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.items import plan_terms, rule_terms
from frontdesk.services.fees.ledger import prepaid_balance
from frontdesk.services.progress import NO_PROGRESS, Progress
from frontdesk.services.steps import write_steps

AUTO_DRAW_CASHIER = "系统（预存抵扣）"
# Bills per batch of a run: about 0.1 s of inserts; a step takes batches for about
# STEP_SECONDS (services/steps.py), then lets the counters in.
INSERT_CHUNK = 2_000
# Written in bulk (no per-row audit entry): sealed by db/bulk_audit.py instead.
DRAW_TABLES = ["bill", "payment", "tender", "allocation", "prepaid_entry"]
BILL_TABLE: Table = Bill.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class DraftRow:
    room_code: str
    fee_item: str
    description: str
    amount_fen: int
    reduction_fen: int
    reduction_reason: str

    @property
    def due_fen(self) -> int:
        return self.amount_fen - self.reduction_fen


@dataclass(frozen=True)
class ItemTotal:
    fee_item: str
    bills: int
    due_fen: int


@dataclass
class BillingResult:
    period: Period
    dry_run: bool
    rows: list[DraftRow] = field(default_factory=list)
    by_item: list[ItemTotal] = field(default_factory=list)
    already_billed: int = 0
    paid_in_old_system: int = 0  # 已缴至 (数据导入): months the old system was paid for
    rooms_without_reading: int = 0
    run_id: int | None = None
    prepaid_rooms: int = 0
    prepaid_drawn_fen: int = 0

    @property
    def bills(self) -> int:
        return len(self.rows)

    @property
    def total_fen(self) -> int:
        return sum(row.due_fen for row in self.rows)


@dataclass(frozen=True)
class RoomInfo:
    terms: RoomTerms
    code: str


def rooms_to_bill(session: Session, period: Period, room_id: int | None = None) -> list[RoomInfo]:
    """The rooms a month is billed for (all, or one), with what their bills depend on."""
    parking: dict[int, list[str]] = defaultdict(list)
    space = Room.__table__.alias("space")
    space_building = Building.__table__.alias("space_building")
    uses = (
        select(ParkingUse.room_id, space_building.c.code, space.c.number)
        .join(space, ParkingUse.space_id == space.c.id)
        .join(space_building, space.c.building_id == space_building.c.id)
        .where(
            (ParkingUse.start_on.is_(None)) | (ParkingUse.start_on <= period.last_day),
            (ParkingUse.end_on.is_(None)) | (ParkingUse.end_on >= period.first_day),
        )
        .order_by(space.c.number)
    )
    if room_id is not None:
        uses = uses.where(ParkingUse.room_id == room_id)
    for owner_room, building_code, number in session.execute(uses):
        parking[owner_room].append(room_code(building_code, None, number))
    # Columns, not Room objects: a run reads every room of the community.
    query = (
        select(
            Room.id,
            Room.building_id,
            Room.room_type,
            Room.status,
            Room.area_m2_x100,
            Room.handover_on,
            Room.number,
            Building.code,
            Unit.code,
        )
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .order_by(Building.sort_key, Unit.sort_key, Room.floor, Room.number)
    )
    if room_id is not None:
        query = query.where(Room.id == room_id)
    return [
        RoomInfo(
            RoomTerms(
                room, building, room_type, status, area, handover_on, tuple(parking.get(room, ()))
            ),
            room_code(building_code, unit_code, number),
        )
        for (
            room,
            building,
            room_type,
            status,
            area,
            handover_on,
            number,
            building_code,
            unit_code,
        ) in session.connection().execute(query).all()
    ]


def _drafts(
    session: Session, period: Period, progress: Progress, result: BillingResult
) -> tuple[list[BillDraft], dict[int, str], dict[int, str]]:
    items = session.scalars(select(FeeItem).where(FeeItem.active.is_(True))).all()
    names = {item.id: item.name for item in items}
    plans, rules = plan_terms(session), rule_terms(session)
    existing = set(
        session.execute(select(Bill.room_id, Bill.fee_item_id).where(Bill.period == str(period)))
    )
    paid_before = set(
        session.execute(
            select(PaidThrough.room_id, PaidThrough.fee_item_id).where(
                PaidThrough.period >= str(period)
            )
        )
    )
    readings = _readings(session, period)
    rooms = rooms_to_bill(session, period)
    codes = {info.terms.room_id: info.code for info in rooms}
    drafts: list[BillDraft] = []
    metered = [item for item in items if item.method == FeeMethod.METER]
    monthly = [item for item in items if item.method.monthly]
    item_plans, item_rules = by_fee_item(plans), by_fee_item(rules)
    # Each item's terms read once, not once per room from its ORM object.
    monthly_terms = [
        (item.id, FeeMethod(item.method), item_plans.get(item.id, []), item_rules.get(item.id, []))
        for item in monthly
    ]
    metered_ids = [item.id for item in metered]
    for done, info in enumerate(rooms):
        if done % 1000 == 0:
            progress.step(done, len(rooms))
        room = info.terms
        for item_id, method, item_plan, item_rule in monthly_terms:
            if _billed_before(room.room_id, item_id, existing, paid_before, result):
                continue
            draft = monthly_bill(method, item_id, room, period, item_plan, item_rule)
            if draft is not None:
                drafts.append(draft)
        for item_id in metered_ids:
            if _billed_before(room.room_id, item_id, existing, paid_before, result):
                continue
            draft = _meter_draft(item_id, room, period, plans, readings)
            if draft is not None:
                drafts.append(draft)
    result.rooms_without_reading = _rooms_without_reading(session, period, metered, readings)
    return drafts, codes, names


def _billed_before(
    room_id: int,
    item_id: int,
    existing: set[Any],
    paid_before: set[Any],
    result: BillingResult,
) -> bool:
    """Billed here already, or paid through this month in the old system (已缴至)."""
    if (room_id, item_id) in existing:
        result.already_billed += 1
        return True
    if (room_id, item_id) in paid_before:
        result.paid_in_old_system += 1
        return True
    return False


def _meter_draft(
    fee_item_id: int,
    room: RoomTerms,
    period: Period,
    plans: list[PlanTerms],
    readings: dict[tuple[int, int], tuple[int, int]],
) -> BillDraft | None:
    reading = readings.get((room.room_id, fee_item_id))
    if reading is None or not is_billable(room, period):
        return None
    plan = plan_in_force(plans, fee_item_id, room.building_id, room.room_type, period.first_day)
    previous, current = reading
    if plan is None or current < previous:  # a bad reading is refused when saved
        return None
    return meter_bill(fee_item_id, room, period, plan, previous, current)


def _readings(session: Session, period: Period) -> dict[tuple[int, int], tuple[int, int]]:
    rows = session.execute(
        select(
            MeterReading.room_id,
            MeterReading.fee_item_id,
            MeterReading.previous_x100,
            MeterReading.current_x100,
        ).where(MeterReading.period == str(period))
    )
    return {(room, item): (previous, current) for room, item, previous, current in rows}


def _rooms_without_reading(
    session: Session,
    period: Period,
    metered: list[FeeItem],
    readings: dict[tuple[int, int], tuple[int, int]],
) -> int:
    """Rooms read last month but not this month: the reader may have missed them."""
    if not metered:
        return 0
    last = session.execute(
        select(MeterReading.room_id, MeterReading.fee_item_id).where(
            MeterReading.period == str(period.shifted(-1))
        )
    )
    return sum(1 for key in last if tuple(key) not in readings)


def room_drafts(session: Session, room_id: int, period: Period) -> list[BillDraft]:
    """The monthly bills one room would get for a period it has not been billed for
    (nor paid for in the old system, 已缴至)."""
    items = session.scalars(select(FeeItem).where(FeeItem.active.is_(True))).all()
    plans, rules = plan_terms(session), rule_terms(session)
    existing = set(
        session.scalars(
            select(Bill.fee_item_id).where(Bill.room_id == room_id, Bill.period == str(period))
        )
    )
    # 已缴至 (数据导入): the old system was paid for this month already
    existing |= set(
        session.scalars(
            select(PaidThrough.fee_item_id).where(
                PaidThrough.room_id == room_id, PaidThrough.period >= str(period)
            )
        )
    )
    drafts = []
    for info in rooms_to_bill(session, period, room_id):
        for item in items:
            if item.method.monthly and item.id not in existing:
                draft = monthly_bill(item.method, item.id, info.terms, period, plans, rules)
                if draft is not None:
                    drafts.append(draft)
    return drafts


def bill_room_catch_up(session: Session, actor: Actor, room_id: int, today: date) -> int:
    """A room handed over after its month's run: the monthly bills the runs already
    made for everyone else, from its handover month on, then its 预存 drawn. Bills made."""
    last = session.scalar(select(func.max(BillingRun.period)))
    room = session.get(Room, room_id)
    if last is None or room is None or room.handover_on is None:
        return 0
    period, made = Period.of(room.handover_on), 0
    with bulk_sealed(session, actor, DRAW_TABLES, "交房后补出以前月份的账单"):
        while str(period) <= last:
            drafts = room_drafts(session, room_id, period)
            if drafts:
                session.execute(
                    insert(Bill), [bill_values(d, by_columns("created", actor)) for d in drafts]
                )
                made += len(drafts)
            period = period.shifted(1)
        if made:
            settle_from_prepaid(session, room_id, Period.parse(last), today)
    return made


def run_billing(
    db: Database,
    actor: Actor,
    period: Period,
    *,
    dry_run: bool = False,
    today: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> BillingResult:
    """Create (or with `dry_run` only show) every room's bills for the period."""
    require(actor, Permission.MANAGE_FEES)
    today = today or clock.today()
    if Period.of(today).months_until(period) > 1:
        raise ValidationError("账期", f"{period.label}还没到，最多提前一个月生成账单")
    result = BillingResult(period, dry_run)
    # Computing reads only; the write lock is held just for the inserts, so the
    # counters keep working during a run.
    with db.read() as session:
        _refuse_before_first_run(session, period)
        drafts, codes, names = _drafts(session, period, progress, result)
    if not dry_run:
        drafts = _write_in_steps(db, actor, period, drafts, result, progress)
        with db.write(actor) as session:
            _draw_prepaid(session, actor, today, result)
    result.rows = [
        DraftRow(
            codes[d.room_id],
            names[d.fee_item_id],
            d.description,
            d.amount_fen,
            d.reduction_fen,
            d.reduction_reason,
        )
        for d in drafts
    ]
    result.by_item = _by_item(result.rows)
    progress.step(1, 1)
    return result


def _refuse_before_first_run(session: Session, period: Period) -> None:
    first = session.scalar(select(func.min(BillingRun.period)))
    if first is not None and str(period) < first:
        raise ValidationError(
            "账期", f"早于首次出账月份（{Period.parse(first).label}），不能补出更早的账单"
        )


def _still_missing(
    session: Session, period: Period, drafts: list[BillDraft], result: BillingResult
) -> list[BillDraft]:
    """Drafts whose bill nobody created since they were computed (another run, a 预交)."""
    rooms = [d.room_id for d in drafts]
    existing = set(
        session.execute(
            select(Bill.room_id, Bill.fee_item_id).where(
                Bill.period == str(period), Bill.room_id.between(min(rooms), max(rooms))
            )
        ).all()
    )
    fresh = [d for d in drafts if (d.room_id, d.fee_item_id) not in existing]
    result.already_billed += len(drafts) - len(fresh)
    return fresh


def _by_item(rows: list[DraftRow]) -> list[ItemTotal]:
    counts: dict[str, list[int]] = {}
    for row in rows:
        entry = counts.setdefault(row.fee_item, [0, 0])
        entry[0] += 1
        entry[1] += row.due_fen
    return [ItemTotal(name, count, due) for name, (count, due) in counts.items()]


def bill_values(
    draft: BillDraft,
    created_by: Mapping[str, Any],
    run_id: int | None = None,
    created_at: datetime | None = None,
) -> dict[str, Any]:
    """The bill row of a draft: one shape for the run, a 预交 and the demo;
    `created_by` is db.who.by_columns("created", …)."""
    return {
        "room_id": draft.room_id,
        "fee_item_id": draft.fee_item_id,
        "period": str(draft.period),
        "start_on": draft.start_on,
        "end_on": draft.end_on,
        "quantity_x100": draft.quantity_x100,
        "unit_price": draft.unit_price,
        "amount_fen": draft.amount_fen,
        "reduction_fen": draft.reduction_fen,
        "reduction_reason": draft.reduction_reason,
        "due_fen": draft.due_fen,
        "description": draft.description,
        "created_at": created_at or utcnow(),
        **created_by,
        "run_id": run_id,
    }


def _write_in_steps(
    db: Database,
    actor: Actor,
    period: Period,
    drafts: list[BillDraft],
    result: BillingResult,
    progress: Progress,
) -> list[BillDraft]:
    """Insert the bills in short transactions (services/steps.py), so a payment at a
    counter waits for one step, never for the month's run. Each batch is its own
    billing run record (its count and total exact) sealed by its own audit entry; a
    run stopped part way is completed by running the period again (bills already
    made are skipped). Returns the drafts that became bills."""
    written: list[BillDraft] = []

    def add(session: Session, batch: list[BillDraft]) -> None:
        fresh = _still_missing(session, period, batch, result)
        if not fresh:
            return
        run = BillingRun(
            period=str(period),
            **by_columns("run", actor),
            bills=len(fresh),
            total_fen=sum(d.due_fen for d in fresh),
        )
        session.add(run)
        session.flush()
        result.run_id = result.run_id or run.id
        with bulk_sealed(session, actor, ["bill"], f"{period.label}账单生成"):
            values = [bill_values(d, by_columns("created", actor), run.id) for d in fresh]
            insert_rows(session.connection(), BILL_TABLE, values)
        written.extend(fresh)

    write_steps(db, actor, drafts, add, lambda _session: None, progress, batch_rows=INSERT_CHUNK)
    return written


def _draw_prepaid(session: Session, actor: Actor, today: date, result: BillingResult) -> None:
    """Households with 预存 pay their due bills from it, oldest first (no receipt:
    the money was receipted when it was deposited)."""
    holders = (
        session.execute(
            select(PrepaidEntry.room_id)
            .group_by(PrepaidEntry.room_id)
            .having(func.sum(PrepaidEntry.amount_fen) > 0)
        )
        .scalars()
        .all()
    )
    with bulk_sealed(session, actor, DRAW_TABLES[1:], f"预存自动抵扣 {result.period.label}账单"):
        for room_id in holders:
            drawn = settle_from_prepaid(session, room_id, result.period, today)
            if drawn:
                result.prepaid_rooms += 1
                result.prepaid_drawn_fen += drawn
    if result.prepaid_rooms:
        write_entry(
            session.connection(),
            actor,
            "create",
            "prepaid_draw",
            str(result.run_id),
            f"预存自动抵扣 {result.period.label}账单：{result.prepaid_rooms} 户，"
            f"共 {format_yuan(result.prepaid_drawn_fen)} 元",
        )


def settle_from_prepaid(session: Session, room_id: int, up_to: Period, today: date) -> int:
    """Pay the room's open bills up to the period from its 预存 balance; fen drawn."""
    balance = prepaid_balance(session, room_id)
    # What each bill still owes, as `bill_open` keeps it (the bills' dues less their
    # allocations and reductions), in the cashier's order: oldest first.
    open_bills = session.execute(
        select(BillOpen.bill_id, BillOpen.open_fen)
        .join(Bill, BillOpen.bill_id == Bill.id)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .where(BillOpen.room_id == room_id, BillOpen.open_fen > 0)
        .where(Bill.period.is_not(None), Bill.period <= str(up_to))
        .order_by(Bill.start_on, FeeItem.sort_key, Bill.id)
    ).all()
    plan: list[tuple[int, int]] = []
    for bill_id, outstanding in open_bills:
        if balance <= 0:
            break
        amount = min(balance, outstanding)
        plan.append((bill_id, amount))
        balance -= amount
    drawn = sum(amount for _, amount in plan)
    if not drawn:
        return 0
    # Core inserts (sealed by the caller's bulk entry): a run draws for many rooms.
    connection = session.connection()
    payment_id = connection.execute(
        insert(Payment).returning(Payment.id),
        {
            "room_id": room_id,
            "posted_at": utcnow(),
            "day": today,
            "cashier_id": None,
            "cashier_name": AUTO_DRAW_CASHIER,
            "payer": "",
            "total_fen": drawn,
            "note": "预存自动抵扣",
        },
    ).scalar_one()
    connection.execute(
        insert(Tender),
        {
            "payment_id": payment_id,
            "method": PayMethod.PREPAID.value,
            "amount_fen": drawn,
            "tendered_fen": drawn,
            "change_fen": 0,
            "reference": "",
        },
    )
    connection.execute(
        insert(Allocation),
        [
            {"payment_id": payment_id, "bill_id": bill_id, "amount_fen": amount, "void_id": None}
            for bill_id, amount in plan
        ],
    )
    connection.execute(
        insert(PrepaidEntry),
        {
            "room_id": room_id,
            "amount_fen": -drawn,
            "at": utcnow(),
            "payment_id": payment_id,
            "refund_id": None,
            "void_id": None,
            "note": "预存自动抵扣",
        },
    )
    return drawn
