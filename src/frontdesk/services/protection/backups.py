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
NAS) is kept in `<database stem>.backup.json` beside the database. Each folder has
a small log of verified backups (`<stem>.backups.json`) whose last audit entry
lets `frontdesk check` notice audit entries cut from the end of the log.
Restoring is services/protection/restore.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database
from frontdesk.db.migrate import inspect_file
from frontdesk.domain import clock
from frontdesk.domain.backups import KIND_LABELS, format_size
from frontdesk.domain.money import format_yuan
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import (
    DamagedDatabase,
    EnvironmentProblem,
    FrontDeskError,
    UserError,
    ValidationError,
)
from frontdesk.services.access import require
from frontdesk.services.protection.safe_files import (
    connect_ro,
    fsync_file,
    fsync_folder,
    integrity_problems,
    sync_files,
    write_atomically,
)

KINDS = ("daily", "close", "manual", "before-restore")
PROTECTED_KINDS = ("before-restore", "before-upgrade")
FOLDER_NAME = "backups"
FILES_NAME = "files"
KEEP_DAYS, KEEP_WEEKS, KEEP_MONTHS = 7, 4, 12
PROTECT_DAYS = 30
# Row counts compared between the live snapshot and its copy.
KEY_TABLES = ("app_user", "room", "person", "bill", "payment", "receipt", "audit_log")
LOG_LIMIT = 200  # entries kept in a folder's log
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>[a-z]+(?:-[a-z]+)*)(?:-(?P<n>\d+))?\.sqlite$"
)
_STAMP = "%Y%m%d-%H%M%S"
# A half-written copy: `.<final name>.<host>-<pid>.partial` (and its -journal, -wal, -shm).
_PARTIAL = re.compile(
    r"^\.(?P<name>.+\.sqlite)\.(?P<host>[0-9a-f]{8})-(?P<pid>\d+)\.partial(?:-journal|-wal|-shm)?$"
)
STALE_PARTIAL_SECONDS = 24 * 3600  # another PC's leftover: surely dead after a day
# Where the stored files of each kind live, relative to the files folder, by hash.
STORE_FOLDERS = ("documents", "attachments")


class BackupFailed(UserError):
    """A backup could not be written or did not verify; names the folder or problem."""


@dataclass(frozen=True)
class BackupSettings:
    folder: Path  # the first folder: `backups/` beside the database
    second_folder: Path | None  # USB disk, NAS; None when not set


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    kind: str
    taken_at: datetime  # local time, as in the file name
    files_copied: int  # stored files new to the backup folder's store
    second_copy: Path | None = None
    warnings: tuple[str, ...] = ()  # e.g. the second folder was missing


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    kind: str
    size: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class AuditAnchor:
    """The newest audit entry a verified backup saw: it must still be in the log."""

    backup: str
    taken_at: datetime
    audit_id: int
    audit_hash: str
    # Read from the backup file itself (not the folder's log), with its entry's time (UTC).
    in_file: bool = False
    entry_at: datetime | None = None


@dataclass
class _Snapshot:
    counts: dict[str, int] = field(default_factory=dict)
    audit_id: int = 0
    audit_hash: str = ""


# paths and settings -------------------------------------------------------------


def database_path(db: Database) -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise EnvironmentProblem("内存数据库不能备份。")
    return Path(database).resolve()


def files_dir_of(db_path: Path) -> Path:
    """`Database.files_dir` for a database file that is not open."""
    return db_path.with_name(f"{db_path.stem}-files")


def _settings_file(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}.backup.json")


def _settings_for(db_path: Path) -> BackupSettings:
    second: Path | None = None
    try:
        data = json.loads(_settings_file(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if isinstance(data, dict) and isinstance(data.get("second_folder"), str):
        second = Path(data["second_folder"])
    return BackupSettings(db_path.parent / FOLDER_NAME, second)


def folder_for(db_path: Path) -> Path:
    """The first backup folder of a database file (open or not)."""
    return _settings_for(db_path).folder


def backup_settings(db: Database) -> BackupSettings:
    return _settings_for(database_path(db))


def set_second_folder(db: Database, actor: Actor, folder: Path | None) -> BackupSettings:
    """Keep (or with None, stop) a second copy of every backup in this folder."""
    require(actor, Permission.MANAGE_BACKUPS)
    db_path = database_path(db)
    settings = _settings_for(db_path)
    if folder is not None:
        folder = folder.expanduser()
        if not folder.is_absolute():
            raise ValidationError("第二备份位置", f"请选择完整的文件夹路径：{folder}")
        if not folder.is_dir():
            raise ValidationError("第二备份位置", f"文件夹不存在：{folder}")
        if not os.access(folder, os.W_OK):
            raise ValidationError("第二备份位置", f"文件夹不可写：{folder}")
        if folder.resolve() == settings.folder.resolve():
            raise ValidationError("第二备份位置", "不能与第一备份位置相同，请选择U盘或网络盘")
    data = {"second_folder": str(folder)} if folder is not None else {}
    summary = (
        f"设置第二备份位置：{folder}（每次自动备份同时复制一份）"
        if folder is not None
        else f"不再使用第二备份位置（原为 {settings.second_folder or '未设置'}）"
    )
    # The entry and the setting together: a setting that cannot be saved is not logged.
    with db.write(actor) as session:
        write_entry(session.connection(), actor, "update", "backup_settings", "", summary)
        try:
            text = json.dumps(data, ensure_ascii=False, indent=1)
            write_atomically(_settings_file(db_path), text)
        except OSError as exc:
            raise EnvironmentProblem(f"无法保存备份设置：{exc.strerror or exc}") from exc
    return BackupSettings(settings.folder, folder)


# names and listing ----------------------------------------------------------------


def backup_name(stem: str, taken_at: datetime, kind: str, n: int = 0) -> str:
    suffix = f"-{n}" if n else ""
    return f"{stem}-{taken_at.strftime(_STAMP)}-{kind}{suffix}.sqlite"


def parse_name(name: str) -> tuple[str, datetime, str] | None:
    """(database stem, local time, kind) of a backup's file name; None for other files."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        taken_at = datetime.strptime(match["stamp"], _STAMP)
    except ValueError:
        return None
    return match["stem"], taken_at, match["kind"]


def _order(name: str, taken_at: datetime) -> tuple[datetime, int, str]:
    """Newer first by time, then by the -1, -2 … of backups taken in the same second."""
    match = _NAME.match(name)
    return taken_at, int(match["n"] or 0) if match else 0, name


def list_backups(folder: Path, stem: str | None = None) -> list[BackupFile]:
    """The backups in a folder (of one database when `stem` is given), newest first."""
    found: list[BackupFile] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        parsed = parse_name(path.name)
        if parsed is None or (stem is not None and parsed[0] != stem) or not path.is_file():
            continue
        found.append(BackupFile(path, parsed[1], parsed[2], path.stat().st_size))
    return sorted(found, key=lambda b: _order(b.path.name, b.taken_at), reverse=True)


def backups_of(db: Database) -> list[BackupFile]:
    db_path = database_path(db)
    return list_backups(backup_settings(db).folder, db_path.stem)


def last_good_backup(db: Database) -> datetime | None:
    """When the newest verified backup in the first folder was taken (local time)."""
    found = backups_of(db)
    return found[0].taken_at if found else None


def backup_due(db: Database, now: datetime | None = None) -> bool:
    """No backup has been taken today yet."""
    now = now or clock.wall_now()
    last = last_good_backup(db)
    return last is None or last.date() < now.date()


# rotation -------------------------------------------------------------------------


def _protected(name: str) -> bool:
    parsed = parse_name(name)
    kind = parsed[2] if parsed else ""
    return kind in PROTECTED_KINDS or any(k in name for k in PROTECTED_KINDS)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def choose_kept(backups: Iterable[tuple[str, datetime]], now: datetime) -> set[str]:
    """Which backups rotation keeps: the newest of each of the last 7 days, 4 weeks and
    12 months, the newest overall, anything dated in the future, and before-restore /
    before-upgrade copies younger than 30 days. Pure: no files are touched."""
    entries = sorted(backups, key=lambda e: _order(e[0], e[1]), reverse=True)
    kept: set[str] = set()
    if not entries:
        return kept
    kept.add(entries[0][0])
    today = now.date()
    this_week = today - timedelta(days=today.weekday())
    buckets: set[tuple[str, int]] = set()
    for name, taken_at in entries:  # newest first: the first seen in a bucket wins
        if taken_at > now:
            kept.add(name)
            continue
        if _protected(name) and now - taken_at <= timedelta(days=PROTECT_DAYS):
            kept.add(name)
        day = taken_at.date()
        days_ago = (today - day).days
        weeks_ago = (this_week - (day - timedelta(days=day.weekday()))).days // 7
        months_ago = _month_index(today) - _month_index(day)
        for bucket, age, limit in (
            ("day", days_ago, KEEP_DAYS),
            ("week", weeks_ago, KEEP_WEEKS),
            ("month", months_ago, KEEP_MONTHS),
        ):
            if age < limit and (bucket, age) not in buckets:
                buckets.add((bucket, age))
                kept.add(name)
    return kept


def prune(
    folder: Path, now: datetime | None = None, stem: str | None = None, keep: Path | None = None
) -> list[Path]:
    """Delete the backups rotation does not keep (never `keep`, the one just taken),
    then the stored files no backup left in the folder refers to; returns the
    backups deleted."""
    now = now or clock.wall_now()
    found = list_backups(folder, stem)
    by_stem: dict[str, list[BackupFile]] = {}
    for backup in found:
        parsed = parse_name(backup.path.name)
        assert parsed is not None
        by_stem.setdefault(parsed[0], []).append(backup)
    deleted: list[Path] = []
    for group in by_stem.values():
        kept = choose_kept(((b.path.name, b.taken_at) for b in group), now)
        for backup in group:
            if backup.path.name in kept or backup.path == keep:
                continue
            try:
                backup.path.unlink()
            except OSError:
                continue
            deleted.append(backup.path)
    prune_store(folder)
    return deleted


def referenced_files(connection: sqlite3.Connection) -> set[str]:
    """The stored files a database (live or a backup, of any schema version) needs,
    as paths relative to its files folder: every issued document not yet erased,
    reminder copies and scans. Layouts: issued_documents.stored_path and
    attachments.stored_path."""
    tables = {
        name: {row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')}
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    documents: set[str] = set()
    if "sha256" in tables.get("issued_document", set()):
        erased = "purged_at" in tables["issued_document"]
        where = " WHERE purged_at IS NULL" if erased else ""
        documents |= {
            str(sha) for (sha,) in connection.execute(f"SELECT sha256 FROM issued_document{where}")
        }
    if "document_sha256" in tables.get("reminder", set()):
        documents |= {
            str(sha) for (sha,) in connection.execute("SELECT document_sha256 FROM reminder") if sha
        }
    found = {f"documents/{sha[:2]}/{sha}.pdf" for sha in documents}
    if "sha256" in tables.get("attachment", set()):
        found |= {
            f"attachments/{sha[:2]}/{sha}"
            for (sha,) in connection.execute("SELECT sha256 FROM attachment")
            if sha
        }
    return found


def prune_store(folder: Path) -> list[Path]:
    """Delete the files in `<folder>/files/` that no backup in the folder refers to
    (the store is shared by every database backed up there), and the leftovers of
    copies into it that were cut off. Nothing is deleted when a backup in the folder
    cannot be read: what it needs is not known."""
    store = folder / FILES_NAME
    if not store.is_dir():
        return []
    needed: set[str] = set()
    for backup in list_backups(folder):
        try:
            connection = connect_ro(backup.path)
            try:
                needed |= referenced_files(connection)
            finally:
                connection.close()
        except sqlite3.DatabaseError:
            return []
    deleted: list[Path] = []
    for kind in STORE_FOLDERS:
        for path in sorted((store / kind).rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(store).as_posix()
            leftover = path.name.startswith(".incoming-") and _old(path)
            if relative in needed or (path.name.startswith(".") and not leftover):
                continue
            with contextlib.suppress(OSError):
                path.unlink()
                deleted.append(path)
        for sub in sorted((store / kind).glob("*"), reverse=True):
            if sub.is_dir():
                with contextlib.suppress(OSError):
                    sub.rmdir()  # only when empty
    return deleted


def _old(path: Path, seconds: float = 3600) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


# taking a backup ------------------------------------------------------------------


def _read_snapshot(connection: sqlite3.Connection) -> _Snapshot:
    snapshot = _Snapshot()
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


def _verify(path: Path, expected: _Snapshot) -> None:
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


def _free_name(folder: Path, stem: str, taken_at: datetime, kind: str) -> Path:
    n = 0
    while (target := folder / backup_name(stem, taken_at, kind, n)).exists():
        n += 1
    return target


def _check_space(folder: Path, needed: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < needed + needed // 10:
        raise BackupFailed(
            f"备份文件夹所在磁盘空间不足（需要约 {needed // 1_048_576 + 1} MB）：{folder}"
        )


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupFailed(f"无法创建备份文件夹 {folder}：{exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK):
        raise BackupFailed(f"备份文件夹不可写：{folder}")


def _online_copy(source: sqlite3.Connection, temporary: Path) -> _Snapshot:
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
) -> tuple[Path, _Snapshot]:
    """Write, verify, flush, then give the backup its final name in `folder`."""
    _prepare_folder(folder)
    target = _free_name(folder, stem, taken_at, kind)
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


def _process_alive(pid: int) -> bool:
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
    if match["host"] == _host_tag() and not _process_alive(int(match["pid"])):
        return True
    return _old(path, STALE_PARTIAL_SECONDS)  # another PC's, or a pid used again since


def clean_leftovers(db_path: Path) -> list[Path]:
    """Delete the half-written backups of this database that a killed backup left in
    its backup folders (a whole copy of the personal data, never rotated). Run when
    the database is opened; half-copied stored files go at the next rotation."""
    settings = _settings_for(db_path)
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


def _copy_verified(backup: Path, folder: Path, snapshot: _Snapshot) -> Path:
    """A second copy of a verified backup (the same bytes), verified again there."""
    _prepare_folder(folder)
    parsed = parse_name(backup.name)
    assert parsed is not None
    target = _free_name(folder, parsed[0], parsed[1], parsed[2])
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
    db_path = database_path(db)
    settings = _settings_for(db_path)
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
    try:
        _audit_backup(db, actor, result)
    except BaseException:
        for made in (path, second_copy):
            if made is not None:
                made.unlink(missing_ok=True)
        raise
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


def keep_aside(live: sqlite3.Connection, db_path: Path) -> Path:
    """A before-restore backup of the live file, through the caller's connection."""
    return _take(live, db_path, folder_for(db_path), "before-restore")[0]


def _take(
    source: sqlite3.Connection, db_path: Path, folder: Path, kind: str
) -> tuple[Path, datetime, _Snapshot, int]:
    """Back up `source` (the database at `db_path`) into `folder`, verified and logged,
    with the stored files: (the backup, when, its snapshot, stored files copied)."""
    taken_at = clock.wall_now().replace(microsecond=0)
    _prepare_folder(folder)
    _check_space(folder, db_path.stat().st_size)
    path, snapshot = _backup_into(source, folder, db_path.stem, taken_at, kind)
    files_copied = _sync_store(db_path, folder)
    _log_backup(folder, path, taken_at, snapshot)
    return path, taken_at, snapshot, files_copied


def _sync_store(db_path: Path, folder: Path) -> int:
    try:
        return sync_files(files_dir_of(db_path), folder / FILES_NAME)
    except OSError as exc:
        raise BackupFailed(
            f"数据库已备份，但存档文件未能复制到 {folder / FILES_NAME}：{exc.strerror or exc}"
        ) from exc


def _second_copy(
    db_path: Path, backup: Path, folder: Path, taken_at: datetime, snapshot: _Snapshot
) -> tuple[Path | None, str]:
    if not folder.is_dir():
        return (
            None,
            f"第二备份位置不可用（U盘或网络盘未连接？）：{folder}。本次只备份到了第一位置。",
        )
    try:
        copy = _copy_verified(backup, folder, snapshot)
        _sync_store(db_path, folder)
        _log_backup(folder, copy, taken_at, snapshot)
    except FrontDeskError as exc:
        return None, f"第二备份位置未能备份：{exc.message}。本次只备份到了第一位置。"
    except OSError as exc:
        return None, f"第二备份位置未能备份（{exc.strerror or exc}）：{folder}。"
    return copy, ""


# the folder's log -------------------------------------------------------------------


def _log_path(folder: Path, stem: str) -> Path:
    return folder / f"{stem}.backups.json"


def _read_log(folder: Path, stem: str) -> dict[str, Any]:
    try:
        data = json.loads(_log_path(folder, stem).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"backups": [], "restores": []}
    if not isinstance(data, dict):
        return {"backups": [], "restores": []}
    data.setdefault("backups", [])
    data.setdefault("restores", [])
    return data


def _write_log(folder: Path, stem: str, data: dict[str, Any]) -> None:
    data["backups"] = data["backups"][-LOG_LIMIT:]
    data["restores"] = data["restores"][-LOG_LIMIT:]
    # The log only helps `frontdesk check`; the backup itself is complete without it.
    with contextlib.suppress(OSError):
        write_atomically(_log_path(folder, stem), json.dumps(data, ensure_ascii=False, indent=1))


def _log_backup(folder: Path, path: Path, taken_at: datetime, snapshot: _Snapshot) -> None:
    parsed = parse_name(path.name)
    assert parsed is not None
    data = _read_log(folder, parsed[0])
    data["backups"].append(
        {
            "file": path.name,
            "at": taken_at.isoformat(),
            "size": path.stat().st_size,
            "counts": snapshot.counts,
            "audit_id": snapshot.audit_id,
            "audit_hash": snapshot.audit_hash,
        }
    )
    _write_log(folder, parsed[0], data)


def audit_anchor(db: Database) -> AuditAnchor | None:
    """The newest audit entry seen by a verified backup since the last restore."""
    db_path = database_path(db)
    data = _read_log(_settings_for(db_path).folder, db_path.stem)
    restores = [str(r.get("at", "")) for r in data["restores"] if isinstance(r, dict)]
    last_restore = max(restores, default="")
    for entry in reversed(data["backups"]):
        if not isinstance(entry, dict) or str(entry.get("at", "")) <= last_restore:
            continue
        try:
            return AuditAnchor(
                str(entry["file"]),
                datetime.fromisoformat(str(entry["at"])),
                int(entry["audit_id"]),
                str(entry["audit_hash"]),
            )
        except (KeyError, TypeError, ValueError):
            continue
    return None


def last_restore(db: Database) -> datetime | None:
    """When the folder's log last noted a restore (local time)."""
    db_path = database_path(db)
    data = _read_log(_settings_for(db_path).folder, db_path.stem)
    restores = [str(r.get("at", "")) for r in data["restores"] if isinstance(r, dict)]
    try:
        return datetime.fromisoformat(max(restores)) if restores else None
    except ValueError:
        return None


def backup_file_anchors(db: Database) -> list[AuditAnchor]:
    """The newest backup in each backup folder, opened read-only: the last audit entry
    the file itself holds (an editor of the live database cannot reach it, and the
    folder's log beside it may have been emptied)."""
    db_path = database_path(db)
    settings = _settings_for(db_path)
    anchors = []
    for folder in (settings.folder, settings.second_folder):
        if folder is None:
            continue
        for backup in list_backups(folder, db_path.stem)[:1]:
            anchor = _file_anchor(backup)
            if anchor is not None:
                anchors.append(anchor)
    return anchors


def newest_audit_entry(path: Path, *, read_only: bool = True) -> tuple[int, str, str] | None:
    """(id, hash, time) of a file's newest audit entry; None for no file, no log or a file
    SQLite cannot read. `read_only=False` for a live file, so that a hot journal left by
    a killed copy is rolled back first (services/protection/restore.py)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        connection = connect_ro(path) if read_only else sqlite3.connect(path, timeout=2)
        try:
            row = connection.execute(
                "SELECT id, hash, at FROM audit_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return (int(row[0]), str(row[1]), str(row[2])) if row else None


def _file_anchor(backup: BackupFile) -> AuditAnchor | None:
    newest = newest_audit_entry(backup.path)
    if newest is None:
        return None  # not readable: `frontdesk check` cannot lean on it
    entry_id, entry_hash, at = newest
    entry_at = datetime.fromisoformat(at)
    return AuditAnchor(str(backup.path), backup.taken_at, entry_id, entry_hash, True, entry_at)


def log_restore(db_path: Path, backup_file: Path) -> None:
    """Note a restore: backups taken before it no longer vouch for the audit log's end."""
    folder = folder_for(db_path)
    data = _read_log(folder, db_path.stem)
    data["restores"].append(
        {"at": clock.wall_now().isoformat(timespec="seconds"), "from": str(backup_file)}
    )
    _write_log(folder, db_path.stem, data)


def keep_damaged_aside(db_path: Path) -> Path:
    """A live file too damaged for the backup API: its raw bytes are kept instead."""
    folder = folder_for(db_path)
    _prepare_folder(folder)
    target = _free_name(folder, db_path.stem, clock.wall_now().replace(microsecond=0), "damaged")
    shutil.copyfile(db_path, target)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target


# what a file holds ----------------------------------------------------------------


@dataclass(frozen=True)
class Contents:
    """What a database file or a backup holds, for the restore confirmation."""

    path: Path
    taken_at: datetime | None  # a backup's time (its name), else the file's last change
    households: int | None  # rooms with someone on file; None when unreadable
    last_receipt: str  # SJ00000012, "" for none
    last_payment_at: datetime | None  # local time
    last_payment_fen: int
    audit_entries: int
    problem: str = ""  # why the file could not be read

    def lines(self) -> list[str]:
        """备份时间 (最后修改 for a live file) / 住户 / 最后一笔收款, in Chinese."""
        if self.problem:
            return [f"无法读取：{self.problem}"]
        when = f"{self.taken_at:%Y-%m-%d %H:%M:%S}" if self.taken_at else "未知"
        if self.last_receipt:
            at = f"{self.last_payment_at:%Y-%m-%d %H:%M}" if self.last_payment_at else ""
            paid = f"{self.last_receipt}（{at}，{format_yuan(self.last_payment_fen)} 元）"
        else:
            paid = "没有收款记录"
        kind = "备份时间" if parse_name(self.path.name) else "最后修改"
        return [f"{kind}：{when}", f"住户：{self.households} 户", f"最后一笔收款：{paid}"]


def contents_of(path: Path) -> Contents:
    """Households, the last payment and its receipt, and when: read-only, from a file of
    any schema version; a file that cannot be read says why in `problem`."""
    parsed = parse_name(path.name)
    taken_at: datetime | None = parsed[1] if parsed else None
    empty = Contents(path, taken_at, None, "", None, 0, 0)
    try:
        if taken_at is None:  # a live file: when it last changed (its log included)
            wal = Path(f"{path}-wal")
            changed = max(p.stat().st_mtime for p in (path, wal) if p.exists())
            taken_at = datetime.fromtimestamp(changed).replace(microsecond=0)
        if path.stat().st_size == 0:
            return _with_problem(empty, "文件是空的")
        connection = connect_ro(path)
        try:
            return _read_contents(connection, path, taken_at)
        finally:
            connection.close()
    except OSError as exc:
        return _with_problem(empty, str(exc.strerror or exc))
    except sqlite3.DatabaseError as exc:
        return _with_problem(empty, f"文件已损坏或不是物业前台数据库（{exc}）")


def _with_problem(contents: Contents, problem: str) -> Contents:
    return replace(contents, problem=problem)


def _read_contents(connection: sqlite3.Connection, path: Path, taken_at: datetime) -> Contents:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    households = 0
    if "person" in tables:
        households = connection.execute("SELECT count(DISTINCT room_id) FROM person").fetchone()[0]
    last_receipt, last_at, last_fen = "", None, 0
    if {"payment", "receipt"} <= tables:
        row = connection.execute(
            "SELECT r.series, r.number, p.posted_at, p.total_fen FROM payment p "
            "JOIN receipt r ON r.payment_id = p.id ORDER BY p.posted_at DESC, p.id DESC LIMIT 1"
        ).fetchone()
        if row is not None:
            last_receipt = f"{row[0]}{int(row[1]):08d}"
            posted = datetime.fromisoformat(str(row[2]))  # stored as naive UTC
            last_at = posted.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
            last_fen = int(row[3])
    entries = 0
    if "audit_log" in tables:
        entries = connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return Contents(path, taken_at, int(households), last_receipt, last_at, last_fen, entries)
