"""Restore: a verified backup copied *into* the live database file.

The copy goes through SQLite's online backup API, which journals the destination,
so a crash leaves the old or the new content, never a mixture. The current database
is first kept aside as a before-restore backup (or, too damaged for that, byte for
byte), and an older backup is upgraded to this program's schema.

Restoring is for 主管 and 系统管理员 and is audited in the restored file. Before the
copy a note `.<database name>.restoring.json` is left beside the database; a restore
killed part-way is finished (or, if the copy never happened, forgotten) by
`finish_interrupted`, which runs whenever the database is opened, so the restored
file always carries its restore entry and the backup log knows of the restore (the
older backups' audit anchors no longer apply to it).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database
from frontdesk.db.migrate import HEAD_REVISION, open_database
from frontdesk.db.models import AuditEntry
from frontdesk.db.pg_tools import is_server
from frontdesk.db.protection import KeyUnavailable
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Permission, Role
from frontdesk.errors import EnvironmentProblem, FrontDeskError, UserError
from frontdesk.services.access import require
from frontdesk.services.protection import backup_folder, backup_log, backups, data_key
from frontdesk.services.protection.backup_contents import Contents, contents_of
from frontdesk.services.protection.safe_files import (
    connect_ro,
    fsync_file,
    fsync_folder,
    integrity_problems,
    sync_files,
    write_atomically,
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


@dataclass(frozen=True)
class RestorePlan:
    """What a supervisor confirms: the backup, checked, and what it holds beside the
    database it would replace."""

    db_path: Path
    backup: Contents
    current: Contents | None  # None where there is no database yet
    revision: str  # the backup's schema revision

    @property
    def upgrades(self) -> bool:
        return self.revision != HEAD_REVISION


def plan_restore(db: Database, actor: Actor, backup_file: Path) -> RestorePlan:
    """Everything checked before the supervisor is asked to confirm a restore over the
    open database `db`: the permission, the backup file, what it and the database
    hold, and that no other counter (here or on another PC) has the database open —
    the check `restore_backup` makes again, done with this program's idle connections
    closed (`db` stays usable)."""
    require(actor, Permission.MANAGE_BACKUPS)
    if is_server(db.engine.url):
        raise RestoreRefused(
            "服务器上的数据库请在命令行恢复：先关闭所有电脑上的物业前台，再运行 "
            f"frontdesk restore 备份文件.dump --db {db.url}"
        )
    db_path = backup_folder.database_path(db)
    backup_file = backup_file.expanduser().resolve()
    if backup_file == db_path:
        raise RestoreRefused("备份文件就是当前数据库本身，无需恢复。")
    revision = check_backup_file(backup_file)
    db.engine.dispose()  # this program's own idle connections: they are no other counter
    check_not_in_use(db_path)
    current = contents_of(db_path) if db_path.exists() else None
    return RestorePlan(db_path, contents_of(backup_file), current, revision)


def check_not_in_use(db_path: Path) -> None:
    """Refuse while any other connection has the database file open (a counter on this
    or another PC): SQLite lets a file leave WAL mode only then. The file is put back
    in WAL mode; a file SQLite cannot read at all is left for the restore to handle."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    live = sqlite3.connect(db_path, timeout=2)
    live.isolation_level = None
    try:
        try:
            _take_exclusive(live, db_path)
        except sqlite3.DatabaseError:
            return  # damaged: restore_backup keeps it aside byte for byte
        live.execute("PRAGMA journal_mode = WAL")
    finally:
        live.close()


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


def restore_backup(db_path: Path, backup_file: Path, actor: Actor) -> RestoreResult:
    """Replace the database at `db_path` with a backup, after checking the backup and
    keeping the current database aside as a before-restore backup. Every counter must
    be closed. An older backup is upgraded to this program's schema."""
    require(actor, Permission.MANAGE_BACKUPS)
    db_path = db_path.expanduser().resolve()
    backup_file = backup_file.expanduser().resolve()
    if backup_file == db_path:
        raise RestoreRefused("备份文件就是当前数据库本身，无需恢复。")
    revision = check_backup_file(backup_file)
    if not db_path.parent.is_dir():
        raise RestoreRefused(f"数据库所在的文件夹不存在：{db_path.parent}")
    finish_interrupted(db_path, starting_again=True)
    note: dict[str, Any] = {
        "backup": str(backup_file),
        "revision": revision,
        "actor": {
            "user_id": actor.user_id,
            "username": actor.username,
            "display_name": actor.display_name,
            "role": actor.role.value,
        },
        "before": _audit_tail(db_path),
        "backup_tail": _audit_tail(backup_file, read_only=True),
        "started": clock.wall_now().isoformat(timespec="seconds"),
        "kept_aside": None,
        "warnings": [],
    }

    def before_copy(kept_aside: Path | None, warnings: list[str]) -> None:
        note["kept_aside"] = str(kept_aside) if kept_aside else None
        note["warnings"] = warnings
        write_atomically(_note_path(db_path), json.dumps(note, ensure_ascii=False, indent=1))

    if db_path.exists() and db_path.stat().st_size > 0:
        _restore_over(db_path, backup_file, before_copy)
    else:
        before_copy(None, [])
        _restore_into(db_path, backup_file)
    return _finish(db_path, note)


def _note_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.restoring.json")


def _audit_tail(path: Path, *, read_only: bool = False) -> list[Any] | None:
    """[id, hash] of a file's newest audit entry (as the restore note keeps it); the
    live file read-write, so that a hot journal left by a killed copy is rolled back."""
    newest = backup_log.newest_audit_entry(path, read_only=read_only)
    return [newest[0], newest[1]] if newest else None


def _finish(db_path: Path, note: dict[str, Any]) -> RestoreResult:
    """The steps after the copy, each safe to run again: the stored files, the audit
    entry in the restored file, the backup log; then the note goes."""
    backup_file = Path(note["backup"])
    files_copied = sync_files(
        backup_file.parent / backup_folder.FILES_NAME, backup_folder.files_dir_of(db_path)
    )
    revision = str(note["revision"])
    upgraded_from = revision if revision != HEAD_REVISION else None
    kept_aside = Path(note["kept_aside"]) if note.get("kept_aside") else None
    data = note["actor"]
    actor = Actor(data["user_id"], data["username"], data["display_name"], Role(data["role"]))
    tail = note.get("backup_tail")
    unaudited = _audit_restore(
        db_path,
        backup_file,
        kept_aside,
        upgraded_from,
        actor,
        int(tail[0]) if tail else 0,
        bool(note.get("resumed")),
    )
    backup_log.log_restore(db_path, backup_file)
    _note_path(db_path).unlink(missing_ok=True)
    warnings = tuple(str(w) for w in note.get("warnings", ())) + ((unaudited,) if unaudited else ())
    return RestoreResult(backup_file, kept_aside, upgraded_from, files_copied, warnings)


def finish_interrupted(db_path: Path, *, starting_again: bool = False) -> RestoreResult | None:
    """Finish a restore that was killed after it began replacing the file: the copy
    happened (the file's audit log ends where the backup's did, or with this restore's
    entry) → the remaining steps are done now; it did not (the file ends where it
    ended before, or a new file was left empty) → the note is dropped. A file in
    neither state (damaged) keeps the note unless a new restore is `starting_again`.
    Returns the finished restore, None otherwise."""
    note_file = _note_path(db_path)
    # A damaged file's replacement copied beside it but never renamed into place.
    db_path.with_name(f".{db_path.name}.restoring").unlink(missing_ok=True)
    try:
        note = json.loads(note_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        note = None
    if not isinstance(note, dict) or "backup" not in note or "actor" not in note:
        note_file.unlink(missing_ok=True)
        return None
    copied = _copied(db_path, note)
    if copied:
        note["resumed"] = True
        return _finish(db_path, note)
    if copied is False or starting_again:
        note_file.unlink(missing_ok=True)
    return None


def _copied(db_path: Path, note: dict[str, Any]) -> bool | None:
    before, target, now = note.get("before"), note.get("backup_tail"), _audit_tail(db_path)
    if now is not None and now == target:
        return True
    if now == before and now is not None:
        return False
    if now is not None and target is not None and _restore_entry_after(db_path, note):
        return True
    if now is None and not _holds_tables(db_path):
        if before is None and db_path.exists():
            db_path.unlink()  # a new file the killed copy left empty: as if never begun
        return False
    return None


def _restore_entry_after(db_path: Path, note: dict[str, Any]) -> bool:
    connection = sqlite3.connect(db_path, timeout=2)
    try:
        row = connection.execute(
            "SELECT 1 FROM audit_log WHERE id > ? AND action = 'restore' AND entity_id = ?",
            (int(note["backup_tail"][0]), Path(note["backup"]).name[:40]),
        ).fetchone()
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()
    return row is not None


def _holds_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        connection = sqlite3.connect(path, timeout=2)
        try:
            return bool(connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return True  # damaged, not empty: left for the user to see


def _restore_over(
    db_path: Path,
    backup_file: Path,
    before_copy: Callable[[Path | None, list[str]], None],
) -> Path:
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
            before_copy(kept_aside, [])
            _restore_into_connection(live, backup_file, db_path)
            return kept_aside
    finally:
        live.close()
    kept_aside = backups.keep_damaged_aside(db_path)
    before_copy(kept_aside, [f"当前数据库已损坏，已原样另存为 {kept_aside}。"])
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
    db_path: Path,
    backup_file: Path,
    kept_aside: Path | None,
    upgraded_from: str | None,
    actor: Actor,
    backup_tail_id: int,
    resumed: bool,
) -> str:
    """Open the restored file (which upgrades an older backup, keeping a before-upgrade
    copy) and audit the restore, once: an entry already written after the backup's
    own last one is not written again. Signed with the database's key where this PC
    can open it; otherwise the restore is only in the backup folder's log (the warning
    returned)."""
    aside = f"，恢复前的数据库另存为 {kept_aside.name}" if kept_aside else ""
    upgraded = f"，并从结构版本 {upgraded_from} 升级" if upgraded_from else ""
    late = "（恢复过程被中断，于下次打开数据库时完成）" if resumed else ""
    entity_id = backup_file.name[:40]
    db = open_database(db_path)
    try:
        with contextlib.suppress(FrontDeskError):
            data_key.unlock(db, os.environ.get(data_key.PASSPHRASE_VARIABLE))
        with db.write(actor) as session:
            done = session.scalar(
                select(AuditEntry.id).where(
                    AuditEntry.id > backup_tail_id,
                    AuditEntry.action == "restore",
                    AuditEntry.entity_id == entity_id,
                )
            )
            if done is None:
                write_entry(
                    session.connection(),
                    actor,
                    "restore",
                    "database",
                    entity_id,
                    f"从备份 {backup_file.name} 恢复数据库{aside}{upgraded}{late}",
                )
    except KeyUnavailable:
        return "本机没有打开这个数据库的密钥，恢复未能记入审计日志（已记在备份文件夹的记录中）。"
    finally:
        db.dispose()
    return ""


__all__: Sequence[str] = (
    "HEAD_REVISION",
    "RestorePlan",
    "RestoreRefused",
    "RestoreResult",
    "check_backup_file",
    "check_not_in_use",
    "finish_interrupted",
    "plan_restore",
    "restore_backup",
)
