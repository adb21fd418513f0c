"""Restore: a verified backup copied *into* the live database file.

The copy goes through SQLite's online backup API, which journals the destination,
so a crash leaves the old or the new content, never a mixture. The current database
is first kept aside as a before-restore backup (or, too damaged for that, byte for
byte), and an older backup is upgraded to this program's schema.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from frontdesk.db.audit import write_entry
from frontdesk.db.migrate import HEAD_REVISION, open_database
from frontdesk.db.protection import KeyUnavailable
from frontdesk.domain.roles import SYSTEM
from frontdesk.errors import EnvironmentProblem, FrontDeskError, UserError
from frontdesk.services import backups, data_key
from frontdesk.services.database import PASSPHRASE_VARIABLE
from frontdesk.services.safe_files import (
    connect_ro,
    fsync_file,
    fsync_folder,
    integrity_problems,
    sync_files,
)


class RestoreRefused(UserError):
    """A backup file that must not be restored, or a database that cannot be replaced now."""


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    kept_aside: Path | None  # the database as it was before, None if there was none
    upgraded_from: str | None  # the backup's schema revision when it had to be upgraded
    files_copied: int
    warnings: tuple[str, ...] = ()


def check_backup_file(backup_file: Path) -> str:
    """The backup's schema revision, after refusing a file that must not be restored."""
    name = backup_file.name
    if not backup_file.is_file():
        raise RestoreRefused(f"找不到备份文件：{backup_file}")
    try:
        return backups.sound_revision(backup_file)
    except FrontDeskError as exc:
        raise RestoreRefused(f"备份文件 {name} 不能恢复：{exc.message}") from exc


def _page_size(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA page_size").fetchone()[0])


def _take_exclusive(live: sqlite3.Connection, db_path: Path) -> None:
    """Leave WAL mode, which SQLite allows only when no other connection has the file
    open: proof that no counter is running on it. A page size other than the backup's
    is also only writable outside WAL mode."""
    try:
        mode = live.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise RestoreRefused(
                f"数据库正在被使用（本机或其他电脑上的物业前台未关闭）：{db_path}。"
                "请关闭所有物业前台程序后再恢复。"
            ) from exc
        raise
    if str(mode).lower() != "delete":
        raise RestoreRefused(f"无法独占数据库文件，请关闭所有物业前台程序后再恢复：{db_path}")


def _replace_damaged(db_path: Path, backup_file: Path) -> None:
    """Swap in a copy of the backup by rename, for a live file SQLite cannot open."""
    temporary = db_path.with_name(f".{db_path.name}.restoring")
    shutil.copyfile(backup_file, temporary)
    fsync_file(temporary)
    for stale in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), Path(f"{db_path}-journal")):
        if stale.exists():
            stale.unlink()
    os.replace(temporary, db_path)
    fsync_folder(db_path.parent)


def restore_backup(db_path: Path, backup_file: Path) -> RestoreResult:
    """Replace the database at `db_path` with a backup, after checking the backup and
    keeping the current database aside as a before-restore backup. Every counter must
    be closed. An older backup is upgraded to this program's schema."""
    db_path = db_path.expanduser().resolve()
    backup_file = backup_file.expanduser().resolve()
    if backup_file == db_path:
        raise RestoreRefused("备份文件就是当前数据库本身，无需恢复。")
    revision = check_backup_file(backup_file)
    if not db_path.parent.is_dir():
        raise RestoreRefused(f"数据库所在的文件夹不存在：{db_path.parent}")
    warnings: list[str] = []
    kept_aside: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        kept_aside = _restore_over(db_path, backup_file, warnings)
    else:
        _restore_into(db_path, backup_file)
    files_copied = sync_files(
        backup_file.parent / backups.FILES_NAME, backups.files_dir_of(db_path)
    )
    upgraded_from = revision if revision != HEAD_REVISION else None
    unaudited = _audit_restore(db_path, backup_file, kept_aside, upgraded_from)
    warnings += [unaudited] if unaudited else []
    backups.log_restore(db_path, backup_file)
    return RestoreResult(backup_file, kept_aside, upgraded_from, files_copied, tuple(warnings))


def _restore_over(db_path: Path, backup_file: Path, warnings: list[str]) -> Path:
    live = sqlite3.connect(db_path, timeout=2)
    live.isolation_level = None
    try:
        try:
            _take_exclusive(live, db_path)
        except sqlite3.DatabaseError:
            damaged = True  # not even a readable SQLite file any more
        else:
            damaged = False
            try:
                kept_aside = backups.keep_aside(live, db_path)
            except backups.BackupFailed:
                if not integrity_problems(db_path):
                    live.execute("PRAGMA journal_mode = WAL")
                    raise
                damaged = True
        if not damaged:
            _restore_into_connection(live, backup_file, db_path)
            return kept_aside
    finally:
        live.close()
    kept_aside = backups.keep_damaged_aside(db_path)
    warnings.append(f"当前数据库已损坏，已原样另存为 {kept_aside}。")
    _replace_damaged(db_path, backup_file)
    return kept_aside


def _restore_into(db_path: Path, backup_file: Path) -> None:
    live = sqlite3.connect(db_path)
    live.isolation_level = None
    try:
        _restore_into_connection(live, backup_file, db_path)
    finally:
        live.close()


def _restore_into_connection(live: sqlite3.Connection, backup_file: Path, db_path: Path) -> None:
    """One backup step copies every page in one journalled transaction of the live file;
    then WAL mode is switched back on and the result checked."""
    source = connect_ro(backup_file)
    try:
        source.backup(live)
        if _page_size(live) != _page_size(source):
            raise EnvironmentProblem(f"恢复后页面大小不一致，请联系技术支持：{db_path}")
    except sqlite3.DatabaseError as exc:
        raise EnvironmentProblem(f"恢复失败，当前数据库未改动：{exc}") from exc
    finally:
        source.close()
    live.execute("PRAGMA journal_mode = WAL")
    problems = [str(row[0]) for row in live.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise EnvironmentProblem(f"恢复后的数据库未通过检查（{problems[0]}）：{db_path}")


def _audit_restore(
    db_path: Path, backup_file: Path, kept_aside: Path | None, upgraded_from: str | None
) -> str:
    """Open the restored file (which upgrades an older backup, keeping a before-upgrade
    copy) and audit the restore, signed with the database's key where this PC can open
    it; otherwise the restore is only in the backup folder's log (the warning returned)."""
    aside = f"，恢复前的数据库另存为 {kept_aside.name}" if kept_aside else ""
    upgraded = f"，并从结构版本 {upgraded_from} 升级" if upgraded_from else ""
    db = open_database(db_path)
    try:
        with contextlib.suppress(FrontDeskError):
            data_key.unlock(db, os.environ.get(PASSPHRASE_VARIABLE))
        with db.write(SYSTEM) as session:
            write_entry(
                session.connection(),
                SYSTEM,
                "restore",
                "database",
                backup_file.name[:40],
                f"从备份 {backup_file.name} 恢复数据库{aside}{upgraded}",
            )
    except KeyUnavailable:
        return "本机没有打开这个数据库的密钥，恢复未能记入审计日志（已记在备份文件夹的记录中）。"
    finally:
        db.dispose()
    return ""


__all__: Sequence[str] = (
    "HEAD_REVISION",
    "RestoreRefused",
    "RestoreResult",
    "check_backup_file",
    "restore_backup",
)
