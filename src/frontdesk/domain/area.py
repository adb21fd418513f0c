"""Building areas are stored as integers in hundredths of a square metre."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

HUNDREDTHS_PER_M2 = 100
MAX_M2 = 10**9  # far beyond any building; 1e999999 would overflow Decimal


class AreaFormatError(ValueError):
    """Text that is not a positive area with at most two decimals."""


def parse_m2(text: str) -> int:
    """'89.37' / '89.37㎡' / '89.37m²' -> 8937."""
    cleaned = text.strip().removesuffix("㎡").removesuffix("m²").removesuffix("平方米").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise AreaFormatError(text) from exc
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise AreaFormatError(text)
    if value >= MAX_M2:
        raise AreaFormatError(text)
    return int(value * HUNDREDTHS_PER_M2)


def format_m2(hundredths: int) -> str:
    """8937 -> '89.37' (with thousands grouping for totals)."""
    whole, frac = divmod(hundredths, HUNDREDTHS_PER_M2)
    return f"{whole:,}.{frac:02d}"
