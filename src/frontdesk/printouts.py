"""Documents assembled from the database: services gather the data, documents draw it.

The GUI and the command line call these so both print exactly the same thing.
"""

from __future__ import annotations

from datetime import datetime

from frontdesk.documents.base import Letterhead
from frontdesk.documents.room_summary import BuildingLine, room_summary_pdf
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services import community, structure
from frontdesk.services.access import require
from frontdesk.services.database import Database


def letterhead(db: Database) -> Letterhead:
    info = community.get_community(db)
    return Letterhead(info.name, info.company_name, info.address, info.service_phone, info.logo_png)


def room_summary(db: Database, actor: Actor, now: datetime | None = None) -> bytes:
    require(actor, Permission.PRINT_REPORTS)
    lines = [
        BuildingLine(b.building, b.units, b.rooms, b.by_status, b.area_m2_x100)
        for b in structure.summary(db, actor)
    ]
    return room_summary_pdf(
        letterhead(db), lines, now or datetime.now().astimezone(), actor.display_name
    )
