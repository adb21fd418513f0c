"""物业工作月报's page of exceptions (异常情况及处理): the work orders late now, the
period's unsatisfied callbacks, complaints past their deadline, arrears of
six months or more and renovations needing attention, each with its latest
step, read as they stand at the time of the report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    RenovationEvent,
    WorkOrder,
    WorkOrderEvent,
)
from frontdesk.domain import clock
from frontdesk.domain.money import format_yuan
from frontdesk.domain.renovation import event_label
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Step
from frontdesk.domain.service_report import (
    SATISFIED_FROM,
)
from frontdesk.services.arrears.listing import (
    ArrearsRow,
)
from frontdesk.services.database import Database
from frontdesk.services.renovation.views import list_renovations
from frontdesk.services.service_desk.complaints import escalations
from frontdesk.services.service_desk.views import list_orders
from frontdesk.services.store import reading

ARREARS_MONTHS = 6  # arrears this many months old or more are an exception


@dataclass(frozen=True)
class Concern:
    """One exception: what, where, since when, and what is being done (its latest step)."""

    reference: str  # GD-2612-0001, a room code, ZX2611-0003
    what: str
    since: str
    step: str  # 2026-12-01 督办（王主管）：已联系施工方 …, or 尚无处理记录


@dataclass(frozen=True)
class ConcernGroup:
    title: str
    concerns: tuple[Concern, ...]


def concerns(
    db: Database,
    actor: Actor,
    owing: Sequence[ArrearsRow],
    start: datetime,
    end: datetime,
    now: datetime,
) -> tuple[ConcernGroup, ...]:
    """The period's exceptions, each group as it stands at `now`."""
    return (
        _overdue_orders(db, actor, end, now),
        _unsatisfied(db, start, end),
        _complaints(db, actor, end, now),
        _old_arrears(owing),
        _renovations(db, actor),
    )


def _group(title: str, concerns: Sequence[Concern]) -> ConcernGroup:
    return ConcernGroup(title, tuple(concerns))


def _order_steps(session: Session, order_ids: Sequence[int]) -> dict[int, str]:
    """Each order's latest step in words: 2026-12-01 督办（王主管）：note."""
    steps: dict[int, str] = {}
    for start in range(0, len(order_ids), 500):
        chunk = order_ids[start : start + 500]
        latest = (
            select(func.max(WorkOrderEvent.id))
            .where(WorkOrderEvent.work_order_id.in_(chunk))
            .group_by(WorkOrderEvent.work_order_id)
        )
        for order_id, at, step, by, note in session.execute(
            select(
                WorkOrderEvent.work_order_id,
                WorkOrderEvent.at,
                WorkOrderEvent.step,
                WorkOrderEvent.done_by,
                WorkOrderEvent.note,
            ).where(WorkOrderEvent.id.in_(latest))
        ):
            steps[order_id] = _step_text(at, Step(step).label, by, note)
    return steps


def _step_text(at: datetime | date, step: str, by: str, note: str) -> str:
    day = clock.local_time(at, seconds=False)[:10] if isinstance(at, datetime) else f"{at}"
    who = f"（{by}）" if by else ""
    return f"{day} {step}{who}" + (f"：{note.strip()}" if note.strip() else "")


def _overdue_orders(db: Database, actor: Actor, end: datetime, now: datetime) -> ConcernGroup:
    """Orders taken by the period's end and late now."""
    rows = [
        row
        for row in list_orders(db, actor, overdue_only=True, now=now, limit=5000)
        if row.taken_at < end
    ]
    with reading(db) as session:
        steps = _order_steps(session, [row.id for row in rows])
    return _group(
        "超时未办结的工单",
        [
            Concern(
                row.number,
                f"{row.kind.label} {row.category} {row.where}".strip(),
                f"受理 {clock.local_time(row.taken_at, seconds=False)}",
                steps.get(row.id, NO_STEP),
            )
            for row in rows
        ],
    )


NO_STEP = "尚无处理记录"


def _unsatisfied(db: Database, start: datetime, end: datetime) -> ConcernGroup:
    """Callbacks of the period with a score below 4, each with what followed (plain
    columns: a year of them is thousands)."""
    with reading(db) as session:
        found = session.execute(
            select(
                WorkOrderEvent.work_order_id,
                WorkOrderEvent.at,
                WorkOrderEvent.score_speed,
                WorkOrderEvent.score_quality,
                WorkOrderEvent.score_attitude,
                WorkOrder.number,
                WorkOrder.description,
            )
            .join(WorkOrder, WorkOrderEvent.work_order_id == WorkOrder.id)
            .where(
                WorkOrderEvent.step == Step.CALLBACK.value,
                WorkOrderEvent.at >= start,
                WorkOrderEvent.at < end,
                or_(  # not all three 满意 or 非常满意 (all_satisfied)
                    WorkOrderEvent.score_speed < SATISFIED_FROM,
                    WorkOrderEvent.score_quality < SATISFIED_FROM,
                    WorkOrderEvent.score_attitude < SATISFIED_FROM,
                ),
            )
            .order_by(WorkOrderEvent.at)
        ).all()
        steps = _order_steps(session, sorted({row[0] for row in found}))
    return _group(
        "不满意的回访",
        [
            Concern(
                number,
                f"评分 {speed}/{quality}/{attitude}：{description[:40]}",
                f"回访 {clock.local_time(at, seconds=False)}",
                steps.get(order_id, NO_STEP),
            )
            for order_id, at, speed, quality, attitude, number, description in found
        ],
    )


def _complaints(db: Database, actor: Actor, end: datetime, now: datetime) -> ConcernGroup:
    """Complaints taken by the period's end, unanswered past their deadline now."""
    rows = [r for r in escalations(db, actor, now) if r.row.taken_at < end]
    with reading(db) as session:
        steps = _order_steps(session, [r.row.id for r in rows])
    return _group(
        "逾期未答复的投诉",
        [
            Concern(
                r.row.number,
                f"{r.row.category} {r.row.where}".strip(),
                f"期限 {clock.local_time(r.deadline, seconds=False)}",
                steps.get(r.row.id, NO_STEP) + ("" if r.supervised else "（尚未督办）"),
            )
            for r in rows
        ],
    )


def _old_arrears(owing: Sequence[ArrearsRow]) -> ConcernGroup:
    rows = [row for row in owing if row.months >= ARREARS_MONTHS]
    return _group(
        f"欠费 {ARREARS_MONTHS} 个月及以上",
        [
            Concern(
                row.room_code,
                f"欠费 {format_yuan(row.total_fen)} 元，{row.months} 个月",
                f"自 {row.oldest_period}",
                row.last_reminder or "尚未催缴",
            )
            for row in rows
        ],
    )


def _renovations(db: Database, actor: Actor) -> ConcernGroup:
    """Renovations past their end date, or with an inspection node not yet passed
    while past their end, or with a violation past its deadline."""
    today = clock.today()
    rows = [
        r
        for r in list_renovations(db, actor, active_only=True, today=today)
        if r.overdue or r.open_violations
    ]
    with reading(db) as session:
        latest: dict[int, str] = {}
        ids = [r.id for r in rows]
        if ids:
            newest = (
                select(func.max(RenovationEvent.id))
                .where(RenovationEvent.renovation_id.in_(ids))
                .group_by(RenovationEvent.renovation_id)
            )
            for event in session.scalars(
                select(RenovationEvent).where(RenovationEvent.id.in_(newest))
            ):
                latest[event.renovation_id] = _step_text(
                    event.at, event_label(event.kind), event.by, event.note
                )
    concerns = []
    for r in rows:
        what = []
        if r.overdue:
            what.append(f"超过施工期 {-r.days_left} 天")
        if r.nodes_due:
            what.append("待验收：" + "、".join(r.nodes_due))
        if r.open_violations:
            what.append(f"未整改违规 {r.open_violations} 项")
        concerns.append(
            Concern(
                f"{r.number} {r.room_code}",
                "；".join(what),
                f"施工期至 {r.ends_on}",
                latest.get(r.id, NO_STEP),
            )
        )
    return _group("装修逾期、待验收或未整改", concerns)
