"""Buildings, rooms, the room browser's queries and the global search."""

from __future__ import annotations

import pytest

from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import PermissionDenied, ValidationError
from frontdesk.services import stats
from frontdesk.services.households import search, structure
from frontdesk.services.households.structure import NewBuilding, RoomChange, RoomFilter


@pytest.fixture
def two_buildings(db, admin):
    structure.create_building(db, admin, NewBuilding("1", "", 3, 2, 2, "89.5"))
    structure.create_building(db, admin, NewBuilding("2", "二号楼", 2, 0, 3, "120"))
    return db


def test_building_generates_rooms_by_floor_and_unit(two_buildings, admin) -> None:
    db = two_buildings
    buildings = structure.list_buildings(db, admin)
    assert [(b.name, len(b.units), b.rooms) for b in buildings] == [
        ("1栋", 2, 12),
        ("二号楼", 0, 6),
    ]
    rows = structure.room_rows(db, admin, structure.room_ids(db, admin))
    assert [r.code for r in rows[:4]] == ["1-1-101", "1-1-102", "1-1-201", "1-1-202"]
    assert rows[-1].code == "2-203"
    assert {r.status for r in rows} == {RoomStatus.UNSOLD}
    assert stats.counts(db)["rooms"] == 18


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (NewBuilding("", "", 3, 2, 2, "89"), "楼栋编号"),
        (NewBuilding("3#", "", 3, 2, 2, "89"), "楼栋编号"),
        (NewBuilding("3", "", 0, 2, 2, "89"), "楼层数"),
        (NewBuilding("3", "", 3, 21, 2, "89"), "单元数"),
        (NewBuilding("3", "", 3, 2, 0, "89"), "每层户数"),
        (NewBuilding("3", "", 3, 2, 2, "八十九"), "默认建筑面积"),
    ],
)
def test_bad_building_input_names_the_field_and_saves_nothing(db, admin, data, field) -> None:
    with pytest.raises(ValidationError) as error:
        structure.create_building(db, admin, data)
    assert error.value.field == field
    assert stats.counts(db)["buildings"] == 0


def test_duplicate_building_code(two_buildings, admin) -> None:
    with pytest.raises(ValidationError, match="已存在"):
        structure.create_building(two_buildings, admin, NewBuilding("1", "", 1, 1, 1, "50"))
    assert stats.counts(two_buildings)["rooms"] == 18


def test_filters(two_buildings, admin) -> None:
    db = two_buildings
    first = structure.list_buildings(db, admin)[0]
    assert len(structure.room_ids(db, admin, RoomFilter(building_id=first.id))) == 12
    assert len(structure.room_ids(db, admin, RoomFilter(unit_id=first.units[1].id))) == 6
    room_id = structure.room_ids(db, admin)[0]
    structure.update_room(db, admin, room_id, RoomChange("89.5", RoomType.SHOP, RoomStatus.RENTED))
    assert structure.room_ids(db, admin, RoomFilter(status=RoomStatus.RENTED)) == [room_id]
    assert structure.room_ids(db, admin, RoomFilter(room_type=RoomType.SHOP)) == [room_id]


def test_room_rows_keep_the_order_asked_for(two_buildings, admin) -> None:
    ids = structure.room_ids(two_buildings, admin)
    wanted = [ids[5], ids[0], ids[3]]
    assert [r.id for r in structure.room_rows(two_buildings, admin, wanted)] == wanted


def test_update_room_rejects_bad_area(two_buildings, admin) -> None:
    room_id = structure.room_ids(two_buildings, admin)[0]
    with pytest.raises(ValidationError, match="建筑面积"):
        structure.update_room(
            two_buildings, admin, room_id, RoomChange("-3", RoomType.RESIDENCE, RoomStatus.VACANT)
        )
    row = structure.room_rows(two_buildings, admin, [room_id])[0]
    assert (row.area_m2_x100, row.status) == (8950, RoomStatus.UNSOLD)


def test_only_supervisors_and_admins_change_the_structure(two_buildings, make_user) -> None:
    room_id = structure.room_ids(two_buildings, make_user(Role.SUPERVISOR))[0]
    for role in (Role.CLERK, Role.CASHIER, Role.BUTLER):
        actor = make_user(role)
        change = RoomChange("80", RoomType.RESIDENCE, RoomStatus.VACANT)
        with pytest.raises(PermissionDenied):
            structure.update_room(two_buildings, actor, room_id, change)
        with pytest.raises(PermissionDenied):
            structure.create_building(two_buildings, actor, NewBuilding("9", "", 1, 1, 1, "50"))


def test_summary_counts_by_status_and_area(two_buildings, admin) -> None:
    rows = structure.summary(two_buildings, admin)
    assert rows[0].building == "1栋"
    assert rows[0].units == 2
    assert rows[0].rooms == 12
    assert rows[0].by_status[RoomStatus.UNSOLD] == 12
    assert rows[0].area_m2_x100 == 12 * 8950
    assert rows[1].area_m2_x100 == 6 * 12000


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("1-2-301", ["1-2-301"]),
        ("1栋2单元301", ["1-2-301"]),
        ("1栋301", ["1-1-301", "1-2-301"]),
        ("301", ["1-1-301", "1-2-301"]),
        ("2-203", ["2-203"]),
        ("9-1-101", []),
        ("张三", []),
        ("", []),
    ],
)
def test_search_finds_rooms_the_way_clerks_type_them(two_buildings, admin, text, codes) -> None:
    hits = search.search(two_buildings, admin, text).hits
    assert [h.title for h in hits] == codes


def test_search_hit_describes_the_room(two_buildings, admin) -> None:
    hit = search.search(two_buildings, admin, "1-2-301").hits[0]
    assert hit.subtitle == "1栋2单元301室 · 无产权人登记 · 未售"
