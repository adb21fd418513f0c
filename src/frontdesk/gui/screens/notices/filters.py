"""The filter row 通知存档 and 发文登记 share: a 从–至 date range (either way round),
a 楼栋 combo (全部楼栋 or one building) kept current, and Enter to run the query."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QDateEdit, QWidget

from frontdesk.domain import clock
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate
from frontdesk.services.households import structure
from frontdesk.services.households.structure import BuildingRow

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
ALL_BUILDINGS = "全部楼栋"


class QueryTab(QWidget):
    """A tab with a filter row: Enter in a filter (line edits and dates pass it up)
    runs the query like 查询."""

    def reload(self) -> None:
        raise NotImplementedError

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            self.reload()
            return
        super().keyPressEvent(event)


def day_of(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def start_dates(from_edit: QDateEdit, to_edit: QDateEdit, days: int) -> None:
    """The last `days` days up to today."""
    today = qdate(clock.today())
    from_edit.setDate(today.addDays(-days))
    to_edit.setDate(today)


def chosen_dates(from_edit: QDateEdit, to_edit: QDateEdit) -> tuple[date, date]:
    """The first and last day asked for, whichever edit holds which."""
    first, last = day_of(from_edit.date()), day_of(to_edit.date())
    return (last, first) if last < first else (first, last)


def fill_buildings(ctx: AppContext, combo: QComboBox, owner: QWidget, title: str) -> bool:
    """The buildings again (one may have been added), the one chosen kept, without
    signalling a change; False, after saying why, when they cannot be read."""
    keep, read = combo.currentData(), list[list[BuildingRow]]()
    # Here, not on the worker: the caller reloads with the building chosen next.
    if (
        not Op(owner, ctx.tasks, lambda: structure.list_buildings(ctx.db, ctx.actor), title=title)
        .success(read.append)
        .now()
    ):
        return False
    buildings = read[0]
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(ALL_BUILDINGS, None)
    for building in buildings:
        combo.addItem(building.name, building.id)
    combo.setCurrentIndex(max(combo.findData(keep), 0) if keep is not None else 0)
    combo.blockSignals(False)
    return True
