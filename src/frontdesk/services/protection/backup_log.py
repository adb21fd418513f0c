"""Each backup folder's small log and the audit anchors read from it and from the newest
backup file: the last audit entry a verified backup saw must still be in the live log,
so `frontdesk check` notices entries cut from its end."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk.db.engine import Database
from frontdesk.domain import clock
from frontdesk.services.protection.backup_folder import (
    BackupFile,
    backup_home,
    folder_for,
    is_dump,
    list_backups,
    parse_name,
    settings_for,
)
from frontdesk.services.protection.safe_files import connect_ro, write_atomically

LOG_LIMIT = 200  # entries kept in a folder's log


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
class Snapshot:
    counts: dict[str, int] = field(default_factory=dict)
    audit_id: int = 0
    audit_hash: str = ""


def _log_path(folder: Path, stem: str) -> Path:
    return folder / f"{stem}.backups.json"


def read_log(folder: Path, stem: str) -> dict[str, Any]:
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


def log_backup(folder: Path, path: Path, taken_at: datetime, snapshot: Snapshot) -> None:
    parsed = parse_name(path.name)
    assert parsed is not None
    data = read_log(folder, parsed[0])
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
    db_path = backup_home(db)
    data = read_log(settings_for(db_path).folder, db_path.stem)
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
    db_path = backup_home(db)
    data = read_log(settings_for(db_path).folder, db_path.stem)
    restores = [str(r.get("at", "")) for r in data["restores"] if isinstance(r, dict)]
    try:
        return datetime.fromisoformat(max(restores)) if restores else None
    except ValueError:
        return None


def backup_file_anchors(db: Database) -> list[AuditAnchor]:
    """The newest backup in each backup folder, opened read-only: the last audit entry
    the file itself holds (an editor of the live database cannot reach it, and the
    folder's log beside it may have been emptied)."""
    db_path = backup_home(db)
    settings = settings_for(db_path)
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
    if is_dump(backup.path):
        return None  # a pg_dump is read only by restoring it: the folder's log vouches
    newest = newest_audit_entry(backup.path)
    if newest is None:
        return None  # not readable: `frontdesk check` cannot lean on it
    entry_id, entry_hash, at = newest
    entry_at = datetime.fromisoformat(at)
    return AuditAnchor(str(backup.path), backup.taken_at, entry_id, entry_hash, True, entry_at)


def log_restore(db_path: Path, backup_file: Path) -> None:
    """Note a restore: backups taken before it no longer vouch for the audit log's end."""
    folder = folder_for(db_path)
    data = read_log(folder, db_path.stem)
    data["restores"].append(
        {"at": clock.wall_now().isoformat(timespec="seconds"), "from": str(backup_file)}
    )
    _write_log(folder, db_path.stem, data)
