"""Migration 0020 on a file with people: every kept name gains its mixed key and its
keys read the surname as a surname (曾 zeng); an erased person's keys stay blank;
the mixed key is searched; 0020 goes down again cleanly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import alembic_config
from frontdesk.domain.household import PersonKind
from frontdesk.domain.roles import Actor
from frontdesk.services.database import Database, open_at
from frontdesk.services.households import file as households
from frontdesk.services.households import search, structure
from frontdesk.services.households.file import PersonInput
from frontdesk.services.households.structure import NewBuilding

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only


def migrate(path: Path, down_to: str | None) -> None:
    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        if down_to is None:
            command.upgrade(config, "head")
        else:
            command.downgrade(config, down_to)
        connection.commit()
    engine.dispose()


def person_keys(path: Path) -> list[tuple[str, ...]]:
    raw = sqlite3.connect(path)
    try:
        return raw.execute(
            "SELECT name, name_pinyin, name_initials, name_mixed FROM person ORDER BY id"
        ).fetchall()
    finally:
        raw.close()


def test_a_0019_file_gains_mixed_keys_and_surname_readings(db: Database, admin: Actor) -> None:
    path = Path(str(db.engine.url.database))
    structure.create_building(db, admin, NewBuilding("1", "", 2, 1, 2, "89.5"))
    room = structure.find_room_id(db, admin, "1-1-101")
    for name in ("曾小贤", "陈圆圆", "已删除"):
        households.add_record(db, admin, room, PersonInput(PersonKind.RESIDENT, name))
    db.dispose()

    migrate(path, "0019")
    raw = sqlite3.connect(path)
    with raw:
        # the keys as the old code wrote them, and a person the erasure tool blanked
        raw.execute("UPDATE person SET name_pinyin = 'cengxiaoxian', name_initials = 'cxx'")
        raw.execute("UPDATE person SET name_pinyin = '', name_initials = '' WHERE name = '已删除'")
        raw.execute(
            "UPDATE person SET name_pinyin = 'chenyuanyuan', name_initials = 'cyy' "
            "WHERE name = '陈圆圆'"
        )
    columns = {row[1] for row in raw.execute("PRAGMA table_info(person)")}
    raw.close()
    assert "name_mixed" not in columns

    db = open_at(path)  # upgrades to the head
    assert [h.room_code for h in search.find_households(db, admin, "chenyy")] == ["1-1-101"]
    assert search.find_households(db, admin, "zengxx")
    assert not search.find_households(db, admin, "cengxx")
    db.dispose()
    assert person_keys(path) == [
        ("曾小贤", "zengxiaoxian", "zxx", "zengxx"),
        ("陈圆圆", "chenyuanyuan", "cyy", "chenyy"),
        ("已删除", "", "", ""),
    ]

    migrate(path, "0019")
    raw = sqlite3.connect(path)
    columns = {row[1] for row in raw.execute("PRAGMA table_info(person)")}
    indexes = {row[1] for row in raw.execute("PRAGMA index_list(person)")}
    raw.close()
    assert "name_mixed" not in columns and "ix_person_name_mixed" not in indexes
