"""The tables the database keeps itself, by triggers, from the money rows: `bill_open`
(what each bill still owes, migration 0005) and `collection_tally` (收缴率's sums per
period, building and fee item, migration 0028).

Each has one statement that computes it from the money rows alone. A bulk load of a
whole history (the demo) sets the triggers aside and fills the tables with those
statements (a million trigger runs would double its time); `frontdesk check` compares
the tables with the same statements. The triggers come back exactly as the database
stored them. The statements run on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

# Each kept table's rows, computed from bills, allocations and reductions.
BILL_OPEN = (
    "SELECT b.id AS bill_id, b.room_id AS room_id, b.due_fen "
    "- COALESCE((SELECT SUM(a.amount_fen) FROM allocation a WHERE a.bill_id = b.id), 0) "
    "- COALESCE((SELECT SUM(r.amount_fen) FROM reduction r WHERE r.bill_id = b.id), 0) "
    "AS open_fen FROM bill b"
)
COLLECTION_TALLY = (
    "SELECT b.period AS period, room.building_id AS building_id, "
    "b.fee_item_id AS fee_item_id, SUM(b.amount_fen) AS billed_fen, "
    "SUM(b.reduction_fen) AS reduced_at_billing_fen, "
    "COALESCE(SUM((SELECT SUM(r.amount_fen) FROM reduction r WHERE r.bill_id = b.id)), 0) "
    "AS reduced_later_fen, "
    "COALESCE(SUM((SELECT SUM(a.amount_fen) FROM allocation a WHERE a.bill_id = b.id)), 0) "
    "AS collected_fen "
    "FROM bill b JOIN room ON room.id = b.room_id WHERE b.period IS NOT NULL "
    "GROUP BY b.period, room.building_id, b.fee_item_id"
)
KEPT = {
    "bill_open": ("bill_id, room_id, open_fen", BILL_OPEN),
    "collection_tally": (
        "period, building_id, fee_item_id, billed_fen, reduced_at_billing_fen, "
        "reduced_later_fen, collected_fen",
        COLLECTION_TALLY,
    ),
}


def refill(connection: Connection) -> None:
    """Every kept table emptied and computed again from the money rows."""
    for table, (columns, rows) in KEPT.items():
        connection.exec_driver_sql(f"DELETE FROM {table}")
        connection.exec_driver_sql(f"INSERT INTO {table} ({columns}) {rows}")


_KEPT_TRIGGERS = "(name LIKE 'bill_open_on_%' OR name LIKE 'collection_tally_on_%')"


@contextmanager
def triggers_set_aside(connection: Connection) -> Iterator[None]:
    """Inside one transaction: set the kept tables' triggers aside, let the caller load,
    refill the tables, put the triggers back. SQLite drops them and creates them again
    as the file stored them; PostgreSQL disables them (the tables stay locked to every
    other session until the transaction ends) and enables them again."""
    if connection.dialect.name != "sqlite":
        with _disabled(connection):
            yield
            refill(connection)
        return
    triggers = connection.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND {_KEPT_TRIGGERS}"
    ).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    yield
    refill(connection)
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)


@contextmanager
def _disabled(connection: Connection) -> Iterator[None]:
    """PostgreSQL: the kept tables' enabled triggers disabled for the duration."""
    triggers = connection.execute(
        text(
            "SELECT name, tbl_name FROM (SELECT t.tgname AS name, c.relname AS tbl_name "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal "
            "AND t.tgenabled = 'O' AND c.relnamespace = "
            "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())) AS found "
            f"WHERE {_KEPT_TRIGGERS}"
        )
    ).all()
    for name, table in triggers:
        connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    yield
    for name, table in triggers:
        connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
