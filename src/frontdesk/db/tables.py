"""Which tables a database holds, on either engine (SQLite's sqlite_master, PostgreSQL's
catalog of the connection's schema), for checks that must also read older files."""

from __future__ import annotations

from sqlalchemy import Connection, inspect


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())
