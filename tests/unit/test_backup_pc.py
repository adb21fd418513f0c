"""Which PC takes the automatic backups (issue 23): a database file's own PC; of a
server database, one PC named in the database — the first to come to back it up, or
the one a supervisor hands the duty to — while every PC shows the last backup taken."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain.location import parse_location
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied
from frontdesk.services import users
from frontdesk.services.database import Database, open_at
from frontdesk.services.protection import backup_folder, backup_pc
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD


def _at_pc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> Path:
    """Sit at the PC `name`: its network name and its own data folder."""
    monkeypatch.setattr(backup_pc, "this_pc", lambda: name)
    home = tmp_path / name
    monkeypatch.setenv("FRONTDESK_HOME", str(home))
    return home


def _dumps(home: Path) -> list[Path]:
    return sorted(home.rglob("*.dump"))


@pytest.mark.sqlite_only  # a database file: the PC it lives on
def test_a_files_own_pc_takes_its_backups(db: Database) -> None:
    duty = backup_pc.backup_duty(db)
    assert duty.here and not duty.on_server
    result = backup_pc.automatic_backup(db, "daily")
    assert result is not None and result.path.exists()
    assert backup_folder.last_good_backup(db) == result.taken_at


@pytest.fixture
def server(pg_url: str) -> Iterator[Database]:
    db = open_at(parse_location(pg_url))
    users.initialize(
        db, users.FirstRunInput("测试小区", "admin", "管理员", ADMIN_PASSWORD, ADMIN_PASSWORD)
    )
    yield db
    db.dispose()


@pytest.mark.postgres
def test_the_first_pc_to_back_up_a_server_database_takes_the_duty(
    server: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert backup_pc.backup_duty(server).pc is None
    assert backup_pc.backup_duty(server).shown() == "尚未指定：第一台自动备份的电脑负责"
    front = _at_pc(monkeypatch, tmp_path, "QIANTAI-PC")
    taken = backup_pc.automatic_backup(server, "daily")
    assert taken is not None and _dumps(front) == [taken.path]
    assert backup_pc.backup_duty(server).shown() == "QIANTAI-PC（本机）"

    cashier = _at_pc(monkeypatch, tmp_path, "SHOUFEI-PC")
    assert backup_pc.automatic_backup(server, "daily") is None
    assert backup_pc.automatic_backup(server, "close") is None
    assert _dumps(cashier) == []
    duty = backup_pc.backup_duty(server)
    assert (duty.pc, duty.here, duty.shown()) == ("QIANTAI-PC", False, "QIANTAI-PC")
    # this PC has no backup of its own, yet shows the one the front desk took
    assert backup_folder.backups_of(server) == []
    # recorded once verified, a moment after it was taken
    last = backup_folder.last_good_backup(server)
    assert last is not None and timedelta(0) <= last - taken.taken_at < timedelta(minutes=1)
    assert backup_folder.backup_due(server)  # due here, were this PC on duty


@pytest.mark.postgres
def test_a_supervisor_hands_the_duty_to_the_pc_they_sit_at(
    server: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    admin = users.login(server, "admin", ADMIN_PASSWORD)
    users.create_user(
        server, admin, users.NewUser("qiantai1", "前台甲", Role.CLERK, STAFF_PASSWORD)
    )
    clerk: Actor = users.login(server, "qiantai1", STAFF_PASSWORD)
    _at_pc(monkeypatch, tmp_path, "QIANTAI-PC")
    assert backup_pc.automatic_backup(server, "daily") is not None

    office = _at_pc(monkeypatch, tmp_path, "BANGONG-PC")
    with pytest.raises(PermissionDenied):
        backup_pc.take_backup_duty(server, clerk)
    assert backup_pc.backup_duty(server).pc == "QIANTAI-PC"
    assert backup_pc.take_backup_duty(server, admin).shown() == "BANGONG-PC（本机）"
    taken = backup_pc.automatic_backup(server, "close")
    assert taken is not None and _dumps(office) == [taken.path]
    with server.read() as session:
        entries = session.execute(
            select(AuditEntry.summary, AuditEntry.changes, AuditEntry.username)
            .where(AuditEntry.entity == "setting")
            .order_by(AuditEntry.id)
        ).all()
    assert [e.summary for e in entries] == [
        "新增系统设置「负责自动备份的电脑」",
        "修改系统设置「负责自动备份的电脑」",
    ]
    assert "QIANTAI-PC" in entries[1].changes and "BANGONG-PC" in entries[1].changes
    assert entries[1].username == "admin"

    _at_pc(monkeypatch, tmp_path, "QIANTAI-PC")
    assert backup_pc.automatic_backup(server, "daily") is None
