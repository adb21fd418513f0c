"""The document register (发文登记) and notices (通知公告).

Every PDF the office issues gets an `issued_document` row; its bytes are kept in
the files folder by their SHA-256, so the very document can be shown again. Notice
templates a supervisor edited or added, and the notices issued from them, live here
too: a notice keeps the text and values it was issued with, whatever later happens
to its template.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.models.structure import Building
from frontdesk.domain.issued import DocKind, Output
from frontdesk.domain.notices import NoticeMode


class FileArea(StrEnum):
    """The two kinds of stored file (db/file_store.py)."""

    DOCUMENTS = "documents"  # issued PDFs (the register, reminder copies)
    ATTACHMENTS = "attachments"  # household scans, work-order and defect photos


class StoredFile(Base):
    """A stored file's bytes, by area and SHA-256, where the database is on a server
    (PostgreSQL): every counter reads the same files and a dump carries them. A file
    database keeps them in the folder beside it instead, and this table stays empty.
    Written and read only through db/file_store.py (never audited: the rows naming a
    file are)."""

    __tablename__ = "stored_file"

    area: Mapped[FileArea] = mapped_column(enum_column(FileArea, "area", 12), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IssuedDocument(Base):
    __tablename__ = "issued_document"
    __table_args__ = (
        Index("ix_issued_document_kind_at", "kind", "issued_at"),
        Index("ix_issued_document_issued_at", "issued_at"),
        Index("ix_issued_document_reference", "reference"),
        Index("ix_issued_document_sha256", "sha256"),
    )
    __audit_label__ = "发文登记"
    __audit_ignore__ = frozenset({"purged_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # FW-2026-000123
    kind: Mapped[DocKind] = mapped_column(enum_column(DocKind, "kind", 30))
    title: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(60), default="")  # receipt number, permit…
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    output: Mapped[Output] = mapped_column(enum_column(Output, "output", 12))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    by_name: Mapped[str] = mapped_column(String(40))
    reprint_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("issued_document.id", ondelete="RESTRICT")
    )
    # When a retention period ended and the stored bytes were erased.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return f"{self.number} {self.title}"


class IssuedSubject(Base):
    """A household or building a document was issued for (a batch names many)."""

    __tablename__ = "issued_subject"
    __table_args__ = (
        Index("ix_issued_subject_document", "document_id"),
        Index("ix_issued_subject_room", "room_id"),
        Index("ix_issued_subject_building", "building_id"),
    )
    __audit_label__ = "发文对象"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("issued_document.id", ondelete="RESTRICT"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id", ondelete="RESTRICT"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id", ondelete="RESTRICT"))
    page: Mapped[int | None] = mapped_column(Integer)  # its first page in the PDF

    def audit_title(self) -> str:
        return str(self.document_id)


class NoticeTemplateRow(Base):
    """A template as the office keeps it: a shipped one edited, or one of its own."""

    __tablename__ = "notice_template"
    __audit_label__ = "通知模板"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(30))
    fields_json: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(40))
    updated_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.name


class Notice(Base):
    """A notice issued: posted in lobbies, or sent to households as letters."""

    __tablename__ = "notice"
    __table_args__ = (
        Index("ix_notice_issued_at", "issued_at"),
        Index("ix_notice_event", "event_start", "event_end"),
        CheckConstraint("event_end >= event_start", name="event_end_not_before_start"),
    )
    __audit_label__ = "通知"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # TZ-2026-0012
    template_key: Mapped[str] = mapped_column(String(40))
    template_name: Mapped[str] = mapped_column(String(30))
    mode: Mapped[NoticeMode] = mapped_column(enum_column(NoticeMode, "mode", 10))
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)  # as issued, for the whole scope
    values_json: Mapped[str] = mapped_column(Text)
    whole_community: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[str] = mapped_column(String(200))  # 全小区 / 1栋、3栋 / 120 户
    copies: Mapped[int] = mapped_column(Integer)
    event_start: Mapped[date | None] = mapped_column(Date)
    event_end: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    by_name: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int] = mapped_column(ForeignKey("issued_document.id", ondelete="RESTRICT"))

    def audit_title(self) -> str:
        return f"{self.number} {self.title}"


class NoticeBuilding(Base):
    __tablename__ = "notice_building"
    __table_args__ = (Index("ix_notice_building_building", "building_id"),)
    __audit_label__ = "通知楼栋"

    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notice.id", ondelete="RESTRICT"), primary_key=True
    )
    building_id: Mapped[int] = mapped_column(
        ForeignKey("building.id", ondelete="RESTRICT"), primary_key=True
    )

    def audit_title(self) -> str:
        """'TZ-2026-0002 1栋': the notice's number and the building's name."""
        session = object_session(self)
        notice = session.get(Notice, self.notice_id) if session is not None else None
        building = session.get(Building, self.building_id) if session is not None else None
        if notice is None or building is None:
            return f"{self.notice_id}/{self.building_id}"
        return f"{notice.number} {building.audit_title()}"
