"""Validators of the household file: ID numbers, plates, phones, masking, pinyin keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from frontdesk.domain.household import split_tags
from frontdesk.domain.identity import IdType, mask_id_number, normalize_id_number
from frontdesk.domain.names import pinyin_keys
from frontdesk.domain.phone import mask_phone, normalize_phone
from frontdesk.domain.plates import is_new_energy, normalize_plate
from frontdesk.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),  # a lower-case x is the same number
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("320105197001011232", "320105197001011232"),  # district created later: still valid
    ],
)
def test_resident_id_numbers_with_right_check_digit_are_kept(text: str, stored: str) -> None:
    assert normalize_id_number(IdType.RESIDENT, text) == stored


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("110105194912310021", "校验位不正确"),
        ("11010519491231002", "应为 18 位"),
        ("1101051949123100211", "应为 18 位"),
        ("110105194913310021", "出生日期"),  # month 13, right check digit
        ("990105194912310023", "地区码"),
        ("ABCDEFGHIJKLMNOPQR", "应为 18 位"),
        ("", "不能为空"),
    ],
)
def test_bad_resident_id_numbers_name_the_field_and_the_problem(text: str, problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_id_number(IdType.RESIDENT, text, "产权人证件号码")
    assert caught.value.message.startswith("产权人证件号码：")
    assert problem in caught.value.message


@given(
    st.sampled_from(["110105", "320105", "440305"]),
    st.dates(
        min_value=__import__("datetime").date(1930, 1, 1),
        max_value=__import__("datetime").date(2020, 12, 31),
    ),
    st.integers(0, 999),
)
def test_any_number_with_its_check_digit_passes_and_any_other_digit_fails(
    region: str, born, sequence: int
) -> None:
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    right = ric.calc_check_digit(body + "?")
    assert normalize_id_number(IdType.RESIDENT, body + right) == body + right
    wrong = next(d for d in "0123456789X" if d != right)
    with pytest.raises(ValidationError):
        normalize_id_number(IdType.RESIDENT, body + wrong)


@pytest.mark.parametrize(
    ("id_type", "text", "stored"),
    [
        (IdType.HK_MACAU, "h12345678", "H12345678"),
        (IdType.HK_MACAU, "M1234567801", "M1234567801"),
        (IdType.TAIWAN, "12345678", "12345678"),
        (IdType.PASSPORT, "e 1234 5678", "E12345678"),
    ],
)
def test_permits_and_passports_are_their_own_document_types(id_type, text, stored) -> None:
    assert normalize_id_number(id_type, text) == stored


@pytest.mark.parametrize(
    ("id_type", "text"),
    [
        (IdType.HK_MACAU, "12345678"),
        (IdType.HK_MACAU, "X12345678"),
        (IdType.TAIWAN, "1234567"),
        (IdType.PASSPORT, "E1"),
        (IdType.PASSPORT, "护照12345"),
    ],
)
def test_malformed_permits_and_passports_are_refused(id_type, text) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_id_number(id_type, text)
    assert id_type.label in caught.value.message


@pytest.mark.parametrize(
    ("text", "stored", "green"),
    [
        ("浙A12345", "浙A12345", False),
        ("浙a·12345", "浙A12345", False),
        ("苏 B 8G3K2", "苏B8G3K2", False),
        ("浙AD12345", "浙AD12345", True),  # small new-energy car
        ("浙AFA1234", "浙AFA1234", True),
        ("浙A12345D", "浙A12345D", True),  # large new-energy vehicle
        ("粤Z1234港", "粤Z1234港", False),
        ("京A1234学", "京A1234学", False),
    ],
)
def test_plates_including_new_energy(text: str, stored: str, green: bool) -> None:
    assert normalize_plate(text) == stored
    assert is_new_energy(stored) is green


@pytest.mark.parametrize(
    "text", ["浙A1234", "浙I12345", "浙AO1234", "XA12345", "浙A1234567", "12345", "浙A12345X", ""]
)
def test_bad_plates_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_plate(text, "车牌号")
    assert caught.value.message.startswith("车牌号：")


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("138 1234 5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("0571-88886666", "0571-88886666"),
        ("025 86661234", "02586661234"),
        ("400-123-4567", "400-123-4567"),
    ],
)
def test_mobile_and_landline_numbers(text: str, stored: str) -> None:
    assert normalize_phone(text) == stored


@pytest.mark.parametrize("text", ["1381234567", "12812345678", "88886666", "abc", "138123456789"])
def test_bad_phone_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        normalize_phone(text, "电话")


def test_masks_keep_only_what_identifies_the_record_to_a_clerk() -> None:
    assert mask_id_number("110105194912311234") == "110***********1234"
    assert mask_id_number("H12345678") == "H12**5678"
    assert mask_id_number("") == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0571-88886666") == "0571-****6666"
    assert mask_phone("") == ""


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_a_masked_mobile_never_shows_the_middle_digits(phone: str) -> None:
    masked = mask_phone(phone)
    assert len(masked) == 11 and masked[3:7] == "****"
    assert masked[:3] == phone[:3] and masked[-4:] == phone[-4:]


@given(st.text(alphabet="0123456789X", min_size=8, max_size=18))
def test_a_masked_id_hides_all_but_seven_characters(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert sum(c != "*" for c in masked) <= 7


def test_pinyin_keys_for_search() -> None:
    assert pinyin_keys("张三") == ("zhangsan", "zs", "zhangs")
    assert pinyin_keys("欧阳娜娜") == ("ouyangnana", "oynn", "ouyangnn")  # a compound surname
    assert pinyin_keys(" 李A ") == ("lia", "la", "lia")


def test_tags_split_on_any_common_separator_without_repeats() -> None:
    assert split_tags("独居、 VIP,出租，VIP;楼长") == ["独居", "VIP", "出租", "楼长"]
    assert split_tags("") == []
