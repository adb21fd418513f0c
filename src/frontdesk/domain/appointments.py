"""An appointment slot (预约时段) for in-home work, as a clerk types it at the desk's
intake or a script passes it to `frontdesk ticket add --appointment`: one reading for
both; no database.

Accepted: `14:00-16:00` (today), `12-08 14:00-16:00` and `2026-12-08 14:00-16:00`, in
local time; the date may be written with / or . too, the times with a Chinese colon,
and the two ends joined by - ~ 至 or 到. A day written without a year that has
already passed this year is next year's (on 12-28, `01-05` is the coming January).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from frontdesk.domain import clock
from frontdesk.errors import ValidationError

FIELD = "预约时段"
EXAMPLE = "12-08 14:00-16:00"

_SLOT = re.compile(
    r"(?:(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})\s+)?"
    r"(\d{1,2})[:：](\d{2})\s*[-~～至到]\s*(\d{1,2})[:：](\d{2})"
)


def parse_slot(text: str, today: date | None = None) -> tuple[datetime, datetime] | None:
    """The slot's start and end as aware local datetimes; None for an empty text; a
    ValidationError naming 预约时段 when it cannot be read."""
    if not text.strip():
        return None
    found = _SLOT.fullmatch(text.strip())
    if found is None:
        raise ValidationError(FIELD, f"“{text.strip()}”看不懂；请按“{EXAMPLE}”的格式填写")
    year, month, day, h1, m1, h2, m2 = found.groups()
    base = today or clock.today()
    try:
        on = date(int(year) if year else base.year, int(month), int(day)) if month else base
        if month and not year and on < base:
            on = on.replace(year=base.year + 1)
        start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
    except ValueError as exc:
        raise ValidationError(FIELD, f"“{text.strip()}”中的日期或时间不存在") from exc
    tz = clock.now().tzinfo
    return datetime.combine(on, start, tz), datetime.combine(on, end, tz)
