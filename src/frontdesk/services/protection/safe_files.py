"""Durable file writes and read-only checks of SQLite files, shared by backups and restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frontdesk.db.engine import BUSY_TIMEOUT_MS


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection in autocommit mode (transactions begun explicitly)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.isolation_level = None
    return connection


def integrity_problems(path: Path) -> list[str]:
    """`PRAGMA integrity_check` of a file opened read-only: [] when it is sound."""
    try:
        connection = connect_ro(path)
        try:
            lines = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if lines == ["ok"] else lines


def fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder; NTFS journals the rename itself
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@contextmanager
def _incoming(path: Path) -> Iterator[str]:
    """A temporary file beside `path`, renamed onto it when the block succeeds: a
    crash never leaves half a file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_atomically(path: Path, data: bytes | str) -> None:
    with _incoming(path) as temporary, open(temporary, "wb") as out:
        out.write(data.encode() if isinstance(data, str) else data)
        out.flush()
        os.fsync(out.fileno())


def copy_atomically(source: Path, target: Path) -> None:
    with _incoming(target) as temporary:
        shutil.copyfile(source, temporary)


def sync_files(source: Path, target: Path) -> int:
    """Copy the stored files under `source` missing under `target` (same relative
    paths; they are named by their hash, so one already there is the same file)."""
    if not source.is_dir():
        return 0
    copied = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        destination = target / path.relative_to(source)
        if destination.exists():
            continue
        copy_atomically(path, destination)
        copied += 1
    return copied
