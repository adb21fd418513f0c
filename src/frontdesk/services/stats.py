"""Record counts for `frontdesk stats` (later areas add their tables)."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEntry, Building, Room, Unit, User
from frontdesk.domain.rooms import RoomType

_COUNTED = {
    "buildings": Building,
    "units": Unit,
    "rooms": Room,
    "users": User,
    "audit_entries": AuditEntry,
}


def counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        result = {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in _COUNTED.items()
        }
        by_type = dict(
            session.execute(select(Room.room_type, func.count()).group_by(Room.room_type)).all()
        )
    for room_type in RoomType:
        result[f"rooms_{room_type.value}"] = by_type.get(room_type.value, 0)
    return result
