"""Arrears: each bill's open amount (kept by the database itself), reminders sent,
late-fee waivers."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.domain.arrears import Channel
from frontdesk.domain.reminders import DeliveryMethod, DeliveryState


class BillOpen(Base):
    """What a bill still owes. Triggers keep it: a bill's insert adds its due amount,
    every allocation and reduction (and their reversals) take theirs off. The arrears
    list reads only the rows still open, through a partial index."""

    __tablename__ = "bill_open"
    # covering: the arrears list reads room, bill and amount from the index alone
    __table_args__ = (
        Index(
            "ix_bill_open_owing",
            "room_id",
            "bill_id",
            "open_fen",
            sqlite_where=text("open_fen > 0"),
            postgresql_where=text("open_fen > 0"),
        ),
        CheckConstraint("open_fen >= 0", name="open_not_negative"),
    )
    __audit_label__ = "账单余额"
    # Kept by the money rows that change what a bill owes, in their own transaction.
    __triggers__: ClassVar[dict[str, str]] = {
        "bill_open_on_bill": (
            "AFTER INSERT ON bill BEGIN "
            "INSERT INTO bill_open (bill_id, room_id, open_fen) "
            "VALUES (NEW.id, NEW.room_id, NEW.due_fen); END"
        ),
        "bill_open_on_allocation": (
            "AFTER INSERT ON allocation BEGIN "
            "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
            "WHERE bill_id = NEW.bill_id; END"
        ),
        "bill_open_on_reduction": (
            "AFTER INSERT ON reduction BEGIN "
            "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
            "WHERE bill_id = NEW.bill_id; END"
        ),
        # only an undone import's untouched bills are ever deleted (bill_no_delete)
        "bill_open_off_bill": (
            "BEFORE DELETE ON bill BEGIN DELETE FROM bill_open WHERE bill_id = OLD.id; END"
        ),
    }
    __postgresql_triggers__: ClassVar[dict[str, tuple[str, str]]] = {
        "bill_open_on_bill": (
            "AFTER INSERT ON bill FOR EACH ROW",
            "INSERT INTO bill_open (bill_id, room_id, open_fen) "
            "VALUES (NEW.id, NEW.room_id, NEW.due_fen); RETURN NULL;",
        ),
        "bill_open_on_allocation": (
            "AFTER INSERT ON allocation FOR EACH ROW",
            "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
            "WHERE bill_id = NEW.bill_id; RETURN NULL;",
        ),
        "bill_open_on_reduction": (
            "AFTER INSERT ON reduction FOR EACH ROW",
            "UPDATE bill_open SET open_fen = open_fen - NEW.amount_fen "
            "WHERE bill_id = NEW.bill_id; RETURN NULL;",
        ),
        "bill_open_off_bill": (
            "BEFORE DELETE ON bill FOR EACH ROW",
            "DELETE FROM bill_open WHERE bill_id = OLD.id; RETURN OLD;",
        ),
    }

    bill_id: Mapped[int] = mapped_column(
        ForeignKey("bill.id", ondelete="RESTRICT"), primary_key=True
    )
    room_id: Mapped[int] = mapped_column(Integer)
    open_fen: Mapped[int] = mapped_column(Integer)


class Reminder(RoomRecord):
    """One reminder of a household in arrears: a call, a visit, a notice delivered…"""

    __tablename__ = "reminder"
    __table_args__ = (
        Index("ix_reminder_room_at", "room_id", "at"),
        CheckConstraint(
            "delivery IS NULL OR delivery IN ('printed', 'delivered')", name="delivery_state"
        ),
        # a delivery is recorded with its date and way; only then is a notice a demand
        CheckConstraint(
            "delivery IS NULL OR delivery = 'printed' OR "
            "(delivered_on IS NOT NULL AND delivery_method IS NOT NULL)",
            name="delivery_evidence",
        ),
        CheckConstraint(
            "delivery_method IS NULL OR "
            "delivery_method IN ('当面签收', '挂号信', 'EMS', '投递信箱')",
            name="delivery_method",
        ),
    )
    __audit_label__ = "催缴记录"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    by_name: Mapped[str] = mapped_column(String(40))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    level: Mapped[int] = mapped_column(Integer, default=0)  # notice level; 0: no notice
    written: Mapped[bool] = mapped_column(Boolean, default=False)  # interrupts limitation
    owed_fen: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(Text, default="")
    promised_on: Mapped[date | None] = mapped_column(Date)
    notice_number: Mapped[str | None] = mapped_column(String(30))
    document_sha256: Mapped[str | None] = mapped_column(String(64))  # the stored PDF
    document_page: Mapped[int | None] = mapped_column(Integer)
    # A printed notice: 'printed' (已打印，待送达) until its delivery is recorded
    # ('delivered'); NULL for a call, a visit or a message. CHECK delivery_state.
    delivery: Mapped[DeliveryState | None] = mapped_column(
        enum_column(DeliveryState, "delivery_state", 12, constraint=False)
    )
    debt_keys: Mapped[str] = mapped_column(Text, default="", server_default="")
    delivered_on: Mapped[date | None] = mapped_column(Date)
    delivery_method: Mapped[DeliveryMethod | None] = mapped_column(  # CHECK delivery_method
        enum_column(DeliveryMethod, "delivery_method", 12, constraint=False)
    )
    tracking_number: Mapped[str | None] = mapped_column(String(40))  # 挂号信 / EMS
    signer: Mapped[str | None] = mapped_column(String(40))  # 签收人
    signer_relation: Mapped[str | None] = mapped_column(String(20))  # 与业主关系
    delivery_by_name: Mapped[str | None] = mapped_column(String(40))  # who recorded it
    # A supervisor's leave to send this level without the earlier one, and why
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by_name: Mapped[str | None] = mapped_column(String(40))

    def audit_title(self) -> str:
        return self.notice_number or self.channel


class LateFeeWaiver(RoomRecord):
    """Late fees (滞纳金) of a room waived up to a day, with the reason."""

    __tablename__ = "late_fee_waiver"
    __audit_label__ = "滞纳金减免"

    id: Mapped[int] = mapped_column(primary_key=True)
    up_to: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by: Mapped[str] = mapped_column(String(40))
    granted_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.reason
