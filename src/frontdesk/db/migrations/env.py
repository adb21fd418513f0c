"""Alembic environment: always run programmatically by frontdesk.db.migrate with a connection."""

from __future__ import annotations

from alembic import context

from frontdesk.db import models  # noqa: F401  (registers every table)
from frontdesk.db.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite ALTER TABLE goes through batch copies
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
