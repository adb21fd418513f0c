"""失物招领: an item found, kept at the office, then claimed, handed to the police or
disposed of — each step with who and when.

The finder's and the claimant's names, phones and the claimant's ID number never enter
the audit log (`__audit_secret__`): they are erased when the retention period ends.
The photo is in the attachments store under its SHA-256 (`sha256`, '' for none).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.protection import EncryptedIdNumber, EncryptedPhone
from frontdesk.domain.lost_property import Category, Disposal, IdCheck

LOST_ITEM_SECRETS = frozenset(
    {"finder_name", "finder_phone", "claimant_name", "claimant_phone", "claimant_id_number"}
)


class LostItem(Base):
    __tablename__ = "lost_item"
    __table_args__ = (
        Index("ix_lost_item_found_at", "found_at"),
        Index("ix_lost_item_claimed_at", "claimed_at"),
        Index("ix_lost_item_disposed_at", "disposed_at"),
        Index(
            "ix_lost_item_held",
            "found_at",
            sqlite_where=text("claimed_at IS NULL AND disposed_at IS NULL"),
            postgresql_where=text("claimed_at IS NULL AND disposed_at IS NULL"),
        ),
        CheckConstraint("claimed_at IS NULL OR disposed_at IS NULL", name="claimed_or_disposed"),
        CheckConstraint("claimed_at IS NULL OR id_check IS NOT NULL", name="claim_checked"),
        CheckConstraint("disposed_at IS NULL OR disposal IS NOT NULL", name="disposal_named"),
    )
    __audit_label__ = "失物招领"
    __audit_secret__ = LOST_ITEM_SECRETS

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    category: Mapped[Category] = mapped_column(enum_column(Category, "category"))
    description: Mapped[str] = mapped_column(String(200))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    found_place: Mapped[str] = mapped_column(String(100))
    finder_name: Mapped[str] = mapped_column(String(40), default="")
    finder_phone: Mapped[str] = mapped_column(EncryptedPhone(), default="")
    kept_place: Mapped[str] = mapped_column(String(60))
    sha256: Mapped[str] = mapped_column(String(64), default="")  # the photo, '' for none
    photo_name: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(40))
    recorded_by_id: Mapped[ByUser]
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimant_name: Mapped[str] = mapped_column(String(40), default="")
    claimant_phone: Mapped[str] = mapped_column(EncryptedPhone(), default="")
    claimant_id_number: Mapped[str] = mapped_column(EncryptedIdNumber(), default="")
    id_check: Mapped[IdCheck | None] = mapped_column(enum_column(IdCheck, "id_check"))
    signed: Mapped[bool] = mapped_column(Boolean, default=False)  # on the 认领单
    handed_by: Mapped[str] = mapped_column(String(40), default="")
    handed_by_id: Mapped[ByUser]
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disposal: Mapped[Disposal | None] = mapped_column(enum_column(Disposal, "disposal"))
    disposal_note: Mapped[str] = mapped_column(String(200), default="")  # 接收民警、回执号
    disposed_by: Mapped[str] = mapped_column(String(40), default="")
    disposed_by_id: Mapped[ByUser]
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return f"{self.number} {self.description[:20]}"
