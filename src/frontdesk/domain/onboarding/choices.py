"""Our values a clerk may map an office's word to, per mapped field (the wizard's
values page offers them; `ImportSetup.values` stores the first of each pair)."""

from __future__ import annotations

from collections.abc import Sequence

from frontdesk.domain.fees import MeterKind
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.onboarding import Field
from frontdesk.domain.rooms import RoomStatus, RoomType

GENDERS = ("男", "女")


def value_choices(field: Field, fee_items: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(our value, its label) for a field of MAPPED_VALUES; fee items are the office's own
    names, so they are passed in. Empty for a field whose values are not mapped."""
    enums = {
        Field.ROOM_TYPE: RoomType,
        Field.ROOM_STATUS: RoomStatus,
        Field.PERSON_KIND: PersonKind,
        Field.RELATION: Relation,
        Field.METER_KIND: MeterKind,
    }
    if field in enums:
        return [(member.value, member.label) for member in enums[field]]
    if field == Field.GENDER:
        return [(g, g) for g in GENDERS]
    if field == Field.FEE_ITEM:
        return [(name, name) for name in fee_items]
    return []
