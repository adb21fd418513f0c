"""Money is an integer number of fen (分). Decimal only when parsing or formatting."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import cn2an

FEN_PER_YUAN = 100


class MoneyFormatError(ValueError):
    """Text that is not an amount of money in yuan with at most two decimals."""


def parse_yuan(text: str) -> int:
    """'1,234.5' / '¥12' / '12元' -> fen. Rejects more than two decimals."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("元")
    sign = "-" if cleaned.startswith("-") else ""
    cleaned = cleaned.removeprefix("-").lstrip("¥￥").strip()
    try:
        value = Decimal(sign + cleaned)
    except InvalidOperation as exc:
        raise MoneyFormatError(text) from exc
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise MoneyFormatError(text)
    return int(value * FEN_PER_YUAN)


def format_yuan(fen: int, *, symbol: bool = False, grouping: bool = True) -> str:
    """12345 -> '123.45' ('¥123.45' with symbol); negative amounts keep their sign."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{'¥' if symbol else ''}{whole}.{cents:02d}"


def to_words(fen: int) -> str:
    """人民币大写 for receipts: 12345 -> '壹佰贰拾叁元肆角伍分'."""
    if fen < 0:
        return "负" + to_words(-fen)
    return str(cn2an.an2cn(format_yuan(fen, grouping=False), "rmb"))
