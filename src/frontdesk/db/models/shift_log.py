"""The shift handover book (交接班记录): the entries written at each change of shift and
their acknowledgements by the incoming clerk.

Both tables are append-only (db/triggers.py): an entry is evidence of what was handed
over and is never edited — a correction is a 补记, a new entry that points at the
handover it adds to; an acknowledgement is a row of its own, at most one per entry.
The book names rooms, work-order and pass numbers and staff, never a resident's name or
phone (the registers' details are written so), so nothing in it waits for a purge.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column
from frontdesk.domain.shift_log import AckWay, EntryKind


class ShiftEntry(Base):
    """交班 or 补记: who wrote it when, the program's draft (items, a JSON snapshot of
    every register's `HandoverItem`) and the outgoing clerk's notes."""

    __tablename__ = "shift_entry"
    __table_args__ = (
        Index("ix_shift_entry_written_at", "written_at"),
        CheckConstraint(
            "(kind = 'note') = (follows_id IS NOT NULL)", name="note_follows_a_handover"
        ),
    )
    __audit_label__ = "交接班记录"
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind, "kind"))
    follows_id: Mapped[int | None] = mapped_column(
        ForeignKey("shift_entry.id", ondelete="RESTRICT"), index=True
    )
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    written_by: Mapped[str] = mapped_column(String(40))
    written_by_id: Mapped[ByUser]
    items: Mapped[str] = mapped_column(Text, default="[]")
    notes: Mapped[str] = mapped_column(Text, default="")

    def audit_title(self) -> str:
        return f"{self.written_at.astimezone():%Y-%m-%d %H:%M} {self.written_by}"


class ShiftAcknowledgement(Base):
    """接班确认: the incoming clerk, signed in, takes the shift as handed over."""

    __tablename__ = "shift_acknowledgement"
    __audit_label__ = "接班确认"
    __append_only__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("shift_entry.id", ondelete="RESTRICT"), unique=True
    )
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    acknowledged_by: Mapped[str] = mapped_column(String(40))
    acknowledged_by_id: Mapped[ByUser]
    way: Mapped[AckWay] = mapped_column(enum_column(AckWay, "way"))

    def audit_title(self) -> str:
        return f"{self.acknowledged_at.astimezone():%Y-%m-%d %H:%M} {self.acknowledged_by}"
