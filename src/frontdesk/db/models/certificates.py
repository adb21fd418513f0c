"""证明开具: each certificate the counter issued, its verification code and, when it
was withdrawn, who revoked it and why.

A certificate is never edited: what it certified (`holder`, `statement`) is kept as
issued, so a bank calling months later hears what the paper said. Its PDF is in the
document register (`document_id`). The verification code is never written to the
audit log (`__audit_secret__`): a reader of the log could otherwise vouch for a forgery.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import ByUser, UTCDateTime, enum_column, utcnow
from frontdesk.db.models.households import RoomRecord
from frontdesk.domain.certificates import CertificateKind


class Certificate(RoomRecord):
    __tablename__ = "certificate"
    __table_args__ = (
        Index("ix_certificate_issued_at", "issued_at"),
        CheckConstraint(
            "(revoked_at IS NULL AND revoke_reason = '') "
            "OR (revoked_at IS NOT NULL AND revoke_reason <> '')",
            name="revoked_with_reason",
        ),
    )
    __audit_label__ = "证明"
    __audit_secret__ = frozenset({"code"})

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # ZM2612070001
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind, "kind"))
    code: Mapped[str] = mapped_column(String(8))
    holder: Mapped[str] = mapped_column(String(200))  # for whom: the names printed
    statement: Mapped[str] = mapped_column(Text)  # what it certified, as printed
    purpose: Mapped[str] = mapped_column(String(60), default="")  # 用于办理房屋过户
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(40))
    issued_by_id: Mapped[ByUser]
    document_id: Mapped[int] = mapped_column(ForeignKey("issued_document.id", ondelete="RESTRICT"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str] = mapped_column(String(40), default="")
    revoked_by_id: Mapped[ByUser]
    revoke_reason: Mapped[str] = mapped_column(String(200), default="")

    def audit_title(self) -> str:
        return f"{self.number} {self.kind.label}"
