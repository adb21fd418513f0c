"""A repair worker's visit and the work order it serves (维修登记 ↔ 工单).

At registration the gate picks one of the room's open orders (or types its GD
number); the visit keeps it in `visit.work_order_id` and the order's full view lists
the visit. Only a 维修 visit names an order, and only an open order of the room
visited or of a public place (which has no room)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Room, ServiceCategory, Visit, WorkOrder
from frontdesk.domain.order_numbers import parse_order_number
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.service_desk import Status
from frontdesk.domain.visitors import Purpose
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require

FIELD = "维修工单"


@dataclass(frozen=True)
class VisitOrder:
    """An open order a worker at the gate may have come for."""

    id: int
    number: str
    category: str
    description: str
    status: Status

    @property
    def text(self) -> str:
        return f"{self.number} {self.category}：{self.description}"


def _orders(session: Session, *where: ColumnElement[bool]) -> list[VisitOrder]:
    found = session.execute(
        select(WorkOrder, ServiceCategory.name)
        .join(ServiceCategory, WorkOrder.category_id == ServiceCategory.id)
        .where(WorkOrder.status != Status.CLOSED.value, *where)
        .order_by(WorkOrder.taken_at.desc())
    )
    return [VisitOrder(o.id, o.number, name, o.description, o.status) for o, name in found]


def room_open_orders(db: Database, actor: Actor, room_id: int) -> list[VisitOrder]:
    """The room's open orders, newest first: what a worker signing in may have come for."""
    require(actor, Permission.REGISTER_VISITORS)
    with db.read() as session:
        return _orders(session, WorkOrder.room_id == room_id)


def order_by_number(db: Database, actor: Actor, number: str) -> VisitOrder:
    """An open order by its number as typed at the gate (GD-2612-0001, gd26120001…)."""
    require(actor, Permission.REGISTER_VISITORS)
    wanted = parse_order_number(number)
    with db.read() as session:
        found = _orders(session, WorkOrder.number == wanted)
    if not found:
        raise NotFound(f"没有编号为 {wanted} 的未关闭工单。")
    return found[0]


def check_visit_order(
    session: Session, order_id: int | None, room_id: int, purpose: Purpose
) -> int | None:
    """The order a visit may name: a 维修 visit's, open, of the room or a public place."""
    if order_id is None:
        return None
    if purpose != Purpose.REPAIR:
        raise ValidationError(FIELD, "只有来访事由为“维修”的登记才关联工单")
    order = session.get(WorkOrder, order_id)
    if order is None:
        raise ValidationError(FIELD, "该工单不存在")
    if order.status == Status.CLOSED:
        raise ValidationError(FIELD, f"工单 {order.number} 已关闭")
    if order.room_id is not None and order.room_id != room_id:
        room = session.get(Room, order.room_id)
        where = room.audit_title() if room is not None else "其他房屋"
        raise ValidationError(FIELD, f"工单 {order.number} 是 {where} 的，不是到访的这一户")
    return order.id


def order_numbers(session: Session, visits: list[Visit]) -> dict[int, str]:
    """visit id -> the number of the order it serves, for the visits that name one."""
    ids = {v.work_order_id for v in visits if v.work_order_id is not None}
    if not ids:
        return {}
    found = session.execute(select(WorkOrder.id, WorkOrder.number).where(WorkOrder.id.in_(ids)))
    numbers = {order_id: number for order_id, number in found}
    return {v.id: numbers[v.work_order_id] for v in visits if v.work_order_id in numbers}


def link_visit_order(db: Database, actor: Actor, visit_id: int, order_id: int) -> None:
    """Name the order a registered worker's visit serves (the gate recorded his
    arrival on it after registering); refused by the same rules as at registration."""
    require(actor, Permission.REGISTER_VISITORS)
    with db.write(actor) as session:
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise NotFound("该访客登记已不存在。")
        visit.work_order_id = check_visit_order(session, order_id, visit.room_id, visit.purpose)
