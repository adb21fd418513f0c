"""Lost property on the home screen and in the shift handover book: counted in SQL
(items still held, those found before the keeping period's start), a few named."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import LostItem
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.shift_log import HandoverItem
from frontdesk.services.access import require
from frontdesk.services.lost_property.settings import lost_property_settings
from frontdesk.services.today.lines import Lead, Severity, TodayLine

TAB = "失物招领"
REGISTER = "失物招领"
DETAILS = 5
HELD = LostItem.claimed_at.is_(None) & LostItem.disposed_at.is_(None)


def _due(session: Session, now: datetime) -> ColumnElement[bool]:
    """Held items found before the first day whose items are still in their period."""
    keep_days = lost_property_settings(session).keep_days
    first_kept = now.astimezone().date() - timedelta(days=keep_days - 1)
    return HELD & (LostItem.found_at < datetime.combine(first_kept, time()).astimezone())


def _count(session: Session, where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(LostItem).where(where)) or 0


def today_lines(db: Database, actor: Actor, now: datetime) -> list[TodayLine]:
    """lost_items_due: items held past the keeping period, for the police or disposal."""
    if not actor.can(Permission.KEEP_COUNTER_REGISTERS):
        return []
    with db.read() as session:
        due = _count(session, _due(session, now))
    text = f"保管期满待移交或处理的失物 {due} 件"
    severity = Severity.WARN if due else Severity.NORMAL
    return [TodayLine("lost_items_due", due, text, severity, Lead("counter", TAB))]


def handover_item(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """Found items held at the office; the oldest (past their period first) by name."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        held, due = _count(session, HELD), _count(session, _due(session, now))
        oldest = session.execute(
            select(LostItem.number, LostItem.description, LostItem.kept_place)
            .where(HELD)
            .order_by(LostItem.found_at)
            .limit(DETAILS)
        ).all()
    if not held:
        return HandoverItem(REGISTER, 0, "没有保管中的失物")
    return HandoverItem(
        REGISTER,
        held,
        f"保管中的失物 {held} 件，其中保管期满 {due} 件",
        tuple(f"{number} {what}（{where}）" for number, what, where in oldest),
    )
