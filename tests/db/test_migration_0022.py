"""0022: the service desk's tables, made by the migration exactly as the models declare
them (every constraint by the model's name), with the default categories at the plan's
promises; 0022 goes down again and up."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from frontdesk.db.base import Base
from frontdesk.domain.service_desk import DEFAULT_CATEGORIES
from frontdesk.services.database import Database
from tests.db.migration_steps import migrate

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only

TABLES = ("service_category", "service_staff", "work_order", "work_order_event")


def _constraints(sql: str) -> set[str]:
    return set(re.findall(r"CONSTRAINT (\w+)", sql))


def test_the_tables_have_the_models_constraints_and_the_default_categories(
    fresh_db: Database,
) -> None:
    path = Path(str(fresh_db.engine.url.database))
    fresh_db.dispose()
    with closing(sqlite3.connect(path)) as raw:
        for table in TABLES:
            (made,) = raw.execute(
                "SELECT sql FROM sqlite_master WHERE name = ?", (table,)
            ).fetchone()
            declared = CreateTable(Base.metadata.tables[table]).compile(dialect=sqlite.dialect())
            assert _constraints(made) == _constraints(str(declared)), table
        categories = raw.execute(
            "SELECT name, team, urgent_arrive_minutes, finish_minutes FROM service_category "
            "ORDER BY sort_order"
        ).fetchall()
    assert categories == [(name, team.value, 30, 1440) for name, team in DEFAULT_CATEGORIES]


def test_down_and_up_again(fresh_db: Database) -> None:
    path = Path(str(fresh_db.engine.url.database))
    fresh_db.dispose()
    migrate(path, "0021", down=True)
    with closing(sqlite3.connect(path)) as raw:
        names = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert not names & set(TABLES)
    migrate(path, "0022", down=False)
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("SELECT count(*) FROM service_category").fetchone() == (14,)
