"""An erased person stays out of the audit log (issue 18 §4): the log is append-only,
so it keeps names, phones, plates and ID numbers only masked; after a PIPL erasure
nothing of the person is left in its rows (on either engine) or in the file's bytes
where the log is (a database file)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from frontdesk.services.database import Database
from frontdesk.services.personal.erase import erase_person
from frontdesk.services.personal.rights import find_person, make_query
from tests.unit.test_personal_data import (  # noqa: F401 (fixtures)
    NOW,
    PHONE,
    TENANT_ID,
    World,
    _beijing,
    world,
)

CLEAR = ("李四", PHONE, "139-1234-5678", "139 1234 5678", PHONE[::-1], TENANT_ID, "粤B12345")


def _erase(people: World) -> None:
    query = make_query("李四", PHONE, TENANT_ID)
    refs = find_person(people.db, people.admin, name="李四", phone=PHONE, id_number=TENANT_ID)
    erase_person(people.db, people.admin, refs, "本人书面申请删除", query=query, now=NOW)


def _log_text(db: Database) -> str:
    """Every audit row as the database holds it (no column type reads it back)."""
    with db.read() as session:
        rows = session.execute(text("SELECT * FROM audit_log")).all()
    return "\n".join("|".join(str(v) for v in row) for row in rows)


def test_an_erased_persons_name_phone_and_id_are_not_in_the_audit_log(
    world: World,  # noqa: F811 (the fixture imported above)
) -> None:
    _erase(world)
    logged = _log_text(world.db)
    assert "李*" in logged  # the entries are there, masked
    for clear in CLEAR:
        assert clear not in logged, clear


@pytest.mark.sqlite_only  # the bytes of the database file
def test_an_erased_persons_phone_and_id_are_not_in_the_files_bytes(
    world: World,  # noqa: F811 (the fixture imported above)
) -> None:
    path = Path(str(world.db.engine.url.database))
    _erase(world)
    world.db.dispose()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # The raw bytes of the file: the log's pages hold none of it either (the payment
    # keeps its payer's name as accounting records must; that row is not the log).
    data = path.read_bytes()
    for clear in (PHONE, "139-1234-5678", PHONE[::-1], TENANT_ID):
        assert clear.encode() not in data, clear
