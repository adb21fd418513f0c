"""What the desk reads: the board (open orders, what is due first, each with its
clock), the callback list, orders filtered for the command line, one order with its
steps. A butler sees the orders of his buildings and of places in no building."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased

from frontdesk.db.models import (
    Building,
    Room,
    ServiceCategory,
    ServiceStaff,
    Unit,
    Visit,
    WorkOrder,
    WorkOrderEvent,
)
from frontdesk.domain import clock
from frontdesk.domain.order_numbers import parse_order_number
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code
from frontdesk.domain.service_desk import (
    Channel,
    Kind,
    Light,
    Stage,
    Status,
    Step,
    Team,
    Urgency,
    running_clock,
)
from frontdesk.errors import NotFound
from frontdesk.services.access import require
from frontdesk.services.scope import may, own_butler
from frontdesk.services.service_desk.orders import (
    RepeatRow,
    check_scope,
    load,
    promise_of,
    repeats_of,
    times_of,
)
from frontdesk.services.service_desk.photos import PhotoRow, photos_of
from frontdesk.services.service_desk.repairs import RepairChargeRow, charges_of
from frontdesk.services.store import Store, reading

PERMISSION = Permission.TAKE_WORK_ORDERS


@dataclass(frozen=True)
class OrderRow:
    """An order as lists show it, with its clock at the time read."""

    id: int
    number: str
    kind: Kind
    channel: Channel
    category: str
    urgency: Urgency
    status: Status
    paused: bool
    room_id: int | None  # the room repaired, or the resident's who called
    room_code: str  # its code, 3-2-1201 ("" without a room)
    where: str  # the public place (3栋 地下车库 B区) if one is given, else the room's code
    building_id: int | None  # the public place's building, else the room's
    caller: str  # 张先生 138****5678, 匿名, or "" (the phone always masked)
    description: str
    staff: str  # the person it is with, or ""
    team: Team | None
    taken_at: datetime
    taken_by: str
    stage: Stage | None  # the promise now running, None when nothing is due
    due_at: datetime | None  # None while paused
    light: Light | None
    remaining: timedelta | None  # negative when late
    failed_callbacks: int
    anonymous: bool = False  # no caller kept: never called back

    @property
    def overdue(self) -> bool:
        return self.light == Light.RED


@dataclass(frozen=True)
class EventRow:
    step: Step
    at: datetime
    done_by: str
    staff: str
    team: Team | None
    note: str
    scores: tuple[int, int, int] | None


@dataclass(frozen=True)
class ComplaintFacts:
    """A complaint's handling as its file shows it."""

    department: Team | None
    handler: str
    deadline: datetime | None  # None while paused or once answered
    reply: str
    replied_at: datetime | None
    replied_by: str
    supervised_at: datetime | None
    supervised_by: str
    anonymous: bool


@dataclass(frozen=True)
class OrderFacts:
    """One order whole: its row, the caller (masked unless revealed by the caller of
    this function), what was done, the callback, and every step."""

    row: OrderRow
    caller_name: str
    caller_phone: str
    anonymous: bool
    appointment_from: datetime | None
    appointment_to: datetime | None
    arrive_minutes: int | None
    finish_minutes: int
    callback_minutes: int | None
    arrived_at: datetime | None
    finished_at: datetime | None
    work_done: str
    materials: str
    called_back_at: datetime | None
    scores: tuple[int, int, int] | None
    satisfied: bool | None
    owner_words: str
    closed_at: datetime | None
    reopened: int
    events: tuple[EventRow, ...]
    charges: tuple[RepairChargeRow, ...] = ()  # a paid repair's, voided ones too
    photos: tuple[PhotoRow, ...] = ()  # at intake and after the work, oldest first
    repeats: tuple[RepeatRow, ...] = ()  # earlier orders of the same room or place
    visits: tuple[OrderVisitRow, ...] = ()  # the workers' entries in the visitor register
    complaint: ComplaintFacts | None = None  # a complaint's department, deadline, reply


@dataclass(frozen=True)
class OrderVisitRow:
    """A worker's visit registered for the order (维修登记 ↔ 工单)."""

    visit_id: int
    number: str  # the visitor pass
    name: str  # "" once the visit's personal data is erased
    arrived_at: datetime
    left_at: datetime | None


PlaceBuilding = aliased(Building)


# order, category, staff, building, unit, room, place's building, the room's building id
# (None on outer joins)
RowsQuery = Select[WorkOrder, str, str, str, str, str, str, int]


def _rows_query() -> RowsQuery:
    query: RowsQuery = (
        select(
            WorkOrder,
            ServiceCategory.name,
            ServiceStaff.name,
            Building.code,
            Unit.code,
            Room.number,
            PlaceBuilding.name,
            Room.building_id,
        )
        .join(ServiceCategory, WorkOrder.category_id == ServiceCategory.id)
        .outerjoin(ServiceStaff, WorkOrder.staff_id == ServiceStaff.id)
        .outerjoin(Room, WorkOrder.room_id == Room.id)
        .outerjoin(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .outerjoin(PlaceBuilding, WorkOrder.place_building_id == PlaceBuilding.id)
    )
    return query


def _in_scope(query: RowsQuery, actor: Actor) -> RowsQuery:
    butler = own_butler(actor)
    if butler is None:
        return query
    no_place = WorkOrder.place_building_id.is_(None)
    return query.where(
        or_(
            PlaceBuilding.butler_id == butler,
            no_place & (Building.butler_id == butler),
            no_place & WorkOrder.room_id.is_(None),
        )
    )


def _row(found: Any, now: datetime) -> OrderRow:
    order, category, staff, building, unit, room, place_building, room_building = found
    code = room_code(building, unit, room) if room is not None else ""
    place = " ".join(part for part in (place_building, order.place) if part)
    running = running_clock(order.status, promise_of(order), times_of(order), now)
    stage, reading_ = running if running is not None else (None, None)
    return OrderRow(
        id=order.id,
        number=order.number,
        kind=order.kind,
        channel=order.channel,
        category=category,
        urgency=order.urgency,
        status=order.status,
        paused=order.paused_at is not None,
        room_id=order.room_id,
        room_code=code,
        where=place or code,
        building_id=order.place_building_id or room_building,
        caller=_caller(order),
        description=order.description,
        staff=staff or "",
        team=order.team,
        taken_at=order.taken_at,
        taken_by=order.taken_by,
        stage=stage,
        due_at=reading_.due_at if reading_ else None,
        light=reading_.light if reading_ else None,
        remaining=reading_.remaining if reading_ else None,
        failed_callbacks=order.failed_callbacks,
        anonymous=order.anonymous,
    )


def _caller(order: WorkOrder) -> str:
    if order.anonymous:
        return "匿名"
    return " ".join(part for part in (order.caller_name, mask_phone(order.caller_phone)) if part)


def board(store: Store, actor: Actor, now: datetime | None = None) -> list[OrderRow]:
    """Every open order, what is due first at the top, paused ones and those with
    nothing due after them; each with its clock."""
    require(actor, PERMISSION)
    now = now or clock.utc_now()
    with reading(store) as session:
        query = _in_scope(_rows_query().where(WorkOrder.status != Status.CLOSED.value), actor)
        query = query.order_by(WorkOrder.due_at.is_(None), WorkOrder.due_at, WorkOrder.id)
        return [_row(found, now) for found in session.execute(query)]


def callback_list(store: Store, actor: Actor, now: datetime | None = None) -> list[OrderRow]:
    """Finished orders owed a callback, by the callback's due time."""
    require(actor, PERMISSION)
    now = now or clock.utc_now()
    with reading(store) as session:
        query = _in_scope(
            _rows_query().where(
                WorkOrder.status == Status.FINISHED, WorkOrder.callback_minutes.is_not(None)
            ),
            actor,
        ).order_by(WorkOrder.due_at, WorkOrder.id)
        return [_row(found, now) for found in session.execute(query)]


def list_orders(
    store: Store,
    actor: Actor,
    *,
    open_only: bool = False,
    overdue_only: bool = False,
    kind: Kind | None = None,
    room_id: int | None = None,
    limit: int = 500,
    now: datetime | None = None,
) -> list[OrderRow]:
    """Orders newest first, or (open or overdue) by what is due first."""
    require(actor, PERMISSION)
    now = now or clock.utc_now()
    with reading(store) as session:
        query = _in_scope(_rows_query(), actor)
        if kind is not None:
            query = query.where(WorkOrder.kind == kind)
        if room_id is not None:
            query = query.where(WorkOrder.room_id == room_id)
        if open_only or overdue_only:
            query = query.where(WorkOrder.status != Status.CLOSED.value)
            query = query.order_by(WorkOrder.due_at.is_(None), WorkOrder.due_at, WorkOrder.id)
        else:
            query = query.order_by(WorkOrder.taken_at.desc(), WorkOrder.id.desc())
        if overdue_only:  # late now: due before now (a paused order is not running late)
            query = query.where(WorkOrder.due_at < now)
        rows = [_row(found, now) for found in session.execute(query.limit(limit))]
    return [r for r in rows if r.overdue] if overdue_only else rows


def find_number(store: Store, actor: Actor, number: str) -> int:
    """The id of the order numbered `number`, as typed: GD-2612-0001, gd26120001…"""
    wanted = parse_order_number(number)
    with reading(store) as session:
        order_id = session.scalar(select(WorkOrder.id).where(WorkOrder.number == wanted))
        if order_id is None:
            raise NotFound(f"没有编号为 {wanted} 的工单。")
        check_scope(session, actor, load(session, order_id))
        return order_id


def order_facts(store: Store, actor: Actor, order_id: int) -> OrderFacts:
    """The order with its caller, work, callback and steps; the caller's phone masked
    unless the actor may see phones whole (as the household file: a butler in his own
    buildings, a supervisor)."""
    require(actor, PERMISSION)
    now = clock.utc_now()
    with reading(store) as session:
        order = load(session, order_id)
        check_scope(session, actor, order)
        found = session.execute(_rows_query().where(WorkOrder.id == order_id)).one()
        whole = may(actor, Permission.REVEAL_PERSONAL_DATA, _butler_of(session, order))
        return OrderFacts(
            row=_row(found, now),
            caller_name=order.caller_name,
            caller_phone=order.caller_phone if whole else mask_phone(order.caller_phone),
            anonymous=order.anonymous,
            appointment_from=order.appointment_from,
            appointment_to=order.appointment_to,
            arrive_minutes=order.arrive_minutes,
            finish_minutes=order.finish_minutes,
            callback_minutes=order.callback_minutes,
            arrived_at=order.arrived_at,
            finished_at=order.finished_at,
            work_done=order.work_done,
            materials=order.materials,
            called_back_at=order.called_back_at,
            scores=_scores(order),
            satisfied=order.satisfied,
            owner_words=order.owner_words,
            closed_at=order.closed_at,
            reopened=order.reopened,
            events=_events(session, order_id),
            charges=charges_of(session, order_id),
            photos=photos_of(session, order_id),
            repeats=repeats_of(session, order),
            visits=_visits(session, order_id),
            complaint=complaint_facts_of(session, order) if order.kind == Kind.COMPLAINT else None,
        )


ANSWERING = (Status.ACCEPTED, Status.DISPATCHED, Status.ARRIVED)  # a complaint not yet answered


def complaint_facts_of(session: Session, order: WorkOrder) -> ComplaintFacts:
    staff = session.get(ServiceStaff, order.staff_id) if order.staff_id else None
    answering = order.status in ANSWERING and order.due_stage == Stage.FINISH
    replied = order.status not in ANSWERING and order.finished_at is not None
    return ComplaintFacts(
        department=order.team,
        handler=staff.name if staff is not None else "",
        deadline=order.due_at if answering else None,
        reply=order.work_done if replied else "",
        replied_at=order.finished_at if replied else None,
        replied_by=order.replier if replied else "",
        supervised_at=order.supervised_at,
        supervised_by=order.supervised_by,
        anonymous=order.anonymous,
    )


def _visits(session: Session, order_id: int) -> tuple[OrderVisitRow, ...]:
    found = session.scalars(
        select(Visit).where(Visit.work_order_id == order_id).order_by(Visit.arrived_at)
    )
    return tuple(
        OrderVisitRow(v.id, v.number, v.visitor_name, v.arrived_at, v.left_at) for v in found
    )


def caller_phone_for_worker(store: Store, actor: Actor, order_id: int) -> str:
    """The caller's phone whole, for the worker sent (the 派工单 carries it so he can
    call ahead): whoever may dispatch the order may hand it on."""
    require(actor, PERMISSION)
    with reading(store) as session:
        order = load(session, order_id)
        check_scope(session, actor, order)
        return order.caller_phone


def _butler_of(session: Session, order: WorkOrder) -> int | None:
    """The butler of the order's building (the public place's, else the room's)."""
    building_id = order.place_building_id
    if building_id is None and order.room_id is not None:
        room = session.get(Room, order.room_id)
        building_id = room.building_id if room is not None else None
    building = session.get(Building, building_id) if building_id is not None else None
    return building.butler_id if building is not None else None


def _scores(record: WorkOrder | WorkOrderEvent) -> tuple[int, int, int] | None:
    if record.score_speed is None or record.score_quality is None or record.score_attitude is None:
        return None
    return (record.score_speed, record.score_quality, record.score_attitude)


def _events(session: Session, order_id: int) -> tuple[EventRow, ...]:
    rows = session.execute(
        select(WorkOrderEvent, ServiceStaff.name)
        .outerjoin(ServiceStaff, WorkOrderEvent.staff_id == ServiceStaff.id)
        .where(WorkOrderEvent.work_order_id == order_id)
        .order_by(WorkOrderEvent.id)
    ).all()
    return tuple(
        EventRow(e.step, e.at, e.done_by, staff or "", e.team, e.note, _scores(e))
        for e, staff in rows
    )


def room_orders(store: Store, actor: Actor, room_id: int, limit: int = 200) -> list[OrderRow]:
    """A household file's 工单: the room's orders, newest first."""
    return list_orders(store, actor, room_id=room_id, limit=limit)


def awaiting_worker(store: Store, actor: Actor, room_id: int) -> list[OrderRow]:
    """The room's repairs dispatched and not yet arrived at: the orders a repair
    worker signing in at the gate for this room may have come for."""
    return [
        r
        for r in list_orders(store, actor, room_id=room_id, open_only=True)
        if r.kind.is_repair and r.status == Status.DISPATCHED and not r.paused
    ]
