"""Money rows inserted in bulk (a billing run, the 预存 draw, the demo's year of
money) get no per-row "create" entry from the after-flush hook: a million entries
would take longer than the inserts. Instead each bulk insert is sealed by one
audit entry per table, written in the same transaction, that records

- the ids of the rows it inserted (as ranges),
- the columns it sealed,
- a SHA-256 over every row's values (the evidence: the entry itself is in the chain),
- a CRC-32 per row (only to name which row differs when the digest does not match).

`frontdesk check` (services/protection/money_audit.py) reads the rows back and recomputes both
with the same `row_lines`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert, inspect
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.domain.roles import Actor

BULK_ACTION = "bulk_create"
# Money rows an undone import took away (services/onboarding): their ids, so the check
# no longer looks for them.
BULK_DELETE_ACTION = "bulk_delete"

# The money tables whose rows `frontdesk check` compares with the audit log.
MONEY_TABLES = {
    "bill": "账单",
    "payment": "收款",
    "tender": "收款方式",
    "allocation": "收款分配",
    "reduction": "减免",
    "refund": "退款",
    "refund_deduction": "押金扣款",
    "receipt_void": "作废收据",
    "prepaid_entry": "预存",
    "cash_close": "交班日结",
}
TAG_BYTES = 4


def table_columns(connection: Connection, table: str) -> list[str]:
    """The table's columns in their stored order (table names are MONEY_TABLES' keys)."""
    if table not in MONEY_TABLES:
        raise ValueError(table)
    return [str(column["name"]) for column in inspect(connection).get_columns(table)]


def select_sql(table: str, columns: Sequence[str]) -> str:
    """SELECT the sealed columns (id first) of a money table."""
    if table not in MONEY_TABLES or columns[0] != "id":
        raise ValueError(table)
    if not all(c.isidentifier() for c in columns):
        raise ValueError(columns)
    return f"SELECT {', '.join(columns)} FROM {table}"


# A value another driver hands back as an object, written as SQLite stores it (its
# SQLAlchemy types' storage formats), so that a seal reads the same on either engine.
_AS_SQLITE_STORES: dict[type, Any] = {
    datetime: lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f"),
    date: date.isoformat,
    bool: int,
}


def _as_sqlite_stores(rows: Sequence[tuple[Any, ...]]) -> Sequence[tuple[Any, ...]]:
    """The rows with each column of datetimes, dates or bools (judged by its first
    value, as `_needs_storing` judges) in SQLite's stored form; SQLite's own rows,
    whose values are already int, str, float or None, are returned as they are."""
    if not rows:
        return rows
    convert = {}
    for index in range(len(rows[0])):
        first = next((row[index] for row in rows if row[index] is not None), None)
        form = _AS_SQLITE_STORES.get(type(first))
        if form is not None:
            convert[index] = form
    if not convert:
        return rows
    return [
        tuple(convert[i](v) if i in convert and v is not None else v for i, v in enumerate(row))
        for row in rows
    ]


def row_lines(rows: Iterable[tuple[Any, ...]]) -> list[bytes]:
    """Each row as SQLite hands it back (int, str, float or None, id first), as the
    repr of its tuple: that tells every value and type apart. Another engine's rows
    are written as SQLite would store them first."""
    return list(map(str.encode, map(repr, _as_sqlite_stores(list(rows)))))


def lines_digest(lines: Sequence[bytes]) -> str:
    return hashlib.sha256(b"\n".join(lines) + b"\n").hexdigest()


def lines_tags(lines: Sequence[bytes]) -> bytes:
    """A CRC-32 per row, little-endian: finds the row that differs, proves nothing."""
    tags = array("I", map(zlib.crc32, lines))
    if sys.byteorder == "big":
        tags.byteswap()
    return tags.tobytes()


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as [first, last] runs."""
    ranges: list[list[int]] = []
    for row_id in ids:
        if ranges and row_id == ranges[-1][1] + 1:
            ranges[-1][1] = row_id
        else:
            ranges.append([row_id, row_id])
    return ranges


def _stored(value: Any) -> Any:
    """What SQLite gives back for a value bound as is (a bool or whole float is stored
    as an integer in these tables' integer columns)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _needs_storing(values: Sequence[tuple[Any, ...]], index: int) -> bool:
    """A column of bools or floats (judged by its first value, as bulk inserts judge dates)."""
    first = next((row[index] for row in values if row[index] is not None), None)
    return isinstance(first, bool | float)


def seal(
    connection: Connection,
    actor: Actor,
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    note: str,
) -> int:
    """One entry sealing `rows` (their values as stored, in `columns`' order, the id
    first, sorted by id) of `table`. Rows sealed."""
    if not rows:
        return 0
    select_sql(table, columns)  # the names are checked here
    lines = row_lines(rows)
    ranges = id_ranges(int(row[0]) for row in rows)
    changes: dict[str, Any] = {
        "count": [None, len(rows)],
        "ids": [None, ranges],
        "columns": [None, list(columns)],
        "sha256": [None, lines_digest(lines)],
        "row_tags": [None, base64.b64encode(lines_tags(lines)).decode()],
    }
    write_entry(
        connection,
        actor,
        BULK_ACTION,
        table,
        f"{ranges[0][0]}-{ranges[-1][1]}",
        f"批量新增{MONEY_TABLES[table]} {len(rows)} 条（{note}）",
        changes,
    )
    return len(rows)


def seal_values(
    connection: Connection,
    actor: Actor,
    table: str,
    columns: Sequence[str],
    values: Sequence[tuple[Any, ...]],
    note: str,
    after_id: int,
) -> int:
    """Seal rows just inserted from `values` (as bound to the INSERT, in `columns`'
    order): no read back, for the demo's million rows. Rows bound without an id got
    the ids after `after_id` (the table's largest before the insert), in order."""
    if "id" not in columns:
        columns = ["id", *columns]
        values = [(after_id + n, *row) for n, row in enumerate(values, 1)]
    pick = [list(columns).index("id")] + [i for i, c in enumerate(columns) if c != "id"]
    order = [columns[i] for i in pick]
    rows: list[tuple[Any, ...]] = list(map(itemgetter(*pick), values))
    converted = [i for i in range(len(order)) if _needs_storing(rows, i)]
    if converted:
        rows = [
            tuple(_stored(v) if i in converted else v for i, v in enumerate(row)) for row in rows
        ]
    rows.sort(key=itemgetter(0))
    return seal(connection, actor, table, order, rows, note)


def seal_rows_after(
    connection: Connection, actor: Actor, table: str, after_id: int, note: str
) -> int:
    """One entry sealing every row of `table` with an id above `after_id` (the rows
    this transaction inserted: it holds the write lock), read back as stored."""
    columns = table_columns(connection, table)
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"  # the driver's own
    rows = connection.exec_driver_sql(
        f"{select_sql(table, columns)} WHERE id > {mark} ORDER BY id", (after_id,)
    ).all()
    return seal(connection, actor, table, columns, [tuple(row) for row in rows], note)


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT many rows of the same keys, converting each value with its column type's
    own bind processor, straight to the driver: what Core's executemany stores, without
    its per-row parameter building (a third of a billing run's write time)."""
    if not rows:
        return
    dialect = connection.dialect
    statement = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
    keys = list(statement.positiontup or ()) if statement.positional else list(rows[0])
    processors = [table.c[key].type.bind_processor(dialect) for key in keys]
    pairs = list(zip(keys, processors, strict=True))
    if statement.positional:
        values: list[Any] = [
            tuple(row[key] if process is None else process(row[key]) for key, process in pairs)
            for row in rows
        ]
    else:
        values = [
            {key: row[key] if process is None else process(row[key]) for key, process in pairs}
            for row in rows
        ]
    connection.exec_driver_sql(statement.string, values)


def max_id(connection: Connection, table: str) -> int:
    if table not in MONEY_TABLES:
        raise ValueError(table)
    return int(connection.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one())


@contextmanager
def bulk_sealed(session: Session, actor: Actor, tables: Sequence[str], note: str) -> Iterator[None]:
    """Seal the rows the block inserts in bulk into `tables`, one entry per table. Rows
    the ORM adds in the block are sealed too (they also have their own entries)."""
    session.flush()
    connection = session.connection()
    before = {table: max_id(connection, table) for table in tables}
    yield
    session.flush()
    for table in tables:
        seal_rows_after(connection, actor, table, before[table], note)


def seal_unrecorded(connection: Connection, actor: Actor, note: str) -> int:
    """Seal the money rows that have neither an entry of their own nor a bulk entry:
    a file from before bulk money was sealed (billing runs, 预存 draws). Run once, when
    such a file is upgraded; afterwards every row is written with its evidence. Rows
    sealed."""
    sealed = 0
    for table in MONEY_TABLES:
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).first()
        if exists is None:
            continue
        columns = table_columns(connection, table)
        sealed_ranges = [
            parse_entry(changes)["ids"]
            for (changes,) in connection.exec_driver_sql(
                "SELECT changes FROM audit_log WHERE entity = ? AND action = ?",
                (table, BULK_ACTION),
            )
        ]
        inside = {(int(a), int(b)) for ranges in sealed_ranges for a, b in ranges}
        rows = [
            tuple(row)
            for row in connection.exec_driver_sql(
                f"{select_sql(table, columns)} t WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
                "WHERE a.entity = ? AND a.action = 'create' "
                "AND a.entity_id = CAST(t.id AS TEXT)) ORDER BY id",
                (table,),
            )
            if not any(a <= int(row[0]) <= b for a, b in inside)
        ]
        sealed += seal(connection, actor, table, columns, rows, note)
    return sealed


def parse_entry(changes: str) -> dict[str, Any]:
    """A bulk entry's recorded values, by key (the 'new' side of each pair)."""
    return {key: pair[1] for key, pair in json.loads(changes).items()}
