"""Visitors: each visit registered at the counter or gate, bookings made by
households beforehand, and the watchlist of people or plates to stop.

A visitor's personal data (name, phone, document number, plate, note) never
enters the audit log (`__audit_secret__`), so erasing it when its retention
period ends leaves no copy behind.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.db.protection import EncryptedIdNumber, EncryptedPhone
from frontdesk.domain.visitors import Confirmation, Purpose

VISITOR_FIELDS = frozenset({"visitor_name", "visitor_phone", "id_number", "plate", "note"})


class VisitBooking(RoomRecord):
    """预约: a household announces a visitor; the code turns it into a visit."""

    __tablename__ = "visit_booking"
    __table_args__ = (
        Index("ix_visit_booking_code", "code"),
        Index("ix_visit_booking_expected_on", "expected_on"),
        CheckConstraint("window_end >= window_start", name="window_end_not_before_start"),
    )
    __audit_label__ = "访客预约"
    __audit_secret__ = VISITOR_FIELDS

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6))
    visitor_name: Mapped[str] = mapped_column(String(40))
    visitor_phone: Mapped[str] = mapped_column(EncryptedPhone())
    party_size: Mapped[int] = mapped_column(Integer, default=1)
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose, "purpose"))
    expected_on: Mapped[date] = mapped_column(Date)
    window_start: Mapped[time] = mapped_column(Time)
    window_end: Mapped[time] = mapped_column(Time)
    booked_by: Mapped[str] = mapped_column(String(40))  # who in the household asked
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40))
    created_by_id: Mapped[ByUser]
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str] = mapped_column(String(40), default="")
    cancelled_by_id: Mapped[ByUser]
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return f"预约码 {self.code}"


class Visit(RoomRecord):
    """One visit: in at the gate, out at the gate; the pass number is on the 访客单."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_arrived_at", "arrived_at"),
        Index(
            "ix_visit_inside",
            "arrived_at",
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
        Index("ix_visit_phone_at", "visitor_phone", "arrived_at"),
        Index("ix_visit_plate", "plate"),
        Index("ix_visit_id_number", "id_number"),
    )
    __audit_label__ = "访客登记"
    __audit_secret__ = VISITOR_FIELDS

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    visitor_name: Mapped[str] = mapped_column(String(40))
    visitor_phone: Mapped[str] = mapped_column(EncryptedPhone())
    id_type: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(EncryptedIdNumber(), default="")
    id_checked: Mapped[bool] = mapped_column(Boolean, default=False)  # sight check only
    party_size: Mapped[int] = mapped_column(Integer, default=1)
    plate: Mapped[str] = mapped_column(String(12), default="")
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose, "purpose"))
    confirmation: Mapped[Confirmation] = mapped_column(enum_column(Confirmation, "confirmation"))
    confirmed_by: Mapped[str] = mapped_column(String(40), default="")  # who answered the call
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit_booking.id", ondelete="RESTRICT"), index=True
    )
    # a repair worker's visit: the work order it serves (维修登记 ↔ 工单)
    work_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_order.id", ondelete="RESTRICT"), index=True
    )
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expected_leave_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registered_by: Mapped[str] = mapped_column(String(40))
    registered_by_id: Mapped[ByUser]
    left_by: Mapped[str] = mapped_column(String(40), default="")
    left_by_id: Mapped[ByUser]
    frequent: Mapped[bool] = mapped_column(Boolean, default=False)
    watch_hit: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(200), default="")
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return self.number


class WatchEntry(Base):
    """A person or plate the office has reason to stop, until `expires_on`."""

    __tablename__ = "watch_entry"
    __audit_label__ = "访客黑名单"
    __audit_secret__ = frozenset({"name", "phone", "id_number", "plate"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(EncryptedPhone(), default="")
    id_number: Mapped[str] = mapped_column(EncryptedIdNumber(), default="")
    plate: Mapped[str] = mapped_column(String(12), default="")
    reason: Mapped[str] = mapped_column(String(200))
    expires_on: Mapped[date] = mapped_column(Date)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(40))
    added_by_id: Mapped[ByUser]
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by: Mapped[str] = mapped_column(String(40), default="")
    removed_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.reason
