"""Sheets of rows for Excel: a bold header, set column widths, the header frozen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from frontdesk.errors import EnvironmentProblem

# title, header, rows, column widths
Sheet = tuple[str, Sequence[str], Iterable[Sequence[object]], Sequence[int]]


def write_sheet(book: Any, sheet: Sheet) -> None:
    """Add one sheet to an openpyxl workbook, in the house style."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    title, head, rows, widths = sheet
    page = book.create_sheet(title)
    page.append(list(head))
    for cell in page[1]:
        cell.font = Font(bold=True)
    for row in rows:
        page.append(list(row))
    for column, width in enumerate(widths, 1):
        page.column_dimensions[get_column_letter(column)].width = width
    page.freeze_panes = "A2"


def write_book(path: Path, sheets: Iterable[Sheet]) -> None:
    """A workbook of these sheets, in order, saved to path."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        write_sheet(book, sheet)
    try:
        book.save(path)
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入 {path}：{exc.strerror or exc}") from exc


def write_table(
    path: Path,
    title: str,
    head: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths: Sequence[int],
) -> None:
    """A workbook of one sheet."""
    write_book(path, [(title, head, rows, widths)])
