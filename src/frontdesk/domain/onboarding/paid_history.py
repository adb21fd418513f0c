"""Finding the old system's payment lines (数据导入, kept as history) by what a
cashier types: "did I pay last March?" is answered by 2025年3月, 2025-03, 202503 or
just 2025, whichever way the old system wrote its periods."""

from __future__ import annotations

import re
from datetime import date

from frontdesk.domain.periods import Period

_MONTH = re.compile(r"(?<!\d)(\d{4})\s*(?:[-/.年]\s*(\d{1,2})|(\d{2})(?!\d))")
_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*$")


def months_in(text: str) -> list[Period]:
    """The months written in a period text, in order: '2025年3月' -> [2025-03];
    '2025-01至2025-03' -> [2025-01, 2025-03]; text without a month -> []."""
    found = []
    for match in _MONTH.finditer(text):
        month = int(match[2] or match[3])
        if 1 <= month <= 12 and 2000 <= int(match[1]) <= 2100:
            found.append(Period(int(match[1]), month))
    return found


def _covers(period_text: str, month: Period) -> bool:
    """The line's period is that month, or a range (first … last) that holds it."""
    months = months_in(period_text)
    return bool(months) and min(months) <= month <= max(months)


def history_matches(period_text: str, paid_on: date | None, query: str) -> bool:
    """A line is found by a year (paid in it or for it), by a month (paid for it or
    during it), or else by the query as written inside its period text."""
    query = query.strip()
    if not query:
        return True
    year = _YEAR.match(query)
    if year:
        wanted = int(year[1])
        paid_in = paid_on is not None and paid_on.year == wanted
        return paid_in or any(month.year == wanted for month in months_in(period_text))
    months = months_in(query)
    if len(months) == 1:
        (month,) = months
        return _covers(period_text, month) or (paid_on is not None and Period.of(paid_on) == month)
    return query in period_text
