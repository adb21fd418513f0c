"""The household file service: records, validation, butler scope, masking, history, search."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from frontdesk.domain import clock
from frontdesk.domain.household import CareCategory, ParkingKind, PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.services import stats
from frontdesk.services.households import file as households
from frontdesk.services.households import search, structure
from frontdesk.services.households.file import (
    CareInput,
    ParkingInput,
    PersonInput,
    PetInput,
    ProfileInput,
    VehicleInput,
)
from frontdesk.services.households.structure import NewBuilding, RoomChange
from frontdesk.services.protection import audit
from frontdesk.services.protection.audit_text import change_lines

ID = "11010519491231002X"
OWNER = PersonInput(
    PersonKind.OWNER, "张三", Relation.SELF, "男", IdType.RESIDENT, ID, "138 1234 5678", "100%"
)


@pytest.fixture
def rooms(db, admin) -> dict[str, int]:
    """Building 1 (2 units x 3 floors x 2 rooms) and a garage building G of 4 spaces."""
    structure.create_building(db, admin, NewBuilding("1", "", 3, 2, 2, "89.5"))
    structure.create_building(db, admin, NewBuilding("9", "地下车库", 1, 0, 4, "12.5"))
    codes = {}
    for row in structure.room_rows(db, admin, structure.room_ids(db, admin)):
        codes[row.code] = row.id
        if row.code.startswith("9-"):
            structure.update_room(
                db, admin, row.id, RoomChange("12.5", RoomType.PARKING, row.status)
            )
    return codes


@pytest.fixture
def butler_buildings(db, admin, make_user, rooms):
    """A butler looking after building 1, and another looking after nothing."""
    mine = make_user(Role.BUTLER, "guanjia")
    other = make_user(Role.BUTLER, "guanjia2")
    building = structure.list_buildings(db, admin)[0]
    households.assign_butler(db, admin, building.id, mine.user_id)
    return mine, other


def test_a_whole_file_is_kept_and_read_back(db, admin, rooms) -> None:
    room = rooms["1-2-301"]
    households.add_record(db, admin, room, OWNER)
    households.add_record(
        db, admin, room, PersonInput(PersonKind.RESIDENT, "张小明", Relation.CHILD)
    )
    households.add_record(
        db,
        admin,
        room,
        PersonInput(
            PersonKind.TENANT,
            "李四",
            Relation.TENANT,
            phone="13900001111",
            lease_start=date(2026, 1, 1),
            lease_end=date(2026, 12, 31),
        ),
    )
    households.add_record(db, admin, room, VehicleInput("浙a·12345", "大众朗逸", "白色"))
    households.add_record(
        db, admin, room, ParkingInput(rooms["9-101"], ParkingKind.RENTED, date(2026, 1, 1))
    )
    households.add_record(
        db, admin, room, PetInput("犬", "豆豆", "柯基", "宁犬001", date(2026, 3, 1))
    )
    households.add_record(
        db, admin, room, CareInput("张奶奶", CareCategory.ALONE, "独自在家", 7, date(2026, 11, 1))
    )
    households.update_profile(
        db, admin, room, ProfileInput(date(2020, 5, 1), "微信", "VIP，楼长", "喜欢早上联系")
    )
    file = households.open_file(db, admin, room, reveal=True)
    assert file.room.code == "1-2-301"
    assert [p.name for p in file.people] == ["张三", "张小明", "李四"]  # owners first
    assert [p.name for p in file.owners] == ["张三"]
    assert file.people[0].phone == "13812345678"
    assert file.vehicles[0].plate == "浙A12345"
    assert file.parking[0].space_code == "9-101"
    assert file.pets[0].licence_no == "宁犬001"
    assert file.care[0].next_visit_on(date(2026, 11, 25)) == date(2026, 11, 8)
    assert file.tags == ["VIP", "楼长"]
    assert file.profile.move_in_on == date(2020, 5, 1)
    counts = stats.counts(db)
    assert (counts["households"], counts["persons"], counts["vehicles"], counts["pets"]) == (
        1,
        3,
        1,
        1,
    )


def test_ids_and_phones_are_masked_unless_revealed_and_revealing_is_audited(
    db, admin, rooms
) -> None:
    room = rooms["1-1-101"]
    households.add_record(db, admin, room, OWNER)
    masked = households.open_file(db, admin, room)
    assert masked.masked and masked.people[0].id_number == "110***********002X"
    assert masked.people[0].phone == "138****5678"
    before = len(audit.room_history(db, admin, room))
    whole = households.open_file(db, admin, room, reveal=True)
    assert whole.people[0].id_number == ID
    history = audit.room_history(db, admin, room)
    assert len(history) == before + 1
    assert history[0].action == "reveal" and "1-1-101" in history[0].summary


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PersonInput(PersonKind.OWNER, " "), "姓名：不能为空"),
        (PersonInput(PersonKind.OWNER, "张三", id_number="110105194912310021"), "证件号码："),
        (PersonInput(PersonKind.OWNER, "张三", phone="12345"), "电话："),
        (
            PersonInput(
                PersonKind.TENANT, "李四", lease_start=date(2026, 5, 1), lease_end=date(2026, 4, 1)
            ),
            "租期结束：不能早于租期开始",
        ),
        (VehicleInput("浙A1234"), "车牌号："),
        (PetInput("鹦鹉"), "种类："),
        (CareInput("王奶奶", CareCategory.ALONE, visit_every_days=0), "探访周期："),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(db, admin, rooms, data, message) -> None:
    room = rooms["1-1-101"]
    entries = len(audit.room_history(db, admin, room))
    with pytest.raises(ValidationError) as caught:
        households.add_record(db, admin, room, data)
    assert caught.value.message.startswith(message)
    file = households.open_file(db, admin, room)
    assert (file.people, file.vehicles, file.pets, file.care) == ((), (), (), ())
    assert len(audit.room_history(db, admin, room)) == entries


def test_a_plate_is_registered_to_one_household_only(db, admin, rooms) -> None:
    households.add_record(db, admin, rooms["1-1-101"], VehicleInput("浙A12345"))
    with pytest.raises(ValidationError, match="已登记在 1-1-101"):
        households.add_record(db, admin, rooms["1-1-102"], VehicleInput("浙A 12345"))


def test_a_parking_space_in_use_cannot_be_given_to_another_household(db, admin, rooms) -> None:
    space = rooms["9-101"]
    households.add_record(db, admin, rooms["1-1-101"], ParkingInput(space, ParkingKind.OWNED))
    with pytest.raises(ValidationError, match="已登记给其他住户"):
        households.add_record(db, admin, rooms["1-1-102"], ParkingInput(space, ParkingKind.RENTED))
    with pytest.raises(ValidationError, match="车位：请选择一个车位"):
        households.add_record(
            db, admin, rooms["1-1-102"], ParkingInput(rooms["1-1-201"], ParkingKind.RENTED)
        )


def test_butlers_edit_and_unmask_their_own_buildings_only(db, butler_buildings, rooms) -> None:
    mine, other = butler_buildings
    room = rooms["1-1-101"]
    households.add_record(db, mine, room, OWNER)
    file = households.open_file(db, mine, room, reveal=True)
    assert file.can_edit and file.can_reveal and file.people[0].id_number == ID
    seen_by_other = households.open_file(db, other, room)
    assert not seen_by_other.can_edit and not seen_by_other.can_reveal
    assert seen_by_other.people[0].phone == "138****5678"
    with pytest.raises(PermissionDenied, match="自己负责楼栋"):
        households.open_file(db, other, room, reveal=True)
    with pytest.raises(PermissionDenied):
        households.add_record(db, other, room, VehicleInput("浙B12345"))
    with pytest.raises(PermissionDenied):
        households.end_person(db, other, file.people[0].id, date(2026, 11, 1), "迁出")


def test_cashiers_read_masked_files_and_cannot_change_them(db, admin, make_user, rooms) -> None:
    cashier = make_user(Role.CASHIER)
    room = rooms["1-1-101"]
    households.add_record(db, admin, room, OWNER)
    file = households.open_file(db, cashier, room)
    assert file.masked and not file.can_edit and not file.can_reveal
    with pytest.raises(PermissionDenied):
        households.open_file(db, cashier, room, reveal=True)
    with pytest.raises(PermissionDenied):
        households.update_profile(db, cashier, room, ProfileInput(notes="x"))


def test_clerks_edit_but_cannot_unmask(db, admin, make_user, rooms) -> None:
    clerk = make_user(Role.CLERK)
    households.add_record(db, clerk, rooms["1-1-101"], OWNER)
    file = households.open_file(db, clerk, rooms["1-1-101"])
    assert file.can_edit and not file.can_reveal


def test_history_lists_who_changed_which_field_masked_like_the_file(db, admin, rooms) -> None:
    room = rooms["1-1-101"]
    person = households.add_record(db, admin, room, OWNER)
    households.update_record(
        db, admin, person, PersonInput(PersonKind.OWNER, "张三", phone="13900002222")
    )
    households.end_person(db, admin, person, date(2026, 11, 1), "迁出")
    history = audit.room_history(db, admin, room)
    assert [h.action for h in history] == ["update", "update", "create", "create"]  # +room
    assert history[0].changes["left_on"] == [None, "2026-11-01"]
    assert history[1].username == "admin"
    assert history[1].changes["phone"] == ["138****5678", "139****2222"]
    assert "phone_reversed" not in history[1].changes
    assert "name_pinyin" not in history[2].changes
    # The log never held the whole numbers (issue 18): unmasking the history shows the same.
    whole = audit.room_history(db, admin, room, masked=False)
    assert whole[1].changes["phone"] == ["138****5678", "139****2222"]


def test_masked_values_sent_back_from_a_masked_form_leave_the_stored_ones(db, admin, rooms) -> None:
    room = rooms["1-1-101"]
    person = households.add_record(db, admin, room, OWNER)
    shown = households.open_file(db, admin, room).people[0]
    edited = households.input_of(shown)
    households.update_record(db, admin, person, replace(edited, name="张叁"))
    whole = households.open_file(db, admin, room, reveal=True).people[0]
    assert (whole.name, whole.id_number, whole.phone) == ("张叁", ID, "13812345678")


def test_history_belongs_to_the_room_only(db, admin, rooms) -> None:
    households.add_record(db, admin, rooms["1-1-101"], OWNER)
    history = audit.room_history(db, admin, rooms["1-1-102"])
    assert [h.entity for h in history] == ["room"]  # only its own creation


def test_a_room_status_change_is_in_its_history(db, admin, rooms) -> None:
    room = rooms["1-1-101"]
    structure.update_room(
        db, admin, room, RoomChange("89.5", RoomType.RESIDENCE, RoomStatus.OCCUPIED)
    )
    assert audit.room_history(db, admin, room)[0].changes["status"] == ["unsold", "occupied"]


def test_only_a_working_butler_can_be_assigned(db, admin, make_user, rooms) -> None:
    clerk = make_user(Role.CLERK)
    building = structure.list_buildings(db, admin)[0]
    with pytest.raises(ValidationError, match="管家"):
        households.assign_butler(db, admin, building.id, clerk.user_id)
    with pytest.raises(PermissionDenied):
        households.assign_butler(db, clerk, building.id, None)


# search -------------------------------------------------------------------------


@pytest.fixture
def people(db, admin, rooms) -> dict[str, int]:
    households.add_record(db, admin, rooms["1-2-301"], OWNER)
    households.add_record(
        db, admin, rooms["1-1-301"], PersonInput(PersonKind.OWNER, "欧阳娜娜", phone="13955556666")
    )
    households.add_record(
        db, admin, rooms["1-1-101"], PersonInput(PersonKind.TENANT, "张三丰", phone="0571-88885678")
    )
    households.add_record(db, admin, rooms["1-1-101"], VehicleInput("浙AD12345"))
    return rooms


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("1-2-301", ["1-2-301"]),
        ("1栋2单元301", ["1-2-301"]),
        ("1#301", ["1-1-301", "1-2-301"]),
        ("301", ["1-1-301", "1-2-301"]),
        ("张三", ["1-2-301", "1-1-101"]),  # owners before tenants
        ("zs", ["1-2-301", "1-1-101"]),
        ("zhangsan", ["1-2-301", "1-1-101"]),
        ("zhangsanf", ["1-1-101"]),
        ("oyn", ["1-1-301"]),
        ("ouyang", ["1-1-301"]),
        ("5678", ["1-2-301", "1-1-101"]),  # last four digits of a mobile and a landline
        ("85678", ["1-1-101"]),
        ("浙AD12345", ["1-1-101"]),
        ("AD123", ["1-1-101"]),
        ("浙ad", []),
        ("李", []),
        ("", []),
    ],
)
def test_find_households_the_way_clerks_type(db, admin, people, text, codes) -> None:
    assert [h.room_code for h in search.find_households(db, admin, text)] == codes


def test_a_bare_number_within_a_building(db, admin, people) -> None:
    garage = structure.list_buildings(db, admin)[1]
    assert [
        h.room_code for h in search.find_households(db, admin, "101", building_id=garage.id)
    ] == ["9-101"]


def test_a_hit_says_whose_household_it_is_and_why_it_matched(db, admin, people) -> None:
    hit = search.find_households(db, admin, "5678")[0]
    assert hit.owners == ("张三",) and hit.place == "1栋2单元301室"
    assert hit.matched == "产权人 张三 电话尾号 5678"
    global_hit = search.search(db, admin, "1-1-101").hits[0]
    assert global_hit.subtitle == "1栋1单元101室 · 无产权人登记 · 未售"


def test_unmasked_history_needs_the_unmasking_permission_in_scope(
    db, admin, make_user, rooms
) -> None:
    room = rooms["1-1-101"]
    households.add_record(db, admin, room, OWNER)
    with pytest.raises(PermissionDenied):
        audit.room_history(db, make_user(Role.CASHIER), room, masked=False)
    with pytest.raises(PermissionDenied):
        audit.room_history(db, make_user(Role.BUTLER, "guanjia9"), room, masked=False)
    assert audit.room_history(db, make_user(Role.CASHIER, "shoufei2"), room)  # masked is fine


def test_reloading_an_unmasked_file_is_one_unmasking_not_many(db, admin, make_user, rooms) -> None:
    room = rooms["1-1-101"]
    households.add_record(db, admin, room, OWNER)
    for _ in range(3):
        households.open_file(db, admin, room, reveal=True)
    reveals = [h for h in audit.room_history(db, admin, room) if h.action == "reveal"]
    assert len(reveals) == 1
    supervisor = make_user(Role.SUPERVISOR)
    households.open_file(db, supervisor, room, reveal=True)  # another person: another entry
    assert len([h for h in audit.room_history(db, admin, room) if h.action == "reveal"]) == 2


def test_a_new_records_history_lists_only_the_values_it_was_given(db, admin, rooms) -> None:
    room = rooms["1-1-101"]
    households.add_record(
        db, admin, room, PersonInput(PersonKind.RESIDENT, "李梅", Relation.SPOUSE)
    )
    created = audit.room_history(db, admin, room)[0]
    assert sorted(change_lines(created)) == sorted(
        ["类别：住户", "关系：配偶", "姓名：李*", "在此居住：是"]  # the log keeps names masked
    )


# people are never deleted at the counter (issue 18, section 4) ---------------------------


def test_a_current_owner_cannot_be_deleted_by_a_clerk(db, admin, make_user, rooms) -> None:
    clerk = make_user(Role.CLERK)
    room = rooms["1-1-101"]
    owner = households.add_record(db, admin, room, OWNER)
    with pytest.raises(UserError, match="户档案中的人员不能删除"):
        households.remove_record(db, clerk, PersonInput, owner)
    file = households.open_file(db, admin, room, reveal=True)
    assert [(p.id, p.name, p.id_number) for p in file.people] == [(owner, "张三", ID)]
    assert "delete" not in {h.action for h in audit.room_history(db, admin, room)}


def test_a_person_just_entered_by_mistake_is_not_deleted_either(db, admin, make_user, rooms):
    """Even the clerk's own entry of a minute ago stays: it is corrected by editing, or
    marked 登记有误 and kept in the history, so the file shows who entered what."""
    clerk = make_user(Role.CLERK)
    room = rooms["1-1-101"]
    slip = households.add_record(db, clerk, room, PersonInput(PersonKind.RESIDENT, "张山"))
    with pytest.raises(UserError):
        households.remove_record(db, clerk, PersonInput, slip)
    households.end_person(db, clerk, slip, clock.today(), "登记有误")
    file = households.open_file(db, clerk, room)
    assert file.people == ()
    assert [(p.name, p.left_on, p.left_reason) for p in file.former] == [
        ("张山", clock.today(), "登记有误")
    ]


def test_moving_out_keeps_the_person_in_the_files_history(db, admin, make_user, rooms) -> None:
    clerk = make_user(Role.CLERK)
    room = rooms["1-1-101"]
    owner = households.add_record(db, clerk, room, OWNER)
    tenant = households.add_record(
        db,
        clerk,
        room,
        PersonInput(PersonKind.TENANT, "李四", phone="13900001111", lease_start=date(2025, 3, 1)),
    )
    left = clock.today() - timedelta(days=3)
    with pytest.raises(ValidationError, match="迁出日期：不能晚于今天"):
        households.end_person(db, clerk, tenant, clock.today() + timedelta(days=1), "租期结束")
    with pytest.raises(ValidationError, match="迁出日期：不能早于租期开始"):
        households.end_person(db, clerk, tenant, date(2025, 2, 1), "租期结束")
    with pytest.raises(ValidationError, match="迁出原因：不能为空"):
        households.end_person(db, clerk, tenant, left, " ")
    households.end_person(db, clerk, tenant, left, "租期结束")
    with pytest.raises(UserError, match="已于"):
        households.end_person(db, clerk, tenant, left, "租期结束")
    file = households.open_file(db, admin, room, reveal=True)
    assert [p.id for p in file.people] == [owner] and [p.id for p in file.owners] == [owner]
    [former] = file.former
    assert (former.id, former.name, former.phone, former.left_on) == (
        tenant,
        "李四",
        "13900001111",
        left,
    )
    assert not former.current and former.left_reason == "租期结束"
    # The owner sells: no owner is named on the counter any more, the file still says who.
    households.end_person(db, clerk, owner, clock.today(), "产权转让")
    with db.read() as session:
        assert households.owner_names(session, [room]) == {}
    file = households.open_file(db, admin, room)
    assert [p.name for p in file.former] == ["张三", "李四"]  # latest first
    # A 迁出 registered by mistake is undone, audited like every change.
    households.restore_person(db, clerk, tenant)
    assert [p.name for p in households.open_file(db, admin, room).people] == ["李四"]
    assert audit.room_history(db, admin, room)[0].changes["left_on"] == [left.isoformat(), None]


def test_other_records_can_still_be_removed(db, admin, rooms) -> None:
    room = rooms["1-1-101"]
    car = households.add_record(db, admin, room, VehicleInput("浙B12345"))
    pet = households.add_record(db, admin, room, PetInput("犬", "旺财"))
    households.remove_record(db, admin, VehicleInput, car)
    households.remove_record(db, admin, PetInput, pet)
    file = households.open_file(db, admin, room)
    assert file.vehicles == () and file.pets == ()
