"""Room types, statuses and the room codes people type at the counter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class RoomType(StrEnum):
    RESIDENCE = "residence"
    SHOP = "shop"
    PARKING = "parking"
    STORAGE = "storage"

    @property
    def label(self) -> str:
        return {"residence": "住宅", "shop": "商铺", "parking": "车位", "storage": "储藏室"}[self]


class RoomStatus(StrEnum):
    UNSOLD = "unsold"
    HANDED_OVER = "handed_over"
    OCCUPIED = "occupied"
    VACANT = "vacant"
    RENTED = "rented"

    @property
    def label(self) -> str:
        return {
            "unsold": "未售",
            "handed_over": "已交房",
            "occupied": "已入住",
            "vacant": "空置",
            "rented": "出租",
        }[self]


@dataclass(frozen=True)
class RoomQuery:
    """What a typed room code asks for; None parts match anything."""

    building: str
    unit: str | None
    room: str | None


# 3-2-1201 / 3-1201 / 3#1201 / 3栋2单元1201 / 3栋1201 / 3号楼2单元1201室 / 3栋
_SEPARATED = re.compile(r"^(\w+?)[-－/#＃](?:(\w+?)[-－/#＃])?(\w+)$")
_WORDED = re.compile(
    r"^(?P<b>[0-9A-Za-z]+)(?:栋|幢|号楼|座)"
    r"(?:(?P<u>[0-9A-Za-z]+)单元)?"
    r"(?P<r>[0-9A-Za-z]+)?室?$"
)


def parse_room_code(text: str) -> RoomQuery | None:
    """Read what a clerk types for a room; None when it is not a room code."""
    compact = re.sub(r"\s+", "", text)
    if match := _WORDED.match(compact):
        return RoomQuery(match["b"], match["u"], match["r"])
    if (match := _SEPARATED.match(compact)) and any(c.isdigit() for c in compact):
        building, unit, room = match.groups()
        return RoomQuery(building, unit, room)
    return None


@dataclass(frozen=True)
class RoomPrefix:
    """One reading of a room code being typed: a building, maybe one of its units, and
    the start of a room number ("" for every room; a whole number matches first)."""

    building: str
    unit: str | None
    room_start: str


_SEPARATOR = re.compile(r"[-－/#＃]")
_PART = re.compile(r"^\w+$")
# 3栋 / 3号楼2单元 / 3栋2单元12 / 3栋12 / 3栋2单 (单元 half typed)
_WORDED_START = re.compile(
    r"^(?P<b>[0-9A-Za-z]+)(?:栋|幢|号楼?|座)"
    r"(?:(?P<u>[0-9A-Za-z]+)单元?)?"
    r"(?P<r>[0-9A-Za-z]+)?室?$"
)


def read_room_prefix(text: str) -> tuple[RoomPrefix, ...]:
    """What a room code typed so far may ask for, best reading first; () when the text
    is no room code. `3-1` (and `3栋1`) is unit 1 of building 3, or its rooms numbered
    1…; `3-1-10` the rooms of unit 1 numbered 10…; `3-` and `3栋` the whole building."""
    compact = re.sub(r"\s+", "", text)
    if match := _WORDED_START.match(compact):
        building, unit, room = match["b"], match["u"], match["r"] or ""
        if unit is None and room:  # 3栋2: unit 2 (单元 not typed yet), or rooms 2…
            return (RoomPrefix(building, room, ""), RoomPrefix(building, None, room))
        return (RoomPrefix(building, unit, room),)
    parts = _SEPARATOR.split(compact)
    if not 2 <= len(parts) <= 3 or not any(c.isdigit() for c in compact):
        return ()
    if parts[-1] == "":
        parts.pop()  # a separator just typed: the part before it is complete
        whole = [*parts, ""]
    else:
        whole = parts
    if not all(_PART.match(part) for part in parts):
        return ()
    if len(whole) == 3:
        return (RoomPrefix(whole[0], whole[1], whole[2]),)
    building, second = whole
    if second == "":
        return (RoomPrefix(building, None, ""),)
    return (RoomPrefix(building, second, ""), RoomPrefix(building, None, second))


def room_code(building: str, unit: str | None, room: str) -> str:
    """The canonical code printed everywhere: 3-2-1201 (3-1201 without a unit)."""
    return f"{building}-{unit}-{room}" if unit else f"{building}-{room}"


def room_label(building: str, unit: str | None, room: str) -> str:
    """The spoken form: 3栋2单元1201室."""
    middle = f"{unit}单元" if unit else ""
    return f"{building}栋{middle}{room}室"
