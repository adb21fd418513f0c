"""What the parcel register tells the home screen (today's work) and the shift book."""

from __future__ import annotations

from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.domain.parcels import ParcelState
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.shift_log import HandoverItem
from frontdesk.services.parcels.lists import shelf_count, waiting_parcels
from frontdesk.services.today.lines import Lead, Severity, TodayLine

REGISTER = "快递代收"
TAB = "快递代收"
HANDOVER_DETAILS = 8  # the oldest parcels named in the book


def today_lines(db: Database, actor: Actor, now: datetime) -> list[TodayLine]:
    """parcels_waiting (all shelves) and parcels_overdue (a butler's buildings only)."""
    if not actor.can(Permission.KEEP_COUNTER_REGISTERS):
        return []
    count = shelf_count(db, actor, now)
    lead = Lead("counter", TAB)
    overdue_severity = Severity.ALARM if count.overdue else Severity.NORMAL
    return [
        TodayLine(
            "parcels_waiting",
            count.waiting,
            f"待取快递 {count.waiting} 件",
            Severity.NORMAL,
            lead,
        ),
        TodayLine(
            "parcels_overdue",
            count.overdue,
            f"超过 {count.overdue_days} 天未取快递 {count.overdue} 件",
            overdue_severity,
            lead,
        ),
    ]


def handover_item(db: Database, actor: Actor, now: datetime) -> HandoverItem:
    """Parcels on the shelves, how many overdue, the oldest by room and shelf."""
    rows = waiting_parcels(db, actor, now=now)
    overdue = [r for r in rows if r.state == ParcelState.OVERDUE]
    text = f"待取快递 {len(rows)} 件"
    if overdue:
        text += f"，其中超期未取 {len(overdue)} 件"
    details = tuple(
        f"{r.room_code} {r.courier} {r.tracking_tail} 货架 {r.shelf}（已放 {r.days} 天）"
        for r in overdue[:HANDOVER_DETAILS]
    )
    return HandoverItem(REGISTER, len(rows), text, details)
