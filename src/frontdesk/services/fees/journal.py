"""The receipt journal (收据登记簿): every receipt of a day or a period, voided ones marked,
for the cashier's 收据 tab and the auditor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Building, Payment, Receipt, ReceiptVoid, Refund, Room, Tender, Unit
from frontdesk.domain.money import format_yuan
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code, room_label
from frontdesk.services.access import require
from frontdesk.services.fees.payments import receipt_no
from frontdesk.services.fees.receipts import methods_text


@dataclass(frozen=True)
class JournalRow:
    number: str
    issued_at: datetime
    room_id: int
    room: str
    payer: str
    total_fen: int
    methods: str
    cashier: str
    voided: bool
    is_refund: bool


def receipt_journal(
    db: Database, actor: Actor, *, day: date | None = None, room_id: int | None = None
) -> list[JournalRow]:
    """Receipts of a day or of a room, newest first."""
    require(actor, Permission.VIEW_FINANCE)
    with db.read() as session:
        return journal_rows(session, day=day, room_id=room_id)


def journal_rows(
    session: Session, *, day: date | None = None, room_id: int | None = None
) -> list[JournalRow]:
    """One query per kind of row, not per receipt: a busy day has hundreds."""
    query = (
        select(Receipt, Payment, Refund, Building.code, Unit.code, Room.number)
        .outerjoin(Payment, Receipt.payment_id == Payment.id)
        .outerjoin(Refund, Receipt.refund_id == Refund.id)
        .join(Room, Receipt.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .order_by(Receipt.issued_at.desc(), Receipt.id.desc())
    )
    if room_id is not None:
        query = query.where(Receipt.room_id == room_id)
    if day is not None:
        query = query.where((Payment.day == day) | (Refund.day == day))
    found = session.execute(query).all()
    payment_ids = [payment.id for _, payment, *_ in found if payment is not None]
    tenders: dict[int, list[Tender]] = {}
    for tender in session.scalars(select(Tender).where(Tender.payment_id.in_(payment_ids))):
        tenders.setdefault(tender.payment_id, []).append(tender)
    voided = set(
        session.scalars(
            select(ReceiptVoid.receipt_id).where(
                ReceiptVoid.receipt_id.in_([receipt.id for receipt, *_ in found])
            )
        )
    )
    rows = []
    for receipt, payment, refund, building, unit, number in found:
        if payment is not None:
            payer, total, cashier = payment.payer, payment.total_fen, payment.cashier_name
            methods = methods_text(tenders.get(payment.id, []))
        else:
            payer, total, cashier = refund.payee, refund.amount_fen, refund.cashier_name
            methods = f"{refund.method.label}退付 {format_yuan(refund.amount_fen)}"
        rows.append(
            JournalRow(
                receipt_no(receipt.series, receipt.number),
                receipt.issued_at,
                receipt.room_id,
                f"{room_code(building, unit, number)}（{room_label(building, unit, number)}）",
                payer,
                total,
                methods,
                cashier,
                receipt.id in voided,
                payment is None,
            )
        )
    return rows
