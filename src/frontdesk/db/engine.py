"""The one place the database connection is configured, and its errors classified.

SQLite: WAL, foreign keys, busy timeout, synchronous=FULL (money must survive a
power cut), and real transactions: we issue BEGIN ourselves so that writers take
the write lock up front (BEGIN IMMEDIATE) instead of failing halfway.

PostgreSQL (psycopg 3): the same one-writer-at-a-time rule. A `write` transaction runs
at READ COMMITTED and first takes one advisory lock all FrontDesk writers share
(`pg_advisory_xact_lock`, released by its commit or rollback), waiting at most
`lock_timeout` (the busy timeout) for it: what BEGIN IMMEDIATE does on SQLite. So every
rule the services check before they write (a bill paid a moment ago at another counter,
a series' next number, a balance) holds exactly as it does on SQLite, with no
serialization failures to retry; the row locks the series take (UPDATE … RETURNING) stay
as a second guard. Reads run at REPEATABLE READ: like an SQLite read transaction they
see one snapshot from their first query to their end and never wait for a writer.
Connections are checked before use (pool_pre_ping), so a server restart between two
actions costs nothing; one during an action rolls it back whole (ServerUnreachable).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.db.audit import install_audit_hook
from frontdesk.db.changes import Changes, install_change_tracking, tracking
from frontdesk.db.phone_index import install_phone_hook
from frontdesk.db.protection import IdCipher, using
from frontdesk.domain.location import DatabaseLocation, FileLocation, ServerLocation
from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.errors import (
    DatabaseBusy,
    EnvironmentProblem,
    FrontDeskError,
    NotAFrontDeskDatabase,
    ServerUnreachable,
)

BUSY_TIMEOUT_MS = 5000
# The advisory lock every FrontDesk writer on a server takes first ("FDK1").
WRITER_LOCK = 0x46444B31


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """Engine for a SQLAlchemy URL; SQLite gets the pragmas and BEGIN handling,
    PostgreSQL the writers' lock and connections checked before use."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
        _configure_sqlite(engine, foreign_keys=foreign_keys)
        return engine
    engine = create_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED")
    if engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
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
        writer = connection.get_execution_options().get("writer", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN DEFERRED")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("writer", False):
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")


def classify(exc: DBAPIError) -> EnvironmentProblem | None:
    """Turn the database errors a user can act on into a message; None = a bug."""
    if type(exc.orig).__module__.startswith("psycopg"):
        return _classify_postgresql(exc)
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


def _classify_postgresql(exc: DBAPIError) -> EnvironmentProblem | None:
    import psycopg
    from psycopg import errors

    orig = exc.orig
    if isinstance(
        orig,
        errors.LockNotAvailable
        | errors.QueryCanceled
        | errors.SerializationFailure
        | errors.DeadlockDetected,
    ):
        return DatabaseBusy("数据库正被另一台电脑占用，本次操作未保存，请稍候几秒再试。")
    if isinstance(orig, errors.DiskFull | errors.OutOfMemory | errors.InsufficientResources):
        return EnvironmentProblem("数据库服务器的磁盘或内存已满，无法保存。请联系信息部门。")
    if isinstance(orig, errors.TooManyConnections):
        return EnvironmentProblem("数据库服务器的连接数已满，请稍候再试，或请信息部门调大连接数。")
    if isinstance(orig, errors.InsufficientPrivilege):
        return EnvironmentProblem(
            f"数据库账号的权限不够，无法完成这项操作（{_first_line(orig)}）。请联系信息部门。"
        )
    if isinstance(orig, errors.ReadOnlySqlTransaction):
        return EnvironmentProblem("数据库服务器现在只读（备用服务器或维护中），无法保存。")
    if isinstance(orig, errors.DataCorrupted | errors.IndexCorrupted):
        return NotAFrontDeskDatabase("数据库服务器报告数据已损坏。请联系信息部门从备份恢复。")
    if exc.connection_invalidated or isinstance(
        orig,
        errors.AdminShutdown
        | errors.CrashShutdown
        | errors.CannotConnectNow
        | errors.ConnectionException
        | psycopg.OperationalError,
    ):
        return ServerUnreachable(
            "与数据库服务器的连接中断，本次操作未保存。请检查网络后重试，程序会自动重新连接。"
        )
    return None


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


# Database files this process has open through SQLite. Reading such a file with plain
# file I/O is unsafe: closing that handle drops every POSIX lock the process holds on the
# file, so another process may then take this one's connections for gone and delete the
# WAL under them (sqlite.org/howtocorrupt.html, 2.2).
_open_files: Counter[str] = Counter()


def open_in_this_process(path: Path) -> bool:
    return _open_files[str(path.resolve())] > 0


class Database:
    """Session factory for one database: `read()` for queries, `write(actor)` for use-cases."""

    def __init__(self, engine: Engine, location: DatabaseLocation | None = None) -> None:
        self.engine = engine
        self.location = location if location is not None else location_of(engine)
        # Set once the data key is unlocked (services/protection/data_key.py); ID numbers need it.
        self.cipher: IdCipher | None = None
        # Told what each committed `write` changed (db/changes.py); the GUI sets it.
        self.on_change: Callable[[Changes], None] | None = None
        on_server = engine.dialect.name != "sqlite"
        reader_engine = (
            engine.execution_options(isolation_level="REPEATABLE READ") if on_server else engine
        )
        self._reader = sessionmaker(reader_engine, expire_on_commit=False)
        writer_engine = engine.execution_options(writer=True)
        self._writer = sessionmaker(writer_engine, expire_on_commit=False)
        install_audit_hook(self._writer)
        install_phone_hook(self._writer)
        install_change_tracking(engine)
        database = engine.url.database
        self._file = (
            str(Path(database).resolve())
            if not on_server and database and database != ":memory:"
            else ""
        )
        _open_files[self._file] += 1

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def on_server(self) -> bool:
        return isinstance(self.location, ServerLocation)

    @property
    def place(self) -> str:
        """Where the database is, as a person reads it: the file's path, or the server's
        URL (never with a password)."""
        return self.location.shown()

    @property
    def files_dir(self) -> Path:
        """Stored files (attachments, issued documents) live beside the database file,
        so one copy of the folder carries both and two counters on one file share them;
        a server database keeps them in its own table (db/file_store.py)."""
        if isinstance(self.location, ServerLocation):
            raise EnvironmentProblem(
                "服务器数据库的附件、扫描件和存档文件保存在数据库中，没有文件夹。"
            )
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
            _commit_outcome_unknown_said(self) as commit,
            self._writer() as session,
        ):
            session.info["actor"] = actor
            with session.begin():
                yield session
                session.flush()  # the work's own errors surface here, not in the commit
                commit.begun = True
        if written and self.on_change is not None:
            self.on_change(Changes(frozenset(written)))

    def reachable(self) -> bool:
        """Whether the database answers now (the status bar asks a server every few
        seconds; a dropped connection in the pool is replaced by a new one)."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except DBAPIError:
            return False
        return True

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


def location_of(engine: Engine) -> DatabaseLocation:
    """Where an engine's database is, for a `Database` made without saying so."""
    url = engine.url
    if engine.dialect.name == "sqlite":
        return FileLocation(Path(url.database or ":memory:"))
    query = {name: str(value) for name, value in url.query.items()}
    host = query.pop("host", None) or url.host or ""
    port = int(query.pop("port", None) or url.port or 5432)
    for internal in ("connect_timeout", "application_name"):
        query.pop(internal, None)
    return ServerLocation(
        url.username or "", host, port, url.database or "", tuple(sorted(query.items()))
    )


COMMIT_UNKNOWN = (
    "保存时与数据库服务器的连接中断，无法确定这次操作是否已经保存。请等连接恢复后先核对"
    "（收款请在“收费 › 收据”中查看是否已有这张收据），再决定是否重做。"
)


@dataclass
class _Commit:
    begun: bool = False


@contextmanager
def _commit_outcome_unknown_said(db: Database) -> Iterator[_Commit]:
    """A server connection lost while committing leaves it unknown whether the commit
    reached the server: the counter is told to look before doing the work again (a
    payment taken twice is worse than a question). Lost before the commit, nothing was
    saved, as `classify` says."""
    commit = _Commit()
    try:
        yield commit
    except DBAPIError as exc:
        if db.on_server and commit.begun and isinstance(classify(exc), ServerUnreachable):
            raise ServerUnreachable(COMMIT_UNKNOWN) from exc
        raise


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
