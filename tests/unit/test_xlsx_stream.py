"""Reading a sheet straight from its XML (xlsx_read.stream_rows, used by 数据导入 for
large sheets) gives what openpyxl gives (xlsx_read.open_rows), refusals included."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from frontdesk.errors import ValidationError
from frontdesk.services import xlsx_read
from tests import onboarding_books as books
from tests.unit.test_xlsx_hostile import BAD_FILES

BOOKS = {
    "rooms": books.rooms_one_code,
    "columns": books.rooms_in_columns,
    "linked": books.owners_linked,
    "balances": books.balances_book,
    "history": books.history_book,
    "meters": books.meters_book,
    "roster": books.roster_layout,
}


def _both(path: Path, sheet: str | None = None) -> tuple[list[Any], list[Any]]:
    return (
        list(xlsx_read.open_rows(path, sheet=sheet)),
        list(xlsx_read.stream_rows(path, sheet=sheet)),
    )


@pytest.mark.parametrize("name", BOOKS)
def test_the_test_books_read_alike(tmp_path: Path, name: str) -> None:
    path = BOOKS[name](tmp_path / f"{name}.xlsx")
    for sheet in xlsx_read.sheet_parts(xlsx_read.checked_bytes(path)):
        by_openpyxl, by_xml = _both(path, sheet[0])
        assert by_xml == by_openpyxl


def test_odd_cells_read_alike(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "杂"
    sheet["A1"] = "房号"
    sheet["B1"] = CellRichText(["业主", TextBlock(InlineFont(b=True), "姓名")])
    sheet["A3"] = "=1+1"  # a formula stored without a result
    sheet["B3"] = True
    sheet["C3"] = "#REF!"
    sheet["D3"] = datetime(2025, 3, 1, 8, 30)
    sheet["E3"] = date(2025, 3, 1)
    sheet["F3"] = time(8, 30)
    sheet["G3"] = 45717
    sheet["G3"].number_format = "yyyy/m/d"
    sheet["H3"] = 1.5
    sheet["I3"] = ""
    sheet["J3"] = 13812345678
    sheet["K3"] = 320102196002020014
    sheet["A6"] = "  spaced  "
    sheet["C6"] = "=SUM(H3:H4)"
    book.save(tmp_path / "odd.xlsx")
    by_openpyxl, by_xml = _both(tmp_path / "odd.xlsx")
    assert by_xml == by_openpyxl
    assert by_xml[1] == () and len(by_xml) == 6


def test_a_sheet_not_there_is_the_first_as_open_rows_has_it(tmp_path: Path) -> None:
    path = books.owners_linked(tmp_path / "linked.xlsx")
    by_openpyxl, by_xml = _both(path, "没有这张表")
    assert by_xml == by_openpyxl and by_xml[0][0] == "楼栋"


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_refused_alike(tmp_path: Path, kind: str) -> None:
    data, _ = BAD_FILES[kind]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    messages = []
    for read in (xlsx_read.open_rows, xlsx_read.stream_rows):
        with pytest.raises(ValidationError) as caught:
            list(read(path, what="文件"))
        messages.append(caught.value.message)
    # a sheet's broken XML: openpyxl finds it at load, the stream on its first row
    assert messages[1] == messages[0] or all("损坏" in message for message in messages)


def test_the_limits_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_read, "MAX_ROWS", 3)
    path = books.rooms_one_code(tmp_path / "rooms.xlsx")
    with pytest.raises(ValidationError, match="超过 3 行的上限"):
        list(xlsx_read.stream_rows(path))
    with pytest.raises(ValidationError, match="超过 5 行的上限"):
        list(xlsx_read.stream_rows(path, max_rows=5))
    assert len(list(xlsx_read.stream_rows(path, max_rows=20))) == 13
