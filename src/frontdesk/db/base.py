"""Declarative base with named constraints (Alembic batch mode needs the names)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from sqlalchemy import DateTime, Enum, ForeignKey, MetaData, TypeDecorator
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


def enum_column(
    enum: type[StrEnum], name: str, length: int = 20, *, constraint: bool = True
) -> Enum:
    """A column of a domain enum: stored as its value (the text files always held),
    handed back as the enum member, refused by the database (CHECK `name`) and by
    SQLAlchemy (before the statement is sent) when it is not one. `constraint=False`
    only where the table states the same rule in a CHECK of its own."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=constraint,
        values_callable=_values,
        validate_strings=True,
        length=length,
    )


def _values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


def one_of(column: str, values: Iterable[str]) -> str:
    """The condition of a CHECK for a column of a fixed set that has no enum."""
    listed = ", ".join("'{}'".format(value.replace("'", "''")) for value in values)
    return f"{column} IN ({listed})"


# "Who did it": every `<verb>_by` name snapshot has a `<verb>_by_id` beside it, the
# user's id (NULL for 系统, the demo and rows older than migration 0018). Written only
# through db/who.py.
ByUser = Annotated[int | None, mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    # Chinese name of the record kind, shown in the audit log.
    __audit_label__: str = ""
    # Evidence: the database refuses to UPDATE or DELETE a row (db/triggers.py).
    __append_only__: ClassVar[bool] = False
    # Append-only, except that the rows an import added (import_id set) may be deleted:
    # undoing a whole import before anything touched it (services/onboarding).
    __undoable_import__: ClassVar[bool] = False
    # The table's other triggers: name -> what follows "CREATE TRIGGER <name>" (SQLite).
    __triggers__: ClassVar[dict[str, str]] = {}
    # The same triggers on PostgreSQL: name -> (what follows "CREATE TRIGGER <name>" up to
    # its EXECUTE FUNCTION, the statements of its plpgsql function of the same name).
    __postgresql_triggers__: ClassVar[dict[str, tuple[str, str]]] = {}

    def audit_label(self) -> str:
        """The Chinese name of the record's kind in the audit log ('收款')."""
        return self.__audit_label__ or self.__tablename__

    def audit_title(self) -> str:
        """How the record is named in the audit log ('3-2-1201', 'zhangsan')."""
        return str(getattr(self, "id", ""))

    def audit_room_id(self) -> int | None:
        """The room whose file this change belongs to (its history tab shows it)."""
        return None


def utcnow() -> datetime:
    return clock.utc_now()
