"""The one clock the program reads, and times as the counter reads them.

Every "today" and "now" in the program comes from here, never from
`date.today()` or `datetime.now()`, so that the test suite (and a training
demo) can run on a set date: `FRONTDESK_NOW=2027-01-01T09:30` in the
environment, or `freeze()`. A set clock still ticks from the moment it was
set, so records made one after another keep their order.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta

ENVIRONMENT_VARIABLE = "FRONTDESK_NOW"
_DEFAULT_HOUR = 10  # a date alone means that day at 10:00, inside counter hours

# (the set instant, the monotonic reading when it was set)
_set_at: tuple[datetime, float] | None = None


def parse_instant(text: str) -> datetime:
    """`2027-01-01`, `2027-01-01T09:30` (local time) or with an offset, as aware."""
    text = text.strip()
    try:
        at = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{ENVIRONMENT_VARIABLE} 不是日期时间：{text!r}") from exc
    if len(text) == 10:  # a date alone
        at = at.replace(hour=_DEFAULT_HOUR)
    return at.astimezone() if at.tzinfo is None else at


def freeze(at: datetime | date | str | None) -> None:
    """Set the clock to `at` (ticking on from there); None goes back to the real time."""
    global _set_at
    if at is None:
        _set_at = None
        return
    if isinstance(at, str):
        instant = parse_instant(at)
    elif isinstance(at, datetime):
        instant = at.astimezone() if at.tzinfo is None else at
    else:
        instant = datetime(at.year, at.month, at.day, _DEFAULT_HOUR).astimezone()
    _set_at = (instant, time.monotonic())


def is_set() -> bool:
    return _set_at is not None


def utc_now() -> datetime:
    """Now, aware, in UTC (what is stored)."""
    if _set_at is None:
        return datetime.now(UTC)
    instant, since = _set_at
    return (instant + timedelta(seconds=time.monotonic() - since)).astimezone(UTC)


def now() -> datetime:
    """Now, aware, in the computer's time zone."""
    return utc_now().astimezone()


def wall_now() -> datetime:
    """Now as a naive local time (file names, backup ages)."""
    return now().replace(tzinfo=None)


def today() -> date:
    return now().date()


def local_time(at: datetime | None, *, seconds: bool = True, empty: str = "") -> str:
    """`2025-11-25 14:03:09` in the computer's time zone (stored times are UTC)."""
    if at is None:
        return empty
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_clock(at: datetime) -> str:
    """`14:03` in the computer's time zone."""
    return at.astimezone().strftime("%H:%M")


if os.environ.get(ENVIRONMENT_VARIABLE):
    freeze(os.environ[ENVIRONMENT_VARIABLE])
