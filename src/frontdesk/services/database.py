"""Opening the database for the GUI and the command line (which never import db/).

A database is a file on this PC or a database on a PostgreSQL server
(domain/location.py); `open_at` and `create_at` take either, a path, or None for the
default file. A server's password comes from this PC's keyring
(services/server_password.py), added only as the connection is made.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frontdesk import paths
from frontdesk.db.changes import Changes, DataArea
from frontdesk.db.engine import Database
from frontdesk.db.migrate import create_database, open_database
from frontdesk.db.server import create_server, open_server
from frontdesk.domain.location import (
    DatabaseLocation,
    FileLocation,
    ServerLocation,
    parse_location,
)
from frontdesk.errors import EnvironmentProblem, FrontDeskError
from frontdesk.services import server_password
from frontdesk.services.protection import backups, data_key, restore

__all__ = [
    "Changes",
    "DataArea",
    "Database",
    "DatabaseLocation",
    "FileLocation",
    "ServerLocation",
    "choose_location",
    "chosen_location",
    "create_at",
    "default_path",
    "file_path",
    "open_at",
    "opened",
    "parse_location",
    "try_location",
]

PASSPHRASE_VARIABLE = data_key.PASSPHRASE_VARIABLE

# What names a database: a location, a file's path, the text of either (a path or a
# server URL, as typed), or None for this PC's choice or the default file.
Where = DatabaseLocation | Path | str | None


def default_path() -> Path:
    return paths.default_db_path()


def located(where: Where) -> DatabaseLocation:
    """A location for what was given; for None, this PC's choice or else the default
    file (its folder made)."""
    if where is None:
        chosen = chosen_location()
        if chosen is not None:
            return chosen
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return FileLocation(path)
    if isinstance(where, Path):
        return FileLocation(where)
    if isinstance(where, str):
        return parse_location(where)
    return where


# This PC's choice of database (设置 › 系统 › 连接数据库…, or the first start): a path or
# a server URL without a password, one line in the data folder. No choice: the default file.
CHOICE_FILE = "database-location.txt"


def chosen_location() -> DatabaseLocation | None:
    """The database this PC was set to open, None when it was never set."""
    choice = paths.data_dir() / CHOICE_FILE
    try:
        text = choice.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EnvironmentProblem(f"无法读取数据库连接设置：{choice}（{exc.strerror}）") from exc
    return parse_location(text) if text else None


def choose_location(location: DatabaseLocation, password: str | None = None) -> None:
    """Open `location` from now on (this PC); a server's password goes to the keyring."""
    if isinstance(location, ServerLocation) and password is not None:
        server_password.remember(location, password)
    folder = paths.data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{CHOICE_FILE}.{os.getpid()}"
        temporary.write_text(location.shown() + "\n", encoding="utf-8")
        os.replace(temporary, folder / CHOICE_FILE)
    except OSError as exc:
        raise EnvironmentProblem(f"无法保存数据库连接设置：{folder}（{exc.strerror}）") from exc


def try_location(location: DatabaseLocation, password: str | None = None) -> None:
    """Open `location` once (a server's password from the keyring, or the one given),
    then make it this PC's choice: what cannot be opened is said and nothing is saved."""
    if isinstance(location, ServerLocation):
        given = password if password else server_password.stored(location)
        open_server(location, given).dispose()
    else:
        open_at(location).dispose()
    choose_location(location, password or None)


def file_path(where: Where) -> Path:
    """The database file meant, for what only works on a file (EnvironmentProblem for a
    server database)."""
    location = located(where)
    if isinstance(location, ServerLocation):
        raise EnvironmentProblem(
            f"此操作只适用于数据库文件，不适用于服务器数据库：{location.shown()}"
        )
    return location.path


def open_at(where: Where) -> Database:
    """Open the given file or server database, or the default file.

    The ID-number key is unlocked when this PC can do it unasked (keyring, or the
    passphrase in FRONTDESK_PASSPHRASE for scripts); `data_key.state` says what else
    is needed. A new file is made only where no file exists, a server database is made
    ours only where it is empty (`create_at` for `frontdesk init`); first a restore or
    a backup of a file that was killed part-way is finished or cleaned up.
    """
    location = located(where)
    if isinstance(location, ServerLocation):
        return _unlocked(open_server(location, server_password.stored(location)))
    _after_a_crash(location.path)
    return _unlocked(open_database(location.path))


def create_at(where: Where) -> Database:
    """`frontdesk init`: a new, empty database where there is no file, or only an empty
    one, or in an empty server database; anything with content is refused and left alone."""
    location = located(where)
    if isinstance(location, ServerLocation):
        return _unlocked(create_server(location, server_password.stored(location)))
    return _unlocked(create_database(location.path))


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
def opened(where: Where) -> Iterator[Database]:
    """`open_at` for a `with` block: the database is disposed of when the block ends."""
    db = open_at(where)
    try:
        yield db
    finally:
        db.dispose()
