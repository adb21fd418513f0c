"""Money rows inserted in bulk (a billing run, the 预存 draw, the demo's year of
money) get no per-row "create" entry from the after-flush hook: a million entries
would take longer than the inserts. Instead each bulk insert is sealed by one
audit entry per table, written in the same transaction, that records

- the ids of the rows it inserted (as ranges),
- the columns it sealed,
- a SHA-256 over every row's values (the evidence: the entry itself is in the chain),
- a 4-byte tag per row (only to name which row differs when the digest does not match).

`frontdesk check` (services/money_audit.py) reads the rows back with the same
`row_texts` and recomputes both.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.domain.roles import Actor

BULK_ACTION = "bulk_create"

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
SEPARATOR = "||char(31)||"


def table_columns(connection: Connection, table: str) -> list[str]:
    """The table's columns in their stored order (table names are MONEY_TABLES' keys)."""
    if table not in MONEY_TABLES:
        raise ValueError(table)
    return [str(row[1]) for row in connection.exec_driver_sql(f"PRAGMA table_info({table})")]


def row_text_sql(table: str, columns: Sequence[str]) -> str:
    """SELECT id, one text per row: each value as SQLite's own `quote()` literal (a
    string quoted, NULL as NULL), so no two different rows read the same."""
    if table not in MONEY_TABLES or not all(c.isidentifier() for c in columns):
        raise ValueError(table)
    values = SEPARATOR.join(f'quote("{c}")' for c in columns)
    return f"SELECT id, {values} FROM {table}"


def row_tag(row_id: int, text: str) -> bytes:
    return hashlib.blake2b(f"{row_id}:{text}".encode(), digest_size=TAG_BYTES).digest()


def digest_line(row_id: int, text: str) -> bytes:
    return f"{row_id}:{text}\n".encode()


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Sorted ids as [first, last] runs."""
    ranges: list[list[int]] = []
    for row_id in sorted(ids):
        if ranges and row_id == ranges[-1][1] + 1:
            ranges[-1][1] = row_id
        else:
            ranges.append([row_id, row_id])
    return ranges


def _max_id(connection: Connection, table: str) -> int:
    if table not in MONEY_TABLES:
        raise ValueError(table)
    return int(connection.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one())


def seal_rows_after(
    connection: Connection, actor: Actor, table: str, after_id: int, note: str
) -> int:
    """One entry sealing every row of `table` with an id above `after_id` (the rows
    this transaction inserted: it holds the write lock). Rows sealed."""
    columns = table_columns(connection, table)
    rows = connection.exec_driver_sql(
        f"{row_text_sql(table, columns)} WHERE id > ? ORDER BY id", (after_id,)
    )
    digest = hashlib.sha256()
    tags = bytearray()
    ranges: list[list[int]] = []
    count = 0
    for row_id, text in rows:
        digest.update(digest_line(row_id, text))
        tags += row_tag(row_id, text)
        if ranges and row_id == ranges[-1][1] + 1:
            ranges[-1][1] = row_id
        else:
            ranges.append([row_id, row_id])
        count += 1
    if not count:
        return 0
    changes: dict[str, Any] = {
        "count": [None, count],
        "ids": [None, ranges],
        "columns": [None, columns],
        "sha256": [None, digest.hexdigest()],
        "row_tags": [None, base64.b64encode(bytes(tags)).decode()],
    }
    first, last = ranges[0][0], ranges[-1][1]
    write_entry(
        connection,
        actor,
        BULK_ACTION,
        table,
        f"{first}-{last}",
        f"批量新增{MONEY_TABLES[table]} {count} 条（{note}）",
        changes,
    )
    return count


@contextmanager
def bulk_sealed(session: Session, actor: Actor, tables: Sequence[str], note: str) -> Iterator[None]:
    """Seal the rows the block inserts in bulk into `tables`, one entry per table. Rows
    the ORM adds in the block are sealed too (they also have their own entries)."""
    session.flush()
    connection = session.connection()
    before = {table: _max_id(connection, table) for table in tables}
    yield
    session.flush()
    for table in tables:
        seal_rows_after(connection, actor, table, before[table], note)


def parse_entry(changes: str) -> dict[str, Any]:
    """A bulk entry's recorded values, by key (the 'new' side of each pair)."""
    return {key: pair[1] for key, pair in json.loads(changes).items()}
