"""Bookings (访客预约): a household announces a visitor by phone or at the desk;
the six-digit code the visitor gives at the gate turns the booking into a visit
in one step. A booking lapses an hour after its time window."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Room, Visit, VisitBooking
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.identity import IdType
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.domain.visitors import (
    BOOKING_DAYS_AHEAD,
    BookingState,
    Confirmation,
    Purpose,
    booking_state,
    check_party_size,
    parse_booking_code,
    window_end_at,
)
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.visitors.register import VisitInput, VisitRow, register_visit


@dataclass(frozen=True)
class BookingInput:
    room_id: int
    visitor_name: str
    visitor_phone: str
    expected_on: date
    window_start: time
    window_end: time
    booked_by: str  # who in the household asked: "业主 张三（电话）"
    party_size: int = 1
    purpose: Purpose = Purpose.FAMILY
    note: str = ""


@dataclass(frozen=True)
class BookingRow:
    id: int
    code: str
    room_id: int
    room_code: str
    place: str
    visitor: str
    phone: str  # masked
    party_size: int
    purpose: Purpose
    expected_on: date
    window_start: time
    window_end: time
    booked_by: str
    note: str
    state: BookingState
    visit_number: str  # once arrived

    @property
    def window_text(self) -> str:
        return f"{self.expected_on:%m-%d} {self.window_start:%H:%M}–{self.window_end:%H:%M}"


def _values(session: Session, data: BookingInput, now: datetime) -> dict[str, object]:
    if session.get(Room, data.room_id) is None:
        raise ValidationError("预约房屋", "请从查找结果中选择一户（该房屋不存在）")
    if data.window_end <= data.window_start:
        raise ValidationError("到访时段", "结束时间应晚于开始时间")
    today = now.astimezone().date()
    if data.expected_on < today or window_end_at(data.expected_on, data.window_end) <= now:
        raise ValidationError("预约日期", "预约的时段已经过去")
    if data.expected_on > today + timedelta(days=BOOKING_DAYS_AHEAD):
        raise ValidationError("预约日期", f"最多可提前 {BOOKING_DAYS_AHEAD} 天预约")
    phone_text = data.visitor_phone.strip()
    if not phone_text:
        raise ValidationError("访客电话", "不能为空")
    return {
        "room_id": data.room_id,
        "visitor_name": clean_name(data.visitor_name, "访客姓名", 40, required=True),
        "visitor_phone": phone_key(phone_text, "访客电话"),
        "party_size": check_party_size(data.party_size),
        "purpose": Purpose(data.purpose),
        "expected_on": data.expected_on,
        "window_start": data.window_start,
        "window_end": data.window_end,
        "booked_by": clean_name(data.booked_by, "预约人", 40, required=True),
        "note": clean_text(data.note, "备注", 200),
    }


def _open_codes(session: Session, today: date) -> set[str]:
    """Codes still in use: yesterday's late bookings admit until an hour after midnight."""
    return set(
        session.scalars(
            select(VisitBooking.code)
            .outerjoin(Visit, Visit.booking_id == VisitBooking.id)
            .where(
                VisitBooking.expected_on >= today - timedelta(days=1),
                VisitBooking.cancelled_at.is_(None),
                Visit.id.is_(None),
            )
        )
    )


def _new_code(session: Session, today: date) -> str:
    """Six random digits no open booking uses: not guessable from the last one."""
    taken = _open_codes(session, today)
    while True:
        code = f"{secrets.randbelow(1_000_000):06d}"
        if code not in taken:
            return code


def create_booking(
    db: Database, actor: Actor, data: BookingInput, *, now: datetime | None = None
) -> BookingRow:
    require(actor, Permission.REGISTER_VISITORS)
    now = now or utcnow()
    with db.write(actor) as session:
        values = _values(session, data, now)
        booking = VisitBooking(
            **values,
            code=_new_code(session, now.astimezone().date()),
            created_at=now,
            **by_columns("created", actor),
        )
        session.add(booking)
        session.flush()
        return _rows(session, [booking], now)[0]


def cancel_booking(
    db: Database, actor: Actor, booking_id: int, *, now: datetime | None = None
) -> None:
    require(actor, Permission.REGISTER_VISITORS)
    now = now or utcnow()
    with db.write(actor) as session:
        booking = session.get(VisitBooking, booking_id)
        if booking is None:
            raise NotFound("预约不存在。")
        state = _rows(session, [booking], now)[0].state
        if state != BookingState.OPEN:
            raise UserError(f"该预约{state.label}，不能取消。")
        booking.cancelled_at = now
        stamp(booking, "cancelled", actor)


def _rows(session: Session, bookings: list[VisitBooking], now: datetime) -> list[BookingRow]:
    places = room_places(session, (b.room_id for b in bookings))
    ids = [b.id for b in bookings]
    visits: dict[int | None, str] = {
        booking_id: number
        for booking_id, number in session.execute(
            select(Visit.booking_id, Visit.number).where(Visit.booking_id.in_(ids))
        )
    }
    rows = []
    for b in bookings:
        code, place = places.get(b.room_id, ("", ""))
        number = visits.get(b.id, "")
        rows.append(
            BookingRow(
                b.id,
                b.code,
                b.room_id,
                code,
                place,
                b.visitor_name if b.purged_at is None else "（已按期清除）",
                mask_phone(b.visitor_phone),
                b.party_size,
                b.purpose,
                b.expected_on,
                b.window_start,
                b.window_end,
                b.booked_by,
                b.note,
                booking_state(
                    b.expected_on, b.window_end, bool(number), b.cancelled_at is not None, now
                ),
                number or "",
            )
        )
    return rows


def list_bookings(
    db: Database,
    actor: Actor,
    *,
    since: date | None = None,
    room_id: int | None = None,
    open_only: bool = False,
    now: datetime | None = None,
) -> list[BookingRow]:
    """Bookings from `since` (default today) on, soonest first."""
    require(actor, Permission.REGISTER_VISITORS)
    now = now or utcnow()
    query = select(VisitBooking).order_by(
        VisitBooking.expected_on, VisitBooking.window_start, VisitBooking.id
    )
    if room_id is not None:
        query = query.where(VisitBooking.room_id == room_id)
    if since is not None or room_id is None:
        # From yesterday: a late booking still admits in the first hour of today.
        default = now.astimezone().date() - timedelta(days=1)
        query = query.where(VisitBooking.expected_on >= (since or default))
    with db.read() as session:
        rows = _rows(session, list(session.scalars(query)), now)
    return [r for r in rows if r.state == BookingState.OPEN] if open_only else rows


def find_booking(
    db: Database, actor: Actor, code_text: str, *, now: datetime | None = None
) -> BookingRow:
    """The open booking a visitor's code names; a clear message for any other."""
    code = parse_booking_code(code_text)
    require(actor, Permission.REGISTER_VISITORS)
    now = now or utcnow()
    with db.read() as session:
        bookings = list(
            session.scalars(
                select(VisitBooking)
                .where(VisitBooking.code == code)
                .order_by(VisitBooking.expected_on.desc(), VisitBooking.id.desc())
            )
        )
        rows = _rows(session, bookings, now)
    if not rows:
        raise NotFound(f"没有预约码为 {code} 的预约。")
    today = now.astimezone().date()
    usable = [r for r in rows if r.state == BookingState.OPEN]
    if not usable:
        latest = rows[0]
        raise UserError(f"预约码 {code} 的预约（{latest.window_text}）{latest.state.label}。")
    booking = min(usable, key=lambda r: r.expected_on)
    if booking.expected_on > today:
        raise UserError(f"预约码 {code} 预约的是 {booking.window_text}，不是今天。")
    return booking


def admit_booking(
    db: Database,
    actor: Actor,
    code_text: str,
    *,
    now: datetime | None = None,
    confirmed_watch: bool = False,
    id_type: IdType | None = None,
    id_number: str = "",
    id_checked: bool = False,
) -> VisitRow:
    """The visitor gave their code: the booking becomes a visit in one step (with the
    document, where the settings ask for one)."""
    now = now or utcnow()
    booking = find_booking(db, actor, code_text, now=now)
    with db.read() as session:
        stored = session.get(VisitBooking, booking.id)
        assert stored is not None
        phone, name = stored.visitor_phone, stored.visitor_name
    data = VisitInput(
        room_id=booking.room_id,
        visitor_name=name,
        visitor_phone=phone,
        purpose=booking.purpose,
        confirmation=Confirmation.BOOKING,
        confirmed_by=booking.booked_by,
        party_size=booking.party_size,
        note=booking.note,
        booking_id=booking.id,
        id_type=id_type,
        id_number=id_number,
        id_checked=id_checked,
    )
    return register_visit(db, actor, data, now=now, confirmed_watch=confirmed_watch)
