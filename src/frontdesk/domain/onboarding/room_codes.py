"""Room codes as old systems write them, read into a RoomKey (and the type the code
tells: a shop, a parking space).

    3-2-1201, 3栋2单元1201, 3幢2单元1201室, 3号楼2单元1201, 3-1201  -> residence 3-2-1201
    S-101, S101, 商铺S-101, 商铺101                                  -> shop S-S101
    底商1-101                                                         -> shop 1-S101
    P-023, P023, 车位023, 地下车位023, P-P023                         -> parking P-P023
    P-B1-023, B1-023, 车位B1-023                                      -> parking P-B1023

Shops and parking spaces are kept as FrontDesk's demo keeps them: a building S / P
without units, the number carrying the letter (S101, P023) so that a shop's number
never looks like a flat's. A parking space's level stays in its number (B1023).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from frontdesk.domain.onboarding import RoomKey
from frontdesk.domain.rooms import RoomType, parse_room_code

SHOP_BUILDING = "S"
PARKING_BUILDING = "P"

_SHOP_WORDS = r"(?:商铺|商业|门面|门市|铺面|店铺|商用)"
_PARKING_WORDS = r"(?:地下车位|地面车位|地下车库|车位|车库|停车位)"
_SEP = r"[-－—_/#＃]?"
_SHOP = re.compile(rf"^{_SHOP_WORDS}?(?:S{_SEP})?S?{_SEP}([0-9][0-9A-Z]*)$")
_FOOT_SHOP = re.compile(r"^底商([0-9A-Z]+)(?:栋|幢|号楼)?[-－—_/#＃]?([0-9A-Z]+)$")
_PARKING = re.compile(
    rf"^{_PARKING_WORDS}?(?:P{_SEP})?(?:P{_SEP})?(?:(B\d|-\d|负\d)层?{_SEP})?([0-9][0-9A-Z]*)号?$"
)
_PLAIN = re.compile(r"^[0-9A-Z]+$")
_SPACES = re.compile(r"\s+")
_BUILDING_SUFFIX = re.compile(r"(?:栋|幢|号楼|号|座|楼)$")
_UNIT_SUFFIX = re.compile(r"(?:单元|单)$")
_CHINESE_NUMBER = re.compile(r"[零一二三四五六七八九十]+")


@dataclass(frozen=True)
class ReadRoom:
    """A room code read: the key, and the type its form tells (None: a flat's form)."""

    key: RoomKey
    room_type: RoomType | None = None


@lru_cache(maxsize=65_536)  # history and balances name each room many times
def read_room_code(text: str) -> ReadRoom | None:
    """The room a whole code names; None when the text is no room code."""
    compact = _compact(text)
    if compact.endswith("室") and compact[-2:-1].isdigit():  # 1-1-101室
        compact = compact[:-1]
    if not compact:
        return None
    if compact.startswith("底商") and (match := _FOOT_SHOP.match(compact)):
        return ReadRoom(RoomKey(match[1], None, "S" + match[2]), RoomType.SHOP)
    if _is_shop(compact) and (match := _SHOP.match(compact)):
        return ReadRoom(RoomKey(SHOP_BUILDING, None, "S" + match[1]), RoomType.SHOP)
    if _is_parking(compact) and (match := _PARKING.match(compact)):
        return ReadRoom(_parking_key(match[1], match[2]), RoomType.PARKING)
    query = parse_room_code(compact)
    if query is None or not query.room:
        return None
    if not all(_PLAIN.match(part) for part in (query.building, query.unit, query.room) if part):
        return None
    return ReadRoom(RoomKey(query.building, query.unit, query.room))


def _is_shop(compact: str) -> bool:
    return bool(re.match(rf"^(?:{_SHOP_WORDS}|S[-－—_/#＃]?[0-9S])", compact))


def _is_parking(compact: str) -> bool:
    return bool(re.match(rf"^(?:{_PARKING_WORDS}|P[-－—_/#＃]?[0-9PB]|B\d[-－—_/#＃])", compact))


def _parking_key(level: str | None, number: str) -> RoomKey:
    if level is None:
        return RoomKey(PARKING_BUILDING, None, "P" + number)
    return RoomKey(PARKING_BUILDING, None, "B" + level[-1] + number)


_SHOP_PLACE = re.compile(_SHOP_WORDS)
_PARKING_PLACE = re.compile(_PARKING_WORDS)


def room_from_parts(building: str, unit: str, number: str) -> ReadRoom | None:
    """A room kept in separate columns: 3 / 3栋 / 三号楼 / 商铺 / 车库, 2 / 2单元 / 二单元,
    1201 / 1201室; a number column holding a whole code is read as that code. None when
    a part cannot be read (never a unit quietly dropped)."""
    room = _compact(number).removesuffix("室").removesuffix("号")
    place = _compact(building)
    if not room:
        return None
    if place == SHOP_BUILDING or _SHOP_PLACE.fullmatch(place):
        return read_room_code(f"{SHOP_BUILDING}-{room}")
    if place == PARKING_BUILDING or _PARKING_PLACE.fullmatch(place):
        return read_room_code(f"{PARKING_BUILDING}-{room}")
    building_code = _part(place, _BUILDING_SUFFIX)
    unit_code = _part(unit, _UNIT_SUFFIX)
    if building_code is None or unit_code is None:
        return None
    if not building_code:
        return read_room_code(room)
    if not _PLAIN.match(room):
        whole = read_room_code(room)
        return whole if whole is not None and whole.room_type is not None else None
    return ReadRoom(RoomKey(building_code, unit_code or None, room))


_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}


@lru_cache(maxsize=4_096)  # an estate has few buildings and units, named on every row
def _part(text: str, suffix: re.Pattern[str]) -> str | None:
    """A building's or unit's code: "" when empty, None when it cannot be read."""
    compact = suffix.sub("", _compact(text))
    if _CHINESE_NUMBER.fullmatch(compact):
        compact = _chinese_number(compact)
    return compact if not compact or _PLAIN.match(compact) else None


def _chinese_number(text: str) -> str:
    """一 -> 1, 十二 -> 12, 二十三 -> 23 (the buildings and units of one estate)."""
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return "".join(str(_DIGITS[c]) for c in text)
    value = (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)
    return str(value)


def _compact(text: str) -> str:
    """Full-width digits and letters made plain, spaces dropped, upper case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).upper()


def floor_of_number(number: str) -> int | None:
    """The floor a flat's number tells: 1201 -> 12, 302 -> 3; None for other numbers."""
    if re.fullmatch(r"[1-9]\d{2,3}", number):
        return int(number[:-2])
    return None
