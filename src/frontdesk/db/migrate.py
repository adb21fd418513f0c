"""Opening a database file: checks, backup, then Alembic upgrade to head.

- a missing or unwritable folder, a file that is not SQLite or not ours, and a
  file from a newer FrontDesk are refused with a message and left untouched;
- an older file is copied (SQLite online backup) to a timestamped file beside it
  and then upgraded in one transaction;
- a new file is created by running every migration.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from frontdesk.db.engine import Database, make_engine
from frontdesk.domain import clock
from frontdesk.errors import DatabaseTooNew, EnvironmentProblem, NotAFrontDeskDatabase

if TYPE_CHECKING:
    from alembic.config import Config

# PRAGMA application_id of every FrontDesk file ("FDK1"); set by the first migration.
APPLICATION_ID = 0x46444B31
SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration, so that opening an up-to-date file needs no Alembic import
# (a fifth of the start-up time); a test keeps it equal to Alembic's own head.
HEAD_REVISION = "0017"


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


def inspect_file(path: Path) -> str | None:
    """Revision of an existing FrontDesk file, None for a new/empty one; raises otherwise."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise NotAFrontDeskDatabase(f"该文件不是物业前台数据库：{path}")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
        return None
    if app_id != APPLICATION_ID or revision is None:
        raise NotAFrontDeskDatabase(f"该文件不是物业前台数据库：{path}")
    if revision[0] != HEAD_REVISION and revision[0] not in known_revisions():
        raise DatabaseTooNew(
            f"该数据库由更新版本的物业前台创建（结构版本 {revision[0]}），请先升级本程序：{path}"
        )
    return str(revision[0])


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
    """Open (creating or upgrading as needed) the FrontDesk database at `path`."""
    path = path.expanduser().resolve()
    _check_folder(path)
    revision = inspect_file(path)
    url = f"sqlite:///{path}"
    if revision != HEAD_REVISION:
        if revision is not None:
            backup_copy(path, f"before-upgrade-{revision}")
        _migrate(url)
        if revision is not None and revision < SEALED_FROM:
            _seal_older_money(url)
    return Database(make_engine(url))


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
    # Batch migrations copy tables; foreign keys are checked once at the end instead.
    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.connect() as connection:
            upgrade(connection)
            connection.commit()
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                message = f"升级后发现 {len(problems)} 处数据关联错误，请联系技术支持。"
                raise EnvironmentProblem(message)
    finally:
        engine.dispose()
