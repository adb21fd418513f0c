"""A table model that holds only ids and fetches rows a page at a time, when Qt
asks for them — so a list of 20,000 rooms or 100,000 audit entries costs one
id query up front (the pattern of Anki's browser table)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

Row = TypeVar("Row")
PAGE_SIZE = 200
LONG_TEXT = 6  # characters: a cell this long may be cut short, and gets a tooltip
AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    align_right: bool = False
    colour: Callable[[Row], str | None] | None = None  # the text's colour, "#b3261e"


class LazyTableModel(QAbstractTableModel, Generic[Row]):
    def __init__(
        self,
        columns: Sequence[Column[Row]],
        fetch: Callable[[list[int]], list[Any]],
        row_id: Callable[[Row], int],
    ) -> None:
        super().__init__()
        self._columns = list(columns)
        self._fetch = fetch
        self._row_id = row_id
        self._ids: list[int] = []
        self._rows: dict[int, Row] = {}

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._rows.clear()
        self.endResetModel()

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, item_id: int) -> int:
        """Position of an id, or -1."""
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def row_at(self, row: int) -> Row | None:
        item_id = self._ids[row]
        if item_id not in self._rows:
            start = row - row % PAGE_SIZE
            page = self._ids[start : start + PAGE_SIZE]
            for fetched in self._fetch(page):
                self._rows[self._row_id(fetched)] = fetched
        return self._rows.get(item_id)

    def forget_all(self) -> None:
        """Drop every cached row: each is fetched again when next shown."""
        self._rows.clear()
        if self._ids:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, last))

    def forget(self, item_id: int) -> None:
        """Drop a cached row so it is fetched again (after an edit)."""
        self._rows.pop(item_id, None)
        position = self.row_of(item_id)
        if position >= 0:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(position, 0), self.index(position, last))

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            row = self.row_at(index.row())
            colour = column.colour(row) if row is not None else None
            return QColor(colour) if colour else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        text = "" if row is None else column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:  # whole, where a narrow column cuts it
            return text if len(text) >= LONG_TEXT else None
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title
        return None
