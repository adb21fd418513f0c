"""The one place the database connection is configured, and its errors classified.

SQLite: WAL, foreign keys, busy timeout, synchronous=FULL (money must survive a
power cut), and real transactions: we issue BEGIN ourselves so that writers take
the write lock up front (BEGIN IMMEDIATE) instead of failing halfway.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.db.audit import install_audit_hook
from frontdesk.db.changes import Changes, install_change_tracking, tracking
from frontdesk.db.phone_index import install_phone_hook
from frontdesk.db.protection import IdCipher, using
from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.errors import (
    DatabaseBusy,
    EnvironmentProblem,
    FrontDeskError,
    NotAFrontDeskDatabase,
)

BUSY_TIMEOUT_MS = 5000


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """Engine for a SQLAlchemy URL; SQLite gets the pragmas and BEGIN handling."""
    is_sqlite = url.startswith("sqlite")
    connect_args: dict[str, Any] = (
        {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False} if is_sqlite else {}
    )
    engine = create_engine(url, connect_args=connect_args)
    if is_sqlite:
        _configure_sqlite(engine, foreign_keys=foreign_keys)
    return engine


def _configure_sqlite(engine: Engine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # pysqlite's own BEGIN handling is off
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        # Erased personal data (visitors past retention) must not linger in free pages.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def classify(exc: DBAPIError) -> EnvironmentProblem | None:
    """Turn the database errors a user can act on into a message; None = a bug."""
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusy("数据库正被另一台电脑占用，请稍候几秒再试。")
    if "disk is full" in text or "database or disk is full" in text:
        return EnvironmentProblem("磁盘空间已满，无法保存。请清理磁盘后重试。")
    if "readonly" in text or "read-only" in text:
        return EnvironmentProblem("数据库文件是只读的，无法保存。请检查文件权限。")
    if "not a database" in text or "malformed" in text:
        return NotAFrontDeskDatabase("数据库文件已损坏或不是物业前台数据库。请从备份恢复。")
    if "disk i/o" in text or "unable to open" in text:
        return EnvironmentProblem("无法读写数据库文件（磁盘或网络故障）。")
    return None


# Database files this process has open through SQLite. Reading such a file with plain
# file I/O is unsafe: closing that handle drops every POSIX lock the process holds on the
# file, so another process may then take this one's connections for gone and delete the
# WAL under them (sqlite.org/howtocorrupt.html, 2.2).
_open_files: Counter[str] = Counter()


def open_in_this_process(path: Path) -> bool:
    return _open_files[str(path.resolve())] > 0


class Database:
    """Session factory for one database: `read()` for queries, `write(actor)` for use-cases."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Set once the data key is unlocked (services/protection/data_key.py); ID numbers need it.
        self.cipher: IdCipher | None = None
        # Told what each committed `write` changed (db/changes.py); the GUI sets it.
        self.on_change: Callable[[Changes], None] | None = None
        self._reader = sessionmaker(engine, expire_on_commit=False)
        writer_engine = engine.execution_options(sqlite_begin="IMMEDIATE")
        self._writer = sessionmaker(writer_engine, expire_on_commit=False)
        install_audit_hook(self._writer)
        install_phone_hook(self._writer)
        install_change_tracking(engine)
        database = engine.url.database
        self._file = str(Path(database).resolve()) if database and database != ":memory:" else ""
        _open_files[self._file] += 1

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def files_dir(self) -> Path:
        """Stored files (attachments, issued documents) live beside the database file,
        so one copy of the folder carries both and two counters on one file share them."""
        database = self.engine.url.database
        if not database or database == ":memory:":
            raise EnvironmentProblem("内存数据库没有文件夹，无法保存附件。")
        path = Path(database)
        return path.with_name(f"{path.stem}-files")

    @contextmanager
    def read(self) -> Iterator[Session]:
        with using(self.cipher), _translated_errors(), self._reader() as session:
            yield session

    @contextmanager
    def write(self, actor: Actor = SYSTEM) -> Iterator[Session]:
        """One unit of work: commits at the end, rolls back on any error. Once it has
        committed, `on_change` is told which tables it wrote to."""
        with (
            tracking() as written,
            using(self.cipher),
            _translated_errors(),
            self._writer() as session,
        ):
            session.info["actor"] = actor
            with session.begin():
                yield session
        if written and self.on_change is not None:
            self.on_change(Changes(frozenset(written)))

    def checkpoint(self) -> None:
        """Move what the WAL holds into the file and empty the WAL (SQLite): after a
        sweep that sealed clear values, neither keeps the old page images."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def dispose(self) -> None:
        self.engine.dispose()
        if self._file and _open_files[self._file] > 0:
            _open_files[self._file] -= 1
            self._file = ""


@contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except StatementError as exc:
        # A column type's own refusal (an ID number without its key) reaches the user as is.
        if isinstance(exc.orig, FrontDeskError):
            raise exc.orig from None
        if not isinstance(exc, DBAPIError):
            raise
        problem = classify(exc)
        if problem is None:
            raise
        raise problem from exc
