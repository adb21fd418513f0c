"""A 0009 file (ID numbers in the clear, in rows and in the audit log) opens, is
upgraded, and keeps no clear number anywhere; its audit chain still verifies."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import insert, select

from frontdesk.db.audit import entry_hash
from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import alembic_config, open_database
from frontdesk.db.models import AuditEntry
from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.roles import SYSTEM
from frontdesk.services.database import open_at
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.file import PersonInput
from frontdesk.services.households.structure import NewBuilding
from frontdesk.services.protection import audit, data_key
from frontdesk.services.protection.data_key import KeyState

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only

ID = "11010519491231002X"


def _old_program_entry(connection, summary: str, changes: dict) -> None:
    """An entry as the program before 0010 wrote it: plain hash, the number whole."""
    fields = {
        "at": clock.utc_now().isoformat(timespec="microseconds"),
        "user_id": None,
        "username": SYSTEM.username,
        "action": "update",
        "entity": "person",
        "entity_id": "1",
        "summary": summary,
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
    }
    prev = connection.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
    connection.execute(
        insert(AuditEntry).values(
            **dict(fields, at=clock.utc_now()),
            prev_hash=prev,
            hash=entry_hash(prev, fields),
        )
    )


def _as_0009_with_clear_numbers(path: Path, admin) -> int:
    db = open_database(path)  # no data key: an old program's log is plain
    structure.create_building(db, admin, NewBuilding("1", "", 1, 1, 1, "89.5"))
    room = structure.room_ids(db, admin)[0]
    households.add_record(db, admin, room, PersonInput(PersonKind.OWNER, "张三", Relation.SELF))
    db.dispose()
    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
        connection.commit()
        connection.exec_driver_sql("UPDATE person SET id_type = 'resident', id_number = ?", (ID,))
        _old_program_entry(connection, "修改人员「张三」", {"id_number": ["", ID]})
        connection.commit()
    engine.dispose()
    return room


def test_a_0009_file_is_sealed_and_its_log_masked(tmp_path: Path, admin) -> None:
    path = tmp_path / "old" / "frontdesk.sqlite"
    path.parent.mkdir()
    room = _as_0009_with_clear_numbers(path, admin)
    raw = sqlite3.connect(path)
    assert ID in raw.execute("SELECT group_concat(changes, '') FROM audit_log").fetchone()[0]
    raw.close()

    db = open_at(path)
    try:
        assert data_key.state(db) == KeyState.READY
        check = audit.verify_chain(db)
        assert check.ok, check
        file = households.open_file(db, admin, room, reveal=True)
        assert file.people[0].id_number == ID
    finally:
        db.dispose()
    raw = sqlite3.connect(path)
    try:
        dump = "\n".join(raw.iterdump())
    finally:
        raw.close()
    assert ID not in dump
    assert "110***********002X" in dump
    assert list(path.parent.glob("frontdesk.before-upgrade-0009-*.sqlite"))
    assert IdType.RESIDENT.value in dump
