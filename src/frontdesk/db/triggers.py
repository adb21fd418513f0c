"""The triggers that protect the evidence, read from where the models declare them:
`__append_only__` on a model (posted money rows, the audit log) gives its table
triggers refusing UPDATE and DELETE (and, on PostgreSQL, TRUNCATE, which skips row
triggers); `__triggers__` (SQLite) and `__postgresql_triggers__` hold a table's others
(the open amounts of bills, 收缴率's sums, the audit log's head counter).

This one list, per dialect, is what a new database is given (`Base.metadata.create_all`
through `create_declared`, and the migrations, which keep their own copies as
migrations must), what `frontdesk check` compares the database's own definitions with
(`differences`: a trigger dropped, replaced by a no-op of the same name, disabled or
added is named), and what a test holds every new and upgraded database to: exactly
these, no more, no fewer.

SQLite's are plain CREATE TRIGGER statements. PostgreSQL's trigger runs a plpgsql
function of the same name; check compares the trigger as the server shows it
(pg_get_triggerdef, pretty) and the function's source, so the statements here are
written in the form the server shows them. Their refusals are raised as
restrict_violation, an integrity error as SQLite's RAISE(ABORT) is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, MetaData, inspect

from frontdesk.db.base import Base

DIALECTS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str  # the table it protects, named in check's report
    sql: str  # its CREATE TRIGGER statement
    function: str = ""  # PostgreSQL: the source of its plpgsql function (named as it)

    def statements(self) -> list[str]:
        """What creates it (on PostgreSQL, its function first)."""
        if not self.function:
            return [self.sql]
        return [
            f"CREATE FUNCTION {self.name}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $${self.function}$$",
            self.sql,
        ]


# `__undoable_import__`: a row an import added may be deleted (the import undone whole).
IMPORTED = "OLD.import_id IS NOT NULL"


def _append_only(table: str, verb: str, undoable: bool = False) -> Trigger:
    name = f"{table}_no_{verb.lower()}"
    unless = f"WHEN NOT ({IMPORTED}) " if undoable and verb == "DELETE" else ""
    return Trigger(
        name,
        table,
        f"CREATE TRIGGER {name} BEFORE {verb} ON {table} {unless}"
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    )


def postgresql_trigger(name: str, table: str, on: str, body: str) -> Trigger:
    """`on`: what follows CREATE TRIGGER <name> up to EXECUTE FUNCTION; `body`: the
    statements of its function."""
    return Trigger(
        name,
        table,
        f"CREATE TRIGGER {name} {on} EXECUTE FUNCTION {name}()",
        f"BEGIN {body} END",
    )


def _postgresql_append_only(table: str, verb: str, undoable: bool = False) -> Trigger:
    each = "STATEMENT" if verb == "TRUNCATE" else "ROW"
    refuse = f"RAISE EXCEPTION '{table} is append-only' USING ERRCODE = 'restrict_violation';"
    if undoable and verb == "DELETE":
        refuse = f"IF NOT ({IMPORTED}) THEN {refuse} END IF; RETURN OLD;"
    return postgresql_trigger(
        f"{table}_no_{verb.lower()}", table, f"BEFORE {verb} ON {table} FOR EACH {each}", refuse
    )


APPEND_ONLY_VERBS = {"sqlite": ("UPDATE", "DELETE"), "postgresql": ("UPDATE", "DELETE", "TRUNCATE")}


def declared(dialect: str = "sqlite") -> list[Trigger]:
    """Every trigger the models declare for `dialect`, by name."""
    from frontdesk.db import models  # noqa: F401  (registers every mapped class)

    if dialect not in DIALECTS:
        raise ValueError(f"no triggers for {dialect}")
    found: list[Trigger] = []
    for mapper in Base.registry.mappers:
        model = mapper.class_
        table = mapper.local_table.name  # type: ignore[attr-defined]
        if model.__append_only__:
            verbs = APPEND_ONLY_VERBS[dialect]
            undoable = model.__undoable_import__
            if dialect == "postgresql":
                found += [_postgresql_append_only(table, verb, undoable) for verb in verbs]
            else:
                found += [_append_only(table, verb, undoable) for verb in verbs]
        if dialect == "postgresql":
            found += [
                postgresql_trigger(name, table, on, body)
                for name, (on, body) in model.__postgresql_triggers__.items()
            ]
        else:
            found += [
                Trigger(name, table, f"CREATE TRIGGER {name} {body}")
                for name, body in model.__triggers__.items()
            ]
    return sorted(found, key=lambda trigger: trigger.name)


def expected_triggers(dialect: str = "sqlite") -> dict[str, tuple[str, str]]:
    """name -> (table it protects, its CREATE TRIGGER statement)."""
    return {trigger.name: (trigger.table, trigger.sql) for trigger in declared(dialect)}


def refused_verbs() -> dict[str, set[str]]:
    """table -> the verbs a trigger refuses on it outright (`<table>_no_<verb>`): what
    the application's role is not granted on PostgreSQL (db/roles.py)."""
    # an undoable import's rows may be deleted (the trigger refuses the others), so the
    # role may DELETE where a model is `__undoable_import__`
    undoable = {
        mapper.local_table.name  # type: ignore[attr-defined]
        for mapper in Base.registry.mappers
        if mapper.class_.__undoable_import__
    }
    refused: dict[str, set[str]] = {}
    for trigger in declared("postgresql"):
        for verb in APPEND_ONLY_VERBS["postgresql"]:
            if trigger.name != f"{trigger.table}_no_{verb.lower()}":
                continue
            if verb != "DELETE" or trigger.table not in undoable:
                refused.setdefault(trigger.table, set()).add(verb)
    return refused


def create_declared(_metadata: MetaData, connection: Connection, **_kw: Any) -> None:
    """After `create_all`: the tables' triggers."""
    for trigger in declared(connection.dialect.name):
        for statement in trigger.statements():
            connection.exec_driver_sql(statement)


def normalised(sql: str) -> str:
    """A definition with its spacing, case and final semicolon set aside."""
    return " ".join(sql.replace(";", " ; ").split()).rstrip(" ;").lower()


@dataclass(frozen=True)
class Stored:
    """A trigger as the database holds it."""

    sql: str  # SQLite: its statement; PostgreSQL: pg_get_triggerdef (pretty)
    function: str = ""  # PostgreSQL: its function's source
    enabled: bool = True


def stored_triggers(connection: Connection) -> dict[str, Stored]:
    """Every trigger of the database's tables (PostgreSQL: those of its current schema,
    not the internal ones that enforce foreign keys)."""
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).all()
        return {name: Stored(str(sql or "")) for name, sql in rows}
    rows = connection.exec_driver_sql(
        "SELECT t.tgname, pg_get_triggerdef(t.oid, true), p.prosrc, t.tgenabled "
        "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE NOT t.tgisinternal "
        "AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
    ).all()
    # 'O' fires in a session of the normal role, 'A' always; 'D' disabled, 'R' replica only
    return {
        name: Stored(str(sql), str(source or ""), enabled in ("O", "A"))
        for name, sql, source, enabled in rows
    }


@dataclass(frozen=True)
class Difference:
    kind: Literal["dropped", "replaced", "disabled", "added"]
    name: str
    table: str  # the table it protects ("" for one the program did not make)


def differences(connection: Connection) -> list[Difference]:
    """How the database's triggers differ from what the models declare: each declared
    trigger of a table the database has must be there, as defined, enabled; no other."""
    tables = set(inspect(connection).get_table_names())
    stored = stored_triggers(connection)
    expected = {trigger.name: trigger for trigger in declared(connection.dialect.name)}
    found: list[Difference] = []
    for name, trigger in expected.items():
        if trigger.table not in tables:
            continue
        held = stored.get(name)
        if held is None:
            found.append(Difference("dropped", name, trigger.table))
        elif normalised(held.sql) != normalised(trigger.sql) or normalised(
            held.function
        ) != normalised(trigger.function):
            found.append(Difference("replaced", name, trigger.table))
        elif not held.enabled:
            found.append(Difference("disabled", name, trigger.table))
    found += [Difference("added", name, "") for name in sorted(stored.keys() - expected)]
    return found
