"""The triggers that protect the evidence, read from where the models declare them:
`__append_only__` on a model (posted money rows, the audit log) gives its table two
triggers refusing UPDATE and DELETE; `__triggers__` holds a table's others (the open
amounts of bills, the audit log's head counter).

This one list is what a new file is given (`Base.metadata.create_all` through
`create_declared`, and the migrations, which keep their own copies as migrations
must), what `frontdesk check` compares the file's own definitions with (so a trigger
replaced by a no-op of the same name is named, not only a dropped one), and what a
test holds every new and upgraded file to: exactly these, no more, no fewer.

The statements are SQLite's; PostgreSQL gets its own when it is supported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, MetaData

from frontdesk.db.base import Base


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str  # the table it protects, named in check's report
    sql: str  # its CREATE TRIGGER statement


def _append_only(table: str, verb: str) -> Trigger:
    name = f"{table}_no_{verb.lower()}"
    return Trigger(
        name,
        table,
        f"CREATE TRIGGER {name} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    )


def declared() -> list[Trigger]:
    """Every trigger the models declare, by name."""
    from frontdesk.db import models  # noqa: F401  (registers every mapped class)

    found: list[Trigger] = []
    for mapper in Base.registry.mappers:
        model = mapper.class_
        table = mapper.local_table.name  # type: ignore[attr-defined]
        if model.__append_only__:
            found += [_append_only(table, verb) for verb in ("UPDATE", "DELETE")]
        found += [
            Trigger(name, table, f"CREATE TRIGGER {name} {body}")
            for name, body in model.__triggers__.items()
        ]
    return sorted(found, key=lambda trigger: trigger.name)


def expected_triggers() -> dict[str, tuple[str, str]]:
    """name -> (table it protects, its CREATE TRIGGER statement)."""
    return {trigger.name: (trigger.table, trigger.sql) for trigger in declared()}


def create_declared(_metadata: MetaData, connection: Connection, **_kw: Any) -> None:
    """After `create_all`: the tables' triggers (SQLite)."""
    if connection.dialect.name == "sqlite":
        for trigger in declared():
            connection.exec_driver_sql(trigger.sql)


def normalised(sql: str) -> str:
    """A definition with its spacing, case and final semicolon set aside."""
    return " ".join(sql.replace(";", " ; ").split()).rstrip(" ;").lower()
