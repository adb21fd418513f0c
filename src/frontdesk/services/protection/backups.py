"""Backups: verified copies of the live database and its stored files.

A backup is taken with SQLite's online backup API (safe while this and other
counters keep working) into `<folder>/.<name>.partial`, checked there (integrity,
a FrontDesk file, the row counts of the snapshot it was taken from), flushed to
disk and only then renamed to its final name, `frontdesk-20261126-013000-daily.sqlite`.
So a file with a final name is always a whole, verified backup.

The stored files (`<database>-files/`: issued documents and scans, named by their
hash and never changed) go to `<folder>/files/` with the same relative paths; a
file already there is not copied again, so daily backups share one store. At each
rotation a stored file that no backup left in the folder refers to is deleted, so
an erased document leaves the backups when the last copy that held it is rotated out.

Taking, placing and restoring copies of the whole file is for 主管 and 系统管理员
(`Permission.MANAGE_BACKUPS`), and each is audited; the scheduled backups run as
the system account. A backup killed half-way leaves `.<name>.<host>-<pid>.partial`:
`clean_leftovers` (run whenever the database is opened) deletes those of processes
that are gone.

The default folder is `backups/` beside the database; a second one (USB disk,
NAS) is kept in `<database stem>.backup.json` beside the database
(backup_folder.py). Each folder has a small log of verified backups
(`<stem>.backups.json`, backup_log.py) whose last audit entry lets `frontdesk check`
notice audit entries cut from the end of the log. Rotation is backup_rotation.py,
what a file holds backup_contents.py, and restoring restore.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import socket
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database
from frontdesk.db.migrate import inspect_file
from frontdesk.db.pg_tools import is_server
from frontdesk.domain import clock
from frontdesk.domain.backups import KIND_LABELS, format_size
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import DamagedDatabase, FrontDeskError, UserError
from frontdesk.services.access import require
from frontdesk.services.protection.backup_folder import (
    FILES_NAME,
    KINDS,
    SQLITE_SUFFIX,
    backup_name,
    database_path,
    files_dir_of,
    folder_for,
    older_than,
    parse_name,
    settings_for,
)
from frontdesk.services.protection.backup_log import Snapshot, log_backup
from frontdesk.services.protection.backup_rotation import prune
from frontdesk.services.protection.safe_files import (
    connect_ro,
    fsync_file,
    fsync_folder,
    integrity_problems,
    sync_files,
)

# Row counts compared between the live snapshot and its copy.
KEY_TABLES = ("app_user", "room", "person", "bill", "payment", "receipt", "audit_log")


# A half-written copy: `.<final name>.<host>-<pid>.partial` (and its -journal, -wal, -shm).
_PARTIAL = re.compile(
    r"^\.(?P<name>.+\.(?:sqlite|dump))\.(?P<host>[0-9a-f]{8})-(?P<pid>\d+)\.partial(?:-journal|-wal|-shm)?$"
)
STALE_PARTIAL_SECONDS = 24 * 3600  # another PC's leftover: surely dead after a day


class BackupFailed(UserError):
    """A backup could not be written or did not verify; names the folder or problem."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    kind: str
    taken_at: datetime  # local time, as in the file name
    files_copied: int  # stored files new to the backup folder's store
    second_copy: Path | None = None
    warnings: tuple[str, ...] = ()  # e.g. the second folder was missing
    verified: str = "全面检查并核对行数"  # how: a server's dump may only have been listed


def _read_snapshot(connection: sqlite3.Connection) -> Snapshot:
    snapshot = Snapshot()
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    for table in KEY_TABLES:
        if table in tables:
            snapshot.counts[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[
                0
            ]
    if "audit_log" in tables:
        row = connection.execute(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is not None:
            snapshot.audit_id, snapshot.audit_hash = int(row[0]), str(row[1])
    return snapshot


def sound_revision(path: Path) -> str:
    """The schema revision of a FrontDesk file that is not empty and not damaged;
    otherwise a FrontDeskError whose message names what is wrong (for a backup just
    written and for one about to be restored alike)."""
    if not path.exists() or path.stat().st_size == 0:
        raise UserError("文件是空的。")
    try:
        revision = inspect_file(path)
    except DamagedDatabase as exc:
        raise UserError("文件已损坏（不完整，或其中没有任何数据）。") from exc
    if revision is None:
        raise UserError("文件是空的。")
    problems = integrity_problems(path)
    if problems:
        raise UserError(f"文件已损坏（{problems[0]}）。")
    return revision


def _verify(path: Path, expected: Snapshot) -> None:
    """Raise BackupFailed unless the copy is sound, ours, and holds the snapshot's rows."""
    try:
        sound_revision(path)
    except FrontDeskError as exc:
        raise BackupFailed(f"备份校验失败：{exc.message}（{path}）") from exc
    connection = connect_ro(path)
    try:
        copied = _read_snapshot(connection)
    finally:
        connection.close()
    for table, count in expected.counts.items():
        if copied.counts.get(table) != count:
            raise BackupFailed(
                f"备份校验失败（表 {table} 应有 {count} 行，备份中为 "
                f"{copied.counts.get(table, 0)} 行）：{path}"
            )
    if (copied.audit_id, copied.audit_hash) != (expected.audit_id, expected.audit_hash):
        raise BackupFailed(f"备份校验失败（审计日志末条不一致）：{path}")


def free_name(
    folder: Path, stem: str, taken_at: datetime, kind: str, suffix: str = SQLITE_SUFFIX
) -> Path:
    n = 0
    while (target := folder / backup_name(stem, taken_at, kind, n, suffix)).exists():
        n += 1
    return target


def check_space(folder: Path, needed: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < needed + needed // 10:
        raise BackupFailed(
            f"备份文件夹所在磁盘空间不足（需要约 {needed // 1_048_576 + 1} MB）：{folder}"
        )


def prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupFailed(f"无法创建备份文件夹 {folder}：{exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK):
        raise BackupFailed(f"备份文件夹不可写：{folder}")


def _online_copy(source: sqlite3.Connection, temporary: Path) -> Snapshot:
    """Copy the source's current snapshot (counted in the same read transaction) to a
    self-contained file (rollback journal, no -wal beside it)."""
    source.execute("BEGIN")
    try:
        snapshot = _read_snapshot(source)
        destination = sqlite3.connect(temporary)
        try:
            source.backup(destination)
            destination.isolation_level = None
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
    finally:
        source.execute("COMMIT")
    return snapshot


def _backup_into(
    source: sqlite3.Connection, folder: Path, stem: str, taken_at: datetime, kind: str
) -> tuple[Path, Snapshot]:
    """Write, verify, flush, then give the backup its final name in `folder`."""
    prepare_folder(folder)
    target = free_name(folder, stem, taken_at, kind)
    temporary = partial_path(target)
    try:
        snapshot = _online_copy(source, temporary)
        _verify(temporary, snapshot)
        fsync_file(temporary)
        os.replace(temporary, target)
        fsync_folder(folder)
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(f"备份失败：{exc}（{folder}）") from exc
    except OSError as exc:
        raise BackupFailed(f"无法写入备份文件夹 {folder}：{exc.strerror or exc}") from exc
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    return target, snapshot


def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def partial_path(target: Path) -> Path:
    """Where a copy is written before it is verified and given its final name: hidden,
    and naming this PC and process so that a leftover can be told from a copy that
    another counter is still writing."""
    return target.with_name(f".{target.name}.{_host_tag()}-{os.getpid()}.partial")


def process_alive(pid: int) -> bool:
    """The process `pid` on this PC is still running."""
    if pid == os.getpid():
        return True
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        alive = kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) and code.value == 259
        kernel32.CloseHandle(handle)
        return bool(alive)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # killed but not yet reaped by its parent (a zombie): it writes nothing more
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:  # no /proc (macOS): alive as far as can be told
        return True


def _leftover(path: Path, stem: str) -> bool:
    """A half-written copy of `stem`'s database whose writer is gone: killed on this
    PC, or older than a day (another PC's; no backup takes that long)."""
    match = _PARTIAL.match(path.name)
    if match is None:
        return False
    parsed = parse_name(match["name"])
    if parsed is None or parsed[0] != stem:
        return False
    if match["host"] == _host_tag() and not process_alive(int(match["pid"])):
        return True
    return older_than(path, STALE_PARTIAL_SECONDS)  # another PC's, or a pid used again since


def clean_leftovers(db_path: Path) -> list[Path]:
    """Delete the half-written backups of this database that a killed backup left in
    its backup folders (a whole copy of the personal data, never rotated). Run when
    the database is opened; half-copied stored files go at the next rotation."""
    settings = settings_for(db_path)
    folders = [settings.folder, *([settings.second_folder] if settings.second_folder else [])]
    deleted: list[Path] = []
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            if path.is_file() and _leftover(path, db_path.stem):
                with contextlib.suppress(OSError):
                    path.unlink()
                    deleted.append(path)
    return deleted


def _copy_verified(backup: Path, folder: Path, snapshot: Snapshot) -> Path:
    """A second copy of a verified backup (the same bytes), verified again there."""
    prepare_folder(folder)
    parsed = parse_name(backup.name)
    assert parsed is not None
    target = free_name(folder, parsed[0], parsed[1], parsed[2])
    temporary = partial_path(target)
    try:
        shutil.copyfile(backup, temporary)
        fsync_file(temporary)
        _verify(temporary, snapshot)
        os.replace(temporary, target)
        fsync_folder(folder)
    except OSError as exc:
        raise BackupFailed(f"无法写入备份文件夹 {folder}：{exc.strerror or exc}") from exc
    finally:
        if temporary.exists():
            temporary.unlink()
    return target


def make_backup(
    db: Database, actor: Actor, kind: str = "manual", to: Path | None = None
) -> BackupResult:
    """Back up the live database and its stored files, verified, into the backup folder
    (`to` instead when given); a second folder, when set, gets a copy too — a problem
    there is a warning in the result, never a lost first backup. Audited as `actor`
    (the system account for the scheduled ones); a copy whose entry cannot be
    written is deleted again: no copy of the data without its trace."""
    require(actor, Permission.MANAGE_BACKUPS)
    if kind not in KINDS:
        raise ValueError(kind)
    if is_server(db.engine.url):
        from frontdesk.services.protection import server_backups

        return server_backups.make_server_backup(db, actor, kind, to)
    db_path = database_path(db)
    settings = settings_for(db_path)
    first = to.expanduser() if to is not None else settings.folder
    source = connect_ro(db_path)
    try:
        path, taken_at, snapshot, files_copied = _take(source, db_path, first, kind)
    finally:
        source.close()
    second = settings.second_folder if to is None and kind != "before-restore" else None
    second_copy, warning = None, ""
    if second is not None:
        second_copy, warning = _second_copy(db_path, path, second, taken_at, snapshot)
    size, warnings = path.stat().st_size, (warning,) if warning else ()
    result = BackupResult(path, size, kind, taken_at, files_copied, second_copy, warnings)
    audit_or_delete(db, actor, result)
    # Rotation only once the new backups are there for good (audited).
    if to is None:
        prune(first, taken_at, db_path.stem, keep=path)
    if second_copy is not None:
        with contextlib.suppress(OSError):
            prune(second_copy.parent, taken_at, db_path.stem, keep=second_copy)
    return result


def _audit_backup(db: Database, actor: Actor, result: BackupResult) -> None:
    label = KIND_LABELS.get(result.kind, result.kind)
    second = f"；第二备份位置 {result.second_copy}" if result.second_copy else ""
    summary = f"备份数据库（{label}）到 {result.path}（{format_size(result.size)}，已校验）{second}"
    with db.write(actor) as session:
        write_entry(session.connection(), actor, "backup", "database", result.kind, summary)


def audit_or_delete(db: Database, actor: Actor, result: BackupResult) -> None:
    """Audit a backup just taken; a copy whose entry cannot be written is deleted again."""
    try:
        _audit_backup(db, actor, result)
    except BaseException:
        for made in (result.path, result.second_copy):
            if made is not None:
                made.unlink(missing_ok=True)
        raise


def keep_aside(live: sqlite3.Connection, db_path: Path) -> Path:
    """A before-restore backup of the live file, through the caller's connection."""
    return _take(live, db_path, folder_for(db_path), "before-restore")[0]


def _take(
    source: sqlite3.Connection, db_path: Path, folder: Path, kind: str
) -> tuple[Path, datetime, Snapshot, int]:
    """Back up `source` (the database at `db_path`) into `folder`, verified and logged,
    with the stored files: (the backup, when, its snapshot, stored files copied)."""
    taken_at = clock.wall_now().replace(microsecond=0)
    prepare_folder(folder)
    check_space(folder, db_path.stat().st_size)
    path, snapshot = _backup_into(source, folder, db_path.stem, taken_at, kind)
    files_copied = _sync_store(db_path, folder)
    log_backup(folder, path, taken_at, snapshot)
    return path, taken_at, snapshot, files_copied


def _sync_store(db_path: Path, folder: Path) -> int:
    try:
        return sync_files(files_dir_of(db_path), folder / FILES_NAME)
    except OSError as exc:
        raise BackupFailed(
            f"数据库已备份，但存档文件未能复制到 {folder / FILES_NAME}：{exc.strerror or exc}"
        ) from exc


def _second_copy(
    db_path: Path, backup: Path, folder: Path, taken_at: datetime, snapshot: Snapshot
) -> tuple[Path | None, str]:
    if not folder.is_dir():
        return (
            None,
            f"第二备份位置不可用（U盘或网络盘未连接？）：{folder}。本次只备份到了第一位置。",
        )
    try:
        copy = _copy_verified(backup, folder, snapshot)
        _sync_store(db_path, folder)
        log_backup(folder, copy, taken_at, snapshot)
    except FrontDeskError as exc:
        return None, f"第二备份位置未能备份：{exc.message}。本次只备份到了第一位置。"
    except OSError as exc:
        return None, f"第二备份位置未能备份（{exc.strerror or exc}）：{folder}。"
    return copy, ""


def keep_damaged_aside(db_path: Path) -> Path:
    """A live file too damaged for the backup API: its raw bytes are kept instead."""
    folder = folder_for(db_path)
    prepare_folder(folder)
    target = free_name(folder, db_path.stem, clock.wall_now().replace(microsecond=0), "damaged")
    shutil.copyfile(db_path, target)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target
