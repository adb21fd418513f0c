"""Who did it: every `<verb>_by` name snapshot has the user's id beside it, written
through db/who.py by every writer, and the audit history reads as before."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

import frontdesk
from frontdesk.db.base import Base
from frontdesk.db.models import AuditEntry, Visit
from frontdesk.domain.roles import SYSTEM, Role
from frontdesk.services.households import structure
from frontdesk.services.visitors.register import VisitInput, register_visit, sign_out

SOURCE = Path(frontdesk.__file__).parent
# Household members, not users: who asked for a booking, who answered the call, the
# owner who signed a key's authorisation, the owner who agreed to a tenant's goods pass.
NOT_USERS = {
    ("visit_booking", "booked_by"),
    ("visit", "confirmed_by"),
    ("held_key", "authorised_by"),
    ("goods_pass", "consent_by"),
}


def who_columns() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.name.endswith("_by")
    }


def test_every_by_column_but_the_households_own_has_a_user_id() -> None:
    columns = who_columns() - NOT_USERS
    assert len(columns) == 53  # issue 25 added the imports' and saved mappings' 3
    for table, name in sorted(columns):
        id_column = Base.metadata.tables[table].columns[f"{name}_id"]
        assert id_column.nullable, table
        assert [fk.target_fullname for fk in id_column.foreign_keys] == ["app_user.id"], table


def test_no_writer_sets_a_by_column_but_through_db_who() -> None:
    names = sorted({name for _table, name in who_columns() - NOT_USERS})
    alternatives = "|".join(names)
    written = re.compile(
        rf"\.({alternatives})\s*(=(?!=)|,[^\n]*=)"  # row.left_by = …, row.a, row.left_by = …
        rf"|\b({alternatives})\s*=\s*actor\b"  # Visit(registered_by=actor.display_name)
    )
    for line in (
        "visit.left_by = actor.display_name",
        "defect.checked_on, defect.checked_by = on, actor.display_name",
        "Visit(registered_by=actor.display_name)",
    ):
        assert written.search(line), line  # what the scan is there to catch
    offenders = [
        f"{path.relative_to(SOURCE)}:{number}: {line.strip()}"
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts and path.name != "who.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if written.search(line)
    ]
    assert offenders == []


def test_a_visit_records_the_clerks_id_and_name_and_the_log_stays_as_it_was(
    db, admin, make_user
) -> None:
    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 1, 1, 1, "89.50")
    )
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    clerk = make_user(Role.CLERK)
    now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    data = VisitInput(room, "王五", "13912345678", confirmed_by="业主 张三")
    row = register_visit(db, clerk, data, now=now)
    sign_out(db, SYSTEM, row.number, now=now)
    with db.read() as session:
        stored = session.scalars(select(Visit)).one()
        changes = [
            json.loads(c)
            for c in session.scalars(select(AuditEntry.changes).where(AuditEntry.entity == "visit"))
        ]
    assert (stored.registered_by, stored.registered_by_id) == (clerk.display_name, clerk.user_id)
    assert (stored.left_by, stored.left_by_id) == ("系统", None)
    assert changes and not [key for c in changes for key in c if key.endswith("_by_id")]
