"""今日工作: what each role has to see to first, counted from the other areas' lists,
each line leading to the list behind it. Loaded on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.today.lines import Lead, Severity, TodayLine, TodayWork
    from frontdesk.services.today.work import today_work

__all__ = [
    "Lead",
    "Severity",
    "TodayLine",
    "TodayWork",
    "today_work",
]
__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
