"""The meter-reading sheet being typed, without Qt: one building's rooms as the service
gave them plus what the 抄表员 typed over them, the warnings that turn a row amber,
the counts under the grid, and the readings to save. The 抄表录入 tab's table model
only shows it and forwards what is typed.

Readings are hundredths of a unit (m³, kWh), kept as the text shown: a good number
is shown the way readings are (1234.5 -> 1,234.50), a bad one stays as typed until
保存 names it with its room.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from frontdesk.domain.area import format_m2
from frontdesk.domain.fees import ReadingFormatError, parse_reading, reading_warning
from frontdesk.domain.periods import Period
from frontdesk.errors import ValidationError
from frontdesk.services.fees.meters import ImportedReading, ReadingInput, ReadingRow

COLUMNS = ("房号", "上次读数", "本次读数", "用量", "平时用量", "提示")
ROOM, PREVIOUS, CURRENT, USED, USUAL, NOTE = range(len(COLUMNS))
READING_COLUMNS = (PREVIOUS, CURRENT)
FIELD_NAMES = {PREVIOUS: "上次读数", CURRENT: "本次读数"}
MONTHS_BACK = 11  # the period list: next month, this month and 11 before it

BAD_READING = "须为不小于 0 的数字，最多两位小数"
BAD_FORMAT_WARNING = f"读数格式不对：{BAD_READING}"
NO_PREVIOUS_WARNING = "缺少上次读数：首次抄表请填写表的起始读数"
NOT_LISTED = "（未交房、非住宅或不属本楼）"


def reading(text: str) -> int | None:
    """A typed reading in hundredths; None when blank. Raises ReadingFormatError."""
    return parse_reading(text) if text.strip() else None


def reading_text(hundredths: int | None) -> str:
    return format_m2(hundredths) if hundredths is not None else ""


def signed_m2(hundredths: int) -> str:
    return ("-" if hundredths < 0 else "") + format_m2(abs(hundredths))


def period_choices(today: date) -> list[Period]:
    """Next month first, then this month and the months before it."""
    this_month = Period.of(today)
    return [this_month.shifted(1 - i) for i in range(MONTHS_BACK + 2)]


class BadCell(Exception):
    """A typed reading that cannot be saved: where it is and what is wrong."""

    def __init__(self, row: int, column: int, error: ValidationError) -> None:
        super().__init__(error.message)
        self.row, self.column, self.error = row, column, error


@dataclass(frozen=True)
class ImportResult:
    """What an Excel file filled in: rows by index with (previous, current), and the
    file's lines it could not use as (Excel line, 房号 as written, why)."""

    filled: dict[int, tuple[int, int]]
    problems: list[tuple[str, str, str]]


class ReadingSheet:
    """The rooms as the service gave them plus what has been typed over them."""

    def __init__(self) -> None:
        self.rows: list[ReadingRow] = []
        self._typed: list[list[str]] = []  # [上次读数, 本次读数] as shown / typed

    def load(self, rows: Sequence[ReadingRow]) -> None:
        self.rows = list(rows)
        self._typed = [
            [reading_text(row.previous_x100), reading_text(row.current_x100)] for row in rows
        ]

    # what was typed ----------------------------------------------------------------

    def text(self, r: int, column: int) -> str:
        return self._typed[r][READING_COLUMNS.index(column)]

    def editable(self, r: int, column: int) -> bool:
        return column in READING_COLUMNS and not self.rows[r].billed

    def type(self, r: int, column: int, text: str) -> bool:
        """Put what was typed into a reading cell; False (nothing changes) for a cell
        that cannot be edited."""
        if not self.editable(r, column):
            return False
        text = text.strip()
        with suppress(ReadingFormatError):
            text = reading_text(reading(text))
        self._typed[r][READING_COLUMNS.index(column)] = text
        return True

    def fill(self, readings: dict[int, tuple[int, int]]) -> None:
        """Put (previous, current) into rows by index, as if typed; not saved."""
        for r, (previous, current) in readings.items():
            self._typed[r] = [format_m2(previous), format_m2(current)]

    def values(self, r: int) -> tuple[int | None, int | None]:
        """(previous, current) as typed; ReadingFormatError for a bad number."""
        previous, current = self._typed[r]
        return reading(previous), reading(current)

    def is_edited(self, r: int) -> bool:
        row = self.rows[r]
        if row.billed:
            return False
        try:
            return self.values(r) != (row.previous_x100, row.current_x100)
        except ReadingFormatError:
            return True

    def edited_count(self) -> int:
        return sum(self.is_edited(r) for r in range(len(self.rows)))

    # what to show ------------------------------------------------------------------

    def warning(self, r: int) -> str:
        """Why row r deserves a second look ('' when it looks right)."""
        try:
            previous, current = self.values(r)
        except ReadingFormatError:
            return BAD_FORMAT_WARNING
        if current is None:
            return ""
        if previous is None:
            return NO_PREVIOUS_WARNING
        return reading_warning(previous, current, self.rows[r].usual_x100)

    def needs_look(self, r: int) -> bool:
        """Amber and counted: a warning on a row that can still be corrected."""
        return not self.rows[r].billed and bool(self.warning(r))

    def used(self, r: int) -> str:
        try:
            previous, current = self.values(r)
        except ReadingFormatError:
            return ""
        if previous is None or current is None:
            return ""
        return signed_m2(current - previous)

    def cell(self, r: int, column: int) -> str:
        row = self.rows[r]
        if column == ROOM:
            return row.room_code
        if column in READING_COLUMNS:
            return self.text(r, column)
        if column == USUAL:
            return reading_text(row.usual_x100)
        if column == USED:
            return self.used(r)
        warning = self.warning(r)
        return "；".join(part for part in ("已出账" if row.billed else "", warning) if part)

    def counts(self) -> tuple[int, int, int]:
        """(rooms with a reading, rows with a warning, rows edited but not saved)."""
        read = sum(bool(typed[1].strip()) for typed in self._typed)
        warnings = sum(self.needs_look(r) for r in range(len(self.rows)))
        return read, warnings, self.edited_count()

    def count_text(self) -> str:
        read, warnings, edited = self.counts()
        text = f"已抄 {read} / 共 {len(self.rows)} 户，提示 {warnings} 条"
        return text + (f"，未保存 {edited} 户" if edited else "")

    def editable_row(self, start: int, step: int) -> int | None:
        """The first unbilled row from `start` on, going by `step` (1 down, -1 up)."""
        r = start
        while 0 <= r < len(self.rows):
            if not self.rows[r].billed:
                return r
            r += step
        return None

    # saving and importing -------------------------------------------------------------

    def collect(self) -> list[ReadingInput]:
        """The edited rows as readings to save; BadCell for the first that is not right."""
        found = []
        for r, row in enumerate(self.rows):
            if not self.is_edited(r):
                continue
            values = []
            for column in READING_COLUMNS:
                text = self.text(r, column)
                try:
                    values.append(reading(text))
                except ReadingFormatError:
                    problem = f"“{text}”不是有效读数，{BAD_READING}"
                    raise self._bad(r, column, problem) from None
            previous, current = values
            if current is None:
                problem = (
                    "已保存的读数不能清空，请填写正确的读数"
                    if row.current_x100 is not None
                    else "已填写上次读数，请同时填写本次读数"
                )
                raise self._bad(r, CURRENT, problem)
            if previous is None:
                raise self._bad(r, PREVIOUS, "首次抄表请填写表的起始读数")
            found.append(ReadingInput(row.room_id, previous, current))
        return found

    def _bad(self, r: int, column: int, problem: str) -> BadCell:
        field = f"{self.rows[r].room_code} {FIELD_NAMES[column]}"
        return BadCell(r, column, ValidationError(field, problem))

    def sort_imported(self, found: Sequence[ImportedReading], building: str) -> ImportResult:
        """Which imported readings go into which rows, and the lines that cannot."""
        by_room = {row.room_id: r for r, row in enumerate(self.rows)}
        problems: list[tuple[str, str, str]] = []
        filled: dict[int, tuple[int, int]] = {}
        for imported in found:
            line = (str(imported.row_number), imported.room_text)
            read = imported.reading
            r = by_room.get(read.room_id) if read else None
            if read is None:
                problems.append((*line, imported.problem))
            elif r is None:
                problems.append((*line, f"不在{building}本期的抄表名单中{NOT_LISTED}"))
            elif self.rows[r].billed:
                problems.append((*line, "本期已出账，读数不能再修改"))
            else:
                filled[r] = (read.previous_x100, read.current_x100)
        return ImportResult(filled, problems)
