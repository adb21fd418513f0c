"""Paid repairs (有偿维修): the kinds of line on the price list and how a line is
priced. Prices are integer fen per unit; quantities are hundredths (2.5 米 = 250), so
a line is rounded half up to the fen once, where it is priced. No database."""

from __future__ import annotations

from enum import StrEnum

from frontdesk.domain.money import MAX_AMOUNT_FEN
from frontdesk.errors import ValidationError

MAX_QUANTITY_X100 = 99_900  # 999 of a unit on one line
MAX_LINES = 20  # lines on one charge


class PriceKind(StrEnum):
    LABOUR = "labour"  # 人工费: 更换水龙头 30 元/次
    MATERIAL = "material"  # 材料: 单把水龙头（铜） 45 元/个

    @property
    def label(self) -> str:
        return PRICE_KIND_LABELS[self]


PRICE_KIND_LABELS = {PriceKind.LABOUR: "人工", PriceKind.MATERIAL: "材料"}


def line_amount(unit_fen: int, quantity_x100: int) -> int:
    """Fen for `quantity_x100` hundredths of a unit at `unit_fen` a unit, half up."""
    return (unit_fen * quantity_x100 + 50) // 100


def check_quantity(quantity_x100: int, field: str = "数量") -> int:
    if not isinstance(quantity_x100, int) or isinstance(quantity_x100, bool):
        raise ValidationError(field, "数量须为数字")
    if not 1 <= quantity_x100 <= MAX_QUANTITY_X100:
        raise ValidationError(field, f"应在 0.01 到 {MAX_QUANTITY_X100 // 100} 之间")
    return quantity_x100


def check_unit_price(unit_fen: int, field: str = "单价") -> int:
    if not isinstance(unit_fen, int) or isinstance(unit_fen, bool):
        raise ValidationError(field, "单价须为整数分")
    if not 0 <= unit_fen <= MAX_AMOUNT_FEN // 1000:
        raise ValidationError(field, f"应在 0 到 {MAX_AMOUNT_FEN // 100_000:,} 元之间")
    return unit_fen


def format_quantity(quantity_x100: int) -> str:
    """250 -> '2.5', 100 -> '1'."""
    whole, part = divmod(quantity_x100, 100)
    return str(whole) if part == 0 else f"{whole}.{part:02d}".rstrip("0")


def parse_quantity(text: str, field: str = "数量") -> int:
    """A quantity as typed ('2', '2.5', blank for 1) in hundredths; ValidationError
    naming `field` when it is not a number of at most two decimals in range."""
    typed = text.strip() or "1"
    whole, dot, part = typed.partition(".")
    digits = (whole or "0") + (part if dot else "")
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(field, "应为数字，如 2 或 2.5")
    if len(part) > 2:
        raise ValidationError(field, "最多两位小数")
    return check_quantity(int(whole or "0") * 100 + int(part.ljust(2, "0")), field)
