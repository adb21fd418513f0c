"""Backups, restore, `frontdesk check` and the ID-number key of a database on a
PostgreSQL server (issue 23 §6, §4): pg_dump in its custom format, verified by a trial
restore, rotated as file backups are; restored into an empty database with the same
rows and an unbroken audit chain; refused with an older pg_dump."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends.null import Keyring as NullKeyring
from sqlalchemy import create_engine, make_url, text

from frontdesk.db import pg_tools
from frontdesk.db.engine import Database, make_engine
from frontdesk.db.file_store import file_store, sha256_of_file
from frontdesk.db.migrate import HEAD_REVISION, current_revision, upgrade
from frontdesk.db.models import FileArea
from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import SYSTEM, Actor, Role
from frontdesk.services import users
from frontdesk.services.database import open_at
from frontdesk.services.fees import billing, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import attachments
from frontdesk.services.protection import (
    audit,
    backup_folder,
    backup_rotation,
    backups,
    checks,
    data_key,
    restore,
    server_backups,
    server_restore,
)
from frontdesk.services.protection.backups import BackupFailed
from frontdesk.services.protection.money_audit import money_audit_problems
from frontdesk.services.protection.restore import RestoreRefused
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD
from tests.memory_keyring import MemoryKeyring
from tests.postgres import create, drop, server_url
from tests.unit.fee_fixtures import TODAY, make_community

pytestmark = pytest.mark.postgres


def _open(url: str) -> Database:
    db = Database(make_engine(url))
    data_key.unlock(db, os.environ.get(data_key.PASSPHRASE_VARIABLE))
    return db


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """A server database after first run, with a community and two prepaid payments."""
    db = _open(pg_url)
    users.initialize(
        db, users.FirstRunInput("测试小区", "admin", "管理员", ADMIN_PASSWORD, ADMIN_PASSWORD)
    )
    admin = users.login(db, "admin", ADMIN_PASSWORD)
    community = make_community(db, admin)
    users.create_user(db, admin, users.NewUser("cashier1", "收银甲", Role.CASHIER, STAFF_PASSWORD))
    cashier = users.login(db, "cashier1", STAFF_PASSWORD)
    for room, fen in ((community.occupied, 30000), (community.vacant, 12000)):
        tender = (TenderInput(PayMethod.CASH, fen),)
        request = PaymentRequest(room, (), tender, prepaid_fen=fen)
        payments.post_payment(db, cashier, request, TODAY)
    yield db
    db.dispose()


@pytest.fixture
def admin(pg_db: Database) -> Actor:
    return users.login(pg_db, "admin", ADMIN_PASSWORD)


def _rows(url: str) -> dict[str, Any]:
    engine = create_engine(server_backups.with_password(make_url(url)))
    try:
        with engine.connect() as connection:
            snapshot = server_backups.read_snapshot(connection)
            receipts = connection.execute(
                text("SELECT series, number, payment_id FROM receipt ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    return {"snapshot": snapshot, "receipts": receipts}


def test_a_backup_is_a_verified_dump_that_restores_into_an_empty_database(
    pg_db: Database, admin: Actor, pg_url: str, pg_empty_url: str
) -> None:
    result = backups.make_backup(pg_db, admin, "manual")
    assert result.path.suffix == ".dump" and result.path.parent.name == "backups"
    assert result.verified == server_backups.RESTORED
    assert [b.path for b in backup_folder.backups_of(pg_db)] == [result.path]
    assert not [p for p in result.path.parent.iterdir() if p.name.startswith(".")]
    before = _rows(pg_url)

    restored = server_restore.restore_server(pg_empty_url, result.path, SYSTEM)

    assert restored.kept_aside is None and restored.upgraded_from is None
    assert restored.warnings == ()  # the key found under the dumped database's name
    after = _rows(pg_empty_url)
    assert after["receipts"] == before["receipts"] and after["receipts"]
    dumped = server_restore.logged_snapshot(result.path)  # counted in the dump's snapshot
    assert dumped is not None and dumped.counts == {
        **before["snapshot"].counts,
        "audit_log": before["snapshot"].counts["audit_log"] - 1,  # the backup's own entry
    }
    assert after["snapshot"].counts == {
        **dumped.counts,
        "audit_log": dumped.counts["audit_log"] + 1,
    }
    restored_db = _open(pg_empty_url)
    try:
        assert data_key.state(restored_db) is data_key.KeyState.READY
        chain = audit.verify_chain(restored_db)
        assert chain.ok and chain.keyed and not chain.unverified
        with restored_db.read() as session:
            last = session.execute(text("SELECT action FROM audit_log ORDER BY id DESC")).first()
        assert last is not None and last[0] == "restore"
        # The planner knows the restored columns at once (pg_restore takes no statistics).
        with restored_db.read() as session:
            analyzed = session.execute(
                text("SELECT attname FROM pg_stats WHERE tablename = 'receipt'")
            ).scalars()
            assert {"room_id", "payment_id"} <= set(analyzed)
    finally:
        restored_db.dispose()


def test_a_dump_carries_the_stored_files_the_rows_name(
    pg_db: Database, admin: Actor, pg_empty_url: str, tmp_path: Path
) -> None:
    """What a file backup's copy of the files folder is on a server: a scan's bytes
    travel in the dump (the stored_file table) and open, checked, after the restore."""
    scan = tmp_path / "产权证.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 a scan of a deed")
    with pg_db.read() as session:
        room = session.execute(text("SELECT min(id) FROM room")).scalar_one()
    record = attachments.add_attachment(pg_db, admin, room, scan, "其他", "产权证")
    taken = backups.make_backup(pg_db, admin, "manual")

    server_restore.restore_server(pg_empty_url, taken.path, SYSTEM)

    restored = _open(pg_empty_url)
    try:
        assert file_store(restored, FileArea.ATTACHMENTS).hashes() == {sha256_of_file(scan)}
        opened = attachments.open_attachment(restored, admin, record)  # its bytes checked
        assert opened.read_bytes() == scan.read_bytes()
        assert not [p for p in checks.check_database(restored).problems if "附件" in p]
    finally:
        restored.dispose()


def test_rotation_keeps_the_same_backups_as_for_files(pg_db: Database, admin: Actor) -> None:
    first = backups.make_backup(pg_db, admin, "daily")
    folder, now = first.path.parent, clock.wall_now().replace(microsecond=0)
    older = []  # a dump a day for the forty days before: what rotation has to thin out
    for days in range(1, 41):
        name = backup_folder.backup_name(
            "x", now - timedelta(days=days), "daily", suffix=backup_folder.DUMP_SUFFIX
        )
        older.append(folder / name.replace("x-", f"{first.path.name.split('-')[0]}-", 1))
        shutil.copyfile(first.path, older[-1])
    taken = backups.make_backup(pg_db, admin, "daily")

    left = {b.path.name for b in backup_folder.backups_of(pg_db)}
    everything = [(p.name, backup_folder.parse_name(p.name)[1]) for p in [*older, first.path]]
    everything.append((taken.path.name, taken.taken_at))
    assert left == backup_rotation.choose_kept(everything, taken.taken_at)
    assert taken.path.name in left and older[0].name in left  # today's and yesterday's
    assert older[-1].name not in left and 8 < len(left) < 20  # thinned, not emptied


def test_an_older_pg_dump_than_the_server_is_refused(
    pg_db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = pg_tools.installed_tools()[0].major
    monkeypatch.setattr(pg_tools, "server_version_num", lambda _c: (local + 1) * 10000 + 2)
    with pytest.raises(pg_tools.ToolsMissing) as refused:
        backups.make_backup(pg_db, admin, "manual")
    message = refused.value.message
    assert f"PostgreSQL {local} 版" in message and f"PostgreSQL {local + 1} 版旧" in message
    folder = backup_folder.backup_settings(pg_db).folder
    assert not folder.exists() or not any(folder.iterdir())


def test_check_passes_on_a_sound_server_database_and_names_a_tampered_payment(
    pg_db: Database,
) -> None:
    report = checks.check_database(pg_db)
    assert report.ok, report.problems
    assert "各表之间的引用由数据库服务器强制保证（外键约束）" in report.passed
    assert "每条金额记录都与审计日志中新增它的记录一致" in report.passed
    assert any(line.startswith("审计日志") for line in report.passed)

    with pg_db.engine.begin() as owner:  # the owner, its triggers lifted for the edit
        owner.execute(text("ALTER TABLE payment DISABLE TRIGGER USER"))
        payment_id, total = owner.execute(
            text("SELECT id, total_fen FROM payment ORDER BY id LIMIT 1")
        ).one()
        owner.execute(
            text("UPDATE payment SET total_fen = total_fen - 100 WHERE id = :id"),
            {"id": payment_id},
        )
        owner.execute(text("ALTER TABLE payment ENABLE TRIGGER USER"))

    found = checks.check_database(pg_db).problems
    assert any(
        p.startswith(f"收款 #{payment_id}（收据 SJ00000001")
        and f"与审计日志记录的 ¥{total // 100:,}.{total % 100:02d} 不符" in p
        for p in found
    ), found


def test_the_key_is_found_on_another_counter_pc_by_server_and_database_name(
    pg_db: Database, admin: Actor, pg_url: str
) -> None:
    place = pg_tools.place(pg_url)
    assert place.endswith(f":5432/{make_url(pg_url).database}") and "@" not in place
    code = data_key.recovery_code(pg_db, admin)
    first_pc = keyring.get_keyring()
    second_pc = MemoryKeyring()
    keyring.set_keyring(second_pc)
    try:
        counter = Database(make_engine(pg_url))
        assert data_key.state(counter) is data_key.KeyState.NEEDS_RECOVERY
        data_key.recover(counter, code)
        counter.dispose()
        assert list(second_pc.entries) == [(data_key.KEYRING_SERVICE, place)]
        # Signed in to the server as someone else, the same entry opens it.
        as_clerk = make_url(pg_url).set(username="clerk").render_as_string(False)
        assert pg_tools.place(as_clerk) == place
        again = Database(make_engine(pg_url))
        assert data_key.unlock(again) is data_key.KeyState.READY
        again.dispose()
    finally:
        keyring.set_keyring(first_pc)


@pytest.fixture
def file_db(tmp_path: Path, new_database_file: Callable[[Path], Path]) -> Iterator[Database]:
    """A database file with its data key, whatever engine the suite runs on (`db` is a
    server database on PostgreSQL)."""
    db = open_at(new_database_file(tmp_path / "frontdesk.sqlite"))
    yield db
    db.dispose()


def test_copy_key_carries_a_files_key_to_the_server_databases_name(
    pg_db: Database, file_db: Database
) -> None:
    """What `move-to` needs: the file's key, kept under the server database's name once
    the server database holds the file's data key row."""
    db = file_db
    assert db.engine.dialect.name == "sqlite"
    with db.read() as session:
        row = session.execute(text("SELECT * FROM data_key")).mappings().one()
    with pg_db.engine.begin() as connection:
        connection.execute(text("DELETE FROM data_key"))
        connection.execute(
            text(
                'INSERT INTO data_key (id, key_id, mode, "check", salt, wrapped_key, created_at,'
                " recovery_exported_by) VALUES (1, :key_id, :mode, :check, :salt,"
                " :wrapped_key, :created_at, '')"
            ),
            {k: row[k] for k in ("key_id", "mode", "check", "salt", "wrapped_key")}
            | {"created_at": clock.utc_now()},
        )
    server = Database(make_engine(pg_db.engine.url.render_as_string(False)))
    try:
        assert data_key.state(server) is data_key.KeyState.NEEDS_RECOVERY
        assert data_key.copy_key(db, server)
        assert data_key.unlock(server) is data_key.KeyState.READY
        assert server.cipher is not None and db.cipher is not None
        assert server.cipher.key == db.cipher.key
    finally:
        server.dispose()


def test_a_restore_over_a_database_with_data_needs_confirming_and_keeps_it_aside(
    pg_db: Database, admin: Actor, pg_url: str
) -> None:
    taken = backups.make_backup(pg_db, admin, "manual")
    receipts = _rows(pg_url)["receipts"]
    users.create_user(pg_db, admin, users.NewUser("later", "后来者", Role.CASHIER, STAFF_PASSWORD))
    pg_db.dispose()
    with pytest.raises(RestoreRefused, match="确认替换后才能恢复"):
        server_restore.restore_server(pg_url, taken.path, SYSTEM)
    with pg_db.engine.connect(), pytest.raises(RestoreRefused, match="正在被使用"):
        server_restore.restore_server(pg_url, taken.path, SYSTEM, replace=True)
    pg_db.dispose()

    result = server_restore.restore_server(pg_url, taken.path, SYSTEM, replace=True)

    assert result.kept_aside is not None and result.kept_aside.name.endswith("-before-restore.dump")
    assert _rows(pg_url)["receipts"] == receipts
    with pg_db.read() as session:
        names = set(session.scalars(text("SELECT username FROM app_user")))
    assert "later" not in names and "admin" in names
    assert checks.check_database(pg_db).ok


def test_a_restore_killed_part_way_over_a_database_leaves_it_as_it_was(
    pg_db: Database, admin: Actor, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's counterpart of a file restore killed at any statement: pg_restore
    dies in the middle of its one transaction (some objects already dropped, waiting
    for the receipt table another session holds), and the database is as before."""
    taken = backups.make_backup(pg_db, admin, "manual")
    users.create_user(pg_db, admin, users.NewUser("later", "后来者", Role.CASHIER, STAFF_PASSWORD))
    before = _rows(pg_url)
    pg_db.dispose()
    target = make_url(pg_url).database
    real_run = pg_tools.run
    killed: list[int] = []
    pending: list[int] = []

    def killed_while_it_waits(
        command: list[str], env: dict[str, str]
    ) -> subprocess.CompletedProcess[str]:
        if "--clean" not in command or f"--dbname={target}" not in command:
            return real_run(command, env)  # the trial restore, the dump kept aside
        holder = create_engine(pg_url)
        # pg_stat_activity as it is now: read outside a transaction (inside one, a
        # backend sees the same snapshot of it until the transaction ends).
        watcher = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = :db"
            " AND application_name = 'pg_restore' AND wait_event_type = 'Lock'"
        )
        changed = text(  # tables its transaction has dropped or altered so far
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE a.datname = :db AND a.application_name = 'pg_restore' AND l.granted"
            " AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'"
        )
        try:
            with (
                holder.connect() as connection,
                connection.begin() as transaction,
                watcher.connect() as watch,
            ):
                connection.execute(text("LOCK TABLE receipt IN ACCESS SHARE MODE"))
                restore = subprocess.Popen(
                    command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
                while not watch.execute(waiting, {"db": target}).scalar_one():
                    assert restore.poll() is None, restore.communicate()[1]  # it cannot end
                pending.append(watch.execute(changed, {"db": target}).scalar_one())
                restore.kill()  # part-way through its one transaction
                out, err = restore.communicate()
                killed.append(restore.returncode)
                transaction.rollback()
        finally:
            holder.dispose()
            watcher.dispose()
        return subprocess.CompletedProcess(command, restore.returncode, out, err)

    monkeypatch.setattr(pg_tools, "run", killed_while_it_waits)
    with pytest.raises(BackupFailed, match="该数据库未改动"):
        server_restore.restore_server(pg_url, taken.path, SYSTEM, replace=True)
    monkeypatch.undo()

    assert killed == [-signal.SIGKILL]
    assert pending[0] > 0  # it had dropped things already, in its open transaction
    assert _rows(pg_url) == before  # the user added after the backup is still there
    db = _open(pg_url)
    try:
        assert checks.check_database(db).ok
    finally:
        db.dispose()
    server_restore.restore_server(pg_url, taken.path, SYSTEM, replace=True)  # again, whole
    assert _rows(pg_url)["receipts"] == before["receipts"]


def test_a_second_folder_gets_the_same_dump_and_only_dumps_of_ours_restore(
    pg_db: Database, admin: Actor, tmp_path: Path, pg_empty_url: str
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    backup_folder.set_second_folder(pg_db, admin, usb)
    result = backups.make_backup(pg_db, admin, "daily")
    assert result.second_copy is not None and result.second_copy.parent == usb
    assert result.second_copy.read_bytes() == result.path.read_bytes()
    assert result.warnings == ()

    not_a_dump = tmp_path / "frontdesk-20261125-100000-manual.sqlite"
    not_a_dump.write_bytes(b"SQLite format 3\x00")
    with pytest.raises(RestoreRefused, match="不是服务器数据库的备份"):
        server_restore.restore_server(pg_empty_url, not_a_dump, SYSTEM)
    garbage = tmp_path / "frontdesk-20261125-100000-manual.dump"
    garbage.write_bytes(result.path.read_bytes()[:200])  # cut short
    with pytest.raises(RestoreRefused, match="不能恢复"):
        server_restore.restore_server(pg_empty_url, garbage, SYSTEM)


def test_the_gui_restore_sends_a_server_database_to_the_command_line(
    pg_db: Database, admin: Actor, tmp_path: Path
) -> None:
    with pytest.raises(RestoreRefused, match=r"frontdesk restore 备份文件\.dump --db postgresql"):
        restore.plan_restore(pg_db, admin, tmp_path / "x.dump")


def test_a_billing_run_sealed_in_bulk_is_checked_on_the_server(
    pg_db: Database, admin: Actor
) -> None:
    """The seal holds the rows as SQLite stores them; read back from PostgreSQL (dates
    and times as objects) they are written the same way, so the seal matches there too."""
    billing.run_billing(pg_db, admin, Period(2026, 11), today=TODAY)
    assert money_audit_problems(pg_db) == []

    with pg_db.engine.begin() as owner:
        owner.execute(text("ALTER TABLE bill DISABLE TRIGGER USER"))
        bill_id = owner.execute(text("SELECT min(id) FROM bill")).scalar_one()
        owner.execute(
            text(
                "UPDATE bill SET amount_fen = amount_fen - 100, due_fen = due_fen - 100 "
                "WHERE id = :id"
            ),
            {"id": bill_id},
        )
        owner.execute(text("ALTER TABLE bill ENABLE TRIGGER USER"))

    found = money_audit_problems(pg_db)
    assert len(found) == 1 and found[0].startswith(f"账单 #{bill_id}（"), found
    assert "批量新增时记录的不符" in found[0]


def test_a_scratch_database_a_killed_backup_left_is_dropped_by_the_next(
    pg_db: Database, admin: Actor
) -> None:
    stale = f"{server_backups.SCRATCH_PREFIX}1000_deadbeef"  # made long ago
    recent = f"{server_backups.SCRATCH_PREFIX}{int(time.time())}_cafe0000"  # another's, now
    server = create_engine(pg_db.engine.url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            for name in (stale, recent):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        backups.make_backup(pg_db, admin, "manual")
        with server.connect() as connection:
            left = set(
                connection.scalars(
                    text("SELECT datname FROM pg_database WHERE datname LIKE 'fd_verify_%'")
                )
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{recent}"'))
    finally:
        server.dispose()
    # (another test process may be verifying its own backup on the same server now)
    assert stale not in left and recent in left


def test_a_counter_pc_without_a_keyring_opens_the_key_with_the_passphrase(
    pg_db: Database, admin: Actor, pg_url: str
) -> None:
    data_key.set_passphrase(pg_db, admin, "counter-pass-1")
    first_pc = keyring.get_keyring()
    keyring.set_keyring(NullKeyring())
    try:
        counter = Database(make_engine(pg_url))
        try:
            assert data_key.state(counter) is data_key.KeyState.NEEDS_PASSPHRASE
            assert data_key.unlock(counter, "counter-pass-1") is data_key.KeyState.READY
            assert audit.verify_chain(counter).ok
        finally:
            counter.dispose()
    finally:
        keyring.set_keyring(first_pc)


def test_the_password_reaches_pg_dump_in_its_environment_only(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(pg_url).set(username="clerk")
    keyring.set_password(pg_tools.PASSWORD_SERVICE, f"clerk@{pg_tools.place(url)}", "s3cret-pw")
    env = pg_tools.environment(url)
    assert env["PGPASSWORD"] == "s3cret-pw" and env["PGUSER"] == "clerk"
    assert env["PGDATABASE"] == url.database and env["PGPORT"] == "5432"
    # No keyring entry: a scheduled task's own PGPASSWORD is left to the client library.
    monkeypatch.setenv("PGPASSWORD", "from-the-task")
    assert pg_tools.environment(url.set(username="other"))["PGPASSWORD"] == "from-the-task"


def test_a_backup_passes_the_password_in_the_environment_never_on_the_command_line(
    pg_db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_db.engine.url
    name = f"{url.username}@{pg_tools.place(url)}"
    keyring.set_password(pg_tools.PASSWORD_SERVICE, name, "s3cret-pw")  # trust ignores it
    calls: list[tuple[list[str], dict[str, str]]] = []
    real_run = pg_tools.run

    def recorded(command: list[str], env: dict[str, str]) -> Any:
        calls.append((command, env))
        return real_run(command, env)

    monkeypatch.setattr(pg_tools, "run", recorded)
    backups.make_backup(pg_db, admin, "manual")
    dumps = [(c, e) for c, e in calls if "pg_dump" in Path(c[0]).name]
    assert len(dumps) == 1 and dumps[0][1]["PGPASSWORD"] == "s3cret-pw"
    assert all("s3cret-pw" not in " ".join(command) for command, _env in calls)
    assert any("--dbname=fd_verify_" in " ".join(command) for command, _env in calls)


def test_an_account_that_may_not_create_databases_gets_a_listed_backup(
    pg_db: Database, pg_url: str
) -> None:
    with pg_db.engine.begin() as owner:
        owner.execute(text("DROP ROLE IF EXISTS fd_clerk"))
        owner.execute(text("CREATE ROLE fd_clerk LOGIN NOCREATEDB"))
        owner.execute(text("GRANT pg_read_all_data, pg_write_all_data TO fd_clerk"))
    clerk = Database(make_engine(make_url(pg_url).set(username="fd_clerk").render_as_string(False)))
    try:
        assert data_key.copy_key(pg_db, clerk)  # the same place: the entry is already there
        data_key.unlock(clerk)
        result = backups.make_backup(clerk, users.login(clerk, "admin", ADMIN_PASSWORD), "manual")
    finally:
        clerk.dispose()
        with pg_db.engine.begin() as owner:
            owner.execute(text("DROP OWNED BY fd_clerk"))
            owner.execute(text("DROP ROLE fd_clerk"))
    assert result.verified == server_backups.LISTED_ONLY
    assert result.path.exists() and server_backups.dump_tables(
        pg_tools.installed_tools()[0], result.path
    ) >= set(server_restore.logged_snapshot(result.path).counts)


def test_a_dump_from_an_older_version_is_upgraded_after_its_restore(
    pg_empty_url: str, tmp_path: Path
) -> None:
    older = create(server_url(), "fd_older_version")
    try:
        engine = make_engine(older)
        with engine.connect() as connection, connection.begin():
            upgrade(connection, "0025")
        db = Database(engine)
        try:
            dump = tmp_path / "fd_older_version-20261125-100000-manual.dump"
            with db.engine.connect() as connection:
                tools = server_backups.tools_for_server(connection)
            server_backups.dump_into(db, tools, dump)
        finally:
            db.dispose()
    finally:
        drop(server_url(), "fd_older_version")

    result = server_restore.restore_server(pg_empty_url, dump, SYSTEM)

    assert result.upgraded_from == "0025"
    assert any("未能核对" in warning for warning in result.warnings)  # not in any log
    engine = make_engine(pg_empty_url)
    try:
        with engine.connect() as connection:
            assert current_revision(connection) == HEAD_REVISION
            actions = list(connection.scalars(text("SELECT action FROM audit_log ORDER BY id")))
    finally:
        engine.dispose()
    assert actions[-1] == "restore"


def test_check_runs_amcheck_on_the_indexes_where_the_server_has_it(pg_db: Database) -> None:
    with pg_db.engine.begin() as owner:
        owner.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    report = checks.check_database(pg_db)
    assert report.ok, report.problems
    assert "索引结构完整（amcheck）" in report.passed
    assert not any("属服务器管理员的检查范围" in line for line in report.passed)
