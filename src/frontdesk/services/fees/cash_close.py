"""交班/日结 and the daily report: what each cashier took, by method, against the
cash counted in the drawer. A day close locks the cashier's day: no more posting,
and voids of that day's receipts need a supervisor."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Allocation,
    Bill,
    CashClose,
    FeeItem,
    Payment,
    PrepaidEntry,
    Receipt,
    ReceiptVoid,
    Refund,
    RefundDeduction,
    Tender,
)
from frontdesk.domain import clock
from frontdesk.domain.fees import Collection, PayMethod
from frontdesk.domain.money import check_amount, format_yuan
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_text
from frontdesk.errors import UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.payments import receipt_no

DEPOSIT_DEDUCTIONS = "押金扣款"
PREPAID_ITEM = "预存款"


@dataclass(frozen=True)
class VoidedReceipt:
    """A receipt voided in the window, with the money it had taken, by method."""

    number: str
    amount_fen: int
    taken_on: date  # the day the payment was taken
    by_method: tuple[tuple[PayMethod, int], ...]


@dataclass
class Takings:
    """One cashier's money over a window by method: taken (gross), voided and refunded,
    and what is left (`by_method`, the net a statement line is ticked against)."""

    cashier_id: int | None
    cashier: str
    by_method: dict[PayMethod, int] = field(default_factory=dict)  # net
    receipts: list[str] = field(default_factory=list)
    voided: list[str] = field(default_factory=list)
    refunds_fen: int = 0  # already taken off by_method; shown on its own line
    taken_by_method: dict[PayMethod, int] = field(default_factory=dict)  # gross
    voided_by_method: dict[PayMethod, int] = field(default_factory=dict)
    refunded_by_method: dict[PayMethod, int] = field(default_factory=dict)
    voided_receipts: list[VoidedReceipt] = field(default_factory=list)

    @property
    def cash_expected_fen(self) -> int:
        return self.by_method.get(PayMethod.CASH, 0)

    @property
    def prepaid_drawn_fen(self) -> int:
        """预存抵扣 at the counter: paid from the household's 预存, no money handed over
        (its receipt is among `receipts`, its amount in no statement line)."""
        return self.by_method.get(PayMethod.PREPAID, 0)

    @property
    def empty(self) -> bool:
        """Nothing taken, voided or refunded in the window."""
        return not (self.receipts or self.voided or self.refunds_fen)

    @property
    def counter_total_fen(self) -> int:
        """Money that changed hands at the counter (预存抵扣 is not new money)."""
        return sum(v for m, v in self.by_method.items() if m != PayMethod.PREPAID)

    def methods(self) -> list[PayMethod]:
        """Every method with money taken, voided or refunded, in the enum's order."""
        used = set(self.taken_by_method) | set(self.voided_by_method)
        used |= set(self.refunded_by_method)
        return [m for m in PayMethod if m in used]


def takings(
    session: Session,
    cashier_id: int | None,
    cashier: str,
    *,
    day: date | None = None,
    since: datetime | None = None,
) -> Takings:
    """The cashier's payments, voids and refunds of a day, or since a moment."""
    result = Takings(cashier_id, cashier)
    payments = select(Payment.id).where(Payment.cashier_id == cashier_id)
    voids = (
        select(Receipt.payment_id, Receipt.series, Receipt.number, Payment.day)
        .select_from(ReceiptVoid)
        .join(Receipt, ReceiptVoid.receipt_id == Receipt.id)
        .join(Payment, Receipt.payment_id == Payment.id)
        .where(ReceiptVoid.by_id == cashier_id)
        .order_by(Receipt.number)
    )
    refunds = select(Refund).where(Refund.cashier_id == cashier_id)
    if day is not None:
        payments = payments.where(Payment.day == day)
        voids = voids.where(ReceiptVoid.day == day)
        refunds = refunds.where(Refund.day == day)
    if since is not None:
        payments = payments.where(Payment.posted_at > since)
        voids = voids.where(ReceiptVoid.voided_at > since)
        refunds = refunds.where(Refund.refunded_at > since)
    payment_ids = session.scalars(payments).all()
    taken: dict[PayMethod, int] = defaultdict(int)
    for method, amount in session.execute(
        select(Tender.method, Tender.amount_fen).where(Tender.payment_id.in_(payment_ids))
    ):
        taken[method] += amount
    voided: dict[PayMethod, int] = defaultdict(int)
    for payment_id, series, number, taken_on in session.execute(voids).all():
        methods: dict[PayMethod, int] = defaultdict(int)
        for method, amount in session.execute(
            select(Tender.method, Tender.amount_fen).where(Tender.payment_id == payment_id)
        ):
            methods[method] += amount
            voided[method] += amount
        number_text = receipt_no(series, number)
        result.voided.append(number_text)
        result.voided_receipts.append(
            VoidedReceipt(
                number_text,
                sum(methods.values()),
                taken_on,
                tuple((m, v) for m, v in methods.items()),
            )
        )
    refunded: dict[PayMethod, int] = defaultdict(int)
    for refund in session.scalars(refunds):
        result.refunds_fen += refund.amount_fen
        refunded[refund.method] += refund.amount_fen
    result.taken_by_method = dict(taken)
    result.voided_by_method = dict(voided)
    result.refunded_by_method = dict(refunded)
    result.by_method = {
        method: taken.get(method, 0) - voided.get(method, 0) - refunded.get(method, 0)
        for method in set(taken) | set(voided) | set(refunded)
    }
    result.receipts = [
        receipt_no(series, number)
        for series, number in session.execute(
            select(Receipt.series, Receipt.number)
            .where(Receipt.payment_id.in_(payment_ids))
            .order_by(Receipt.number)
        )
    ]
    return result


@dataclass(frozen=True)
class CloseResult:
    close_id: int
    kind: str
    takings: Takings
    cash_counted_fen: int

    @property
    def difference_fen(self) -> int:
        """Positive: more cash in the drawer than expected (长款); negative: 短款."""
        return self.cash_counted_fen - self.takings.cash_expected_fen


def _last_close(session: Session, cashier_id: int | None) -> CashClose | None:
    return session.scalar(
        select(CashClose)
        .where(CashClose.cashier_id == cashier_id)
        .order_by(CashClose.closed_at.desc())
        .limit(1)
    )


def open_takings(db: Database, actor: Actor, today: date | None = None) -> Takings:
    """What the signed-in cashier has taken since their last shift or day close."""
    require(actor, Permission.TAKE_PAYMENTS)
    today = today or clock.today()
    with db.read() as session:
        last = _last_close(session, actor.user_id)
        since = last.closed_at if last is not None else None
        return takings(session, actor.user_id, actor.display_name, day=today, since=since)


def close_cash(
    db: Database,
    actor: Actor,
    kind: str,
    cash_counted_fen: int,
    note: str = "",
    today: date | None = None,
) -> CloseResult:
    """交班 (kind 'shift') or 日结 ('day'): record the count against what was expected."""
    require(actor, Permission.TAKE_PAYMENTS)
    if kind not in ("shift", "day"):
        raise ValidationError("结账类型", "应为交班或日结")
    check_amount(cash_counted_fen, "实点现金")
    note = clean_text(note, "说明", 200)
    today = today or clock.today()
    with db.write(actor) as session:
        day_closed = session.scalar(
            select(CashClose.id).where(
                CashClose.cashier_id == actor.user_id,
                CashClose.day == today,
                CashClose.kind == "day",
            )
        )
        if day_closed is not None:
            raise UserError("您今天已经日结。")
        last = _last_close(session, actor.user_id)
        since = last.closed_at if last is not None and last.day == today else None
        found = takings(session, actor.user_id, actor.display_name, day=today, since=since)
        difference = cash_counted_fen - found.cash_expected_fen
        if difference and not note.strip():
            raise ValidationError(
                "说明", f"实点现金与应有现金相差 {format_yuan(difference)} 元，请写明原因"
            )
        close = CashClose(
            cashier_id=actor.user_id,
            cashier_name=actor.display_name,
            day=today,
            kind=kind,
            cash_expected_fen=found.cash_expected_fen,
            cash_counted_fen=cash_counted_fen,
            summary=json.dumps(
                {
                    "by_method": {m.value: v for m, v in found.by_method.items()},
                    "receipts": found.receipts,
                    "voided": found.voided,
                    "refunds_fen": found.refunds_fen,
                },
                ensure_ascii=False,
            ),
            note=note.strip(),
        )
        session.add(close)
        session.flush()
        return CloseResult(close.id, kind, found, cash_counted_fen)


# the daily report --------------------------------------------------------------


@dataclass(frozen=True)
class CashierDayRow:
    takings: Takings
    cash_counted_fen: int | None
    closed_at: datetime | None


@dataclass(frozen=True)
class DayTotals:
    day: date
    cashiers: list[CashierDayRow]
    by_item: list[tuple[str, Collection, int]]
    total_fen: int
    today: date  # when the figures were read
    # 预存 drawn by the billing run for bills of rooms with a balance: no cashier, no
    # receipt, no money handed over (its entries: payments without a cashier).
    auto_drawn_fen: int = 0
    auto_drawn_rooms: int = 0

    @property
    def closed(self) -> bool:
        """Every cashier who took, voided or refunded money that day has done the 日结
        (a past day with no counter work has nothing to close)."""
        if not self.cashiers:
            return self.day < self.today
        return all(row.closed_at is not None for row in self.cashiers)

    def by_collection(self) -> list[tuple[Collection, int]]:
        sums: dict[Collection, int] = defaultdict(int)
        for _, collection, amount in self.by_item:
            sums[collection] += amount
        return [(c, sums[c]) for c in Collection if c in sums]


def day_totals(db: Database, actor: Actor, day: date) -> DayTotals:
    """Every cashier's takings of the day, and what they were for, by fee item."""
    require(actor, Permission.VIEW_FINANCE)
    with db.read() as session:
        # Auto-draws from 预存 (no cashier) are not counter money: not a cashier's row.
        people = set(
            session.execute(
                select(Payment.cashier_id, Payment.cashier_name).where(
                    Payment.day == day, Payment.cashier_id.is_not(None)
                )
            ).all()
        )
        people |= set(
            session.execute(
                select(ReceiptVoid.by_id, ReceiptVoid.by_name).where(ReceiptVoid.day == day)
            ).all()
        )
        people |= set(
            session.execute(
                select(Refund.cashier_id, Refund.cashier_name).where(Refund.day == day)
            ).all()
        )
        rows = []
        for cashier_id, name in sorted(people, key=lambda p: (p[0] is None, p[1])):
            found = takings(session, cashier_id, name, day=day)
            closes = session.scalars(
                select(CashClose).where(CashClose.cashier_id == cashier_id, CashClose.day == day)
            ).all()
            # Each 交班 counted its own window; together with the 日结 they cover the day.
            day_close = next((c for c in closes if c.kind == "day"), None)
            rows.append(
                CashierDayRow(
                    found,
                    sum(c.cash_counted_fen for c in closes) if closes else None,
                    day_close.closed_at if day_close else None,
                )
            )
        by_item = _by_item(session, day)
        drawn, rooms = session.execute(
            select(
                func.coalesce(func.sum(Payment.total_fen), 0),
                func.count(Payment.room_id.distinct()),
            ).where(Payment.day == day, Payment.cashier_id.is_(None))
        ).one()
    total = sum(amount for _, _, amount in by_item)
    return DayTotals(day, rows, by_item, total, clock.today(), int(drawn), int(rooms))


def _by_item(session: Session, day: date) -> list[tuple[str, Collection, int]]:
    """Allocations made or reversed this day (by payment day for postings, by void day
    for reversals), 预存 put in, deposit deductions kept, refunds of 预存 paid out."""
    sums: dict[tuple[str, Collection], int] = defaultdict(int)
    posted = (
        select(FeeItem.name, FeeItem.collection, Allocation.amount_fen)
        .join(Bill, Allocation.bill_id == Bill.id)
        .join(FeeItem, Bill.fee_item_id == FeeItem.id)
        .join(Payment, Allocation.payment_id == Payment.id)
    )
    counter = Payment.cashier_id.is_not(None)
    for name, collection, amount in session.execute(
        posted.where(Payment.day == day, Allocation.void_id.is_(None), counter)
    ):
        sums[(name, collection)] += amount
    for name, collection, amount in session.execute(
        posted.join(ReceiptVoid, Allocation.void_id == ReceiptVoid.id).where(ReceiptVoid.day == day)
    ):
        sums[(name, collection)] += amount
    prepaid = (
        select(PrepaidEntry.amount_fen, PrepaidEntry.void_id, PrepaidEntry.refund_id)
        .outerjoin(Payment, PrepaidEntry.payment_id == Payment.id)
        .outerjoin(ReceiptVoid, PrepaidEntry.void_id == ReceiptVoid.id)
        .outerjoin(Refund, PrepaidEntry.refund_id == Refund.id)
        .where(
            ((Payment.day == day) & PrepaidEntry.void_id.is_(None) & counter)
            | (ReceiptVoid.day == day)
            | (Refund.day == day)
        )
    )
    for amount, _, _ in session.execute(prepaid):
        sums[(PREPAID_ITEM, Collection.PREPAID)] += amount
    for (amount,) in session.execute(
        select(RefundDeduction.amount_fen)
        .join(Refund, RefundDeduction.refund_id == Refund.id)
        .where(Refund.day == day)
    ):
        sums[(DEPOSIT_DEDUCTIONS, Collection.OWN)] += amount
    for (amount,) in session.execute(
        select(Refund.gross_fen).where(Refund.day == day, Refund.kind == "deposit")
    ):
        sums[("押金退还", Collection.DEPOSIT)] -= amount
    return [
        (name, collection, amount) for (name, collection), amount in sorted(sums.items()) if amount
    ]
