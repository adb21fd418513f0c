"""Billing periods are calendar months, written YYYY-MM."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property

_PERIOD = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


class PeriodFormatError(ValueError):
    """Text that is not a month such as 2026-11."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026-11', '2026/11', '2026年11月' -> Period(2026, 11)."""
        match = _PERIOD.match(text)
        if not match:
            raise PeriodFormatError(text)
        year, month = int(match[1]), int(match[2])
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise PeriodFormatError(text)
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return self._text

    # Cached on the (immutable) instance: a billing run or the demo's year asks each
    # month for its text and days hundreds of thousands of times.
    @cached_property
    def _text(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @cached_property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @cached_property
    def last_day(self) -> date:
        return date(self.year, self.month, self.days)

    @property
    def days(self) -> int:
        return _days_in(self.year, self.month)

    def shifted(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def months_until(self, other: Period) -> int:
        """How many months from self to other (negative when other is earlier)."""
        return (other.year - self.year) * 12 + other.month - self.month


@cache
def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def billable_days(period: Period, start: date | None) -> int:
    """Days of the period from `start` (handover) on; the whole month when earlier."""
    if start is None or start <= period.first_day:
        return period.days
    if start > period.last_day:
        return 0
    return period.days - start.day + 1


def prorate(amount_fen: int, days: int, period_days: int) -> int:
    """A month's amount for `days` of it, rounded half up to the fen."""
    if days >= period_days:
        return amount_fen
    return (amount_fen * days * 2 + period_days) // (period_days * 2)
