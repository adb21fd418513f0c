"""Excel files handed over at the counter, careless or hostile: each is refused whole with
a message naming the file and the problem (and nothing saved), or read row by row with
every odd cell reported by row and column, never a crash."""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.exceptions import IllegalCharacterError

from frontdesk.domain.periods import Period
from frontdesk.errors import ValidationError
from frontdesk.services import stats, xlsx_read
from frontdesk.services.fees import meters
from frontdesk.services.households import file as households
from frontdesk.services.households import roster, search, structure
from frontdesk.services.households.structure import NewBuilding
from frontdesk.services.protection import audit

GOOD_ID = "11010519491231002X"


@pytest.fixture
def building(db, admin):
    structure.create_building(db, admin, NewBuilding("3", "", 12, 2, 2, "89.5"))
    return db


def row(
    room: Any = "3-2-1201", kind: Any = "产权人", name: Any = "张三", **cells: Any
) -> list[Any]:
    values = dict.fromkeys(roster.COLUMNS, None)
    values.update({"房号": room, "类别": kind, "姓名": name, **cells})
    return [values[c] for c in roster.COLUMNS]


def roster_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = roster.SHEET
    sheet.append(roster.COLUMNS)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The workbook with members replaced, added or (None) left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            if info.filename not in change:
                new.writestr(info, old.read(info))
        for name, content in change.items():
            if content is not None:
                new.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def patch_central_directory(data: bytes, member: str, *, size: int = 0, flags: int = 0) -> bytes:
    """Declare another unpacked size for `member`, or set general-purpose flag bits."""
    buffer = bytearray(data)
    at = buffer.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", buffer, at + 28)[0]
        name = bytes(buffer[at + 46 : at + 46 + name_length]).decode()
        if name == member:
            if size:
                struct.pack_into("<I", buffer, at + 24, size)
            buffer[at + 8] |= flags
        at = buffer.find(b"PK\x01\x02", at + 4)
    return bytes(buffer)


# -- files that are not a sound .xlsx ----------------------------------------------

GOOD = roster_bytes([row()])
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>&lol2;</t></is></c></row>"
    b"</sheetData></worksheet>"
)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


BAD_FILES = {
    "random bytes": (random.Random(7).randbytes(5000), "不是 Excel 工作簿（.xlsx）"),
    "a CSV saved as .xlsx": ("房号,姓名\n3-2-1201,张三\n".encode(), "不是 Excel 工作簿（.xlsx）"),
    "an empty file": (b"", "文件是空的"),
    "a truncated xlsx": (GOOD[: len(GOOD) // 2], "文件已损坏或不完整"),
    "the zip header alone": (GOOD[:30], "文件已损坏或不完整"),
    "an .xls renamed": (OLE + b"Workbook".ljust(64, b"\0"), "旧版 Excel 97-2003"),
    "an xlsx with a password": (OLE + "EncryptedPackage".encode("utf-16-le"), "打开密码"),
    "a zip that is no workbook": (_zip({"readme.txt": b"hello"}), "是压缩包而不是 Excel"),
    "a Word document": (
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
        "是压缩包而不是 Excel",
    ),
    "a zip with encrypted members": (
        patch_central_directory(GOOD, "xl/worksheets/sheet1.xml", flags=0x1),
        "文件已加密",
    ),
    "broken workbook XML": (rezip(GOOD, {"xl/workbook.xml": b"<workbook"}), "文件已损坏"),
    "a workbook part missing": (rezip(GOOD, {"xl/workbook.xml": None}), "文件已损坏"),
    "broken sheet XML": (
        rezip(GOOD, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
        "文件已损坏",
    ),
    "a bad number in a cell": (
        rezip(
            GOOD,
            {
                "xl/worksheets/sheet1.xml": sheet_xml(GOOD)
                .replace(
                    '<c r="A1" t="inlineStr"><is><t>房号</t></is></c>', '<c r="A1"><v>1x2</v></c>'
                )
                .encode()
            },
        ),
        "内容已损坏",
    ),
    "entity expansion (billion laughs)": (
        rezip(GOOD, {"xl/worksheets/sheet1.xml": LAUGHS}),
        "XML 声明",
    ),
    "a declared zip bomb": (
        patch_central_directory(GOOD, "xl/worksheets/sheet1.xml", size=2**31 - 1),
        "解压后超过 200 MB",
    ),
    "a member bigger than it declares": (
        patch_central_directory(GOOD, "xl/worksheets/sheet1.xml", size=40),
        "损坏",
    ),
    "a row beyond Excel's last": (
        rezip(
            GOOD,
            {
                "xl/worksheets/sheet1.xml": sheet_xml(GOOD)
                .replace('<row r="2">', '<row r="2000000">')
                .replace('r="A2"', 'r="A2000000"')
                .encode()
            },
        ),
        "超过 Excel 的上限",
    ),
}


def refusal(path: Path, what: str = "文件") -> str:
    with pytest.raises(ValidationError) as caught:
        list(xlsx_read.open_rows(path, what=what))
    assert caught.value.field == what
    return caught.value.message


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_file_that_is_no_sound_xlsx_is_refused_naming_it(tmp_path, kind) -> None:
    content, fragment = BAD_FILES[kind]
    path = tmp_path / "名册.xlsx"
    path.write_bytes(content)
    message = refusal(path)
    assert message.startswith("文件：无法读取 名册.xlsx：") and fragment in message


def test_a_missing_file_a_folder_and_a_file_over_20_mb(tmp_path) -> None:
    assert "找不到文件" in refusal(tmp_path / "没有.xlsx")
    (tmp_path / "文件夹.xlsx").mkdir()
    assert "是一个文件夹" in refusal(tmp_path / "文件夹.xlsx")
    (tmp_path / "big.xlsx").write_bytes(GOOD + bytes(21 * 1024 * 1024))
    assert "文件有 21.0 MB，超过 20 MB 的上限" in refusal(tmp_path / "big.xlsx")


def test_a_zip_bomb_is_refused_by_what_it_unpacks_to(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(xlsx_read, "MAX_UNPACKED_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(rezip(GOOD, {"xl/media/image1.bin": bytes(2 * 1024 * 1024)}))
    assert path.stat().st_size < 20_000
    assert "解压后超过 1 MB" in refusal(path)


def test_more_columns_than_the_limit_are_refused(tmp_path) -> None:
    path = tmp_path / "wide.xlsx"
    path.write_bytes(roster_bytes([row() + [None] * 190 + ["x"]]))
    assert "第 2 行超过 200 列" in refusal(path)
    path.write_bytes(roster_bytes([row() + [None] * 300]))  # empty cells far right are fine
    assert len(list(xlsx_read.open_rows(path))) == 2


def test_the_row_limit_counts_rows_with_something_in_them(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(xlsx_read, "MAX_ROWS", 5)
    path = tmp_path / "r.xlsx"
    path.write_bytes(roster_bytes([row(name=f"人{n}") for n in range(4)] + [[None]] * 20))
    assert sum(1 for cells in xlsx_read.open_rows(path) if cells) == 5  # the header too
    path.write_bytes(roster_bytes([row(name=f"甲{n}") for n in range(5)]))
    assert "有内容的行超过 5 行的上限" in refusal(path)


def test_no_refused_file_is_half_imported(building, admin, tmp_path) -> None:
    """Roster import and meter import alike: nothing saved, nothing logged."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(roster.SHEET)
    sheet.append(roster.COLUMNS)
    for _ in range(xlsx_read.MAX_ROWS):  # the real limit: the refusal comes at the last row
        sheet.append(["3-2-1201", "产权人", "张三"])
    book.save(tmp_path / "huge.xlsx")
    files = {"huge.xlsx": "超过 50000 行的上限", "没有.xlsx": "找不到文件"}
    for number, (content, fragment) in enumerate(BAD_FILES.values()):
        (tmp_path / f"{number}.xlsx").write_bytes(content)
        files[f"{number}.xlsx"] = fragment
    entries = len(audit.entry_ids(building, admin))
    for name, fragment in files.items():
        path = tmp_path / name
        with pytest.raises(ValidationError, match=re.escape(fragment)) as caught:
            roster.import_roster(building, admin, path)
        assert caught.value.field == "文件"
        with pytest.raises(ValidationError, match=f"^抄表文件：.*{re.escape(fragment)}"):
            meters.read_workbook(building, admin, path, 1, Period(2026, 11))
    assert stats.counts(building)["persons"] == 0
    assert len(audit.entry_ids(building, admin)) == entries


# -- formulas ------------------------------------------------------------------------


def test_a_formula_without_a_result_is_reported_by_row_and_column(building, admin, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(roster_bytes([row(name="好人"), row(name="李四", 电话="=A1&B1")]))
    report = roster.import_roster(building, admin, path)
    assert report.added == 1
    [rejected] = report.rejected
    assert (rejected.row_number, rejected.name) == (3, "李四")
    assert rejected.reason == "电话：是公式（=A1&B1），文件中没有计算结果，请复制后“粘贴为数值”"


def test_a_formula_excel_calculated_is_read_as_its_result(building, admin, tmp_path) -> None:
    data = roster_bytes([row(电话='="138"&"12345678"', 姓名='="张"&"三"')])
    xml = sheet_xml(data)
    assert xml.count("<v />") == 2
    xml = xml.replace("<v />", "<v>张三</v>", 1).replace("<v />", "<v>13812345678</v>", 1)
    xml = xml.replace('<c r="C2">', '<c r="C2" t="str">').replace(
        '<c r="H2">', '<c r="H2" t="str">'
    )
    path = tmp_path / "r.xlsx"
    path.write_bytes(rezip(data, {"xl/worksheets/sheet1.xml": xml.encode()}))
    report = roster.import_roster(building, admin, path)
    assert (report.added, report.rejected) == (1, [])
    room_id = search.find_households(building, admin, "3-2-1201")[0].room_id
    [person] = households.open_file(building, admin, room_id, reveal=True).people
    assert (person.name, person.phone) == ("张三", "13812345678")


# -- odd values, column by column ----------------------------------------------------

RICH = CellRichText(["张", TextBlock(InlineFont(b=True), "三")])

ODD_CELLS = [
    # (cells, None when imported / the start of the reason)
    ({"电话": 13812345678.0}, None),
    ({"电话": 13812345678}, None),
    ({"姓名": RICH}, None),
    ({"类别": "  产权人 "}, None),
    ({"入住日期": datetime(2024, 5, 1)}, None),
    ({"入住日期": "2024年5月1日"}, None),
    ({"证件号码": 1.1010519491231002e17}, "证件号码：是超过 15 位的数字"),
    ({"电话": 2586661234}, "电话：不是有效的手机号"),  # a landline that lost its 0
    ({"姓名": True}, "姓名：是逻辑值"),
    ({"姓名": "#REF!"}, "姓名：是错误值 #REF!"),
    ({"姓名": "#N/A"}, "姓名：是错误值 #N/A"),
    (
        {"姓名": datetime(2024, 5, 1, 8, 30)},
        "姓名：被 Excel 当成了日期或时间（2024-05-01 08:30:00）",
    ),
    ({"房号": datetime(2003, 1, 2)}, "房号：被 Excel 当成了日期或时间（2003-01-02）"),
    ({"电话": time(8, 30)}, "电话：被 Excel 当成了日期或时间"),
    ({"入住日期": time(8, 30)}, "入住日期：只有时间没有日期"),
    ({"入住日期": 45413}, "入住日期：「45413」是数字而不是日期"),
    ({"入住日期": True}, "入住日期：是逻辑值"),
    ({"入住日期": "2024-02-30"}, "入住日期：「2024-02-30」不是有效日期"),
    ({"备注": "很长" * 3000}, "备注：内容过长（6000 个字）"),
    ({"类别": "很长" * 300}, "类别：「很长很长很长"),
    ({"性别": 1.5}, "性别：只能填男或女"),
]


def test_each_odd_cell_is_converted_or_its_row_reported(building, admin, tmp_path) -> None:
    rows = [row(**({"姓名": f"人{n}"} | cells)) for n, (cells, _) in enumerate(ODD_CELLS)]
    path = tmp_path / "r.xlsx"
    path.write_bytes(roster_bytes(rows))
    report = roster.import_roster(building, admin, path)
    reasons = {rejected.row_number: rejected.reason for rejected in report.rejected}
    for number, (cells, reason) in enumerate(ODD_CELLS, 2):
        if reason is None:
            assert number not in reasons, (cells, reasons.get(number))
        else:
            assert reasons[number].startswith(reason), (cells, reasons[number])
            assert len(reasons[number]) < 200
    assert all(len(r.room_text) <= 41 and len(r.name) <= 41 for r in report.rejected)
    assert report.added == stats.counts(building)["persons"] == sum(r is None for _, r in ODD_CELLS)
    room_id = search.find_households(building, admin, "3-2-1201")[0].room_id
    people = households.open_file(building, admin, room_id, reveal=True).people
    assert sorted(p.phone for p in people if p.phone) == ["13812345678", "13812345678"]
    assert "张三" in {p.name for p in people}  # the rich text, as plain text


# -- anything in any cell -----------------------------------------------------------

_LEGAL = st.characters(blacklist_categories=("Cs", "Cc"))
CELL = st.one_of(
    st.none(),
    st.text(_LEGAL, max_size=12),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
    st.dates(date(1900, 3, 1), date(2100, 1, 1)),
    st.times(),
    st.booleans(),
    st.sampled_from(
        [
            "3-2-1201",
            "3栋1单元101",
            "产权人",
            "租户",
            "张三",
            "男",
            "女",
            "配偶",
            GOOD_ID,
            "13812345678",
            "2025-05-01",
            "#REF!",
            "#DIV/0!",
            "=A1",
            "=1/0",
            "100%",
            "",
        ]
    ),
)
ROWS = st.lists(st.lists(CELL, min_size=0, max_size=len(roster.COLUMNS) + 2), max_size=6)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS)
def test_any_cells_every_row_is_imported_or_reported(building, admin, tmp_path, rows) -> None:
    rows = [[None if v == "" else v for v in r] for r in rows]
    try:
        content = roster_bytes(rows)
    except IllegalCharacterError:
        return
    path = tmp_path / "any.xlsx"
    path.write_bytes(content)
    before = stats.counts(building)["persons"]
    report = roster.import_roster(building, admin, path)
    filled = sum(1 for r in rows if any(xlsx_read.display_text(v) for v in r if v is not None))
    assert report.rows == filled
    assert report.added + len(report.rejected) == report.rows
    assert stats.counts(building)["persons"] == before + report.added
    for rejected in report.rejected:
        assert rejected.reason and re.search(r"[\u4e00-\u9fff]", rejected.reason)
        assert 2 <= rejected.row_number <= len(rows) + 1
