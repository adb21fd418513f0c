"""Opening the database for the GUI and the command line (which never import db/)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frontdesk import paths
from frontdesk.db.changes import Changes, DataArea
from frontdesk.db.engine import Database
from frontdesk.db.migrate import create_database, open_database
from frontdesk.errors import FrontDeskError
from frontdesk.services.protection import backups, data_key, restore

__all__ = ["Changes", "DataArea", "Database", "create_at", "default_path", "open_at", "opened"]

PASSPHRASE_VARIABLE = data_key.PASSPHRASE_VARIABLE


def default_path() -> Path:
    return paths.default_db_path()


def open_at(path: Path | None) -> Database:
    """Open the given file, or the default one (creating the data folder for it).

    The ID-number key is unlocked when this PC can do it unasked (keyring, or the
    passphrase in FRONTDESK_PASSPHRASE for scripts); `data_key.state` says what else
    is needed. A new database is made only where no file exists (`create_at` for
    `frontdesk init`); first a restore or a backup that was killed part-way is
    finished or cleaned up.
    """
    if path is None:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
    _after_a_crash(path)
    return _unlocked(open_database(path))


def create_at(path: Path | None) -> Database:
    """`frontdesk init`: a new, empty database where there is no file, or only an empty
    one; an existing database or any file with content is refused and left alone."""
    if path is None:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
    return _unlocked(create_database(path))


def _after_a_crash(path: Path) -> None:
    path = path.expanduser().resolve()
    if path.parent.is_dir():
        restore.finish_interrupted(path)
        backups.clean_leftovers(path)


def _unlocked(db: Database) -> Database:
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
