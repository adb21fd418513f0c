"""Mainland mobile, landline and 400/800 service numbers."""

from __future__ import annotations

import re

from frontdesk.errors import ValidationError

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SERVICE = re.compile(r"^(400|800)-?\d{3}-?\d{4}$")


def normalize_phone(text: str, field: str = "电话") -> str:
    """Accept 138 1234 5678 / +86 13812345678 / 010-12345678 / 400-123-4567."""
    compact = re.sub(r"[\s（）()]", "", text).removeprefix("+86").removeprefix("0086")
    if not compact.isascii():  # \d would take Arabic-Indic or full-width digits and keep them
        raise ValidationError(field, "不是有效的手机号或固定电话（如 13812345678、010-12345678）")
    if _MOBILE.match(compact.replace("-", "")):  # 139-1234-5678
        return compact.replace("-", "")
    if _LANDLINE.match(compact) or _SERVICE.match(compact):
        return compact
    raise ValidationError(field, "不是有效的手机号或固定电话（如 13812345678、010-12345678）")


def phone_key(text: str, field: str = "电话") -> str:
    """The number as digits only, so 010-12345678 and 010 1234 5678 are one number:
    for records found again by phone (visitors, the watchlist)."""
    return re.sub(r"\D", "", normalize_phone(text, field))


def mask_phone(phone: str) -> str:
    """138****5678 for a mobile; for other numbers all but the area code and last 4."""
    if not phone:
        return ""
    if "*" in phone or not any(c.isdigit() for c in phone):  # masked, or 「（已加密）」
        return phone
    if _MOBILE.match(phone):
        return phone[:3] + "****" + phone[-4:]
    head, sep, rest = phone.partition("-")
    if sep and len(rest) > 4:
        return f"{head}-{'*' * (len(rest) - 4)}{rest[-4:]}"
    return "*" * max(len(phone) - 4, 0) + phone[-4:]
