"""Taking parcels in (收件) and handing them over (取件).

The clerk scans the tracking number, picks the courier, finds the room with the room
picker and the recipient among its people, types the shelf slot: the parcel gets its
register number and a pick-up code no other waiting parcel has. It is handed over on
that code or its tracking number, once, to the recipient or someone they named, with
the identity check the clerk chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, Parcel, Person, Room, Unit
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.household import PersonKind
from frontdesk.domain.parcels import (
    IdentityCheck,
    ParcelState,
    check_courier,
    compact,
    is_parcel_number,
    new_code,
    normalize_tracking,
    parcel_number,
    parcel_state,
    parse_code,
    tracking_tail,
    waiting_days,
)
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code, room_label
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.parcels.settings import parcel_settings
from frontdesk.services.service_desk.photo_files import stage_photos

PURGED = "（已按期清除）"


@dataclass(frozen=True)
class ParcelInput:
    room_id: int
    courier: str
    tracking: str
    shelf: str
    person_id: int | None = None  # one of the household's people
    recipient: str = ""  # or a name as written on the parcel
    note: str = ""


@dataclass(frozen=True)
class ParcelRow:
    id: int
    number: str
    code: str
    room_id: int
    room_code: str
    place: str
    courier: str
    tracking: str
    recipient: str
    shelf: str
    note: str
    received_at: datetime
    received_by: str
    collected_at: datetime | None
    collector: str
    by_proxy: bool
    identity_check: IdentityCheck | None
    handed_by: str
    state: ParcelState
    days: int  # on the shelf (until collected)
    purged: bool
    has_photo: bool = False

    @property
    def tracking_tail(self) -> str:
        return tracking_tail(self.tracking)

    @property
    def collected_text(self) -> str:
        """本人 张三（取件码） / 代取 李四（身份证）; '' while waiting."""
        if self.identity_check is None:
            return ""
        who = "代取" if self.by_proxy else "本人"
        return f"{who} {self.collector}（{self.identity_check.label}）"


# The columns a row is built from, without loading ORM objects (lists of thousands).
_COLUMNS = (
    Parcel.id,
    Parcel.number,
    Parcel.code,
    Parcel.room_id,
    Building.code,
    Unit.code,
    Room.number,
    Parcel.courier,
    Parcel.tracking,
    Parcel.recipient,
    Parcel.shelf,
    Parcel.note,
    Parcel.received_at,
    Parcel.received_by,
    Parcel.collected_at,
    Parcel.collector,
    Parcel.by_proxy,
    Parcel.identity_check,
    Parcel.handed_by,
    Parcel.purged_at,
    Parcel.sha256,
)


RowQuery = Select[*tuple[Any, ...]]


def row_query() -> RowQuery:
    return (
        select(*_COLUMNS)
        .join(Room, Parcel.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
    )


def read_rows(
    session: Session, query: RowQuery, now: datetime, overdue_days: int
) -> list[ParcelRow]:
    rows = []
    for row in session.execute(query):
        values = tuple(row)
        (pid, number, code, room_id, building, unit, room, courier, tracking) = values[:9]
        (recipient, shelf, note, received_at, received_by, collected_at) = values[9:15]
        (collector, by_proxy, check, handed_by, purged_at, sha256) = values[15:]
        end = collected_at or now
        rows.append(
            ParcelRow(
                pid,
                number,
                code,
                room_id,
                room_code(building, unit, room),
                room_label(building, unit, room),
                courier,
                tracking,
                PURGED if purged_at else recipient,
                shelf,
                note,
                received_at,
                received_by,
                collected_at,
                PURGED if purged_at and collected_at else collector,
                by_proxy,
                check,
                handed_by,
                parcel_state(received_at, collected_at, now, overdue_days),
                waiting_days(received_at, end),
                purged_at is not None,
                bool(sha256),
            )
        )
    return rows


def _row(session: Session, parcel_id: int, now: datetime) -> ParcelRow:
    days = parcel_settings(session).overdue_days
    return read_rows(session, row_query().where(Parcel.id == parcel_id), now, days)[0]


# the household's people -------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Someone of the household a parcel may be for, with the phone masked."""

    person_id: int
    name: str
    who: str  # 业主 / 租户 / 住户
    phone: str  # masked: 138****5678

    @property
    def text(self) -> str:
        phone = f"　{self.phone}" if self.phone else ""
        return f"{self.name}（{self.who}）{phone}"


_ORDER = (PersonKind.OWNER, PersonKind.TENANT, PersonKind.RESIDENT)


def recipients(db: Database, actor: Actor, room_id: int) -> list[Recipient]:
    """The people living in or owning the room, owners first; not emergency contacts
    nor people who moved out."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        people = session.scalars(
            select(Person).where(
                Person.room_id == room_id,
                Person.left_on.is_(None),
                Person.kind.in_(_ORDER),
            )
        ).all()
        ranked = sorted(people, key=lambda p: (_ORDER.index(p.kind), not p.lives_here, p.id))
        return [
            Recipient(
                p.id,
                p.name,
                "业主" if p.kind == PersonKind.OWNER else p.kind.label,
                mask_phone(p.phone),
            )
            for p in ranked
        ]


# taking in ----------------------------------------------------------------------------


def _recipient(session: Session, data: ParcelInput) -> tuple[int | None, str]:
    if data.person_id is None:
        return None, clean_name(data.recipient, "收件人", 40, required=True)
    person = session.get(Person, data.person_id)
    if person is None or person.room_id != data.room_id:
        raise ValidationError("收件人", "请从该户人员中选择收件人")
    return person.id, person.name


def _next_number(session: Session, day: date) -> str:
    in_turn(session, "parcel")
    prefix = parcel_number(day, 0)[:-4]
    last = session.scalar(select(func.max(Parcel.number)).where(Parcel.number.like(f"{prefix}%")))
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    if sequence > 9999:
        raise UserError("今天的快递登记号已用完（9999 件），请联系系统管理员。")
    return parcel_number(day, sequence)


def _free_code(session: Session) -> str:
    taken = set(session.scalars(select(Parcel.code).where(Parcel.collected_at.is_(None))))
    return new_code(taken)


def take_in(
    db: Database,
    actor: Actor,
    data: ParcelInput,
    *,
    photo: Path | None = None,
    now: datetime | None = None,
) -> ParcelRow:
    """Register one parcel on the shelf; its row with the pick-up code. Its photo
    (JPEG/PNG, optional) is stored first, outside the transaction, as a lost item's."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    now = now or utcnow()
    tracking = normalize_tracking(data.tracking)
    shelf = clean_text(data.shelf, "货架位置", 12, required=True).upper()
    note = clean_text(data.note, "备注", 200)
    staged = stage_photos(db, [photo])[0] if photo is not None else None
    with db.write(actor) as session:
        couriers = parcel_settings(session).couriers
        courier = check_courier(data.courier, couriers)
        if session.get(Room, data.room_id) is None:
            raise ValidationError("收件房屋", "请从查找结果中选择一户（该房屋不存在）")
        person_id, recipient = _recipient(session, data)
        twin = session.scalar(
            select(Parcel.number).where(
                Parcel.tracking == tracking,
                Parcel.courier == courier,
                Parcel.collected_at.is_(None),
            )
        )
        if twin:
            raise ValidationError("快递单号", f"该快递已登记待取（{twin}），不要重复登记")
        in_turn(session, "parcel_code")
        parcel = Parcel(
            number=_next_number(session, now.astimezone().date()),
            code=_free_code(session),
            courier=courier,
            tracking=tracking,
            room_id=data.room_id,
            person_id=person_id,
            recipient=recipient,
            shelf=shelf,
            note=note,
            sha256=staged.sha256 if staged else "",
            photo_name=staged.filename if staged else "",
            received_at=now,
            **by_columns("received", actor),
        )
        session.add(parcel)
        session.flush()
        return _row(session, parcel.id, now)


# finding one ----------------------------------------------------------------------------


def _waiting_by(session: Session, text: str) -> list[int]:
    """Waiting parcels named by a pick-up code, a tracking number or a register number."""
    value = compact(text)
    waiting = select(Parcel.id).where(Parcel.collected_at.is_(None))
    code = parse_code(value)
    if code is not None:
        found = list(session.scalars(waiting.where(Parcel.code == code)))
        if found:
            return found
    if is_parcel_number(value):
        return list(session.scalars(select(Parcel.id).where(Parcel.number == value)))
    return list(
        session.scalars(
            select(Parcel.id).where(Parcel.tracking == value).order_by(Parcel.id.desc())
        )
    )


def find_parcel(db: Database, actor: Actor, text: str, *, now: datetime | None = None) -> ParcelRow:
    """The parcel a code, tracking number or register number names: the waiting one
    before any collected one with the same tracking number."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    if not compact(text):
        raise ValidationError("取件码", "请输入取件码或扫描快递单号")
    now = now or utcnow()
    with db.read() as session:
        ids = _waiting_by(session, text)
        if not ids:
            raise NotFound(f"没有取件码或快递单号为 {compact(text)} 的快递。")
        rows = [_row(session, parcel_id, now) for parcel_id in ids]
    waiting = [r for r in rows if r.collected_at is None]
    return (waiting or rows)[0]


def get_parcel(
    db: Database, actor: Actor, parcel_id: int, now: datetime | None = None
) -> ParcelRow:
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        if session.get(Parcel, parcel_id) is None:
            raise NotFound("该快递登记不存在。")
        return _row(session, parcel_id, now or utcnow())


# handing over ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HandOver:
    parcel_id: int
    identity_check: IdentityCheck
    collector: str = ""  # '' : the recipient in person
    by_proxy: bool = False  # someone the recipient named


def hand_over(
    db: Database, actor: Actor, data: HandOver, *, now: datetime | None = None
) -> ParcelRow:
    """Record the parcel as collected; refused, with nothing changed, when it was
    collected already."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    now = now or utcnow()
    check = IdentityCheck(data.identity_check)
    collector = clean_name(data.collector, "取件人", 40, required=data.by_proxy)
    if data.by_proxy and check == IdentityCheck.KNOWN_FACE:
        raise ValidationError("核验方式", "代取人请出示取件码或证件，或电话向收件人核实")
    with db.write(actor) as session:
        parcel = session.get(Parcel, data.parcel_id, with_for_update=True)
        if parcel is None:
            raise NotFound("该快递登记不存在。")
        if parcel.collected_at is not None:
            raise UserError(
                f"快递 {parcel.number}（{parcel.courier} {tracking_tail(parcel.tracking)}）"
                f"已于 {parcel.collected_at.astimezone():%m-%d %H:%M} 被取走"
                f"（{parcel.collector}，经办 {parcel.handed_by}），不能重复取件。"
            )
        parcel.collected_at = max(now, parcel.received_at)
        parcel.collector = collector or parcel.recipient
        parcel.by_proxy = data.by_proxy
        parcel.identity_check = check
        stamp(parcel, "handed", actor)
        session.flush()
        return _row(session, parcel.id, now)
