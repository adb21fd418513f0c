"""Keeping `phone_lookup` (the keyed tokens of phones' digit tails) in step.

Whatever writes a searchable phone refreshes its row's tokens in the same
transaction: the ORM through the flush hook installed on every writing session,
Core bulk inserts (the demo) and sweeps (the key-open seal) by calling `reindex`,
and Core updates that blank phones (purges, erasure) by calling `forget_blank`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.db.models import Person, PhoneLookup, Visit, WorkOrder
from frontdesk.db.protection import (
    MAX_TAIL,
    MIN_TAIL,
    PhoneCipher,
    PhoneKeyUnavailable,
    current_phone_cipher,
    phone_digits,
)

# The phones a clerk finds by their last digits: entity -> (model, attribute).
SEARCHED: dict[str, tuple[Any, str]] = {
    "person": (Person, "phone"),
    "visit": (Visit, "visitor_phone"),
    "work_order": (WorkOrder, "caller_phone"),
}
_ENTITY_OF = {model: entity for entity, (model, _) in SEARCHED.items()}
_CHUNK = 500
_TABLE: Table = PhoneLookup.__table__  # type: ignore[assignment]


def tail_digits(text: str) -> str | None:
    """The digits a clerk typed as a phone or its tail, or None if it is not one."""
    digits = phone_digits(text)
    return digits if MIN_TAIL <= len(digits) <= MAX_TAIL else None


def reindex(
    connection: Connection,
    cipher: PhoneCipher,
    entity: str,
    phones: Sequence[tuple[int, str]],
    *,
    fresh: bool = False,
) -> int:
    """Replace the tokens of these (row id, plain phone) pairs; `fresh`: the rows are
    new, none to delete. Returns the number of tokens written."""
    if not fresh:
        drop(connection, entity, [row_id for row_id, _ in phones])
    rows = sorted(
        (token, row_id)
        for row_id, phone in phones
        if phone
        for token in dict.fromkeys(cipher.tail_tokens(phone))
    )  # in index order: many rows then fill the index's pages in turn, not at random
    if not rows:
        return 0
    if connection.dialect.name == "sqlite":  # the demo's 700,000 rows: no Core per row
        connection.exec_driver_sql(
            "INSERT INTO phone_lookup (entity, token, row_id) VALUES (?, ?, ?)",
            [(entity, token, row_id) for token, row_id in rows],
        )
    else:
        connection.execute(
            insert(_TABLE), [{"entity": entity, "token": t, "row_id": i} for t, i in rows]
        )
    return len(rows)


def drop(connection: Connection, entity: str, ids: Iterable[int]) -> None:
    """Drop the tokens of these rows (their phones were erased or the rows deleted)."""
    wanted = list(ids)
    for start in range(0, len(wanted), _CHUNK):
        connection.execute(
            delete(_TABLE).where(
                _TABLE.c.entity == entity, _TABLE.c.row_id.in_(wanted[start : start + _CHUNK])
            )
        )


def forget_blank(connection: Connection, entity: str) -> None:
    """Drop the tokens of rows whose phone is now empty (a Core update blanked it)."""
    model, attribute = SEARCHED[entity]
    blank = select(model.id).where(getattr(model, attribute) == "")
    connection.execute(delete(_TABLE).where(_TABLE.c.entity == entity, _TABLE.c.row_id.in_(blank)))


def matching(entity: str, cipher: PhoneCipher, digits: str) -> Any:
    """The ids of `entity` rows whose phone ends in `digits` (a subquery)."""
    return select(_TABLE.c.row_id).where(
        _TABLE.c.entity == entity, _TABLE.c.token == cipher.tail_token(digits)
    )


def _after_flush(session: Session, _context: object) -> None:
    changed: dict[str, list[tuple[int, str]]] = {}
    gone: dict[str, list[int]] = {}
    for obj in [*session.new, *session.dirty]:
        entity = _ENTITY_OF.get(type(obj))
        if entity is None:
            continue
        attribute = SEARCHED[entity][1]
        if obj in session.new or inspect(obj).attrs[attribute].history.has_changes():
            changed.setdefault(entity, []).append((obj.id, getattr(obj, attribute) or ""))
    for obj in session.deleted:
        entity = _ENTITY_OF.get(type(obj))
        if entity is not None:
            gone.setdefault(entity, []).append(obj.id)
    if not changed and not gone:
        return
    connection = session.connection()
    for entity, ids in gone.items():
        drop(connection, entity, ids)
    if changed:
        cipher = current_phone_cipher()
        if cipher is None:
            if any(phone for pairs in changed.values() for _, phone in pairs):
                raise PhoneKeyUnavailable()
            for entity, pairs in changed.items():
                drop(connection, entity, [row_id for row_id, _ in pairs])
            return
        for entity, pairs in changed.items():
            reindex(connection, cipher, entity, pairs)


def install_phone_hook(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _after_flush)
