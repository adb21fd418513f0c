"""The parcel lists: what waits on the shelves (the overdue ones for the butlers to
chase, their own buildings only), a search by room, name, phone tail or tracking
number, and the counts the home screen and the shift book show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from frontdesk.db import phone_index
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, Parcel, Person, Room
from frontdesk.db.phone_index import tail_digits
from frontdesk.db.prefix import starts_with
from frontdesk.db.protection import PhoneKeyUnavailable, current_phone_cipher
from frontdesk.domain.parcels import compact, overdue_before
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import parse_room_code
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_id_in
from frontdesk.services.parcels.intake import ParcelRow, read_rows, row_query
from frontdesk.services.parcels.settings import parcel_settings
from frontdesk.services.scope import in_scope_only

SEARCH_LIMIT = 200
_DIGITS = re.compile(r"^[\d\s-]+$")
_HANZI = re.compile(r"^[\u3400-\u9fff·]{1,20}$")


def _waiting(session: Session, actor: Actor, now: datetime, overdue_only: bool) -> list[ParcelRow]:
    days = parcel_settings(session).overdue_days
    query = row_query().where(Parcel.collected_at.is_(None)).order_by(Parcel.received_at, Parcel.id)
    if overdue_only:
        query = in_scope_only(query.where(Parcel.received_at < overdue_before(now, days)), actor)
    return read_rows(session, query, now, days)


def waiting_parcels(
    db: Database, actor: Actor, *, overdue_only: bool = False, now: datetime | None = None
) -> list[ParcelRow]:
    """Every parcel on the shelves, oldest first; `overdue_only`: those waiting the
    settings' days or longer, for a butler only his buildings'."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        return _waiting(session, actor, now or utcnow(), overdue_only)


def _condition(session: Session, text: str) -> ColumnElement[bool]:
    """What the clerk typed: a room (3-2-1201), a name (张三, as far as typed), a phone
    or its last 4+ digits (the household's people), or a tracking number."""
    value = text.strip()
    room = parse_room_code(value)
    if room is not None and room.room:
        return Parcel.room_id == room_id_in(session, value)
    if _HANZI.match(value):
        return starts_with(session, Parcel.recipient, value)
    digits = tail_digits(value) if _DIGITS.match(value) else None
    tracking = compact(value)
    by_tracking = Parcel.tracking == tracking
    if digits is None:
        return by_tracking
    cipher = current_phone_cipher()
    if cipher is None:
        raise PhoneKeyUnavailable()
    people = select(Person.id).where(Person.id.in_(phone_index.matching("person", cipher, digits)))
    return or_(Parcel.person_id.in_(people), by_tracking)


def search_parcels(
    db: Database, actor: Actor, text: str, *, limit: int = SEARCH_LIMIT, now: datetime | None = None
) -> list[ParcelRow]:
    """Parcels matching the text, newest first, at most `limit`."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    if not text.strip():
        raise ValidationError("查找", "请输入房号、收件人姓名、电话尾号或快递单号")
    newest = (Parcel.received_at.desc(), Parcel.id.desc())
    with db.read() as session:
        # The ids first, sorted on the indexes alone (a surname matches thousands of
        # parcels), then the rows of those few.
        ids = select(Parcel.id).where(_condition(session, text)).order_by(*newest).limit(limit)
        query = row_query().where(Parcel.id.in_(ids)).order_by(*newest)
        return read_rows(session, query, now or utcnow(), parcel_settings(session).overdue_days)


@dataclass(frozen=True)
class ShelfCount:
    waiting: int
    overdue: int  # for a butler: his buildings' only
    overdue_days: int


def shelf_count(db: Database, actor: Actor, now: datetime | None = None) -> ShelfCount:
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    now = now or utcnow()
    with db.read() as session:
        days = parcel_settings(session).overdue_days
        waiting = select(func.count(Parcel.id)).where(Parcel.collected_at.is_(None))
        overdue = in_scope_only(
            waiting.where(Parcel.received_at < overdue_before(now, days))
            .join(Room, Parcel.room_id == Room.id)
            .join(Building, Room.building_id == Building.id),
            actor,
        )
        return ShelfCount(session.scalar(waiting) or 0, session.scalar(overdue) or 0, days)
