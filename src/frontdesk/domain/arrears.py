"""Arrears rules: aging, the limitation watch, late fees; no database.

A bill is overdue from the month after its period (one-off charges after 30 days).
The claim for a fee prescribes three years after it fell due unless a written
demand interrupts it (Civil Code arts. 188, 195): the clock restarts at the demand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from frontdesk.domain.periods import Period

LIMITATION_YEARS = 3
LIMITATION_WARNING = timedelta(days=180)  # warn this long before a claim prescribes
ONE_OFF_GRACE = timedelta(days=30)


class AgingBucket(StrEnum):
    UP_TO_3 = "0-3"
    UP_TO_6 = "3-6"
    UP_TO_12 = "6-12"
    UP_TO_24 = "12-24"
    OVER_24 = "24+"

    @property
    def label(self) -> str:
        return {
            "0-3": "3个月以内",
            "3-6": "3-6个月",
            "6-12": "6-12个月",
            "12-24": "1-2年",
            "24+": "2年以上",
        }[self]


def months_overdue(oldest: Period, today: date) -> int:
    """2026-10 unpaid on any day of 2026-11 is one month overdue."""
    return max(oldest.months_until(Period.of(today)), 0)


def bucket_for(months: int) -> AgingBucket:
    if months <= 3:
        return AgingBucket.UP_TO_3
    if months <= 6:
        return AgingBucket.UP_TO_6
    if months <= 12:
        return AgingBucket.UP_TO_12
    if months <= 24:
        return AgingBucket.UP_TO_24
    return AgingBucket.OVER_24


class Channel(StrEnum):
    PHONE = "电话"
    VISIT = "上门"
    SMS = "短信"
    WECHAT = "微信"
    POSTED = "张贴"
    DELIVERED = "书面送达"
    REGISTERED_MAIL = "挂号信"

    @property
    def written(self) -> bool:
        """A written demand served on the owner: it interrupts the limitation period."""
        return self in (Channel.DELIVERED, Channel.REGISTERED_MAIL)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def prescribes_on(due_on: date, last_written: date | None) -> date:
    """The day the claim for a bill due on `due_on` prescribes."""
    start = max(due_on, last_written) if last_written else due_on
    return add_years(start, LIMITATION_YEARS)


def limitation_warning(due_on: date, last_written: date | None, today: date) -> str:
    """'' or why the oldest unpaid bill needs a written demand soon."""
    deadline = prescribes_on(due_on, last_written)
    if deadline <= today:
        return f"已超过三年诉讼时效（{deadline:%Y-%m-%d}），无书面催告"
    if deadline - today <= LIMITATION_WARNING:
        return f"诉讼时效将于 {deadline:%Y-%m-%d} 届满，请尽快书面催告"
    return ""


@dataclass(frozen=True)
class LateFeeTerms:
    """滞纳金 as a community's contract may set it: off unless enabled."""

    enabled: bool = False
    per_day_per_10000: int = 5  # 万分之五 per day
    grace_days: int = 0
    cap_percent: int = 100  # never more than this share of the unpaid principal


def late_fee(principal_fen: int, due_on: date, today: date, terms: LateFeeTerms) -> int:
    """Fen of late fee on one unpaid bill, rounded half up; 0 when off or not yet due."""
    if not terms.enabled or principal_fen <= 0:
        return 0
    days = (today - due_on).days - terms.grace_days
    if days <= 0:
        return 0
    fee = (principal_fen * terms.per_day_per_10000 * days * 2 + 10_000) // 20_000
    cap = (principal_fen * terms.cap_percent * 2 + 100) // 200
    return min(fee, cap)


def due_date(period: str | None, start_on: date) -> date:
    """When a bill falls due: the last day of its period; one-off charges after 30 days."""
    if period is None:
        return start_on + ONE_OFF_GRACE
    return Period.parse(period).last_day
