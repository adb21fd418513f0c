"""Opening the database for the GUI and the command line (which never import db/)."""

from __future__ import annotations

from pathlib import Path

from frontdesk import paths
from frontdesk.db.engine import Database
from frontdesk.db.migrate import open_database

__all__ = ["Database", "default_path", "open_at"]


def default_path() -> Path:
    return paths.default_db_path()


def open_at(path: Path | None) -> Database:
    """Open the given file, or the default one (creating the data folder for it)."""
    if path is None:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
    return open_database(path)
