"""Opening a database file: checks, backup, then Alembic upgrade to head.

- a missing or unwritable folder, a file that is not SQLite or not ours, and a
  file from a newer FrontDesk are refused with a message and left untouched;
- so is an existing file that is not a sound FrontDesk database: empty (0 bytes),
  cut short, or an SQLite file with nothing in it. It is never silently turned into
  an empty community; a new database is made only where no file exists, or by an
  explicit `frontdesk init` (`create_database`), which replaces only a file that
  holds nothing;
- an older file is copied (SQLite online backup) to a timestamped file beside it
  and then upgraded in one transaction;
- a new file is created by running every migration on a hidden file beside it,
  which is then renamed into place: a creation cut off leaves no half-made file.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from frontdesk.db.engine import Database, make_engine, open_in_this_process
from frontdesk.domain import clock
from frontdesk.errors import (
    DamagedDatabase,
    DatabaseTooNew,
    EnvironmentProblem,
    NotAFrontDeskDatabase,
)

if TYPE_CHECKING:
    from alembic.config import Config

# PRAGMA application_id of every FrontDesk file ("FDK1"); set by the first migration.
APPLICATION_ID = 0x46444B31
SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration, so that opening an up-to-date file needs no Alembic import
# (a fifth of the start-up time); a test keeps it equal to Alembic's own head.
HEAD_REVISION = "0038"
# Rows named in a refusal to upgrade (the count says how many more there are).
MAX_NAMED_ROWS = 5


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _check_folder(path: Path) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise EnvironmentProblem(f"数据库所在的文件夹不存在：{folder}")
    if not os.access(folder, os.W_OK):
        raise EnvironmentProblem(f"数据库所在的文件夹不可写：{folder}")
    if path.exists() and not os.access(path, os.W_OK):
        raise EnvironmentProblem(f"数据库文件是只读的：{path}")


RESTORE_HINT = "如有备份，请用 frontdesk restore 备份文件 恢复"
INIT_HINT = "如确需新建空数据库，请运行 frontdesk init --db"


def _check_length(path: Path, header: bytes) -> None:
    """An SQLite file cut short: shorter than its header says, or not whole pages."""
    size = path.stat().st_size
    if len(header) < 100:
        raise DamagedDatabase(
            f"数据库文件已损坏（文件不完整，只有 {size} 字节）：{path}。{RESTORE_HINT}。"
        )
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages, counter, valid_for = (struct.unpack(">I", header[i : i + 4])[0] for i in (28, 24, 92))
    expected = pages * page_size if pages and counter == valid_for else 0
    wal = Path(f"{path}-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    if page_size < 512 or size % page_size or (expected > size and not has_wal):
        whole = f"应有 {expected} 字节，" if expected > size else ""
        raise DamagedDatabase(
            f"数据库文件已损坏（文件不完整：{whole}只有 {size} 字节）：{path}。{RESTORE_HINT}。"
        )


def inspect_file(path: Path) -> str | None:
    """Revision of an existing FrontDesk file, None where there is no file; raises for a
    file that is not a sound FrontDesk database (empty, cut short, foreign, newer)."""
    if not path.exists():
        return None
    if path.stat().st_size == 0:
        raise DamagedDatabase(
            f"数据库文件是空的（0 字节），不是完好的物业前台数据库：{path}。"
            f"{RESTORE_HINT}；{INIT_HINT} {path}"
        )
    if not open_in_this_process(path):  # (already checked when it was opened)
        with path.open("rb") as handle:
            header = handle.read(100)
        if header[:16] != SQLITE_MAGIC:
            raise NotAFrontDeskDatabase(f"该文件不是物业前台数据库：{path}")
        _check_length(path, header)
    try:
        connection = _inspection_connection(path)
    except sqlite3.DatabaseError as exc:
        raise NotAFrontDeskDatabase(f"该文件已损坏或不是物业前台数据库：{path}") from exc
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        revision = None
        if "alembic_version" in tables:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise NotAFrontDeskDatabase(f"该文件已损坏或不是物业前台数据库：{path}") from exc
    finally:
        connection.close()
    if not tables:
        raise DamagedDatabase(
            f"数据库文件中没有任何数据，不是完好的物业前台数据库：{path}。"
            f"{RESTORE_HINT}；{INIT_HINT} {path}"
        )
    if app_id != APPLICATION_ID or revision is None:
        raise NotAFrontDeskDatabase(f"该文件不是物业前台数据库：{path}")
    if revision[0] != HEAD_REVISION and revision[0] not in known_revisions():
        raise DatabaseTooNew(
            f"该数据库由更新版本的物业前台创建（结构版本 {revision[0]}），请先升级本程序：{path}"
        )
    return str(revision[0])


def _inspection_connection(path: Path) -> sqlite3.Connection:
    """Read-write where the file allows it (never creating one): a program killed while
    writing leaves a WAL that the next reader must recover, which a read-only connection
    cannot do ("attempt to write a readonly database") though the file is sound."""
    connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.OperationalError:
        connection.close()
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # a read-only file
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection


def backup_copy(path: Path, suffix: str) -> Path:
    """Copy a live SQLite file with the online backup API; returns the copy's path."""
    stamp = clock.wall_now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{suffix}-{stamp}{path.suffix}")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    return target


def open_database(path: Path) -> Database:
    """Open (creating where no file exists, or upgrading) the FrontDesk database at
    `path`; an existing file that is not a sound FrontDesk database is refused."""
    path = path.expanduser().resolve()
    _check_folder(path)
    revision = inspect_file(path)
    url = f"sqlite:///{path}"
    if revision is None:
        _create(path)
    elif revision != HEAD_REVISION:
        backup_copy(path, f"before-upgrade-{revision}")
        _migrate(url)
        if revision < SEALED_FROM:
            _seal_older_money(url)
    return Database(make_engine(url))


def holds_nothing(path: Path) -> bool:
    """An existing file with nothing in it: 0 bytes, or SQLite without a single table."""
    if path.stat().st_size == 0:
        return True
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            return False
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return not connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False


def create_database(path: Path) -> Database:
    """`frontdesk init`: a new, empty FrontDesk database at `path`, where there is no
    file or only one that holds nothing; any other file is refused and left alone."""
    path = path.expanduser().resolve()
    _check_folder(path)
    if path.exists():
        if not holds_nothing(path):
            try:
                inspect_file(path)
            except EnvironmentProblem as exc:
                raise EnvironmentProblem(
                    f"{exc.message}\n该文件不是空文件，新建数据库不会覆盖它；"
                    "请先把它移走或改名（或从备份恢复）。"
                ) from exc
            raise EnvironmentProblem(f"这里已经有物业前台数据库，无需新建：{path}")
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            stale.unlink(missing_ok=True)
        path.unlink()
    _create(path)
    return Database(make_engine(f"sqlite:///{path}"))


def _create(path: Path) -> None:
    """Every migration on a hidden file beside `path`, then renamed into place."""
    temporary = path.with_name(f".{path.name}.creating-{os.getpid()}")
    for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        _migrate(f"sqlite:///{temporary}")
        connection = sqlite3.connect(temporary)
        try:  # fold the write-ahead log in: the renamed file must be whole on its own
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        if path.exists():
            raise EnvironmentProblem(f"数据库文件已被另一程序创建：{path}。请重新打开。")
        os.replace(temporary, path)
        if os.name == "posix":
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)


# Files from before this revision hold money inserted in bulk without audit evidence
# (billing runs, 预存 draws): sealed once as they are upgraded (db/bulk_audit.py).
SEALED_FROM = "0014"


def _seal_older_money(url: str) -> None:
    from frontdesk.db.bulk_audit import seal_unrecorded  # imports the models
    from frontdesk.domain.roles import SYSTEM

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            seal_unrecorded(connection, SYSTEM, "升级前已有、未逐条记入审计日志的金额记录")
            connection.commit()
    finally:
        engine.dispose()


def _migrate(url: str) -> None:
    """Every migration in one transaction: a migration that fails leaves the file as it
    was. Batch migrations copy tables, so foreign keys are checked once at the end
    instead, before the commit: a file whose rows point at rows that are not there is
    refused and left as it was too."""
    engine = make_engine(url, foreign_keys=False)
    try:
        # Begun here, so Alembic runs inside it instead of committing each migration.
        with engine.connect() as connection, connection.begin():
            upgrade(connection)
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:  # leaving the block by an exception rolls everything back
                raise EnvironmentProblem(_dangling_message(problems))
    finally:
        engine.dispose()


def _dangling_message(problems: Sequence[Any]) -> str:
    """PRAGMA foreign_key_check rows are (table, rowid, referred table, key index)."""
    named = "；".join(
        f"表 {table} 第 {rowid} 行指向 {parent} 中不存在的记录"
        for table, rowid, parent, _key in problems[:MAX_NAMED_ROWS]
    )
    more = f"；另有 {len(problems) - MAX_NAMED_ROWS} 处" if len(problems) > MAX_NAMED_ROWS else ""
    return (
        f"数据库中有 {len(problems)} 处数据关联错误（{named}{more}），"
        "升级已取消，文件保持原样。请联系技术支持。"
    )
