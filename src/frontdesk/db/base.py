"""Declarative base with named constraints (Alembic batch mode needs the names)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, MetaData, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, mapped_column

from frontdesk.domain import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out (SQLite stores naive text)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# "Who did it": every `<verb>_by` name snapshot has a `<verb>_by_id` beside it, the
# user's id (NULL for 系统, the demo and rows older than migration 0018). Written only
# through db/who.py.
ByUser = Annotated[int | None, mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    # Chinese name of the record kind, shown in the audit log.
    __audit_label__: str = ""

    def audit_title(self) -> str:
        """How the record is named in the audit log ('3-2-1201', 'zhangsan')."""
        return str(getattr(self, "id", ""))

    def audit_room_id(self) -> int | None:
        """The room whose file this change belongs to (its history tab shows it)."""
        return None


def utcnow() -> datetime:
    return clock.utc_now()
