"""物品借用: the things the office lends with their stock, and each lending.

A lending with a deposit names the deposit bill it put on the borrower's room: the
cashier takes it with a receipt and refunds it through the refund flow, so the money
is never recorded here. A borrower's name and phone never enter the audit log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime
from frontdesk.db.models.households import RoomRecord
from frontdesk.db.protection import EncryptedPhone


class LendableItem(Base):
    """A kind of thing the office lends: 雨伞 ×20, 手推车 ×3 (a setting of the register)."""

    __tablename__ = "lendable_item"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("loan_days BETWEEN 1 AND 90", name="loan_days"),
        CheckConstraint("deposit_fen >= 0", name="deposit_not_negative"),
        CheckConstraint(
            "deposit_fen = 0 OR deposit_item_id IS NOT NULL", name="deposit_has_fee_item"
        ),
    )
    __audit_label__ = "借用物品"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    stock: Mapped[int] = mapped_column(Integer)
    loan_days: Mapped[int] = mapped_column(Integer)
    deposit_fen: Mapped[int] = mapped_column(Integer, default=0)  # per piece
    deposit_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("fee_item.id", ondelete="RESTRICT")
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def audit_title(self) -> str:
        return self.name


class ItemLoan(RoomRecord):
    """Things lent to a household; `returned_at` NULL while they are out."""

    __tablename__ = "item_loan"
    __table_args__ = (
        Index(
            "ix_item_loan_open",
            "item_id",
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        Index("ix_item_loan_out_at", "out_at"),
        CheckConstraint("quantity >= 1", name="quantity"),
        CheckConstraint("returned_at IS NULL OR returned_at >= out_at", name="back_after_out"),
    )
    __audit_label__ = "物品借用"
    __audit_secret__ = frozenset({"borrower", "borrower_phone", "note"})

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("lendable_item.id", ondelete="RESTRICT"))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    borrower: Mapped[str] = mapped_column(String(40))
    borrower_phone: Mapped[str] = mapped_column(EncryptedPhone())
    out_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_on: Mapped[date] = mapped_column(Date)
    out_by: Mapped[str] = mapped_column(String(40))
    out_by_id: Mapped[ByUser]
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_by: Mapped[str] = mapped_column(String(40), default="")
    returned_by_id: Mapped[ByUser]
    # The deposit put on the room's account for the cashier (none when the item takes none).
    bill_id: Mapped[int | None] = mapped_column(
        ForeignKey("bill.id", ondelete="RESTRICT"), unique=True
    )
    note: Mapped[str] = mapped_column(String(200), default="")
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return f"借用 ×{self.quantity}"
