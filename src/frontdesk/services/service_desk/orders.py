"""Work orders (工单) through their life: taken at the desk (首问负责: the clerk who
took it owns it until it is handed on), dispatched to a person or a team, transferred,
returned to the desk, arrived, paused and resumed, finished, called back, closed and
reopened. Every step goes through domain.service_desk.advance (the one state machine)
and is recorded as a work_order_event; the audit log records each row written.

Each step also moves the order's clock: `due_at` and `due_stage` name the promise now
running and when it falls due (NULL while paused), what the board sorts by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    Building,
    Room,
    ServiceCategory,
    ServiceStaff,
    WorkOrder,
    WorkOrderEvent,
)
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain import clock
from frontdesk.domain.appointments import FIELD as SLOT_FIELD
from frontdesk.domain.order_numbers import count_of, month_prefix, order_number
from frontdesk.domain.order_photos import PhotoStage
from frontdesk.domain.phone import phone_key
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.service_desk import (
    REPEAT_DAYS,
    Channel,
    Kind,
    OrderState,
    OrderTimes,
    Promise,
    Status,
    Step,
    Team,
    Urgency,
    advance,
    check_scores,
    close_reason,
    deadline_minutes,
    is_satisfied,
    promise_for,
    running_clock,
)
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, PermissionDenied, ValidationError
from frontdesk.services.scope import covers
from frontdesk.services.service_desk.photo_files import add_photo_rows, stage_photos
from frontdesk.services.service_desk.settings import promises_of
from frontdesk.services.store import Store, reading, writing

PERMISSION = Permission.TAKE_WORK_ORDERS


@dataclass(frozen=True)
class OrderInput:
    """What the desk takes down. Where: `room_id` (an in-home repair's room, or the
    resident's room who called), or a public place (`place_building_id` and/or
    `place`: floor, area). Who: a resident by room, or anyone by name and phone; an
    anonymous complaint, suggestion or praise keeps no one."""

    kind: Kind
    channel: Channel
    category_id: int
    description: str
    urgency: Urgency = Urgency.NORMAL
    room_id: int | None = None
    place_building_id: int | None = None
    place: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    anonymous: bool = False
    # a complaint: the responsible department and person (it is dispatched to them at
    # once) and, set by a supervisor, a deadline other than the category's promise
    department: Team | None = None
    handler_id: int | None = None
    deadline: datetime | None = None
    appointment_from: datetime | None = None  # in-home work: the slot agreed
    appointment_to: datetime | None = None
    photos: tuple[Path, ...] = ()  # saved with the order, in its transaction


@dataclass(frozen=True)
class RepeatRow:
    """An earlier order of the same room, or of the same public place and category,
    within REPEAT_DAYS: shown at intake."""

    order_id: int
    number: str
    kind: Kind
    category: str
    status: Status
    taken_at: datetime
    description: str


@dataclass(frozen=True)
class Taken:
    order_id: int
    number: str
    repeats: tuple[RepeatRow, ...]


@dataclass(frozen=True)
class CallbackInput:
    """A callback that reached the owner: three scores 1–5 (响应速度, 处理质量, 服务态度)
    and the owner's words; any score of 不满意 or worse reopens the order."""

    speed: int
    quality: int
    attitude: int
    words: str = ""


_ANONYMOUS_KINDS = frozenset({Kind.COMPLAINT, Kind.SUGGESTION, Kind.PRAISE})


# intake -----------------------------------------------------------------------------


def take_order(store: Store, actor: Actor, data: OrderInput) -> Taken:
    """受理: the order with its number, promises and running clock; the earlier orders
    it repeats come back with it for the desk to see."""
    description = clean_text(data.description, "问题描述", 500, required=True)
    place = clean_text(data.place, "位置", 60)
    name = clean_name(data.caller_name, "联系人", 40)
    phone = phone_key(data.caller_phone, "联系电话") if data.caller_phone.strip() else ""
    if data.anonymous:
        if data.kind not in _ANONYMOUS_KINDS:
            raise ValidationError("匿名", f"{data.kind.label}不能匿名受理")
        if name or phone or data.room_id is not None:
            raise ValidationError("匿名", "匿名工单不记录联系人、电话或房号")
    elif data.room_id is None and not phone and data.channel != Channel.PATROL:
        raise ValidationError("联系电话", "请选择来电业主的房屋，或填写联系电话")
    if data.kind == Kind.REPAIR_HOME and data.room_id is None:
        raise ValidationError("报修房屋", "户内报修请选择房屋")
    if data.kind == Kind.REPAIR_PUBLIC and data.place_building_id is None and not place:
        raise ValidationError("位置", "公区报修请填写楼栋或位置（楼层、区域）")
    now = clock.utc_now()
    _check_appointment(data, now)
    _check_complaint(actor, data)
    staged = stage_photos(store, data.photos)
    with writing(store, actor, PERMISSION) as session:
        category = session.get(ServiceCategory, data.category_id)
        if category is None or not category.active:
            raise ValidationError("类别", "请从列表中选择一个类别")
        _check_place(session, actor, data.room_id, data.place_building_id)
        promise = promise_for(
            data.kind, data.urgency, promises_of(category), anonymous=data.anonymous
        )
        order = WorkOrder(
            number=_next_number(session, now),
            kind=data.kind,
            channel=data.channel,
            urgency=data.urgency,
            category_id=category.id,
            status=Status.ACCEPTED,
            room_id=data.room_id,
            place_building_id=data.place_building_id,
            place=place,
            caller_name=name,
            caller_phone=phone,
            anonymous=data.anonymous,
            description=description,
            appointment_from=data.appointment_from,
            appointment_to=data.appointment_to,
            arrive_minutes=promise.arrive_minutes,
            finish_minutes=promise.finish_minutes,
            callback_minutes=promise.callback_minutes,
            started_at=now,
            paused_seconds=0,
            taken_at=now,
            failed_callbacks=0,
            reopened=0,
            **by_columns("taken", actor),
        )
        _refresh_clock(order, now)
        session.add(order)
        session.flush()
        _record(session, actor, order, Step.TAKE, now)
        add_photo_rows(session, actor, order, staged, PhotoStage.INTAKE)
        _complaint_at_intake(session, actor, order, data, now)
        earlier = repeats_of(session, order)
        return Taken(order.id, order.number, earlier)


def _check_complaint(actor: Actor, data: OrderInput) -> None:
    complaint = data.department is not None or data.handler_id is not None or data.deadline
    if complaint and data.kind != Kind.COMPLAINT:
        raise ValidationError("责任部门", "只有投诉在受理时指定责任部门、责任人和处理期限")
    if data.deadline is not None and not actor.can(Permission.MANAGE_SERVICE_DESK):
        raise PermissionDenied("投诉的处理期限只有主管可以改动（默认按类别的承诺时限）。")


def _complaint_at_intake(
    session: Session, actor: Actor, order: WorkOrder, data: OrderInput, now: datetime
) -> None:
    """A complaint taken with its deadline and its responsible department or person:
    the deadline recorded as a step, and the order dispatched to them at once."""
    if data.deadline is not None:
        order.finish_minutes = deadline_minutes(data.deadline, now, 0, now)
        _record(session, actor, order, Step.DEADLINE, now, "受理时约定")
    if data.department is not None or data.handler_id is not None:
        _apply(order, Step.DISPATCH)
        _assign(session, order, data.handler_id, data.department)
        _record(session, actor, order, Step.DISPATCH, now, "受理时指定责任部门")
    _refresh_clock(order, now)


def _check_appointment(data: OrderInput, now: datetime) -> None:
    """The slot, under the name the intake and the CLI read it by (预约时段)."""
    start, end = data.appointment_from, data.appointment_to
    if start is None and end is None:
        return
    if data.kind != Kind.REPAIR_HOME:
        raise ValidationError(SLOT_FIELD, "只有户内报修需要预约上门时间")
    if start is None or end is None:
        raise ValidationError(SLOT_FIELD, "请填写预约时段的开始和结束")
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationError(SLOT_FIELD, "请写明时区")
    if end <= start:
        raise ValidationError(SLOT_FIELD, "结束应晚于开始")
    if end <= now:
        raise ValidationError(SLOT_FIELD, "预约时段已经过去")


def _check_place(
    session: Session, actor: Actor, room_id: int | None, building_id: int | None
) -> None:
    """The room and the building are found, and the order's building (the public
    place's, else the room's) is within a butler's scope."""
    room = None
    if room_id is not None:
        room = session.get(Room, room_id)
        if room is None:
            raise ValidationError("房屋", "请从查找结果中选择一户（该房屋不存在）")
    if building_id is not None and session.get(Building, building_id) is None:
        raise ValidationError("楼栋", "该楼栋不存在")
    _check_building(session, actor, building_id or (room.building_id if room else None))


def _check_building(session: Session, actor: Actor, building_id: int | None) -> None:
    building = session.get(Building, building_id) if building_id is not None else None
    if building is not None and not covers(actor, building.butler_id):
        raise PermissionDenied(
            f"管家只能办理自己负责楼栋的工单（{building.name}不在您的负责范围）。"
        )


def _next_number(session: Session, now: datetime) -> str:
    """GD-2612-0001: numbered without gaps within the month it was taken (local time);
    the longest number is the latest once a month passes 9999 orders."""
    in_turn(session, "work_order")
    prefix = month_prefix(now)
    last = session.scalar(
        select(WorkOrder.number)
        .where(WorkOrder.number.like(f"{prefix}%"))
        .order_by(func.length(WorkOrder.number).desc(), WorkOrder.number.desc())
        .limit(1)
    )
    return order_number(prefix, count_of(last, prefix) + 1 if last else 1)


def repeats_of(session: Session, order: WorkOrder) -> tuple[RepeatRow, ...]:
    """The orders before `order` within REPEAT_DAYS of the same room, or of the same
    public place (building and place) and category."""
    since = order.taken_at - timedelta(days=REPEAT_DAYS)
    same: list[ColumnElement[bool]] = []
    if order.room_id is not None:
        same.append(WorkOrder.room_id == order.room_id)
    if order.place_building_id is not None or order.place:
        building = (
            WorkOrder.place_building_id.is_(None)
            if order.place_building_id is None
            else WorkOrder.place_building_id == order.place_building_id
        )
        same.append(
            building
            & (WorkOrder.place == order.place)
            & (WorkOrder.category_id == order.category_id)
        )
    if not same:
        return ()
    rows = session.execute(
        select(WorkOrder, ServiceCategory.name)
        .join(ServiceCategory, WorkOrder.category_id == ServiceCategory.id)
        .where(
            or_(*same),
            WorkOrder.taken_at >= since,
            WorkOrder.id != order.id,
        )
        .order_by(WorkOrder.taken_at.desc())
    ).all()
    return tuple(
        RepeatRow(o.id, o.number, o.kind, name, o.status, o.taken_at, o.description)
        for o, name in rows
    )


def repeats(store: Store, order_id: int) -> tuple[RepeatRow, ...]:
    """The earlier orders this one repeats (for its file)."""
    with reading(store) as session:
        return repeats_of(session, load(session, order_id))


# the steps --------------------------------------------------------------------------


def dispatch(
    store: Store,
    actor: Actor,
    order_id: int,
    *,
    staff_id: int | None = None,
    team: Team | None = None,
    note: str = "",
) -> None:
    """派单 to a person (and their team) or to a team as a whole."""
    note = clean_text(note, "派单说明", 200)
    with _step(store, actor, order_id) as (session, order, now):
        _apply(order, Step.DISPATCH)
        _assign(session, order, staff_id, team)
        _record(session, actor, order, Step.DISPATCH, now, note)


def transfer(
    store: Store,
    actor: Actor,
    order_id: int,
    reason: str,
    *,
    staff_id: int | None = None,
    team: Team | None = None,
) -> None:
    """转单 to another person or team, with the reason."""
    reason = clean_text(reason, "转单原因", 200)
    with _step(store, actor, order_id) as (session, order, now):
        _apply(order, Step.TRANSFER, reason=reason)
        _assign(session, order, staff_id, team)
        _record(session, actor, order, Step.TRANSFER, now, reason)


def return_to_desk(store: Store, actor: Actor, order_id: int, reason: str) -> None:
    """退单: the worker hands the order back to the desk, with the reason."""
    reason = clean_text(reason, "退单原因", 200)
    with _step(store, actor, order_id) as (session, order, now):
        _apply(order, Step.RETURN, reason=reason)
        order.staff_id, order.team, order.arrived_at = None, None, None
        _record(session, actor, order, Step.RETURN, now, reason)


def arrive(
    store: Store, actor: Actor, order_id: int, at: datetime | None = None, note: str = ""
) -> None:
    """到场, now or at the time the worker reports; `note` says how it is known (the
    worker's entry in the visitor register: 访客登记 FK…)."""
    note = clean_text(note, "到场说明", 200)
    with _step(store, actor, order_id) as (session, order, now):
        when = _reported(at, now, order.started_at, "到场时间")
        _apply(order, Step.ARRIVE)
        order.arrived_at = when
        _record(session, actor, order, Step.ARRIVE, when, note)


def pause(store: Store, actor: Actor, order_id: int, reason: str) -> None:
    """暂停 (waiting for the owner, for parts): the clock stops."""
    reason = clean_text(reason, "暂停原因", 200)
    with _step(store, actor, order_id) as (session, order, now):
        _apply(order, Step.PAUSE, reason=reason)
        order.paused_at = now
        _record(session, actor, order, Step.PAUSE, now, reason)


def resume(store: Store, actor: Actor, order_id: int, note: str = "") -> None:
    """恢复: the clock runs on; the paused time does not count against the promise."""
    note = clean_text(note, "说明", 200)
    with _step(store, actor, order_id) as (session, order, now):
        _apply(order, Step.RESUME)
        assert order.paused_at is not None  # advance refuses to resume an order not paused
        # only the paused time after the clock's start counts (an appointment starts it)
        counted = now - max(order.paused_at, times_of(order).clock_start)
        order.paused_seconds += max(0, int(counted.total_seconds()))
        order.paused_at = None
        _record(session, actor, order, Step.RESUME, now, note)


def finish(
    store: Store,
    actor: Actor,
    order_id: int,
    work_done: str,
    materials: str = "",
    at: datetime | None = None,
) -> None:
    """完工: what was done (for a complaint or enquiry, the reply given), materials used."""
    work_done = clean_text(work_done, "处理结果", 500, required=True)
    materials = clean_text(materials, "使用材料", 500)
    with _step(store, actor, order_id) as (session, order, now):
        when = _reported(at, now, order.arrived_at or order.started_at, "完工时间")
        _apply(order, Step.FINISH)
        order.finished_at, order.work_done, order.materials = when, work_done, materials
        note = work_done + (f"；材料：{materials}" if materials else "")
        _record(session, actor, order, Step.FINISH, when, note)


def callback(store: Store, actor: Actor, order_id: int, result: CallbackInput) -> bool:
    """回访 that reached the owner: the scores and words kept; an unsatisfied owner's
    order goes back to the desk (reopened). Returns whether the owner was satisfied."""
    scores = check_scores([result.speed, result.quality, result.attitude])
    words = clean_text(result.words, "业主意见", 500)
    satisfied = is_satisfied(scores)
    with _step(store, actor, order_id) as (session, order, now):
        _apply(order, Step.CALLBACK, satisfied=satisfied)
        order.called_back_at = now
        order.score_speed, order.score_quality, order.score_attitude = scores
        order.satisfied, order.owner_words = satisfied, words
        event = _record(session, actor, order, Step.CALLBACK, now, words)
        event.score_speed, event.score_quality, event.score_attitude = scores
        if not satisfied:
            _restart(order, now)
            _record(session, actor, order, Step.REOPEN, now, "回访不满意，重新处理")
    return satisfied


def callback_failed(store: Store, actor: Actor, order_id: int, note: str = "") -> int:
    """A callback attempt that reached no one (未接通); returns the attempts so far."""
    note = clean_text(note, "说明", 200)
    with _step(store, actor, order_id) as (session, order, now):
        _apply(order, Step.CALLBACK_FAILED)
        _record(session, actor, order, Step.CALLBACK_FAILED, now, note)
        return order.failed_callbacks


def close(store: Store, actor: Actor, order_id: int, reason: str = "") -> None:
    """关闭; without a callback only with the reason (a complaint: after three failed
    attempts; an anonymous complaint, which no one can be called back on, records
    匿名投诉，无法回访 when no other reason is given)."""
    reason = clean_text(reason, "未回访关闭原因", 200)
    with _step(store, actor, order_id) as (session, order, now):
        reason = close_reason(order.kind, order.anonymous, reason)
        _apply(order, Step.CLOSE, reason=reason)
        order.closed_at = now
        _record(session, actor, order, Step.CLOSE, now, reason)


def reopen(store: Store, actor: Actor, order_id: int, reason: str) -> None:
    """重新打开 a finished, called-back or closed order: back to the desk, a new clock."""
    reason = clean_text(reason, "重新打开原因", 200)
    with _step(store, actor, order_id) as (session, order, now):
        _apply(order, Step.REOPEN, reason=reason)
        _restart(order, now)
        _record(session, actor, order, Step.REOPEN, now, reason)


# helpers ----------------------------------------------------------------------------


class _step:  # noqa: N801 - used as a context manager like `writing`
    """The order loaded for a step within the actor's scope; its clock refreshed after."""

    def __init__(self, store: Store, actor: Actor, order_id: int) -> None:
        self._writing = writing(store, actor, PERMISSION)
        self._actor, self._order_id = actor, order_id

    def __enter__(self) -> tuple[Session, WorkOrder, datetime]:
        session = self._writing.__enter__()
        self._order = load(session, self._order_id)
        check_scope(session, self._actor, self._order)
        self._now = clock.utc_now()
        return session, self._order, self._now

    def __exit__(self, *exc: object) -> bool | None:
        if exc[0] is None:
            _refresh_clock(self._order, self._now)
        return self._writing.__exit__(*exc)  # type: ignore[arg-type]


def load(session: Session, order_id: int) -> WorkOrder:
    order = session.get(WorkOrder, order_id)
    if order is None:
        raise NotFound("该工单不存在。")
    return order


def check_scope(session: Session, actor: Actor, order: WorkOrder) -> None:
    """A butler acts on the orders of his buildings (a public place's building, else the
    room's) and of places in no building."""
    building_id = order.place_building_id
    if building_id is None and order.room_id is not None:
        room = session.get(Room, order.room_id)
        building_id = room.building_id if room is not None else None
    _check_building(session, actor, building_id)


def _apply(order: WorkOrder, step: Step, *, reason: str = "", satisfied: bool = True) -> None:
    state = advance(
        OrderState(
            order.kind,
            order.status,
            order.paused_at is not None,
            order.failed_callbacks,
            order.anonymous,
        ),
        step,
        reason=reason,
        satisfied=satisfied,
    )
    order.status, order.failed_callbacks = state.status, state.failed_callbacks


def _assign(session: Session, order: WorkOrder, staff_id: int | None, team: Team | None) -> None:
    if staff_id is None and team is None:
        raise ValidationError("派给", "请选择处理人或班组")
    if staff_id is not None:
        staff = session.get(ServiceStaff, staff_id)
        if staff is None or not staff.active:
            raise ValidationError("处理人", "请从人员名单中选择")
        if not staff.on_duty:
            raise ValidationError("处理人", f"{staff.name}不在岗，请派给在岗人员或班组")
        if team is not None and team != staff.team:
            raise ValidationError("班组", f"{staff.name}属于{staff.team.label}班组")
        team = staff.team
    order.staff_id, order.team = staff_id, team


def _restart(order: WorkOrder, now: datetime) -> None:
    """Back at the desk with a fresh clock: the earlier work stays in the events."""
    order.status = Status.ACCEPTED
    order.started_at, order.paused_at, order.paused_seconds = now, None, 0
    order.staff_id, order.team = None, None
    order.arrived_at = order.finished_at = order.called_back_at = order.closed_at = None
    order.failed_callbacks = 0
    order.reopened += 1


def _reported(at: datetime | None, now: datetime, earliest: datetime, field: str) -> datetime:
    """A time the worker reports afterwards: not in the future, not before `earliest`."""
    if at is None:
        return now
    if at.tzinfo is None:
        raise ValidationError(field, "请写明时区")
    if at > now:
        raise ValidationError(field, "不能晚于现在")
    if at < earliest:
        raise ValidationError(field, f"不能早于 {clock.local_time(earliest, seconds=False)}")
    return at


def _record(
    session: Session, actor: Actor, order: WorkOrder, step: Step, at: datetime, note: str = ""
) -> WorkOrderEvent:
    event = WorkOrderEvent(
        work_order_id=order.id,
        room_id=order.room_id,
        step=step,
        at=at,
        staff_id=order.staff_id if step in (Step.DISPATCH, Step.TRANSFER) else None,
        team=order.team if step in (Step.DISPATCH, Step.TRANSFER) else None,
        note=note,
    )
    stamp(event, "done", actor)
    session.add(event)
    return event


def promise_of(order: WorkOrder) -> Promise:
    return Promise(order.arrive_minutes, order.finish_minutes, order.callback_minutes)


def times_of(order: WorkOrder) -> OrderTimes:
    appointment = (
        (order.appointment_from, order.appointment_to)
        if order.appointment_from is not None and order.appointment_to is not None
        else None
    )
    return OrderTimes.stored(
        order.started_at,
        order.arrived_at,
        order.finished_at,
        order.paused_seconds,
        order.paused_at,
        appointment,
    )


def _refresh_clock(order: WorkOrder, now: datetime) -> None:
    running = running_clock(order.status, promise_of(order), times_of(order), now)
    if running is None:
        order.due_stage, order.due_at = None, None
    else:
        order.due_stage, order.due_at = running[0], running[1].due_at
