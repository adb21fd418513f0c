"""What an office's old system knows about its estate on the day it moves onto
FrontDesk: rooms and owners, balances, a year of payments and the last meter readings
(`frontdesk demo-export DIR --rooms N`, written by demo/old_system_books.py).

The estate is the demo's kind (its buildings, shops, parking spaces and storage rooms,
its owners), seeded, so the same arguments give the same workbooks. The old system's
words are its own: 物业管理费 for our 物业服务费, 已入住 for occupied, and so on; the
clerk maps them once in the import. Money is integer fen, areas and readings ×100.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from frontdesk.demo import chinese_name, estate_rooms
from frontdesk.demo.households import LIVED_IN, household_rows
from frontdesk.demo.movein import set_handover_dates
from frontdesk.domain.household import PersonKind
from frontdesk.domain.onboarding import Field, ImportSetup
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomStatus, RoomType, room_code

# The old system's names for our fee items (the clerk maps each once).
OLD_FEE_NAMES = {
    "物业服务费": "物业管理费",
    "生活垃圾处理费": "垃圾清运费",
    "车位管理费": "车位费",
}
OLD_TYPE_WORDS = {
    RoomType.RESIDENCE: "住宅",
    RoomType.SHOP: "商铺",
    RoomType.PARKING: "车位",
    RoomType.STORAGE: "储藏室",
}
OLD_STATUS_WORDS = {
    RoomStatus.OCCUPIED: "已入住",
    RoomStatus.HANDED_OVER: "已交房",
    RoomStatus.RENTED: "出租",
    RoomStatus.VACANT: "空置",
    RoomStatus.UNSOLD: "未售",
}
# Monthly prices in fen per m² (area items) or per room, as the demo charges them.
AREA_PRICE_FEN = {RoomType.RESIDENCE: 235, RoomType.SHOP: 500, RoomType.STORAGE: 100}
GARBAGE_FEN = 1000
PARKING_FEN = 8000
DEPOSIT_FEN = 300_000  # 装修押金 3,000 元
CASHIERS = ("刘会计", "陈出纳", "王收费")
SOLD = {RoomStatus.OCCUPIED, RoomStatus.RENTED, RoomStatus.HANDED_OVER, RoomStatus.VACANT}


@dataclass(frozen=True)
class EstateRoom:
    building: str
    unit: str | None
    number: str
    floor: int
    area_x100: int
    room_type: RoomType
    status: RoomStatus
    handover_on: date | None

    @property
    def code(self) -> str:
        return room_code(self.building, self.unit, self.number)


@dataclass(frozen=True)
class Owner:
    """One person the old system holds as an owner of a room."""

    number: str  # 业主编号, shared by the owners of one room
    name: str
    gender: str
    phone: str
    id_number: str
    move_in_on: date | None


@dataclass(frozen=True)
class Owed:
    room: str  # our room code
    item: str  # our fee item
    period: Period
    fen: int


@dataclass(frozen=True)
class Paid:
    """One payment line: an item's months paid on one receipt (2026-01至2026-03)."""

    room: str
    item: str
    period: str
    fen: int
    paid_on: date
    cashier: str
    receipt_no: str


@dataclass(frozen=True)
class Deposit:
    room: str
    fen: int
    received_on: date


@dataclass(frozen=True)
class Reading:
    room: str
    water_x100: int
    electricity_x100: int
    read_on: date


@dataclass
class OldEstate:
    """The old system's records on the day of the move (`cutover`: the first month
    FrontDesk bills)."""

    cutover: Period
    rooms: list[EstateRoom] = field(default_factory=list)
    owners: dict[str, list[Owner]] = field(default_factory=dict)  # by room code
    owed: list[Owed] = field(default_factory=list)
    prepaid: dict[str, int] = field(default_factory=dict)  # room code -> fen
    paid_through: dict[tuple[str, str], Period] = field(default_factory=dict)  # (room, item)
    deposits: list[Deposit] = field(default_factory=list)
    history: list[Paid] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)

    @property
    def people(self) -> int:
        return sum(len(owners) for owners in self.owners.values())


def monthly_fees(room: EstateRoom) -> dict[str, int]:
    """What the room owes a month, by our fee item (fen); nothing for an unsold room."""
    if room.status not in SOLD:
        return {}
    if room.room_type is RoomType.PARKING:
        return {"车位管理费": PARKING_FEN}
    fees = {"物业服务费": (room.area_x100 * AREA_PRICE_FEN[room.room_type] + 50) // 100}
    if room.room_type is RoomType.RESIDENCE:
        fees["生活垃圾处理费"] = GARBAGE_FEN
    return fees


def old_estate(rooms: int, seed: int, today: date) -> OldEstate:
    """The old system's estate of about `rooms` rooms (residences; shops, parking and
    storage come on top, as in the demo), on the day FrontDesk starts in `today`'s month."""
    rng = random.Random(seed)
    room_rows, _buildings, units = estate_rooms(rng, rooms)
    set_handover_dates(rng, room_rows, today)
    estate = OldEstate(Period.of(today))
    unit_code = {int(str(u["id"])): str(u["code"]) for u in units}
    building_code = {int(str(r["building_id"])): "" for r in room_rows}
    for building in _buildings:
        building_code[int(str(building["id"]))] = str(building["code"])
    for row in room_rows:
        unit_id = row["unit_id"]
        handover = row["handover_on"]
        estate.rooms.append(
            EstateRoom(
                building_code[int(str(row["building_id"]))],
                unit_code[int(str(unit_id))] if unit_id is not None else None,
                str(row["number"]),
                int(str(row["floor"])),
                int(str(row["area_m2_x100"])),
                RoomType(str(row["room_type"])),
                RoomStatus(str(row["status"])),
                handover if isinstance(handover, date) else None,
            )
        )
    _owners(estate, random.Random(seed + 1), room_rows, today)
    money = random.Random(seed + 2)
    for room in estate.rooms:
        _balances(estate, money, room)
        _reading(estate, money, room)
    return estate


def _owners(
    estate: OldEstate, rng: random.Random, room_rows: list[dict[str, object]], today: date
) -> None:
    """The demo's owners of lived-in homes (its co-owning spouses too)."""
    files = household_rows(rng, room_rows, chinese_name, {}, today)
    code_of = {
        int(str(r["id"])): room.code for r, room in zip(room_rows, estate.rooms, strict=True)
    }
    moved_in = {int(h["room_id"]): h["move_in_on"] for h in files.household}
    numbers: dict[int, str] = {}
    for person in files.person:
        if person["kind"] != PersonKind.OWNER.value:
            continue
        room_id = int(person["room_id"])
        number = numbers.setdefault(room_id, f"YZ{len(numbers) + 1:06d}")
        estate.owners.setdefault(code_of[room_id], []).append(
            Owner(
                number,
                str(person["name"]),
                str(person["gender"]),
                str(person["phone"]),
                str(person["id_number"]),
                moved_in.get(room_id),
            )
        )


def _balances(estate: OldEstate, rng: random.Random, room: EstateRoom) -> None:
    """Most rooms paid up to last month; one in eight owes some months; a few paid
    ahead (已缴至 a later month) or keep a prepaid balance; some hold a 装修押金."""
    fees = monthly_fees(room)
    if not fees:
        return
    last = estate.cutover.shifted(-1)
    owing = rng.random() < 0.12
    ahead = 0 if owing else rng.choice((0, 0, 0, 0, 2, 5, 11))
    months = rng.randint(1, 14) if owing else 0
    for item, fen in fees.items():
        for back in range(months, 0, -1):
            estate.owed.append(Owed(room.code, item, estate.cutover.shifted(-back), fen))
        paid_to = last.shifted(-months + ahead)
        estate.paid_through[(room.code, item)] = paid_to
        _history(estate, rng, room, item, paid_to)
    if not owing and rng.random() < 0.06:
        estate.prepaid[room.code] = rng.randrange(5_000, 200_000, 100)
    if room.room_type is RoomType.RESIDENCE and rng.random() < 0.03:
        received = estate.cutover.first_day - timedelta(days=rng.randint(10, 300))
        estate.deposits.append(Deposit(room.code, DEPOSIT_FEN, received))


def _history(
    estate: OldEstate, rng: random.Random, room: EstateRoom, item: str, paid_to: Period
) -> None:
    """The last year's payments of one item: quarterly, up to what it is paid through."""
    fen = monthly_fees(room)[item]
    eve = estate.cutover.first_day - timedelta(days=1)
    period = estate.cutover.shifted(-12)
    while period <= paid_to:
        months = min(3, period.months_until(paid_to) + 1)
        paid_on = min(period.first_day, eve) + timedelta(days=-rng.randint(0, 20))
        receipt = f"{paid_on:%y%m}{len(estate.history) + 1:06d}"
        last = period.shifted(months - 1)
        text = f"{period}至{last}" if months > 1 else str(period)
        estate.history.append(
            Paid(room.code, item, text, fen * months, paid_on, rng.choice(CASHIERS), receipt)
        )
        period = period.shifted(months)


def _reading(estate: OldEstate, rng: random.Random, room: EstateRoom) -> None:
    if room.room_type is not RoomType.RESIDENCE or room.status not in LIVED_IN:
        return
    read_on = estate.cutover.first_day - timedelta(days=rng.randint(1, 5))
    estate.readings.append(
        Reading(
            room.code, rng.randrange(3_000, 90_000, 10), rng.randrange(50_000, 900_000, 10), read_on
        )
    )


def old_words() -> dict[Field, dict[str, str]]:
    """What a clerk answers when the import asks what the old system's words mean
    (the wizard's values page; a saved mapping keeps them)."""
    return {
        Field.FEE_ITEM: {old: ours for ours, old in OLD_FEE_NAMES.items()},
        Field.ROOM_TYPE: {word: kind.value for kind, word in OLD_TYPE_WORDS.items()},
        Field.ROOM_STATUS: {word: status.value for status, word in OLD_STATUS_WORDS.items()},
        Field.GENDER: {"1": "男", "2": "女"},
    }


def answered(setup: ImportSetup) -> ImportSetup:
    """`setup` with the clerk's answers for the old system's words added to its values."""
    answers = old_words()
    values = {f: {**setup.values.get(f, {}), **answers.get(f, {})} for f in answers}
    return replace(setup, values={**setup.values, **values})
