"""The lending register on the home screen and in the shift handover book."""

from __future__ import annotations

from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.domain.lending import LoanState
from frontdesk.domain.roles import Actor
from frontdesk.domain.shift_log import HandoverItem
from frontdesk.services.lending.loans import LoanRow, list_loans
from frontdesk.services.today.lines import Lead, Severity, TodayLine

TAB = "物品借用"
MAX_DETAILS = 8


def today_lines(db: Database, actor: Actor, now: datetime) -> list[TodayLine]:
    """lending_overdue: lendings past their due day, to chase."""
    overdue = list_loans(db, actor, overdue_only=True, now=now)
    pieces = sum(r.quantity for r in overdue)
    return [
        TodayLine(
            "lending_overdue",
            len(overdue),
            f"逾期未还借用物品 {len(overdue)} 笔 {pieces} 件",
            Severity.WARN if overdue else Severity.NORMAL,
            Lead("counter", TAB),
        )
    ]


def _detail(row: LoanRow) -> str:
    late = "，已逾期" if row.state == LoanState.OVERDUE else ""
    return (
        f"{row.item} ×{row.quantity} {row.room_code} {row.borrower} 应还 {row.due_on:%m-%d}{late}"
    )


def handover_item(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """The things lent out now, the overdue ones first."""
    out = list_loans(db, actor, now=now)  # by due day: the overdue ones first
    pieces = sum(r.quantity for r in out)
    late = sum(1 for r in out if r.state == LoanState.OVERDUE)
    text = f"借出物品 {len(out)} 笔 {pieces} 件，其中逾期 {late} 笔" if out else "借用物品均已归还"
    return HandoverItem(TAB, len(out), text, tuple(_detail(r) for r in out[:MAX_DETAILS]))
