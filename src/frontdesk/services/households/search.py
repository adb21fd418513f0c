"""Finding a household: the global search field (Ctrl+F / F3) and `frontdesk find`.

One text, every spelling a clerk uses: room codes (3-2-1201, 3栋2单元1201, 3#1201),
a room number alone (1201; within one building when the caller names it), a
name (张三), its pinyin (zhangsan) or initials (zs), the last 4+ digits of a
phone, a plate (浙A12345, or part of it), a whole ID number (through its keyed
hash). Each lookup is an indexed query.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from frontdesk.db import phone_index
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, Person, Room, Unit, Vehicle
from frontdesk.db.phone_index import tail_digits
from frontdesk.db.protection import current_phone_cipher, is_locked, number_is
from frontdesk.domain.household import PersonKind
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.plates import PROVINCES
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomQuery, RoomStatus, parse_room_code, room_code, room_label
from frontdesk.services.access import require
from frontdesk.services.households.file import owner_names

DEFAULT_LIMIT = 20
# A room number typed alone: 1201, P001 (parking), S012 (shop).
_ROOM_NUMBER = re.compile(r"^[A-Za-z]?\d{3,}$")
# Digits, maybe grouped by dashes (spaces are gone by now); a dashed text is taken
# for a phone only from 10 digits on, so room codes (3-2-1201) stay room codes.
_PHONE_TYPED = re.compile(r"^\d[\d-]*\d$")
_DASHED_PHONE = 10
_LETTERS = re.compile(r"^[a-z]{2,30}$")
_HANZI = re.compile(r"^[\u3400-\u9fff·]{1,20}$")
# A whole document number: 18-digit resident ID, H/M pass, passport (exact match only).
_ID_NUMBER = re.compile(r"^(?=.*\d)[A-Z0-9]{8,18}$")
_PLATE_PART = re.compile(rf"^[{PROVINCES}]?[A-Z][A-Z0-9]{{0,6}}$|^[A-Z]?\d[A-Z0-9]{{3,6}}$")


@dataclass(frozen=True)
class HouseholdHit:
    room_id: int
    room_code: str  # 3-2-1201
    place: str  # 3栋2单元1201室
    owners: tuple[str, ...]
    status: RoomStatus
    matched: str  # why it was found: "房号", "产权人 张三", "电话尾号 5678", "车牌 浙A12345"


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "room": opens the household file of room `id`
    id: int
    title: str
    subtitle: str


# A matcher returns (room_id, why) pairs, best first.
Matches = list[tuple[int, str]]


def _glob_safe(text: str) -> str:
    return re.sub(r"[*?\[\]]", "", text)


def _room_query(text: str) -> RoomQuery | None:
    if _ROOM_NUMBER.match(text):
        return RoomQuery(building="", unit=None, room=text)
    return parse_room_code(text)


def _by_room(session: Session, text: str, building_id: int | None, limit: int) -> Matches:
    wanted = _room_query(text)
    if wanted is None:
        return []
    query: Select[int] = (
        select(Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .order_by(Building.sort_key, Building.code, Unit.sort_key, Room.floor, Room.number)
        .limit(limit)
    )
    if wanted.building:
        query = query.where(Building.code == wanted.building)
    elif building_id is not None:
        query = query.where(Room.building_id == building_id)
    if wanted.unit:
        query = query.where(Unit.code == wanted.unit)
    if wanted.room:
        query = query.where(Room.number == wanted.room.upper())
    return [(room_id, "房号") for room_id in session.scalars(query)]


def _people(
    session: Session, condition: ColumnElement[bool], limit: int, why: Callable[[Person], str]
) -> Matches:
    query = select(Person).where(condition).order_by(Person.kind != PersonKind.OWNER, Person.id)
    return [(p.room_id, why(p)) for p in session.scalars(query.limit(limit))]


def _kind_label(person: Person) -> str:
    return person.kind.label


def _by_phone(session: Session, text: str, limit: int) -> Matches:
    """The last 4+ digits or the whole number, typed with or without spaces and dashes
    (138 1234-5678), through the keyed tokens of each phone's tails."""
    if not _PHONE_TYPED.match(text):
        return []
    digits = tail_digits(text)
    cipher = current_phone_cipher()
    if digits is None or cipher is None or ("-" in text and len(digits) < _DASHED_PHONE):
        return []
    return _people(
        session,
        Person.id.in_(phone_index.matching("person", cipher, digits)),
        limit,
        lambda p: f"{_kind_label(p)} {p.name} 电话尾号 {digits[-4:]}",
    )


def _by_name(session: Session, text: str, limit: int) -> Matches:
    if _HANZI.match(text):
        condition: ColumnElement[bool] = Person.name.op("GLOB", is_comparison=True)(
            f"{_glob_safe(text)}*"
        )
    elif _LETTERS.match(text.lower()):
        key = _glob_safe(text.lower())
        condition = Person.name_initials.op("GLOB", is_comparison=True)(
            f"{key}*"
        ) | Person.name_pinyin.op("GLOB", is_comparison=True)(f"{key}*")
    else:
        return []
    return _people(session, condition, limit, lambda p: f"{_kind_label(p)} {p.name}")


def _by_plate(session: Session, text: str, limit: int) -> Matches:
    plate = re.sub(r"[\s·.\-]", "", text).upper()
    if not _PLATE_PART.match(plate) or not any(c.isdigit() for c in plate):
        return []
    condition = (
        Vehicle.plate.op("GLOB", is_comparison=True)(f"{_glob_safe(plate)}*")
        if plate[0] in PROVINCES
        else Vehicle.plate.contains(plate, autoescape=True)
    )
    query = select(Vehicle.room_id, Vehicle.plate).where(condition).order_by(Vehicle.plate)
    return [(room_id, f"车牌 {p}") for room_id, p in session.execute(query.limit(limit))]


def _by_id_number(session: Session, text: str, limit: int) -> Matches:
    number = text.upper()
    if not _ID_NUMBER.match(number) or is_locked():
        return []
    return _people(
        session,
        number_is(Person.id_number, number),
        limit,
        lambda p: f"{_kind_label(p)} {p.name} 证件号码 {mask_id_number(number)}",
    )


def _matches(session: Session, text: str, building_id: int | None, limit: int) -> Matches:
    found = (
        _by_room(session, text, building_id, limit)
        + _by_name(session, text, limit)
        + _by_phone(session, text, limit)
        + _by_plate(session, text, limit)
        + _by_id_number(session, text, limit)
    )
    seen: set[int] = set()
    unique = []
    for room_id, why in found:
        if room_id not in seen:
            seen.add(room_id)
            unique.append((room_id, why))
    return unique[:limit]


def find_households(
    db: Database,
    actor: Actor,
    text: str,
    limit: int = DEFAULT_LIMIT,
    building_id: int | None = None,
) -> list[HouseholdHit]:
    """Households matching what a clerk typed, best first; `building_id` narrows bare numbers."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return []
    with db.read() as session:
        matches = _matches(session, compact, building_id, limit)
        ids = [room_id for room_id, _ in matches]
        rooms = {
            room.id: (room, building, unit)
            for room, building, unit in session.execute(
                select(Room, Building, Unit)
                .join(Building, Room.building_id == Building.id)
                .outerjoin(Unit, Room.unit_id == Unit.id)
                .where(Room.id.in_(ids))
            )
        }
        owners = owner_names(session, ids)
    hits = []
    for room_id, why in matches:
        room, building, unit = rooms[room_id]
        unit_code = unit.code if unit else None
        hits.append(
            HouseholdHit(
                room_id,
                room_code(building.code, unit_code, room.number),
                room_label(building.name.removesuffix("栋"), unit_code, room.number),
                tuple(owners.get(room_id, [])),
                room.status,
                why,
            )
        )
    return hits


def search(
    db: Database,
    actor: Actor,
    text: str,
    limit: int = DEFAULT_LIMIT,
    building_id: int | None = None,
) -> list[SearchHit]:
    """The global search field's hits: each opens a household file."""
    hits = []
    for hit in find_households(db, actor, text, limit, building_id):
        owners = "、".join(hit.owners) if hit.owners else "无产权人登记"
        parts = [hit.place, owners, hit.status.label]
        if hit.matched != "房号":
            parts.append(hit.matched)
        hits.append(SearchHit("room", hit.room_id, hit.room_code, " · ".join(parts)))
    return hits
