"""Where backups go and what they are called: the backup folders (the first beside the
database, a second one on a USB disk or NAS), their file names, and the backups in them."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import make_url, select

from frontdesk import paths
from frontdesk.db import pg_tools
from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEntry
from frontdesk.domain import clock
from frontdesk.domain.backups import KIND_LABELS
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import EnvironmentProblem, ValidationError
from frontdesk.services.access import require
from frontdesk.services.protection.safe_files import write_atomically

KINDS = ("daily", "close", "manual", "before-restore")
PROTECTED_KINDS = ("before-restore", "before-upgrade")
FOLDER_NAME = "backups"
FILES_NAME = "files"
# A SQLite file's backup is a `.sqlite` copy, a server database's a pg_dump (`.dump`).
SQLITE_SUFFIX, DUMP_SUFFIX = ".sqlite", ".dump"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<kind>[a-z]+(?:-[a-z]+)*)(?:-(?P<n>\d+))?"
    r"\.(?:sqlite|dump)$"
)
_STAMP = "%Y%m%d-%H%M%S"


# Where the stored files of each kind live, relative to the files folder, by hash.
STORE_FOLDERS = ("documents", "attachments")


@dataclass(frozen=True)
class BackupSettings:
    folder: Path  # the first folder: `backups/` beside the database
    second_folder: Path | None  # USB disk, NAS; None when not set


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    kind: str
    size: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def database_path(db: Database) -> Path:
    """The database's file (SQLite); a server database has none."""
    if pg_tools.is_server(db.engine.url):
        raise EnvironmentProblem("这是服务器上的数据库，没有本机的数据库文件。")
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise EnvironmentProblem("内存数据库不能备份。")
    return Path(database).resolve()


def server_home(url: str) -> Path:
    """Where this PC keeps a server database's backups, as if it were a file: backups go
    to `backups/` beside it and are named by its stem (the database's name on the
    server), its second folder is kept beside it; one folder per server, in the data
    folder of the PC that runs the backup."""
    parsed = make_url(url)
    server = f"{pg_tools.server_host(parsed)}_{pg_tools.server_port(parsed)}"
    folder = paths.data_dir() / "servers" / re.sub(r"[^0-9A-Za-z_.-]+", "_", server).strip("_.")
    return folder / f"{pg_tools.file_label(parsed)}.server"


def backup_home(db: Database) -> Path:
    """What backups are kept beside and named after: the database file, or for a server
    database its place on this PC (`server_home`)."""
    if pg_tools.is_server(db.engine.url):
        return server_home(db.engine.url.render_as_string(hide_password=True))
    return database_path(db)


def files_dir_of(db_path: Path) -> Path:
    """`Database.files_dir` for a database file that is not open."""
    return db_path.with_name(f"{db_path.stem}-files")


def _settings_file(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}.backup.json")


def settings_for(db_path: Path) -> BackupSettings:
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
    return settings_for(db_path).folder


def backup_settings(db: Database) -> BackupSettings:
    return settings_for(backup_home(db))


def set_second_folder(db: Database, actor: Actor, folder: Path | None) -> BackupSettings:
    """Keep (or with None, stop) a second copy of every backup in this folder."""
    require(actor, Permission.MANAGE_BACKUPS)
    db_path = backup_home(db)
    settings = settings_for(db_path)
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


def backup_name(
    stem: str, taken_at: datetime, kind: str, n: int = 0, suffix: str = SQLITE_SUFFIX
) -> str:
    number = f"-{n}" if n else ""
    return f"{stem}-{taken_at.strftime(_STAMP)}-{kind}{number}{suffix}"


def is_dump(path: Path) -> bool:
    """A server database's backup (pg_dump), not a SQLite file."""
    return path.suffix == DUMP_SUFFIX


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


def backup_order(name: str, taken_at: datetime) -> tuple[datetime, int, str]:
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
    return sorted(found, key=lambda b: backup_order(b.path.name, b.taken_at), reverse=True)


def backups_of(db: Database) -> list[BackupFile]:
    return list_backups(backup_settings(db).folder, backup_home(db).stem)


def last_good_backup(db: Database) -> datetime | None:
    """When the newest verified backup was taken (local time): of a file, the newest in
    its first folder; of a server database, the newest any PC recorded in the audit log
    (one PC takes them, services/protection/backup_pc.py)."""
    if db.on_server:
        return last_recorded_backup(db)
    return _newest_here(db)


def _newest_here(db: Database) -> datetime | None:
    found = backups_of(db)
    return found[0].taken_at if found else None


def last_recorded_backup(db: Database) -> datetime | None:
    with db.read() as session:
        at = session.scalar(
            select(AuditEntry.at)
            .where(AuditEntry.entity == "database", AuditEntry.action == "backup")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
    return at.astimezone().replace(tzinfo=None) if at is not None else None


def backup_due(db: Database, now: datetime | None = None) -> bool:
    """This PC's backup folder has no backup taken today yet."""
    now = now or clock.wall_now()
    last = _newest_here(db)
    return last is None or last.date() < now.date()


def older_than(path: Path, seconds: float = 3600) -> bool:
    """Last written more than `seconds` ago (a leftover surely no longer being written)."""
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False
