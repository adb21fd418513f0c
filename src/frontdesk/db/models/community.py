"""The community (小区) this install serves, and key/value settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, ByUser, UTCDateTime, utcnow
from frontdesk.domain.setting_names import SETTING_NAMES


class Community(Base):
    """One row: the letterhead of every document."""

    __tablename__ = "community"
    __audit_label__ = "小区信息"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    service_phone: Mapped[str] = mapped_column(String(40), default="")
    company_name: Mapped[str] = mapped_column(String(100), default="")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    seal_png: Mapped[bytes | None] = mapped_column(LargeBinary)  # printed on notices

    def audit_title(self) -> str:
        return self.name


class Setting(Base):
    """Small typed-by-convention settings (idle lock minutes, …)."""

    __tablename__ = "setting"
    __audit_label__ = "系统设置"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    def audit_title(self) -> str:
        return SETTING_NAMES.get(self.key, self.key)


class DataKey(Base):
    """One row: which key encrypts this database's ID numbers, and how to check one.

    The key itself is never here in the clear: it is in the OS keyring (mode
    `keyring`) or wrapped under a passphrase-derived key (mode `passphrase`).
    """

    __tablename__ = "data_key"
    __table_args__ = (CheckConstraint("mode IN ('keyring', 'passphrase')", name="mode"),)
    __audit_label__ = "数据密钥"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64))  # the keyring entry's name
    mode: Mapped[str] = mapped_column(String(20))  # domain: keyring / passphrase
    check: Mapped[str] = mapped_column(String(200))  # a fixed text sealed with the key
    salt: Mapped[str] = mapped_column(String(64), default="")  # passphrase mode (hex)
    wrapped_key: Mapped[str] = mapped_column(String(200), default="")  # passphrase mode
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recovery_exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recovery_exported_by: Mapped[str] = mapped_column(String(40), default="")
    recovery_exported_by_id: Mapped[ByUser]

    def audit_title(self) -> str:
        return self.key_id
