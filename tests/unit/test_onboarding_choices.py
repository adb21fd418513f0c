"""The values the wizard offers for an office's words, and an import's kinds in words."""

from __future__ import annotations

import pytest

from frontdesk.domain.onboarding import MAPPED_VALUES, Field
from frontdesk.domain.onboarding.choices import kinds_text, value_choices
from frontdesk.services.onboarding import suggest_value

ITEMS = ["物业服务费", "生活垃圾处理费"]
WORDS = {
    Field.ROOM_TYPE: ("住房", "门面", "地下车位", "杂物间"),
    Field.ROOM_STATUS: ("已售", "空置", "自住", "在租", "待售"),
    Field.PERSON_KIND: ("业主", "家属", "租客", "紧急联系人"),
    Field.GENDER: ("男", "2", "F"),
    Field.RELATION: ("户主", "妻子", "儿子", "母亲", "保姆"),
    Field.ID_TYPE: ("身份证", "台胞证", "护照", "回乡证"),
    Field.FEE_ITEM: ("物业费", "垃圾费"),
    Field.METER_KIND: ("冷水", "电表", "天然气"),
}


@pytest.mark.parametrize("field", MAPPED_VALUES)
def test_every_suggestion_is_a_value_the_wizard_offers(field: Field) -> None:
    offered = {value for value, _label in value_choices(field, ITEMS)}
    suggested = {suggest_value(field, word, ITEMS) for word in WORDS[field]}
    assert None not in suggested  # the words are known ones
    assert suggested <= offered


def test_fields_whose_values_are_not_mapped_offer_nothing() -> None:
    assert value_choices(Field.NAME, ITEMS) == []
    assert value_choices(Field.FEE_ITEM) == []  # an office without fee items yet


def test_an_imports_kinds_in_words() -> None:
    assert kinds_text("rooms,people,balances") == "房屋、业主与住户、期初余额"
    assert kinds_text("") == ""
