"""What the home screen shows, without the queries behind it (services/today/work.py):
the screen loads this at start and the counting when it first counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from frontdesk.domain.roles import Role


class Severity(StrEnum):
    NORMAL = "normal"
    WARN = "warn"
    ALARM = "alarm"


@dataclass(frozen=True)
class Lead:
    """Where a line leads: the main window's area (its key) and the tab to show."""

    area: str
    tab: str = ""


@dataclass(frozen=True)
class TodayLine:
    key: str  # stable name of the line (tests, the screen's order)
    count: int
    text: str  # 已超时工单 3 单
    severity: Severity
    lead: Lead


@dataclass(frozen=True)
class TodayWork:
    role: Role
    day: date
    lines: tuple[TodayLine, ...]

    def line(self, key: str) -> TodayLine | None:
        return next((line for line in self.lines if line.key == key), None)
