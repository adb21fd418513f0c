"""Finding a household: the global search field (Ctrl+F / F3) and `frontdesk find`.

One text, every spelling a clerk uses: room codes as far as they are typed (3-2-1201,
3栋2单元1201, 3#1201; 3-2 lists the unit, 3-2-12 its rooms numbered 12…), a room number
alone (1201; within one building when the caller names it), a name (张三), its pinyin
(zhangsan), initials (zs) or surname with initials (zhangs), the last 4+ digits of a
phone, a plate (浙A12345, or part of it), a whole ID number (through its keyed hash).
Each lookup is an indexed query; one ranking (`ranked`) orders the hits everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, literal, or_, select
from sqlalchemy.orm import Session

from frontdesk.db import phone_index
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, Person, Room, Unit, Vehicle
from frontdesk.db.phone_index import tail_digits
from frontdesk.db.prefix import starts_with
from frontdesk.db.protection import current_phone_cipher, is_locked, number_is
from frontdesk.domain.household import PersonKind
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.plates import PROVINCES
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomPrefix, RoomStatus, read_room_prefix, room_code, room_label
from frontdesk.services.access import require
from frontdesk.services.households.file import owner_names
from frontdesk.services.scope import own_butler

T = TypeVar("T")

DEFAULT_LIMIT = 20
# Matches counted and ranked before the first `limit` are shown: "还有 N 条" counts to here.
MATCH_CAP = 200
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
ROOM_MATCH = "房号"


@dataclass(frozen=True)
class HouseholdHit:
    room_id: int
    room_code: str  # 3-2-1201
    place: str  # 3栋2单元1201室
    owners: tuple[str, ...]
    status: RoomStatus
    matched: str  # why it was found: "房号", "产权人 张三", "电话尾号 5678", "车牌 浙A12345"


@dataclass(frozen=True)
class Found(Generic[T]):
    """The best hits, and how many matched in all (counted up to MATCH_CAP)."""

    hits: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        """Matches beyond the hits shown."""
        return self.total - len(self.hits)

    @property
    def at_least(self) -> bool:
        """The count stopped at MATCH_CAP: there may be more still."""
        return self.total >= MATCH_CAP


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "room": opens the household file of room `id`
    id: int
    title: str
    subtitle: str


@dataclass(frozen=True)
class Match:
    room_id: int
    why: str
    exact: bool = False  # the whole room number typed: first, whoever looks after it


def _room_ids(
    session: Session, wanted: RoomPrefix, building_id: int | None, exact_only: bool
) -> list[Match]:
    number = wanted.room_start.upper()
    exact = Room.number == number if number else literal(False)
    query = (
        select(Room.id, exact)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .order_by(
            exact.desc(), Building.sort_key, Building.code, Unit.sort_key, Room.floor, Room.number
        )
        .limit(MATCH_CAP)
    )
    if wanted.building:
        query = query.where(Building.code == wanted.building)
    elif building_id is not None:
        query = query.where(Room.building_id == building_id)
    if wanted.unit is not None:
        query = query.where(Unit.code == wanted.unit)
    if exact_only:
        query = query.where(Room.number == number)
    elif number:
        query = query.where(starts_with(session, Room.number, number))
    return [Match(room_id, ROOM_MATCH, bool(whole)) for room_id, whole in session.execute(query)]


def _by_room(session: Session, text: str, building_id: int | None) -> list[Match]:
    """A bare room number exactly; a room code as far as it is typed, whole numbers first.
    Of two readings (`3-1`: unit 1, or the rooms numbered 1…) the first that names
    rooms is taken."""
    if _ROOM_NUMBER.match(text):
        return _room_ids(session, RoomPrefix("", None, text), building_id, exact_only=True)
    for wanted in read_room_prefix(text):
        if found := _room_ids(session, wanted, None, exact_only=False):
            return found
    return []


def _people(
    session: Session, condition: ColumnElement[bool], why: Callable[[PersonKind, str], str]
) -> list[Match]:
    query = (
        select(Person.room_id, Person.kind, Person.name)
        .where(condition)
        .order_by(Person.kind != PersonKind.OWNER, Person.id)
        .limit(MATCH_CAP)
    )
    return [Match(room_id, why(kind, name)) for room_id, kind, name in session.execute(query)]


def _by_phone(session: Session, text: str) -> list[Match]:
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
        lambda kind, name: f"{kind.label} {name} 电话尾号 {digits[-4:]}",
    )


def _by_name(session: Session, text: str) -> list[Match]:
    """A name as far as it is typed, in characters (张三), full pinyin (zhangsan),
    initials (zs) or the surname spelled out with the given name's initials (zhangs)."""
    if _HANZI.match(text):
        condition = starts_with(session, Person.name, text)
    elif _LETTERS.match(text.lower()):
        key = text.lower()
        condition = or_(
            starts_with(session, Person.name_initials, key),
            starts_with(session, Person.name_pinyin, key),
            starts_with(session, Person.name_mixed, key),
        )
    else:
        return []
    return _people(session, condition, lambda kind, name: f"{kind.label} {name}")


def _by_plate(session: Session, text: str) -> list[Match]:
    plate = re.sub(r"[\s·.\-]", "", text).upper()
    if not _PLATE_PART.match(plate) or not any(c.isdigit() for c in plate):
        return []
    condition = (
        starts_with(session, Vehicle.plate, plate)
        if plate[0] in PROVINCES
        else Vehicle.plate.contains(plate, autoescape=True)
    )
    query = select(Vehicle.room_id, Vehicle.plate).where(condition).order_by(Vehicle.plate)
    return [Match(room_id, f"车牌 {p}") for room_id, p in session.execute(query.limit(MATCH_CAP))]


def _by_id_number(session: Session, text: str) -> list[Match]:
    number = text.upper()
    if not _ID_NUMBER.match(number) or is_locked():
        return []
    return _people(
        session,
        number_is(Person.id_number, number),
        lambda kind, name: f"{kind.label} {name} 证件号码 {mask_id_number(number)}",
    )


def _matches(session: Session, text: str, building_id: int | None) -> list[Match]:
    """Every household the text finds (up to MATCH_CAP), each once, as each finder ranks."""
    found = (
        _by_room(session, text, building_id)
        + _by_name(session, text)
        + _by_phone(session, text)
        + _by_plate(session, text)
        + _by_id_number(session, text)
    )
    seen: set[int] = set()
    unique = []
    for match in found:
        if match.room_id not in seen:
            seen.add(match.room_id)
            unique.append(match)
    return unique[:MATCH_CAP]


def _own_rooms(session: Session, butler_id: int, room_ids: list[int]) -> set[int]:
    own: set[int] = set()
    for start in range(0, len(room_ids), 900):
        query = (
            select(Room.id)
            .join(Building, Room.building_id == Building.id)
            .where(Room.id.in_(room_ids[start : start + 900]), Building.butler_id == butler_id)
        )
        own.update(session.scalars(query))
    return own


def ranked(session: Session, actor: Actor, matches: list[Match]) -> list[Match]:
    """The one order of search hits, wherever a household is looked for: a whole room
    number typed first, then the households of the butler's own buildings (管家责任制),
    then as each finder ranked them (owners before tenants, rooms in building order)."""
    butler = own_butler(actor)
    own = _own_rooms(session, butler, [m.room_id for m in matches]) if butler else set()
    order = {m.room_id: position for position, m in enumerate(matches)}
    return sorted(matches, key=lambda m: (not m.exact, m.room_id not in own, order[m.room_id]))


def match_households(
    db: Database,
    actor: Actor,
    text: str,
    limit: int = DEFAULT_LIMIT,
    building_id: int | None = None,
) -> Found[HouseholdHit]:
    """Households matching what a clerk typed, best first (`ranked`), and how many
    matched in all; `building_id` narrows bare room numbers."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return Found((), 0)
    with db.read() as session:
        matches = ranked(session, actor, _matches(session, compact, building_id))
        shown = matches[:limit]
        ids = [m.room_id for m in shown]
        rooms = {
            row.id: row
            for row in session.execute(
                select(
                    Room.id,
                    Room.number,
                    Room.status,
                    Building.code.label("building"),
                    Building.name.label("building_name"),
                    Unit.code.label("unit"),
                )
                .join(Building, Room.building_id == Building.id)
                .outerjoin(Unit, Room.unit_id == Unit.id)
                .where(Room.id.in_(ids))
            )
        }
        owners = owner_names(session, ids)
    hits = []
    for match in shown:
        room = rooms[match.room_id]
        hits.append(
            HouseholdHit(
                match.room_id,
                room_code(room.building, room.unit, room.number),
                room_label(room.building_name.removesuffix("栋"), room.unit, room.number),
                tuple(owners.get(match.room_id, [])),
                room.status,
                match.why,
            )
        )
    return Found(tuple(hits), len(matches))


def find_households(
    db: Database,
    actor: Actor,
    text: str,
    limit: int = DEFAULT_LIMIT,
    building_id: int | None = None,
) -> list[HouseholdHit]:
    """The best `limit` households matching what a clerk typed (see match_households)."""
    return list(match_households(db, actor, text, limit, building_id).hits)


def search(
    db: Database,
    actor: Actor,
    text: str,
    limit: int = DEFAULT_LIMIT,
    building_id: int | None = None,
) -> Found[SearchHit]:
    """The global search field's hits, each opening a household file, and the count."""
    found = match_households(db, actor, text, limit, building_id)
    hits = []
    for hit in found.hits:
        owners = "、".join(hit.owners) if hit.owners else "无产权人登记"
        parts = [hit.place, owners, hit.status.label]
        if hit.matched != ROOM_MATCH:
            parts.append(hit.matched)
        hits.append(SearchHit("room", hit.room_id, hit.room_code, " · ".join(parts)))
    return Found(tuple(hits), found.total)
