"""What the complaint fields read and say, without widgets: a deadline typed as
`18:00` (today), `11-26 18:00` or `2026-11-26 18:00` in local time, and the alert line
of the supervisors' list (升级/逾期投诉)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time

from frontdesk.domain import clock
from frontdesk.errors import ValidationError
from frontdesk.services.service_desk import EscalationRow

_DEADLINE = re.compile(r"^\s*(?:(?:(\d{4})-)?(\d{1,2})-(\d{1,2})\s+)?(\d{1,2}):(\d{2})\s*$")


def parse_deadline(text: str, today: date | None = None) -> datetime | None:
    """The deadline typed, in local time; None for an empty field (the category's
    promise stands)."""
    if not text.strip():
        return None
    found = _DEADLINE.match(text)
    if found is None:
        raise ValidationError("处理期限", "请按“11-26 18:00”的格式填写")
    year, month, day, hour, minute = found.groups()
    base = today or clock.today()
    try:
        on = date(int(year) if year else base.year, int(month), int(day)) if month else base
        at = time(int(hour), int(minute))
    except ValueError as exc:
        raise ValidationError("处理期限", "日期或时间不存在") from exc
    return datetime.combine(on, at, clock.now().tzinfo)


def escalation_alert(rows: Sequence[EscalationRow]) -> str:
    """`3 件投诉已超过处理期限未答复，其中 2 件待主管督办`, or "" when none is overdue."""
    if not rows:
        return ""
    waiting = sum(not row.supervised for row in rows)
    text = f"{len(rows)} 件投诉已超过处理期限未答复"
    return text + (f"，其中 {waiting} 件待主管督办" if waiting else "，均已督办")
