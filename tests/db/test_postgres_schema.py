"""The same migrations make the same schema on PostgreSQL (issue 23): every revision
up, down to the first and up again on an empty server database."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect

from frontdesk.db.base import Base
from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import alembic_config

pytestmark = pytest.mark.postgres


def test_every_migration_runs_up_down_and_up_on_postgresql(pg_empty_url: str) -> None:
    engine = make_engine(pg_empty_url)
    try:
        with engine.connect() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            for step in (command.upgrade, command.downgrade, command.upgrade):
                step(config, "0001" if step is command.downgrade else "head")
                connection.commit()
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert tables == {*Base.metadata.tables, "alembic_version"}
