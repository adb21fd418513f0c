"""Backups: rotation, verified copies, the shared files store, second folder, restore."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.db.migrate import HEAD_REVISION
from frontdesk.domain.roles import Actor, Role
from frontdesk.services import (
    backup_text,
    backups,
    checks,
    issued_documents,
    restore,
    safe_files,
    users,
)
from frontdesk.services.database import Database, open_at
from frontdesk.services.restore import RestoreRefused
from tests.conftest import STAFF_PASSWORD

FIXTURES = Path(__file__).parent.parent / "db" / "fixtures"
NOW = datetime(2026, 11, 26, 1, 30)


def _db_path(db: Database) -> Path:
    return backups.database_path(db)


def _names(db: Database) -> set[str]:
    with closing(sqlite3.connect(_db_path(db))) as raw:
        return {row[0] for row in raw.execute("SELECT username FROM app_user")}


# rotation ---------------------------------------------------------------------------


def _name(at: datetime, kind: str = "daily") -> str:
    return backups.backup_name("frontdesk", at, kind)


def test_rotation_keeps_a_week_of_days_a_month_of_weeks_a_year_of_months() -> None:
    daily = [(_name(NOW - timedelta(days=d)), NOW - timedelta(days=d)) for d in range(400)]
    kept = backups.choose_kept(daily, NOW)
    ages = sorted((NOW - at).days for name, at in daily if name in kept)
    assert ages[:7] == [0, 1, 2, 3, 4, 5, 6]  # every one of the last 7 days
    assert max(ages) < 366  # nothing older than the 12 months
    assert len(kept) <= 7 + 4 + 12
    months = {(NOW - timedelta(days=a)).strftime("%Y-%m") for a in ages}
    assert len(months) == 12


def test_newest_of_a_day_wins_and_before_restore_copies_stay_a_month() -> None:
    morning, evening = NOW.replace(hour=1, minute=0), NOW.replace(hour=0, minute=5)
    aside = NOW - timedelta(days=20)
    old_aside = NOW - timedelta(days=45, hours=3)
    entries = [
        (_name(morning, "manual"), morning),
        (_name(evening, "close"), evening),
        (_name(aside, "before-restore"), aside),
        (_name(aside - timedelta(hours=1), "daily"), aside - timedelta(hours=1)),
        (_name(old_aside, "before-restore"), old_aside),
        (_name(old_aside + timedelta(hours=1), "daily"), old_aside + timedelta(hours=1)),
        ("frontdesk.before-upgrade-0003-20261120-090000.sqlite", NOW - timedelta(days=6)),
    ]
    kept = backups.choose_kept(entries, NOW)
    assert _name(morning, "manual") in kept
    assert _name(evening, "close") not in kept  # the same day, but earlier
    assert _name(aside, "before-restore") in kept  # protected for 30 days
    assert _name(old_aside, "before-restore") not in kept  # the daily of that day is newer
    assert "frontdesk.before-upgrade-0003-20261120-090000.sqlite" in kept


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=800 * 24 * 60),  # minutes before NOW
            st.sampled_from(["daily", "close", "manual", "before-restore"]),
        ),
        min_size=1,
        max_size=60,
        unique_by=lambda e: e[0],
    )
)
def test_rotation_never_drops_the_newest_and_keeps_a_bounded_number(entries) -> None:
    backups_list = [
        (_name(NOW - timedelta(minutes=m), kind), NOW - timedelta(minutes=m)) for m, kind in entries
    ]
    backups_list = list(dict(backups_list).items())  # names are unique per second
    kept = backups.choose_kept(backups_list, NOW)
    newest = max(backups_list, key=lambda e: e[1])
    assert newest[0] in kept
    protected = sum(
        1
        for name, at in backups_list
        if "before-restore" in name and NOW - at <= timedelta(days=backups.PROTECT_DAYS)
    )
    assert len(kept) <= 7 + 4 + 12 + protected
    assert kept <= {name for name, _ in backups_list}


def test_prune_deletes_files_rotation_does_not_keep(tmp_path: Path) -> None:
    for days in range(10):
        at = NOW - timedelta(days=days)
        (tmp_path / _name(at)).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("keep me")
    deleted = backups.prune(tmp_path, NOW)  # a Thursday: days 7–9 are last week's
    assert {p.name for p in deleted} == {_name(NOW - timedelta(days=d)) for d in (7, 8, 9)}
    assert (tmp_path / "notes.txt").exists()
    assert (tmp_path / _name(NOW)).exists()


# taking backups ---------------------------------------------------------------------


def test_backup_is_verified_complete_and_named(db: Database) -> None:
    result = backups.make_backup(db, "daily")
    assert result.path.parent == _db_path(db).parent / "backups"
    stem, taken_at, kind = backups.parse_name(result.path.name) or ("", NOW, "")
    assert (stem, kind) == ("frontdesk", "daily")
    assert result.size == result.path.stat().st_size > 0
    assert not list(result.path.parent.glob(".*partial*"))
    assert safe_files.integrity_problems(result.path) == []
    assert restore.check_backup_file(result.path) == HEAD_REVISION
    with closing(sqlite3.connect(result.path)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
        assert {r[0] for r in raw.execute("SELECT username FROM app_user")} == _names(db)
    assert backups.last_good_backup(db) == taken_at
    assert not backups.backup_due(db, taken_at + timedelta(hours=1))
    assert backups.backup_due(db, taken_at + timedelta(days=1))


def test_no_backup_yet_is_due(db: Database) -> None:
    assert backups.last_good_backup(db) is None
    assert backups.backup_due(db)


def test_stored_files_go_to_the_shared_store_once(db: Database, admin: Actor) -> None:
    sha = issued_documents.store_bytes(db, b"%PDF-1.4 receipt")
    first = backups.make_backup(db, "daily")
    stored = first.path.parent / "files" / "documents" / sha[:2] / f"{sha}.pdf"
    assert stored.read_bytes() == b"%PDF-1.4 receipt"
    assert first.files_copied == 1
    second = backups.make_backup(db, "manual")
    assert second.files_copied == 0
    issued_documents.store_bytes(db, b"%PDF-1.4 another")
    assert backups.make_backup(db, "manual").files_copied == 1


def test_a_backup_to_another_folder(db: Database, tmp_path: Path) -> None:
    result = backups.make_backup(db, "manual", to=tmp_path / "usb")
    assert result.path.parent == tmp_path / "usb"
    assert backups.last_good_backup(db) is None  # the first folder has none


def test_second_folder_gets_a_copy_and_a_missing_one_only_warns(
    db: Database, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    backups.set_second_folder(db, usb)
    assert backups.backup_settings(db).second_folder == usb
    assert _db_path(db).with_name("frontdesk.backup.json").exists()
    result = backups.make_backup(db, "daily")
    assert result.second_copy is not None and result.second_copy.parent == usb
    assert result.second_copy.read_bytes() == result.path.read_bytes()
    assert result.warnings == ()
    usb.rename(tmp_path / "unplugged")
    result = backups.make_backup(db, "close")
    assert result.path.exists() and result.second_copy is None
    assert "第二备份位置不可用" in result.warnings[0] and str(usb) in result.warnings[0]
    backups.set_second_folder(db, None)
    assert backups.backup_settings(db).second_folder is None


def test_second_folder_must_exist_and_differ(db: Database, tmp_path: Path) -> None:
    with pytest.raises(backups.ValidationError, match="不存在"):
        backups.set_second_folder(db, tmp_path / "nowhere")
    first = backups.backup_settings(db).folder
    first.mkdir()
    with pytest.raises(backups.ValidationError, match="不能与第一备份位置相同"):
        backups.set_second_folder(db, first)


# restore ----------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_current_one_aside(
    db: Database, admin: Actor
) -> None:
    sha = issued_documents.store_bytes(db, b"%PDF-1.4 kept")
    taken = backups.make_backup(db, "manual")
    users.create_user(db, admin, users.NewUser("later", "后来者", Role.CLERK, STAFF_PASSWORD))
    assert "later" in _names(db)
    path = _db_path(db)
    shutil.rmtree(db.files_dir)  # the stored files were lost too
    db.dispose()

    result = restore.restore_backup(path, taken.path)

    assert result.kept_aside is not None and "before-restore" in result.kept_aside.name
    with closing(sqlite3.connect(result.kept_aside)) as raw:  # the aside copy has the later change
        assert raw.execute("SELECT count(*) FROM app_user WHERE username = 'later'").fetchone()[0]
    assert result.upgraded_from is None
    assert result.files_copied == 1
    assert issued_documents.stored_path(db, sha).read_bytes() == b"%PDF-1.4 kept"
    restored = open_at(path)  # with its key: the signatures are checked too
    try:
        assert "later" not in _names(restored)
        with closing(sqlite3.connect(path)) as raw:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            last = raw.execute("SELECT action, summary FROM audit_log ORDER BY id DESC").fetchone()
        assert last[0] == "restore" and taken.path.name in last[1]
        report = checks.check_database(restored)  # the older audit log is no "cut tail"
        assert report.ok, report.problems
    finally:
        restored.dispose()


def test_restore_is_refused_while_the_database_is_open(db: Database) -> None:
    taken = backups.make_backup(db, "manual")
    with closing(sqlite3.connect(_db_path(db))) as other:
        other.execute("SELECT count(*) FROM app_user").fetchone()
        with pytest.raises(RestoreRefused, match="正在被使用"):
            restore.restore_backup(_db_path(db), taken.path)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda p: p.write_text("not a database"), "不是物业前台数据库"),
        (lambda p: p.write_bytes(b""), "是空的"),
        (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "已损坏"),
    ],
)
def test_a_damaged_backup_is_refused_by_name(db: Database, damage, problem: str) -> None:
    taken = backups.make_backup(db, "manual")
    bad = taken.path.with_name("frontdesk-20261126-010000-manual.sqlite")
    shutil.copy(taken.path, bad)
    damage(bad)
    path = _db_path(db)
    db.dispose()
    before = path.read_bytes()
    with pytest.raises(RestoreRefused, match=problem) as refused:
        restore.restore_backup(path, bad)
    assert bad.name in refused.value.message
    assert path.read_bytes() == before


def test_a_missing_backup_file_is_named(db: Database, tmp_path: Path) -> None:
    with pytest.raises(RestoreRefused, match="找不到备份文件"):
        restore.restore_backup(_db_path(db), tmp_path / "gone.sqlite")


def test_a_newer_programs_backup_is_refused(db: Database) -> None:
    taken = backups.make_backup(db, "manual")
    with closing(sqlite3.connect(taken.path)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
        raw.commit()
    with pytest.raises(RestoreRefused, match="更新版本"):
        restore.check_backup_file(taken.path)


def test_restoring_an_older_schema_backup_upgrades_it(db: Database, tmp_path: Path) -> None:
    old = tmp_path / "old-backups" / "frontdesk-20250101-120000-daily.sqlite"
    old.parent.mkdir()
    shutil.copy(FIXTURES / "frontdesk-0003.sqlite", old)
    path = _db_path(db)
    db.dispose()
    result = restore.restore_backup(path, old)
    assert result.upgraded_from == "0003"
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_restore_into_a_new_place(db: Database, tmp_path: Path) -> None:
    taken = backups.make_backup(db, "manual")
    target = tmp_path / "new-pc" / "frontdesk.sqlite"
    target.parent.mkdir()
    result = restore.restore_backup(target, taken.path)
    assert result.kept_aside is None
    assert safe_files.integrity_problems(target) == []


def test_ages_read_naturally() -> None:
    assert backup_text.describe_age(None) == "从未备份"
    assert backup_text.describe_age(NOW - timedelta(seconds=20), NOW) == "刚刚"
    assert backup_text.describe_age(NOW - timedelta(hours=3, minutes=5), NOW) == "3 小时前"
    assert backup_text.describe_age(NOW - timedelta(days=2), NOW) == "2 天前"
    assert backup_text.is_stale(NOW - timedelta(hours=25), NOW)
    assert not backup_text.is_stale(NOW - timedelta(hours=5), NOW)
