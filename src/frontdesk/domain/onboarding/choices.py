"""Our values a clerk may map an office's word to, per mapped field (the wizard's
values page offers them; `ImportSetup.values` stores the first of each pair)."""

from __future__ import annotations

from collections.abc import Sequence

from frontdesk.domain.fees import MeterKind
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.onboarding import Field, ImportKind
from frontdesk.domain.rooms import RoomStatus, RoomType

GENDERS = ("男", "女")


_ENUM_CHOICES: dict[Field, list[tuple[str, str]]] = {
    Field.ROOM_TYPE: [(t.value, t.label) for t in RoomType],
    Field.ROOM_STATUS: [(s.value, s.label) for s in RoomStatus],
    Field.PERSON_KIND: [(k.value, k.label) for k in PersonKind],
    Field.RELATION: [(r.value, r.label) for r in Relation],
    Field.ID_TYPE: [(t.value, t.label) for t in IdType],
    Field.METER_KIND: [(m.value, m.label) for m in MeterKind],
    Field.GENDER: [(g, g) for g in GENDERS],
}


def value_choices(field: Field, fee_items: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(our value, its label) for a field of MAPPED_VALUES; fee items are the office's own
    names, so they are passed in. Empty for a field whose values are not mapped."""
    if field == Field.FEE_ITEM:
        return [(name, name) for name in fee_items]
    return list(_ENUM_CHOICES.get(field, []))


def kinds_text(kinds: str) -> str:
    """An import's kinds as stored (rooms,people) in words (房屋、业主与住户)."""
    return "、".join(ImportKind(k).label for k in kinds.split(",") if k)
