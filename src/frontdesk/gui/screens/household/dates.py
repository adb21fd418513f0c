"""Dates typed at the counter: 2024-03-01, 2024-3-1, 2024/3/1, 2024.3.1, 20240301, 2024年3月1日."""

from __future__ import annotations

import re
from datetime import date

from frontdesk.errors import ValidationError

_PARTS = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str, field: str) -> date | None:
    """The date in a text field; None when blank. ValidationError names the field."""
    compact = text.strip().replace(" ", "")
    if not compact:
        return None
    match = _PARTS.match(compact) or _COMPACT.match(compact)
    try:
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValidationError(field, "日期无效，请按 2024-03-01 的格式填写") from None


def date_text(value: date | None) -> str:
    return value.isoformat() if value else ""
