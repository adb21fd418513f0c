"""What the arrears tabs share: the filter bar, sortable cells, the notice levels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableWidget, QTableWidgetItem

from frontdesk.domain.arrears import AgingBucket
from frontdesk.domain.money import MoneyFormatError, parse_yuan
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.widgets.tables import CELL_PADDING
from frontdesk.services import structure
from frontdesk.services.arrears import ArrearsFilter

LEVEL_NAMES = {1: "温馨提示", 2: "催缴通知单", 3: "催告函"}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# A form with the filter bar: buildingCombo, minAmountEdit, minMonthsSpin, bucketCombo.
FilterUi = Any


def row_id(table: QTableWidget, row: int) -> int | None:
    item = table.item(row, 0) if row >= 0 else None
    value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
    return None if value is None else int(value)


def fill_levels(combo: QComboBox) -> None:
    for level, name in LEVEL_NAMES.items():
        combo.addItem(f"{level} {name}", level)


def setup_filters(ui: FilterUi, ctx: AppContext) -> None:
    ui.buildingCombo.addItem("全部楼栋", None)
    for building in structure.list_buildings(ctx.db, ctx.actor):
        ui.buildingCombo.addItem(building.name, building.id)
    ui.bucketCombo.addItem("全部", None)
    for bucket in AgingBucket:
        ui.bucketCombo.addItem(bucket.label, bucket.value)
    ui.minMonthsSpin.setSpecialValueText("不限")


def chosen_filter(ui: FilterUi) -> ArrearsFilter:
    """The filter bar as a service filter; a bad amount is named like a service error."""
    text = ui.minAmountEdit.text().strip()
    try:
        min_fen = parse_yuan(text) if text else 0
    except MoneyFormatError:
        raise ValidationError("最少欠费", "请输入金额，如 500 或 500.00") from None
    if min_fen < 0:
        raise ValidationError("最少欠费", "不能为负数")
    bucket = ui.bucketCombo.currentData()
    return ArrearsFilter(
        building_id=ui.buildingCombo.currentData(),
        min_fen=min_fen,
        min_months=ui.minMonthsSpin.value(),
        bucket=AgingBucket(bucket) if bucket else None,
    )


class SortItem(QTableWidgetItem):
    """A cell that sorts by its key (fen, months, dates) rather than by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        return super().__lt__(other)


Cell = str | tuple[str, Any]  # text, or (text, sort key)


def fill_sortable(
    table: QTableWidget,
    rows: Sequence[Sequence[Cell]],
    right: set[int],
    ids: Sequence[int] | None = None,
) -> None:
    """Like tables.fill_rows, with sort keys and each row's id (UserRole of its first
    cell, so a sorted row still knows its household); keeps the user's sort column."""
    sorting = table.isSortingEnabled()
    table.setSortingEnabled(False)
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            text, key = cell if isinstance(cell, tuple) else (cell, None)
            item = SortItem(text)
            if key is not None:
                item.setData(SORT_ROLE, key)
            if c in right:
                item.setTextAlignment(RIGHT)
            if c == 0 and ids is not None:
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):  # the last one stretches
        table.setColumnWidth(column, min(table.columnWidth(column) + CELL_PADDING, 360))
    table.setSortingEnabled(sorting)
