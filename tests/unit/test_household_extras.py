"""Attachments stored by hash, the butler contact log and coverage, care visits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk.db.file_store import sha256_of_file
from frontdesk.domain import clock
from frontdesk.domain.household import CareCategory, PersonKind
from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import EnvironmentProblem, PermissionDenied, ValidationError
from frontdesk.services.households import attachments, butler_contacts, care, structure
from frontdesk.services.households import file as households
from frontdesk.services.households.butler_contacts import ContactInput
from frontdesk.services.households.file import CareInput, PersonInput
from frontdesk.services.households.structure import NewBuilding, RoomChange
from frontdesk.services.protection import audit
from tests.stored_files import attachment_hashes, tamper_attachment

TODAY = clock.today()


@pytest.fixture
def setup(db, admin, make_user):
    """Building 1 (12 homes, 10 lived in) looked after by `guanjia`; building 2 by nobody."""
    structure.create_building(db, admin, NewBuilding("1", "", 3, 2, 2, "89.5"))
    structure.create_building(db, admin, NewBuilding("2", "", 1, 1, 2, "89.5"))
    butler = make_user(Role.BUTLER, "guanjia")
    first, _second = structure.list_buildings(db, admin)
    households.assign_butler(db, admin, first.id, butler.user_id)
    rooms = {r.code: r.id for r in structure.room_rows(db, admin, structure.room_ids(db, admin))}
    for code, room_id in rooms.items():
        if code.startswith("1-") and code not in ("1-1-101", "1-1-102"):
            structure.update_room(
                db, admin, room_id, RoomChange("89.5", RoomType.RESIDENCE, RoomStatus.OCCUPIED)
            )
    households.add_record(db, admin, rooms["1-2-301"], PersonInput(PersonKind.OWNER, "张三"))
    return butler, rooms


# attachments -----------------------------------------------------------------------


def test_a_scan_is_stored_once_by_hash_and_opened_after_a_check(db, admin, setup, tmp_path) -> None:
    _butler, rooms = setup
    scan = tmp_path / "产权证.pdf"
    scan.write_bytes(b"%PDF-1.4 certificate")
    first = attachments.add_attachment(db, admin, rooms["1-1-201"], scan, "产权证", "不动产权证")
    second = attachments.add_attachment(db, admin, rooms["1-1-202"], scan, "产权证", "")
    listed = attachments.list_attachments(db, admin, rooms["1-1-201"])
    assert [(a.title, a.filename, a.size) for a in listed] == [("不动产权证", "产权证.pdf", 20)]
    assert attachment_hashes(db) == {sha256_of_file(scan)}  # one file for both records
    path = attachments.open_attachment(db, admin, first)
    assert path.read_bytes() == scan.read_bytes()
    assert audit.room_history(db, admin, rooms["1-1-201"])[0].summary == "打开附件「不动产权证」"
    attachments.remove_attachment(db, admin, first)
    assert path.exists() and attachment_hashes(db)  # still used by the second record
    attachments.remove_attachment(db, admin, second)
    assert not path.exists() and attachment_hashes(db) == set()


def test_a_tampered_scan_is_refused(db, admin, setup, tmp_path) -> None:
    _butler, rooms = setup
    scan = tmp_path / "id.jpg"
    scan.write_bytes(b"jpeg bytes")
    record = attachments.add_attachment(db, admin, rooms["1-1-201"], scan, "身份证件", "身份证")
    stored = attachments.open_attachment(db, admin, record)
    tamper_attachment(db, sha256_of_file(stored), b"something else")
    with pytest.raises(EnvironmentProblem, match="已被改动"):
        attachments.open_attachment(db, admin, record)


def test_attachment_rules(db, admin, make_user, setup, tmp_path) -> None:
    _butler, rooms = setup
    scan = tmp_path / "a.pdf"
    scan.write_bytes(b"x")
    with pytest.raises(ValidationError, match="附件类别"):
        attachments.add_attachment(db, admin, rooms["1-1-201"], scan, "照片", "x")
    with pytest.raises(ValidationError, match="找不到文件"):
        attachments.add_attachment(db, admin, rooms["1-1-201"], tmp_path / "no.pdf", "其他", "x")
    record = attachments.add_attachment(db, admin, rooms["1-1-201"], scan, "其他", "x")
    cashier = make_user(Role.CASHIER)
    assert attachments.list_attachments(db, cashier, rooms["1-1-201"])
    with pytest.raises(PermissionDenied):
        attachments.open_attachment(db, cashier, record)


# butler contacts -------------------------------------------------------------------


def test_coverage_counts_households_reached_this_month(db, admin, setup) -> None:
    butler, rooms = setup
    contact = ContactInput(TODAY, "电话", "日常回访", "业主满意")
    butler_contacts.record_contact(db, butler, rooms["1-1-201"], contact)
    butler_contacts.record_contact(db, butler, rooms["1-1-201"], contact)  # same home twice
    rows = butler_contacts.coverage(db, butler, TODAY)
    assert [(r.butler, r.households, r.contacted) for r in rows] == [("管家甲", 10, 1)]
    assert rows[0].target_met and rows[0].percent == 10.0  # 1 of 10 homes: the 10% target
    butler_contacts.record_contact(db, butler, rooms["1-1-202"], contact)
    assert butler_contacts.coverage(db, admin, TODAY)[0].percent == 20.0
    last_month = butler_contacts.coverage(db, admin, TODAY.replace(day=1) - timedelta(days=1))
    assert last_month[0].contacted == 0 and not last_month[0].target_met


def test_longest_uncontacted_lists_never_reached_homes_first(db, admin, setup) -> None:
    butler, rooms = setup
    butler_contacts.record_contact(
        db, butler, rooms["1-2-301"], ContactInput(TODAY, "上门", "回访")
    )
    quiet = butler_contacts.longest_uncontacted(db, butler, butler.user_id, limit=20)
    assert len(quiet) == 10
    assert quiet[-1].room_code == "1-2-301" and quiet[-1].last_contact == TODAY
    assert quiet[-1].owners == ("张三",)
    assert all(q.last_contact is None for q in quiet[:-1])


def test_butlers_log_their_own_buildings_and_see_their_own_coverage(
    db, admin, make_user, setup
) -> None:
    butler, rooms = setup
    with pytest.raises(PermissionDenied):
        butler_contacts.record_contact(
            db, butler, rooms["2-1-101"], ContactInput(TODAY, "电话", "x")
        )
    other = make_user(Role.BUTLER, "guanjia2")
    with pytest.raises(PermissionDenied):
        butler_contacts.coverage(db, other, TODAY, butler_id=butler.user_id)
    with pytest.raises(PermissionDenied):
        butler_contacts.coverage(db, make_user(Role.CLERK), TODAY)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ContactInput(TODAY, "飞鸽", "x"), "联系方式"),
        (ContactInput(TODAY + timedelta(days=1), "电话", "x"), "联系日期"),
        (ContactInput(TODAY, "电话", " "), "事由"),
        (ContactInput(TODAY, "电话", "x", follow_up_on=TODAY - timedelta(days=1)), "跟进日期"),
    ],
)
def test_bad_contacts_name_the_field(db, setup, data, field) -> None:
    butler, rooms = setup
    with pytest.raises(ValidationError, match=f"^{field}："):
        butler_contacts.record_contact(db, butler, rooms["1-1-201"], data)
    assert butler_contacts.list_contacts(db, butler, rooms["1-1-201"]) == []


def test_a_follow_up_is_due_until_the_household_is_contacted_again(db, admin, setup) -> None:
    butler, rooms = setup
    earlier = TODAY - timedelta(days=5)
    butler_contacts.record_contact(
        db, butler, rooms["1-1-201"], ContactInput(earlier, "电话", "漏水", follow_up_on=TODAY)
    )
    assert [c.topic for c in butler_contacts.due_follow_ups(db, butler, TODAY)] == ["漏水"]
    butler_contacts.record_contact(
        db, butler, rooms["1-1-201"], ContactInput(TODAY, "上门", "复查")
    )
    assert butler_contacts.due_follow_ups(db, butler, TODAY) == []


# care visits -----------------------------------------------------------------------


def test_care_visits_fall_due_and_a_visit_counts_as_a_contact(db, admin, setup) -> None:
    butler, rooms = setup
    households.add_record(
        db,
        butler,
        rooms["1-1-201"],
        CareInput("王奶奶", CareCategory.ALONE, "独居", 7, TODAY - timedelta(days=10)),
    )
    households.add_record(
        db,
        butler,
        rooms["1-1-202"],
        CareInput("李爷爷", CareCategory.DISABLED, "", 30, TODAY - timedelta(days=3)),
    )
    due = care.visits_due(db, butler, TODAY)
    assert [(v.person_name, v.days_overdue(TODAY), v.butler) for v in due] == [
        ("王奶奶", 3, "管家甲")
    ]
    care.record_visit(db, butler, due[0].care_id, TODAY, "身体尚好")
    assert care.visits_due(db, butler, TODAY) == []
    logged = butler_contacts.list_contacts(db, admin, rooms["1-1-201"])
    assert [(c.channel, c.topic, c.outcome) for c in logged] == [
        ("上门", "关怀探访：王奶奶", "身体尚好")
    ]
