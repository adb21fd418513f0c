"""Write audit entries to an .xlsx file (Qt-free; runs on the task worker)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from frontdesk.gui.screens.admin.audit_format import change_lines
from frontdesk.gui.screens.admin.formatting import local_time
from frontdesk.services.audit import AuditRow
from frontdesk.services.progress import Progress

PAGE = 500
HEADERS = ("编号", "时间", "用户", "操作", "摘要", "字段变更")
WIDTHS = (10, 21, 14, 10, 50, 60)


def export_rows(
    path: str | Path,
    ids: list[int],
    fetch: Callable[[list[int]], list[AuditRow]],
    progress: Progress,
) -> int:
    """Write the entries `ids` (in that order) to `path`; returns how many were written."""
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "审计日志"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    written = 0
    wrap = Alignment(wrap_text=True, vertical="top")
    for start in range(0, len(ids), PAGE):
        for row in fetch(ids[start : start + PAGE]):
            changes = "\n".join(change_lines(row))
            sheet.append(
                (row.id, local_time(row.at), row.username, row.action_label, row.summary, changes)
            )
            sheet.cell(sheet.max_row, 6).alignment = wrap
            written += 1
        progress.step(min(start + PAGE, len(ids)), len(ids))
    book.save(path)
    return written
