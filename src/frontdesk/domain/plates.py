"""Chinese motor-vehicle plates, including new-energy (green) plates."""

from __future__ import annotations

import re

from frontdesk.errors import ValidationError

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # I and O are never used
# Ordinary blue/yellow plates: 浙A12345, 粤B8G3K2, 粤Z1234港.
_ORDINARY = re.compile(rf"^[{PROVINCES}][{_LETTER}][{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳]$")
# New-energy plates: D/F first for small cars (浙AD12345), last for large ones (浙A12345D).
_NEW_ENERGY = re.compile(rf"^[{PROVINCES}][{_LETTER}]([DF][{_LETTER}0-9]\d{{4}}|\d{{5}}[DF])$")


def normalize_plate(text: str, field: str = "车牌号") -> str:
    """浙A·12345 / 浙a 12345 -> 浙A12345; ValidationError names the field."""
    compact = re.sub(r"[\s·•.\-]", "", text).upper()
    if not compact:
        raise ValidationError(field, "不能为空")
    if _ORDINARY.match(compact) or _NEW_ENERGY.match(compact):
        return compact
    raise ValidationError(field, "不是有效的车牌号（如 浙A12345，新能源 浙AD12345）")


def is_new_energy(plate: str) -> bool:
    return bool(_NEW_ENERGY.match(plate))


def mask_plate(plate: str) -> str:
    """粤B***45 : the issuing region and the last two characters stay."""
    if len(plate) <= 4:
        return plate[:1] + "*" * (len(plate) - 1)
    return plate[:2] + "*" * (len(plate) - 4) + plate[-2:]
