"""What the database already holds that a file's lines are matched against, read once
per check: rooms, people, fee items, bills, and what earlier imports carried over."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    Bill,
    BillingRun,
    Building,
    FeeItem,
    HouseholdProfile,
    ImportedPayment,
    MeterReading,
    OpeningDeposit,
    PaidThrough,
    Person,
    PrepaidEntry,
    Room,
    Unit,
)
from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod, MeterKind
from frontdesk.domain.onboarding import ReadResult
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomType, room_code
from frontdesk.services.households.roster import people_on_file

# A deposit line as matched on a re-run: room, kind, amount, day received.
DepositKey = tuple[int, str, int, date | None]
# A history line: room, item, period, amount, day paid, cashier, receipt number.
HistoryKey = tuple[int, str, str, int, date | None, str, str]


@dataclass(frozen=True)
class RoomOnFile:
    room_id: int
    room_type: RoomType
    area_x100: int


@dataclass(frozen=True)
class ItemOnFile:
    item_id: int
    method: FeeMethod
    meter_kind: MeterKind | None


@dataclass
class OnFile:
    rooms: dict[str, RoomOnFile]  # by room code (3-2-1201)
    buildings: set[str]
    units: set[tuple[str, str]]
    with_profile: set[int]  # room ids with a household file
    people: dict[tuple[int, str, str], int]  # roster's person keys
    items: dict[str, ItemOnFile]  # by name
    bills: dict[tuple[int, int, str], tuple[int | None, int]]  # -> (import id, amount)
    first_run: str | None  # the first period billed here
    reading_period: Period  # the month an imported reading is filed under
    imported_prepaid: dict[int, int]  # room id -> prepaid an import carried over
    paid_through: dict[tuple[int, int], str]
    deposits: Counter[DepositKey]
    history: Counter[HistoryKey]
    readings: dict[tuple[int, int, str], int]  # (room, item, period) -> current reading
    latest_reading: dict[tuple[int, int], str]  # (room, item) -> latest period read


def needs_fees(read: ReadResult) -> bool:
    """Whether the lines carry money or readings (the fee permission, the money side)."""
    return bool(
        read.arrears
        or read.prepaid
        or read.paid_through
        or read.deposits
        or read.history
        or read.meters
    )


def load_on_file(session: Session, read: ReadResult) -> OnFile:
    """Everything a check compares the lines with; the money side only when the file
    has any, and of the bills and readings only the months that can meet the file's."""
    runs = session.execute(select(func.min(BillingRun.period), func.max(BillingRun.period))).one()
    first_billed = Period.parse(runs[1]).shifted(1) if runs[1] else Period.of(clock.today())
    found = OnFile(
        rooms=_rooms(session),
        buildings=set(session.scalars(select(Building.code))),
        units={
            (b, u)
            for b, u in session.execute(
                select(Building.code, Unit.code).join(Unit, Unit.building_id == Building.id)
            )
        },
        with_profile=set(session.scalars(select(HouseholdProfile.room_id))),
        people=people_on_file(session),
        items={
            name: ItemOnFile(item_id, FeeMethod(method), MeterKind(kind) if kind else None)
            for item_id, name, method, kind in session.execute(
                select(FeeItem.id, FeeItem.name, FeeItem.method, FeeItem.meter_kind).order_by(
                    FeeItem.active.desc(), FeeItem.sort_key, FeeItem.id
                )
            )
        },
        bills={},
        first_run=runs[0],
        reading_period=first_billed.shifted(-1),
        imported_prepaid={},
        paid_through={},
        deposits=Counter(),
        history=Counter(),
        readings={},
        latest_reading={},
    )
    if needs_fees(read):
        _load_money(session, found, {str(line.period) for line in read.arrears})
    return found


# What a check matched the lines against; if none of these tables changed by the
# commit (their row counts and largest ids), the commit writes what the check found.
MATCHED = (
    Building,
    Unit,
    Room,
    HouseholdProfile,
    Person,
    FeeItem,
    Bill,
    BillingRun,
    PrepaidEntry,
    PaidThrough,
    OpeningDeposit,
    ImportedPayment,
    MeterReading,
)


def on_file_mark(session: Session) -> tuple[int, ...]:
    """The row count and largest id of every table a check matches lines against."""
    mark: list[int] = []
    for model in MATCHED:
        table = model.__table__
        count, largest = session.execute(
            select(func.count(), func.coalesce(func.max(table.c.id), 0)).select_from(table)
        ).one()
        mark += [int(count), int(largest)]
    return tuple(mark)


def _rooms(session: Session) -> dict[str, RoomOnFile]:
    query = (
        select(Room.id, Building.code, Unit.code, Room.number, Room.room_type, Room.area_m2_x100)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
    )
    return {
        room_code(b, u, n): RoomOnFile(room_id, RoomType(kind), area)
        for room_id, b, u, n, kind, area in session.execute(query)
    }


def _load_money(session: Session, found: OnFile, periods: set[str]) -> None:
    found.bills = {
        (room, item, str(period)): (import_id, amount)
        for room, item, period, import_id, amount in session.execute(
            select(
                Bill.room_id, Bill.fee_item_id, Bill.period, Bill.import_id, Bill.amount_fen
            ).where(Bill.period.in_(sorted(periods)))
        )
    }
    found.imported_prepaid = {
        room: int(total)
        for room, total in session.execute(
            select(PrepaidEntry.room_id, func.sum(PrepaidEntry.amount_fen))
            .where(PrepaidEntry.import_id.is_not(None))
            .group_by(PrepaidEntry.room_id)
        )
    }
    found.paid_through = {
        (room, item): period
        for room, item, period in session.execute(
            select(PaidThrough.room_id, PaidThrough.fee_item_id, PaidThrough.period)
        )
    }
    found.deposits = Counter(
        (room, kind, amount, on)
        for room, kind, amount, on in session.execute(
            select(
                OpeningDeposit.room_id,
                OpeningDeposit.kind,
                OpeningDeposit.amount_fen,
                OpeningDeposit.received_on,
            )
        )
    )
    found.history = Counter(
        tuple(row)  # type: ignore[misc]
        for row in session.execute(
            select(
                ImportedPayment.room_id,
                ImportedPayment.fee_item,
                ImportedPayment.period,
                ImportedPayment.amount_fen,
                ImportedPayment.paid_on,
                ImportedPayment.cashier,
                ImportedPayment.receipt_no,
            )
        )
    )
    for room, item, period, current in session.execute(
        select(
            MeterReading.room_id,
            MeterReading.fee_item_id,
            MeterReading.period,
            MeterReading.current_x100,
        ).where(MeterReading.period >= str(found.reading_period))
    ):
        found.readings[(room, item, period)] = current
        latest = found.latest_reading.get((room, item))
        if latest is None or period > latest:
            found.latest_reading[(room, item)] = period
