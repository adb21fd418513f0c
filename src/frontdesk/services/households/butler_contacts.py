"""管家责任制: each butler reaches at least 10% of their households every month.

Contacts are recorded per household; coverage counts the distinct households a
butler reached in a month against the lived-in homes of their buildings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Building, ButlerContact, Person, Room, Unit, User
from frontdesk.domain import clock
from frontdesk.domain.household import CONTACT_CHANNELS, PersonKind
from frontdesk.domain.roles import Actor, Permission, Role
from frontdesk.domain.rooms import RoomStatus, RoomType, room_code
from frontdesk.errors import PermissionDenied, ValidationError
from frontdesk.services.access import require
from frontdesk.services.scope import scoped_room

MONTHLY_TARGET_PERCENT = 10
LIVED_IN = (RoomStatus.OCCUPIED, RoomStatus.RENTED, RoomStatus.HANDED_OVER)


@dataclass(frozen=True)
class ContactInput:
    contacted_on: date
    channel: str
    topic: str
    outcome: str = ""
    follow_up_on: date | None = None


@dataclass(frozen=True)
class ContactRow:
    id: int
    room_id: int
    room_code: str
    butler: str
    contacted_on: date
    channel: str
    topic: str
    outcome: str
    follow_up_on: date | None


@dataclass(frozen=True)
class CoverageRow:
    butler_id: int
    butler: str
    households: int
    contacted: int

    @property
    def percent(self) -> float:
        return 100.0 * self.contacted / self.households if self.households else 0.0

    @property
    def target_met(self) -> bool:
        return self.contacted * 100 >= self.households * MONTHLY_TARGET_PERCENT


@dataclass(frozen=True)
class QuietHousehold:
    room_id: int
    room_code: str
    owners: tuple[str, ...]
    last_contact: date | None


def _validated(data: ContactInput) -> ContactInput:
    if data.channel not in CONTACT_CHANNELS:
        raise ValidationError("联系方式", f"只能是{'、'.join(CONTACT_CHANNELS)}")
    if data.contacted_on > clock.today():
        raise ValidationError("联系日期", "不能晚于今天")
    topic = data.topic.strip()
    if not topic:
        raise ValidationError("事由", "不能为空")
    if len(topic) > 100:
        raise ValidationError("事由", "不能超过 100 个字")
    if data.follow_up_on and data.follow_up_on < data.contacted_on:
        raise ValidationError("跟进日期", "不能早于联系日期")
    return ContactInput(
        data.contacted_on, data.channel, topic, data.outcome.strip(), data.follow_up_on
    )


def record_contact(db: Database, actor: Actor, room_id: int, data: ContactInput) -> int:
    """A butler records for their own buildings; supervisors for any."""
    clean = _validated(data)
    if actor.user_id is None:
        raise PermissionDenied("系统账户不能登记管家联系。")
    with db.write(actor) as session:
        scoped_room(session, actor, Permission.EDIT_HOUSEHOLDS, room_id)
        record = ButlerContact(
            room_id=room_id,
            user_id=actor.user_id,
            contacted_on=clean.contacted_on,
            channel=clean.channel,
            topic=clean.topic,
            outcome=clean.outcome,
            follow_up_on=clean.follow_up_on,
        )
        session.add(record)
        session.flush()
        return record.id


def _contact_rows(session: Session, query: Select[ButlerContact]) -> list[ContactRow]:
    rows = []
    joined = (
        query.add_columns(Room, Building, Unit, User)
        .join(Room, ButlerContact.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .join(User, ButlerContact.user_id == User.id)
    )
    for contact, room, building, unit, user in session.execute(joined):
        rows.append(
            ContactRow(
                contact.id,
                room.id,
                room_code(building.code, unit.code if unit else None, room.number),
                user.display_name,
                contact.contacted_on,
                contact.channel,
                contact.topic,
                contact.outcome,
                contact.follow_up_on,
            )
        )
    return rows


def list_contacts(db: Database, actor: Actor, room_id: int) -> list[ContactRow]:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        query = (
            select(ButlerContact)
            .where(ButlerContact.room_id == room_id)
            .order_by(ButlerContact.contacted_on.desc(), ButlerContact.id.desc())
        )
        return _contact_rows(session, query)


def _butlers_visible(session: Session, actor: Actor, butler_id: int | None) -> list[User]:
    if actor.role == Role.BUTLER:
        if butler_id not in (None, actor.user_id):
            raise PermissionDenied("管家只能查看自己的联系情况。")
        butler_id = actor.user_id
    elif not actor.can(Permission.VIEW_AUDIT):  # supervisors and admins oversee butlers
        raise PermissionDenied(f"{actor.role.label}无权查看管家联系情况。")
    query = select(User).where(User.role == Role.BUTLER).order_by(User.display_name)
    if butler_id is not None:
        query = query.where(User.id == butler_id)
    return list(session.scalars(query))


def _homes(butler_id: int) -> Select[int]:
    return (
        select(Room.id)
        .join(Building, Room.building_id == Building.id)
        .where(
            Building.butler_id == butler_id,
            Room.room_type == RoomType.RESIDENCE,
            Room.status.in_(LIVED_IN),
        )
    )


def coverage(
    db: Database, actor: Actor, month: date, butler_id: int | None = None
) -> list[CoverageRow]:
    """Per butler: lived-in homes of their buildings, and how many were reached in `month`."""
    first = month.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    rows = []
    with db.read() as session:
        for butler in _butlers_visible(session, actor, butler_id):
            homes = _homes(butler.id).subquery()
            households = session.scalar(select(func.count()).select_from(homes)) or 0
            contacted = session.scalar(
                select(func.count(func.distinct(ButlerContact.room_id))).where(
                    ButlerContact.room_id.in_(select(homes.c.id)),
                    ButlerContact.contacted_on >= first,
                    ButlerContact.contacted_on < after,
                )
            )
            rows.append(CoverageRow(butler.id, butler.display_name, households, contacted or 0))
    return rows


def longest_uncontacted(
    db: Database, actor: Actor, butler_id: int, limit: int = 20
) -> list[QuietHousehold]:
    """The butler's homes by last contact, never-contacted first: whom to call next."""
    with db.read() as session:
        _butlers_visible(session, actor, butler_id)
        last = (
            select(ButlerContact.room_id, func.max(ButlerContact.contacted_on).label("last"))
            .group_by(ButlerContact.room_id)
            .subquery()
        )
        query = (
            select(Room, Building, Unit, last.c.last)
            .join(Building, Room.building_id == Building.id)
            .outerjoin(Unit, Room.unit_id == Unit.id)
            .outerjoin(last, last.c.room_id == Room.id)
            .where(Room.id.in_(_homes(butler_id)))
            .order_by(last.c.last.is_not(None), last.c.last, Building.sort_key, Room.id)
            .limit(limit)
        )
        found = session.execute(query).all()
        owners: dict[int, list[str]] = {}
        for room_id, name in session.execute(
            select(Person.room_id, Person.name)
            .where(Person.room_id.in_([r.id for r, *_ in found]), Person.kind == PersonKind.OWNER)
            .where(Person.left_on.is_(None))
        ):
            owners.setdefault(room_id, []).append(name)
    return [
        QuietHousehold(
            room.id,
            room_code(building.code, unit.code if unit else None, room.number),
            tuple(owners.get(room.id, [])),
            last_on,
        )
        for room, building, unit, last_on in found
    ]


def due_follow_ups(db: Database, actor: Actor, today: date) -> list[ContactRow]:
    """Contacts whose follow-up date has come and with no later contact of the household."""
    with db.read() as session:
        visible = [u.id for u in _butlers_visible(session, actor, None)]
        query = (
            select(ButlerContact)
            .where(
                ButlerContact.user_id.in_(visible),
                ButlerContact.follow_up_on.is_not(None),
                ButlerContact.follow_up_on <= today,
            )
            .order_by(ButlerContact.follow_up_on)
        )
        rows = _contact_rows(session, query)
        latest = dict(
            session.execute(
                select(ButlerContact.room_id, func.max(ButlerContact.contacted_on)).group_by(
                    ButlerContact.room_id
                )
            ).all()
        )
    return [r for r in rows if latest.get(r.room_id, r.contacted_on) <= r.contacted_on]
