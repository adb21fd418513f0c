"""What each register hands to the next shift: one provider per register, each a
use-case `(db, actor, now) -> HandoverItem` read with the outgoing clerk's own rights.

The draft asks every provider of `PROVIDERS` in turn; a register added to the counter
adds its provider to that tuple and nothing else changes. Details name rooms, pass and
order numbers and staff — never a resident's or a visitor's name or phone: the book is
kept for years and is not purged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import CashClose, User
from frontdesk.domain.money import format_yuan
from frontdesk.domain.roles import Actor, Permission, Role, has_permission
from frontdesk.domain.service_desk import Light, Status
from frontdesk.domain.shift_log import HandoverItem
from frontdesk.domain.visitors import VisitState
from frontdesk.services import parcels
from frontdesk.services.access import require
from frontdesk.services.fees.cash_close import takings
from frontdesk.services.service_desk import views as desk_views
from frontdesk.services.visitors import register as visitors

Provider = Callable[[Database, Actor, datetime], HandoverItem]

_LATE = (VisitState.OVERDUE, VisitState.STALE)
_FINISHED = (Status.FINISHED, Status.CALLED_BACK)


def _short(at: datetime) -> str:
    return f"{at.astimezone():%m-%d %H:%M}"


def _of_which(*parts: tuple[str, int]) -> str:
    """，其中已超时 2 单、即将超时 1 单 — the parts that are not nothing."""
    said = "、".join(f"{what} {count} 单" for what, count in parts if count)
    return f"，其中{said}" if said else ""


def visitors_inside(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """在场访客: every visit not signed out, the overstaying ones first."""
    rows = visitors.inside_now(db, actor, now).rows
    late = [r for r in rows if r.state in _LATE]
    people = sum(r.party_size for r in rows)
    text = f"在场访客 {len(rows)} 批 {people} 人" + (
        f"，其中超时未离 {len(late)} 批" if late else ""
    )
    ordered = late + [r for r in rows if r.state not in _LATE]
    details = tuple(
        f"{r.number} {r.room_code} {r.purpose.label} {_short(r.arrived_at)} 到"
        + (f"（{r.state.label}）" if r.state in _LATE else "")
        for r in ordered
    )
    return HandoverItem("访客登记", len(rows), text if rows else "无在场访客", details)


def open_work_orders(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """未完结工单: orders not yet finished, the late and nearly late ones by name."""
    rows = [r for r in desk_views.board(db, actor, now) if r.status not in _FINISHED]
    late = [r for r in rows if r.light == Light.RED]
    soon = [r for r in rows if r.light == Light.AMBER]
    text = f"未完结工单 {len(rows)} 单" + _of_which(("已超时", len(late)), ("即将超时", len(soon)))
    details = tuple(
        f"{r.number} {r.where or '公共区域'} {r.category} {r.status.label}（{light}）"
        for rows_, light in ((late, "已超时"), (soon, "即将超时"))
        for r in rows_
    )
    return HandoverItem("报事报修", len(rows), text if rows else "无未完结工单", details)


def callbacks_due(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """到期回访: finished orders whose callback is due or late."""
    rows = desk_views.callback_list(db, actor, now)
    due = [r for r in rows if r.light in (Light.RED, Light.AMBER)]
    late = sum(1 for r in due if r.light == Light.RED)
    text = f"待回访 {len(rows)} 单" + _of_which(("到期", len(due)), ("逾期", late))
    details = tuple(
        f"{r.number} {r.where or '公共区域'} {r.category}"
        + ("（逾期）" if r.light == Light.RED else "")
        for r in due
    )
    return HandoverItem("工单回访", len(due), text if rows else "无待回访工单", details)


def cash_not_closed(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """未交班的收款: every cashier's takings of the day since their last shift or day
    close; the book names the cashier, the receipts and the money, nothing of payers."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    day = now.astimezone().date()
    takers = [role.value for role in Role if has_permission(role, Permission.TAKE_PAYMENTS)]
    with db.read() as session:
        # Everyone who may take money, each read by (cashier, day): a handful of users,
        # where a scan of the day's payments by day alone reads a year of them.
        cashiers = session.execute(
            select(User.id, User.display_name).where(User.role.in_(takers)).order_by(User.id)
        ).all()
        last = dict(
            session.execute(
                select(CashClose.cashier_id, func.max(CashClose.closed_at)).group_by(
                    CashClose.cashier_id
                )
            ).all()
        )
        found = [
            takings(session, cashier_id, name, day=day, since=last.get(cashier_id))
            for cashier_id, name in cashiers
        ]
    open_takings = sorted((t for t in found if not t.empty), key=lambda t: t.cashier)
    details = tuple(
        f"{t.cashier}：收据 {len(t.receipts)} 张，实收 {format_yuan(t.counter_total_fen)} 元"
        f"（现金 {format_yuan(t.cash_expected_fen)} 元）"
        for t in open_takings
    )
    text = f"未交班/日结的收费员 {len(open_takings)} 位" if open_takings else "收款均已交班"
    return HandoverItem("收费交班", len(open_takings), text, details)


# The registers the draft asks, in the book's order.
PROVIDERS: tuple[Provider, ...] = (
    visitors_inside,
    parcels.handover_item,
    open_work_orders,
    callbacks_due,
    cash_not_closed,
)
