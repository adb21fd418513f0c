"""The home screen's line of the shift book: a handover waiting for the incoming
clerk's acknowledgement."""

from __future__ import annotations

from datetime import datetime

from frontdesk.db.engine import Database
from frontdesk.domain.roles import Actor
from frontdesk.services.shift_log.book import PERMISSION, waiting_handover
from frontdesk.services.today.lines import Lead, Severity, TodayLine

TAB = "交接班"


def today_lines(db: Database, actor: Actor, now: datetime) -> list[TodayLine]:
    """`handover_waiting`: the handover not yet acknowledged (amber once it has waited
    past the hour a shift change takes). None for a role without the counter registers."""
    if not actor.can(PERMISSION):
        return []
    waiting = waiting_handover(db, actor)
    lead = Lead("counter", TAB)
    if waiting is None:
        return [TodayLine("handover_waiting", 0, "交接班均已确认", Severity.NORMAL, lead)]
    at = f"{waiting.written_at.astimezone():%m-%d %H:%M}"
    text = f"{waiting.written_by} {at} 的交班待接班确认"
    late = (now - waiting.written_at).total_seconds() > 3600
    return [
        TodayLine("handover_waiting", 1, text, Severity.WARN if late else Severity.NORMAL, lead)
    ]
