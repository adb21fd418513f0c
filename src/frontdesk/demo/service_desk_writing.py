"""Demo work orders, the writing: the planned lives before the last hours in bulk
(checked by the state machine, sealed by one audit entry), the recent ones and the
board's cases through the services step by step (see demo/service_desk.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.models import WorkOrder, WorkOrderEvent
from frontdesk.db.who import by_columns
from frontdesk.demo.service_desk_plan import SERVICE_HOURS, Desk, Life, promise_of
from frontdesk.demo.timeline import bulk_insert, happened_at
from frontdesk.domain.order_numbers import month_prefix, order_number
from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.domain.service_desk import (
    OrderState,
    OrderTimes,
    Promise,
    Status,
    Step,
    advance,
    is_satisfied,
    running_clock,
)
from frontdesk.services.service_desk import complaints, orders
from frontdesk.services.service_desk.orders import CallbackInput

Row = dict[str, Any]


def write_orders(desk: Desk, lives: list[Life]) -> int:
    """The history before the last SERVICE_HOURS in one bulk batch; then the orders
    since, and the board's cases, through the services: every step of them in time
    order, each at its time and flushed there, so its audit entries carry that time
    and the actor of the session it runs in (one per run of steps by the same person:
    a commit per step would be most of this part's time). The numbers run with the
    time taken. Returns how many orders went through the services."""
    cutoff = min(
        [desk.now - timedelta(hours=SERVICE_HOURS)]
        + [life.taken for life in lives if life.through_services]
    )
    history = [life for life in lives if life.taken < cutoff]
    recent = [life for life in lives if life.taken >= cutoff]
    with desk.db.write(SYSTEM) as session:
        _insert(session, desk, history)
    steps = sorted(
        (at, index, n, step, args)
        for index, life in enumerate(recent)
        for n, (at, step, args) in enumerate(
            [(life.taken, Step.TAKE, {}), *((a, s, x) for a, s, x in life.steps if a <= desk.now)]
        )
    )
    ids: dict[int, int] = {}
    latest = datetime.min.replace(tzinfo=desk.now.tzinfo)
    for actor, run in groupby(steps, key=lambda s: _actor_of(desk, s[3], s[4])):
        with desk.db.write(actor) as session:
            for planned, index, _, step, args in run:
                # Two orders taken in one minute: the set clock ticks on while a step
                # runs, so the second is set a second later to keep their order.
                at = max(planned, latest + timedelta(seconds=1))
                latest = at
                with happened_at(at):
                    if step == Step.TAKE:
                        ids[index] = orders.take_order(session, actor, recent[index].data).order_id
                    else:
                        _service_step(session, actor, ids[index], step, args)
                    session.flush()
    return len(recent)


def _actor_of(desk: Desk, step: Step, args: dict[str, Any]) -> Actor:
    """The desk's clerk does every step; the supervisor closes without a callback and
    takes up overdue complaints (督办)."""
    if step == Step.SUPERVISE or (step == Step.CLOSE and args.get("reason")):
        return desk.boss
    return desk.clerk


def _service_step(
    session: Session, actor: Actor, order_id: int, step: Step, args: dict[str, Any]
) -> None:
    if step == Step.DISPATCH:
        staff = args["staff_id"]
        team = None if staff is not None else args["team"]
        orders.dispatch(session, actor, order_id, staff_id=staff, team=team)
    elif step == Step.TRANSFER:
        orders.transfer(session, actor, order_id, args["reason"], staff_id=args["staff_id"])
    elif step == Step.RETURN:
        orders.return_to_desk(session, actor, order_id, args["reason"])
    elif step == Step.ARRIVE:
        orders.arrive(session, actor, order_id)
    elif step == Step.PAUSE:
        orders.pause(session, actor, order_id, args["reason"])
    elif step == Step.RESUME:
        orders.resume(session, actor, order_id, args.get("note", ""))
    elif step == Step.FINISH:
        orders.finish(session, actor, order_id, args["work_done"], args.get("materials", ""))
    elif step == Step.CALLBACK:
        orders.callback(session, actor, order_id, args["result"])
    elif step == Step.CALLBACK_FAILED:
        orders.callback_failed(session, actor, order_id, args.get("note", ""))
    elif step == Step.CLOSE:
        orders.close(session, actor, order_id, args.get("reason", ""))
    elif step == Step.SUPERVISE:
        complaints.supervise(session, actor, order_id, complaints.Supervision(args["note"]))
    else:
        raise ValueError(step)


def _insert(session: Session, desk: Desk, lives: list[Life]) -> None:
    """The history in bulk, numbered in the order taken, sealed by one audit entry."""
    if not lives:
        return
    connection = session.connection()
    first = connection.exec_driver_sql("SELECT max(id) FROM work_order").scalar()
    event_id = int(connection.exec_driver_sql("SELECT max(id) FROM work_order_event").scalar() or 0)
    numbers: dict[str, int] = {}
    rows, events = [], []
    for order_id, life in enumerate(lives, int(first or 0) + 1):
        prefix = month_prefix(life.taken)
        numbers[prefix] = numbers.get(prefix, 0) + 1
        row, steps = _history(desk, life, order_id, order_number(prefix, numbers[prefix]))
        for event in steps:
            event_id += 1
            events.append({"id": event_id, **event})
        rows.append(row)
    bulk_insert(session, WorkOrder, rows)
    bulk_insert(session, WorkOrderEvent, events)
    _seal(session, rows, len(events))


def _seal(session: Session, rows: list[Row], events: int) -> None:
    first, last = rows[0], rows[-1]
    write_entry(
        session.connection(),
        SYSTEM,
        "demo",
        "work_order",
        f"{first['id']}-{last['id']}",
        f"生成演示数据：工单 {len(rows)} 张（{first['number']} 至 {last['number']}），"
        f"处理记录 {events} 条",
    )


def _history(desk: Desk, life: Life, order_id: int, number: str) -> tuple[Row, list[Row]]:
    """The order's row and its events after its steps, as the services would have
    written them: each step checked by the state machine, the clock as it stands now."""
    data, promise = life.data, promise_of(life)
    row: Row = {
        "id": order_id,
        "number": number,
        "kind": data.kind.value,
        "channel": data.channel.value,
        "urgency": data.urgency.value,
        "category_id": data.category_id,
        "status": Status.ACCEPTED.value,
        "room_id": data.room_id,
        "place_building_id": data.place_building_id,
        "place": data.place,
        "caller_name": data.caller_name,
        "caller_phone": data.caller_phone,
        "anonymous": data.anonymous,
        "description": data.description,
        "appointment_from": None,
        "appointment_to": None,
        "arrive_minutes": promise.arrive_minutes,
        "finish_minutes": promise.finish_minutes,
        "callback_minutes": promise.callback_minutes,
        "started_at": life.taken,
        "paused_at": None,
        "paused_seconds": 0,
        "due_at": None,
        "due_stage": None,
        "taken_at": life.taken,
        **by_columns("taken", desk.clerk),
        "staff_id": None,
        "team": None,
        "arrived_at": None,
        "finished_at": None,
        "work_done": "",
        "materials": "",
        "failed_callbacks": 0,
        "called_back_at": None,
        "score_speed": None,
        "score_quality": None,
        "score_attitude": None,
        "satisfied": None,
        "owner_words": "",
        "closed_at": None,
        "reopened": 0,
    }
    events = [_event(desk, row, Step.TAKE, life.taken, desk.clerk)]
    state = OrderState(data.kind, anonymous=data.anonymous)
    for at, step, args in life.steps:
        if at > desk.now:  # not happened yet: the order stands where now finds it
            break
        reason = args.get("reason", "")
        result: CallbackInput | None = args.get("result")
        scores = (result.speed, result.quality, result.attitude) if result else (5, 5, 5)
        state = advance(state, step, reason=reason, satisfied=is_satisfied(scores))
        row["status"], row["failed_callbacks"] = state.status.value, state.failed_callbacks
        actor = desk.boss if step == Step.CLOSE and reason else desk.clerk
        note = reason or args.get("note", "")
        if step in (Step.DISPATCH, Step.TRANSFER):
            team = args.get("team") or life.category.team
            row["staff_id"], row["team"] = args["staff_id"], team.value
        elif step == Step.RETURN:
            row["staff_id"] = row["team"] = row["arrived_at"] = None
        elif step == Step.ARRIVE:
            row["arrived_at"] = at
        elif step == Step.PAUSE:
            row["paused_at"] = at
        elif step == Step.RESUME:
            start = row["started_at"]
            row["paused_seconds"] += max(
                0, int((at - max(row["paused_at"], start)).total_seconds())
            )
            row["paused_at"] = None
        elif step == Step.FINISH:
            row["finished_at"], row["work_done"] = at, args["work_done"]
            row["materials"] = args.get("materials", "")
            note = row["work_done"] + (f"；材料：{row['materials']}" if row["materials"] else "")
        elif step == Step.CLOSE:
            row["closed_at"] = at
        event = _event(desk, row, step, at, actor, note)
        events.append(event)
        if step == Step.CALLBACK and result is not None:
            row["called_back_at"] = at
            row["score_speed"], row["score_quality"], row["score_attitude"] = scores
            row["satisfied"], row["owner_words"] = is_satisfied(scores), result.words
            event["note"] = result.words
            event["score_speed"], event["score_quality"], event["score_attitude"] = scores
            if not is_satisfied(scores):
                _restart(row, at)
                events.append(_event(desk, row, Step.REOPEN, at, actor, "回访不满意，重新处理"))
    _clock(row, promise, desk.now)
    return row, events


def _restart(row: Row, at: datetime) -> None:
    """As a reopened order: back at the desk with a fresh clock."""
    row.update(
        status=Status.ACCEPTED.value,
        started_at=at,
        paused_at=None,
        paused_seconds=0,
        staff_id=None,
        team=None,
        arrived_at=None,
        finished_at=None,
        called_back_at=None,
        closed_at=None,
        failed_callbacks=0,
        reopened=row["reopened"] + 1,
    )


def _clock(row: Row, promise: Promise, now: datetime) -> None:
    slot = row["appointment_from"], row["appointment_to"]
    times = OrderTimes.stored(
        row["started_at"],
        row["arrived_at"],
        row["finished_at"],
        row["paused_seconds"],
        row["paused_at"],
        slot if None not in slot else None,
    )
    running = running_clock(Status(row["status"]), promise, times, now)
    if running is not None:
        row["due_stage"], row["due_at"] = running[0].value, running[1].due_at


def _event(desk: Desk, row: Row, step: Step, at: datetime, actor: Actor, note: str = "") -> Row:
    handed = step in (Step.DISPATCH, Step.TRANSFER)
    return {
        "work_order_id": row["id"],
        "room_id": row["room_id"],
        "step": step.value,
        "at": at,
        **by_columns("done", actor),
        "staff_id": row["staff_id"] if handed else None,
        "team": row["team"] if handed else None,
        "note": note,
        "score_speed": None,
        "score_quality": None,
        "score_attitude": None,
    }
