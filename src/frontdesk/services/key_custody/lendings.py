"""Lending a held key out and taking it back: who took it, for what (within the
owner's authorisation), the work order or renovation it serves, when it is due.

A key out cannot be lent again, an expired authorisation lends nothing, and a key
handed back to its owner is no longer the office's to lend: each says so, and nothing
changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, HeldKey, KeyLending, Renovation, Room, WorkOrder
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.key_custody import KeyScope, check_due_back, usual_due_back
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.renovation import ACTIVE as ACTIVE_WORKS
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Status as OrderStatus
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.key_custody.keys import (
    PERMISSION,
    KeyRow,
    key_rows,
    open_lending,
    tagged,
)
from frontdesk.services.scope import in_scope_only

# Renovations a key may be lent for: between the permit and the final inspection.
_WORKING = ACTIVE_WORKS


@dataclass(frozen=True)
class LendInput:
    tag: str
    borrower: str
    borrower_phone: str
    scope: KeyScope
    due_back_at: datetime | None = None  # default: by closing time
    borrower_company: str = ""  # 维修班 / 某装修公司 / 某中介
    work_order_id: int | None = None
    renovation_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class KeyLink:
    """An open work order or a renovation of the key's room a lending may serve."""

    kind: str  # work_order / renovation
    id: int
    text: str  # GD-2612-0001 水电：厨房漏水


@dataclass(frozen=True)
class LendingRow:
    id: int
    key_id: int
    tag: str
    room_code: str
    borrower: str
    phone: str  # masked
    company: str
    scope: KeyScope
    serves: str  # the work order's or renovation's number
    out_at: datetime
    due_back_at: datetime
    returned_at: datetime | None
    out_by: str
    returned_by: str
    note: str
    overdue: bool
    purged: bool


def lending_rows(session: Session, lendings: list[KeyLending], now: datetime) -> list[LendingRow]:
    tags = dict(
        session.execute(
            select(HeldKey.id, HeldKey.tag).where(HeldKey.id.in_({x.key_id for x in lendings}))
        ).all()
    )
    places = room_places(session, {x.room_id for x in lendings})
    serves = _served(session, lendings)
    return [
        LendingRow(
            x.id,
            x.key_id,
            tags.get(x.key_id, ""),
            places.get(x.room_id, ("", ""))[0],
            x.borrower if x.purged_at is None else "（已按期清除）",
            mask_phone(x.borrower_phone),
            x.borrower_company,
            x.scope,
            serves.get(x.id, ""),
            x.out_at,
            x.due_back_at,
            x.returned_at,
            x.out_by,
            x.returned_by,
            x.note,
            x.returned_at is None and x.due_back_at < now,
            x.purged_at is not None,
        )
        for x in lendings
    ]


def _served(session: Session, lendings: list[KeyLending]) -> dict[int, str]:
    orders = {x.work_order_id for x in lendings if x.work_order_id is not None}
    works = {x.renovation_id for x in lendings if x.renovation_id is not None}
    numbers: dict[tuple[str, int], str] = {}
    if orders:
        found = session.execute(
            select(WorkOrder.id, WorkOrder.number).where(WorkOrder.id.in_(orders))
        )
        numbers.update({("work_order", i): n for i, n in found})
    if works:
        found = session.execute(
            select(Renovation.id, Renovation.number).where(Renovation.id.in_(works))
        )
        numbers.update({("renovation", i): n for i, n in found})
    served = {}
    for x in lendings:
        if x.work_order_id is not None:
            served[x.id] = numbers.get(("work_order", x.work_order_id), "")
        elif x.renovation_id is not None:
            served[x.id] = numbers.get(("renovation", x.renovation_id), "")
    return served


def key_links(db: Database, actor: Actor, tag_text: str) -> list[KeyLink]:
    """The open work orders and working renovations of the key's room, newest first."""
    require(actor, PERMISSION)
    with db.read() as session:
        key = tagged(session, actor, tag_text)
        orders = session.execute(
            select(WorkOrder.id, WorkOrder.number, WorkOrder.description)
            .where(WorkOrder.room_id == key.room_id, WorkOrder.status != OrderStatus.CLOSED.value)
            .order_by(WorkOrder.taken_at.desc())
        ).all()
        works = session.execute(
            select(Renovation.id, Renovation.number)
            .where(Renovation.room_id == key.room_id, Renovation.status.in_(_WORKING))
            .order_by(Renovation.id.desc())
        ).all()
    return [KeyLink("renovation", i, f"{n} 装修") for i, n in works] + [
        KeyLink("work_order", i, f"{n} {d[:20]}") for i, n, d in orders
    ]


def _check_links(session: Session, key: HeldKey, data: LendInput) -> None:
    if data.work_order_id is not None and data.renovation_id is not None:
        raise ValidationError("关联事项", "一次借用只关联一张工单或一项装修")
    if data.work_order_id is not None:
        order = session.get(WorkOrder, data.work_order_id)
        if order is None or order.room_id != key.room_id:
            raise ValidationError("关联事项", "该工单不是这一户的")
        if order.status == OrderStatus.CLOSED:
            raise ValidationError("关联事项", f"工单 {order.number} 已关闭")
    if data.renovation_id is not None:
        work = session.get(Renovation, data.renovation_id)
        if work is None or work.room_id != key.room_id:
            raise ValidationError("关联事项", "该装修不是这一户的")
        if work.status not in _WORKING:
            raise ValidationError("关联事项", f"装修 {work.number} {work.status.label}，不在施工期")


def _refuse_lending(session: Session, key: HeldKey, scope: KeyScope, now: datetime) -> None:
    if key.released_at is not None:
        raise UserError(
            f"钥匙 {key.tag} 已于 {key.released_at.astimezone():%Y-%m-%d} 退还业主，不能再借出。"
        )
    out = open_lending(session, key.id)
    if out is not None:
        raise UserError(
            f"钥匙 {key.tag} 已于 {out.out_at.astimezone():%m-%d %H:%M} 借给 {out.borrower}"
            f"（{out.scope.label}），尚未归还，不能再借出。"
        )
    if key.expires_on < now.astimezone().date():
        raise UserError(
            f"钥匙 {key.tag} 的业主授权已于 {key.expires_on:%Y-%m-%d} 到期，"
            "请业主重新授权后再借出。"
        )
    if scope.label not in key.scopes.split("、"):
        raise ValidationError("借用事由", f"业主只授权用于{key.scopes}，不含“{scope.label}”")


def lend_key(
    db: Database, actor: Actor, data: LendInput, *, now: datetime | None = None
) -> LendingRow:
    """Lend a held key out: who takes it, for what, until when."""
    require(actor, PERMISSION)
    now = now or utcnow()
    scope = KeyScope(data.scope)
    borrower = clean_name(data.borrower, "借用人", 40, required=True)
    if not data.borrower_phone.strip():
        raise ValidationError("借用人电话", "不能为空")
    phone = phone_key(data.borrower_phone, "借用人电话")
    company = clean_name(data.borrower_company, "借用人单位", 40)
    note = clean_text(data.note, "备注", 200)
    due = check_due_back(now, data.due_back_at or usual_due_back(now))
    with db.write(actor) as session:
        key = tagged(session, actor, data.tag)
        _refuse_lending(session, key, scope, now)
        _check_links(session, key, data)
        lending = KeyLending(
            key_id=key.id,
            room_id=key.room_id,
            borrower=borrower,
            borrower_phone=phone,
            borrower_company=company,
            scope=scope,
            work_order_id=data.work_order_id,
            renovation_id=data.renovation_id,
            out_at=now,
            due_back_at=due,
            note=note,
            **by_columns("out", actor),
        )
        session.add(lending)
        session.flush()
        return lending_rows(session, [lending], now)[0]


def return_key(
    db: Database, actor: Actor, tag_text: str, *, now: datetime | None = None
) -> LendingRow:
    """The key is back in the cabinet; refused when it was not out."""
    require(actor, PERMISSION)
    now = now or utcnow()
    with db.write(actor) as session:
        key = tagged(session, actor, tag_text)
        lending = open_lending(session, key.id)
        if lending is None:
            raise UserError(f"钥匙 {key.tag} 没有借出，无需登记归还。")
        lending.returned_at = max(now, lending.out_at)
        stamp(lending, "returned", actor)
        session.flush()
        return lending_rows(session, [lending], now)[0]


def key_history(
    db: Database, actor: Actor, tag_text: str, now: datetime | None = None
) -> tuple[KeyRow, list[LendingRow]]:
    """A key and every lending of it, newest first."""
    require(actor, PERMISSION)
    now = now or utcnow()
    with db.read() as session:
        key = tagged(session, actor, tag_text)
        lendings = list(
            session.scalars(
                select(KeyLending)
                .where(KeyLending.key_id == key.id)
                .order_by(KeyLending.out_at.desc())
            )
        )
        return key_rows(session, [key], now)[0], lending_rows(session, lendings, now)


def keys_out(db: Database, actor: Actor, now: datetime | None = None) -> list[LendingRow]:
    """Every key lent out now (a butler: of their buildings), the longest overdue first."""
    require(actor, PERMISSION)
    now = now or utcnow()
    query = (
        select(KeyLending)
        .join(Room, KeyLending.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .where(KeyLending.returned_at.is_(None))
        .order_by(KeyLending.due_back_at)
    )
    with db.read() as session:
        return lending_rows(session, list(session.scalars(in_scope_only(query, actor))), now)
