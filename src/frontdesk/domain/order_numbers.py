"""Work-order numbers (工单编号): GD-2612-0001, the month taken (YYMM) and a count
gap-free within that month; no database.

`parse_order_number` is the one reading of a number a person typed or said: any case,
with or without the hyphens (gd26120001, GD2612-0001, gd-2612-0001), the count with
or without its leading zeros beyond four digits. It returns the stored form.
"""

from __future__ import annotations

import re
from datetime import datetime

from frontdesk.errors import ValidationError

NUMBER_PREFIX = "GD"
COUNT_DIGITS = 4  # the count is zero-padded to this many digits; it may grow beyond
FIELD = "工单编号"

_TYPED = re.compile(rf"{NUMBER_PREFIX}\s*-?\s*(\d{{2}})(\d{{2}})\s*-?\s*(\d{{{COUNT_DIGITS},}})")


def month_prefix(taken: datetime) -> str:
    """GD-2612-: the numbers of the month `taken` falls in (its local time)."""
    return f"{NUMBER_PREFIX}-{taken.astimezone():%y%m}-"


def order_number(prefix: str, count: int) -> str:
    """GD-2612-0001 from the month's prefix and the order's count within the month."""
    if count < 1:
        raise ValueError(f"an order's count starts at 1, not {count}")
    return f"{prefix}{count:0{COUNT_DIGITS}d}"


def count_of(number: str, prefix: str) -> int:
    """The count within the month of a stored number that starts with `prefix`."""
    return int(number.removeprefix(prefix))


def as_order_number(text: str) -> str | None:
    """The stored form of `text` if it is a work-order number, else None (a search
    box reads what it is given either way)."""
    try:
        return parse_order_number(text)
    except ValidationError:
        return None


def parse_order_number(text: str) -> str:
    """The stored form GD-2612-0001 of a number as typed; a ValidationError naming
    工单编号 when it is not one."""
    found = _TYPED.fullmatch(text.strip().upper())
    if found is None:
        raise ValidationError(
            FIELD, f"“{text.strip()}”不是工单编号；工单编号形如 GD-2612-0001（年月-序号）"
        )
    year, month, count = found.groups()
    if not 1 <= int(month) <= 12:
        raise ValidationError(FIELD, f"“{text.strip()}”中的月份 {month} 不对")
    if int(count) == 0:
        raise ValidationError(FIELD, f"“{text.strip()}”中的序号从 0001 起")
    return order_number(f"{NUMBER_PREFIX}-{year}{month}-", int(count))
