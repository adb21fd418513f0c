"""Renovations: the application and its workflow, each step on record, node
inspections, violations, extensions, the bills (deposit, fees) it brought to the
cashier, and the workers with their passes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import ByUser, UTCDateTime, enum_column, one_of, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.db.protection import EncryptedIdNumber, EncryptedPhone
from frontdesk.domain.renovation import (
    BILL_PURPOSE_LABELS,
    EVENT_LABELS,
    Node,
    Status,
    event_label,
)

# What a renovation's bill is for: its deposit, its fees, a worker pass's 工本费 or deposit.
BILL_PURPOSES = tuple(BILL_PURPOSE_LABELS)


class Renovation(RoomRecord):
    __tablename__ = "renovation"
    __table_args__ = (
        Index("ix_renovation_status", "status"),
        CheckConstraint("ends_on >= starts_on", name="ends_not_before_start"),
    )
    __audit_label__ = "装修"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # ZX2611-0003
    applicant: Mapped[str] = mapped_column(String(40))
    applicant_is_tenant: Mapped[bool] = mapped_column(default=False)
    applicant_phone: Mapped[str] = mapped_column(EncryptedPhone())
    contractor: Mapped[str] = mapped_column(String(100))
    contractor_person: Mapped[str] = mapped_column(String(40))
    contractor_phone: Mapped[str] = mapped_column(EncryptedPhone())
    licence_no: Mapped[str] = mapped_column(String(40), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # moved by approved extensions
    scope: Mapped[str] = mapped_column(String(200))  # "、"-separated domain.renovation.SCOPES
    documents: Mapped[str] = mapped_column(String(200), default="")  # checked, "、"-separated
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"))
    permit_no: Mapped[str] = mapped_column(String(20), default="")
    permit_issued_on: Mapped[date | None] = mapped_column(Date)  # the 发证日期 on the permit
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(40))
    created_by_id: Mapped[ByUser]
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return self.number


class RenovationEvent(RoomRecord):
    """Each step of the workflow, who and when, with its reason or note."""

    __tablename__ = "renovation_event"
    __table_args__ = (
        CheckConstraint(one_of("kind", [*(s.value for s in Status), *EVENT_LABELS]), name="kind"),
    )
    __audit_label__ = "装修记录"

    id: Mapped[int] = mapped_column(primary_key=True)
    renovation_id: Mapped[int] = mapped_column(
        ForeignKey("renovation.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))  # a Status, or one of EVENT_LABELS
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")

    def audit_title(self) -> str:
        return event_label(self.kind)


class RenovationInspection(RoomRecord):
    """A node inspection: the latest one of a node is its state."""

    __tablename__ = "renovation_inspection"
    __audit_label__ = "装修验收"

    id: Mapped[int] = mapped_column(primary_key=True)
    renovation_id: Mapped[int] = mapped_column(
        ForeignKey("renovation.id", ondelete="RESTRICT"), index=True
    )
    node: Mapped[Node] = mapped_column(enum_column(Node, "node"))
    inspected_on: Mapped[date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column()
    note: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[date | None] = mapped_column(Date)  # to rectify, when failed
    inspector: Mapped[str] = mapped_column(String(40))

    def audit_title(self) -> str:
        return Node(self.node).label


class RenovationViolation(RoomRecord):
    """A violation found on site; each is served with its own 整改通知 (notice_no,
    dated found_on), issued when it is recorded."""

    __tablename__ = "renovation_violation"
    __table_args__ = (Index("ux_renovation_violation_notice_no", "notice_no", unique=True),)
    __audit_label__ = "装修违规"

    id: Mapped[int] = mapped_column(primary_key=True)
    renovation_id: Mapped[int] = mapped_column(
        ForeignKey("renovation.id", ondelete="RESTRICT"), index=True
    )
    found_on: Mapped[date] = mapped_column(Date)
    notice_no: Mapped[str] = mapped_column(String(20))  # ZG2612-0001, the notice's own number
    description: Mapped[str] = mapped_column(String(500))
    stop_work: Mapped[bool] = mapped_column(default=False)
    deadline: Mapped[date] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.description[:20]


class RenovationBill(RoomRecord):
    """A bill the renovation put on the room's account: its deposit, fees, passes."""

    __tablename__ = "renovation_bill"
    __table_args__ = (CheckConstraint(one_of("purpose", BILL_PURPOSES), name="purpose"),)
    __audit_label__ = "装修费用"

    id: Mapped[int] = mapped_column(primary_key=True)
    renovation_id: Mapped[int] = mapped_column(
        ForeignKey("renovation.id", ondelete="RESTRICT"), index=True
    )
    bill_id: Mapped[int] = mapped_column(ForeignKey("bill.id", ondelete="RESTRICT"), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # BILL_PURPOSES
    # The pass a 工本费 or pass deposit belongs to: a lost pass's deposit is kept.
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("renovation_worker.id", ondelete="RESTRICT")
    )

    def audit_title(self) -> str:
        return BILL_PURPOSE_LABELS.get(self.purpose, self.purpose)


class RenovationWorker(RoomRecord):
    __tablename__ = "renovation_worker"
    __table_args__ = (Index("ix_renovation_worker_phone", "phone"),)
    __audit_label__ = "装修工人"
    __audit_secret__ = frozenset({"id_number"})

    id: Mapped[int] = mapped_column(primary_key=True)
    renovation_id: Mapped[int] = mapped_column(
        ForeignKey("renovation.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(EncryptedPhone())
    trade: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(EncryptedIdNumber(), default="")
    pass_no: Mapped[str] = mapped_column(String(20), unique=True)
    lost_on: Mapped[date | None] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)

    def audit_title(self) -> str:
        return self.pass_no


class RenovationPhoto(RoomRecord):
    """A photo taken at a node inspection or of a violation: an attachment of the
    room's file (kind 装修照片)."""

    __tablename__ = "renovation_photo"
    __audit_label__ = "装修照片"

    id: Mapped[int] = mapped_column(primary_key=True)
    renovation_id: Mapped[int] = mapped_column(
        ForeignKey("renovation.id", ondelete="RESTRICT"), index=True
    )
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("renovation_inspection.id", ondelete="RESTRICT")
    )
    violation_id: Mapped[int | None] = mapped_column(
        ForeignKey("renovation_violation.id", ondelete="RESTRICT")
    )
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachment.id", ondelete="RESTRICT"))
