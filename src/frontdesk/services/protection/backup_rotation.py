"""Rotation: which backups a folder keeps (7 daily, 4 weekly, 12 monthly, the newest, and
before-restore copies for 30 days), and the stored files no kept backup refers to any more."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from frontdesk.domain import clock
from frontdesk.services.protection.backup_folder import (
    FILES_NAME,
    PROTECTED_KINDS,
    STORE_FOLDERS,
    BackupFile,
    backup_order,
    is_dump,
    list_backups,
    older_than,
    parse_name,
)
from frontdesk.services.protection.safe_files import connect_ro

KEEP_DAYS, KEEP_WEEKS, KEEP_MONTHS = 7, 4, 12
PROTECT_DAYS = 30


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
    entries = sorted(backups, key=lambda e: backup_order(e[0], e[1]), reverse=True)
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
    reminder copies, scans and work-order photos. Layouts: issued_documents.stored_path and
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
    for table in ("attachment", "work_order_photo", "lost_item", "parcel"):  # one store
        if "sha256" in tables.get(table, set()):
            found |= {
                f"attachments/{sha[:2]}/{sha}"
                for (sha,) in connection.execute(f"SELECT sha256 FROM {table}")
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
        if is_dump(backup.path):
            continue  # a server database keeps its stored files inside (pg_dump carries them)
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
            leftover = path.name.startswith(".incoming-") and older_than(path)
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
