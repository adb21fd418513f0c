"""Moving an office onto FrontDesk (数据导入): each import of a spreadsheet, the
mappings offices save, and what the old system knew that no FrontDesk posting made:
the month each fee was paid through, its payment lines, the deposits it held.

Every row an import adds — here, and the buildings, units, rooms, households, people,
carried-over bills (期初欠费), prepaid entries (期初预存) and meter readings it adds
elsewhere — names its `import_batch`, so each carried-over figure is traceable to the
file that brought it and a whole import can be undone until something touches it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.domain.money import format_yuan


class ImportBatch(Base):
    """One import of one file: what was read, by whom, its totals before and after."""

    __tablename__ = "import_batch"
    __audit_label__ = "数据导入"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    sheets: Mapped[str] = mapped_column(String(200))  # "、"-separated sheet names
    kinds: Mapped[str] = mapped_column(String(100))  # domain.onboarding.ImportKind values, ","
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(40))
    imported_by_id: Mapped[ByUser]
    # JSON: the file's totals (rooms, people, arrears, prepaid …) and what was added.
    totals: Mapped[str] = mapped_column(Text)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by: Mapped[str] = mapped_column(String(40), default="")
    undone_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.file_name


class ImportMapping(Base):
    """A saved mapping of an old system's columns and values to ours, offered again
    for the next file of the same shape."""

    __tablename__ = "import_mapping"
    __audit_label__ = "导入映射"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # domain.onboarding.ImportKind
    setup: Mapped[str] = mapped_column(Text)  # JSON of domain.onboarding.ImportSetup
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by: Mapped[str] = mapped_column(String(40))
    saved_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.name


class PaidThrough(RoomRecord):
    """已缴至: the old system had this room's item paid through `period`; billing
    makes no bill for it up to that month."""

    __tablename__ = "paid_through"
    __table_args__ = (UniqueConstraint("room_id", "fee_item_id"),)
    __audit_label__ = "已缴至"

    id: Mapped[int] = mapped_column(primary_key=True)
    fee_item_id: Mapped[int] = mapped_column(ForeignKey("fee_item.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(7))  # "2026-12"
    import_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    def audit_title(self) -> str:
        return self.period


class ImportedPayment(RoomRecord):
    """A payment line of the old system, kept read-only as history (never money in
    FrontDesk's books: no receipt, no takings)."""

    __tablename__ = "imported_payment"
    __table_args__ = (Index("ix_imported_payment_room_paid_on", "room_id", "paid_on"),)
    __audit_label__ = "历史缴费"

    id: Mapped[int] = mapped_column(primary_key=True)
    fee_item: Mapped[str] = mapped_column(String(40))  # as the old system named it
    period: Mapped[str] = mapped_column(String(40), default="")  # as written: "2025年3月"
    amount_fen: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date | None] = mapped_column(Date)
    cashier: Mapped[str] = mapped_column(String(40), default="")
    receipt_no: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    import_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    def audit_title(self) -> str:
        return f"{self.fee_item} {self.period} {format_yuan(self.amount_fen)} 元"


class OpeningDeposit(RoomRecord):
    """A deposit the old system held (装修押金 …) when the office moved: returned
    through the refund flow like a deposit taken here (`refund.opening_deposit_id`)."""

    __tablename__ = "opening_deposit"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)
    __audit_label__ = "期初押金"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # 装修押金, 门禁卡押金 …
    amount_fen: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    import_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True
    )

    def audit_title(self) -> str:
        return f"{self.kind} {format_yuan(self.amount_fen)} 元"
