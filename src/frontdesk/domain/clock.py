"""Times as the counter reads them: local time, Chinese-style numeric dates."""

from __future__ import annotations

from datetime import datetime


def local_time(at: datetime | None, *, seconds: bool = True, empty: str = "") -> str:
    """`2025-11-25 14:03:09` in the computer's time zone (stored times are UTC)."""
    if at is None:
        return empty
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def local_clock(at: datetime) -> str:
    """`14:03` in the computer's time zone."""
    return at.astimezone().strftime("%H:%M")
