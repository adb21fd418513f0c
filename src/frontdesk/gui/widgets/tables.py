"""Small read-only tables (a file's attachments, contacts, report lists): headers and
rows, and sortable ones whose rows remember their record's id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
)

CELL_PADDING = 16  # px added to each fitted column, so cells do not touch
LONG_TEXT = 6  # characters: a cell this long may be cut short, and gets a tooltip
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def set_headers(table: QTableWidget, headers: Sequence[str], stretch: int | None = None) -> None:
    """Columns fitted to their contents within the table's width; the last one, or the
    `stretch` column (a description that may be cut short), takes the width left."""
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    fit_columns(table)


class _ColumnFitter(QObject):
    """Keeps a table's columns within its width, so it never scrolls sideways: columns
    sized to their contents that together are too wide give up width, the widest
    first (their text elides, whole in the tooltip where the screen sets one); as the
    table widens they grow back to their contents."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.natural: dict[int, int] = {}
        table.viewport().installEventFilter(self)

    def remember(self) -> None:
        """The widths just fitted to the contents are the ones to grow back to."""
        header = self.table.horizontalHeader()
        self.natural = {c: header.sectionSize(c) for c in self._flexible()}
        self.fit()

    def _flexible(self) -> list[int]:
        header = self.table.horizontalHeader()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        stretched = shown[-1:] if header.stretchLastSection() else []
        return [
            c
            for c in shown
            if c not in stretched
            and header.sectionResizeMode(c) == QHeaderView.ResizeMode.Interactive
        ]

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        flexible = [c for c in self._flexible() if c in self.natural]
        if not flexible:
            return
        last = header.count() - 1

        def least(column: int) -> int:
            """What a column not fitted here takes: a stretched one no less than Qt
            keeps it (a stretched last column, the default section size)."""
            if header.stretchLastSection() and column == last:
                return max(header.minimumSectionSize(), header.defaultSectionSize())
            if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
                return header.minimumSectionSize()
            return header.sectionSize(column)

        others = sum(
            least(c)
            for c in range(header.count())
            if not header.isSectionHidden(c) and c not in flexible
        )
        room = self.table.viewport().width() - others
        widths = sorted(self.natural[c] for c in flexible)
        cap = widths[-1]
        if sum(widths) > room:  # the widest give up width until all fit
            for index, width in enumerate(widths):
                rest = len(widths) - index
                if sum(widths[:index]) + width * rest >= room:
                    cap = max((room - sum(widths[:index])) // rest, header.minimumSectionSize())
                    break
        for column in flexible:
            header.resizeSection(column, min(self.natural[column], cap))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.natural:
            self.fit()
        return False


def fit_columns(table: QTableView) -> None:
    """Keep the table's columns within its width from now on (see _ColumnFitter);
    fill_rows and fill_sortable take the contents' widths as the columns' own."""
    if table.findChild(_ColumnFitter) is None:
        _ColumnFitter(table)


def _refit(table: QTableView) -> None:
    fitter = table.findChild(_ColumnFitter)
    if fitter is not None:
        fitter.remember()


def fill_rows(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, _item(QTableWidgetItem(text)))
    fit_to_contents(table)


def fit_to_contents(table: QTableWidget, widest: int | None = None) -> None:
    """Columns as wide as their contents (padded, at most `widest`), within the table."""
    table.resizeColumnsToContents()
    _pad_columns(table, widest)
    _refit(table)


def _pad_columns(table: QTableWidget, widest: int | None = None) -> None:
    """Pad each fitted column; a stretched last column keeps to the room that is left
    (padded past it, it would push the table into a sideways scroll bar)."""
    header = table.horizontalHeader()
    columns = table.columnCount() - (1 if header.stretchLastSection() else 0)
    for column in range(columns):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive:
            continue
        width = table.columnWidth(column) + CELL_PADDING
        table.setColumnWidth(column, width if widest is None else min(width, widest))


def _item(item: QTableWidgetItem) -> QTableWidgetItem:
    """A cell whose text a narrow column may cut short keeps it whole in its tooltip."""
    if len(item.text()) >= LONG_TEXT:
        item.setToolTip(item.text())
    return item


def row_id(table: QTableWidget, row: int) -> int | None:
    item = table.item(row, 0) if row >= 0 else None
    value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
    return None if value is None else int(value)


class SortItem(QTableWidgetItem):
    """A cell that sorts by its key (fen, months, dates) rather than by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        # QTableWidgetItem.__lt__ recurses back here on PySide6 6.11: compare the text.
        return self.text() < other.text()


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
            item = _item(SortItem(text))
            if key is not None:
                item.setData(SORT_ROLE, key)
            if c in right:
                item.setTextAlignment(RIGHT)
            if c == 0 and ids is not None:
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
            table.setItem(r, c, item)
    fit_to_contents(table, 360)
    table.setSortingEnabled(sorting)


def select_row(view: QAbstractItemView, row: int) -> None:
    """Make `row` the one selected and current, as a click would. Not `selectRow`: that
    reads the keys held at the moment, and with Ctrl down it toggles the row off."""
    model, selection = view.model(), view.selectionModel()
    if model is None or selection is None:
        return
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows
        | QItemSelectionModel.SelectionFlag.Current
    )
    selection.setCurrentIndex(model.index(row, 0), flags)
