"""Pure rules: money, areas, phone numbers, room codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.area import AreaFormatError, format_m2, parse_m2
from frontdesk.domain.money import (
    MAX_AMOUNT_FEN,
    MoneyFormatError,
    format_yuan,
    parse_yuan,
    to_words,
)
from frontdesk.domain.phone import normalize_phone
from frontdesk.domain.rooms import RoomQuery, parse_room_code, room_code, room_label
from frontdesk.errors import ValidationError

FEN = st.integers(min_value=-MAX_AMOUNT_FEN, max_value=MAX_AMOUNT_FEN)


@given(FEN)
def test_formatting_then_parsing_gives_the_same_fen(fen: int) -> None:
    assert parse_yuan(format_yuan(fen)) == fen
    assert parse_yuan(format_yuan(fen, symbol=True, grouping=False)) == fen


@given(st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False))
def test_parsing_is_exact_for_two_decimals(value: Decimal) -> None:
    assert parse_yuan(str(value)) == int(value * 100)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("0.01", 1),
        ("1,234.56", 123456),
        ("¥88", 8800),
        ("￥88.80", 8880),
        ("88元", 8800),
        (" -3.20 ", -320),
    ],
)
def test_parse_yuan_accepts_what_cashiers_type(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "1.234", "NaN", "Infinity", "1..2", "一百"])
def test_parse_yuan_rejects(text: str) -> None:
    with pytest.raises(MoneyFormatError):
        parse_yuan(text)


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        # The 《支付结算办法》 cases: 人民币 prefix, one 零 for a run of zeros,
        # 零 before a lone 分, 整 after 元.
        (0, "人民币零元整"),
        (5, "人民币伍分"),
        (1000, "人民币壹拾元整"),
        (32504, "人民币叁佰贰拾伍元零肆分"),
        (600714, "人民币陆仟零柒元壹角肆分"),
        (1640902, "人民币壹万陆仟肆佰零玖元零贰分"),
        (10000000, "人民币壹拾万元整"),
        (100001000, "人民币壹佰万零壹拾元整"),
        (12345, "人民币壹佰贰拾叁元肆角伍分"),
        (100, "人民币壹元整"),
        (-250, "人民币负贰元伍角"),
    ],
)
def test_amount_in_words(fen: int, words: str) -> None:
    assert to_words(fen) == words


@given(st.integers(min_value=1, max_value=10**9))
def test_area_round_trip(hundredths: int) -> None:
    assert parse_m2(format_m2(hundredths).replace(",", "")) == hundredths


@pytest.mark.parametrize("text", ["0", "-5", "abc", "89.123", ""])
def test_area_rejects(text: str) -> None:
    with pytest.raises(AreaFormatError):
        parse_m2(text)


def test_area_accepts_units() -> None:
    assert parse_m2("89.37㎡") == parse_m2("89.37m²") == parse_m2(" 89.37 ") == 8937


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("010-12345678", "010-12345678"),
        ("02586661234", "02586661234"),
        ("400-123-4567", "400-123-4567"),
    ],
)
def test_phone_accepts(text: str, normal: str) -> None:
    assert normalize_phone(text) == normal


@pytest.mark.parametrize("text", ["12345", "23812345678", "1381234567", "abc"])
def test_phone_rejects_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_phone(text, "服务中心电话")
    assert error.value.field == "服务中心电话"


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("3-2-1201", RoomQuery("3", "2", "1201")),
        ("3-1201", RoomQuery("3", None, "1201")),
        ("3栋2单元1201", RoomQuery("3", "2", "1201")),
        ("3栋2单元1201室", RoomQuery("3", "2", "1201")),
        ("3 栋 1201", RoomQuery("3", None, "1201")),
        ("12号楼1单元301", RoomQuery("12", "1", "301")),
        ("3栋", RoomQuery("3", None, None)),
        ("P-P001", RoomQuery("P", None, "P001")),
    ],
)
def test_room_codes_people_type(text: str, query: RoomQuery) -> None:
    assert parse_room_code(text) == query


@pytest.mark.parametrize("text", ["张三", "zs", "", "abc-def"])
def test_not_room_codes(text: str) -> None:
    assert parse_room_code(text) is None


def test_room_code_and_label() -> None:
    assert room_code("3", "2", "1201") == "3-2-1201"
    assert room_code("S", None, "S001") == "S-S001"
    assert room_label("3", "2", "1201") == "3栋2单元1201室"
