"""Voiding a payment (作废): a record of its own that reverses every allocation, reduction
and 预存 entry exactly, on the day it was taken and before the day is closed; the receipt
keeps its number and prints 作废."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Allocation,
    CashClose,
    InvoiceRecord,
    Payment,
    PrepaidEntry,
    ReceiptVoid,
    Reduction,
)
from frontdesk.db.turns import room_in_turn
from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_text
from frontdesk.errors import PermissionDenied, UserError
from frontdesk.services.access import require
from frontdesk.services.fees.ledger import bill_lines, deposit_held, prepaid_balance
from frontdesk.services.fees.payments import find_receipt, refuse_after_day_close, require_person


def void_receipt(
    db: Database, actor: Actor, number: str, reason: str, today: date | None = None
) -> int:
    """Void a payment's receipt: a new record that reverses every allocation, reduction
    and 预存 entry exactly. The receipt keeps its number and prints 作废."""
    require(actor, Permission.TAKE_PAYMENTS)
    require_person(actor)
    today = today or clock.today()
    reason = clean_text(reason, "作废原因", 200, required=True)
    with db.write(actor) as session:
        receipt = find_receipt(session, number)
        room_in_turn(session, receipt.room_id)  # before asking whether it is voided already
        if receipt.payment_id is None:
            raise UserError("退款凭证不能作废。")
        if session.scalar(select(ReceiptVoid.id).where(ReceiptVoid.receipt_id == receipt.id)):
            raise UserError(f"收据 {number} 已经作废。")
        if session.scalar(select(InvoiceRecord.id).where(InvoiceRecord.receipt_id == receipt.id)):
            raise UserError(f"收据 {number} 已开具发票，请财务先冲红发票，再由主管处理。")
        payment = session.get(Payment, receipt.payment_id)
        assert payment is not None
        refuse_after_day_close(session, actor, today)
        _check_void_allowed(session, actor, payment, today)
        void = ReceiptVoid(
            receipt_id=receipt.id,
            day=today,
            by_id=actor.user_id,
            by_name=actor.display_name,
            reason=reason.strip(),
        )
        session.add(void)
        session.flush()
        _reverse(session, payment, void.id)
        return void.id


def _check_void_allowed(session: Session, actor: Actor, payment: Payment, today: date) -> None:
    own = payment.cashier_id is not None and payment.cashier_id == actor.user_id
    closed = session.scalar(
        select(CashClose.id).where(
            CashClose.cashier_id == payment.cashier_id,
            CashClose.closed_at >= payment.posted_at,
        )
    )
    if own and payment.day == today and closed is None:
        return
    if not actor.can(Permission.VOID_ANY_RECEIPT):
        raise PermissionDenied("只能在当天、交班日结之前作废自己开的收据；其他情况请主管作废。")


def _reverse(session: Session, payment: Payment, void_id: int) -> None:
    allocations = session.scalars(
        select(Allocation).where(Allocation.payment_id == payment.id, Allocation.void_id.is_(None))
    ).all()
    for allocation in allocations:
        line = bill_lines(session, bill_ids=[allocation.bill_id])[0]
        if line.method == FeeMethod.DEPOSIT and deposit_held(session, line.bill_id) < (
            allocation.amount_fen
        ):
            raise UserError(f"这张收据收取的{line.fee_item}已经退还，不能作废。")
    session.add_all(
        Allocation(
            payment_id=payment.id, bill_id=a.bill_id, amount_fen=-a.amount_fen, void_id=void_id
        )
        for a in allocations
    )
    reductions = session.scalars(
        select(Reduction).where(Reduction.payment_id == payment.id, Reduction.void_id.is_(None))
    ).all()
    session.add_all(
        Reduction(
            payment_id=payment.id,
            bill_id=r.bill_id,
            amount_fen=-r.amount_fen,
            reason=f"作废：{r.reason}",
            granted_by=r.granted_by,
            void_id=void_id,
        )
        for r in reductions
    )
    entries = session.scalars(
        select(PrepaidEntry).where(
            PrepaidEntry.payment_id == payment.id, PrepaidEntry.void_id.is_(None)
        )
    ).all()
    net = sum(e.amount_fen for e in entries)
    if net > 0 and prepaid_balance(session, payment.room_id) < net:
        raise UserError("这张收据存入的预存款已被使用，不能作废；请改为办理退款。")
    session.add_all(
        PrepaidEntry(
            room_id=e.room_id,
            amount_fen=-e.amount_fen,
            payment_id=payment.id,
            void_id=void_id,
            note=f"作废：{e.note}",
        )
        for e in entries
    )
