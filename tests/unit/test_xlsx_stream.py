"""Reading a sheet straight from its XML (xlsx_read.stream_rows, used by 数据导入 for
large sheets) gives what openpyxl gives (xlsx_read.open_rows), refusals included."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from frontdesk.errors import ValidationError
from frontdesk.services import xlsx_plain, xlsx_read
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


PLAIN_SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>房号</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t xml:space="preserve"> 业主 </t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>A&amp;B&#x4E00;</t></is></c>'
    '<c r="D1" t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></is></c></row>'
    '<row r="3" spans="1:5"><c r="B3" s="0"><v>1.5</v></c><c r="C3"/><c r="D3" t="b"><v>1</v></c>'
    '<c r="E3"><f>1+1</f></c><c r="F3"><f>A1</f><v>7</v></c><c r="G3" t="str"><v>x</v></c>'
    '<c r="H3"><v></v></c><c t="inlineStr"><is><t>无引用</t></is></c></row>'
    '<row r="4"/>'
    "<row><c><v>320102196002020014</v></c></row>"
    "</sheetData></worksheet>"
).encode()


def test_plain_sheet_data_reads_as_the_xml_parser_does(tmp_path: Path) -> None:
    path = books.rooms_one_code(tmp_path / "rooms.xlsx")
    with zipfile.ZipFile(path) as archive:
        cells = xlsx_read._XmlCells(archive)
        sheets = [archive.read(name) for name in archive.namelist() if "worksheets/" in name]
    for xml in (PLAIN_SHEET, *sheets):
        body = xlsx_plain.plain_sheet_data(xml)
        assert body is not None  # the quick reading is taken
        assert list(cells._plain_rows(body)) == list(cells._rows_of_tree(xml))
    rows = list(cells.rows(PLAIN_SHEET))
    assert rows[0] == ("房号", " 业主 ", "A&B一", "富文本")
    assert rows[1] == () and rows[3] == () and rows[4] == (320102196002020014,)
    assert rows[2][:4] == (None, 1.5, None, True) and rows[2][4].text == "=1+1"
    assert rows[2][5:] == (7, "x", None, "无引用")


@pytest.mark.parametrize(
    "odd",
    [
        b"<!-- a comment -->",
        b"<![CDATA[x]]>",
        b'<x:c xmlns:x="urn:x"/>',
        b"<c r='A9'/>",
    ],
)
def test_what_the_patterns_cannot_read_goes_to_the_xml_parser(odd: bytes) -> None:
    xml = PLAIN_SHEET.replace(b"</sheetData>", b'<row r="9">' + odd + b"</row></sheetData>")
    assert xlsx_plain.plain_sheet_data(xml) is None
    assert xlsx_plain.plain_sheet_data(xml.replace(b"</worksheet>", b"")) is None
