"""Staff accounts. Passwords are argon2 hashes, never stored or logged in clear."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, UTCDateTime, enum_column, utcnow
from frontdesk.domain.roles import Role


class User(Base):
    __tablename__ = "app_user"
    __audit_label__ = "用户"
    # Never copied into the audit log, not even as a hash.
    __audit_secret__ = frozenset({"password_hash"})
    # Sign-in bookkeeping: the login / login_failed entries already record it.
    __audit_ignore__ = frozenset({"failed_logins", "last_login_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def audit_title(self) -> str:
        return f"{self.display_name}（{self.username}）"
