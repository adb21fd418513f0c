"""Every write is audited: an after-flush hook turns the session's changes into
hash-chained entries of the append-only `audit_log` table.

The acting user travels in `session.info["actor"]` (set by `Database.write`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.db.base import Base, utcnow
from frontdesk.db.models.audit import AuditEntry
from frontdesk.db.protection import EncryptedPhone
from frontdesk.domain.fees import mask_account_no
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.roles import SYSTEM, Actor

GENESIS_HASH = "0" * 64
ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除"}
SECRET_MARK = "（已修改，不记录内容）"


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _last_hash(connection: Connection) -> str:
    last = connection.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
    return last or GENESIS_HASH


def write_entry(
    connection: Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str,
    summary: str,
    changes: dict[str, Any] | None = None,
    at: datetime | None = None,
    room_id: int | None = None,
) -> None:
    """Append one entry, chained to the previous one."""
    fields: dict[str, Any] = {
        "at": (at or utcnow()).isoformat(timespec="microseconds"),
        "user_id": actor.user_id,
        "username": actor.username,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "summary": summary,
        "changes": json.dumps(changes or {}, ensure_ascii=False, sort_keys=True, default=str),
    }
    if room_id is not None:
        fields["room_id"] = room_id
    prev = _last_hash(connection)
    row = dict(fields, at=datetime.fromisoformat(fields["at"]), prev_hash=prev)
    connection.execute(insert(AuditEntry).values(**row, hash=entry_hash(prev, fields)))


def chain_fields(entry: AuditEntry) -> dict[str, Any]:
    """The hashed fields of a stored entry, as `write_entry` hashed them."""
    fields = {
        "at": entry.at.isoformat(timespec="microseconds"),
        "user_id": entry.user_id,
        "username": entry.username,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "summary": entry.summary,
        "changes": entry.changes,
    }
    if entry.room_id is not None:
        fields["room_id"] = entry.room_id
    return fields


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value


def _field_changes(obj: Base, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    secret: frozenset[str] = getattr(obj, "__audit_secret__", frozenset())
    ignored: frozenset[str] = (
        getattr(obj, "__audit_ignore__", frozenset()) if action == "update" else frozenset()
    )
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in ignored:
            continue
        history = state.attrs[attr.key].history
        if action == "update" and not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = (
            history.added[0]
            if history.added
            else history.unchanged[0]
            if history.unchanged
            else None
        )
        if action == "create":
            old = None
        elif action == "delete":
            old, new = (history.unchanged or history.deleted or [None])[0], None
        if attr.key in secret:
            old, new = None, SECRET_MARK
        elif attr.key == "id_number":
            # The log is not encrypted: it keeps only the masked form of a number.
            old, new = (mask_id_number(v) if v else v for v in (old, new))
        elif isinstance(attr.columns[0].type, EncryptedPhone):
            # Phones are encrypted at rest: the log keeps only their masked form.
            old, new = (mask_phone(v) if v else v for v in (old, new))
        elif attr.key == "payee_account_no":
            # A bank account is personal data too: the log keeps its last four digits.
            old, new = (mask_account_no(v) if v else v for v in (old, new))
        changes[attr.key] = [_jsonable(old), _jsonable(new)]
    return changes


def _audit_flush(session: Session, _context: object) -> None:
    actor: Actor = session.info.get("actor", SYSTEM)
    pending = [("create", o) for o in session.new]
    pending += [("update", o) for o in session.dirty if session.is_modified(o)]
    pending += [("delete", o) for o in session.deleted]
    connection = session.connection()
    for action, obj in pending:
        if isinstance(obj, AuditEntry) or not isinstance(obj, Base):
            continue
        changes = _field_changes(obj, action)
        if action == "update" and not changes:
            continue
        pk = inspect(obj).mapper.primary_key_from_instance(obj)
        label = obj.__audit_label__ or obj.__tablename__
        summary = f"{ACTION_LABELS[action]}{label}「{obj.audit_title()}」"
        write_entry(
            connection,
            actor,
            action,
            obj.__tablename__,
            str(pk[0]),
            summary,
            changes,
            room_id=obj.audit_room_id(),
        )


def install_audit_hook(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _audit_flush)
