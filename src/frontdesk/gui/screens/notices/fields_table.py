"""The fields table of the 通知模板 editor: what a template asks the counter to fill
in, one row a field — its name, kind, whether it is required, a hint and a default."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QInputDialog,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from frontdesk.domain.notices import FIELD_KIND_LABELS, MAX_FIELD_NAME, FieldKind, NoticeField
from frontdesk.gui.widgets.tables import select_row

NEW_FIELD = "新字段"
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # a default's whole text (the cell shows a line)
NAME, KIND, REQUIRED, HINT, DEFAULT = range(5)
COLUMNS = ("字段名", "类型", "必填", "提示", "默认值")


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        return text.strip()
    return f"{lines[0].strip()[:16]}…（共 {len(lines)} 行）"


class FieldsTable(QObject):
    """The table's rows as NoticeFields, and the edits made to them: a kind is picked
    from a combo, a long default shows its first line and is edited in a dialog.

    Signals: edited() after each change made in the table, never while it is filled."""

    edited = Signal()

    def __init__(self, table: QTableWidget, owner: QWidget) -> None:
        super().__init__(owner)
        self.table, self.owner = table, owner
        self.filling = False
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((NAME, 96), (KIND, 96), (REQUIRED, 44), (HINT, 120)):
            table.setColumnWidth(column, width)
        table.itemChanged.connect(self._cell_changed)
        table.cellDoubleClicked.connect(self._edit_long_default)

    def fill(self, fields: tuple[NoticeField, ...], select: int = -1) -> None:
        table = self.table
        filling, self.filling = self.filling, True
        table.setRowCount(0)
        for field in fields:
            self._add_row(field)
        self.filling = filling
        if select >= 0:
            select_row(table, select)

    def _add_row(self, field: NoticeField) -> int:
        table = self.table
        r = table.rowCount()
        table.insertRow(r)
        table.setItem(r, NAME, QTableWidgetItem(field.name))
        combo = QComboBox(table)
        for kind in FieldKind:
            combo.addItem(FIELD_KIND_LABELS[kind], kind.value)
        combo.setCurrentIndex(list(FieldKind).index(field.kind))
        combo.currentIndexChanged.connect(lambda _i, c=combo: self._kind_changed(c))
        table.setCellWidget(r, KIND, combo)
        required = QTableWidgetItem()
        required.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsSelectable
        )
        required.setCheckState(Qt.CheckState.Checked if field.required else Qt.CheckState.Unchecked)
        required.setToolTip("必填：发布时不能空着")
        table.setItem(r, REQUIRED, required)
        table.setItem(r, HINT, QTableWidgetItem(field.hint))
        default = QTableWidgetItem()
        default.setData(VALUE_ROLE, field.default)
        table.setItem(r, DEFAULT, default)
        self._show_default(r)
        return r

    def cell(self, r: int, column: int) -> QTableWidgetItem:
        item = self.table.item(r, column)
        assert item is not None
        return item

    def _kind(self, r: int) -> FieldKind:
        combo = self.table.cellWidget(r, KIND)
        assert isinstance(combo, QComboBox)
        return FieldKind(combo.currentData())

    def _show_default(self, r: int) -> None:
        """A long default shows its first line; it is edited in a dialog."""
        item = self.cell(r, DEFAULT)
        value = str(item.data(VALUE_ROLE) or "")
        filling, self.filling = self.filling, True
        long = self._kind(r) is FieldKind.LONG_TEXT
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item.setFlags(flags if long else flags | Qt.ItemFlag.ItemIsEditable)
        item.setText(_one_line(value) if long else value)
        item.setToolTip(f"{value}\n\n（双击修改）" if long else value)
        self.filling = filling

    def _kind_changed(self, combo: QComboBox) -> None:
        table = self.table
        for r in range(table.rowCount()):
            if table.cellWidget(r, KIND) is combo:
                self._show_default(r)
        self.edited.emit()

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if self.filling:
            return
        if item.column() == DEFAULT:
            item.setData(VALUE_ROLE, item.text())
        self.edited.emit()

    def _edit_long_default(self, r: int, column: int) -> None:
        if column != DEFAULT or self._kind(r) is not FieldKind.LONG_TEXT:
            return
        item = self.cell(r, DEFAULT)
        name = self.cell(r, NAME).text()
        text, ok = QInputDialog.getMultiLineText(
            self.owner,
            "默认值",
            f"“{name}”的默认值（每行一条，以“- ”开头印成列表）：",
            item.data(VALUE_ROLE),
        )
        if ok:
            item.setData(VALUE_ROLE, text)
            self._show_default(r)
            self.edited.emit()

    def fields(self) -> tuple[NoticeField, ...]:
        return tuple(
            NoticeField(
                self.cell(r, NAME).text(),
                self._kind(r),
                self.cell(r, REQUIRED).checkState() == Qt.CheckState.Checked,
                self.cell(r, HINT).text(),
                str(self.cell(r, DEFAULT).data(VALUE_ROLE) or ""),
            )
            for r in range(self.table.rowCount())
        )

    def add_field(self) -> None:
        names = {f.name for f in self.fields()}
        name = next(
            f"{NEW_FIELD}{n}" if n > 1 else NEW_FIELD
            for n in range(1, 100)
            if (f"{NEW_FIELD}{n}" if n > 1 else NEW_FIELD) not in names
        )
        filling, self.filling = self.filling, True
        r = self._add_row(NoticeField(name[:MAX_FIELD_NAME], FieldKind.TEXT))
        self.filling = filling
        table = self.table
        select_row(table, r)
        table.setCurrentCell(r, NAME)
        table.editItem(self.cell(r, NAME))
        self.edited.emit()

    def selected(self) -> int:
        """The first row selected, or -1."""
        rows = {index.row() for index in self.table.selectedIndexes()}
        return min(rows) if rows else -1

    def remove_field(self) -> None:
        r = self.selected()
        if r < 0:
            return
        fields = list(self.fields())
        del fields[r]
        self.fill(tuple(fields), min(r, len(fields) - 1))
        self.edited.emit()

    def move_field(self, step: int) -> None:
        r = self.selected()
        fields = list(self.fields())
        if r < 0 or not 0 <= r + step < len(fields):
            return
        fields[r], fields[r + step] = fields[r + step], fields[r]
        self.fill(tuple(fields), r + step)
        self.edited.emit()

    def row_named(self, name: str) -> int:
        """The last row of that name: of two alike, the second is the one refused."""
        rows = range(self.table.rowCount())
        return max((r for r in rows if self.cell(r, NAME).text() == name), default=-1)
