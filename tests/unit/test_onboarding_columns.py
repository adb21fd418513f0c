"""The usual names of an office's columns and words for our values
(domain/onboarding/columns.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.fees import MeterKind
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.onboarding import Field, ImportKind
from frontdesk.domain.onboarding.columns import (
    AMBIGUOUS,
    HEADER_NAMES,
    header_key,
    match_header,
    pick_for_kind,
    suggest,
)
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services.fees.items import STANDARD_ITEMS

NAMES = [(field, name) for field, names in HEADER_NAMES.items() for name in names]


def test_no_name_means_two_fields() -> None:
    seen: dict[str, Field] = {}
    for field, name in NAMES:
        assert seen.setdefault(name, field) is field, name
        assert name not in AMBIGUOUS


@pytest.mark.parametrize(("field", "name"), NAMES)
def test_each_usual_name_is_its_field_however_decorated(field: Field, name: str) -> None:
    for header in (name, f" {name} ", f"*{name}", f"{name}（元）", f"{name}(必填)", f"{name}："):
        found = match_header(header)
        assert found.fields == (field,) and found.exact, header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("物业费欠费金额", Field.ARREARS),
        ("业主联系电话", Field.PHONE),
        ("装修押金（元）", Field.DEPOSIT),
        ("房屋建筑面积", Field.AREA),
        ("本次水表读数", Field.WATER_READING),
    ],
)
def test_a_header_containing_a_usual_name(header: str, field: Field) -> None:
    assert match_header(header).fields == (field,)


def test_ambiguous_headers_come_with_their_alternatives() -> None:
    assert match_header("金额").fields == (Field.ARREARS, Field.AMOUNT)
    assert match_header("类别").fields == (Field.PERSON_KIND, Field.ROOM_TYPE)
    assert pick_for_kind((Field.ARREARS, Field.AMOUNT), ImportKind.HISTORY) is Field.AMOUNT
    assert pick_for_kind((Field.ARREARS, Field.AMOUNT), ImportKind.BALANCES) is Field.ARREARS
    assert (
        pick_for_kind((Field.PERSON_KIND, Field.ROOM_TYPE), ImportKind.PEOPLE) is Field.PERSON_KIND
    )
    assert pick_for_kind((Field.ARREARS, Field.AMOUNT), ImportKind.METERS) is None


def test_known_columns_we_do_not_import_take_no_field() -> None:
    for header in ("序号", "户型", "朝向"):
        assert match_header(header).fields == ()


@given(st.text(max_size=30))
def test_any_header_is_matched_without_failing(header: str) -> None:
    found = match_header(header)
    assert all(isinstance(field, Field) for field in found.fields)
    assert match_header(header_key(header)).fields == found.fields or not found.exact


OURS = {
    Field.ROOM_TYPE: {t.value for t in RoomType},
    Field.ROOM_STATUS: {s.value for s in RoomStatus},
    Field.PERSON_KIND: {k.value for k in PersonKind},
    Field.RELATION: {r.value for r in Relation},
    Field.METER_KIND: {m.value for m in MeterKind},
    Field.GENDER: {"男", "女"},
    Field.ID_TYPE: {t.value for t in IdType},
}


@pytest.mark.parametrize(
    ("field", "word", "ours"),
    [
        (Field.ROOM_TYPE, "普通住宅", "residence"),
        (Field.ROOM_TYPE, "门面", "shop"),
        (Field.ROOM_TYPE, "车库", "parking"),
        (Field.ROOM_TYPE, "杂物间", "storage"),
        (Field.ROOM_STATUS, "已售", "handed_over"),
        (Field.ROOM_STATUS, "空置", "vacant"),
        (Field.ROOM_STATUS, "未售", "unsold"),
        (Field.ROOM_STATUS, "出租", "rented"),
        (Field.PERSON_KIND, "产权人", "owner"),
        (Field.PERSON_KIND, "租客", "tenant"),
        (Field.GENDER, "1", "男"),
        (Field.GENDER, "F", "女"),
        (Field.METER_KIND, "冷水", "water"),
        (Field.METER_KIND, "电表", "electricity"),
        (Field.ROOM_TYPE, "住宅", "residence"),
        (Field.ROOM_STATUS, "已入住", "occupied"),
        (Field.ID_TYPE, "身份证", "resident"),
        (Field.ID_TYPE, "台胞证", "taiwan"),
        (Field.ID_TYPE, "护照", "passport"),
    ],
)
def test_usual_words_for_our_values(field: Field, word: str, ours: str) -> None:
    assert suggest(field, word) == ours
    assert ours in OURS[field]


@given(st.sampled_from(sorted(OURS)), st.text(max_size=8))
def test_a_suggestion_is_always_one_of_our_values(field: Field, word: str) -> None:
    found = suggest(field, word)
    assert found is None or found in OURS[field]


def test_fee_items_are_suggested_by_their_office_name() -> None:
    items = ("物业服务费", "水费", "电费", "车位管理费")
    assert suggest(Field.FEE_ITEM, "物业费", items) == "物业服务费"
    assert suggest(Field.FEE_ITEM, "水费", items) == "水费"
    assert suggest(Field.FEE_ITEM, "车位费", items) == "车位管理费"
    assert suggest(Field.FEE_ITEM, "垃圾费", items) is None
    assert suggest(Field.FEE_ITEM, "物业管理费", items) == "物业服务费"
    assert suggest(Field.FEE_ITEM, "垃圾清运费", (*items, "生活垃圾处理费")) == "生活垃圾处理费"
    assert suggest(Field.FEE_ITEM, "服务管理费", ("物业服务费", "车位管理费")) is None


STANDARD_NAMES = tuple(name for name, *_ in STANDARD_ITEMS)


@pytest.mark.parametrize(
    ("old", "ours"),
    [
        ("物业管理费", "物业服务费"),
        ("垃圾清运费", "生活垃圾处理费"),  # the monthly fee, not 装修垃圾清运费
        ("车位费", "车位管理费"),
        ("水费", "水费"),
        ("电费", "电费"),
        ("装修押金", "装修押金"),
        ("装修垃圾清运费", "装修垃圾清运费"),
        ("装修管理费", "装修管理费"),
    ],
)
def test_old_fee_names_against_the_standard_items(old: str, ours: str) -> None:
    assert suggest(Field.FEE_ITEM, old, STANDARD_NAMES) == ours


@given(st.text(alphabet="物业管理服务垃圾清运处理车位停水电装修押金费用月卡", max_size=8))
def test_no_fee_suggestion_adds_a_qualifier_the_office_did_not_write(word: str) -> None:
    found = suggest(Field.FEE_ITEM, word, STANDARD_NAMES) or ""
    for qualifier in ("装修", "押金"):
        assert qualifier in word or qualifier not in found, (word, found)
