"""Sheets of rows for Excel: a bold header, set column widths, the header frozen.

The one writer of the program's Excel exports. Every value written from text is a text
cell, never a formula (domain/spreadsheet.py): `text_cells` makes a row's cells that
way, for ordinary and write-only workbooks alike, and every export appends through it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from frontdesk.domain.spreadsheet import keep_as_text
from frontdesk.errors import EnvironmentProblem

# title, header, rows, column widths
Sheet = tuple[str, Sequence[str], Iterable[Sequence[object]], Sequence[int]]


def text_cells(sheet: Any, values: Iterable[object]) -> list[Any]:
    """A row for `sheet.append`: each value in its own cell, text kept as text."""
    from openpyxl.cell import WriteOnlyCell

    return [keep_as_text(WriteOnlyCell(sheet, value=value)) for value in values]


def write_sheet(book: Any, sheet: Sheet) -> None:
    """Add one sheet to an openpyxl workbook, in the house style."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    title, head, rows, widths = sheet
    page = book.create_sheet(title)
    page.append(text_cells(page, head))
    for cell in page[1]:
        cell.font = Font(bold=True)
    for row in rows:
        page.append(text_cells(page, row))
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
