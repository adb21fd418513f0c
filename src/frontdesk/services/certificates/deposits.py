"""What a 装修押金已退证明 says: the renovation's deposit as the cashier took it and
refunded it (services/fees/refunds.py), read from the money rows, never typed in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import Refund, RefundDeduction, Renovation, RenovationBill
from frontdesk.domain.certificates import DepositFacts, deposit_text
from frontdesk.domain.money import format_yuan
from frontdesk.errors import UserError
from frontdesk.services.fees.ledger import bill_lines
from frontdesk.services.households.file import owner_names

DEPOSIT = "deposit"  # RenovationBill.purpose of the renovation's own deposit
# An application made by the owner in person often names no one: the paper names them.
OWNER_HIMSELF = frozenset({"业主本人", "本人", "业主"})


def deposit_draft(
    session: Session, room_id: int, place: str, renovation_id: int | None
) -> tuple[str, tuple[str, ...]]:
    """(the applicant, the certificate's paragraphs) for the renovation named, or the
    room's last one whose deposit was refunded."""
    query = (
        select(Renovation, RenovationBill.bill_id)
        .join(RenovationBill, RenovationBill.renovation_id == Renovation.id)
        .where(Renovation.room_id == room_id, RenovationBill.purpose == DEPOSIT)
        .order_by(Renovation.id.desc())
    )
    if renovation_id is not None:
        query = query.where(Renovation.id == renovation_id)
    found = session.execute(query).all()
    if not found:
        raise UserError("该房屋没有装修押金记录，不能开具装修押金已退证明。")
    refunded = {
        bill_id
        for bill_id in session.scalars(
            select(Refund.bill_id).where(Refund.bill_id.in_([b for _r, b in found]))
        )
    }
    chosen = next(((r, b) for r, b in found if b in refunded), None)
    if chosen is None:
        raise UserError(f"装修 {found[0][0].number} 的押金尚未退还，不能开具装修押金已退证明。")
    renovation, bill_id = chosen
    facts = _facts(session, renovation, bill_id)
    return facts.applicant, deposit_text(place, facts)


def _facts(session: Session, renovation: Renovation, bill_id: int) -> DepositFacts:
    paid = bill_lines(session, bill_ids=[bill_id])[0].paid_fen
    refunds = session.execute(
        select(Refund.gross_fen, Refund.deductions_fen, Refund.amount_fen, Refund.day).where(
            Refund.bill_id == bill_id
        )
    ).all()
    gross = sum(r.gross_fen for r in refunds)
    kept = sum(r.deductions_fen for r in refunds)
    amount = sum(r.amount_fen for r in refunds)
    last_day = max(r.day for r in refunds)
    held = paid - gross
    if held > 0:
        raise UserError(
            f"装修 {renovation.number} 的押金还有 {format_yuan(held)} 元未退，"
            "不能开具装修押金已退证明。"
        )
    reasons = session.scalars(
        select(RefundDeduction.reason)
        .join(Refund, RefundDeduction.refund_id == Refund.id)
        .where(Refund.bill_id == bill_id)
        .order_by(RefundDeduction.id)
    ).all()
    applicant = renovation.applicant.strip()
    if applicant in OWNER_HIMSELF:
        applicant = "、".join(
            owner_names(session, [renovation.room_id]).get(renovation.room_id, [])
        )
    return DepositFacts(
        renovation.number,
        applicant or renovation.applicant,
        renovation.starts_on,
        renovation.ends_on,
        renovation.completed_on,
        paid,
        kept,
        "、".join(reasons),
        amount,
        last_day,
    )
