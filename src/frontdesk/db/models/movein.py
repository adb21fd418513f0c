"""Move-in: handover batches, each room's handover and checklist steps, and the
defects found at the inspection (验房) with their photos."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, one_of, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.domain.movein import DEFECT_KINDS, DefectStatus, Step


class HandoverBatch(Base):
    """集中交付: rooms handed over together, over a few days."""

    __tablename__ = "handover_batch"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_not_before_start"),)
    __audit_label__ = "交付批次"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40))
    created_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.name


class Handover(RoomRecord):
    """One room's move-in: its appointment and, once complete, the day of handover."""

    __tablename__ = "handover"
    __table_args__ = (UniqueConstraint("room_id"),)
    __audit_label__ = "入伙办理"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("handover_batch.id", ondelete="RESTRICT"), index=True
    )
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_on: Mapped[date | None] = mapped_column(Date)  # the 入伙通知书 was issued
    completed_on: Mapped[date | None] = mapped_column(Date)
    completed_by: Mapped[str] = mapped_column(String(40), default="")
    completed_by_id: Mapped[ByUser]
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return self.room_title()


class HandoverStep(RoomRecord):
    """A checklist step done: who, when, and what was recorded (JSON by step)."""

    __tablename__ = "handover_step"
    __table_args__ = (UniqueConstraint("handover_id", "step"),)
    __audit_label__ = "入伙手续"

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handover.id", ondelete="RESTRICT"))
    step: Mapped[Step] = mapped_column(enum_column(Step, "step"))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_by: Mapped[str] = mapped_column(String(40))
    done_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return Step(self.step).label


class AccessCard(RoomRecord):
    """A door-access card (门禁卡) handed over at move-in: the cards step's numbers.

    A number belongs to one room of the community (one database serves one
    community). `disputed` marks a card an older file had given to two rooms
    (migration 0018 keeps both and lets the clerk settle it); only undisputed
    numbers are held unique.
    """

    __tablename__ = "access_card"
    __table_args__ = (
        Index(
            "uq_access_card_number",
            "number",
            unique=True,
            sqlite_where=text("NOT disputed"),
            postgresql_where=text("NOT disputed"),
        ),
    )
    __audit_label__ = "门禁卡"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(
        ForeignKey("handover_step.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[str] = mapped_column(String(20))
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)

    def audit_title(self) -> str:
        return self.number


class Defect(RoomRecord):
    """A problem found at the inspection, fixed by a deadline and re-inspected."""

    __tablename__ = "defect"
    __table_args__ = (
        Index("ix_defect_status_deadline", "status", "deadline"),
        CheckConstraint(one_of("kind", DEFECT_KINDS), name="kind"),
    )
    __audit_label__ = "验房问题"

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # domain.movein.DEFECT_KINDS
    description: Mapped[str] = mapped_column(String(500))
    responsible: Mapped[str] = mapped_column(String(40))
    found_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[DefectStatus] = mapped_column(enum_column(DefectStatus, "status", 10))
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_by_id: Mapped[ByUser]
    fixed_on: Mapped[date | None] = mapped_column(Date)
    fix_note: Mapped[str] = mapped_column(String(200), default="")
    checked_on: Mapped[date | None] = mapped_column(Date)  # the last re-inspection
    checked_by: Mapped[str] = mapped_column(String(40), default="")
    checked_by_id: Mapped[ByUser]
    check_note: Mapped[str] = mapped_column(String(200), default="")
    rechecks: Mapped[int] = mapped_column(Integer, default=0)

    def audit_title(self) -> str:
        return f"{self.area}{self.kind}"


class DefectPhoto(RoomRecord):
    """A photo of a defect: an attachment of the room's file (kind 验房照片)."""

    __tablename__ = "defect_photo"
    __audit_label__ = "验房照片"

    id: Mapped[int] = mapped_column(primary_key=True)
    defect_id: Mapped[int] = mapped_column(ForeignKey("defect.id", ondelete="RESTRICT"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id", ondelete="RESTRICT"))
