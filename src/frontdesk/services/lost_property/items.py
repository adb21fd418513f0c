"""失物招领: record an item found, hand it to its owner on a claim (identity checked,
signed for), or after the keeping period hand it to the police or dispose of it.

An item leaves once: a second claim, a claim of an item already handed to the police,
or a disposal of a claimed item is refused with when and by whom it left, and nothing
changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Row, func, select, union_all
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import LostItem
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.identity import IdType, mask_id_number, normalize_id_number
from frontdesk.domain.lost_property import (
    MAX_PER_DAY,
    Category,
    Disposal,
    IdCheck,
    ItemState,
    check_disposal,
    check_found_at,
    due_on,
    item_number,
    item_state,
    parse_item_number,
)
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.lost_property.settings import lost_property_settings
from frontdesk.services.service_desk.photo_files import stage_photos


@dataclass(frozen=True)
class FoundInput:
    category: Category
    description: str
    found_at: datetime
    found_place: str
    kept_place: str
    finder_name: str = ""  # a resident, a cleaner, a guard; '' if handed in anonymously
    finder_phone: str = ""


@dataclass(frozen=True)
class ClaimInput:
    claimant_name: str
    claimant_phone: str
    id_check: IdCheck
    id_number: str = ""  # a 居民身份证 number when the check is the document
    signed: bool = False  # the claimant signed the 认领单 (or the paper register)


@dataclass(frozen=True)
class LostItemRow:
    id: int
    number: str
    category: Category
    description: str
    found_at: datetime
    found_place: str
    finder: str
    finder_phone: str  # masked
    kept_place: str
    has_photo: bool
    recorded_by: str
    due_on: date
    state: ItemState
    claimed_at: datetime | None
    claimant: str
    claimant_phone: str  # masked
    claimant_id: str  # masked
    id_check: IdCheck | None
    handed_by: str
    disposed_at: datetime | None
    disposal: Disposal | None
    disposal_note: str
    disposed_by: str
    purged: bool

    @property
    def outcome(self) -> str:
        """已认领 张三 11-25 / 移交派出所 12-01 / ''."""
        if self.claimed_at is not None:
            return f"{self.claimant} 认领（{self.claimed_at.astimezone():%m-%d %H:%M}）"
        if self.disposed_at is not None and self.disposal is not None:
            return f"{self.disposal.label}（{self.disposed_at.astimezone():%m-%d}）"
        return ""


def _row(
    item: LostItem | Row[Any], keep_days: int, today: date, *, phones: bool = True
) -> LostItemRow:
    """An item, or a list's plain row of it; `phones`: with the masked phones and ID
    number (a list reads them not: each is a decryption, and a list shows none)."""
    erased = "（已按期清除）" if item.purged_at is not None else ""
    due = due_on(item.found_at, keep_days)
    state = item_state(item.found_at, item.claimed_at, item.disposed_at, keep_days, today)
    return LostItemRow(
        item.id,
        item.number,
        item.category,
        item.description,
        item.found_at,
        item.found_place,
        erased or item.finder_name,
        mask_phone(item.finder_phone) if phones else "",
        item.kept_place,
        bool(item.sha256),
        item.recorded_by,
        due,
        state,
        item.claimed_at,
        (erased or item.claimant_name) if item.claimed_at else "",
        mask_phone(item.claimant_phone) if phones else "",
        mask_id_number(item.claimant_id_number) if phones else "",
        item.id_check,
        item.handed_by,
        item.disposed_at,
        item.disposal,
        item.disposal_note,
        item.disposed_by,
        item.purged_at is not None,
    )


def item_rows(session: Session, items: Sequence[LostItem], now: datetime) -> list[LostItemRow]:
    keep_days = lost_property_settings(session).keep_days
    today = now.astimezone().date()
    return [_row(i, keep_days, today) for i in items]


# found ----------------------------------------------------------------------------


def _next_number(session: Session, day: date) -> str:
    in_turn(session, "lost_item")
    prefix = item_number(day, 0)[:-3]
    last = session.scalar(
        select(func.max(LostItem.number)).where(LostItem.number.like(f"{prefix}%"))
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    if sequence > MAX_PER_DAY:
        raise UserError(f"今天的失物登记号已用完（{MAX_PER_DAY} 个），请联系系统管理员。")
    return item_number(day, sequence)


def _found_values(data: FoundInput, now: datetime) -> dict[str, object]:
    check_found_at(data.found_at, now)
    phone = data.finder_phone.strip()
    return {
        "category": Category(data.category),
        "description": clean_text(data.description, "物品描述", 200, required=True),
        "found_at": data.found_at,
        "found_place": clean_name(data.found_place, "拾获地点", 100, required=True),
        "kept_place": clean_name(data.kept_place, "存放位置", 60, required=True),
        "finder_name": clean_name(data.finder_name, "拾获人", 40),
        "finder_phone": phone_key(phone, "拾获人电话") if phone else "",
    }


def record_found(
    db: Database,
    actor: Actor,
    data: FoundInput,
    *,
    photo: Path | None = None,
    now: datetime | None = None,
) -> LostItemRow:
    """Record an item found with the next number of the day; its photo (JPEG/PNG) is
    stored first, outside the transaction, as a work order's."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    now = now or utcnow()
    values = _found_values(data, now)
    staged = stage_photos(db, [photo])[0] if photo is not None else None
    with db.write(actor) as session:
        item = LostItem(
            **values,
            number=_next_number(session, now.astimezone().date()),
            sha256=staged.sha256 if staged else "",
            photo_name=staged.filename if staged else "",
            recorded_at=now,
            **by_columns("recorded", actor),
        )
        session.add(item)
        session.flush()
        return item_rows(session, [item], now)[0]


# leaving --------------------------------------------------------------------------


def _by_number(session: Session, number_text: str) -> LostItem:
    number = parse_item_number(number_text)
    found = session.scalar(select(LostItem).where(LostItem.number == number))
    if found is None:
        raise NotFound(f"没有登记号为 {number} 的失物。")
    return found


def _refuse_gone(item: LostItem) -> None:
    if item.claimed_at is not None:
        raise UserError(
            f"失物 {item.number} 已于 {item.claimed_at.astimezone():%Y-%m-%d %H:%M} "
            f"由 {item.claimant_name or '认领人'} 认领（经办 {item.handed_by}），不能再次办理。"
        )
    if item.disposed_at is not None and item.disposal is not None:
        raise UserError(
            f"失物 {item.number} 已于 {item.disposed_at.astimezone():%Y-%m-%d} "
            f"{item.disposal.label}（经办 {item.disposed_by}），不能再次办理。"
        )


def _claim_values(data: ClaimInput) -> dict[str, object]:
    check = IdCheck(data.id_check)
    number = data.id_number.strip()
    if check == IdCheck.ID_CARD and not number:
        raise ValidationError("证件号码", "查验身份证件时请登记证件号码")
    if not data.signed:
        raise ValidationError("认领人签字", "请认领人在认领单或登记簿上签字后再办理")
    if not data.claimant_phone.strip():
        raise ValidationError("认领人电话", "不能为空")
    return {
        "claimant_name": clean_name(data.claimant_name, "认领人", 40, required=True),
        "claimant_phone": phone_key(data.claimant_phone, "认领人电话"),
        "claimant_id_number": normalize_id_number(IdType.RESIDENT, number) if number else "",
        "id_check": check,
        "signed": True,
    }


def claim_item(
    db: Database,
    actor: Actor,
    number_text: str,
    data: ClaimInput,
    *,
    now: datetime | None = None,
) -> LostItemRow:
    """Hand an item to its owner: who, how their identity was checked, signed for."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    values = _claim_values(data)
    now = now or utcnow()
    with db.write(actor) as session:
        item = _by_number(session, number_text)
        _refuse_gone(item)
        for key, value in values.items():
            setattr(item, key, value)
        item.claimed_at = max(now, item.found_at)
        stamp(item, "handed", actor)
        session.flush()
        return item_rows(session, [item], now)[0]


def dispose_item(
    db: Database,
    actor: Actor,
    number_text: str,
    disposal: Disposal,
    note: str,
    *,
    now: datetime | None = None,
) -> LostItemRow:
    """To the police (any time), donated or discarded (after the keeping period, never
    papers or valuables); the note names who received it (民警、回执号)."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    disposal = Disposal(disposal)
    text = clean_text(note, "处理说明", 200, required=disposal == Disposal.POLICE)
    now = now or utcnow()
    with db.write(actor) as session:
        item = _by_number(session, number_text)
        _refuse_gone(item)
        keep_days = lost_property_settings(session).keep_days
        check_disposal(
            item.category, disposal, due_on(item.found_at, keep_days), now.astimezone().date()
        )
        item.disposed_at = max(now, item.found_at)
        item.disposal = disposal
        item.disposal_note = text
        stamp(item, "disposed", actor)
        session.flush()
        return item_rows(session, [item], now)[0]


# reading --------------------------------------------------------------------------


def find_item(
    db: Database, actor: Actor, number_text: str, *, now: datetime | None = None
) -> LostItemRow:
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        return item_rows(session, [_by_number(session, number_text)], now or utcnow())[0]


# A list's columns: all but the sealed phones and ID number.
_LISTED = [
    c
    for c in LostItem.__table__.c
    if c.name not in ("finder_phone", "claimant_phone", "claimant_id_number")
]


def list_items(
    db: Database,
    actor: Actor,
    *,
    due_only: bool = False,
    recent_days: int = 30,
    now: datetime | None = None,
) -> list[LostItemRow]:
    """Every item still held, and those that left in the last `recent_days`, newest
    first; `due_only`: held past the keeping period (for the police or disposal). The
    rows carry no phones (`find_item` has them, masked)."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    now = now or utcnow()
    # Three indexed reads, disjoint (held; claimed; disposed): an OR would scan the table.
    parts = [select(*_LISTED).where(LostItem.claimed_at.is_(None), LostItem.disposed_at.is_(None))]
    if not due_only:
        since = now - timedelta(days=recent_days)
        parts.append(select(*_LISTED).where(LostItem.claimed_at >= since))
        parts.append(select(*_LISTED).where(LostItem.disposed_at >= since))
    with db.read() as session:
        keep_days = lost_property_settings(session).keep_days
        found = session.connection().execute(union_all(*parts).order_by(LostItem.number.desc()))
        today = now.astimezone().date()
        rows = [_row(r, keep_days, today, phones=False) for r in found]
    return [r for r in rows if r.state == ItemState.DUE] if due_only else rows


def item_photo(db: Database, actor: Actor, number_text: str) -> bytes:
    """The photo of an item, for the clerk to compare with a claimant's description."""
    from frontdesk.services.households.attachments import stored_attachments

    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        item = _by_number(session, number_text)
        sha256 = item.sha256
    data = stored_attachments(db).read(sha256) if sha256 else None
    if data is None:
        raise NotFound("该失物没有照片。")
    return data
