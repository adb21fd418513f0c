"""One sheet of rows for Excel: a bold header, set column widths, the header frozen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from frontdesk.errors import EnvironmentProblem


def write_table(
    path: Path,
    title: str,
    head: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[int],
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(head))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    try:
        book.save(path)
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入 {path}：{exc.strerror or exc}") from exc
