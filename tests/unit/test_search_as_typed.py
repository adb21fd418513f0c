"""The household search as a clerk types (issue 20, section 2): room codes narrow at
every keystroke, mixed pinyin (chenyy), surnames read as surnames, and one ranking
that puts a butler's own buildings first."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.domain.household import PersonKind
from frontdesk.domain.names import pinyin_keys
from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomPrefix, read_room_prefix, room_code, room_label
from frontdesk.services.households import file as households
from frontdesk.services.households import search, structure
from frontdesk.services.households.file import PersonInput
from frontdesk.services.households.structure import NewBuilding
from frontdesk.services.protection import audit


@pytest.fixture
def rooms(db, admin) -> dict[str, int]:
    """Building 3: 12 floors, 2 units, 2 rooms a floor (101 … 1202); building 5: 3 floors,
    1 unit; building 2 without units: 3 floors of 2 rooms (2-101 … 2-302)."""
    structure.create_building(db, admin, NewBuilding("3", "", 12, 2, 2, "89.5"))
    structure.create_building(db, admin, NewBuilding("5", "", 3, 1, 2, "89.5"))
    structure.create_building(db, admin, NewBuilding("2", "", 3, 0, 2, "89.5"))
    return {
        row.code: row.id for row in structure.room_rows(db, admin, structure.room_ids(db, admin))
    }


def codes(db, actor, text: str, limit: int = 50) -> list[str]:
    return [h.room_code for h in search.find_households(db, actor, text, limit)]


def unit_one(*numbers: str) -> list[str]:
    return [f"3-1-{n}" for n in numbers]


EVERY_FLOOR = [f"{floor}{n:02d}" for floor in range(1, 13) for n in (1, 2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3-1", unit_one(*EVERY_FLOOR)),  # the unit, floor by floor
        ("3-1-", unit_one(*EVERY_FLOOR)),
        ("3#1", unit_one(*EVERY_FLOOR)),
        ("3栋1单元", unit_one(*EVERY_FLOOR)),
        ("3栋1单", unit_one(*EVERY_FLOOR)),  # 单元 half typed
        ("3-1-1", unit_one("101", "102", "1001", "1002", "1101", "1102", "1201", "1202")),
        ("3-1-10", unit_one("101", "102", "1001", "1002")),  # every number starting so
        ("3-1-100", unit_one("1001", "1002")),
        ("3-1-1001", unit_one("1001")),
        ("3-1-10010", []),
        ("3栋1单元100", unit_one("1001", "1002")),
        ("3-1-9", unit_one("901", "902")),
        ("3-12", ["3-1-1201", "3-1-1202", "3-2-1201", "3-2-1202"]),  # no unit 12: numbers
        ("3栋12", ["3-1-1201", "3-1-1202", "3-2-1201", "3-2-1202"]),
        ("2-1", ["2-101", "2-102"]),  # a building without units: room numbers 1…
        ("2-10", ["2-101", "2-102"]),
        ("2-101", ["2-101"]),
        ("5-1-3", ["5-1-301", "5-1-302"]),
        ("9-1", []),
        ("3-0", []),  # no unit 0, no room 0…
    ],
)
def test_room_codes_narrow_as_they_are_typed(db, admin, rooms, text, expected) -> None:
    assert codes(db, admin, text) == expected


@pytest.mark.parametrize("text", ["3-", "3栋", "3号楼", "3#"])
def test_a_building_lists_its_rooms_unit_by_unit(db, admin, rooms, text) -> None:
    found = codes(db, admin, text, limit=100)
    assert found == unit_one(*EVERY_FLOOR) + [f"3-2-{n}" for n in EVERY_FLOOR]


def test_a_whole_room_number_comes_first(db, admin, rooms) -> None:
    """Building 7 has 12 rooms a floor: 110 on the first, 1101 … 1109 on the eleventh."""
    structure.create_building(db, admin, NewBuilding("7", "", 12, 0, 12, "89.5"))
    assert codes(db, admin, "7-11")[:4] == ["7-110", "7-111", "7-112", "7-1101"]
    assert codes(db, admin, "7-110") == ["7-110", *(f"7-110{n}" for n in range(1, 10))]
    assert codes(db, admin, "7-1101") == ["7-1101"]


def test_the_count_of_every_match_beside_the_hits_shown(db, admin, rooms) -> None:
    found = search.search(db, admin, "3-1")
    assert len(found.hits) == search.DEFAULT_LIMIT
    assert found.total == 24 and found.more == 4 and not found.at_least
    assert [h.title for h in found.hits[:2]] == ["3-1-101", "3-1-102"]
    every = search.search(db, admin, "3-", limit=search.MATCH_CAP)
    assert every.total == 48 and every.more == 0


# names ----------------------------------------------------------------------------


@pytest.fixture
def named(db, admin, rooms) -> dict[str, int]:
    for code, name in [
        ("3-1-101", "陈圆圆"),
        ("3-1-102", "陈媛媛"),
        ("3-1-201", "程圆圆"),
        ("3-1-202", "陈远"),
        ("3-1-301", "曾小贤"),
        ("3-1-302", "单田芳"),
        ("3-1-401", "解晓东"),
        ("3-1-402", "欧阳娜娜"),
    ]:
        households.add_record(db, admin, rooms[code], PersonInput(PersonKind.OWNER, name))
    return rooms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chenyy", ["3-1-101", "3-1-102"]),  # surname spelled out, given name as initials
        ("ChenYY", ["3-1-101", "3-1-102"]),
        ("cheny", ["3-1-101", "3-1-102", "3-1-202"]),  # 陈远 too, not 程圆圆
        ("chengyy", ["3-1-201"]),
        ("cyy", ["3-1-101", "3-1-102", "3-1-201"]),  # initials
        ("chenyuanyuan", ["3-1-101", "3-1-102"]),  # full pinyin
        ("chenyuan", ["3-1-101", "3-1-102", "3-1-202"]),
        ("chenyuany", ["3-1-101", "3-1-102"]),
        ("ouyangnn", ["3-1-402"]),  # a compound surname is one surname
        ("oynn", ["3-1-402"]),
    ],
)
def test_mixed_pinyin_full_pinyin_and_initials(db, admin, named, text, expected) -> None:
    assert codes(db, admin, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zengxx", ["3-1-301"]),
        ("zengxiaoxian", ["3-1-301"]),
        ("zxx", ["3-1-301"]),
        ("cengxx", []),  # 曾 as a surname is zeng
        ("shantf", ["3-1-302"]),
        ("shantianfang", ["3-1-302"]),
        ("dantf", []),
        ("xiexd", ["3-1-401"]),
        ("xxd", ["3-1-401"]),
        ("jiexd", []),
    ],
)
def test_polyphonic_surnames_are_read_as_surnames(db, admin, named, text, expected) -> None:
    assert codes(db, admin, text) == expected


@pytest.mark.parametrize(
    ("name", "full", "initials", "mixed"),
    [
        ("陈圆圆", "chenyuanyuan", "cyy", "chenyy"),
        ("曾国藩", "zengguofan", "zgf", "zenggf"),
        ("单雄信", "shanxiongxin", "sxx", "shanxx"),
        ("解缙", "xiejin", "xj", "xiej"),
        ("仇英", "qiuying", "qy", "qiuy"),
        ("区志强", "ouzhiqiang", "ozq", "ouzq"),
        ("朴树", "piaoshu", "ps", "piaos"),
        ("查良镛", "zhaliangyong", "zly", "zhaly"),
        ("尉迟恭", "yuchigong", "ycg", "yuchig"),
        ("万俟卨", "moqixie", "mqx", "moqix"),
        ("长孙无忌", "zhangsunwuji", "zswj", "zhangsunwj"),
        ("张", "zhang", "z", "zhang"),
        ("Alice王", "alicewang", "alicew", "alicew"),
    ],
)
def test_name_keys(name, full, initials, mixed) -> None:
    assert pinyin_keys(name) == (full, initials, mixed)


def test_the_mixed_key_is_masked_in_the_log_and_left_out_of_the_history(db, admin, rooms) -> None:
    room = rooms["3-1-101"]
    households.add_record(db, admin, room, PersonInput(PersonKind.OWNER, "陈圆圆"))
    created = audit.room_history(db, admin, room)[0]
    assert created.changes["name"] == [None, "陈**"] and "name_mixed" not in created.changes
    with db.engine.connect() as connection:
        logged = connection.exec_driver_sql(
            "SELECT changes FROM audit_log WHERE entity = 'person'"
        ).scalar_one()
    assert '"name_mixed": [null, "c*****"]' in logged and "chenyy" not in logged


# one ranking -----------------------------------------------------------------------


@pytest.fixture
def butler(db, admin, make_user, rooms):
    """A butler looking after building 5; 张伟 lives in 3-1-101 (entered first) and 5-1-101."""
    mine = make_user(Role.BUTLER, "guanjia")
    fifth = next(b for b in structure.list_buildings(db, admin) if b.code == "5")
    households.assign_butler(db, admin, fifth.id, mine.user_id)
    for code in ("3-1-101", "5-1-101"):
        households.add_record(db, admin, rooms[code], PersonInput(PersonKind.OWNER, "张伟"))
    return mine


@pytest.mark.parametrize("text", ["张伟", "zhangwei", "zw", "zhangw"])
def test_a_butlers_own_buildings_come_first(db, admin, make_user, butler, text) -> None:
    assert codes(db, admin, text) == ["3-1-101", "5-1-101"]
    assert codes(db, make_user(Role.CLERK), text) == ["3-1-101", "5-1-101"]
    assert codes(db, butler, text) == ["5-1-101", "3-1-101"]


def test_a_butlers_rooms_first_within_a_room_code_but_a_whole_number_before_them(
    db, admin, butler
) -> None:
    structure.create_building(db, admin, NewBuilding("6", "", 3, 1, 2, "89.5"))
    assert codes(db, admin, "101") == ["2-101", "3-1-101", "3-2-101", "5-1-101", "6-1-101"]
    assert codes(db, butler, "101") == ["5-1-101", "2-101", "3-1-101", "3-2-101", "6-1-101"]
    assert codes(db, butler, "3-1-101") == ["3-1-101"]


def test_the_ranking_sees_past_the_hits_shown(db, admin, rooms, butler) -> None:
    """Twenty-four 张伟 in unit 3-1 come before the butler's in building order; the
    butler's is still the one hit shown."""
    for number in EVERY_FLOOR[1:]:
        households.add_record(
            db, admin, rooms[f"3-1-{number}"], PersonInput(PersonKind.OWNER, "张伟")
        )
    assert codes(db, admin, "zhangw", limit=1) == ["3-1-101"]
    found = search.match_households(db, butler, "zhangw", limit=1)
    assert [h.room_code for h in found.hits] == ["5-1-101"] and found.total == 25


# the reading of a room code being typed -------------------------------------------

PART = st.from_regex(r"[0-9A-Za-z]{1,6}", fullmatch=True)


def keystrokes(building: str, unit: str | None, room: str) -> Iterator[str]:
    """What the field holds on the way to the code and to the spoken room, from the
    building's separator on (a unit is read once its part is complete)."""
    code = room_code(building, unit, room)
    typed = [f"{building}-"]
    if unit is not None:
        typed += [f"{building}-{unit}", f"{building}-{unit}-"]
    head = code[: len(code) - len(room)]
    typed += [head + room[:end] for end in range(1, len(room) + 1)]
    # dashed letters are a code once a digit is in (abc-def is no room)
    yield from (text for text in typed if any(c.isdigit() for c in text))
    label = room_label(building, unit, room)
    yield f"{building}栋"
    if unit is not None:
        yield from (f"{building}栋{unit}", f"{building}栋{unit}单", f"{building}栋{unit}单元")
    head = label[: len(label) - len(room) - 1]
    yield from (head + room[:end] for end in range(1, len(room) + 1))
    yield label


@given(PART, st.none() | PART, PART)
def test_every_keystroke_of_a_room_code_keeps_the_room_in_reach(
    building: str, unit: str | None, room: str
) -> None:
    for typed in keystrokes(building, unit, room):
        readings = read_room_prefix(typed)
        assert any(
            r.building == building
            and r.unit in (None, unit)
            and room.upper().startswith(r.room_start.upper())
            for r in readings
        ), (typed, readings)


@given(PART, st.none() | PART, PART)
def test_a_whole_code_reads_as_that_room_first_where_it_names_one(
    building: str, unit: str | None, room: str
) -> None:
    code = room_code(building, unit, room)
    if unit is not None and any(c.isdigit() for c in code):
        assert read_room_prefix(code) == (RoomPrefix(building, unit, room),)
    if unit is not None:
        assert read_room_prefix(room_label(building, unit, room))[0] == RoomPrefix(
            building, unit, room
        )


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_any_text_reads_as_room_prefixes_or_nothing(text: str) -> None:
    for reading in read_room_prefix(text):
        assert reading.building and reading.unit != ""
        parts = reading.building + (reading.unit or "") + reading.room_start
        assert not re.search(r"[\s\-－/#＃]", parts)
