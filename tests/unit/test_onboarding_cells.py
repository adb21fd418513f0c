"""Cells of an office's old spreadsheet read into ours (domain/onboarding/cells.py):
money exact to the fen, phones and IDs from Excel numbers, dates and months in the
forms offices write them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from frontdesk.domain.identity import IdType
from frontdesk.domain.onboarding.cells import (
    EXCEL_EPOCH,
    date_of,
    hundredths_of,
    id_number_of,
    id_type_of,
    month_of,
    month_range_of,
    names_of,
    phone_of,
    whole_of,
)
from frontdesk.domain.periods import Period
from frontdesk.errors import ValidationError
from frontdesk.services.onboarding.lines import split_months
from tests.onboarding_books import cut_to_15_digits, valid_id

AMOUNTS = st.decimals(min_value=0, max_value=Decimal("9999999.99"), places=2)
DATES = st.dates(min_value=date(1950, 1, 2), max_value=date(2100, 12, 31))
MONTHS = st.builds(Period, st.integers(1950, 2100), st.integers(1, 12))


# money, areas, readings ------------------------------------------------------------


@given(AMOUNTS)
def test_an_amount_excel_stored_as_a_float_is_exact_to_the_fen(amount: Decimal) -> None:
    fen = int(amount * 100)
    assert hundredths_of(float(amount), "金额") == fen
    assert hundredths_of(str(amount), "金额") == fen
    assert hundredths_of(f"¥{amount:,}元", "金额") == fen


@given(st.integers(0, 10_000_000))
def test_a_whole_number_is_yuan(yuan: int) -> None:
    assert hundredths_of(yuan, "金额") == yuan * 100


def test_float_noise_from_a_formula_is_the_amount_it_means() -> None:
    assert hundredths_of(0.1 + 0.2, "金额") == 30
    assert hundredths_of(1234.5600000000002, "金额") == 123456


@pytest.mark.parametrize("value", [1.005, "1.005", "12.3.4", "abc", True, datetime(2025, 1, 1)])
def test_what_is_no_amount_of_two_decimals_is_refused(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        hundredths_of(value, "欠费金额")
    assert caught.value.field == "欠费金额"


def test_negative_amounts_only_where_allowed() -> None:
    with pytest.raises(ValidationError, match="不能为负数"):
        hundredths_of(-5, "预存余额")
    assert hundredths_of("-5.50", "缴费金额", allow_negative=True) == -550


@pytest.mark.parametrize("value", [None, "", " ", "-"])
def test_an_empty_amount_is_none(value: object) -> None:
    assert hundredths_of(value, "金额") is None


def test_areas_and_readings_carry_their_units() -> None:
    assert hundredths_of("89.50㎡", "面积") == 8950
    assert hundredths_of("120平方米", "面积") == 12000
    assert hundredths_of("1,234.5吨", "读数") == 123450


# phones and ID numbers --------------------------------------------------------------


@given(st.integers(13_000_000_000, 19_999_999_999))
def test_a_mobile_number_stored_as_a_number_is_read_whole(number: int) -> None:
    assert phone_of(number, "手机") == str(number)
    assert phone_of(float(number), "手机") == str(number)
    assert phone_of(f"{number}", "手机") == str(number)


def test_full_width_digits_are_read_as_digits() -> None:
    wide = str.maketrans("0123456789.-", "０１２３４５６７８９．－")
    assert phone_of("13812345678".translate(wide), "手机") == "13812345678"
    assert hundredths_of("89.50".translate(wide), "面积") == 8950
    assert date_of("2025-03-01".translate(wide), "日期") == date(2025, 3, 1)
    assert month_of("2025-03".translate(wide), "月份") == Period(2025, 3)
    assert whole_of("12".translate(wide), "楼层") == 12


def test_a_phone_that_is_no_phone_is_refused_naming_the_column() -> None:
    with pytest.raises(ValidationError) as caught:
        phone_of(12345, "联系电话")
    assert caught.value.field == "联系电话"


@given(st.integers(0, 59_999))
def test_a_whole_id_number_is_read_from_text_or_an_exact_number(n: int) -> None:
    number = valid_id(n)
    assert id_number_of(number, "身份证号") == number
    assert id_number_of(number.lower(), "身份证号") == number
    if number.isdigit():
        assert id_number_of(int(number), "身份证号") == number


@given(st.integers(0, 59_999))
def test_an_id_number_excel_cut_to_15_digits_is_refused_not_guessed(n: int) -> None:
    number = valid_id(n)
    assume(number.isdigit())  # one ending in X stays text: Excel makes no number of it
    with pytest.raises(ValidationError, match="只保留前 15 位，末 3 位已丢失") as caught:
        id_number_of(cut_to_15_digits(number), "身份证号")
    assert caught.value.field == "身份证号"
    with pytest.raises(ValidationError, match="科学计数法"):
        id_number_of("3.20102E+17", "身份证号")


def test_a_wrong_check_digit_and_an_old_15_digit_number_are_refused() -> None:
    number = valid_id(7)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(ValidationError, match="校验位"):
        id_number_of(wrong, "证件号码")
    with pytest.raises(ValidationError, match="15 位的旧身份证"):
        id_number_of("320102600101001", "证件号码")


def test_permits_and_passports_are_kept_as_written_with_their_kind() -> None:
    assert id_number_of("h12345678", "证件号码") == "H12345678"
    assert id_number_of("E12345678", "证件号码") == "E12345678"
    assert id_number_of("AB-12", "证件号码") == "AB12"
    kinds = [id_type_of(n) for n in (valid_id(1), "H12345678", "E12345678", "AB-12")]
    assert kinds == [IdType.RESIDENT, IdType.HK_MACAU, IdType.PASSPORT, IdType.OTHER]


# dates and months --------------------------------------------------------------------


@given(DATES)
def test_a_date_in_each_form_offices_write(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    forms = [
        f"{y}-{m}-{d}",
        f"{y}/{m:02d}/{d:02d}",
        f"{y}.{m}.{d}",
        f"{y}年{m}月{d}日",
        f"{y}{m:02d}{d:02d}",
        f"{y}-{m:02d}-{d:02d} 08:30",
        (day - EXCEL_EPOCH).days,  # an Excel serial number
        float((day - EXCEL_EPOCH).days),
        int(f"{y}{m:02d}{d:02d}"),
        datetime(y, m, d, 9, 15),
        day,
    ]
    for form in forms:
        assert date_of(form, "缴费日期") == day, form


@pytest.mark.parametrize("value", ["2025-02-30", "昨天", 12, True, "2025-13-01"])
def test_what_is_no_date_is_refused_naming_the_column(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        date_of(value, "交房日期")
    assert caught.value.field == "交房日期"


@given(MONTHS, st.integers(1, 28))
def test_a_month_in_each_form_offices_write(period: Period, day: int) -> None:
    y, m = period.year, period.month
    forms: list[object] = [
        f"{y}-{m:02d}",
        f"{y}-{m}",
        f"{y}年{m}月",
        f"{y}年{m}月份",
        f"{y}{m:02d}",
        int(f"{y}{m:02d}"),
        f"{y}.{m}",
        f"{y}/{m}",
        f"{y}-{m:02d}-{day:02d}",
        date(y, m, day),
        (date(y, m, day) - EXCEL_EPOCH).days,
    ]
    if m not in (1, 10):
        forms.append(float(f"{y}.{m}"))  # what Excel made of the text 2025.3
    for form in forms:
        assert month_of(form, "所属月份") == period, form


@pytest.mark.parametrize("value", [2025.1, float("2025.10")])
def test_a_month_excel_made_a_number_of_is_refused_when_it_may_be_january_or_october(
    value: float,
) -> None:
    with pytest.raises(ValidationError, match="分不清是 1 月还是 10 月"):
        month_of(value, "所属月份")


@given(MONTHS, st.integers(0, 30))
def test_a_range_of_months_written_in_one_cell(first: Period, span: int) -> None:
    last = first.shifted(span)
    assume(last.year <= 2100)
    forms = [
        f"{first}至{last}",
        f"{first.year}.{first.month:02d}-{last.year}.{last.month:02d}",
        f"{first}-{last}",
        f"{first.label}～{last.label}",
        f"{first.label} 到 {last.label}",
    ]
    if first.year == last.year:
        forms.append(f"{first.label}~{last.month}月")
    for form in forms:
        assert month_range_of(form, "所属月份") == (first, last), form
    assert month_range_of(str(first), "所属月份") == (first, first)
    assert month_range_of(None, "所属月份") is None


def test_what_is_no_month_is_refused() -> None:
    with pytest.raises(ValidationError):
        month_range_of("2025-08至十月", "所属月份")
    for value in ("2025-13", "十月", "202513"):
        with pytest.raises(ValidationError):
            month_of(value, "已缴至")


# names and floors --------------------------------------------------------------------


@given(
    st.lists(st.text("张王李赵钱孙周吴郑", min_size=1, max_size=3), min_size=1, max_size=4),
    st.sampled_from(["、", "/", "，", ",", "；", " / "]),
)
def test_several_owners_in_one_cell(names: list[str], separator: str) -> None:
    assert names_of(separator.join(names), "业主") == names


def test_floors() -> None:
    values = (12, "12层", "B1", "-2", "负1", None, "", "12F", "地下1层", -1)
    assert [whole_of(v, "楼层") for v in values] == [
        12,
        12,
        -1,
        -2,
        -1,
        None,
        None,
        12,
        -1,
        -1,
    ]
    with pytest.raises(ValidationError):
        whole_of("十二", "楼层")


@given(st.integers(0, 10**9), st.integers(1, 120))
def test_a_total_owed_over_months_splits_exactly(total: int, months: int) -> None:
    parts = split_months(total, months)
    assert len(parts) == months and sum(parts) == total
    assert len(set(parts[:-1])) <= 1 and parts[-1] >= parts[0]
    assert parts[-1] - parts[0] < months


def test_a_serial_outside_our_years_is_no_date() -> None:
    with pytest.raises(ValidationError):
        date_of((date(1930, 1, 1) - EXCEL_EPOCH).days, "日期")
    assert date_of(EXCEL_EPOCH + timedelta(days=45000), "日期") == EXCEL_EPOCH + timedelta(
        days=45000
    )
