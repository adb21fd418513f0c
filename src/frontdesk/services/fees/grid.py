"""楼栋收费状况: one building's rooms coloured by what they owe, as the old single-PC
fee programs show it, so a cashier can open a room's bills straight from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import case, func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Allocation,
    Bill,
    Building,
    FeeItem,
    PaidThrough,
    Reduction,
    Room,
    Unit,
)
from frontdesk.domain import clock
from frontdesk.domain.fees import MONTHLY_METHODS
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus, room_code
from frontdesk.services.access import require


class FeeState(StrEnum):
    PAID = "paid"  # nothing due up to this month
    OWING = "owing"  # an open bill of this month or earlier
    VACANT = "vacant"  # 空置 or 未售, nothing owed
    UNBILLED = "unbilled"  # never billed (not handed over, no price)

    @property
    def label(self) -> str:
        return {"paid": "已缴清", "owing": "欠费", "vacant": "空置", "unbilled": "未出账"}[self]


@dataclass(frozen=True)
class RoomFeeState:
    room_id: int
    code: str
    unit: str | None
    floor: int
    number: str
    state: FeeState
    owed_fen: int
    paid_through: Period | None


def building_fee_states(
    db: Database, actor: Actor, building_id: int, today: date | None = None
) -> list[RoomFeeState]:
    require(actor, Permission.VIEW_FINANCE)
    current = str(Period.of(today or clock.today()))
    paid = (
        select(Allocation.bill_id, func.sum(Allocation.amount_fen).label("fen"))
        .join(Bill, Allocation.bill_id == Bill.id)
        .join(Room, Bill.room_id == Room.id)
        .where(Room.building_id == building_id)
        .group_by(Allocation.bill_id)
        .subquery()
    )
    reduced = (
        select(Reduction.bill_id, func.sum(Reduction.amount_fen).label("fen"))
        .join(Bill, Reduction.bill_id == Bill.id)
        .join(Room, Bill.room_id == Room.id)
        .where(Room.building_id == building_id)
        .group_by(Reduction.bill_id)
        .subquery()
    )
    open_fen = Bill.due_fen - func.coalesce(paid.c.fen, 0) - func.coalesce(reduced.c.fen, 0)
    monthly = FeeItem.method.in_([m.value for m in MONTHLY_METHODS])
    bills = (
        select(
            Bill.room_id,
            func.sum(open_fen).label("owed"),
            func.count().label("bills"),
            func.min(case(((open_fen > 0) & monthly, Bill.period))).label("first_open"),
            func.max(case((monthly, Bill.period))).label("last_billed"),
        )
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .join(Room, Bill.room_id == Room.id)
        .outerjoin(paid, paid.c.bill_id == Bill.id)
        .outerjoin(reduced, reduced.c.bill_id == Bill.id)
        .where(Room.building_id == building_id, Bill.period <= current)
        .group_by(Bill.room_id)
        .subquery()
    )
    # 已缴至 (数据导入): the month the old system had all of a room's items paid through
    old_system = (
        select(PaidThrough.room_id, func.min(PaidThrough.period).label("through"))
        .group_by(PaidThrough.room_id)
        .subquery()
    )
    query = (
        select(Room, Building.code, Unit.code, bills, old_system.c.through)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .outerjoin(bills, bills.c.room_id == Room.id)
        .outerjoin(old_system, old_system.c.room_id == Room.id)
        .where(Room.building_id == building_id)
        .order_by(Unit.sort_key, Room.floor, Room.number)
    )
    with db.read() as session:
        rows = session.execute(query).all()
    return [
        _state(room, code, unit, owed, count, first, last, old)
        for room, code, unit, _, owed, count, first, last, old in rows
    ]


def _state(
    room: Room,
    building_code: str,
    unit_code: str | None,
    owed_sum: int | None,
    count: int | None,
    first_open: str | None,
    last_billed: str | None,
    old_through: str | None = None,
) -> RoomFeeState:
    owed = int(owed_sum or 0)
    if owed > 0:
        state = FeeState.OWING
    elif room.status in (RoomStatus.VACANT, RoomStatus.UNSOLD):
        state = FeeState.VACANT
    elif not count:
        state = FeeState.UNBILLED
    else:
        state = FeeState.PAID
    through = None
    if first_open:
        through = Period.parse(first_open).shifted(-1)
    elif last_billed:
        through = Period.parse(last_billed)
    if old_through and (first_open is None or first_open > old_through):
        old = Period.parse(old_through)
        through = max(through, old) if through else old
        if state == FeeState.UNBILLED:
            state = FeeState.PAID  # paid in the old system, not billed here yet
    return RoomFeeState(
        room.id,
        room_code(building_code, unit_code, room.number),
        unit_code,
        room.floor,
        room.number,
        state,
        owed,
        through,
    )
