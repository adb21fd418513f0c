"""The global search field (Ctrl+F / F3): one query, hits from every area.

Rooms are found by code (3-2-1201, 3栋2单元1201, 3栋1201) or by room number
alone. Later areas (households, people, plates) add their own providers here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Building, Room, Unit
from frontdesk.domain.area import format_m2
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomQuery, RoomStatus, RoomType, parse_room_code, room_label
from frontdesk.services.access import require
from frontdesk.services.structure import room_row

DEFAULT_LIMIT = 20
# A room number typed alone: 1201, P001 (parking), S012 (shop).
_ROOM_NUMBER = re.compile(r"^[A-Za-z]?\d{3,}$")


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "room"; later "household", "person", "vehicle"
    id: int
    title: str
    subtitle: str


def _room_query(text: str) -> RoomQuery | None:
    compact = text.strip()
    if _ROOM_NUMBER.match(compact):
        return RoomQuery(building="", unit=None, room=compact)
    return parse_room_code(compact)


def _rooms(session: Session, text: str, limit: int) -> list[SearchHit]:
    wanted = _room_query(text)
    if wanted is None:
        return []
    query = (
        select(Room, Building, Unit)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .order_by(Building.sort_key, Building.code, Unit.sort_key, Room.floor, Room.number)
        .limit(limit)
    )
    if wanted.building:
        query = query.where(Building.code == wanted.building)
    if wanted.unit:
        query = query.where(Unit.code == wanted.unit)
    if wanted.room:
        query = query.where(Room.number == wanted.room)
    hits = []
    for room, building, unit in session.execute(query):
        row = room_row(room, building, unit)
        place = room_label(building.name.removesuffix("栋"), row.unit, row.number)
        details = f"{RoomType(row.room_type).label} · {RoomStatus(row.status).label}"
        hits.append(
            SearchHit(
                "room", row.id, row.code, f"{place} · {details} · {format_m2(row.area_m2_x100)}㎡"
            )
        )
    return hits


Provider = Callable[[Session, str, int], list[SearchHit]]
PROVIDERS: tuple[Provider, ...] = (_rooms,)


def search(db: Database, actor: Actor, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    require(actor, Permission.VIEW_ROOMS)
    if not text.strip():
        return []
    hits: list[SearchHit] = []
    with db.read() as session:
        for provider in PROVIDERS:
            hits += provider(session, text, limit - len(hits))
            if len(hits) >= limit:
                break
    return hits
