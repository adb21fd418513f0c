"""钥匙托管: keys held for flats on the owner's written authorisation, and every
lending of one (who took it, for what, until when, when it came back).

A borrower's name, phone and company never enter the audit log (`__audit_secret__`),
so erasing them when the retention period ends leaves no copy behind. The database
itself refuses a second open lending of one key (a unique partial index)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.db.protection import EncryptedPhone
from frontdesk.domain.key_custody import KeyScope


class HeldKey(RoomRecord):
    """A flat's key in the key cabinet, under its tag number (K-0042)."""

    __tablename__ = "held_key"
    __table_args__ = (
        CheckConstraint("expires_on >= authorised_on", name="expires_not_before_authorised"),
        Index("ix_held_key_released_at", "released_at"),
    )
    __audit_label__ = "托管钥匙"
    __audit_secret__ = frozenset({"released_to"})

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(String(8), unique=True)
    description: Mapped[str] = mapped_column(String(100))  # 入户门钥匙 2 把
    cabinet_slot: Mapped[str] = mapped_column(String(20), default="")  # 钥匙柜 A-12
    authorised_by: Mapped[str] = mapped_column(String(40))  # the owner who signed
    scopes: Mapped[str] = mapped_column(String(20))  # 装修、维修 (domain.key_custody)
    authorised_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    scan_sha256: Mapped[str] = mapped_column(String(64), default="")  # attachments store
    scan_name: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_by: Mapped[str] = mapped_column(String(40))
    received_by_id: Mapped[ByUser]
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_to: Mapped[str] = mapped_column(String(40), default="")
    released_by: Mapped[str] = mapped_column(String(40), default="")
    released_by_id: Mapped[ByUser]
    note: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return self.tag


class KeyLending(RoomRecord):
    """One lending of a held key; `returned_at` NULL while it is out."""

    __tablename__ = "key_lending"
    __table_args__ = (
        Index(
            "ix_key_lending_open",
            "key_id",
            unique=True,
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        Index("ix_key_lending_out_at", "out_at"),
        Index("ix_key_lending_key_out", "key_id", "out_at"),  # a key's lendings
        CheckConstraint("due_back_at > out_at", name="due_after_out"),
        CheckConstraint("returned_at IS NULL OR returned_at >= out_at", name="back_after_out"),
    )
    __audit_label__ = "钥匙借用"
    __audit_secret__ = frozenset({"borrower", "borrower_phone", "borrower_company", "note"})

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("held_key.id", ondelete="RESTRICT"))
    borrower: Mapped[str] = mapped_column(String(40))
    borrower_phone: Mapped[str] = mapped_column(EncryptedPhone())
    borrower_company: Mapped[str] = mapped_column(String(40), default="")
    scope: Mapped[KeyScope] = mapped_column(enum_column(KeyScope, "scope"))
    work_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_order.id", ondelete="RESTRICT"), index=True
    )
    renovation_id: Mapped[int | None] = mapped_column(
        ForeignKey("renovation.id", ondelete="RESTRICT"), index=True
    )
    out_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_back_at: Mapped[datetime] = mapped_column(UTCDateTime)
    out_by: Mapped[str] = mapped_column(String(40))
    out_by_id: Mapped[ByUser]
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_by: Mapped[str] = mapped_column(String(40), default="")
    returned_by_id: Mapped[ByUser]
    note: Mapped[str] = mapped_column(String(200), default="")
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return f"借用 {self.scope.label if isinstance(self.scope, KeyScope) else self.scope}"
