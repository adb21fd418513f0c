"""Complaints (投诉): the responsible department and person, the deadline, the reply
given to the complainant, and the supervisor's handling of the overdue ones.

The responsible department is a Team (工程/保洁/秩序/绿化/客服): the staff register is
kept by team, a category names the team usually sent, and the responsible person must
belong to it, so a second list of departments would only drift from the register. The
department and person are the order's assignment: a complaint taken with them is
dispatched to them at once (orders.take_order), and 转单 moves it on.

A complaint's deadline is its reply promise: the category's by default; a supervisor
may set another at intake or later (never in the past), each change a recorded step
(改期限) with its reason. The board's clock and the report's on-time rate run against it.

Escalation is computed: a complaint not yet answered whose deadline has passed is on the
supervisors' list (升级/逾期投诉) until it is answered or given a new deadline. What is
recorded is the supervisor's handling (督办): the note, and any new person or deadline.

An anonymous complaint keeps no caller (orders.take_order refuses a name, phone or
room), owes no callback, and is closed with 匿名投诉，无法回访 recorded as the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from frontdesk.db.models import ServiceStaff, WorkOrder
from frontdesk.db.who import stamp
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.service_desk import (
    Kind,
    Stage,
    Status,
    Step,
    Team,
    deadline_minutes,
)
from frontdesk.domain.text import clean_text
from frontdesk.errors import UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.service_desk.orders import (
    PERMISSION,
    _apply,
    _assign,
    _record,
    _reported,
    _step,
    check_scope,
    load,
    times_of,
)
from frontdesk.services.service_desk.views import (
    ANSWERING,
    ComplaintFacts,
    OrderRow,
    _in_scope,
    _row,
    _rows_query,
    complaint_facts_of,
)
from frontdesk.services.store import Store, reading

SUPERVISOR = Permission.MANAGE_SERVICE_DESK


@dataclass(frozen=True)
class Supervision:
    """What a supervisor does with an overdue complaint (督办): a note always; a new
    responsible person or department and a new deadline (with its reason) if chosen."""

    note: str
    staff_id: int | None = None
    team: Team | None = None
    deadline: datetime | None = None
    deadline_reason: str = ""


@dataclass(frozen=True)
class EscalationRow:
    """An overdue complaint on the supervisors' list."""

    row: OrderRow
    deadline: datetime
    late_by: timedelta
    supervised_at: datetime | None  # taken up since it fell due; None: not yet
    supervised_by: str

    @property
    def supervised(self) -> bool:
        return self.supervised_at is not None


def _complaint(order: WorkOrder, what: str) -> None:
    if order.kind != Kind.COMPLAINT:
        raise UserError(f"不能{what}：{order.number} 是{order.kind.label}，不是投诉")


def reply(
    store: Store,
    actor: Actor,
    order_id: int,
    text: str,
    *,
    replied_by: str = "",
    at: datetime | None = None,
) -> None:
    """答复: the reply given to the complainant, when (now or as reported) and by whom
    (as given, else the responsible person, else the clerk recording it). The
    complaint is then finished and owed its callback."""
    text = clean_text(text, "答复内容", 500, required=True)
    replied_by = clean_text(replied_by, "答复人", 40)
    with _step(store, actor, order_id) as (session, order, now):
        _complaint(order, "答复")
        when = _reported(at, now, order.arrived_at or order.started_at, "答复时间")
        _apply(order, Step.FINISH)
        if not replied_by and order.staff_id is not None:
            staff = session.get(ServiceStaff, order.staff_id)
            replied_by = staff.name if staff is not None else ""
        order.finished_at, order.work_done = when, text
        order.replier = replied_by or actor.display_name
        _record(session, actor, order, Step.FINISH, when, f"答复（{order.replier}）：{text}")


def set_deadline(
    store: Store, actor: Actor, order_id: int, deadline: datetime, reason: str
) -> None:
    """改期限: a supervisor moves an unanswered complaint's deadline, with the reason."""
    require(actor, SUPERVISOR)
    reason = clean_text(reason, "改期限原因", 200, required=True)
    with _step(store, actor, order_id) as (session, order, now):
        _complaint(order, "改期限")
        _move_deadline(session, actor, order, deadline, reason, now)


def supervise(store: Store, actor: Actor, order_id: int, handling: Supervision) -> None:
    """督办: a supervisor takes up an overdue complaint with a note, and may hand it to
    another person or department and give it a new deadline (with the reason)."""
    require(actor, SUPERVISOR)
    note = clean_text(handling.note, "督办意见", 200, required=True)
    reason = clean_text(handling.deadline_reason, "改期限原因", 200)
    if handling.deadline is not None and not reason:
        raise ValidationError("改期限原因", "请填写")
    with _step(store, actor, order_id) as (session, order, now):
        _complaint(order, "督办")
        _apply(order, Step.SUPERVISE, reason=note)
        if order.due_stage != Stage.FINISH or order.due_at is None or order.due_at >= now:
            raise UserError("不能督办：该投诉尚未超过处理期限（可由主管直接改期限或转单）")
        order.supervised_at = now
        stamp(order, "supervised", actor)
        _record(session, actor, order, Step.SUPERVISE, now, note)
        if handling.staff_id is not None or handling.team is not None:
            step = Step.DISPATCH if order.status == Status.ACCEPTED else Step.TRANSFER
            _apply(order, step, reason=note)
            _assign(session, order, handling.staff_id, handling.team)
            _record(session, actor, order, step, now, f"督办改派：{note}")
        if handling.deadline is not None:
            _move_deadline(session, actor, order, handling.deadline, reason, now)


def _move_deadline(
    session: Session,
    actor: Actor,
    order: WorkOrder,
    deadline: datetime,
    reason: str,
    now: datetime,
) -> None:
    _apply(order, Step.DEADLINE, reason=reason)
    times = times_of(order)
    paused = order.paused_seconds
    if order.paused_at is not None:  # the open pause counts too: it is not running time
        paused += int((now - max(order.paused_at, times.clock_start)).total_seconds())
    order.finish_minutes = deadline_minutes(deadline, times.clock_start, paused, now)
    note = f"期限改为 {clock.local_time(deadline, seconds=False)}：{reason}"
    _record(session, actor, order, Step.DEADLINE, now, note)


def escalations(store: Store, actor: Actor, now: datetime | None = None) -> list[EscalationRow]:
    """升级/逾期投诉: unanswered complaints past their deadline (a paused one is not
    running late), the longest overdue first; each says whether a supervisor has taken
    it up since it fell due."""
    require(actor, PERMISSION)
    now = now or clock.utc_now()
    with reading(store) as session:
        query = _in_scope(
            _rows_query().where(
                WorkOrder.status != Status.CLOSED.value,  # as ix_work_order_open_due holds
                WorkOrder.kind == Kind.COMPLAINT,
                WorkOrder.status.in_([s.value for s in ANSWERING]),
                WorkOrder.due_stage == Stage.FINISH,
                WorkOrder.due_at < now,
            ),
            actor,
        ).order_by(WorkOrder.due_at, WorkOrder.id)
        found = session.execute(query).all()
        rows = []
        for result in found:
            order = result[0]
            assert order.due_at is not None  # filtered above
            taken_up = order.supervised_at is not None and order.supervised_at >= order.due_at
            rows.append(
                EscalationRow(
                    row=_row(result, now),
                    deadline=order.due_at,
                    late_by=now - order.due_at,
                    supervised_at=order.supervised_at if taken_up else None,
                    supervised_by=order.supervised_by if taken_up else "",
                )
            )
        return rows


def complaint_facts(store: Store, actor: Actor, order_id: int) -> ComplaintFacts:
    """A complaint's department, person, deadline, reply and 督办."""
    require(actor, PERMISSION)
    with reading(store) as session:
        order = load(session, order_id)
        check_scope(session, actor, order)
        _complaint(order, "查看投诉处理")
        return complaint_facts_of(session, order)
