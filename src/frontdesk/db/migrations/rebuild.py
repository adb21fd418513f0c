"""How the migrations change a table SQLite cannot alter in place.

SQLite's batch mode copies a table to change a CHECK or a column, and a dropped table
takes its triggers (and the triggers of other tables naming it) and its indexes with
it. These put back exactly what the file had. Every revision that changes a table's
CHECK or copies a table uses them, so a change here changes them all: extend, never
alter what a function does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The condition of an enum's CHECK: `kind IN ('a', 'b')`."""
    listed = ", ".join("'{}'".format(value.replace("'", "''")) for value in values)
    return f"{column} IN ({listed})"


@contextmanager
def triggers_set_aside(connection: sa.Connection) -> Iterator[None]:
    """SQLite: every trigger of the file dropped first and put back as the file stored
    it (the bill_open triggers on other tables would also stop a renamed table).
    PostgreSQL alters tables in place and keeps its triggers."""
    if connection.dialect.name != "sqlite":
        yield
        return
    triggers = connection.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    ).all()
    for name, _sql in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in triggers:
        op.execute(sql)


def replace_check(table: str, name: str, condition: str) -> None:
    """The CHECK `name` (its full name, ck_<table>_<column>) of `table` now `condition`."""
    with (
        triggers_set_aside(op.get_bind()),
        op.batch_alter_table(table, schema=None) as batch_op,
    ):
        batch_op.drop_constraint(op.f(name), type_="check")
        batch_op.create_check_constraint(op.f(name), condition)


@contextmanager
def kept_as_defined(table: str) -> Iterator[None]:
    """`table` copied by batch mode or its rows updated, with its triggers neither
    firing (posted money refuses UPDATE) nor lost, and its indexes (partial ones too)
    put back exactly as the file defined them."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        bind.exec_driver_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        yield
        bind.exec_driver_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        return
    saved = bind.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master "
        "WHERE type IN ('trigger', 'index') AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for kind, name, _sql in saved:
        if kind == "trigger":
            bind.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for kind, name, sql in saved:
        if kind == "index":
            bind.exec_driver_sql(f'DROP INDEX IF EXISTS "{name}"')
        bind.exec_driver_sql(sql)


def sqlite_only(statement: str) -> None:
    """A statement in SQLite's own dialect (PRAGMA, its trigger DDL): run on SQLite,
    skipped on PostgreSQL, whose rules revision 0029 gives in its own dialect."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(statement)


def user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    """The foreign key of a "who" column (`<verb>_by_id`) to `app_user`, named as the
    models name it (db/base.ByUser)."""
    return sa.ForeignKeyConstraint(
        [column],
        ["app_user.id"],
        name=op.f(f"fk_{table}_{column}_app_user"),
        ondelete="RESTRICT",
    )


# The issued documents' kinds as revision 0027 left them (frozen: a later revision that
# adds kinds starts from this and the ones added since, as it rebuilds the CHECK).
DOCUMENT_KINDS_0027 = (
    "receipt",
    "refund",
    "daily_report",
    "collection_report",
    "room_summary",
    "household_card",
    "reminder",
    "visitor_pass",
    "roll_call",
    "move_in",
    "handbook",
    "renovation_application",
    "renovation_permit",
    "worker_passes",
    "rectification",
    "renovation_acceptance",
    "renovation_guide",
    "notice",
    "letter",
    "work_order",
    "service_report",
    "survey_forms",
    "work_report",
)
