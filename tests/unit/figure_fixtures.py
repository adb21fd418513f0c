"""A small community for the figures' tests: two buildings, three lived-in homes billed
100.00 a month for June, October and November 2026, paid as each test needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from frontdesk.domain.fees import FeeMethod, PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, payments
from frontdesk.services.fees import items as fees
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import structure

TODAY = date(2026, 11, 25)  # a Wednesday; tests using this community set the clock here
JUNE, OCTOBER, NOVEMBER = Period(2026, 6), Period(2026, 10), Period(2026, 11)
FEE = 10_000  # 物业服务费 100.00 a month for every home
LIVED_IN = ("1-1-101", "1-1-102", "2-1-101")


@dataclass(frozen=True)
class Town:
    a: int  # 1-1-101: pays everything
    b: int  # 1-1-102: pays nothing
    c: int  # 2-1-101: pays June and October, half of November
    one: int  # building ids
    two: int


def _occupied(db: Database, admin: Actor, building_id: int) -> dict[str, int]:
    ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=building_id))
    rooms = {row.code: row.id for row in structure.room_rows(db, admin, ids)}
    for code, room in rooms.items():
        lived_in = code in LIVED_IN
        structure.update_room(
            db,
            admin,
            room,
            structure.RoomChange(
                "89.50",
                RoomType.RESIDENCE,
                RoomStatus.OCCUPIED if lived_in else RoomStatus.UNSOLD,
                date(2020, 5, 1) if lived_in else None,
            ),
        )
    return rooms


def make_town(db: Database, admin: Actor) -> Town:
    # 1栋: 101 and 102 lived in, 201 and 202 unsold (not billed); 2栋: 101 lived in
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    two = structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 1, 1, 1, "89.50"))
    rooms = {**_occupied(db, admin, one.id), **_occupied(db, admin, two.id)}
    assert sorted(rooms) == ["1-1-101", "1-1-102", "1-1-201", "1-1-202", "2-1-101"]
    service = fees.add_fee_item(db, admin, "物业服务费", "物业服务费", FeeMethod.FIXED_MONTHLY)
    fees.add_price_plan(db, admin, service, FEE * 100, date(2020, 1, 1))
    for period in (JUNE, OCTOBER, NOVEMBER):
        billing.run_billing(db, admin, period, today=TODAY)
    return Town(rooms["1-1-101"], rooms["1-1-102"], rooms["2-1-101"], one.id, two.id)


def pay(db: Database, admin: Actor, room: int, amounts: dict[Period, int]) -> None:
    bills = payments.counter_view(db, admin, room, TODAY).open_bills
    allocations = tuple(
        (bill.bill_id, amounts[Period.parse(bill.period)])
        for bill in bills
        if bill.period and Period.parse(bill.period) in amounts
    )
    total = sum(fen for _, fen in allocations)
    request = PaymentRequest(room, allocations, (TenderInput(PayMethod.CASH, total),))
    payments.post_payment(db, admin, request, TODAY)


def pay_town(db: Database, admin: Actor, town: Town) -> Town:
    """1-1-101 pays everything, 2-1-101 June, October and half of November, 1-1-102 nothing."""
    pay(db, admin, town.a, {JUNE: FEE, OCTOBER: FEE, NOVEMBER: FEE})
    pay(db, admin, town.c, {JUNE: FEE, OCTOBER: FEE, NOVEMBER: FEE // 2})
    return town
