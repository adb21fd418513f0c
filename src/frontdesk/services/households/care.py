"""特殊群体关怀: who is due a visit, and recording one (it counts as a butler contact)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import Building, ButlerContact, CareNeed, Room, Unit, User
from frontdesk.domain import clock
from frontdesk.domain.household import CareCategory
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code
from frontdesk.errors import NotFound, PermissionDenied, ValidationError
from frontdesk.services.access import require
from frontdesk.services.scope import own_butler, scoped_room

VISIT_TOPIC = "关怀探访"


@dataclass(frozen=True)
class VisitDue:
    care_id: int
    room_id: int
    room_code: str
    person_name: str
    category: CareCategory
    note: str
    butler: str
    last_visit_on: date | None
    due_on: date  # today for someone never visited

    def days_overdue(self, today: date) -> int:
        return (today - self.due_on).days


def visits_due(
    db: Database, actor: Actor, today: date, butler_id: int | None = None
) -> list[VisitDue]:
    """Care needs whose next visit is today or past, most overdue first.

    A butler sees those of their own buildings.
    """
    require(actor, Permission.VIEW_HOUSEHOLDS)
    butler_id = own_butler(actor) or butler_id
    query = (
        select(CareNeed, Room, Building, Unit, User.display_name)
        .join(Room, CareNeed.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .outerjoin(User, Building.butler_id == User.id)
    )
    if butler_id is not None:
        query = query.where(Building.butler_id == butler_id)
    due = []
    with db.read() as session:
        for need, room, building, unit, butler in session.execute(query):
            next_on = (
                need.last_visit_on + timedelta(days=need.visit_every_days)
                if need.last_visit_on
                else today
            )
            if next_on <= today:
                due.append(
                    VisitDue(
                        need.id,
                        room.id,
                        room_code(building.code, unit.code if unit else None, room.number),
                        need.person_name,
                        need.category,
                        need.note,
                        butler or "",
                        need.last_visit_on,
                        next_on,
                    )
                )
    return sorted(due, key=lambda v: (v.due_on, v.room_code))


def record_visit(db: Database, actor: Actor, care_id: int, visited_on: date, note: str) -> None:
    """The visit moves the next due date and is logged as the butler's 上门 contact."""
    if visited_on > clock.today():
        raise ValidationError("探访日期", "不能晚于今天")
    if actor.user_id is None:
        raise PermissionDenied("系统账户不能登记探访。")
    with db.write(actor) as session:
        need = session.get(CareNeed, care_id)
        if need is None:
            raise NotFound("该关怀对象已不存在，请刷新后重试。")
        scoped_room(session, actor, Permission.EDIT_HOUSEHOLDS, need.room_id)
        if need.last_visit_on is None or visited_on > need.last_visit_on:
            need.last_visit_on = visited_on
        session.add(
            ButlerContact(
                room_id=need.room_id,
                user_id=actor.user_id,
                contacted_on=visited_on,
                channel="上门",
                topic=f"{VISIT_TOPIC}：{need.person_name}",
                outcome=note.strip(),
            )
        )
