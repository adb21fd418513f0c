"""0038 (数据导入): up, down to 0037 and up again on both engines, the schema each time
exactly what that revision makes; going down is refused while the file holds an import."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, inspect, text

from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import alembic_config, upgrade
from frontdesk.errors import EnvironmentProblem

NEW_TABLES = {
    "import_batch",
    "import_mapping",
    "paid_through",
    "imported_payment",
    "opening_deposit",
}


def _shown(value: object) -> str:
    """A value the inspector read, as text (a partial index's condition by its SQL)."""
    if isinstance(value, Mapping):
        return str(sorted((key, " ".join(str(v).split())) for key, v in value.items()))
    return str(value)


def _inspected(connection: Connection) -> dict[str, object]:
    """Tables with their columns, checks, keys, unique constraints and indexes, as the
    inspector reads them (SQLite's batch mode rewrites a table's SQL in another order)."""
    inspector = inspect(connection)
    tables = sorted(inspector.get_table_names())

    def per_table(read: Callable[[str], list[dict[str, Any]]], *keys: str) -> object:
        return {
            t: sorted(tuple(_shown(item.get(k)) for k in keys) for item in read(t)) for t in tables
        }

    return {
        "columns": per_table(inspector.get_columns, "name", "type", "nullable", "default"),
        "checks": per_table(inspector.get_check_constraints, "name", "sqltext"),
        "keys": per_table(
            inspector.get_foreign_keys, "name", "constrained_columns", "referred_table", "options"
        ),
        "uniques": per_table(inspector.get_unique_constraints, "name", "column_names"),
        "indexes": per_table(inspector.get_indexes, "name", "column_names", "dialect_options"),
    }


def _sqlite_schema(path: Path) -> dict[str, object]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        found = _inspected(connection)
        triggers = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).all()
    engine.dispose()
    found["triggers"] = [(name, " ".join(sql.split())) for name, sql in triggers]
    return found


def _at(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        upgrade(connection, revision)
    engine.dispose()


def _down(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


@pytest.mark.sqlite_only
def test_0038_goes_down_to_0037_and_up_again_on_sqlite(tmp_path: Path) -> None:
    before, head, moved = tmp_path / "0037.sqlite", tmp_path / "head.sqlite", tmp_path / "m.sqlite"
    _at(before, "0037")
    _at(head, "0038")
    _at(moved, "0038")
    engine = create_engine(f"sqlite:///{moved}")
    with engine.begin() as connection:
        _down(connection, "0037")
    engine.dispose()
    assert _sqlite_schema(moved) == _sqlite_schema(before)
    _at(moved, "0038")
    assert _sqlite_schema(moved) == _sqlite_schema(head)


@pytest.mark.sqlite_only
def test_going_down_is_refused_while_the_file_holds_an_import(tmp_path: Path) -> None:
    path = tmp_path / "imported.sqlite"
    _at(path, "0038")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO import_batch (file_name, file_sha256, sheets, kinds, imported_at, "
                "imported_by, totals, undone_by) VALUES ('旧系统.xlsx', '', '房屋', 'rooms', "
                "'2026-11-25 10:00:00', '管理员', '{}', '')"
            )
        )
    with pytest.raises(EnvironmentProblem, match="不能降级到 0037"), engine.begin() as connection:
        _down(connection, "0037")
    engine.dispose()
    assert set(_sqlite_schema(path)["columns"]) >= NEW_TABLES  # type: ignore[call-overload]


def _server_schema(connection: Connection) -> dict[str, object]:
    found = _inspected(connection)
    found["triggers"] = connection.execute(
        text(
            "SELECT event_object_table, trigger_name, event_manipulation, action_statement "
            "FROM information_schema.triggers ORDER BY 1, 2, 3"
        )
    ).all()
    found["functions"] = connection.execute(
        text(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() ORDER BY 1"
        )
    ).all()
    return found


@pytest.mark.postgres
def test_0038_goes_down_to_0037_and_up_again_on_postgresql(pg_empty_url: str) -> None:
    engine = make_engine(pg_empty_url)
    try:
        with engine.connect() as connection:
            upgrade(connection, "0037")
            connection.commit()
            before = _server_schema(connection)
            upgrade(connection, "0038")
            connection.commit()
            head = _server_schema(connection)
            assert set(head["columns"]) >= NEW_TABLES  # type: ignore[call-overload]
            _down(connection, "0037")
            connection.commit()
            assert _server_schema(connection) == before
            upgrade(connection, "0038")
            connection.commit()
            assert _server_schema(connection) == head
    finally:
        engine.dispose()
