"""物品借用: what the office lends (umbrellas, trolleys, ladders, tools), how many it
has, for how long, and whether a deposit is taken at the cashier. Pure rules."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from frontdesk.errors import ValidationError

DEFAULT_LOAN_DAYS = 3
LOAN_DAYS_RANGE = (1, 90)
MAX_STOCK = 9999
DEFAULT_RETENTION_DAYS = 180  # as visitors: a borrower's name and phone, once returned
RETENTION_RANGE = (30, 3650)


class LoanState(StrEnum):
    OUT = "out"
    OVERDUE = "overdue"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"out": "借出", "overdue": "逾期未还", "returned": "已归还"}[self.value]


class DepositState(StrEnum):
    NONE = "none"  # the item takes no deposit
    UNPAID = "unpaid"  # on the room's account, not yet taken at the cashier
    HELD = "held"  # taken, not yet refunded
    REFUNDED = "refunded"  # refunded (or kept) through the cashier's refund

    @property
    def label(self) -> str:
        return {"none": "无押金", "unpaid": "待收", "held": "已收", "refunded": "已退"}[self.value]


def loan_state(due_on: date, returned: bool, today: date) -> LoanState:
    if returned:
        return LoanState.RETURNED
    return LoanState.OVERDUE if due_on < today else LoanState.OUT


def due_on(today: date, loan_days: int) -> date:
    return today + timedelta(days=loan_days)


def check_loan_days(days: int) -> int:
    low, high = LOAN_DAYS_RANGE
    if not low <= days <= high:
        raise ValidationError("借用天数", f"应在 {low} 到 {high} 天之间")
    return days


def check_stock(stock: int, out: int) -> int:
    if not 0 <= stock <= MAX_STOCK:
        raise ValidationError("库存数量", f"应在 0 到 {MAX_STOCK} 之间")
    if stock < out:
        raise ValidationError("库存数量", f"现有 {out} 件借出未还，库存不能少于 {out}")
    return stock


def check_quantity(quantity: int, available: int, item: str) -> int:
    if quantity < 1:
        raise ValidationError("数量", "至少借 1 件")
    if quantity > available:
        raise ValidationError("数量", f"“{item}”现可借 {available} 件，不够借 {quantity} 件")
    return quantity


def check_retention_days(days: int) -> int:
    low, high = RETENTION_RANGE
    if not low <= days <= high:
        raise ValidationError("物品借用记录保存天数", f"应在 {low} 到 {high} 天之间")
    return days
