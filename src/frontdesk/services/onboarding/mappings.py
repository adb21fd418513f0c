"""Mappings of an old system's columns and values saved under a name, offered again
for the next file of the same shape (the setup is saved by header text: reading.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import ImportMapping
from frontdesk.db.who import stamp
from frontdesk.domain.onboarding import ImportKind
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name
from frontdesk.errors import ValidationError
from frontdesk.services.access import require


@dataclass(frozen=True)
class SavedMapping:
    name: str
    kind: ImportKind
    setup_json: str
    saved_at: datetime  # local time
    saved_by: str


def save_mapping(db: Database, actor: Actor, name: str, kind: ImportKind, setup_json: str) -> None:
    """Save the mapping under `name`, replacing one saved under the same name."""
    require(actor, Permission.IMPORT_HOUSEHOLDS)
    name = clean_name(name, "映射名称", 60, required=True)
    try:
        json.loads(setup_json)
    except ValueError:
        raise ValidationError("映射", "内容不是有效的映射") from None
    with db.write(actor) as session:
        mapping = session.scalar(select(ImportMapping).where(ImportMapping.name == name))
        if mapping is None:
            mapping = ImportMapping(name=name)
            session.add(mapping)
        mapping.kind = ImportKind(kind).value
        mapping.setup = setup_json
        mapping.saved_at = utcnow()
        stamp(mapping, "saved", actor)


def saved_mappings(db: Database, actor: Actor) -> list[SavedMapping]:
    """Every saved mapping, by name."""
    require(actor, Permission.IMPORT_HOUSEHOLDS)
    with db.read() as session:
        return [
            SavedMapping(m.name, ImportKind(m.kind), m.setup, m.saved_at.astimezone(), m.saved_by)
            for m in session.scalars(select(ImportMapping).order_by(ImportMapping.name))
        ]
