"""The rows of a database a command-line test made, read the same way on either engine.

A test's database is a path (an SQLite file) or a URL string (a database on the
PostgreSQL server of a `FRONTDESK_TEST_ENGINE=postgresql` run): the fixtures of
tests/cli/conftest.py hand out either. `rows` runs one query on it, a SQLAlchemy Core
select on the program's own tables (`table("bill")`) or a `text` both engines accept,
and hands back plain tuples. Values come back as the column types make them: a Core
select on a table's columns gives dates as `date` and instants as aware UTC `datetime`
on both engines, whereas a bare `text` hands over what the driver gives (SQLite's text
against PostgreSQL's datetime). So a `text` query selects counts, numbers and names, or
names the type of each date and instant it selects: `typed(sql, at=INSTANT, on=DAY)`.

Reading never changes the database. A file's connection refuses every write
(`PRAGMA query_only`) and is never made where no file is (`mode=rw`); it is not opened
`mode=ro`, which leaves the WAL's -wal and -shm files beside the database once closed,
where the program takes them for the file being in use (db/server_copy.in_use). A
server's transaction is READ ONLY (the rows are read where they are, on the server).
`write` is for the few tests that plant or damage what the program never would.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Engine,
    Executable,
    Table,
    TextualSelect,
    create_engine,
    inspect,
    text,
)
from sqlalchemy.types import TypeEngine

import frontdesk.db.models  # noqa: F401  (puts every table on Base.metadata)
from frontdesk.db.base import Base, UTCDateTime
from frontdesk.db.engine import make_engine

Where = Path | str
INSTANT = UTCDateTime()  # a stored instant: an aware UTC datetime
DAY = Date()  # a calendar day: a date


def table(name: str) -> Table:
    """One of the program's tables, for Core selects and inserts."""
    return Base.metadata.tables[name]


def typed(sql: str, **types: TypeEngine[Any]) -> TextualSelect:
    """A `text` query whose result columns named here come back as these types."""
    return text(sql).columns(**types)


def _reading_engine(database: Where) -> Engine:
    if isinstance(database, Path):
        uri = f"{database.resolve().as_uri()}?mode=rw"

        def connect() -> sqlite3.Connection:
            connection = sqlite3.connect(uri, uri=True)
            connection.execute("PRAGMA query_only = ON")
            return connection

        return create_engine("sqlite://", creator=connect)
    return create_engine(database, execution_options={"postgresql_readonly": True})


@contextmanager
def reading(database: Where) -> Iterator[Connection]:
    """A connection that can only read, in one transaction (one snapshot on a server)."""
    engine = _reading_engine(database)
    try:
        with engine.connect() as connection, connection.begin():
            yield connection
    finally:
        engine.dispose()


def rows(database: Where, query: Executable | str, **params: Any) -> list[tuple[Any, ...]]:
    """Every row of one query; a string is taken as `text` with `:name` parameters."""
    statement = text(query) if isinstance(query, str) else query
    with reading(database) as connection:
        return [tuple(row) for row in connection.execute(statement, params)]


def one(database: Where, query: Executable | str, **params: Any) -> Any:
    """The first value of a query's only row (a count, a name)."""
    [row] = rows(database, query, **params)
    return row[0]


def write(database: Where, *statements: Executable) -> None:
    """Run statements in one transaction through the program's own engine set-up (on a
    file: foreign keys on, as the program writes), committed at the end."""
    url = f"sqlite:///{database}" if isinstance(database, Path) else database
    engine = make_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            for statement in statements:
                connection.execute(statement)
    finally:
        engine.dispose()


def contents(database: Where) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every table's rows as the driver gives them, counted: equal before and after a
    command that wrote nothing. Encrypted columns are compared as stored."""
    with reading(database) as connection:
        names = inspect(connection).get_table_names()
        return {
            name: Counter(tuple(row) for row in connection.execute(text(f'SELECT * FROM "{name}"')))
            for name in names
        }
