"""The community (小区) this install serves, and key/value settings."""

from __future__ import annotations

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base


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
        return self.key
