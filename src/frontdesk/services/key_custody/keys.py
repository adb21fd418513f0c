"""The key cabinet (钥匙托管): a flat's key taken in on the owner's written
authorisation, listed with where it is now, and handed back to the owner.

A key is registered for a real room, with the authorisation's scope and expiry and,
where there is one, its scan kept in the attachments store. The tag number is the
next of the series (K-0042) and never shows the room."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, HeldKey, KeyLending, Room
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.key_custody import (
    TAG_PREFIX,
    KeyScope,
    KeyState,
    check_authorisation,
    key_state,
    parse_tag,
    scopes_text,
    tag_number,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.attachments import MAX_BYTES, checked_file, stored_attachments
from frontdesk.services.households.structure import room_places
from frontdesk.services.scope import in_scope_only, scoped_room

PERMISSION = Permission.KEEP_COUNTER_REGISTERS
HELD_KEY: Table = HeldKey.__table__  # type: ignore[assignment]
RELEASED_SHOWN = timedelta(days=183)  # keys handed back, listed for half a year


@dataclass(frozen=True)
class KeyInput:
    room_id: int
    description: str  # 入户门钥匙 2 把
    authorised_by: str  # the owner who signed the authorisation
    scopes: frozenset[KeyScope]
    authorised_on: date
    expires_on: date
    cabinet_slot: str = ""
    scan: Path | None = None  # the authorisation's scan or photo
    note: str = ""


@dataclass(frozen=True)
class KeyRow:
    id: int
    tag: str
    room_id: int
    room_code: str
    place: str
    description: str
    cabinet_slot: str
    authorised_by: str
    scopes: str  # 装修、维修
    authorised_on: date
    expires_on: date
    has_scan: bool
    state: KeyState
    received_at: datetime
    received_by: str
    released_at: datetime | None
    released_to: str
    released_by: str
    note: str
    borrower: str = ""  # while out: who has it, and until when
    due_back_at: datetime | None = None

    def allows(self, scope: KeyScope) -> bool:
        return scope.label in self.scopes.split("、")


def key_rows(session: Session, keys: Iterable[Any], now: datetime) -> list[KeyRow]:
    """Rows of HeldKey objects, or of `held_key` table rows (a long list without an ORM
    object each, a third of its time)."""
    keys = list(keys)
    today = now.astimezone().date()
    places = room_places(session, (k.room_id for k in keys))
    open_lendings = {
        lending.key_id: lending
        for lending in session.scalars(
            select(KeyLending).where(
                KeyLending.key_id.in_([k.id for k in keys]), KeyLending.returned_at.is_(None)
            )
        )
    }
    rows = []
    for key in keys:
        code, place = places.get(key.room_id, ("", ""))
        lending = open_lendings.get(key.id)
        due = lending.due_back_at if lending is not None else None
        rows.append(
            KeyRow(
                key.id,
                key.tag,
                key.room_id,
                code,
                place,
                key.description,
                key.cabinet_slot,
                key.authorised_by,
                key.scopes,
                key.authorised_on,
                key.expires_on,
                bool(key.scan_sha256),
                key_state(key.expires_on, key.released_at is not None, due, now, today),
                key.received_at,
                key.received_by,
                key.released_at,
                key.released_to,
                key.released_by,
                key.note,
                lending.borrower if lending is not None else "",
                due,
            )
        )
    return rows


def _next_tag(session: Session) -> str:
    """The next tag of the series, taken inside the write transaction."""
    in_turn(session, "held_key")
    last = session.scalar(select(func.max(HeldKey.tag)).where(HeldKey.tag.like(f"{TAG_PREFIX}%")))
    return tag_number(int(last[len(TAG_PREFIX) :]) + 1 if last else 1)


def _scan(db: Database, scan: Path | None) -> tuple[str, str]:
    if scan is None:
        return "", ""
    if not scan.is_file():
        raise ValidationError("授权书扫描件", f"找不到文件 {scan}")
    if scan.stat().st_size > MAX_BYTES:
        raise ValidationError("授权书扫描件", "不能超过 20 MB（请用 PDF 或 JPG 压缩后再添加）")
    return stored_attachments(db).put_file(scan), scan.name[:200]


def receive_key(
    db: Database, actor: Actor, data: KeyInput, *, now: datetime | None = None
) -> KeyRow:
    """Take a flat's key into the cabinet on the owner's authorisation; the row carries
    its new tag number (K-0042) to write on the tag."""
    require(actor, PERMISSION)
    now = now or utcnow()
    values = {
        "description": clean_name(data.description, "钥匙说明", 100, required=True),
        "authorised_by": clean_name(data.authorised_by, "授权人", 40, required=True),
        "scopes": scopes_text(data.scopes),
        "cabinet_slot": clean_name(data.cabinet_slot, "存放位置", 20),
        "note": clean_text(data.note, "备注", 200),
    }
    check_authorisation(data.authorised_on, data.expires_on, now.astimezone().date())
    with db.read() as session:
        scoped_room(session, actor, PERMISSION, data.room_id)
    sha256, name = _scan(db, data.scan)
    with db.write(actor) as session:
        key = HeldKey(
            **values,
            room_id=data.room_id,
            tag=_next_tag(session),
            authorised_on=data.authorised_on,
            expires_on=data.expires_on,
            scan_sha256=sha256,
            scan_name=name,
            received_at=now,
            **by_columns("received", actor),
        )
        session.add(key)
        session.flush()
        return key_rows(session, [key], now)[0]


def _listed(actor: Actor) -> Select[Any]:
    query = (
        select(HELD_KEY)
        .join(Room, HeldKey.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
    )
    return in_scope_only(query, actor)


def list_keys(
    db: Database,
    actor: Actor,
    *,
    include_released: bool = False,
    now: datetime | None = None,
) -> list[KeyRow]:
    """The keys in the cabinet or lent out (a butler: of their buildings), by tag;
    `include_released`: with those handed back to their owners in the last half year
    (an older one is found by its tag)."""
    require(actor, PERMISSION)
    now = now or utcnow()
    query = _listed(actor).order_by(HeldKey.tag)
    shown_since = now - RELEASED_SHOWN if include_released else None
    if shown_since is None:
        query = query.where(HeldKey.released_at.is_(None))
    else:
        query = query.where(HeldKey.released_at.is_(None) | (HeldKey.released_at >= shown_since))
    with db.read() as session:
        return key_rows(session, session.execute(query), now)


def keys_of_room(
    db: Database, actor: Actor, room_id: int, now: datetime | None = None
) -> list[KeyRow]:
    """Every key the office holds or held for one room, newest first."""
    require(actor, PERMISSION)
    with db.read() as session:
        keys = session.execute(
            _listed(actor).where(HeldKey.room_id == room_id).order_by(HeldKey.id.desc())
        )
        return key_rows(session, keys, now or utcnow())


def tagged(session: Session, actor: Actor, tag_text: str) -> HeldKey:
    """The key with this tag, within the actor's buildings."""
    tag = parse_tag(tag_text)
    key = session.scalar(select(HeldKey).where(HeldKey.tag == tag))
    if key is None:
        raise NotFound(f"没有编号为 {tag} 的托管钥匙。")
    scoped_room(session, actor, PERMISSION, key.room_id)
    return key


def open_lending(session: Session, key_id: int) -> KeyLending | None:
    """The key's lending not yet returned, if it is out."""
    query = select(KeyLending).where(KeyLending.key_id == key_id, KeyLending.returned_at.is_(None))
    return session.scalar(query)


def find_key(db: Database, actor: Actor, tag_text: str, now: datetime | None = None) -> KeyRow:
    """A key by its tag as typed (K-0042, k42, 42)."""
    require(actor, PERMISSION)
    with db.read() as session:
        return key_rows(session, [tagged(session, actor, tag_text)], now or utcnow())[0]


def release_key(
    db: Database,
    actor: Actor,
    tag_text: str,
    released_to: str,
    *,
    now: datetime | None = None,
) -> KeyRow:
    """Hand the key back to the owner (or whom they name), who signs the 钥匙退还确认单;
    refused while it is lent out or once it has gone back."""
    require(actor, PERMISSION)
    now = now or utcnow()
    who = clean_name(released_to, "领回人", 40, required=True)
    with db.write(actor) as session:
        key = tagged(session, actor, tag_text)
        if key.released_at is not None:
            raise UserError(
                f"钥匙 {key.tag} 已于 {key.released_at.astimezone():%Y-%m-%d %H:%M} "
                f"退还 {key.released_to}。"
            )
        lending = open_lending(session, key.id)
        if lending is not None:
            raise UserError(
                f"钥匙 {key.tag} 借给 {lending.borrower} 尚未归还，请先登记归还再退还业主。"
            )
        key.released_at = now
        key.released_to = who
        stamp(key, "released", actor)
        session.flush()
        return key_rows(session, [key], now)[0]


def scan_file(db: Database, actor: Actor, key_id: int) -> Path:
    """The authorisation's scan, once its bytes are found to be what was registered;
    the opening is audited (it names the owner)."""
    require(actor, PERMISSION)
    with db.write(actor) as session:
        key = session.get(HeldKey, key_id)
        if key is None:
            raise NotFound("该托管钥匙已不存在。")
        scoped_room(session, actor, PERMISSION, key.room_id)
        if not key.scan_sha256:
            raise NotFound(f"钥匙 {key.tag} 没有附授权书扫描件。")
        path = checked_file(db, key.scan_sha256, f"钥匙 {key.tag} 的授权书")
        write_entry(
            session.connection(),
            actor,
            "reveal",
            "held_key",
            str(key.id),
            f"查看钥匙 {key.tag} 的授权书扫描件",
            room_id=key.room_id,
        )
    return path
