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


def room_code(building: str, unit: str | None, room: str) -> str:
    """The canonical code printed everywhere: 3-2-1201 (3-1201 without a unit)."""
    return f"{building}-{unit}-{room}" if unit else f"{building}-{room}"


def room_label(building: str, unit: str | None, room: str) -> str:
    """The spoken form: 3栋2单元1201室."""
    middle = f"{unit}单元" if unit else ""
    return f"{building}栋{middle}{room}室"
