"""Balances as plain sums over append-only rows: what a bill still owes, what a
household holds in 预存. Shared by billing, payments, reports and the household file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import Allocation, Bill, FeeItem, PrepaidEntry, Reduction, Refund
from frontdesk.domain.fees import Collection, FeeMethod

# How a carried-over bill (数据导入, Bill.import_id) is named wherever a clerk sees it.
CARRIED_OVER = "期初欠费"


@dataclass(frozen=True)
class BillLine:
    """A bill as the cashier sees it: what was due, what has been paid and reduced."""

    bill_id: int
    fee_item_id: int
    fee_item: str
    method: FeeMethod
    collection: Collection
    period: str | None
    start_on: date
    end_on: date
    description: str
    quantity_x100: int
    unit_price: int
    amount_fen: int
    rule_reduction_fen: int
    rule_reduction_reason: str
    due_fen: int
    paid_fen: int
    reduced_fen: int
    unit: str = ""  # the item's price unit (元/㎡/月, 元/吨 …)
    meter_kind: str | None = None
    carried_over: bool = False  # 期初欠费: brought over from the old system by an import

    @property
    def carried_label(self) -> str:
        """ "期初欠费" on a bill carried over from the old system, else ""."""
        return CARRIED_OVER if self.carried_over else ""

    @property
    def outstanding_fen(self) -> int:
        return self.due_fen - self.paid_fen - self.reduced_fen

    @property
    def period_label(self) -> str:
        """2026年3月 (a one-off charge: its day); "期初欠费 2026年3月" when carried over."""
        return " ".join(filter(None, [self.carried_label, self.month_label]))

    @property
    def month_label(self) -> str:
        if self.period is None:
            return f"{self.start_on.year}年{self.start_on.month}月{self.start_on.day}日"
        year, month = self.period.split("-")
        return f"{year}年{int(month)}月"


def paid_by_bill() -> Select[int, int]:
    return select(Allocation.bill_id, func.sum(Allocation.amount_fen).label("paid")).group_by(
        Allocation.bill_id
    )


def reduced_by_bill() -> Select[int, int]:
    return select(Reduction.bill_id, func.sum(Reduction.amount_fen).label("reduced")).group_by(
        Reduction.bill_id
    )


def bill_lines(
    session: Session, *, room_id: int | None = None, bill_ids: Iterable[int] = ()
) -> list[BillLine]:
    """Bills of a room (oldest first), or the given bills, with their sums."""
    paid = paid_by_bill()
    reduced = reduced_by_bill()
    ids = list(bill_ids)
    if room_id is not None:
        paid = paid.join(Bill, Allocation.bill_id == Bill.id).where(Bill.room_id == room_id)
        reduced = reduced.join(Bill, Reduction.bill_id == Bill.id).where(Bill.room_id == room_id)
    elif ids:
        paid = paid.where(Allocation.bill_id.in_(ids))
        reduced = reduced.where(Reduction.bill_id.in_(ids))
    paid_sub, reduced_sub = paid.subquery(), reduced.subquery()
    query = (
        select(Bill, FeeItem, paid_sub.c.paid, reduced_sub.c.reduced)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .outerjoin(paid_sub, paid_sub.c.bill_id == Bill.id)
        .outerjoin(reduced_sub, reduced_sub.c.bill_id == Bill.id)
        .order_by(Bill.start_on, FeeItem.sort_key, Bill.id)
    )
    query = (
        query.where(Bill.room_id == room_id)
        if room_id is not None
        else query.where(Bill.id.in_(ids))
    )
    return [
        BillLine(
            bill.id,
            item.id,
            item.name,
            item.method,
            item.collection,
            bill.period,
            bill.start_on,
            bill.end_on,
            bill.description,
            bill.quantity_x100,
            bill.unit_price,
            bill.amount_fen,
            bill.reduction_fen,
            bill.reduction_reason,
            bill.due_fen,
            paid or 0,
            reduced or 0,
            item.unit,
            item.meter_kind,
            bill.import_id is not None,
        )
        for bill, item, paid, reduced in session.execute(query)
    ]


def prepaid_balance(session: Session, room_id: int) -> int:
    total = session.scalar(
        select(func.sum(PrepaidEntry.amount_fen)).where(PrepaidEntry.room_id == room_id)
    )
    return int(total or 0)


def deposit_held(session: Session, bill_id: int) -> int:
    """What was paid on a deposit bill and not yet refunded (or kept)."""
    line = bill_lines(session, bill_ids=[bill_id])
    refunded = session.scalar(select(func.sum(Refund.gross_fen)).where(Refund.bill_id == bill_id))
    return (line[0].paid_fen if line else 0) - int(refunded or 0)
