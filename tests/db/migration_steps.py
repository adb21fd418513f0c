"""Moving a database file between two revisions, as the migration tests do: up to the
revision before the one under test, fill it as that version would have, then up."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import alembic_config


def migrate(path: Path, revision: str, *, down: bool = False) -> None:
    """The file at `path` up (or `down`) to `revision`, foreign keys off as the
    program's own migrations run them."""
    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        connection.commit()
    engine.dispose()
