"""The audit log: every write recorded, nothing editable, tampering detected."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError

from frontdesk.domain.roles import Role
from frontdesk.errors import PermissionDenied
from frontdesk.services import community
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.protection import audit


def _building(db, actor, code="9"):
    data = structure.NewBuilding(code, "", floors=2, units=1, rooms_per_floor=2, area_m2="90")
    return structure.create_building(db, actor, data)


def test_every_write_records_who_what_and_the_change(db, admin) -> None:
    _building(db, admin)
    room_id = structure.room_ids(db, admin)[0]
    change = structure.RoomChange(
        "95.5", structure.RoomType.RESIDENCE, structure.RoomStatus.OCCUPIED
    )
    structure.update_room(db, admin, room_id, change)
    newest = audit.entry_rows(db, admin, audit.entry_ids(db, admin)[:1])[0]
    assert newest.username == "admin"
    assert newest.action == "update"
    assert newest.summary == "修改房屋「9-1-101」"
    assert newest.changes == {"area_m2_x100": [9000, 9550], "status": ["unsold", "occupied"]}


def test_creating_a_building_audits_building_unit_and_each_room(db, admin) -> None:
    _building(db, admin)
    summaries = [r.summary for r in audit.entry_rows(db, admin, audit.entry_ids(db, admin))]
    assert "新增楼栋「9栋」" in summaries
    assert "新增单元「9栋1单元」" in summaries
    assert sum(s.startswith("新增房屋") for s in summaries) == 4


def test_filters(db, admin, make_user) -> None:
    clerk = make_user(Role.CLERK)
    _building(db, admin)
    by_user = audit.entry_rows(
        db, admin, audit.entry_ids(db, admin, audit.AuditFilter(username=clerk.username))
    )
    assert by_user and all(r.username == clerk.username for r in by_user)
    by_text = audit.entry_ids(db, admin, audit.AuditFilter(text="9-1-202"))
    assert len(by_text) == 1
    logins = audit.entry_ids(db, admin, audit.AuditFilter(action="login"))
    assert len(logins) == 2  # admin and the clerk


def test_clerks_cannot_browse_the_log(db, make_user) -> None:
    with pytest.raises(PermissionDenied):
        audit.entry_ids(db, make_user(Role.CLERK))


def test_supervisors_can(db, make_user) -> None:
    assert audit.entry_ids(db, make_user(Role.SUPERVISOR))


@pytest.mark.sqlite_only  # edits the file through sqlite3 (a server: test_postgres_rules.py)
def test_the_database_refuses_to_change_or_delete_entries(db: Database, admin) -> None:
    raw = sqlite3.connect(db.engine.url.database)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE audit_log SET summary = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM audit_log")
    raw.close()
    assert audit.verify_chain(db).ok


@pytest.mark.sqlite_only  # edits the file through sqlite3 (a server: test_postgres_rules.py)
def test_chain_check_finds_a_forged_entry(db: Database, admin) -> None:
    community.set_idle_lock_minutes(db, admin, 5)
    community.set_idle_lock_minutes(db, admin, 7)
    assert audit.verify_chain(db).ok
    raw = sqlite3.connect(db.engine.url.database)
    raw.execute("DROP TRIGGER audit_log_no_update")  # someone with the file and a SQLite tool
    target = raw.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
    raw.execute("UPDATE audit_log SET username = 'ghost' WHERE id = ?", (target,))
    raw.commit()
    raw.close()
    check = audit.verify_chain(db)
    assert not check.ok
    assert check.first_broken_id == target


def test_a_failed_use_case_leaves_no_audit_entry(db, admin) -> None:
    before = len(audit.entry_ids(db, admin))
    _building(db, admin, "7")
    after_first = len(audit.entry_ids(db, admin))
    with pytest.raises(Exception) as error:
        _building(db, admin, "7")
    assert not isinstance(error.value, IntegrityError)  # refused by the service, cleanly
    assert len(audit.entry_ids(db, admin)) == after_first > before
