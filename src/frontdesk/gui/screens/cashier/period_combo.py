"""A month picker for billing periods: the last twelve months and the next one."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox

from frontdesk.domain import clock
from frontdesk.domain.periods import Period


def fill_periods(combo: QComboBox, today: date | None = None, *, ahead: int = 1) -> None:
    current = Period.of(today or clock.today())
    combo.clear()
    for offset in range(ahead, -12, -1):
        period = current.shifted(offset)
        combo.addItem(period.label, str(period))
    combo.setCurrentIndex(ahead)


def chosen_period(combo: QComboBox) -> Period:
    return Period.parse(str(combo.currentData()))
