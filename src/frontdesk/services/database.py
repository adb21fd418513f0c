"""Opening the database for the GUI and the command line (which never import db/)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frontdesk import paths
from frontdesk.db.engine import Database
from frontdesk.db.migrate import open_database
from frontdesk.errors import FrontDeskError
from frontdesk.services import data_key

__all__ = ["Database", "default_path", "open_at", "opened"]

PASSPHRASE_VARIABLE = "FRONTDESK_PASSPHRASE"


def default_path() -> Path:
    return paths.default_db_path()


def open_at(path: Path | None) -> Database:
    """Open the given file, or the default one (creating the data folder for it).

    The ID-number key is unlocked when this PC can do it unasked (keyring, or the
    passphrase in FRONTDESK_PASSPHRASE for scripts); `data_key.state` says what else
    is needed.
    """
    if path is None:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path)
    try:
        data_key.unlock(db, os.environ.get(PASSPHRASE_VARIABLE))
    except FrontDeskError:
        db.dispose()
        raise
    return db


@contextmanager
def opened(path: Path | None) -> Iterator[Database]:
    """`open_at` for a `with` block: the database is disposed of when the block ends."""
    db = open_at(path)
    try:
        yield db
    finally:
        db.dispose()
