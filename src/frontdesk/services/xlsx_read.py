"""Reading a workbook someone handed over (a developer's roster, a meter reader's sheet).

The file is refused as a whole, with a message naming it and the problem, when it is
not an .xlsx (a CSV, an old .xls, another zip), is damaged or truncated, carries an
opening password, is too big, or unpacks to far more than it weighs (a zip bomb): all
checked before openpyxl parses any of it. Rows come back as tuples of values with the
trailing empty cells dropped; a formula cell keeps the result Excel stored with it, and
one stored without a result (written by a program, never opened in Excel) comes back
as `Formula` so that the caller can name the cell instead of reading it as empty.

`cell_text` and `cell_date` turn one value into what a text or a date column expects,
or raise ValidationError naming the column: a phone Excel stored as 13812345678.0 is
"13812345678", an ID number it rounded, a date in a name column, TRUE/FALSE, #REF! or a
page of text pasted into one cell is reported, never read as something else.
"""

from __future__ import annotations

import functools
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from frontdesk.domain.onboarding.cells import text_of
from frontdesk.errors import ValidationError
from frontdesk.services import xlsx_plain

# A roster of a 5,000-household community is about 2 MB and 20,000 rows; these are
# several times the largest real file, low enough that a wrong file is refused at once.
MAX_FILE_BYTES = 20 * 1024 * 1024
# The sum of the sizes the zip declares for its members unpacked (zipfile never
# unpacks a member beyond its declared size: it fails the CRC check instead). A full
# 50,000-row roster unpacks to about 40 MB.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 2_000  # an .xlsx has a dozen or so parts; a few per extra sheet or picture
MAX_ROWS = 50_000  # rows with something in them
MAX_COLUMNS = 200
EXCEL_MAX_ROW = 1_048_576  # a row number beyond this is a damaged (or hostile) file
MAX_CELL_CHARS = 1_000  # the longest roster field is 200; Excel allows 32,767
SHOWN_CHARS = 40  # how much of a refused value a message repeats

ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and an .xlsx with a password
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)  # entity expansion
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


@dataclass(frozen=True)
class Formula:
    """A formula cell the file holds no result for."""

    text: str

    def __str__(self) -> str:
        return self.text


def open_rows(
    path: Path, *, sheet: str | None = None, what: str = "文件"
) -> Iterator[tuple[Any, ...]]:
    """The rows of the sheet named `sheet` (else the first), from row 1.

    The file is checked here; ValidationError(what, …) names it and the problem. A sheet
    found too big or damaged while its rows are read raises the same way from the
    iterator, before the caller has seen the last row: import nothing until then.
    """
    data = _read(path, what)
    has_formulas = _check_archive(data, path.name, what)
    values = _load(data, path.name, what, data_only=True)
    formulas = _load(data, path.name, what, data_only=False) if has_formulas else None
    return _rows(values, formulas, sheet, path.name, what)


def checked_bytes(path: Path, *, what: str = "文件") -> bytes:
    """The file's bytes once it is found a sound .xlsx (else ValidationError(what, …)),
    for a caller that reads parts of the archive itself (sheet names, merged cells)."""
    data = _read(path, what)
    _check_archive(data, path.name, what, formulas_wanted=False)
    return data


# the file ------------------------------------------------------------------------


def _refuse(what: str, name: str, problem: str) -> ValidationError:
    return ValidationError(what, f"无法读取 {name}：{problem}")


def _read(path: Path, what: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refuse(
                what,
                path.name,
                f"文件有 {size / 1024 / 1024:.1f} MB，超过 {MAX_FILE_BYTES // 1024 // 1024} MB "
                "的上限，请拆分后分批导入",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(what, f"找不到文件 {path}") from None
    except IsADirectoryError:
        raise _refuse(what, path.name, "这是一个文件夹，不是 Excel 工作簿（.xlsx）") from None
    except OSError as exc:
        problem = f"文件打不开（{exc.strerror or exc}），请先在 Excel 中关闭它"
        raise _refuse(what, path.name, problem) from None
    if not data:
        raise _refuse(what, path.name, "文件是空的")
    return data


def _check_archive(data: bytes, name: str, what: str, *, formulas_wanted: bool = True) -> bool:
    """Refuse what is not a sound, reasonably sized .xlsx; whether a sheet has formulas
    (each sheet unpacked to look, when `formulas_wanted`)."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            raise _refuse(what, name, "文件设置了打开密码，请在 Excel 中取消密码后另存为 .xlsx")
        raise _refuse(
            what, name, "不是 Excel 工作簿（.xlsx），是旧版 Excel 97-2003 文件，请另存为 .xlsx"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _refuse(what, name, "不是 Excel 工作簿（.xlsx）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise _refuse(what, name, f"压缩包内有 {len(members)} 个部件，不像 Excel 工作簿")
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise _refuse(what, name, "是压缩包而不是 Excel 工作簿（.xlsx）")
            if any(member.flag_bits & 0x1 for member in members):
                raise _refuse(what, name, "文件已加密，请在 Excel 中取消密码后另存为 .xlsx")
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise _refuse(
                    what,
                    name,
                    f"解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，"
                    "文件已损坏或不是正常的工作簿",
                )
            formulas = not formulas_wanted  # True: no need to look
            for member in members:
                if not member.filename.endswith((".xml", ".rels")):
                    continue
                with archive.open(member) as part:
                    if _DECLARATION.search(part.read(2048)):
                        raise _refuse(what, name, "文件含有不允许的 XML 声明，已拒绝读取")
                if member.filename.startswith("xl/worksheets/") and not formulas:
                    formulas = bool(_FORMULA_TAG.search(archive.read(member)))
    except ValidationError:
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError, NotImplementedError …
        raise _refuse(what, name, "文件已损坏或不完整，请在 Excel 中重新保存后再试") from None
    return formulas and formulas_wanted


def _load(data: bytes, name: str, what: str, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many kinds for a damaged part; the file is refused
        raise _refuse(what, name, "文件已损坏或不是 Excel 工作簿（.xlsx）") from None


# the rows ------------------------------------------------------------------------


def _sheet(book: Any, sheet: str | None, name: str, what: str) -> Any:
    if sheet is not None and sheet in book.sheetnames:
        found = book[sheet]
    elif book.worksheets:
        found = book.worksheets[0]
    else:
        raise _refuse(what, name, "工作簿中没有工作表")
    found.reset_dimensions()  # read every row there is, whatever the file declares
    return found


def _cells(book: Any, sheet: str | None, name: str, what: str) -> Iterator[tuple[Any, ...]]:
    # Rows as long as their last cell: the caller refuses one wider than MAX_COLUMNS.
    yield from _sheet(book, sheet, name, what).iter_rows(values_only=True)


def _rows(
    values: Any, formulas: Any | None, sheet: str | None, name: str, what: str
) -> Iterator[tuple[Any, ...]]:
    try:
        value_rows = _cells(values, sheet, name, what)
        formula_rows = _cells(formulas, sheet, name, what) if formulas is not None else iter(())
        pairs = zip_longest(value_rows, formula_rows)
        yield from _limited(
            (_merged(row, source) if row or source else () for row, source in pairs), name, what
        )
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


def _limited(
    rows: Iterator[tuple[Any, ...]], name: str, what: str, max_rows: int | None = None
) -> Iterator[tuple[Any, ...]]:
    """The rows, refused (ValidationError) once the sheet is too long, too wide or
    damaged."""
    filled = 0
    number = 0
    try:
        for number, cells in enumerate(rows, 1):
            if number > EXCEL_MAX_ROW:
                raise _refuse(what, name, f"行数超过 Excel 的上限 {EXCEL_MAX_ROW}，文件已损坏")
            if len(cells) > MAX_COLUMNS:
                raise _refuse(
                    what, name, f"第 {number} 行超过 {MAX_COLUMNS} 列，请只保留要导入的列"
                )
            if cells:
                filled += 1
                if filled > (limit := max_rows or MAX_ROWS):
                    raise _refuse(what, name, f"有内容的行超过 {limit} 行的上限，请拆分后分批导入")
            yield cells
    except ValidationError:
        raise
    except Exception:  # a damaged sheet part: bad XML, a bad number, a bad index
        raise _refuse(what, name, f"第 {number + 1} 行附近的内容已损坏") from None


def _merged(row: tuple[Any, ...] | None, source: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """The row's values, a formula without a stored result as Formula, trailing empties
    dropped."""
    cells = list(row or ())
    for index, formula in enumerate(source or ()):
        if formula is None or (index < len(cells) and cells[index] is not None):
            continue
        if isinstance(formula, str) and not formula.startswith("="):
            continue
        cells.extend([None] * (index + 1 - len(cells)))
        cells[index] = Formula(formula if isinstance(formula, str) else "=（数组公式）")
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return tuple(cells)


# reading the sheet's XML directly --------------------------------------------------


def stream_rows(
    path: Path, *, sheet: str | None = None, what: str = "文件", max_rows: int = 0
) -> Iterator[tuple[Any, ...]]:
    """open_rows' rows, read straight from the sheet's XML in one pass: several times
    faster than openpyxl on the 20,000-row sheets an office moves in with (数据导入),
    with the same values (numbers as int or float, a date-formatted number as a
    datetime, a formula's stored result, a formula stored without one as Formula).
    `max_rows` raises the row limit for a caller that keeps no more than a row's
    values per row (a year of an estate's payments is 200,000 rows)."""
    data = checked_bytes(path, what=what)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _sheet_parts(archive)
            part = next((p for n, p in parts if n == sheet), parts[0][1] if parts else "")
            cells = _XmlCells(archive)
            xml = archive.read(part) if part else b""
    except Exception:  # a damaged or missing workbook part, as _load refuses it
        raise _refuse(what, path.name, "文件已损坏或不是 Excel 工作簿（.xlsx）") from None
    if not part:
        raise _refuse(what, path.name, "工作簿中没有工作表")
    return _limited(cells.rows(xml), path.name, what, max_rows or None)


def sheet_parts(data: bytes) -> list[tuple[str, str]]:
    """(name, archive path) of each sheet of a checked workbook, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return _sheet_parts(archive)


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels if _local(rel.tag) == "Relationship"
    }
    parts = []
    for element in book.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        target = targets.get(rel_id, "")
        where = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts.append((element.get("name", ""), posixpath.normpath(where)))
    return parts


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _XmlCells:
    """What a sheet's cells hold, as openpyxl reads them with data_only."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        names = set(archive.namelist())
        self.strings: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            self.strings = [_text(item) for item in root if _local(item.tag) == "si"]
        self.dates: set[int] = set()
        self.durations: set[int] = set()
        if "xl/styles.xml" in names:
            self._styles(ElementTree.fromstring(archive.read("xl/styles.xml")))
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        flag = next((e.get("date1904", "") for e in book if _local(e.tag) == "workbookPr"), "")
        self.epoch = CALENDAR_MAC_1904 if flag.lower() in ("1", "true") else CALENDAR_WINDOWS_1900

    def _styles(self, root: ElementTree.Element) -> None:
        from openpyxl.styles.numbers import (
            builtin_format_code,
            is_date_format,
            is_timedelta_format,
        )

        custom = {
            int(f.get("numFmtId", "0")): f.get("formatCode", "")
            for f in root.iter()
            if _local(f.tag) == "numFmt"
        }
        xfs = next((e for e in root if _local(e.tag) == "cellXfs"), None)
        for index, xf in enumerate(xfs if xfs is not None else ()):
            number = int(xf.get("numFmtId", "0"))
            code = custom.get(number) or builtin_format_code(number) or ""
            if is_date_format(code):
                self.dates.add(index)
            if is_timedelta_format(code):
                self.durations.add(index)

    def rows(self, xml: bytes) -> Iterator[tuple[Any, ...]]:
        body = xlsx_plain.plain_sheet_data(xml)
        return self._rows_of_tree(xml) if body is None else self._plain_rows(body)

    def _plain_rows(self, body: bytes) -> Iterator[tuple[Any, ...]]:
        """The rows of sheet data written plainly, read with two patterns: the cells
        holding a value or an inline string alone (nearly all) without building an
        element per cell, any other cell (a formula, rich text, an escaped
        character) by the XML parser."""
        number = 0
        for row in xlsx_plain.PLAIN_ROW.finditer(body):
            at = int(row[1] or xlsx_plain.row_number(row[2]) or number + 1)
            while number < at - 1:  # rows the file leaves out are empty
                number += 1
                yield ()
            number = at
            cells: list[Any] = []
            if row[3]:
                for (
                    letters,
                    attributes,
                    raw,
                    opened,
                    inline,
                    other,
                ) in xlsx_plain.PLAIN_CELL.findall(body, row.start(3), row.end(3)):
                    ref, kind, style = xlsx_plain.cell_attributes(attributes)
                    column = _column_of(letters or ref) if letters or ref else len(cells) + 1
                    if column > len(cells):
                        cells.extend([None] * (column - len(cells)))
                    # an inline string, most cells of some writers: without a call
                    cells[column - 1] = (
                        inline.decode()
                        if opened and kind == "inlineStr"
                        else self._plain_value(attributes, kind, style, raw, opened, inline, other)
                    )
            yield _merged(tuple(cells), None)

    def _plain_value(
        self,
        attributes: bytes,
        kind: str,
        style: int,
        raw: bytes,
        opened: bytes,
        inline: bytes,
        other: bytes,
    ) -> Any:
        """A cell's value as _value reads it: an inline string, a value, nothing, or
        (anything else) the cell given to the XML parser."""
        if other:
            return self._value(
                ElementTree.fromstring(b"<c" + attributes + b">" + other + b"</c>"), _PLAIN_TAGS
            )
        if opened:
            return inline.decode() if kind == "inlineStr" else None
        if raw and kind != "inlineStr":
            return self._typed(kind, raw.decode(), style)
        return None

    def _rows_of_tree(self, xml: bytes) -> Iterator[tuple[Any, ...]]:
        number = 0
        tags: _Tags | None = None
        for _, element in ElementTree.iterparse(io.BytesIO(xml)):
            if tags is None:  # the sheet's namespace, from its first element
                tag = element.tag
                tags = _Tags(tag[: tag.index("}") + 1] if tag.startswith("{") else "")
                row_tag = tags.space + "row"
            if element.tag != row_tag:
                continue
            at = int(element.get("r") or number + 1)
            while number < at - 1:  # rows the file leaves out are empty
                number += 1
                yield ()
            number = at
            yield _merged(self._row(element, tags), None)
            element.clear()

    def _row(self, row: ElementTree.Element, tags: _Tags) -> tuple[Any, ...]:
        cells: list[Any] = []
        for cell in row:
            ref = cell.get("r")
            column = _column_number(ref.rstrip("0123456789")) if ref else len(cells) + 1
            if column > len(cells):
                cells.extend([None] * (column - len(cells)))
            cells[column - 1] = self._value(cell, tags)
        return tuple(cells)

    def _value(self, cell: ElementTree.Element, tags: _Tags) -> Any:
        raw = formula = inline = None
        for child in cell:
            if child.tag == tags.v:
                raw = child.text
            elif child.tag == tags.f:
                formula = child
            elif child.tag == tags.inline:
                inline = child
        kind = cell.get("t", "n")
        value: Any = None
        if kind == "inlineStr":
            value = _text(inline) if inline is not None else None
        elif raw:  # openpyxl reads an empty value as none
            value = self._typed(kind, raw, int(cell.get("s") or 0))
        if value is None and formula is not None:
            if formula.text:
                return Formula("=" + formula.text)
            if formula.get("t") == "array":
                return Formula("=（数组公式）")
        return value

    def _typed(self, kind: str, raw: str, style: int) -> Any:
        if kind == "s":
            return self.strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind in ("str", "e"):
            return raw
        if kind == "d":
            return datetime.fromisoformat(raw)
        number = float(raw) if ("." in raw or "e" in raw.lower()) else int(raw)
        if style in self.dates:
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(number, self.epoch, timedelta=style in self.durations)
            except (OverflowError, ValueError):
                return "#VALUE!"  # as openpyxl: a date beyond what a date can hold
        return number


class _Tags:
    """A cell's element names in the sheet's namespace."""

    def __init__(self, space: str) -> None:
        self.space = space
        self.v = space + "v"
        self.f = space + "f"
        self.inline = space + "is"


_PLAIN_TAGS = _Tags("")


@functools.cache
def _column_of(letters: bytes) -> int:
    return _column_number(letters.decode())


def _text(item: ElementTree.Element) -> str:
    """A shared or inline string: its text, or its runs' texts (phonetic runs left out)."""
    parts = []
    for child in item:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


@functools.cache
def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - ord("A") + 1
    return number


# one cell ------------------------------------------------------------------------


def shown(text: str) -> str:
    """A value repeated in a message, cut short."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def display_text(value: Any) -> str:
    """What a cell reads as, for a header or for naming a refused row; never raises."""
    return shown(text_of(value))


def cell_text(value: Any, column: str) -> str:
    """A text column's value, stripped; ValidationError(column, …) when it is no text."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        raise ValidationError(
            column, f"是公式（{shown(value.text)}），文件中没有计算结果，请复制后“粘贴为数值”"
        )
    if isinstance(value, bool):
        raise ValidationError(column, "是逻辑值（TRUE/FALSE），应填写文字")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value, column)
    if isinstance(value, (datetime, date, time, timedelta)):
        raise ValidationError(
            column,
            f"被 Excel 当成了日期或时间（{display_text(value)}），请把该列设为“文本”后重新填写",
        )
    if not isinstance(value, str):
        raise ValidationError(column, f"无法识别的内容（{shown(str(value))}）")
    text = value.strip()
    if text in ERROR_VALUES:
        raise ValidationError(column, f"是错误值 {text}，请修正公式或填写数值")
    if len(text) > MAX_CELL_CHARS:
        raise ValidationError(column, f"内容过长（{len(text)} 个字），请检查是否粘贴错了")
    return text


def _number_text(value: float, column: str) -> str:
    if not math.isfinite(value):
        raise ValidationError(column, "不是有效的数字")
    if not value.is_integer():
        return repr(value)
    if abs(value) >= 2**53:  # Excel keeps 15 digits: an ID number typed as a number
        raise ValidationError(
            column, "是超过 15 位的数字，Excel 已改动了末几位；请把该列设为“文本”后重新填写"
        )
    return str(int(value))  # a phone stored as a number: 13812345678.0


def cell_date(value: Any, column: str) -> date | None:
    """A date column's value: an Excel date, or text such as 2025-05-01 / 2025年5月1日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (time, timedelta)):
        raise ValidationError(column, "只有时间没有日期，请填写日期（如 2025-05-01）")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValidationError(
            column, f"「{display_text(value)}」是数字而不是日期，请填写日期（如 2025-05-01）"
        )
    text = cell_text(value, column)
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise ValidationError(column, f"「{shown(text)}」不是有效日期（如 2025-05-01）")
