"""What the old system knew about a household's money when the office moved onto
FrontDesk (数据导入): its payment lines, kept read-only as history, and the deposits
it held, refunded here like a deposit taken here. Never money in FrontDesk's books:
no receipt numbers, no day's takings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import ImportedPayment, OpeningDeposit, PaidThrough, Refund


@dataclass(frozen=True)
class HistoryLine:
    """One payment line of the old system (导入), as it was written there."""

    fee_item: str
    period: str
    amount_fen: int
    paid_on: date | None
    cashier: str
    receipt_no: str
    note: str


@dataclass(frozen=True)
class OpeningDepositHeld:
    """A deposit the old system held, less what was refunded of it here."""

    deposit_id: int
    kind: str
    amount_fen: int
    received_on: date | None
    held_fen: int

    @property
    def label(self) -> str:
        """装修押金（原系统 2025-03-01 收取）."""
        when = f" {self.received_on:%Y-%m-%d} " if self.received_on else ""
        return f"{self.kind}（原系统{when}收取）"


def payment_history(session: Session, room_id: int) -> list[HistoryLine]:
    """The room's imported payment lines, newest first."""
    rows = session.scalars(
        select(ImportedPayment)
        .where(ImportedPayment.room_id == room_id)
        .order_by(ImportedPayment.paid_on.desc(), ImportedPayment.id.desc())
    )
    return [
        HistoryLine(
            row.fee_item,
            row.period,
            row.amount_fen,
            row.paid_on,
            row.cashier,
            row.receipt_no,
            row.note,
        )
        for row in rows
    ]


def opening_deposits(
    session: Session, room_id: int, deposit_id: int | None = None
) -> list[OpeningDepositHeld]:
    """The room's deposits the old system held (or the one asked for), each with what
    is still held: its amount less the refunds' gross (kept deductions included)."""
    refunded = (
        select(Refund.opening_deposit_id, func.sum(Refund.gross_fen).label("gross"))
        .where(Refund.opening_deposit_id.is_not(None))
        .group_by(Refund.opening_deposit_id)
        .subquery()
    )
    query = (
        select(OpeningDeposit, refunded.c.gross)
        .outerjoin(refunded, refunded.c.opening_deposit_id == OpeningDeposit.id)
        .where(OpeningDeposit.room_id == room_id)
        .order_by(OpeningDeposit.received_on, OpeningDeposit.id)
    )
    if deposit_id is not None:
        query = query.where(OpeningDeposit.id == deposit_id)
    return [
        OpeningDepositHeld(
            deposit.id,
            deposit.kind,
            deposit.amount_fen,
            deposit.received_on,
            deposit.amount_fen - int(gross or 0),
        )
        for deposit, gross in session.execute(query)
    ]


def old_system_paid_through(session: Session, room_id: int) -> str | None:
    """The month ("2026-12") the old system had every item of the room paid through
    (已缴至, the least of its items), None when no import said."""
    return session.scalar(
        select(func.min(PaidThrough.period)).where(PaidThrough.room_id == room_id)
    )
