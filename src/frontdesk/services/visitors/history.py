"""Visitor history: visits found by date, household, phone or plate; a day's counts
by purpose and hour; the household file's 访客 tab; the Excel export."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, Select, select

from frontdesk.db import phone_index
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Visit
from frontdesk.db.phone_index import tail_digits
from frontdesk.db.protection import PhoneKeyUnavailable, current_phone_cipher, phone_is
from frontdesk.domain.clock import local_time
from frontdesk.domain.phone import phone_key
from frontdesk.domain.plates import normalize_plate
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.visitors import Purpose
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.visitors.register import VisitRow, rows_of
from frontdesk.services.xlsx import write_table

HISTORY_LIMIT = 5000
_TAIL_TYPED = re.compile(r"^[\d\s-]+$")  # 5678, 1234 5678, 1234-5678


@dataclass(frozen=True)
class VisitFilter:
    day_from: date | None = None
    day_to: date | None = None
    room_id: int | None = None
    phone: str = ""  # the whole number, or its last 4 or more digits
    plate: str = ""
    purpose: Purpose | None = None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def _phone_is(text: str) -> ColumnElement[bool]:
    """A whole number through its keyed look-up; 4 or more digits through the tails'."""
    field_name = "访客电话"
    try:
        return phone_is(Visit.visitor_phone, phone_key(text, field_name))
    except ValidationError:
        digits = tail_digits(text) if _TAIL_TYPED.match(text.strip()) else None
        if digits is None:
            raise
    cipher = current_phone_cipher()
    if cipher is None:
        raise PhoneKeyUnavailable()
    return Visit.id.in_(phone_index.matching("visit", cipher, digits))


def _query(flt: VisitFilter) -> Select[Visit]:
    if flt.day_from and flt.day_to and flt.day_to < flt.day_from:
        raise ValidationError("结束日期", "不能早于开始日期")
    query = select(Visit).order_by(Visit.arrived_at.desc(), Visit.id.desc())
    if flt.day_from:
        query = query.where(Visit.arrived_at >= _local_midnight(flt.day_from))
    if flt.day_to:
        query = query.where(Visit.arrived_at < _local_midnight(flt.day_to + timedelta(days=1)))
    if flt.room_id is not None:
        query = query.where(Visit.room_id == flt.room_id)
    if flt.phone.strip():
        query = query.where(_phone_is(flt.phone))
    if flt.plate.strip():
        query = query.where(Visit.plate == normalize_plate(flt.plate, "车牌号"))
    if flt.purpose is not None:
        query = query.where(Visit.purpose == Purpose(flt.purpose))
    return query


def search_visits(
    db: Database,
    actor: Actor,
    flt: VisitFilter,
    *,
    limit: int = HISTORY_LIMIT,
    now: datetime | None = None,
) -> list[VisitRow]:
    """Newest first, at most `limit` rows."""
    require(actor, Permission.REGISTER_VISITORS)
    with db.read() as session:  # the phone's look-up needs the session's key
        query = _query(flt).limit(limit)
        return rows_of(session, list(session.scalars(query)), now or utcnow())


def room_visits(db: Database, actor: Actor, room_id: int, limit: int = 200) -> list[VisitRow]:
    """The household file's 访客 tab: the room's latest visits (for the roles that
    register visitors; a cashier has no need to know who visits whom)."""
    require(actor, Permission.REGISTER_VISITORS)
    query = _query(VisitFilter(room_id=room_id)).limit(limit)
    with db.read() as session:
        return rows_of(session, list(session.scalars(query)), utcnow())


@dataclass
class DayCounts:
    day: date
    visits: int = 0
    people: int = 0
    by_purpose: dict[Purpose, tuple[int, int]] = field(default_factory=dict)  # visits, people
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)  # visits arriving each hour


def day_counts(db: Database, actor: Actor, day: date) -> DayCounts:
    """A day's visits by purpose and arrival hour; kept after personal data is erased."""
    require(actor, Permission.REGISTER_VISITORS)
    query = select(Visit.purpose, Visit.party_size, Visit.arrived_at).where(
        Visit.arrived_at >= _local_midnight(day),
        Visit.arrived_at < _local_midnight(day + timedelta(days=1)),
    )
    counts = DayCounts(day)
    with db.read() as session:
        for purpose, party, arrived_at in session.execute(query):
            visits, people = counts.by_purpose.get(purpose, (0, 0))
            counts.by_purpose[purpose] = (visits + 1, people + party)
            counts.visits += 1
            counts.people += party
            counts.by_hour[arrived_at.astimezone().hour] += 1
    return counts


EXPORT_HEAD = (
    "访客单号",
    "到访房屋",
    "访客",
    "电话",
    "人数",
    "车牌",
    "事由",
    "确认方式",
    "到达",
    "预计离开",
    "离开",
    "状态",
    "登记人",
    "备注",
)


def write_visits_xlsx(rows: list[VisitRow], path: Path) -> None:
    """The history as shown, phones masked: an export is not a way round the masking."""
    write_table(
        path,
        "访客记录",
        EXPORT_HEAD,
        (
            (
                r.number,
                r.room_code,
                r.visitor,
                r.phone,
                r.party_size,
                r.plate,
                r.purpose.label,
                r.confirmation_text,
                local_time(r.arrived_at, seconds=False),
                local_time(r.expected_leave_at, seconds=False),
                local_time(r.left_at, seconds=False),
                r.state.label,
                r.registered_by,
                r.note,
            )
            for r in rows
        ),
        (14, 12, 10, 14, 6, 11, 10, 20, 17, 17, 17, 10, 10, 24),
    )
