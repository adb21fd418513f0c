"""物品放行条: a pass for goods leaving a flat, issued at the counter and used once at
the gate.

The applicant's name, phone, the vehicle plate, the consenting owner's name and the
note never enter the audit log (`__audit_secret__`): they are erased when the
retention period ends, and no copy may stay behind.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.db.protection import EncryptedPhone
from frontdesk.domain.goods_passes import Applicant, Consent

GOODS_PASS_SECRETS = frozenset({"applicant_name", "applicant_phone", "plate", "consent_by", "note"})


class GoodsPass(RoomRecord):
    __tablename__ = "goods_pass"
    __table_args__ = (
        Index("ix_goods_pass_issued_at", "issued_at"),
        Index("ix_goods_pass_window_start", "window_start"),
        Index("ix_goods_pass_used_at", "used_at"),
        Index(
            "ix_goods_pass_open",
            "window_end",
            sqlite_where=text("used_at IS NULL AND cancelled_at IS NULL"),
            postgresql_where=text("used_at IS NULL AND cancelled_at IS NULL"),
        ),
        CheckConstraint("window_end > window_start", name="window_end_after_start"),
        # A tenant or someone sent needs the owner's consent on record (until purged).
        CheckConstraint(
            "applicant_kind = 'owner' OR consent IS NOT NULL",
            name="consent_unless_owner",
        ),
        CheckConstraint("used_at IS NULL OR cancelled_at IS NULL", name="used_or_cancelled"),
    )
    __audit_label__ = "物品放行条"
    __audit_secret__ = GOODS_PASS_SECRETS

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    applicant_kind: Mapped[Applicant] = mapped_column(enum_column(Applicant, "applicant_kind"))
    applicant_name: Mapped[str] = mapped_column(String(40))
    applicant_phone: Mapped[str] = mapped_column(EncryptedPhone())
    consent: Mapped[Consent | None] = mapped_column(enum_column(Consent, "consent"))
    consent_by: Mapped[str] = mapped_column(String(40), default="")
    items: Mapped[str] = mapped_column(String(1000))  # one item a line
    plate: Mapped[str] = mapped_column(String(12), default="")
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    # What the clerk was shown at issue (arrears, open renovation): a warning, kept.
    warnings: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(40))
    issued_by_id: Mapped[ByUser]
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by: Mapped[str] = mapped_column(String(40), default="")
    used_by_id: Mapped[ByUser]
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str] = mapped_column(String(40), default="")
    cancelled_by_id: Mapped[ByUser]
    cancel_reason: Mapped[str] = mapped_column(String(100), default="")
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return self.number
