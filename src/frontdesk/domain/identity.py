"""Identity documents: the kinds a counter sees, their number formats, and masking."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from frontdesk.domain import clock
from frontdesk.errors import ValidationError


class IdType(StrEnum):
    RESIDENT = "resident"  # 居民身份证
    HK_MACAU = "hk_macau"  # 港澳居民来往内地通行证 (回乡证)
    TAIWAN = "taiwan"  # 台湾居民来往大陆通行证 (台胞证)
    PASSPORT = "passport"  # 护照
    OTHER = "other"

    @property
    def label(self) -> str:
        return ID_TYPE_LABELS[self]


ID_TYPE_LABELS = {
    IdType.RESIDENT: "居民身份证",
    IdType.HK_MACAU: "港澳居民来往内地通行证",
    IdType.TAIWAN: "台湾居民来往大陆通行证",
    IdType.PASSPORT: "护照",
    IdType.OTHER: "其他证件",
}

# GB/T 2260 province-level codes (31 provinces, Hong Kong 81, Macau 82, Taiwan 83).
PROVINCE_CODES = frozenset(
    str(code)
    for code in (
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
        83,
    )
)

# H/M + 8 digits (2013 card; older booklets add 2 digits).
# ASCII: \d alone would also take Arabic-Indic or full-width digits and store them.
_HK_MACAU = re.compile(r"^[HM]\d{8}(\d{2})?$", re.ASCII)
# 8 digits since 2015; older ones 10 characters.
_TAIWAN = re.compile(r"^(\d{8}|\d{10}|[A-Z]\d{9})$", re.ASCII)
_PASSPORT = re.compile(r"^[A-Z0-9]{5,17}$")
_OTHER = re.compile(r"^[A-Z0-9-]{4,30}$")


def normalize_id_number(id_type: IdType, text: str, field: str = "证件号码") -> str:
    """The number as stored (upper case, no spaces); ValidationError names the field."""
    compact = (text.strip() if id_type == IdType.OTHER else re.sub(r"[\s-]", "", text)).upper()
    if not compact:
        raise ValidationError(field, "不能为空")
    if id_type == IdType.RESIDENT:
        return _resident(compact, field)
    pattern, example = {
        IdType.HK_MACAU: (_HK_MACAU, "H 或 M 开头加 8 位数字，如 H12345678"),
        IdType.TAIWAN: (_TAIWAN, "8 位数字，如 12345678"),
        IdType.PASSPORT: (_PASSPORT, "5 到 17 位字母或数字"),
        IdType.OTHER: (_OTHER, "4 到 30 位字母、数字或短横线"),
    }[id_type]
    if not pattern.match(compact):
        raise ValidationError(field, f"不是有效的{id_type.label}号码（{example}）")
    return compact


def _resident(number: str, field: str) -> str:
    if not re.fullmatch(r"\d{17}[\dX]", number, re.ASCII):
        raise ValidationError(field, "居民身份证号码应为 18 位（最后一位可以是 X）")
    # Imported here: only a typed ID number needs stdnum, not the start of the program.
    from stdnum.cn import ric

    # stdnum's calc_check_digit expects the full 18 characters and ignores the last.
    if ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(field, "居民身份证号码校验位不正确，请核对")
    try:  # read here, not by stdnum's get_birth_date: the number is already plain
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(field, "居民身份证号码中的出生日期无效") from None
    if born > clock.today():
        raise ValidationError(field, "居民身份证号码中的出生日期晚于今天")
    # Only the province is checked: ric.validate also requires the county code to have
    # existed in the birth year, which refuses real cards (people born before their
    # district was created or renamed carry its later code).
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(field, "居民身份证号码的地区码无效")
    return number


def mask_id_number(number: str) -> str:
    """110***********1234: the first 3 and last 4 characters stay."""
    if len(number) <= 7:
        return number[:1] + "*" * (len(number) - 1) if number else ""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
