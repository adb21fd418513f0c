"""Every write is audited: an after-flush hook turns the session's changes into
hash-chained entries of the append-only `audit_log` table.

The acting user travels in `session.info["actor"]` (set by `Database.write`).

The chain is keyed (issue 18): once a database has a data key, each entry's hash is
an HMAC-SHA256 under the chain key derived from it (db/protection.py), so editing an
entry and recomputing every later hash needs the key, which is never in the file.
A keyed hash is marked by its first character, "k" (a plain SHA-256 is hex), so a
verifier knows which each entry is. A database with a data key refuses audited
writes while its key is not open (an entry written then would be plain, i.e. forgeable);
one without a data key yet keeps plain entries, and the first entry written after
its key opens covers the plain chain before it (services/audit.sign_chain).

`audit_head` counts the entries written and keeps the newest hash, moved in the same
transaction as each entry and signed under the chain key: deleting rows from the
log's end and rewinding the counter to match needs the key too.

Personal values (names, phones, plates, ID and account numbers) are kept only masked,
in the changes and in the summary alike: the log is append-only, so what it holds in
clear would outlive an erasure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, event, func, insert, inspect, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.db.base import Base, utcnow
from frontdesk.db.models.audit import AuditEntry, AuditHead
from frontdesk.db.protection import KeyUnavailable, chain_key
from frontdesk.db.who import SUFFIX as WHO_ID
from frontdesk.domain.fees import mask_account_no
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.names import mask_name
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.plates import mask_plate
from frontdesk.domain.roles import SYSTEM, Actor

GENESIS_HASH = "0" * 64
ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除"}
SECRET_MARK = "（已修改，不记录内容）"
KEYED_MARK = "k"  # first character of a keyed hash; a plain one is lower-case hex
_KEYED_CHARS = 63  # the HMAC's hex kept after the mark: the column is 64 wide


class AuditKeyUnavailable(KeyUnavailable):
    """A database with a data key is written while its key is not open."""

    def __init__(self) -> None:
        super().__init__(
            "审计日志须用本数据库的密钥签名，本机还没有打开这个数据库的密钥。"
            "请用恢复码或口令解锁后再试。"
        )


def entry_hash(prev_hash: str, fields: dict[str, Any], key: bytes | None = None) -> str:
    """The one place an entry's link in the chain is computed: SHA-256 of the previous
    hash and the entry's fields, or with `key` an HMAC-SHA256 marked "k"."""
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    message = (prev_hash + canonical).encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return KEYED_MARK + hmac.new(key, message, hashlib.sha256).hexdigest()[:_KEYED_CHARS]


def is_keyed(stored_hash: str) -> bool:
    return stored_hash.startswith(KEYED_MARK)


def head_mac(key: bytes, entries: int, last_id: int, head_hash: str) -> str:
    message = f"frontdesk audit head|{entries}|{last_id}|{head_hash}".encode()
    return KEYED_MARK + hmac.new(key, message, hashlib.sha256).hexdigest()[:_KEYED_CHARS]


def has_data_key(connection: Connection) -> bool:
    return connection.execute(text("SELECT 1 FROM data_key LIMIT 1")).first() is not None


def writing_key(connection: Connection) -> bytes | None:
    """The chain key for entries written now: refused where the chain is already signed
    and the database's key is not open (an unkeyed entry there could be forged by
    anyone). A log never signed yet (a file from before issue 18, being upgraded before
    its key can open) goes on plain until `services.audit.sign_chain` signs it."""
    key = chain_key()
    if key is None and has_data_key(connection) and is_keyed(_last_hash(connection)):
        raise AuditKeyUnavailable()
    return key


def _last_hash(connection: Connection) -> str:
    last = connection.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
    return last or GENESIS_HASH


def advance_head(
    connection: Connection, added: int, last_id: int, head_hash: str, key: bytes | None
) -> None:
    """Move the head counter past `added` new entries ending at `last_id`/`head_hash`
    (in the caller's transaction, after the entries are inserted)."""
    entries = connection.execute(select(AuditHead.entries).where(AuditHead.id == 1)).scalar()
    if entries is None:  # a database from before the counter: count once
        count = connection.execute(select(func.count()).select_from(AuditEntry)).scalar()
        entries = int(count or 0) - added
    total = int(entries) + added
    values = {
        "entries": total,
        "last_id": last_id,
        "head_hash": head_hash,
        "mac": head_mac(key, total, last_id, head_hash) if key is not None else "",
    }
    done = connection.execute(update(AuditHead).where(AuditHead.id == 1).values(**values))
    if not done.rowcount:
        connection.execute(insert(AuditHead).values(id=1, **values))


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
    """Append one entry, chained to the previous one (personal values in `changes`
    masked; the caller's `summary` must not name a person in clear)."""
    key = writing_key(connection)
    fields: dict[str, Any] = {
        "at": (at or utcnow()).isoformat(timespec="microseconds"),
        "user_id": actor.user_id,
        "username": actor.username,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "summary": summary,
        "changes": json.dumps(
            masked_changes(entity, changes or {}), ensure_ascii=False, sort_keys=True, default=str
        ),
    }
    if room_id is not None:
        fields["room_id"] = room_id
    prev = _last_hash(connection)
    digest = entry_hash(prev, fields, key)
    row = dict(fields, at=datetime.fromisoformat(fields["at"]), prev_hash=prev)
    result = connection.execute(insert(AuditEntry).values(**row, hash=digest))
    [new_id] = result.inserted_primary_key or (0,)
    advance_head(connection, 1, int(new_id), digest, key)


def chain_fields(entry: AuditEntry | Row[Any]) -> dict[str, Any]:
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


# personal values: kept masked ----------------------------------------------------


def _mask_reversed_phone(value: str) -> str:
    return mask_phone(value[::-1])[::-1]


def _mask_initials(value: str) -> str:
    return value[:1] + "*" * (len(value) - 1)


_NAME_TABLES = frozenset(
    {"person", "watch_entry", "renovation_worker", "care_need", "service_staff"}
)
# column -> masker, for every table ...
_PERSONAL: dict[str, Callable[[str], str]] = {
    "id_number": mask_id_number,  # the log is not encrypted: only the masked form
    "payee_account_no": mask_account_no,  # a bank account is personal data too
    "phone": mask_phone,
    "visitor_phone": mask_phone,
    "applicant_phone": mask_phone,
    "contractor_phone": mask_phone,
    "caller_phone": mask_phone,
    "phone_reversed": _mask_reversed_phone,
    "visitor_name": mask_name,
    "person_name": mask_name,
    "payer": mask_name,
    "payee": mask_name,
    "payee_account_name": mask_name,
    "applicant": mask_name,
    "contractor_person": mask_name,
    "caller_name": mask_name,
    "name_pinyin": _mask_initials,
    "name_initials": _mask_initials,
    "name_mixed": _mask_initials,
    "plate": mask_plate,
}
# ... and `name`, where the table's rows are people
_PERSON_NAME: dict[str, Callable[[str], str]] = {"name": mask_name}


def personal_maskers(entity: str) -> dict[str, Callable[[str], str]]:
    """The columns of `entity` (a table name) whose values the log keeps masked."""
    return {**_PERSONAL, **_PERSON_NAME} if entity in _NAME_TABLES else _PERSONAL


def _masked_value(mask: Callable[[str], str], value: Any) -> Any:
    if isinstance(value, str) and value and value != SECRET_MARK:
        return mask(value)
    if isinstance(value, list):
        return [_masked_value(mask, v) for v in value]
    return value


def masked_changes(entity: str, changes: dict[str, Any]) -> dict[str, Any]:
    maskers = personal_maskers(entity)
    return {
        field: _masked_value(maskers[field], value) if field in maskers else value
        for field, value in changes.items()
    }


def masked_title(entity: str, title: str, values: Iterable[tuple[str, Any]]) -> str:
    """`title` with each personal value of the record ((column, value) pairs) masked."""
    maskers = personal_maskers(entity)
    clear = sorted(
        {(v, maskers[k](v)) for k, v in values if k in maskers and isinstance(v, str)},
        key=lambda pair: -len(pair[0]),
    )
    for value, masked in clear:
        if len(value) > 1:
            title = title.replace(value, masked)
    return title


_QUOTED = re.compile(r"「([^」*]*)」")


def masked_summary(entity: str, action: str, summary: str, changes: dict[str, Any]) -> str:
    """An old entry's summary with the personal values its changes name masked, and
    the record's title masked where the record is a person."""
    pairs = [
        (field, value)
        for field, pair in changes.items()
        for value in (pair if isinstance(pair, list) else [pair])
    ]
    summary = masked_title(entity, summary, pairs)
    if entity in _NAME_TABLES and action in ACTION_LABELS:
        summary = _QUOTED.sub(lambda m: f"「{mask_name(m.group(1))}」", summary)
    return summary


def rechain_masked(connection: Connection, key: bytes) -> int:
    """Rewrite a verified plain log once, when its data key first opens: personal values
    masked in every entry (written before the log kept them masked) and every entry
    chained again under the key. Returns the number of entries whose text changed.

    SQLite only (the append-only triggers are set aside for it inside the caller's
    transaction and put back exactly as the file stored them)."""
    triggers = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
    ).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    log = AuditEntry.__table__
    prev, after, changed = GENESIS_HASH, 0, 0
    while True:
        rows = connection.execute(
            select(log).where(log.c.id > after).order_by(log.c.id).limit(2000)
        ).all()
        if not rows:
            break
        for row in rows:
            fields = chain_fields(row)
            old_changes = json.loads(row.changes or "{}")
            masked = masked_changes(row.entity, old_changes)
            summary = masked_summary(row.entity, row.action, row.summary, old_changes)
            changed += masked != old_changes or summary != row.summary
            new_changes = (
                json.dumps(masked, ensure_ascii=False, sort_keys=True, default=str)
                if masked != old_changes
                else row.changes
            )
            fields.update(changes=new_changes, summary=summary)
            digest = entry_hash(prev, fields, key)
            connection.execute(
                update(AuditEntry)
                .where(AuditEntry.id == row.id)
                .values(summary=summary, changes=new_changes, prev_hash=prev, hash=digest)
            )
            prev, after = digest, row.id
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)
    return changed


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
        # A `*_by_id` is the entry's own user (db/who.py): its name snapshot is logged.
        if attr.key in ignored or attr.key.endswith(WHO_ID):
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
        # Personal values are masked by write_entry (masked_changes).
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
        label = obj.audit_label()
        title = masked_title(obj.__tablename__, obj.audit_title(), _values(obj))
        summary = f"{ACTION_LABELS[action]}{label}「{title}」"
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


def _values(obj: Base) -> list[tuple[str, Any]]:
    """The record's personal values, new and old, to mask in its title."""
    state = inspect(obj)
    pairs: list[tuple[str, Any]] = []
    for key in personal_maskers(obj.__tablename__):
        if key in state.attrs:
            history = state.attrs[key].history
            pairs += [(key, v) for v in (*history.added, *history.unchanged, *history.deleted)]
    return pairs


def install_audit_hook(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _audit_flush)
