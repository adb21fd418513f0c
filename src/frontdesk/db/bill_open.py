"""`bill_open` is kept by triggers (migration 0005). A bulk load of a whole history
(the demo) sets them aside and rebuilds the table in one statement: a million trigger
runs would double its time. The triggers come back exactly as the file stored them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

REBUILD = (
    "INSERT INTO bill_open (bill_id, room_id, open_fen) "
    "SELECT b.id, b.room_id, b.due_fen "
    "- COALESCE((SELECT SUM(a.amount_fen) FROM allocation a WHERE a.bill_id = b.id), 0) "
    "- COALESCE((SELECT SUM(r.amount_fen) FROM reduction r WHERE r.bill_id = b.id), 0) "
    "FROM bill b"
)


@contextmanager
def triggers_set_aside(connection: Connection) -> Iterator[None]:
    """Inside one transaction: drop the triggers, let the caller load, rebuild, restore."""
    triggers = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'bill_open_on_%'"
    ).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    yield
    connection.exec_driver_sql("DELETE FROM bill_open")
    connection.exec_driver_sql(REBUILD)
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)
