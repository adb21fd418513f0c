"""Lost property on the home screen and in the shift handover book."""

from __future__ import annotations

from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.domain.lost_property import ItemState
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.shift_log import HandoverItem
from frontdesk.services.access import require
from frontdesk.services.lost_property.items import LostItemRow, held_items, item_rows
from frontdesk.services.today.lines import Lead, Severity, TodayLine

TAB = "失物招领"
REGISTER = "失物招领"
DETAILS = 5


def _held(db: Database, now: datetime) -> list[LostItemRow]:
    with db.read() as session:
        return item_rows(session, held_items(session), now, phones=False)


def today_lines(db: Database, actor: Actor, now: datetime) -> list[TodayLine]:
    """lost_items_due: items held past the keeping period, for the police or disposal."""
    if not actor.can(Permission.KEEP_COUNTER_REGISTERS):
        return []
    due = [r for r in _held(db, now) if r.state == ItemState.DUE]
    text = f"保管期满待移交或处理的失物 {len(due)} 件"
    severity = Severity.WARN if due else Severity.NORMAL
    return [TodayLine("lost_items_due", len(due), text, severity, Lead("counter", TAB))]


def handover_item(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """Found items held at the office, those past their keeping period first."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    rows = _held(db, now)
    if not rows:
        return HandoverItem(REGISTER, 0, "没有保管中的失物")
    due = [r for r in rows if r.state == ItemState.DUE]
    rows.sort(key=lambda r: r.state != ItemState.DUE)
    return HandoverItem(
        REGISTER,
        len(rows),
        f"保管中的失物 {len(rows)} 件，其中保管期满 {len(due)} 件",
        tuple(f"{r.number} {r.description}（{r.kept_place}）" for r in rows[:DETAILS]),
    )
