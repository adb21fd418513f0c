"""The audit log as a lazy table: ids up front, rows a page at a time.

Built on the shared `LazyTableModel` (ids from `entry_ids`, pages of 200 rows
from `entry_rows` only when the view paints them), adding a tooltip with the
full summary and a count of page fetches so tests can prove the laziness.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from frontdesk.domain.clock import local_time
from frontdesk.gui.widgets.lazy_table import AnyIndex, Column, LazyTableModel
from frontdesk.services.protection.audit import AuditRow
from frontdesk.services.protection.audit_text import entry_summary, writer_text

AUDIT_COLUMNS: list[Column[AuditRow]] = [
    Column("时间", lambda r: local_time(r.at)),
    Column("用户", writer_text),
    Column("操作", lambda r: r.action_label),
    Column("摘要", entry_summary),
]
SUMMARY_COLUMN = 3


class AuditModel(LazyTableModel[AuditRow]):
    def __init__(self, fetch: Callable[[list[int]], list[AuditRow]]) -> None:
        self.pages_fetched = 0

        def counted(ids: list[int]) -> list[AuditRow]:
            self.pages_fetched += 1
            return fetch(ids)

        super().__init__(AUDIT_COLUMNS, counted, lambda r: r.id)

    @property
    def cached_rows(self) -> int:
        return len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            if index.column() == SUMMARY_COLUMN:
                row = self.row_at(index.row())
                return entry_summary(row) if row else None
            return None
        return super().data(index, role)
