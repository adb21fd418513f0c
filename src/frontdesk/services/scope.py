"""Who may see and change which buildings (管家责任制): a butler acts on the households
of their own buildings; every other role on all of them, as far as its permissions go.

Every service that reads or writes a household asks here, so the rule is kept once."""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from frontdesk.db.models import Building, Room, Unit
from frontdesk.domain.roles import Actor, Permission, Role
from frontdesk.errors import NotFound, PermissionDenied
from frontdesk.services.access import require

Columns = TypeVarTuple("Columns")


def covers(actor: Actor, butler_id: int | None) -> bool:
    """Whether a building looked after by `butler_id` is within the actor's scope."""
    return actor.role != Role.BUTLER or butler_id == actor.user_id


def may(actor: Actor, permission: Permission, butler_id: int | None) -> bool:
    """The permission, and the building within scope: what a screen offers."""
    return actor.can(permission) and covers(actor, butler_id)


def require_in_scope(actor: Actor, permission: Permission, building: Building) -> None:
    require(actor, permission)
    if not covers(actor, building.butler_id):
        raise PermissionDenied(
            f"管家只能{permission.label}自己负责楼栋的住户（{building.name}不在您的负责范围）。"
        )


def own_butler(actor: Actor) -> int | None:
    """The butler whose buildings a list is narrowed to; None when the actor sees all."""
    return actor.user_id if actor.role == Role.BUTLER else None


def in_scope_only(query: Select[*Columns], actor: Actor) -> Select[*Columns]:
    """Narrow a query that joins `Building` to the actor's buildings."""
    butler = own_butler(actor)
    return query if butler is None else query.where(Building.butler_id == butler)


def room_of(session: Session, room_id: int) -> tuple[Room, Building, Unit | None]:
    found = session.execute(
        select(Room, Building, Unit)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Room.id == room_id)
    ).first()
    if found is None:
        raise NotFound("找不到该房屋，可能已被删除。")
    return found[0], found[1], found[2]


def scoped_room(
    session: Session, actor: Actor, permission: Permission, room_id: int
) -> tuple[Room, Building, Unit | None]:
    """The room with its building and unit, once the actor may act on it."""
    room, building, unit = room_of(session, room_id)
    require_in_scope(actor, permission, building)
    return room, building, unit
