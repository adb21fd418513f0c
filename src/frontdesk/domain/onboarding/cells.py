"""One cell of an office's old spreadsheet read into what a line holds.

Old systems and hand-kept sheets store phone and ID numbers as Excel numbers, dates as
serial numbers or as text in several forms, money as floats. Each reader here takes
the value openpyxl gives (str, int, float, datetime, None) and returns ours, or raises
ValidationError naming the column: a value is never guessed. Money and hundredths go
through Decimal(repr(x)), never float arithmetic; an 18-digit ID number Excel kept as
a float (15 significant digits) is refused with the digits it lost.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from frontdesk.domain.identity import IdType, normalize_id_number
from frontdesk.domain.money import MAX_AMOUNT_FEN
from frontdesk.domain.periods import Period
from frontdesk.domain.phone import normalize_phone
from frontdesk.errors import ValidationError

# Excel's day 0 (serials count from 1899-12-30 once its 1900 leap-year bug is past).
EXCEL_EPOCH = date(1899, 12, 30)
# Serials of 1950-01-01 and 2100-12-31: a number outside is not a date of ours.
_FIRST_SERIAL = (date(1950, 1, 1) - EXCEL_EPOCH).days
_LAST_SERIAL = (date(2100, 12, 31) - EXCEL_EPOCH).days
_FLOAT_DIGITS = 15  # what Excel keeps of a number
_SHOWN = 30

_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?")
_MONTH_DIGITS = re.compile(r"(\d{4})(\d{2})")
_TIME_TAIL = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")
_NAME_SEPARATORS = re.compile(r"[、/／,，;；|｜]+")
_RANGE_SEPARATOR = re.compile(r"至|到|~|～|—|–|－|-")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.0+)?")
# patterns used on every row of a large sheet, compiled once
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
_ID_SEPARATORS = re.compile(r"[\s-]")
_MONEY_MARKS = re.compile(r"[\s,，¥￥]")
_UNITS = re.compile(r"(平方米|平米|㎡|m2|m²|吨|度)$")
_DECIMAL = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


def _shown(value: Any) -> str:
    text = text_of(value) if isinstance(value, (int, float, str)) else str(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def text_of(value: Any) -> str:
    """What a cell says, stripped: 13812345678.0 is "13812345678"; never raises."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value)) if abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    return str(value).strip()


def _plain(value: Any) -> str:
    """A cell's text with full-width digits, letters and signs made plain (１３８… is
    138…): what a number, a date or a month is read from."""
    return unicodedata.normalize("NFKC", text_of(value))


# numbers kept as text ------------------------------------------------------------------


def digits_of(value: Any, column: str) -> str:
    """A number that is really text (a phone, an ID): an int, a float that is whole,
    or text. A float too big for Excel's 15 digits lost its last ones: refused."""
    if isinstance(value, bool):
        raise ValidationError(column, "是逻辑值（TRUE/FALSE），应填写号码")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValidationError(column, f"「{_shown(value)}」不是号码")
        whole = int(value)
        if len(str(abs(whole))) > _FLOAT_DIGITS:
            kept = f"{Decimal(repr(value)):f}".split(".")[0]
            lost = len(kept) - _FLOAT_DIGITS
            raise ValidationError(
                column,
                f"被 Excel 存成了数字，只保留前 {_FLOAT_DIGITS} 位，末 {lost} 位已丢失"
                f"（现为 {kept}）；请把该列设为“文本”后从原系统重新导出",
            )
        return str(whole)
    if isinstance(value, (date, datetime, timedelta)):
        raise ValidationError(column, f"被 Excel 当成了日期（{_shown(value)}），应为号码")
    text = _plain(value)
    if _SCIENTIFIC.fullmatch(text):
        raise ValidationError(
            column, f"「{text}」是科学计数法，末几位已丢失；请把该列设为“文本”后重新导出"
        )
    return text


def phone_of(value: Any, column: str) -> str:
    """A phone number, normalised ("" when empty)."""
    text = digits_of(value, column)
    return normalize_phone(text, column) if text else ""


def id_number_of(value: Any, column: str, id_type: IdType | None = None) -> str:
    """An ID number, whole and checked ("" when empty) as the document `id_type` names,
    else the one its form tells (id_type_of): a mainland resident card must be 18
    characters with a right check digit."""
    text = _ID_SEPARATORS.sub("", digits_of(value, column)).upper()
    if not text:
        return ""
    if text.isdigit() and len(text) == 15 and id_type in (None, IdType.RESIDENT):
        raise ValidationError(column, "是 15 位的旧身份证号码，请改为 18 位新号码")
    return normalize_id_number(id_type or id_type_of(text), text, column)


def id_type_of(number: str) -> IdType:
    """The document an ID number's form tells: digits first a resident card, H/M and
    digits a Hong Kong or Macau permit, letters and digits a passport, else other."""
    if number[:1].isdigit():
        return IdType.RESIDENT
    if re.fullmatch(r"[HM]\d{8}(\d{2})?", number):
        return IdType.HK_MACAU
    if re.fullmatch(r"[A-Z][A-Z0-9]{4,16}", number):
        return IdType.PASSPORT
    return IdType.OTHER


# dates and months ----------------------------------------------------------------------


def _serial_date(serial: float, column: str) -> date:
    if not (_FIRST_SERIAL <= serial <= _LAST_SERIAL):
        raise ValidationError(column, f"「{_shown(serial)}」是数字而不是日期（如 2025-03-01）")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def _date_parts(year: str, month: str, day: str, text: str, column: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(column, f"「{_shown(text)}」不是有效日期") from None


def date_of(value: Any, column: str) -> date | None:
    """A date: an Excel date or serial number, or text 2025-3-1, 2025/03/01, 2025.3.1,
    2025年3月1日, 20250301 (a time after it is dropped)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValidationError(column, "是逻辑值（TRUE/FALSE），应填写日期")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(column, "不是有效日期")
        if 19_500_101 <= value <= 21_001_231 and float(value).is_integer():  # 20250301
            return _date_of_text(str(int(value)), column)
        return _serial_date(value, column)
    text = _TIME_TAIL.sub("", _plain(value))
    if not text:
        return None
    return _date_of_text(text, column)


def _date_of_text(text: str, column: str) -> date:
    if match := _DATE_TEXT.fullmatch(text):
        return _date_parts(match[1], match[2], match[3], text, column)
    if match := _DATE_DIGITS.fullmatch(text):
        return _date_parts(match[1], match[2], match[3], text, column)
    if _SERIAL_TEXT.fullmatch(text):
        return _serial_date(float(text), column)
    raise ValidationError(column, f"「{_shown(text)}」不是有效日期（如 2025-03-01）")


def month_of(value: Any, column: str) -> Period | None:
    """A month: text 2025-03, 2025/3, 2025.3, 2025年3月, 202503, a date (its month), an
    Excel serial, or the number 2025.3 that Excel made of "2025.3" (2025.1 is refused:
    it may have been 2025.10)."""
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return Period.of(value)
    if isinstance(value, bool):
        raise ValidationError(column, "是逻辑值（TRUE/FALSE），应填写月份")
    if isinstance(value, float) and not value.is_integer():
        return _month_of_decimal(value, column)
    if isinstance(value, (int, float)):
        number = int(value)
        if 195_001 <= number <= 210_012:
            return _month_of_text(str(number), column)
        day = date_of(value, column)
        return Period.of(day) if day else None
    text = _plain(value)
    return _month_of_text(text, column) if text else None


def month_range_of(value: Any, column: str) -> tuple[Period, Period] | None:
    """The first and last month of a cell: one month (2025-03) is both, a range written
    in one cell (2025-08至2025-10, 2025.08-2025.10, 2025年8月~10月) its ends; None when
    empty."""
    try:
        month = month_of(value, column)
        return (month, month) if month else None
    except ValidationError:
        if not isinstance(value, str):
            raise
        text = value.strip()
        for match in _RANGE_SEPARATOR.finditer(text):
            left, right = text[: match.start()].strip(), text[match.end() :].strip()
            try:
                first = _month_of_text(left, column)
                if re.fullmatch(r"\d{1,2}月?", right):  # 2025年8月~10月
                    right = f"{first.year}-{right.removesuffix('月')}"
                return first, _month_of_text(right, column)
            except ValidationError:
                continue
        raise


def _month_of_decimal(value: float, column: str) -> Period:
    text = repr(value)
    year, _, month = text.partition(".")
    if month == "1" or len(year) != 4:
        raise ValidationError(
            column,
            f"「{text}」被 Excel 存成了数字，分不清是 1 月还是 10 月；"
            "请写成 2025-01 或 2025-10 这样的文字",
        )
    return _month_of_text(f"{year}-{month}", column)


def _month_of_text(text: str, column: str) -> Period:
    match = _MONTH_TEXT.fullmatch(text) or _MONTH_DIGITS.fullmatch(text)
    if match is None:
        day = _date_of_text(text, column)  # 2025-03-01: its month
        return Period.of(day)
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1950 <= year <= 2100):
        raise ValidationError(column, f"「{_shown(text)}」不是有效月份（如 2025-03）")
    return Period(year, month)


# money, areas, readings ----------------------------------------------------------------


def hundredths_of(value: Any, column: str, *, allow_negative: bool = False) -> int | None:
    """A number with at most two decimals, ×100 exactly (None when empty): money in fen,
    an area in 0.01 m², a reading. Text may carry ¥, 元, commas; a float that is a
    formula's result off by float noise (1234.5600000000002) is the number it means."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(column, "是逻辑值（TRUE/FALSE），应填写数字")
    if isinstance(value, (date, datetime, timedelta)):
        raise ValidationError(column, f"被 Excel 当成了日期（{_shown(value)}），应为数字")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(column, "不是有效的数字")
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        parsed = _decimal_of_text(_plain(value), column)
        if parsed is None:
            return None
        number = parsed
    hundredths = number * 100
    whole = hundredths.to_integral_value()
    # a float a formula left off by noise (1234.5600000000002) is the number it means
    noise = isinstance(value, float) and abs(hundredths - whole) <= Decimal("0.0001")
    if hundredths != whole and not noise:
        raise ValidationError(column, f"「{_shown(value)}」超过两位小数")
    if whole < 0 and not allow_negative:
        raise ValidationError(column, f"「{_shown(value)}」不能为负数")
    if abs(whole) > MAX_AMOUNT_FEN:
        raise ValidationError(column, f"「{_shown(value)}」过大，请核对")
    return int(whole)


def _decimal_of_text(text: str, column: str) -> Decimal | None:
    cleaned = _MONEY_MARKS.sub("", text).removesuffix("元")
    cleaned = _UNITS.sub("", cleaned)
    if cleaned in ("", "-", "—"):
        return None
    if not _DECIMAL.fullmatch(cleaned):
        raise ValidationError(column, f"「{_shown(text)}」不是数字")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(column, f"「{_shown(text)}」不是数字") from None


def whole_of(value: Any, column: str) -> int | None:
    """A whole number such as a floor (-2 for B2, 12 for 12层); None when empty."""
    if value is None:
        return None
    text = _plain(value).upper().removesuffix("层").removesuffix("楼").removesuffix("F")
    if not text:
        return None
    if match := re.fullmatch(r"(?:B|负|-|地下)(\d+)", text):
        return -int(match[1])
    if re.fullmatch(r"\d+", text):
        return int(text)
    raise ValidationError(column, f"「{_shown(value)}」不是整数")


# names -------------------------------------------------------------------------------


def names_of(value: Any, column: str) -> list[str]:
    """The people one cell names: 张三、李四 / 张三/李四 / 张三，李四 are two."""
    if isinstance(value, (date, datetime)):
        raise ValidationError(column, f"被 Excel 当成了日期（{_shown(value)}），应为姓名")
    return [part.strip() for part in _NAME_SEPARATORS.split(text_of(value)) if part.strip()]
