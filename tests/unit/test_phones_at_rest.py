"""Phones encrypted at rest (issue 18): found as before by the whole number, by its
last four or more digits and as typed with spaces and dashes, through keyed look-up
values; never in the file's bytes; `check` names one left in the clear; whole numbers
are not exported without the key."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from sqlalchemy import text

from frontdesk.db.protection import KeyUnavailable
from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.errors import ValidationError
from frontdesk.services.database import open_at
from frontdesk.services.households import file as households
from frontdesk.services.households import roster, search, structure
from frontdesk.services.households.file import PersonInput
from frontdesk.services.protection import checks, data_key
from frontdesk.services.protection.data_key import KeyState
from frontdesk.services.visitors.history import VisitFilter, search_visits
from frontdesk.services.visitors.register import VisitInput, register_visit
from tests.memory_keyring import MemoryKeyring

RESIDENT = "13812345678"
VISITOR = "13912345678"  # the same last eight digits: a tail finds both kinds of record
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@pytest.fixture
def room(db, admin) -> int:
    structure.create_building(db, admin, structure.NewBuilding("1", "", 1, 1, 2, "89.5"))
    return structure.room_ids(db, admin)[0]


@pytest.fixture
def people(db, admin, room) -> tuple[int, str]:
    """A resident and a visitor of the room; the visit's pass number."""
    households.add_record(
        db, admin, room, PersonInput(PersonKind.OWNER, "张三", Relation.SELF, phone=RESIDENT)
    )
    data = VisitInput(
        room_id=room, visitor_name="王五", visitor_phone=VISITOR, confirmed_by="业主 张三"
    )
    return room, register_visit(db, admin, data, now=NOW).number


def _path(db) -> Path:
    return Path(db.engine.url.database)


def _file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


@pytest.mark.parametrize(
    "typed", ["5678", "345678", "13812345678", "138 1234 5678", "138 1234-5678", "138-1234-5678"]
)
def test_a_resident_is_found_by_the_tail_the_whole_number_or_as_typed(
    db, admin, people, typed
) -> None:
    room, _ = people
    hits = search.find_households(db, admin, typed)
    assert [h.room_id for h in hits] == [room]
    assert hits[0].matched == "产权人 张三 电话尾号 5678"


def test_other_digits_find_nobody_and_a_room_code_stays_a_room_code(db, admin, people) -> None:
    assert search.find_households(db, admin, "1234") == []  # no phone ends in 1234
    assert search.find_households(db, admin, "13812345679") == []
    hits = search.find_households(db, admin, "1-1-101")
    assert [h.matched for h in hits] == ["房号"]


@pytest.mark.parametrize("typed", ["5678", "2345678", "13912345678", "139 1234-5678"])
def test_a_visitor_is_found_by_the_tail_the_whole_number_or_as_typed(
    db, admin, people, typed
) -> None:
    _, number = people
    found = search_visits(db, admin, VisitFilter(phone=typed))
    assert [v.number for v in found] == [number]
    assert found[0].phone == "139****5678"


def test_a_visitor_filter_that_is_no_phone_names_the_field(db, admin, people) -> None:
    with pytest.raises(ValidationError, match="访客电话"):
        search_visits(db, admin, VisitFilter(phone="12a"))
    assert search_visits(db, admin, VisitFilter(phone="13900000000")) == []


def _stored(db, sql: str, **values):
    """One value as the database holds it, on either engine (no column type decrypts)."""
    with db.read() as session:
        return session.execute(text(sql), values).scalar_one()


def test_phones_are_sealed_in_the_rows(db, admin, people) -> None:
    phone = _stored(db, "SELECT phone FROM person")
    visitor = _stored(db, "SELECT visitor_phone FROM visit")
    assert phone.startswith("e1:") and visitor.startswith("e1:")
    # one look-up per tail of 4 to 11 digits, for each of the two phones
    assert _stored(db, "SELECT count(*) FROM phone_lookup") == 8 + 8


@pytest.mark.sqlite_only  # the bytes of the database file
def test_phones_are_absent_from_the_file(db, admin, people) -> None:
    path = _path(db)
    db.dispose()
    data = _file_bytes(path)
    for number in (RESIDENT, VISITOR, RESIDENT[::-1], "1234 5678"):
        assert number.encode() not in data


def test_check_names_a_phone_left_in_the_clear(db, admin, people) -> None:
    assert "电话号码均已加密保存" in checks.check_database(db).passed
    with db.engine.begin() as raw:  # another tool, behind the program's back
        raw.execute(text("UPDATE person SET phone = '13800000000'"))
        raw.execute(text("UPDATE renovation_worker SET phone = '13700000000'"))  # no row
        raw.execute(text("UPDATE visit SET visitor_phone = '13600000000'"))
    report = checks.check_database(db)
    assert "人员：1 个电话号码未加密保存" in report.problems
    assert "访客登记：1 个电话号码未加密保存" in report.problems
    assert "电话号码均已加密保存" not in report.passed


@pytest.mark.sqlite_only  # reads or copies the file itself
def test_a_copy_without_the_key_exports_no_roster(db, admin, people, tmp_path) -> None:
    db.dispose()
    copy = tmp_path / "copy" / "frontdesk.sqlite"
    copy.parent.mkdir()
    shutil.copy(_path(db), copy)
    keyring.set_keyring(MemoryKeyring())  # another PC
    thief = open_at(copy)
    try:
        assert data_key.state(thief) == KeyState.NEEDS_RECOVERY
        out = tmp_path / "名册.xlsx"
        with pytest.raises(KeyUnavailable, match="证件号码和电话号码已加密"):
            roster.export_roster(thief, admin, out)
        assert not out.exists()
        assert search.find_households(thief, admin, "5678") == []
    finally:
        thief.dispose()


def test_the_demo_seals_id_numbers_and_phones_as_it_writes_them(tmp_path) -> None:
    """The demo's bulk rows go in sealed: no window in which the file holds them clear
    (before, 2,646 ID numbers waited in the clear for the first open with the key)."""
    from sqlalchemy import select

    from frontdesk.db.models import Person, Visit
    from frontdesk.demo import build_demo

    path = tmp_path / "demo.sqlite"
    build_demo(path, households=20, seed=5)
    data = _file_bytes(path)
    with closing(sqlite3.connect(path)) as raw:
        clear = raw.execute(
            "SELECT count(*) FROM person WHERE (id_number != '' AND id_number NOT LIKE 'e1:%')"
            " OR (phone != '' AND phone NOT LIKE 'e1:%')"
        ).fetchone()[0]
    assert clear == 0
    db = open_at(path)
    try:
        with db.read() as session:
            numbers = set(session.scalars(select(Person.id_number).where(Person.id_number != "")))
            phones = set(session.scalars(select(Person.phone).where(Person.phone != "")))
            phones |= set(
                session.scalars(select(Visit.visitor_phone).where(Visit.visitor_phone != ""))
            )
    finally:
        db.dispose()
    assert len(numbers) > 10 and len(phones) > 50
    assert [n for n in numbers | phones if n.encode() in data] == []


def _tokens(db, entity: str) -> int:
    sql = "SELECT count(*) FROM phone_lookup WHERE entity = :entity"
    return int(_stored(db, sql, entity=entity))


def test_look_ups_go_with_the_phone_they_index(db, admin, room, people) -> None:
    """A changed phone is found by its new tail only; an erased person's and a purged
    visit's tokens are gone, so no look-up outlives the number it stood for."""
    from datetime import timedelta

    from frontdesk.services.personal.erase import erase_person
    from frontdesk.services.personal.rights import RecordKind, find_person
    from frontdesk.services.visitors.settings import purge_visitor_data

    [person] = households.open_file(db, admin, room).people
    changed = PersonInput(PersonKind.OWNER, "张三", Relation.SELF, phone="010-87654321")
    households.update_record(db, admin, person.id, changed)
    assert search.find_households(db, admin, "5678") == []
    assert [h.room_id for h in search.find_households(db, admin, "4321")] == [room]
    assert [h.room_id for h in search.find_households(db, admin, "01087654321")] == [room]
    assert _tokens(db, "person") == 8  # 4321 … 01087654321
    households.end_person(db, admin, person.id, clock.today(), "房屋出售")
    refs = [r for r in find_person(db, admin, phone="01087654321") if r.kind is RecordKind.PERSON]
    erase_person(db, admin, refs, "本人书面申请删除")
    assert _tokens(db, "person") == 0
    assert _tokens(db, "visit") == 8
    purge_visitor_data(db, admin, now=NOW + timedelta(days=400))
    assert _tokens(db, "visit") == 0
    assert search_visits(db, admin, VisitFilter(phone="5678")) == []


@pytest.mark.sqlite_only  # reads or copies the file itself
def test_a_copy_without_the_key_imports_no_roster(db, admin, people, tmp_path) -> None:
    """Duplicates are judged on whole numbers: without the key an import (even a dry run)
    is refused before it reads a row, not judged against 「（已加密）」."""
    roster_file = tmp_path / "名册.xlsx"
    roster.export_roster(db, admin, roster_file)
    db.dispose()
    copy = tmp_path / "copy" / "frontdesk.sqlite"
    copy.parent.mkdir()
    shutil.copy(_path(db), copy)
    keyring.set_keyring(MemoryKeyring())
    thief = open_at(copy)
    try:
        for dry_run in (True, False):
            with pytest.raises(KeyUnavailable, match="证件号码和电话号码已加密"):
                roster.import_roster(thief, admin, roster_file, dry_run=dry_run)
    finally:
        thief.dispose()
