"""Every parser of typed or imported text, fed anything: full Unicode (control
characters, NUL, direction marks, full-width and Arabic-Indic digits), near-valid
forms, very long strings. Each returns a value of its type or refuses with the error
its callers turn into a message: ValidationError naming the field, in Chinese, for the
field parsers; the parser's own format error carrying the text for the number and
period parsers. Nothing else ever escapes, nothing takes long, and where a formatter
exists, parsing what it wrote gives the value back.

The @example inputs are the crashes found here, kept as regressions.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from frontdesk.cli.args import day_arg, period_arg
from frontdesk.domain.area import AreaFormatError, format_m2, parse_m2
from frontdesk.domain.fees import ReadingFormatError, parse_reading
from frontdesk.domain.identity import IdType, normalize_id_number
from frontdesk.domain.money import (
    MAX_AMOUNT_FEN,
    MoneyFormatError,
    format_unit_price,
    parse_unit_price,
    parse_yuan,
)
from frontdesk.domain.notices import (
    FieldKind,
    NoticeField,
    format_value,
    parse_date,
    parse_datetime,
    parse_period,
    parse_value,
)
from frontdesk.domain.periods import Period, PeriodFormatError
from frontdesk.domain.phone import normalize_phone
from frontdesk.domain.plates import normalize_plate
from frontdesk.domain.rooms import RoomQuery, parse_room_code, room_code, room_label
from frontdesk.domain.text import clean_text
from frontdesk.domain.visitors import (
    normalize_document_number,
    parse_booking_code,
    parse_pass_number,
    pass_number,
)
from frontdesk.errors import ValidationError
from frontdesk.services import xlsx_read
from frontdesk.services.households import roster

FIELD = "某栏"  # not any parser's default label: the message must name the field passed
TODAY = date(2026, 11, 28)
CJK = re.compile(r"[\u4e00-\u9fff]")

# -- strategies ---------------------------------------------------------------------

NOISE = [
    "\x00",
    "\x07",
    "\u200b",  # zero width space
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\ufeff",
    " ",
    "\u3000",
    "\t",
    "\n",
    "-",
    "－",
    "·",
    "/",
    ":",
    "：",
    "至",
    "年",
    "月",
    "日",
    "栋",
    "单元",
    "一",
    "十",
    "〇",
    "零",
    "壹",
    "٣",  # Arabic-Indic three
    "３",  # full-width three
    "²",
    "Ⅻ",
    "e",
    "E",
    "e999999",
    "+",
    ".",
    ",",
    "，",
    "¥",
    "%",
    "X",
    "x",
    "NaN",
    "Infinity",
    "_",
    "0",
    "9",
]

VALID = [
    "13812345678",
    "+86 138 1234 5678",
    "010-12345678",
    "400-123-4567",
    "浙A12345",
    "浙AD12345",
    "粤B8G3K2",
    "11010519491231002X",
    "H12345678",
    "12345678",
    "E12345678",
    "FK2611250003",
    "261125 0003",
    "123456",
    "2026-11-28",
    "2026年11月28日（星期六）",
    "2026-11-28 08:30",
    "2026-11-28 08:00至18:00",
    "2026-11-28 08:00/2026-11-29 18:00",
    "2026-11",
    "2026年11月",
    "1,234.50",
    "¥12元",
    "-0.5",
    "0.5283",
    "89.37㎡",
    "1234.5",
    "3-2-1201",
    "3栋2单元1201室",
    "3#1201",
]


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def near_valid(draw: st.DrawFn) -> str:
    """A valid input, then up to four slips: a character in, out or changed, full-width."""
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        slip = draw(st.sampled_from(["insert", "delete", "replace", "full", "double"]))
        noise = draw(st.sampled_from(NOISE) | st.characters())
        if slip == "insert":
            text = text[:at] + noise + text[at:]
        elif slip == "delete":
            text = text[:at] + text[at + 1 :]
        elif slip == "replace":
            text = text[:at] + noise + text[at + 1 :]
        elif slip == "full":
            text = _full_width(text)
        else:
            text = text[:at] + text[at:] * 2
    return text


# A page pasted into a field: one piece repeated, some of it near a valid form.
LONG = st.builds(
    lambda piece, times, tail: piece * times + tail,
    st.sampled_from([" ", "1", "1-", "a ", "2026 ", "3栋", "\u3000", "0.", "x" * 7]),
    st.integers(1_000, 20_000),
    st.sampled_from(["", "x", "2026-11-28", "至", "1"]),
)
ANY_TEXT = (
    st.text() | st.lists(st.sampled_from(NOISE), max_size=30).map("".join) | near_valid() | LONG
)


# -- the field parsers: a value, or ValidationError naming the field -----------------


def _is_ascii_id(value: str) -> bool:
    return value.isascii() and value == value.upper() and not re.search(r"\s", value)


def _notice(kind: FieldKind) -> NoticeField:
    return NoticeField(FIELD, kind)


# name -> (parse(text, field), is the result acceptable)
FIELD_PARSERS: dict[str, tuple[Callable[[str, str], Any], Callable[[Any], bool]]] = {
    "phone": (normalize_phone, lambda v: re.fullmatch(r"[0-9]+(-[0-9]+)*", v) is not None),
    "plate": (normalize_plate, lambda v: isinstance(v, str) and 7 <= len(v) <= 8),
    **{
        f"id_{t.value}": (
            lambda text, field, t=t: normalize_id_number(t, text, field),
            _is_ascii_id,
        )
        for t in IdType
    },
    "pass_number": (parse_pass_number, lambda v: re.fullmatch(r"FK[0-9]{10}", v) is not None),
    "booking_code": (parse_booking_code, lambda v: re.fullmatch(r"[0-9]{6}", v) is not None),
    "notice_date": (parse_date, lambda v: type(v) is date),
    "notice_datetime": (parse_datetime, lambda v: type(v) is datetime),
    "notice_time_on_a_day": (
        lambda text, field: parse_datetime(text, field, on=TODAY),
        lambda v: type(v) is datetime,
    ),
    "notice_period": (parse_period, lambda v: v[0] < v[1]),
    **{
        f"notice_value_{kind.value}": (
            lambda text, field, kind=kind: parse_value(NoticeField(field, kind), text),
            lambda v: isinstance(v, str),
        )
        for kind in FieldKind
    },
    "clean_text": (
        lambda text, field: clean_text(text, field, 40, required=True),
        lambda v: v and v == v.strip() and len(v) <= 40,
    ),
    "excel_text_cell": (xlsx_read.cell_text, lambda v: isinstance(v, str) and len(v) <= 1000),
    "excel_date_cell": (xlsx_read.cell_date, lambda v: v is None or type(v) is date),
    "roster_choice": (
        lambda text, field: roster._choice(text, roster.KIND_BY_LABEL, field),
        lambda v: v is None or v in roster.KIND_BY_LABEL.values(),
    ),
}


@pytest.mark.parametrize("name", FIELD_PARSERS)
@settings(max_examples=120)
@given(text=ANY_TEXT)
@example(text="1e999999")  # parse_unit_price, parse_m2: decimal.Overflow
@example(text="1e99999999")  # ... and abs() of it
@example(text="1e5000")  # parse_unit_price, parse_m2: a 5,000-digit int, too big for SQLite
@example(text="13٠٠٠٠٠٠٠٠٠")  # normalize_phone kept Arabic-Indic digits
@example(text="1101051949123１002X")  # normalize_id_number kept a full-width digit
@example(text="H１２３４５６７８")  # ... and a full-width permit number
@example(text="FK٢٦١١٢٥٠٠٠٣")  # parse_pass_number
@example(text="١٢٣٤٥٦")  # parse_booking_code
@example(text="2026" + " " * 30_000 + "x")  # notices: seconds of quadratic regex work
@example(text="")
@example(text="\x00")
def test_a_field_parser_returns_its_value_or_names_the_field(name: str, text: str) -> None:
    parse, acceptable = FIELD_PARSERS[name]
    try:
        value = parse(text, FIELD)
    except ValidationError as exc:
        assert exc.field == FIELD
        assert exc.message.startswith(f"{FIELD}：")
        assert CJK.search(exc.problem), exc.problem
        assert len(exc.problem) <= 600  # repeats at most a line of what was typed
    else:
        assert acceptable(value), value


IDEMPOTENT = [
    "phone",
    "plate",
    "id_resident",
    "id_hk_macau",
    "id_taiwan",
    "id_passport",
    "id_other",
    "pass_number",
    "booking_code",
    "clean_text",
    "excel_text_cell",
    "notice_value_text",
    "notice_value_long_text",
    "notice_value_date",
    "notice_value_datetime",
    "notice_value_period",
]


@pytest.mark.parametrize("name", IDEMPOTENT)
@settings(max_examples=60)
@given(text=near_valid() | st.text(max_size=30))
def test_what_a_parser_stores_reads_back_as_itself(name: str, text: str) -> None:
    parse, _ = FIELD_PARSERS[name]
    try:
        stored = parse(text, FIELD)
    except ValidationError:
        return
    assert parse(stored, FIELD) == stored


@pytest.mark.parametrize("kind", list(FieldKind))
@settings(max_examples=80)
@given(text=near_valid() | st.text(max_size=30))
@example(text="0005-01-01 08:00")  # stored as "5-01-01 08:00" (strftime), then unreadable
@example(text="0005-01-01 08:00至18:00")
def test_a_notice_value_once_accepted_can_always_be_printed(kind: FieldKind, text: str) -> None:
    field = _notice(kind)
    try:
        stored = parse_value(field, text)
    except ValidationError:
        return
    assert isinstance(format_value(field, stored), str)


# -- the number and period parsers: a value, or their format error with the text -----

NUMBER_PARSERS: dict[str, tuple[Callable[[str], Any], type[ValueError], Callable[[Any], bool]]] = {
    "yuan": (parse_yuan, MoneyFormatError, lambda v: abs(v) <= MAX_AMOUNT_FEN),
    "unit_price": (parse_unit_price, MoneyFormatError, lambda v: abs(v) <= 10**11),
    "m2": (parse_m2, AreaFormatError, lambda v: 0 < v < 10**11),
    "reading": (parse_reading, ReadingFormatError, lambda v: 0 <= v < 10**11),
    "period": (Period.parse, PeriodFormatError, lambda v: 2000 <= v.year <= 2100),
}


@pytest.mark.parametrize("name", NUMBER_PARSERS)
@settings(max_examples=150)
@given(
    text=ANY_TEXT
    | st.decimals(allow_nan=True, allow_infinity=True).map(str)
    | st.floats().map(str)
    | st.from_regex(r"-?[0-9]{0,4}(\.[0-9]{0,5})?[eE][+-]?[0-9]{1,12}", fullmatch=True)
)
@example(text="1e999999")  # parse_unit_price, parse_m2: decimal.Overflow
@example(text="1e99999999")  # ... and abs() of it
@example(text="1e5000")  # parse_unit_price, parse_m2: a 5,000-digit int, too big for SQLite
@example(text="13٠٠٠٠٠٠٠٠٠")  # normalize_phone kept Arabic-Indic digits
@example(text="1101051949123１002X")  # normalize_id_number kept a full-width digit
@example(text="H１２３４５６７８")  # ... and a full-width permit number
@example(text="FK٢٦١١٢٥٠٠٠٣")  # parse_pass_number
@example(text="١٢٣٤٥٦")  # parse_booking_code
@example(text="2026" + " " * 30_000 + "x")  # notices: seconds of quadratic regex work
def test_a_number_parser_returns_an_int_in_range_or_its_format_error(name: str, text: str) -> None:
    parse, error, acceptable = NUMBER_PARSERS[name]
    try:
        value = parse(text)
    except error as exc:
        assert exc.args == (text,)  # callers put the text in their message
    else:
        assert acceptable(value), value


# -- never refuse: room codes, document numbers, what a cell shows -------------------


@settings(max_examples=300)
@given(text=ANY_TEXT)
def test_a_room_code_is_read_or_is_none(text: str) -> None:
    found = parse_room_code(text)
    assert found is None or (
        isinstance(found, RoomQuery)
        and found.building
        and found.unit != ""
        and found.room != ""
        and not re.search(r"\s", found.building + (found.unit or "") + (found.room or ""))
    )
    number = normalize_document_number(text)
    assert normalize_document_number(number) == number
    assert isinstance(xlsx_read.display_text(text), str)


# -- the command line -----------------------------------------------------------------


@pytest.mark.parametrize(("parse", "kind"), [(period_arg, Period), (day_arg, date)])
@settings(max_examples=150)
@given(text=ANY_TEXT)
def test_the_command_lines_dates_and_periods_or_a_usage_message(
    parse: Callable[[str], Any], kind: type, text: str
) -> None:
    try:
        value = parse(text)
    except argparse.ArgumentTypeError as exc:
        assert CJK.search(str(exc))
    else:
        assert isinstance(value, kind)


# -- nothing takes long ---------------------------------------------------------------

PAGES = ["2026" + " " * 100_000 + "x", "1-" * 50_000, "3栋" * 50_000, "1" * 100_000, "a" * 100_000]


EVERY_PARSER: dict[str, Callable[[str], Any]] = {
    **{name: lambda text, p=parse: p(text, FIELD) for name, (parse, _) in FIELD_PARSERS.items()},
    **{name: parse for name, (parse, _, _) in NUMBER_PARSERS.items()},
    "room_code": parse_room_code,
    "document_number": normalize_document_number,
    "cli_period": period_arg,
    "cli_day": day_arg,
}


@pytest.mark.parametrize("name", EVERY_PARSER)
def test_a_pasted_page_is_refused_at_once(name: str) -> None:
    """A parser that backtracks over a page would take seconds, or hours. What is bounded
    is this process's own CPU time, not the wall clock: other programs busy on the
    machine (or the suite's other worker) cannot make it fail."""
    started = time.process_time()
    for page in PAGES:
        with contextlib.suppress(ValidationError, ValueError, argparse.ArgumentTypeError):
            EVERY_PARSER[name](page)
    assert time.process_time() - started < 1.0


# -- round trips: what the formatter writes, the parser reads back -------------------


@given(st.integers(0, 10**11))  # up to MAX_YUAN a unit
def test_unit_prices_read_back(price: int) -> None:
    assert parse_unit_price(format_unit_price(price)) == price


@given(st.integers(1, 10**11 - 1))
def test_areas_read_back_once_the_grouping_is_removed(hundredths: int) -> None:
    assert parse_m2(format_m2(hundredths).replace(",", "")) == hundredths  # as rooms.py does


@given(st.builds(Period, st.integers(2000, 2100), st.integers(1, 12)))
def test_periods_read_back_from_code_and_label(period: Period) -> None:
    assert Period.parse(str(period)) == period == Period.parse(period.label)
    assert period_arg(str(period)) == period


@given(st.dates(date(1900, 1, 1), date(2999, 12, 31)))
def test_command_line_days_read_back(day: date) -> None:
    assert day_arg(day.isoformat()) == day


PART = st.from_regex(r"[0-9A-Za-z]{1,6}", fullmatch=True)


@given(PART, st.none() | PART, PART)
def test_room_codes_and_spoken_rooms_read_back(building: str, unit: str | None, room: str) -> None:
    code = room_code(building, unit, room)
    if any(c.isdigit() for c in code):
        assert parse_room_code(code) == RoomQuery(building, unit, room)
    assert parse_room_code(room_label(building, unit, room)) == RoomQuery(building, unit, room)


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.integers(0, 9999))
def test_pass_numbers_read_back(day: date, sequence: int) -> None:
    number = pass_number(day, sequence)
    assert parse_pass_number(number) == number
    assert parse_pass_number(number.lower()[:8] + " " + number[8:]) == number


MINUTES = st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 30)).map(
    lambda m: m.replace(second=0, microsecond=0)
)


@given(MINUTES, st.integers(1, 60 * 24 * 400))
def test_notice_values_read_back_from_how_they_print(start: datetime, minutes: int) -> None:
    end = start + timedelta(minutes=minutes)
    for kind, stored in [
        (FieldKind.DATE, start.date().isoformat()),
        (FieldKind.DATETIME, start.isoformat(" ", "minutes")),
        (FieldKind.PERIOD, f"{start.isoformat(' ', 'minutes')}/{end.isoformat(' ', 'minutes')}"),
    ]:
        field = _notice(kind)
        assert parse_value(field, format_value(field, stored)) == stored
        assert parse_value(field, stored) == stored


@given(st.integers(-(2**53) + 1, 2**53 - 1))
def test_whole_numbers_excel_stored_as_floats_read_as_their_digits(number: int) -> None:
    assert xlsx_read.cell_text(float(number), FIELD) == str(number)
    assert xlsx_read.cell_text(number, FIELD) == str(number)
