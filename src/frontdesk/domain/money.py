"""Money is an integer number of fen (分). Decimal only when parsing or formatting."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from frontdesk.errors import ValidationError

FEN_PER_YUAN = 100
# The largest amount any one money field takes: ¥10,000,000.00. A service counter sees
# property fees, deposits and renovation charges; the largest real sums (a year of a
# big commercial unit's fees, a parking space's 产权 price) stay well under ten million
# yuan, while anything above is a slip (extra zeros) or hostile input. Keeping every
# amount this small also keeps every sum of amounts far inside SQLite's 64-bit integers
# and Decimal's 28 digits, so no arithmetic overflows or rounds.
MAX_AMOUNT_FEN = 1_000_000_000
MAX_YUAN = Decimal(MAX_AMOUNT_FEN) / 100


_PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


class MoneyFormatError(ValueError):
    """Text that is not an amount of money in yuan with at most two decimals."""

    problem = "不是有效金额（最多两位小数）"


class MoneyTooLarge(MoneyFormatError):
    """An amount above MAX_AMOUNT_FEN (or, for unit prices, MAX_YUAN)."""

    problem = f"超过单项金额上限 {MAX_YUAN:,.2f} 元，请核对"


def check_amount(fen: int, field: str, *, allow_negative: bool = False) -> int:
    """An amount a service was given (typed, imported or from the API): within the limit.

    Services call this on every money field of a request, so an amount that did not come
    through parse_yuan (a script, the CLI, a test) meets the same rule and message."""
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise ValidationError(field, "金额须为整数分")
    if fen < 0 and not allow_negative:
        raise ValidationError(field, "不能为负数")
    if abs(fen) > MAX_AMOUNT_FEN:
        raise ValidationError(field, MoneyTooLarge.problem)
    return fen


def parse_yuan(text: str) -> int:
    """'1,234.5' / '¥12' / '12元' -> fen. Rejects more than two decimals."""
    cleaned = text.strip().replace(",", "").replace("，", "").removesuffix("元")
    sign = "-" if cleaned.startswith("-") else ""
    cleaned = cleaned.removeprefix("-").lstrip("¥￥").strip()
    if not _PLAIN_NUMBER.fullmatch(cleaned):  # no 1e2, 1_000 or non-ASCII digits
        raise MoneyFormatError(text)
    try:
        value = Decimal(sign + cleaned)
    except InvalidOperation as exc:
        raise MoneyFormatError(text) from exc
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise MoneyFormatError(text)
    if abs(value) > MAX_YUAN:
        raise MoneyTooLarge(text)
    return int(value * FEN_PER_YUAN)


def typed_fen(text: str, field: str, *, allow_negative: bool = False) -> int:
    """Fen a clerk typed in the field named `field` ('' is zero); a bad amount, or a
    negative one unless allowed, is a ValidationError naming the field."""
    text = text.strip()
    if not text:
        return 0
    try:
        fen = parse_yuan(text)
    except MoneyFormatError as exc:
        raise ValidationError(field, f"“{text[:20]}”{exc.problem}") from None
    if fen < 0 and not allow_negative:
        raise ValidationError(field, "不能为负数")
    return fen


def format_yuan(fen: int, *, symbol: bool = False, grouping: bool = True) -> str:
    """12345 -> '123.45' ('¥123.45' with symbol); negative amounts keep their sign."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{'¥' if symbol else ''}{whole}.{cents:02d}"


def to_words(fen: int) -> str:
    """人民币大写 for receipts, by the 《支付结算办法》 rules:
    32504 -> '人民币叁佰贰拾伍元零肆分', 1000 -> '人民币壹拾元整'."""
    if fen < 0:
        return "人民币负" + to_words(-fen).removeprefix("人民币")
    import cn2an  # 60 ms to import: only receipts and refunds need it

    return "人民币" + str(cn2an.an2cn(format_yuan(fen, grouping=False), "rmb"))


# Unit prices keep four decimals (electricity is priced 0.5283 元/度).
PRICE_SCALE = 10_000


def parse_unit_price(text: str) -> int:
    """'2.20' -> 22000 (yuan × 10,000). Rejects more than four decimals."""
    cleaned = text.strip().replace(",", "").removesuffix("元").lstrip("¥￥").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise MoneyFormatError(text) from exc
    if not value.is_finite() or value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise MoneyFormatError(text)
    if value.copy_abs() > MAX_YUAN:  # 1e999999 would overflow Decimal, 1e5000 fill memory
        raise MoneyTooLarge(text)
    return int(value * PRICE_SCALE)


def format_unit_price(price: int) -> str:
    """22000 -> '2.20', 5283 -> '0.5283', 30000000 -> '3,000.00': at least two decimals,
    no trailing zeros beyond, thousands grouped like every amount."""
    text = f"{Decimal(price) / PRICE_SCALE:,.4f}"
    whole, decimals = text.split(".")
    return f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"


def price_times(quantity_x100: int, price: int) -> int:
    """Fen for a quantity in hundredths (m², 吨, 度) at a unit price (yuan × 10,000),
    rounded half up to the fen: 89.50 m² × 2.20 = 19690 fen."""
    numerator = quantity_x100 * price
    sign = -1 if numerator < 0 else 1
    return sign * ((abs(numerator) + 5_000) // 10_000)
