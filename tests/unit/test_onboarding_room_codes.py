"""Room codes as old systems write them (domain/onboarding/room_codes.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.onboarding import RoomKey
from frontdesk.domain.onboarding.room_codes import (
    floor_of_number,
    read_room_code,
    room_from_parts,
)
from frontdesk.domain.rooms import RoomType

BUILDINGS = st.integers(1, 99).map(str)
UNITS = st.integers(1, 9).map(str)
FLATS = st.builds(lambda floor, n: f"{floor}{n:02d}", st.integers(1, 40), st.integers(1, 12))


@given(BUILDINGS, UNITS, FLATS)
def test_a_flat_in_each_form(building: str, unit: str, flat: str) -> None:
    key = RoomKey(building, unit, flat)
    forms = [
        f"{building}-{unit}-{flat}",
        f"{building}栋{unit}单元{flat}",
        f"{building}幢{unit}单元{flat}室",
        f"{building}号楼{unit}单元{flat}",
        f" {building} - {unit} - {flat} ",
        f"{building}/{unit}/{flat}",
        f"{building}-{unit}-{flat}室",
        f"{building}#{unit}-{flat}",
        "－".join((building, unit, flat)).translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        ),
    ]
    for form in forms:
        read = read_room_code(form)
        assert read is not None and read.key == key and read.room_type is None, form
    for parts in (
        (building, unit, flat),
        (f"{building}栋", f"{unit}单元", f"{flat}室"),
        (f"{building}号楼", unit, flat),
    ):
        read = room_from_parts(*parts)
        assert read is not None and read.key == key, parts


@given(BUILDINGS, FLATS)
def test_a_flat_in_a_building_without_units(building: str, flat: str) -> None:
    for form in (f"{building}-{flat}", f"{building}栋{flat}"):
        read = read_room_code(form)
        assert read is not None and read.key == RoomKey(building, None, flat)
    read = room_from_parts(building, "", flat)
    assert read is not None and read.key == RoomKey(building, None, flat)


@given(st.integers(1, 999).map(lambda n: f"{n:03d}"))
def test_shops(number: str) -> None:
    for form in (
        f"S-{number}",
        f"S{number}",
        f"商铺S-{number}",
        f"商铺{number}",
        f"S-S{number}",
        f"s{number}",
    ):
        read = read_room_code(form)
        assert read == read_room_code(f"S{number}"), form
        assert read is not None and read.key == RoomKey("S", None, f"S{number}"), form
        assert read.room_type is RoomType.SHOP
    read = room_from_parts("S", "", number)
    assert read is not None and read.key == RoomKey("S", None, f"S{number}")


def test_a_shop_at_the_foot_of_a_building() -> None:
    read = read_room_code("底商1-101")
    assert read is not None and read.key == RoomKey("1", None, "S101")
    assert read.room_type is RoomType.SHOP


@given(st.integers(1, 999).map(lambda n: f"{n:03d}"))
def test_parking_spaces(number: str) -> None:
    for form in (f"P-{number}", f"P{number}", f"车位{number}", f"地下车位{number}", f"P-P{number}"):
        read = read_room_code(form)
        assert read is not None and read.key == RoomKey("P", None, f"P{number}"), form
        assert read.room_type is RoomType.PARKING
    for form in (f"P-B1-{number}", f"B1-{number}", f"车位B1-{number}"):
        read = read_room_code(form)
        assert read is not None and read.key == RoomKey("P", None, f"B1{number}"), form


@pytest.mark.parametrize("text", ["", "一号楼东", "3栋", "张三", "3--1201", "3-2-12 01号房间"])
def test_what_is_no_room_code(text: str) -> None:
    assert read_room_code(text) is None


@given(st.text(max_size=20))
def test_reading_any_text_never_fails(text: str) -> None:
    read = read_room_code(text)
    if read is not None:
        assert read.key.number and read.key.building


def test_the_floor_a_number_tells() -> None:
    assert [floor_of_number(n) for n in ("1201", "302", "S101", "12", "0101")] == [
        12,
        3,
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        (("三号楼", "二单元", "1201"), "3-2-1201"),
        (("十二栋", "一单元", "301室"), "12-1-301"),
        (("二十三栋", "", "101"), "23-101"),
        (("商铺", "", "101"), "S-S101"),
        (("车库", "", "023"), "P-P023"),
        (("P", "", "B1-023"), "P-B1023"),
        (("", "", "3-2-1201"), "3-2-1201"),
        (("３栋", "２单元", "１２０１"), "3-2-1201"),
    ],
)
def test_separate_columns_in_the_words_offices_use(parts: tuple[str, str, str], code: str) -> None:
    read = room_from_parts(*parts)
    assert read is not None and read.key.code == code


@pytest.mark.parametrize("parts", [("3", "东单元", "101"), ("甲栋", "1", "101"), ("3", "1", "")])
def test_a_part_that_cannot_be_read_is_no_room(parts: tuple[str, str, str]) -> None:
    assert room_from_parts(*parts) is None  # never a unit quietly dropped
