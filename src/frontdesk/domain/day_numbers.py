"""Register numbers counted per day (FX-261207003, SW-261125003): a prefix, the day
(yymmdd) and the record's count that day in three digits; and the one reading of such a
number as a clerk types it or a scanner sends it (any case, with or without the hyphen
and spaces, or the digits alone)."""

from __future__ import annotations

import re
from datetime import date

from frontdesk.errors import ValidationError


def day_number(prefix: str, day: date, sequence: int) -> str:
    return f"{prefix}-{day:%y%m%d}{sequence:03d}"


def parse_day_number(text: str, prefix: str, field: str, example: str) -> str:
    """The stored form (FX-261207003) of what was typed, or the field's error."""
    compact = re.sub(r"[\s\-－]", "", text).upper()
    if not compact:
        raise ValidationError(field, "不能为空")
    if compact.isascii() and compact.isdigit():
        compact = prefix + compact
    number = f"{compact[: len(prefix)]}-{compact[len(prefix) :]}"
    if not re.fullmatch(rf"{prefix}-\d{{9}}", number, re.ASCII):
        raise ValidationError(field, f"格式应为 {prefix}- 加 9 位数字，如 {example}")
    return number
