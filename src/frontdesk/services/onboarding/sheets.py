"""A workbook's sheets and their merged cells, and one sheet's table found among its
title, explanation and note rows.

The sheet is read straight from its XML (xlsx_read.stream_rows: the same values as
openpyxl, three times faster on the 20,000-row sheets an office moves in with), and
its merged ranges from the same XML (the archive was first checked whole by
xlsx_read: no entity declarations, no zip bomb). A cell merged down several
rows (one owner for two rooms) gives its value to every row it covers.
"""

from __future__ import annotations

import hashlib
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontdesk.domain.onboarding.cells import text_of
from frontdesk.domain.onboarding.columns import match_header
from frontdesk.errors import ValidationError
from frontdesk.services import xlsx_read

WHAT = "文件"
KEPT_TABLES = 4
# A year of payments of a 20,000-room estate is over 200,000 lines; older years are
# split into files of their own.
MAX_ROWS = 300_000
_TABLES: dict[tuple[str, str | None, int | None], SheetTable] = {}
_LOCK = threading.Lock()
HEADER_SEARCH_ROWS = 30  # a title, a date line and a page of explanations fit above
_CELL = re.compile(r"([A-Z]+)(\d+)")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+):([A-Z]+\d+)\"")
_TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总数")
_NOTE_START = (
    "注",
    "说明",
    "备注",
    "填表",
    "填写",
    "※",
    "*",
    "＊",
    "提示",
    "制表",
    "打印",
    "审核",
    "复核",
    "经办",
    "日期",
    "导出",
)
_HINT_WORDS = ("必填", "选填", "可空", "可不填", "格式")
_EXAMPLE_START = ("示例", "例：", "例:", "举例", "样例", "填写示例")


@dataclass(frozen=True)
class SheetTable:
    """A sheet's table: its header (as Excel numbers rows), its data rows with their
    Excel row numbers, cells cut to the header's columns, and the rows not read as data
    (explanations, notes, blank rows, totals)."""

    sheet: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    skipped: tuple[int, ...]


@dataclass(frozen=True)
class _Part:
    name: str
    path: str


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheets in order; the file refused whole when it is no sound .xlsx."""
    return [part.name for part in _parts(path)]


def _parts(path: Path) -> list[_Part]:
    data = xlsx_read.checked_bytes(path, what=WHAT)  # before any XML of it is parsed
    try:
        return [_Part(name, where) for name, where in xlsx_read.sheet_parts(data)]
    except Exception:  # a damaged or missing workbook part
        raise ValidationError(
            WHAT, f"无法读取 {path.name}：文件已损坏或不是 Excel 工作簿（.xlsx）"
        ) from None


def _chosen(path: Path, sheet: str | None) -> _Part:
    parts = _parts(path)
    if not parts:
        raise ValidationError(WHAT, f"无法读取 {path.name}：工作簿中没有工作表")
    if sheet is None:
        return parts[0]
    for part in parts:
        if part.name == sheet:
            return part
    names = "、".join(part.name for part in parts)
    raise ValidationError("工作表", f"文件中没有工作表「{sheet}」（有：{names}）")


def _merged_down(path: Path, part: _Part) -> list[tuple[int, int, int]]:
    """(column 0-based, first row, last row) of each range merged over several rows."""
    with zipfile.ZipFile(path) as archive:
        try:
            xml = archive.read(part.path)
        except KeyError:
            return []
    found = []
    # the merged ranges follow the sheet's data: not looked for among its cells
    for match in _MERGE.finditer(xml, max(xml.rfind(b"</sheetData>"), 0)):
        first, last = _CELL.fullmatch(match[1].decode()), _CELL.fullmatch(match[2].decode())
        if first and last and int(last[2]) > int(first[2]):
            found.append((_column_index(first[1]), int(first[2]), int(last[2])))
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _filled(rows: list[list[Any]], merges: list[tuple[int, int, int]]) -> None:
    for column, first, last in merges:
        if first > len(rows):
            continue
        top = rows[first - 1]
        value = top[column] if column < len(top) else None
        for number in range(first + 1, min(last, len(rows)) + 1):
            row = rows[number - 1]
            row.extend([None] * (column + 1 - len(row)))
            if row[column] is None:
                row[column] = value


def read_table(path: Path, sheet: str | None = None, header_row: int | None = None) -> SheetTable:
    """The sheet's table. The header is the row among the first 30 naming most known
    columns (or `header_row`); columns without a header (notes beside the table),
    blank rows, total rows, hint and example rows under the header (必填 / 示例：…)
    and rows holding only a note are not data.

    The last few tables read are kept while their file's content is unchanged: the
    wizard and the CLI read a sheet to guess its columns, then again to read its lines,
    and a 20,000-row sheet takes seconds to parse."""
    digest = _digest(path)
    key = (digest, sheet, header_row) if digest else None
    with _LOCK:
        if key is not None and key in _TABLES:
            return _TABLES[key]
    table = _read_table(path, sheet, header_row)
    if key is not None:
        with _LOCK:
            _TABLES[key] = table
            _TABLES[(key[0], table.sheet, table.header_row)] = table  # as a setup names it
            while len(_TABLES) > KEPT_TABLES:
                del _TABLES[next(iter(_TABLES))]
    return table


def _digest(path: Path) -> str | None:
    """What the file holds, not when it was saved: a file saved again within the
    clock's tick is another file (milliseconds, for hashing several megabytes)."""
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:  # no such file, a folder …: read_table names the problem
        return None


def _read_table(path: Path, sheet: str | None, header_row: int | None) -> SheetTable:
    part = _chosen(path, sheet)
    rows = [
        list(row)
        for row in xlsx_read.stream_rows(path, sheet=part.name, what=WHAT, max_rows=MAX_ROWS)
    ]
    _filled(rows, _merged_down(path, part))
    number = header_row if header_row is not None else _header_number(rows, part.name)
    if not 1 <= number <= len(rows):
        raise ValidationError("表头行", f"工作表「{part.name}」没有第 {number} 行")
    headers = _headers(rows[number - 1])
    if not any(headers):
        raise ValidationError("表头行", f"工作表「{part.name}」第 {number} 行是空的")
    data: list[tuple[int, tuple[Any, ...]]] = []
    skipped: list[int] = []
    for excel_row in range(number + 1, len(rows) + 1):
        cells = _cut(rows[excel_row - 1], headers)
        if _is_data(cells):
            data.append((excel_row, cells))
        else:
            skipped.append(excel_row)
    return SheetTable(part.name, number, headers, tuple(data), tuple(skipped))


def _header_number(rows: list[list[Any]], sheet: str) -> int:
    best, best_score = 0, 0
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], 1):
        score = sum(_header_score(text_of(cell)) for cell in row if isinstance(cell, str))
        if score > best_score:
            best, best_score = number, score
    if best_score < 3:
        raise ValidationError(
            WHAT,
            f"工作表「{sheet}」前 {HEADER_SEARCH_ROWS} 行中找不到表头"
            "（须有“房号”“楼栋”“业主姓名”等列名），请指定表头所在行",
        )
    return best


def _header_score(text: str) -> int:
    if not text or len(text) > 20:
        return 0
    found = match_header(text)
    if found.exact:
        return 2 if found.fields else 1  # 证件类型: a known column we do not import
    return 1 if found.fields else 0


def _headers(row: list[Any]) -> tuple[str, ...]:
    texts = [text_of(cell) if isinstance(cell, (str, int, float)) else "" for cell in row]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def _cut(row: list[Any], headers: tuple[str, ...]) -> tuple[Any, ...]:
    cells = [row[i] if i < len(row) and headers[i] else None for i in range(len(headers))]
    return tuple(None if isinstance(c, str) and not c.strip() else c for c in cells)


def _is_data(cells: tuple[Any, ...]) -> bool:
    filled = [cell for cell in cells if cell is not None]
    if not filled:
        return False
    texts = [cell.replace(" ", "") for cell in filled if isinstance(cell, str)]
    if any(text.startswith(_TOTAL_WORDS) for text in texts[:3]):
        return False
    if texts and texts[0].startswith(_EXAMPLE_START):  # 示例：3-2-1201 | 张三 …
        return False
    if len(texts) == len(filled) and all(any(w in t for w in _HINT_WORDS) for t in texts):
        return False
    if len(filled) == 1 and texts:
        only = texts[0]
        return not (only.startswith(_NOTE_START) or not any(c.isdigit() for c in only))
    return True
