"""快递代收: taking parcels in, pick-up codes, hand-over on the code or the tracking
number (once), the shelf lists and search, the home screen's lines, the shift book's
item, and the retention purge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.domain.household import PersonKind
from frontdesk.domain.parcels import IdentityCheck, ParcelState, new_code
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import NotFound, PermissionDenied, UserError, ValidationError
from frontdesk.services.database import Database
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.parcels import (
    HandOver,
    ParcelInput,
    ParcelSettings,
    find_parcel,
    hand_over,
    handover_item,
    parcel_photo,
    purge_personal_data,
    recipients,
    search_parcels,
    set_parcel_settings,
    shelf_count,
    take_in,
    today_lines,
    waiting_parcels,
)
from tests.unit.photos import png

# 2026-11-25 10:00 in Beijing; the zone is pinned so "a day" is a Beijing day.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


@pytest.fixture
def rooms(db: Database, admin: Actor) -> list[int]:
    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))


@pytest.fixture
def owner(db: Database, admin: Actor, rooms: list[int]) -> int:
    households.add_record(
        db, admin, rooms[0], households.PersonInput(PersonKind.TENANT, "李四", phone="13900002222")
    )
    return households.add_record(
        db, admin, rooms[0], households.PersonInput(PersonKind.OWNER, "张三", phone="13800001111")
    )


def parcel(room: int, **changes: object) -> ParcelInput:
    values: dict[str, object] = {
        "room_id": room,
        "courier": "顺丰",
        "tracking": "sf 1234 5678 9012",
        "shelf": "A3",
        "recipient": "张三",
    }
    values.update(changes)
    return ParcelInput(**values)  # type: ignore[arg-type]


def test_a_parcel_gets_the_days_number_and_a_six_digit_code(db, admin, rooms) -> None:
    first = take_in(db, admin, parcel(rooms[0]), now=NOW)
    second = take_in(db, admin, parcel(rooms[1], tracking="YT0000000001"), now=NOW)
    assert (first.number, second.number) == ("KD2611250001", "KD2611250002")
    assert first.code.isdigit() and len(first.code) == 6
    assert first.code != second.code
    assert first.tracking == "SF123456789012"
    assert first.tracking_tail == "…9012"
    assert (first.room_code, first.recipient, first.shelf) == ("3-1-101", "张三", "A3")
    assert first.state == ParcelState.WAITING


def test_the_recipient_is_chosen_among_the_households_people(db, admin, rooms, owner) -> None:
    people = recipients(db, admin, rooms[0])
    assert [(p.name, p.who, p.phone) for p in people] == [
        ("张三", "业主", "138****1111"),
        ("李四", "租户", "139****2222"),
    ]
    row = take_in(db, admin, parcel(rooms[0], person_id=owner, recipient=""), now=NOW)
    assert row.recipient == "张三"
    with pytest.raises(ValidationError) as caught:
        take_in(db, admin, parcel(rooms[1], person_id=owner, recipient=""), now=NOW)
    assert caught.value.field == "收件人"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"room_id": 99999}, "收件房屋"),
        ({"tracking": " "}, "快递单号"),
        ({"tracking": "12*45"}, "快递单号"),
        ({"courier": "飞鸽"}, "快递公司"),
        ({"shelf": ""}, "货架位置"),
        ({"recipient": ""}, "收件人"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(db, admin, rooms, changes, field) -> None:
    with pytest.raises(ValidationError) as caught:
        take_in(db, admin, parcel(rooms[0], **changes), now=NOW)
    assert caught.value.field == field
    assert waiting_parcels(db, admin, now=NOW) == []


def test_a_parcel_waiting_is_not_taken_in_twice(db, admin, rooms) -> None:
    first = take_in(db, admin, parcel(rooms[0]), now=NOW)
    with pytest.raises(ValidationError, match=first.number):
        take_in(db, admin, parcel(rooms[0]), now=NOW)
    assert len(waiting_parcels(db, admin, now=NOW)) == 1


def test_a_new_code_skips_the_codes_of_waiting_parcels() -> None:
    assert new_code(set(), draw=42) == "000042"
    assert new_code({"000042"}, draw=42) != "000042"


def test_hand_over_on_the_code_records_who_and_how(db, admin, rooms, make_user) -> None:
    row = take_in(db, admin, parcel(rooms[0]), now=NOW)
    clerk = make_user(Role.CLERK)
    found = find_parcel(db, clerk, f" {row.code[:3]} {row.code[3:]} ", now=NOW)
    assert found.id == row.id
    later = NOW + timedelta(hours=5)
    done = hand_over(db, clerk, HandOver(found.id, IdentityCheck.CODE), now=later)
    assert done.state == ParcelState.COLLECTED
    assert done.collected_at == later
    assert done.collected_text == "本人 张三（取件码）"
    assert done.handed_by == "前台甲"
    assert waiting_parcels(db, clerk, now=later) == []


def test_hand_over_on_the_tracking_number_to_someone_named(db, admin, rooms) -> None:
    row = take_in(db, admin, parcel(rooms[0]), now=NOW)
    found = find_parcel(db, admin, "SF123456789012", now=NOW)
    assert found.id == row.id
    done = hand_over(
        db, admin, HandOver(row.id, IdentityCheck.ID_CARD, "王五", by_proxy=True), now=NOW
    )
    assert done.collected_text == "代取 王五（身份证）"


def test_a_parcel_collected_twice_is_refused_and_nothing_changes(db, admin, rooms) -> None:
    row = take_in(db, admin, parcel(rooms[0]), now=NOW)
    first = hand_over(db, admin, HandOver(row.id, IdentityCheck.CODE), now=NOW)
    with pytest.raises(UserError, match="不能重复取件"):
        hand_over(
            db, admin, HandOver(row.id, IdentityCheck.PHONE, "王五", True), now=NOW + timedelta(1)
        )
    again = find_parcel(db, admin, row.number, now=NOW)
    assert (again.collected_at, again.collected_text) == (first.collected_at, "本人 张三（取件码）")


def test_a_code_that_matches_nothing_says_so(db, admin, rooms) -> None:
    row = take_in(db, admin, parcel(rooms[0]), now=NOW)
    hand_over(db, admin, HandOver(row.id, IdentityCheck.CODE), now=NOW)
    with pytest.raises(NotFound, match="000000"):
        find_parcel(db, admin, "000000" if row.code != "000000" else "000001", now=NOW)
    with pytest.raises(ValidationError):
        find_parcel(db, admin, "  ", now=NOW)


def test_a_proxy_needs_a_name_and_more_than_a_known_face(db, admin, rooms) -> None:
    row = take_in(db, admin, parcel(rooms[0]), now=NOW)
    with pytest.raises(ValidationError) as caught:
        hand_over(db, admin, HandOver(row.id, IdentityCheck.CODE, "", by_proxy=True), now=NOW)
    assert caught.value.field == "取件人"
    with pytest.raises(ValidationError) as caught:
        hand_over(db, admin, HandOver(row.id, IdentityCheck.KNOWN_FACE, "王五", True), now=NOW)
    assert caught.value.field == "核验方式"
    assert find_parcel(db, admin, row.code, now=NOW).collected_at is None


def test_overdue_after_the_settings_days_and_butlers_see_their_buildings(
    db, admin, rooms, make_user
) -> None:
    old = take_in(db, admin, parcel(rooms[0]), now=NOW - timedelta(days=3))
    take_in(db, admin, parcel(rooms[1], tracking="YT0000000001"), now=NOW - timedelta(days=2))
    listed = waiting_parcels(db, admin, overdue_only=True, now=NOW)
    assert [r.id for r in listed] == [old.id]
    assert listed[0].days == 3
    assert shelf_count(db, admin, NOW).overdue == 1
    butler = make_user(Role.BUTLER)
    assert waiting_parcels(db, butler, overdue_only=True, now=NOW) == []
    building = structure.list_buildings(db, admin)[0].id
    households.assign_butler(db, admin, building, butler.user_id)
    assert len(waiting_parcels(db, butler, overdue_only=True, now=NOW)) == 1
    set_parcel_settings(db, admin, ParcelSettings(overdue_days=2))
    assert shelf_count(db, admin, NOW).overdue == 2


def test_search_by_room_name_phone_tail_and_tracking(db, admin, rooms, owner) -> None:
    mine = take_in(db, admin, parcel(rooms[0], person_id=owner, recipient=""), now=NOW)
    other = take_in(db, admin, parcel(rooms[1], tracking="YT0000000001", recipient="赵六"), now=NOW)
    assert [r.id for r in search_parcels(db, admin, "3-1-101", now=NOW)] == [mine.id]
    assert [r.id for r in search_parcels(db, admin, "赵", now=NOW)] == [other.id]
    assert [r.id for r in search_parcels(db, admin, "1111", now=NOW)] == [mine.id]
    assert [r.id for r in search_parcels(db, admin, "yt0000000001", now=NOW)] == [other.id]
    assert search_parcels(db, admin, "9999", now=NOW) == []


def test_home_screen_lines_and_the_shift_books_item(db, admin, rooms) -> None:
    take_in(db, admin, parcel(rooms[0]), now=NOW - timedelta(days=4))
    take_in(db, admin, parcel(rooms[1], tracking="YT0000000001"), now=NOW)
    lines = {line.key: line for line in today_lines(db, admin, NOW)}
    assert lines["parcels_waiting"].text == "待取快递 2 件"
    assert lines["parcels_overdue"].count == 1
    assert lines["parcels_overdue"].lead.tab == "快递代收"
    item = handover_item(db, admin, NOW)
    assert (item.register, item.count) == ("快递代收", 2)
    assert item.text == "待取快递 2 件，其中超期未取 1 件"
    assert item.details == ("3-1-101 顺丰 …9012 货架 A3（已放 4 天）",)


def test_a_cashier_keeps_no_parcels(db, admin, rooms, make_user) -> None:
    cashier = make_user(Role.CASHIER)
    with pytest.raises(PermissionDenied):
        take_in(db, cashier, parcel(rooms[0]), now=NOW)
    assert today_lines(db, cashier, NOW) == []


def test_retention_erases_names_of_collected_parcels_only(db, admin, rooms, owner) -> None:
    long_ago = NOW - timedelta(days=200)
    gone = take_in(db, admin, parcel(rooms[0], person_id=owner, recipient=""), now=long_ago)
    hand_over(db, admin, HandOver(gone.id, IdentityCheck.PHONE, "王五", True), now=long_ago)
    still = take_in(db, admin, parcel(rooms[1], tracking="YT0000000001"), now=long_ago)
    recent = take_in(db, admin, parcel(rooms[1], tracking="YT0000000002"), now=NOW)
    hand_over(db, admin, HandOver(recent.id, IdentityCheck.CODE), now=NOW)
    from frontdesk.domain.issued import Output
    from frontdesk.printouts.parcels import parcel_label
    from frontdesk.services.notices import register as issued_documents
    from frontdesk.services.parcels import purge_parcels

    for row in (gone, recent):
        issued_documents.record(db, admin, parcel_label(db, row), Output.PRINTED)
    assert purge_personal_data(db, admin, now=NOW, dry_run=True) == 1
    assert purge_parcels(db, admin, now=NOW, dry_run=True).labels == 1
    assert find_parcel(db, admin, gone.number, now=NOW).recipient == "张三"
    assert purge_parcels(db, admin, now=NOW).labels == 1
    erased = find_parcel(db, admin, gone.number, now=NOW)
    assert (erased.recipient, erased.collector, erased.purged) == ("（已按期清除）",) * 2 + (True,)
    assert (erased.room_code, erased.courier) == ("3-1-101", "顺丰")
    assert find_parcel(db, admin, still.number, now=NOW).recipient == "张三"
    assert find_parcel(db, admin, recent.number, now=NOW).recipient == "张三"
    assert search_parcels(db, admin, "1111", now=NOW) == []
    assert purge_personal_data(db, admin, now=NOW) == 0


def test_personal_data_tools_find_export_and_erase_parcels(
    db, admin, rooms, owner, tmp_path
) -> None:
    from openpyxl import load_workbook

    from frontdesk.services.personal import RecordKind, erase_person, export_person, find_person

    waiting = take_in(db, admin, parcel(rooms[0], person_id=owner, recipient=""), now=NOW)
    taken = take_in(db, admin, parcel(rooms[1], tracking="YT0000000001", recipient="赵六"), now=NOW)
    hand_over(db, admin, HandOver(taken.id, IdentityCheck.ID_CARD, "张三", True), now=NOW)
    found = [r for r in find_person(db, admin, phone="13800001111") if r.kind == RecordKind.PARCEL]
    assert [(r.record_id, r.erasable, r.candidate) for r in found] == [(waiting.id, False, True)]
    by_name = [r for r in find_person(db, admin, name="张三") if r.kind == RecordKind.PARCEL]
    assert sorted(r.record_id for r in by_name) == sorted([waiting.id, taken.id])
    assert export_person(db, admin, by_name, tmp_path / "copy.xlsx") == 2
    sheet = load_workbook(tmp_path / "copy.xlsx")["快递代收"]
    assert {row[0] for row in sheet.iter_rows(values_only=True)} >= {waiting.number, taken.number}
    from frontdesk.domain.issued import Output
    from frontdesk.printouts.parcels import parcel_label
    from frontdesk.services.notices import register as issued_documents

    issued_documents.record(db, admin, parcel_label(db, taken), Output.PRINTED)
    report = erase_person(db, admin, by_name, "本人申请删除")
    assert len(report.kept) == 1 and "尚未取走" in report.kept[0].reason
    assert report.documents == 1  # the collected parcel's stored label
    erased = find_parcel(db, admin, taken.number, now=NOW)
    assert (erased.recipient, erased.collector) == ("（已按期清除）", "（已按期清除）")
    assert find_parcel(db, admin, waiting.code, now=NOW).recipient == "张三"


def stored(db: Database, sha256: str) -> bool:
    from frontdesk.services.households.attachments import stored_attachments

    return stored_attachments(db).read(sha256) is not None


def photo_hash(db: Database, parcel_id: int) -> str:
    from frontdesk.db.models import Parcel

    with db.read() as session:
        parcel = session.get(Parcel, parcel_id)
        assert parcel is not None
        return parcel.sha256


def test_a_parcel_is_taken_in_with_its_photo_or_without(db, admin, rooms, tmp_path) -> None:
    photo = png(tmp_path / "waybill.png")
    with_photo = take_in(db, admin, parcel(rooms[0]), photo=photo, now=NOW)
    without = take_in(db, admin, parcel(rooms[1], tracking="YT0000000001"), now=NOW)
    assert with_photo.has_photo and not without.has_photo
    assert parcel_photo(db, admin, with_photo.id) == photo.read_bytes()
    with pytest.raises(NotFound, match="没有照片"):
        parcel_photo(db, admin, without.id)
    text = tmp_path / "waybill.txt"
    text.write_text("不是图片")
    with pytest.raises(ValidationError, match="不是 JPG 或 PNG"):
        take_in(db, admin, parcel(rooms[1], tracking="YT0000000002"), photo=text, now=NOW)
    assert [r.tracking for r in search_parcels(db, admin, "YT0000000002", now=NOW)] == []


def test_the_purge_removes_a_collected_parcels_photo(db, admin, rooms, tmp_path) -> None:
    long_ago = NOW - timedelta(days=200)
    photo = png(tmp_path / "waybill.png")
    gone = take_in(db, admin, parcel(rooms[0]), photo=photo, now=long_ago)
    hand_over(db, admin, HandOver(gone.id, IdentityCheck.CODE), now=long_ago)
    still = take_in(db, admin, parcel(rooms[1], tracking="YT0000000001"), photo=photo, now=NOW)
    sha256 = photo_hash(db, gone.id)
    purge_personal_data(db, admin, now=NOW)
    assert not find_parcel(db, admin, gone.number, now=NOW).has_photo
    assert stored(db, sha256)  # the waiting parcel's photo is the same file
    assert parcel_photo(db, admin, still.id) == photo.read_bytes()
    hand_over(db, admin, HandOver(still.id, IdentityCheck.CODE), now=NOW)
    purge_personal_data(db, admin, now=NOW + timedelta(days=200))
    assert not stored(db, sha256)


def test_erasing_a_parcel_removes_its_photo(db, admin, rooms, tmp_path) -> None:
    from frontdesk.services.personal import RecordKind, erase_person, find_person

    taken = take_in(
        db, admin, parcel(rooms[1], recipient="赵六"), photo=png(tmp_path / "a.png"), now=NOW
    )
    hand_over(db, admin, HandOver(taken.id, IdentityCheck.ID_CARD), now=NOW)
    sha256 = photo_hash(db, taken.id)
    refs = [r for r in find_person(db, admin, name="赵六") if r.kind == RecordKind.PARCEL]
    erase_person(db, admin, refs, "本人申请删除")
    with pytest.raises(NotFound, match="没有照片"):
        parcel_photo(db, admin, taken.id)
    assert not stored(db, sha256)
