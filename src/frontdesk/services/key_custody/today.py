"""The key register on the home screen and in the shift handover book."""

from __future__ import annotations

from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.domain.clock import local_time
from frontdesk.domain.roles import Actor
from frontdesk.domain.shift_log import HandoverItem
from frontdesk.services.key_custody.lendings import LendingRow, keys_out
from frontdesk.services.today.lines import Lead, Severity, TodayLine

TAB = "钥匙托管"
REGISTER = "钥匙托管"
MAX_DETAILS = 8


def today_lines(db: Database, actor: Actor, now: datetime) -> list[TodayLine]:
    """keys_out (how many keys are lent out) and keys_overdue (past their due time)."""
    out = keys_out(db, actor, now)
    overdue = sum(1 for r in out if r.overdue)
    lead = Lead("counter", TAB)
    return [
        TodayLine("keys_out", len(out), f"借出钥匙 {len(out)} 把", Severity.NORMAL, lead),
        TodayLine(
            "keys_overdue",
            overdue,
            f"逾期未还钥匙 {overdue} 把",
            Severity.ALARM if overdue else Severity.NORMAL,
            lead,
        ),
    ]


def _detail(row: LendingRow) -> str:
    late = "，已逾期" if row.overdue else ""
    due = local_time(row.due_back_at, seconds=False)
    return f"{row.tag} {row.room_code} {row.borrower}（{row.scope.label}）应还 {due}{late}"


def handover_item(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """The keys lent out, by tag, the overdue ones first."""
    out = sorted(keys_out(db, actor, now), key=lambda r: (not r.overdue, r.due_back_at))
    overdue = sum(1 for r in out if r.overdue)
    text = f"借出钥匙 {len(out)} 把，其中逾期 {overdue} 把" if out else "钥匙均在柜"
    return HandoverItem(REGISTER, len(out), text, tuple(_detail(r) for r in out[:MAX_DETAILS]))
