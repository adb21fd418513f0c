"""抄表录入: one building's residences for a meter item and month, typed from the
抄表员's sheet or filled from an Excel file, checked and saved all at once.

Keyboard flow: type a reading (typing replaces the cell), Enter or ↓ goes to the
next room, ↑ back. Rows that deserve a second look (a reading below the last one,
far more than the usual use, not a number) turn amber as soon as they are typed.

The grid is a model, not a QTableWidget: a whole building's cells are computed in
`data()` instead of being pushed into hundreds of items on every reload.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
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
from frontdesk.domain.area import format_m2
from frontdesk.domain.fees import FeeMethod, ReadingFormatError, parse_reading, reading_warning
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_import_summary_dialog_ui import Ui_ImportSummaryDialog
from frontdesk.gui.forms.cashier_meters_tab_ui import Ui_MetersTab
from frontdesk.gui.messages import confirm, show_error
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.fees import items as fees
from frontdesk.services.fees import meters
from frontdesk.services.fees.meters import ImportedReading, ReadingInput, ReadingRow
from frontdesk.services.households import structure

COLUMNS = ("房号", "上次读数", "本次读数", "用量", "平时用量", "提示")
ROOM, PREVIOUS, CURRENT, USED, USUAL, NOTE = range(len(COLUMNS))
COLUMN_WIDTHS = (120, 120, 120, 100, 100)  # 提示 takes the rest
READING_COLUMNS = (PREVIOUS, CURRENT)
FIELD_NAMES = {PREVIOUS: "上次读数", CURRENT: "本次读数"}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

WARNING_BRUSH = QBrush(QColor("#fff1c9"))  # soft amber: look again before saving
BILLED_BRUSH = QBrush(QColor("#8a8f98"))
_ROOT = QModelIndex()
MONTHS_BACK = 11  # the period list: next month, this month and 11 before it

BAD_READING = "须为不小于 0 的数字，最多两位小数"
BAD_FORMAT_WARNING = f"读数格式不对：{BAD_READING}"
NOT_LISTED = "（未交房、非住宅或不属本楼）"
NO_METER_ITEMS = "没有在用的表计收费项目（如水费、电费）：请主管在“收费标准”中新增。"


def _reading(text: str) -> int | None:
    """A typed reading in hundredths; None when blank. Raises ReadingFormatError."""
    return parse_reading(text) if text.strip() else None


def _reading_text(hundredths: int | None) -> str:
    return format_m2(hundredths) if hundredths is not None else ""


def _signed_m2(hundredths: int) -> str:
    return ("-" if hundredths < 0 else "") + format_m2(abs(hundredths))


def period_choices(today: date) -> list[Period]:
    """Next month first, then this month and the months before it."""
    this_month = Period.of(today)
    return [this_month.shifted(1 - i) for i in range(MONTHS_BACK + 2)]


class BadCell(Exception):
    """A typed reading that cannot be saved: where it is and what is wrong."""

    def __init__(self, row: int, column: int, error: ValidationError) -> None:
        super().__init__(error.message)
        self.row, self.column, self.error = row, column, error


class ReadingGridModel(QAbstractTableModel):
    """The rooms as the service gave them plus what has been typed over them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ReadingRow] = []
        self._typed: list[list[str]] = []  # [上次读数, 本次读数] as shown / typed

    def load(self, rows: list[ReadingRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._typed = [
            [_reading_text(row.previous_x100), _reading_text(row.current_x100)] for row in rows
        ]
        self.endResetModel()

    # what was typed ----------------------------------------------------------------

    def text(self, r: int, column: int) -> str:
        return self._typed[r][READING_COLUMNS.index(column)]

    def fill(self, readings: dict[int, tuple[int, int]]) -> None:
        """Put (previous, current) into rows by index, as if typed; not saved."""
        for r, (previous, current) in readings.items():
            self._typed[r] = [format_m2(previous), format_m2(current)]
        if readings:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, NOTE))

    def values(self, r: int) -> tuple[int | None, int | None]:
        """(previous, current) as typed; ReadingFormatError for a bad number."""
        previous, current = self._typed[r]
        return _reading(previous), _reading(current)

    def is_edited(self, r: int) -> bool:
        row = self.rows[r]
        if row.billed:
            return False
        try:
            return self.values(r) != (row.previous_x100, row.current_x100)
        except ReadingFormatError:
            return True

    def edited_count(self) -> int:
        return sum(self.is_edited(r) for r in range(len(self.rows)))

    def warning(self, r: int) -> str:
        """Why row r deserves a second look ('' when it looks right)."""
        try:
            previous, current = self.values(r)
        except ReadingFormatError:
            return BAD_FORMAT_WARNING
        if current is None:
            return ""
        if previous is None:
            return "缺少上次读数：首次抄表请填写表的起始读数"
        return reading_warning(previous, current, self.rows[r].usual_x100)

    def needs_look(self, r: int) -> bool:
        """Amber and counted: a warning on a row that can still be corrected."""
        return not self.rows[r].billed and bool(self.warning(r))

    def counts(self) -> tuple[int, int, int]:
        """(rooms with a reading, rows with a warning, rows edited but not saved)."""
        read = sum(bool(typed[1].strip()) for typed in self._typed)
        warnings = sum(self.needs_look(r) for r in range(len(self.rows)))
        return read, warnings, self.edited_count()

    def collect(self) -> list[ReadingInput]:
        """The edited rows as readings to save; BadCell for the first that is not right."""
        found = []
        for r, row in enumerate(self.rows):
            if not self.is_edited(r):
                continue
            values = []
            for column in READING_COLUMNS:
                text = self.text(r, column)
                try:
                    values.append(_reading(text))
                except ReadingFormatError:
                    problem = f"“{text}”不是有效读数，{BAD_READING}"
                    raise self._bad(r, column, problem) from None
            previous, current = values
            if current is None:
                problem = (
                    "已保存的读数不能清空，请填写正确的读数"
                    if row.current_x100 is not None
                    else "已填写上次读数，请同时填写本次读数"
                )
                raise self._bad(r, CURRENT, problem)
            if previous is None:
                raise self._bad(r, PREVIOUS, "首次抄表请填写表的起始读数")
            found.append(ReadingInput(row.room_id, previous, current))
        return found

    def _bad(self, r: int, column: int, problem: str) -> BadCell:
        field = f"{self.rows[r].room_code} {FIELD_NAMES[column]}"
        return BadCell(r, column, ValidationError(field, problem))

    # the Qt model ------------------------------------------------------------------

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
        if index.column() in READING_COLUMNS and not self.rows[index.row()].billed:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        r, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._cell(r, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if column in (ROOM, NOTE) else RIGHT
        if role == Qt.ItemDataRole.BackgroundRole:
            return WARNING_BRUSH if self.needs_look(r) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return BILLED_BRUSH if self.rows[r].billed else None
        if role == Qt.ItemDataRole.ToolTipRole and column == NOTE:
            return self._cell(r, NOTE) or None
        return None

    def _cell(self, r: int, column: int) -> str:
        row = self.rows[r]
        if column == ROOM:
            return row.room_code
        if column in READING_COLUMNS:
            return self.text(r, column)
        if column == USUAL:
            return _reading_text(row.usual_x100)
        if column == USED:
            return self._used(r)
        warning = self.warning(r)
        return "；".join(part for part in ("已出账" if row.billed else "", warning) if part)

    def _used(self, r: int) -> str:
        try:
            previous, current = self.values(r)
        except ReadingFormatError:
            return ""
        if previous is None or current is None:
            return ""
        return _signed_m2(current - previous)

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        r, column = index.row(), index.column()
        text = str(value or "").strip()
        # A good number is shown the way readings are (1234.5 -> 1,234.50); a bad one
        # stays as typed, its row turns amber and 保存 names it.
        with suppress(ReadingFormatError):
            text = _reading_text(_reading(text))
        self._typed[r][READING_COLUMNS.index(column)] = text
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
        if self.model.edited_count() and self._choice() == self._shown:
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
        edited = self.model.edited_count()
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
        first = self._editable_row(0, 1)
        if first is not None:
            self.ui.table.setCurrentIndex(self.model.index(first, CURRENT))
        self._update_count()

    def _typed(self) -> None:
        if not self._filling:
            self._say("")
            self._update_count()

    def _update_count(self) -> None:
        read, warnings, edited = self.model.counts()
        text = f"已抄 {read} / 共 {len(self.model.rows)} 户，提示 {warnings} 条"
        if edited:
            text += f"，未保存 {edited} 户"
        self.ui.countLabel.setText(text)

    def _say(self, text: str) -> None:
        self.ui.statusLabel.setText(text)

    # keyboard --------------------------------------------------------------------

    def _editable_row(self, start: int, step: int) -> int | None:
        r = start
        while 0 <= r < len(self.model.rows):
            if not self.model.rows[r].billed:
                return r
            r += step
        return None

    def go_to_room(self, step: int) -> None:
        """To the next (step 1) or previous (-1) unbilled room, same reading column."""
        current = self.ui.table.currentIndex()
        column = current.column() if current.column() in READING_COLUMNS else CURRENT
        target = self._editable_row(current.row() + step, step)
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
            readings = self.model.collect()
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
        rows = self.model.rows
        by_room = {row.room_id: r for r, row in enumerate(rows)}
        building = self.ui.buildingCombo.currentText()
        problems: list[tuple[str, str, str]] = []
        filled: dict[int, tuple[int, int]] = {}
        for imported in found:
            line = (str(imported.row_number), imported.room_text)
            reading = imported.reading
            r = by_room.get(reading.room_id) if reading else None
            if reading is None:
                problems.append((*line, imported.problem))
            elif r is None:
                problems.append((*line, f"不在{building}本期的抄表名单中{NOT_LISTED}"))
            elif rows[r].billed:
                problems.append((*line, "本期已出账，读数不能再修改"))
            else:
                filled[r] = (reading.previous_x100, reading.current_x100)
        self.model.fill(filled)
        warned = sum(self.model.needs_look(r) for r in filled)
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
