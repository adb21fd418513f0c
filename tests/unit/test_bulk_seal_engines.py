"""A bulk seal reads the same on either engine: PostgreSQL's driver hands dates, times
and flags back as objects where SQLite hands back what it stores, and `row_lines`
writes those objects as SQLite stores them (the seals of a database moved onto a server
still match there)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Enum, String, TypeDecorator, select, type_coerce

from frontdesk.db.bulk_audit import MONEY_TABLES, row_lines, select_sql, table_columns
from frontdesk.db.models import Base
from frontdesk.services.database import Database
from tests.unit.fee_fixtures import Community
from tests.unit.test_checks_money import town

__all__ = ["town"]  # the fixture, shared with test_checks_money


def _plain(column_type: Any) -> Any:
    if isinstance(column_type, Enum):
        return String()  # stored as its value's text (no native enum on either engine)
    return column_type.impl if isinstance(column_type, TypeDecorator) else column_type


def test_rows_as_objects_read_as_sqlite_stores_them(db: Database, town: Community) -> None:
    compared = 0
    with db.read() as session:
        connection = session.connection()
        for table in MONEY_TABLES:
            columns = table_columns(connection, table)
            stored = connection.exec_driver_sql(f"{select_sql(table, columns)} ORDER BY id").all()
            model = Base.metadata.tables[table]
            # What a driver that returns objects gives (psycopg): dates, times and flags
            # as Python values, the rest as stored (a TypeDecorator's own column type).
            typed = session.execute(
                select(
                    *(type_coerce(model.c[c], _plain(model.c[c].type)) for c in columns)
                ).order_by(model.c.id)
            ).all()
            assert row_lines([tuple(r) for r in typed]) == row_lines([tuple(r) for r in stored])
            compared += len(stored)
    assert compared > 20
