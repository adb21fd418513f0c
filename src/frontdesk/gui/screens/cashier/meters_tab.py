"""抄表录入: one building's residences for a meter item and month, typed from the
抄表员's sheet or filled from an Excel file, checked and saved all at once.

Keyboard flow: type a reading (typing replaces the cell), Enter or ↓ goes to the
next room, ↑ back. Rows that deserve a second look (a reading below the last one,
far more than the usual use, not a number) turn amber as soon as they are typed.

What is typed lives in a ReadingSheet (meters_model, no Qt); the grid is a model
over it, not a QTableWidget: a whole building's cells are computed in `data()`
instead of being pushed into hundreds of items on every reload.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QStyledItemDelegate,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_import_summary_dialog_ui import Ui_ImportSummaryDialog
from frontdesk.gui.forms.cashier_meters_tab_ui import Ui_MetersTab
from frontdesk.gui.messages import confirm, show_error
from frontdesk.gui.screens.cashier.meters_model import (
    COLUMNS,
    CURRENT,
    NOTE,
    PREVIOUS,
    READING_COLUMNS,
    ROOM,
    USED,
    USUAL,
    BadCell,
    ReadingSheet,
    period_choices,
)
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.fees import items as fees
from frontdesk.services.fees import meters
from frontdesk.services.fees.meters import ImportedReading, ReadingRow
from frontdesk.services.households import structure

# The columns are the sheet's; they are named from here too, beside the brushes.
__all__ = [
    "CURRENT",
    "NOTE",
    "PREVIOUS",
    "USED",
    "USUAL",
    "WARNING_BRUSH",
    "ImportSummaryDialog",
    "MetersTab",
    "ReadingGridModel",
]

COLUMN_WIDTHS = (120, 120, 120, 100, 100)  # 提示 takes the rest
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

WARNING_BRUSH = QBrush(QColor("#fff1c9"))  # soft amber: look again before saving
BILLED_BRUSH = QBrush(QColor("#8a8f98"))
_ROOT = QModelIndex()

NO_METER_ITEMS = "没有在用的表计收费项目（如水费、电费）：请主管在“收费标准”中新增。"


class ReadingGridModel(QAbstractTableModel):
    """The ReadingSheet as a Qt model: a whole building's cells are computed in
    `data()`, and what is typed goes to the sheet."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sheet = ReadingSheet()

    @property
    def rows(self) -> list[ReadingRow]:
        return self.sheet.rows

    def load(self, rows: list[ReadingRow]) -> None:
        self.beginResetModel()
        self.sheet.load(rows)
        self.endResetModel()

    def fill(self, readings: dict[int, tuple[int, int]]) -> None:
        """Put (previous, current) into rows by index, as if typed; not saved."""
        self.sheet.fill(readings)
        if readings:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, NOTE))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.sheet.editable(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        r, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.sheet.cell(r, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if column in (ROOM, NOTE) else RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            return WARNING_BRUSH if self.sheet.needs_look(r) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return BILLED_BRUSH if self.rows[r].billed else None
        if role == Qt.ItemDataRole.ToolTipRole and column == NOTE:
            return self.sheet.cell(r, NOTE) or None
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole:
            return False
        r = index.row()
        if not self.sheet.type(r, index.column(), str(value or "")):
            return False
        self.dataChanged.emit(self.index(r, 0), self.index(r, NOTE))
        return True


class EnterMovesDown(QStyledItemDelegate):
    """Enter in a reading's editor commits it and goes to the next room (↓ and ↑
    already do: the view commits the editor when the current cell moves)."""

    def __init__(self, tab: MetersTab) -> None:
        super().__init__(tab.ui.table)
        self._tab = tab
        self.closeEditor.connect(self._closed)

    def _closed(self, _editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self._tab.go_to_room(1)


class ImportSummaryDialog(QDialog):
    """What an Excel import filled in and the rows it could not use."""

    def __init__(
        self, summary: str, problems: list[tuple[str, str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ImportSummaryDialog()
        self.ui.setupUi(self)
        self.ui.summaryLabel.setText(summary)
        set_headers(self.ui.problemTable, ("Excel 行号", "房号", "问题"))
        fill_rows(self.ui.problemTable, problems)
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("知道了")
        self.ui.buttonBox.accepted.connect(self.accept)


class MetersTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_MetersTab()
        ui.setupUi(self)
        self.model = ReadingGridModel(self)
        self._shown: tuple[int | None, int | None, str] | None = None
        self._filling = False
        self._setup_table()
        for period in period_choices(clock.today()):
            ui.periodCombo.addItem(period.label, str(period))
        ui.periodCombo.setCurrentIndex(1)  # this month
        for combo in (ui.itemCombo, ui.buildingCombo, ui.periodCombo):
            combo.currentIndexChanged.connect(lambda _index: self._choice_changed())
        ui.saveButton.clicked.connect(self.save)
        ui.importButton.clicked.connect(self.ask_import)
        self.model.dataChanged.connect(lambda *_changed: self._typed())
        self.refresh()

    def _setup_table(self) -> None:
        table = self.ui.table
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        table.setItemDelegate(EnterMovesDown(self))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # on a cell not being edited
            enter = QShortcut(QKeySequence(key), table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self._enter)

    # choices ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the meter items and buildings; the grid too unless it has unsaved edits."""
        self._filling = True
        try:
            items = [
                item
                for item in fees.list_fee_items(self.ctx.db, active_only=True)
                if item.method == FeeMethod.METER
            ]
            _refill(self.ui.itemCombo, [(item.name, item.id) for item in items])
            buildings = structure.list_buildings(self.ctx.db, self.ctx.actor)
            _refill(self.ui.buildingCombo, [(b.name, b.id) for b in buildings])
        finally:
            self._filling = False
        if not self.ctx.can(Permission.ENTER_METER_READINGS):
            self._show_rows([])
            self._say("当前角色不能录入抄表读数。")
            for widget in (self.ui.itemCombo, self.ui.buildingCombo, self.ui.periodCombo):
                widget.setEnabled(False)
            return
        if self.model.sheet.edited_count() and self._choice() == self._shown:
            self._update_count()
            return
        self._load()

    def _choice(self) -> tuple[int | None, int | None, str]:
        ui = self.ui
        return (
            ui.itemCombo.currentData(),
            ui.buildingCombo.currentData(),
            ui.periodCombo.currentData(),
        )

    def period(self) -> Period:
        return Period.parse(self.ui.periodCombo.currentData())

    def _choice_changed(self) -> None:
        if self._filling or self._choice() == self._shown:
            return
        edited = self.model.sheet.edited_count()
        if edited and not confirm(
            self,
            "放弃未保存的读数",
            f"还有 {edited} 户的读数没有保存，切换后这些读数将丢失。\n确定切换吗？",
        ):
            self._restore_choice()
            return
        self._load()

    def _restore_choice(self) -> None:
        if self._shown is None:
            return
        self._filling = True
        try:
            combos = (self.ui.itemCombo, self.ui.buildingCombo, self.ui.periodCombo)
            for combo, value in zip(combos, self._shown, strict=True):
                combo.setCurrentIndex(max(combo.findData(value), 0))
        finally:
            self._filling = False

    # the grid --------------------------------------------------------------------

    def _load(self) -> None:
        item_id, building_id, _period = choice = self._choice()
        self._shown = choice
        self._say("")
        if item_id is None or building_id is None:
            self._show_rows([])
            self._say(NO_METER_ITEMS if item_id is None else "还没有楼栋。")
            return
        try:
            rows = meters.reading_grid(
                self.ctx.db, self.ctx.actor, item_id, self.period(), building_id
            )
        except FrontDeskError as exc:
            show_error(self, exc)
            rows = []
        self._show_rows(rows)
        if not rows:
            self._say("本楼没有已交房的住宅，无需抄表。")

    def _show_rows(self, rows: list[ReadingRow]) -> None:
        self.model.load(rows)
        editable = bool(rows) and self.ctx.can(Permission.ENTER_METER_READINGS)
        self.ui.saveButton.setEnabled(editable)
        self.ui.importButton.setEnabled(editable)
        first = self.model.sheet.editable_row(0, 1)
        if first is not None:
            self.ui.table.setCurrentIndex(self.model.index(first, CURRENT))
        self._update_count()

    def _typed(self) -> None:
        if not self._filling:
            self._say("")
            self._update_count()

    def _update_count(self) -> None:
        self.ui.countLabel.setText(self.model.sheet.count_text())

    def _say(self, text: str) -> None:
        self.ui.statusLabel.setText(text)

    # keyboard --------------------------------------------------------------------

    def go_to_room(self, step: int) -> None:
        """To the next (step 1) or previous (-1) unbilled room, same reading column."""
        current = self.ui.table.currentIndex()
        column = current.column() if current.column() in READING_COLUMNS else CURRENT
        target = self.model.sheet.editable_row(current.row() + step, step)
        if target is not None:
            self.ui.table.setCurrentIndex(self.model.index(target, column))

    def _enter(self) -> None:
        self.go_to_room(1)

    # saving ----------------------------------------------------------------------

    def save(self) -> None:
        item_id = self.ui.itemCombo.currentData()
        if item_id is None or not self.model.rows:
            return
        try:
            readings = self.model.sheet.collect()
        except BadCell as bad:
            show_error(self, bad.error, "无法保存读数")
            self.ui.table.setCurrentIndex(self.model.index(bad.row, bad.column))
            self.ui.table.setFocus()
            return
        if not readings:
            self._say("没有需要保存的读数。")
            return
        try:
            saved = meters.save_readings(
                self.ctx.db, self.ctx.actor, item_id, self.period(), readings
            )
        except FrontDeskError as exc:
            show_error(self, exc, "无法保存读数")
            return
        self._load()
        self._say(f"已保存 {saved} 户读数。")

    # Excel -----------------------------------------------------------------------

    def ask_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "选择抄表 Excel 文件", "", "Excel 工作簿 (*.xlsx *.xlsm)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Read the workbook off the GUI thread, then fill the grid (not saved yet)."""
        item_id = self.ui.itemCombo.currentData()
        if item_id is None or not self.model.rows:
            return
        period, db, actor = self.period(), self.ctx.db, self.ctx.actor
        self.ctx.tasks.run(
            self,
            "正在读取抄表文件…",
            lambda _progress: meters.read_workbook(db, actor, path, item_id, period),
            lambda found: self._fill_imported(path, found),
        )

    def _fill_imported(self, path: Path, found: list[ImportedReading]) -> None:
        result = self.model.sheet.sort_imported(found, self.ui.buildingCombo.currentText())
        filled, problems = result.filled, result.problems
        self.model.fill(filled)
        warned = sum(self.model.sheet.needs_look(r) for r in filled)
        summary = f"从 {path.name} 填入 {len(filled)} 户读数（尚未保存）"
        summary += f"，其中 {warned} 户有提示，请核对标黄的行" if warned else ""
        summary += "。确认无误后请按“保存”。"
        self._say(f"已从 {path.name} 填入 {len(filled)} 户读数，尚未保存。")
        if problems:
            summary += f"\n以下 {len(problems)} 行未能填入："
            ImportSummaryDialog(summary, problems, self).exec()
        else:
            QMessageBox.information(self, "导入完成", summary)


def _refill(combo: QComboBox, entries: list[tuple[str, int]]) -> None:
    """Replace a combo's entries, keeping the chosen one when it is still there."""
    keep = combo.currentData()
    combo.clear()
    for label, value in entries:
        combo.addItem(label, value)
    index = combo.findData(keep) if keep is not None else -1
    combo.setCurrentIndex(index if index >= 0 else (0 if entries else -1))
