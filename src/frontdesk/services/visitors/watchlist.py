"""The watchlist (访客黑名单): people or plates the office has reason to stop at the
gate — a banned pedlar, a court order — each with its reason and an expiry date.

Registering a visitor who matches warns the clerk before anything is saved; the
warning is audited whether or not the clerk goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import WatchEntry
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain import clock
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.phone import phone_key
from frontdesk.domain.plates import normalize_plate
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.domain.visitors import normalize_document_number
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require

MAX_YEARS = 5


@dataclass(frozen=True)
class WatchInput:
    reason: str
    expires_on: date
    name: str = ""
    phone: str = ""
    plate: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class WatchRow:
    id: int
    name: str
    phone: str
    plate: str
    id_number: str  # masked
    reason: str
    expires_on: date
    added_by: str
    added_at: datetime
    removed: bool
    expired: bool

    @property
    def active(self) -> bool:
        return not (self.removed or self.expired)


@dataclass(frozen=True)
class WatchMatch:
    entry_id: int
    matched: str  # 电话 / 车牌 / 证件号码 / 姓名
    reason: str
    expires_on: date

    @property
    def text(self) -> str:
        check = "（仅姓名相同，请核实是否本人）" if self.matched == "姓名" else ""
        return f"{self.matched}与黑名单相符{check}：{self.reason}（至 {self.expires_on:%Y-%m-%d}）"


class WatchlistWarning(UserError):
    """The visitor matches the watchlist; the clerk must confirm before saving."""

    def __init__(self, matches: list[WatchMatch]) -> None:
        super().__init__("；".join(m.text for m in matches))
        self.matches = matches


def _values(data: WatchInput, today: date) -> dict[str, object]:
    reason = clean_text(data.reason, "原因", 200, required=True)
    if data.expires_on <= today:
        raise ValidationError("有效期至", "应晚于今天")
    if (data.expires_on - today).days > MAX_YEARS * 366:
        raise ValidationError("有效期至", f"最长 {MAX_YEARS} 年，到期后如仍需要请重新登记")
    name = clean_name(data.name, "姓名", 40)
    phone = phone_key(data.phone) if data.phone.strip() else ""
    plate = normalize_plate(data.plate) if data.plate.strip() else ""
    number = normalize_document_number(data.id_number)
    if len(number) > 40:
        raise ValidationError("证件号码", "不能超过 40 个字符")
    if not (name or phone or plate or number):
        raise ValidationError("姓名", "姓名、电话、车牌、证件号码至少填写一项")
    return {"name": name, "phone": phone, "plate": plate, "id_number": number, "reason": reason}


def add_watch(db: Database, actor: Actor, data: WatchInput, today: date | None = None) -> int:
    require(actor, Permission.MANAGE_WATCHLIST)
    values = _values(data, today or clock.today())
    with db.write(actor) as session:
        entry = WatchEntry(**values, expires_on=data.expires_on, **by_columns("added", actor))
        session.add(entry)
        session.flush()
        return entry.id


def remove_watch(db: Database, actor: Actor, entry_id: int) -> None:
    """Take an entry off the list early; it stays on record."""
    require(actor, Permission.MANAGE_WATCHLIST)
    with db.write(actor) as session:
        entry = session.get(WatchEntry, entry_id)
        if entry is None or entry.removed_at is not None:
            raise NotFound("该黑名单记录不存在或已撤销。")
        entry.removed_at = utcnow()
        stamp(entry, "removed", actor)


def list_watch(
    db: Database, actor: Actor, *, include_inactive: bool = False, today: date | None = None
) -> list[WatchRow]:
    require(actor, Permission.MANAGE_WATCHLIST)
    today = today or clock.today()
    with db.read() as session:
        entries = session.scalars(select(WatchEntry).order_by(WatchEntry.id.desc())).all()
    rows = [
        WatchRow(
            e.id,
            e.name,
            e.phone,
            e.plate,
            mask_id_number(e.id_number),
            e.reason,
            e.expires_on,
            e.added_by,
            e.added_at,
            e.removed_at is not None,
            e.expires_on < today,
        )
        for e in entries
    ]
    return rows if include_inactive else [r for r in rows if r.active]


def matches_in(
    session: Session, *, name: str, phone: str, plate: str, id_number: str, today: date
) -> list[WatchMatch]:
    """Active entries the visitor matches: by phone, plate or document number, or by
    the name alone (the clerk then checks it is the same person: names repeat)."""
    entries = session.scalars(
        select(WatchEntry).where(WatchEntry.removed_at.is_(None), WatchEntry.expires_on >= today)
    )
    found = []
    for e in entries:
        matched = (
            "电话"
            if phone and e.phone == phone
            else "车牌"
            if plate and e.plate == plate
            else "证件号码"
            if id_number and e.id_number == normalize_document_number(id_number)
            else "姓名"
            if name and e.name == name
            else ""
        )
        if matched:
            found.append(WatchMatch(e.id, matched, e.reason, e.expires_on))
    return found


def record_warning(db: Database, actor: Actor, matches: list[WatchMatch], room_id: int) -> None:
    """The warning itself goes on the record: who was warned, when, by which entries."""
    with db.write(actor) as session:
        write_entry(
            session.connection(),
            actor,
            "watch_warning",
            "watch_entry",
            ",".join(str(m.entry_id) for m in matches),
            "登记访客时黑名单提示：" + "；".join(f"{m.matched}相符（{m.reason}）" for m in matches),
            room_id=room_id,
        )
