"""The recovery code sheet (not a registered document: see documents/recovery_code)."""

from __future__ import annotations

from datetime import datetime

from frontdesk.documents.recovery_code import recovery_code_pdf
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor
from frontdesk.printouts import letterhead
from frontdesk.services.database import Database
from frontdesk.services.protection import data_key


def recovery_sheet(db: Database, actor: Actor, now: datetime | None = None) -> bytes:
    code = data_key.recovery_code(db, actor)
    info = data_key.key_info(db)
    key_name = info.key_id if info else ""
    when = now or clock.wall_now()
    return recovery_code_pdf(letterhead(db), code, key_name, when, actor.display_name)
