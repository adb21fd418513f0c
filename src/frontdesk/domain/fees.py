"""Fee items, how each is computed, payment methods and receipt vocabulary."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum

from frontdesk.errors import ValidationError


class FeeMethod(StrEnum):
    AREA_MONTHLY = "area_monthly"  # building area × unit price per month (物业费)
    FIXED_MONTHLY = "fixed_monthly"  # a fixed amount per room per month
    PARKING_MONTHLY = "parking_monthly"  # per parking space the household uses (车位管理费)
    METER = "meter"  # (current − previous reading) × multiplier × unit price
    ONE_OFF = "one_off"  # charged when it happens (门禁卡工本费)
    DEPOSIT = "deposit"  # refundable (装修押金)

    @property
    def label(self) -> str:
        return FEE_METHOD_LABELS[self]

    @property
    def monthly(self) -> bool:
        return self in MONTHLY_METHODS


FEE_METHOD_LABELS = {
    FeeMethod.AREA_MONTHLY: "按面积每月",
    FeeMethod.FIXED_MONTHLY: "每户每月定额",
    FeeMethod.PARKING_MONTHLY: "按车位每月",
    FeeMethod.METER: "按表计读数",
    FeeMethod.ONE_OFF: "一次性收费",
    FeeMethod.DEPOSIT: "押金（可退）",
}
MONTHLY_METHODS = frozenset(
    {FeeMethod.AREA_MONTHLY, FeeMethod.FIXED_MONTHLY, FeeMethod.PARKING_MONTHLY}
)


# The unit a fee item's price is quoted in (计量单位), chosen in the fee settings; the
# receipt's 数量 column prints the part after 元/ (㎡, 户, 吨, 度, 张 …).
UNIT_CHOICES = (
    "元/㎡/月",
    "元/户/月",
    "元/个/月",
    "元/吨",
    "元/度",
    "元/立方米",
    "元/张",
    "元/次",
    "元/户",
    "元/㎡",
    "元/个",
)
_METER_UNITS = {"water": "元/吨", "electricity": "元/度", "gas": "元/立方米", "shared": "元/户"}
MAX_UNIT_LENGTH = 12


def default_price_unit(method: FeeMethod, meter_kind: str | None = None) -> str:
    """The unit that follows from how an item is charged (the supervisor may change it)."""
    if method == FeeMethod.METER:
        return _METER_UNITS.get(meter_kind or "", "元/吨")
    return {
        FeeMethod.AREA_MONTHLY: "元/㎡/月",
        FeeMethod.FIXED_MONTHLY: "元/户/月",
        FeeMethod.PARKING_MONTHLY: "元/个/月",
        FeeMethod.ONE_OFF: "元/次",
        FeeMethod.DEPOSIT: "元/户",
    }[method]


def quantity_unit(price_unit: str) -> str:
    """What the quantity is counted in: 元/㎡/月 -> ㎡, 元/吨 -> 吨, 元 -> ''."""
    parts = [part for part in price_unit.split("/") if part]
    parts = [part for part in parts[1:] if part != "月"]
    return parts[0] if parts else ""


def check_price_unit(text: str) -> str:
    """A unit as the fee settings take it: 元/ followed by what is counted."""
    unit = text.strip().replace("／", "/").replace(" ", "")
    if not unit.startswith("元/") or not quantity_unit(unit) or len(unit) > MAX_UNIT_LENGTH:
        raise ValidationError("计量单位", "请写成“元/计量单位”，如 元/㎡/月、元/吨、元/张")
    return unit


class Collection(StrEnum):
    """Whose money it is: reports keep 代收 and 维修资金 apart from the office's income."""

    OWN = "own"
    ON_BEHALF = "on_behalf"  # 代收 water and electricity
    MAINTENANCE_FUND = "maintenance_fund"  # 公共维修资金
    DEPOSIT = "deposit"  # held, refundable
    PREPAID = "prepaid"  # 预存: received ahead, income only once a bill draws it

    @property
    def label(self) -> str:
        return {
            "own": "物业收入",
            "on_behalf": "代收代缴",
            "maintenance_fund": "公共维修资金",
            "deposit": "押金",
            "prepaid": "预收款",
        }[self]


class PayMethod(StrEnum):
    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    CARD = "card"
    TRANSFER = "transfer"
    PREPAID = "prepaid"  # drawn from the household's 预存 balance

    @property
    def label(self) -> str:
        return PAY_METHOD_LABELS[self]


PAY_METHOD_LABELS = {
    PayMethod.CASH: "现金",
    PayMethod.WECHAT: "微信",
    PayMethod.ALIPAY: "支付宝",
    PayMethod.CARD: "银行卡",
    PayMethod.TRANSFER: "转账",
    PayMethod.PREPAID: "预存抵扣",
}
COUNTER_METHODS = (
    PayMethod.CASH,
    PayMethod.WECHAT,
    PayMethod.ALIPAY,
    PayMethod.CARD,
    PayMethod.TRANSFER,
)


class MeterKind(StrEnum):
    WATER = "water"
    ELECTRICITY = "electricity"
    GAS = "gas"
    SHARED = "shared"  # 公摊

    @property
    def label(self) -> str:
        return {"water": "水表", "electricity": "电表", "gas": "燃气表", "shared": "公摊"}[self]


class Paper(StrEnum):
    A4 = "a4"
    A5 = "a5"
    FORM_241x93 = "form241x93"  # 针式打印机连续纸（三等分）
    FORM_241x140 = "form241x140"  # 针式打印机连续纸（二等分）

    @property
    def label(self) -> str:
        return {
            "a4": "A4",
            "a5": "A5",
            "form241x93": "241×93 毫米连续纸",
            "form241x140": "241×140 毫米连续纸",
        }[self]


RECEIPT_COPIES = ("存根联", "客户联", "记账联")


class ReadingFormatError(ValueError):
    """Text that is not a meter reading (≥ 0, at most two decimals)."""


def parse_reading(text: str) -> int:
    """'1234.5' -> 123450 (hundredths of a unit)."""
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ReadingFormatError(text) from exc
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ReadingFormatError(text)
    if value >= 10**9:
        raise ReadingFormatError(text)
    return int(value * 100)


# A reading this many times the room's usual monthly use is flagged for a second look.
UNUSUAL_USE_FACTOR = 3


def reading_warning(previous_x100: int, current_x100: int, usual_x100: int | None) -> str:
    """Why a reading deserves a second look, or '' when it looks normal."""
    if current_x100 < previous_x100:
        return "本次读数小于上次读数（换表或抄错？）"
    used = current_x100 - previous_x100
    if usual_x100 and used > UNUSUAL_USE_FACTOR * usual_x100:
        return f"用量是平时的 {used / usual_x100:.1f} 倍，请核对"
    return ""


# A refund by transfer goes to an account: 户名, 开户行 and 账号 are all required.
ACCOUNT_FIELDS = ("户名", "开户行", "账号")


def normalize_account_no(text: str) -> str:
    """A bank account number as digits only (spaces and dashes typed between groups go)."""
    digits = text.strip().replace(" ", "").replace("-", "").replace("\u3000", "")
    if not digits:
        raise ValidationError("账号", "转账退款须填写收款账号")
    if not digits.isascii() or not digits.isdigit() or not 8 <= len(digits) <= 30:
        raise ValidationError("账号", "应为 8 到 30 位数字")
    return digits


def mask_account_no(number: str) -> str:
    """6222 **** **** 1234: the bank's first four digits and the last four, as phones are
    masked on screen; '' stays ''."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * (len(number) - 4) + number[-4:]
    return f"{number[:4]} **** {number[-4:]}"


# Numbering series (the receipt_series table): receipts and refund vouchers are money
# papers with gap-free numbers; the other series number notices (催缴, 通知).
RECEIPT_SERIES = "SJ"  # 收据
REFUND_SERIES = "TK"  # 退款凭证
MONEY_SERIES = frozenset({RECEIPT_SERIES, REFUND_SERIES})
