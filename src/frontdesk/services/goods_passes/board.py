"""Goods passes on the home screen and in the shift handover book."""

from __future__ import annotations

from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.domain.goods_passes import window_text
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.shift_log import HandoverItem
from frontdesk.services.access import require
from frontdesk.services.goods_passes.passes import GoodsPassRow, open_passes
from frontdesk.services.today.lines import Lead, Severity, TodayLine

TAB = "物品放行"
REGISTER = "物品放行条"
DETAILS = 5


def today_lines(db: Database, actor: Actor, now: datetime) -> list[TodayLine]:
    """goods_passes_open: passes issued whose goods have not gone out yet."""
    if not actor.can(Permission.KEEP_COUNTER_REGISTERS):
        return []
    rows = open_passes(db, actor, now=now)
    today = now.astimezone().date()
    due = sum(1 for r in rows if r.window_start.astimezone().date() <= today)
    text = f"待放行的物品放行条 {len(rows)} 张，其中今天 {due} 张"
    severity = Severity.WARN if rows else Severity.NORMAL
    return [TodayLine("goods_passes_open", len(rows), text, severity, Lead("counter", TAB))]


def _detail(row: GoodsPassRow) -> str:
    window = window_text(row.window_start, row.window_end)
    more = f" 等 {len(row.items)} 件" if len(row.items) > 1 else ""
    return f"{row.number} {row.room_code} {row.items[0]}{more} {window}"


def handover_item(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """Passes issued and not yet used at the gate, for the incoming clerk."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    rows = open_passes(db, actor, now=now)
    if not rows:
        return HandoverItem(REGISTER, 0, "没有待放行的放行条")
    return HandoverItem(
        REGISTER,
        len(rows),
        f"已开具未放行的放行条 {len(rows)} 张",
        tuple(_detail(r) for r in rows[:DETAILS]),
    )
