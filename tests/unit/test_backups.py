"""Backups: rotation, verified copies, the shared files store, second folder, restore."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.db.migrate import HEAD_REVISION
from frontdesk.db.models import IssuedDocument
from frontdesk.domain import backups as backup_text
from frontdesk.domain.issued import DocKind, Output
from frontdesk.domain.roles import SYSTEM, Actor, Role
from frontdesk.errors import DatabaseBusy, PermissionDenied, ValidationError
from frontdesk.services import stats, users
from frontdesk.services.database import Database, open_at
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.protection import (
    backup_folder,
    backup_rotation,
    backups,
    checks,
    restore,
    safe_files,
)
from frontdesk.services.protection.restore import RestoreRefused
from tests.conftest import STAFF_PASSWORD
from tests.stored_files import document_path

# SQLite only: backups as copies of the file (a server's, by pg_dump: test_server_backups.py).
pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).parent.parent / "db" / "fixtures"
NOW = datetime(2026, 11, 26, 1, 30)


def _db_path(db: Database) -> Path:
    return backup_folder.database_path(db)


def _issue(db: Database, actor: Actor, pdf: bytes, kind: DocKind = DocKind.ROOM_SUMMARY) -> str:
    """A registered document (the backups keep the stored files the register needs)."""
    printout = issued_documents.Printout(pdf, issued_documents.Issue(kind, "房屋统计表"))
    issued_documents.record(db, actor, printout, Output.EXPORTED)
    return hashlib.sha256(pdf).hexdigest()


def _names(db: Database) -> set[str]:
    with closing(sqlite3.connect(_db_path(db))) as raw:
        return {row[0] for row in raw.execute("SELECT username FROM app_user")}


# rotation ---------------------------------------------------------------------------


def _name(at: datetime, kind: str = "daily") -> str:
    return backup_folder.backup_name("frontdesk", at, kind)


def test_rotation_keeps_a_week_of_days_a_month_of_weeks_a_year_of_months() -> None:
    daily = [(_name(NOW - timedelta(days=d)), NOW - timedelta(days=d)) for d in range(400)]
    kept = backup_rotation.choose_kept(daily, NOW)
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
    kept = backup_rotation.choose_kept(entries, NOW)
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
    kept = backup_rotation.choose_kept(backups_list, NOW)
    newest = max(backups_list, key=lambda e: e[1])
    assert newest[0] in kept
    protected = sum(
        1
        for name, at in backups_list
        if "before-restore" in name and NOW - at <= timedelta(days=backup_rotation.PROTECT_DAYS)
    )
    assert len(kept) <= 7 + 4 + 12 + protected
    assert kept <= {name for name, _ in backups_list}


def test_prune_deletes_files_rotation_does_not_keep(tmp_path: Path) -> None:
    for days in range(10):
        at = NOW - timedelta(days=days)
        (tmp_path / _name(at)).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("keep me")
    deleted = backup_rotation.prune(tmp_path, NOW)  # a Thursday: days 7–9 are last week's
    assert {p.name for p in deleted} == {_name(NOW - timedelta(days=d)) for d in (7, 8, 9)}
    assert (tmp_path / "notes.txt").exists()
    assert (tmp_path / _name(NOW)).exists()


# taking backups ---------------------------------------------------------------------


def test_backup_is_verified_complete_and_named(db: Database) -> None:
    result = backups.make_backup(db, SYSTEM, "daily")
    assert result.path.parent == _db_path(db).parent / "backups"
    stem, taken_at, kind = backup_folder.parse_name(result.path.name) or ("", NOW, "")
    assert (stem, kind) == ("frontdesk", "daily")
    assert result.size == result.path.stat().st_size > 0
    assert not list(result.path.parent.glob(".*partial*"))
    assert safe_files.integrity_problems(result.path) == []
    assert restore.check_backup_file(result.path) == HEAD_REVISION
    with closing(sqlite3.connect(result.path)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
        assert {r[0] for r in raw.execute("SELECT username FROM app_user")} == _names(db)
    assert backup_folder.last_good_backup(db) == taken_at
    assert not backup_folder.backup_due(db, taken_at + timedelta(hours=1))
    assert backup_folder.backup_due(db, taken_at + timedelta(days=1))


def test_no_backup_yet_is_due(db: Database) -> None:
    assert backup_folder.last_good_backup(db) is None
    assert backup_folder.backup_due(db)


def test_stored_files_go_to_the_shared_store_once(db: Database, admin: Actor) -> None:
    sha = _issue(db, admin, b"%PDF-1.4 receipt")
    first = backups.make_backup(db, SYSTEM, "daily")
    stored = first.path.parent / "files" / "documents" / sha[:2] / f"{sha}.pdf"
    assert stored.read_bytes() == b"%PDF-1.4 receipt"
    assert first.files_copied == 1
    second = backups.make_backup(db, SYSTEM, "manual")
    assert second.files_copied == 0
    _issue(db, admin, b"%PDF-1.4 another")
    assert backups.make_backup(db, SYSTEM, "manual").files_copied == 1


def test_a_backup_to_another_folder(db: Database, tmp_path: Path) -> None:
    result = backups.make_backup(db, SYSTEM, "manual", to=tmp_path / "usb")
    assert result.path.parent == tmp_path / "usb"
    assert backup_folder.last_good_backup(db) is None  # the first folder has none


def test_second_folder_gets_a_copy_and_a_missing_one_only_warns(
    db: Database, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    backup_folder.set_second_folder(db, SYSTEM, usb)
    assert backup_folder.backup_settings(db).second_folder == usb
    assert _db_path(db).with_name("frontdesk.backup.json").exists()
    result = backups.make_backup(db, SYSTEM, "daily")
    assert result.second_copy is not None and result.second_copy.parent == usb
    assert result.second_copy.read_bytes() == result.path.read_bytes()
    assert result.warnings == ()
    usb.rename(tmp_path / "unplugged")
    result = backups.make_backup(db, SYSTEM, "close")
    assert result.path.exists() and result.second_copy is None
    assert "第二备份位置不可用" in result.warnings[0] and str(usb) in result.warnings[0]
    backup_folder.set_second_folder(db, SYSTEM, None)
    assert backup_folder.backup_settings(db).second_folder is None


def test_second_folder_must_exist_and_differ(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="不存在"):
        backup_folder.set_second_folder(db, SYSTEM, tmp_path / "nowhere")
    first = backup_folder.backup_settings(db).folder
    first.mkdir()
    with pytest.raises(ValidationError, match="不能与第一备份位置相同"):
        backup_folder.set_second_folder(db, SYSTEM, first)


# who may copy the data, and the trace it leaves --------------------------------------


def _last_entry(db: Database) -> tuple[str, str, str, str]:
    with closing(sqlite3.connect(_db_path(db))) as raw:
        row = raw.execute(
            "SELECT username, action, entity_id, summary FROM audit_log ORDER BY id DESC"
        ).fetchone()
    return tuple(row)


@pytest.mark.parametrize("role", [Role.CLERK, Role.CASHIER, Role.BUTLER])
def test_an_unprivileged_role_can_neither_back_up_nor_move_the_backups(
    db: Database, make_user, role: Role, tmp_path: Path
) -> None:
    staff = make_user(role)
    mine = tmp_path / "my-usb"
    mine.mkdir()
    before = _last_entry(db)
    with pytest.raises(PermissionDenied, match="备份与恢复"):
        backups.make_backup(db, staff, "manual", to=mine)
    with pytest.raises(PermissionDenied, match="备份与恢复"):
        backups.make_backup(db, staff, "manual")
    with pytest.raises(PermissionDenied, match="备份与恢复"):
        backup_folder.set_second_folder(db, staff, mine)
    assert list(mine.iterdir()) == []  # no copy of the data landed in their folder
    assert backup_folder.backup_settings(db).second_folder is None
    assert backup_folder.backups_of(db) == []
    assert _last_entry(db) == before


def test_a_supervisors_backup_and_second_folder_are_audited_under_their_name(
    db: Database, make_user, tmp_path: Path
) -> None:
    boss = make_user(Role.SUPERVISOR)
    usb = tmp_path / "usb"
    usb.mkdir()
    backup_folder.set_second_folder(db, boss, usb)
    username, action, _, summary = _last_entry(db)
    assert (username, action) == (boss.username, "update")
    assert "第二备份位置" in summary and str(usb) in summary
    result = backups.make_backup(db, boss, "manual")
    username, action, entity_id, summary = _last_entry(db)
    assert (username, action, entity_id) == (boss.username, "backup", "manual")
    assert str(result.path) in summary and "手动" in summary and str(usb) in summary
    backup_folder.set_second_folder(db, boss, None)
    assert "不再使用第二备份位置" in _last_entry(db)[3]


def test_the_scheduled_backup_is_audited_as_the_system(db: Database) -> None:
    result = backups.make_backup(db, SYSTEM, "daily")
    username, action, entity_id, summary = _last_entry(db)
    assert (username, action, entity_id) == ("system", "backup", "daily")
    assert "每日" in summary and str(result.path) in summary


def test_a_backup_whose_entry_cannot_be_written_is_not_kept_and_rotates_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = backups.make_backup(db, SYSTEM, "manual")  # the same day: rotation's victim

    def busy(*_args: object) -> None:
        raise DatabaseBusy("数据库正被另一台电脑占用，请稍候几秒再试。")

    monkeypatch.setattr(backups, "_audit_backup", busy)
    with pytest.raises(DatabaseBusy):
        backups.make_backup(db, SYSTEM, "daily")
    assert [b.path for b in backup_folder.backups_of(db)] == [earlier.path]  # no untraced copy


# the files store follows the backups ---------------------------------------------


def test_a_stored_file_no_backup_refers_to_goes_at_rotation(db: Database, admin: Actor) -> None:
    kept = _issue(db, admin, b"%PDF-1.4 a receipt")
    gone = _issue(db, admin, b"%PDF-1.4 a visitor pass", DocKind.VISITOR_PASS)
    taken = backups.make_backup(db, SYSTEM, "daily")
    store = taken.path.parent / "files" / "documents"
    kept_file, gone_file = (store / sha[:2] / f"{sha}.pdf" for sha in (kept, gone))
    assert kept_file.exists() and gone_file.exists()
    # Yesterday's backup, as far as rotation is concerned.
    yesterday = taken.taken_at - timedelta(days=1)
    first = taken.path.rename(
        taken.path.with_name(backup_folder.backup_name("frontdesk", yesterday, "daily"))
    )
    # The pass is erased from the live file (retention, PIPL erasure)…
    with db.write(admin) as session:
        _, unneeded = issued_documents.mark_purged(
            session, IssuedDocument.kind == DocKind.VISITOR_PASS.value, taken.taken_at.astimezone()
        )
    issued_documents.unlink_stored(db, unneeded)
    second = backups.make_backup(db, SYSTEM, "manual")
    assert gone_file.exists()  # …the first backup still holds it, so the store keeps it
    # A year on, rotation drops the first backup: the last one that held the pass.
    deleted = backup_rotation.prune(
        first.parent, second.taken_at + timedelta(days=400), "frontdesk"
    )
    assert first in deleted and second.path.exists()
    assert not gone_file.exists() and not gone_file.parent.exists()
    assert kept_file.read_bytes() == b"%PDF-1.4 a receipt"  # still needed by the second


def test_the_store_is_left_alone_when_a_backup_cannot_be_read(db: Database, admin: Actor) -> None:
    sha = _issue(db, admin, b"%PDF-1.4 needed by the damaged one")
    taken = backups.make_backup(db, SYSTEM, "daily")
    stored = taken.path.parent / "files" / "documents" / sha[:2] / f"{sha}.pdf"
    damaged = taken.path.with_name("frontdesk-20200101-010000-damaged.sqlite")
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    with db.write(admin) as session:
        _, unneeded = issued_documents.mark_purged(
            session, IssuedDocument.sha256 == sha, taken.taken_at.astimezone()
        )
    issued_documents.unlink_stored(db, unneeded)
    taken.path.unlink()
    assert backup_rotation.prune_store(taken.path.parent) == []
    assert stored.exists()


# a backup killed half-way -----------------------------------------------------------


def test_a_killed_backups_partial_copy_is_removed_when_the_database_is_opened(
    db: Database, tmp_path: Path
) -> None:
    path = _db_path(db)
    taken = backups.make_backup(db, SYSTEM, "daily")
    folder = taken.path.parent
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(dead.stdout)  # a process that has ended
    name = backup_folder.backup_name("frontdesk", NOW, "daily")
    host = backups.partial_path(folder / name).name.split(".")[-2].split("-")[0]
    left = folder / f".{name}.{host}-{pid}.partial"
    shutil.copy(taken.path, left)
    journal = Path(f"{left}-journal")
    journal.write_bytes(b"x")
    running = backups.partial_path(folder / backup_folder.backup_name("frontdesk", NOW, "manual"))
    running.write_bytes(b"being written by this very process")
    other_db = folder / f".{backup_folder.backup_name('other', NOW, 'daily')}.{host}-{pid}.partial"
    other_db.write_bytes(b"another database's")
    db.dispose()

    reopened = open_at(path)
    reopened.dispose()

    assert not left.exists() and not journal.exists()
    assert running.exists()  # a backup still under way is not touched
    assert other_db.exists()  # nor another database's
    assert taken.path.exists()


def test_a_damaged_files_half_copied_replacement_is_removed_when_opened(db: Database) -> None:
    path = _db_path(db)
    taken = backups.make_backup(db, SYSTEM, "manual")
    db.dispose()
    left = path.with_name(f".{path.name}.restoring")  # killed before the rename
    shutil.copy(taken.path, left)
    open_at(path).dispose()
    assert not left.exists()


# restore ----------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_current_one_aside(
    db: Database, admin: Actor
) -> None:
    sha = _issue(db, admin, b"%PDF-1.4 kept")
    taken = backups.make_backup(db, SYSTEM, "manual")
    users.create_user(db, admin, users.NewUser("later", "后来者", Role.CLERK, STAFF_PASSWORD))
    assert "later" in _names(db)
    path = _db_path(db)
    shutil.rmtree(db.files_dir)  # the stored files were lost too
    db.dispose()

    result = restore.restore_backup(path, taken.path, SYSTEM)

    assert result.kept_aside is not None and "before-restore" in result.kept_aside.name
    with closing(sqlite3.connect(result.kept_aside)) as raw:  # the aside copy has the later change
        assert raw.execute("SELECT count(*) FROM app_user WHERE username = 'later'").fetchone()[0]
    assert result.upgraded_from is None
    assert result.files_copied == 1
    assert document_path(db, sha).read_bytes() == b"%PDF-1.4 kept"
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


def test_only_a_supervisor_restores_and_the_restore_names_them(db: Database, make_user) -> None:
    taken = backups.make_backup(db, SYSTEM, "manual")
    clerk, boss = make_user(Role.CLERK), make_user(Role.SUPERVISOR)
    path = _db_path(db)
    db.dispose()
    before = path.read_bytes()
    with pytest.raises(PermissionDenied, match="备份与恢复"):
        restore.restore_backup(path, taken.path, clerk)
    assert path.read_bytes() == before
    assert not list(path.parent.glob("backups/*before-restore*"))
    restore.restore_backup(path, taken.path, boss)
    with closing(sqlite3.connect(path)) as raw:
        last = raw.execute("SELECT username, action FROM audit_log ORDER BY id DESC").fetchone()
    assert last == (boss.username, "restore")
    assert not path.with_name(f".{path.name}.restoring.json").exists()


def test_restore_is_refused_while_the_database_is_open(db: Database) -> None:
    taken = backups.make_backup(db, SYSTEM, "manual")
    with closing(sqlite3.connect(_db_path(db))) as other:
        other.execute("SELECT count(*) FROM app_user").fetchone()
        with pytest.raises(RestoreRefused, match="正在被使用"):
            restore.restore_backup(_db_path(db), taken.path, SYSTEM)


def test_a_restore_is_planned_before_the_supervisor_confirms(db: Database, make_user) -> None:
    """The permission, the file, and no other counter: checked before anything is asked;
    this program's own idle connections are no other counter, and it stays usable."""
    taken = backups.make_backup(db, SYSTEM, "manual")
    with pytest.raises(PermissionDenied, match="备份与恢复"):
        restore.plan_restore(db, make_user(Role.CLERK), taken.path)
    boss = make_user(Role.SUPERVISOR)
    with pytest.raises(RestoreRefused, match="就是当前数据库"):
        restore.plan_restore(db, boss, _db_path(db))
    with closing(sqlite3.connect(_db_path(db))) as other:
        other.execute("SELECT count(*) FROM app_user").fetchone()
        with pytest.raises(RestoreRefused, match="正在被使用"):
            restore.plan_restore(db, boss, taken.path)
    stats.counts(db)  # opens connections of its own again
    plan = restore.plan_restore(db, boss, taken.path)
    assert plan.backup.path == taken.path and plan.current is not None
    assert plan.backup.community == plan.current.community == "测试小区"
    assert (plan.revision, plan.upgrades) == (HEAD_REVISION, False)
    with closing(sqlite3.connect(_db_path(db))) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stats.counts(db)["users"] >= 1


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda p: p.write_text("not a database"), "不是物业前台数据库"),
        (lambda p: p.write_bytes(b""), "是空的"),
        (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "已损坏"),
    ],
)
def test_a_damaged_backup_is_refused_by_name(db: Database, damage, problem: str) -> None:
    taken = backups.make_backup(db, SYSTEM, "manual")
    bad = taken.path.with_name("frontdesk-20261126-010000-manual.sqlite")
    shutil.copy(taken.path, bad)
    damage(bad)
    path = _db_path(db)
    db.dispose()
    before = path.read_bytes()
    with pytest.raises(RestoreRefused, match=problem) as refused:
        restore.restore_backup(path, bad, SYSTEM)
    assert bad.name in refused.value.message
    assert path.read_bytes() == before


def test_a_missing_backup_file_is_named(db: Database, tmp_path: Path) -> None:
    with pytest.raises(RestoreRefused, match="找不到备份文件"):
        restore.restore_backup(_db_path(db), tmp_path / "gone.sqlite", SYSTEM)


def test_a_newer_programs_backup_is_refused(db: Database) -> None:
    taken = backups.make_backup(db, SYSTEM, "manual")
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
    result = restore.restore_backup(path, old, SYSTEM)
    assert result.upgraded_from == "0003"
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_restore_into_a_new_place(db: Database, tmp_path: Path) -> None:
    taken = backups.make_backup(db, SYSTEM, "manual")
    target = tmp_path / "new-pc" / "frontdesk.sqlite"
    target.parent.mkdir()
    result = restore.restore_backup(target, taken.path, SYSTEM)
    assert result.kept_aside is None
    assert safe_files.integrity_problems(target) == []


def test_ages_read_naturally() -> None:
    assert backup_text.describe_age(None) == "从未备份"
    assert backup_text.describe_age(NOW - timedelta(seconds=20), NOW) == "刚刚"
    assert backup_text.describe_age(NOW - timedelta(hours=3, minutes=5), NOW) == "3 小时前"
    assert backup_text.describe_age(NOW - timedelta(days=2), NOW) == "2 天前"
    assert backup_text.is_stale(NOW - timedelta(hours=25), NOW)
    assert not backup_text.is_stale(NOW - timedelta(hours=5), NOW)
