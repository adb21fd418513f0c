"""Visitor registration (访客登记): register at the gate, the 访客单 number, who is
inside now, sign-out by pass number.

A visit must name a real room; a returning visitor is found by phone; a visitor
coming more than FREQUENT_VISITS times in FREQUENT_DAYS days to one household is
flagged (often an unregistered resident); a watchlist match stops the save until
the clerk confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Person, Room, Visit, VisitBooking
from frontdesk.db.protection import phone_is, require_key
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.household import PersonKind
from frontdesk.domain.identity import IdType, mask_id_number, normalize_id_number
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.plates import normalize_plate
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.domain.visitors import (
    FREQUENT_DAYS,
    FREQUENT_VISITS,
    PASS_PREFIX,
    BookingState,
    Confirmation,
    Purpose,
    VisitState,
    booking_state,
    check_expected_leave,
    check_party_size,
    confirmation_phrase,
    parse_pass_number,
    pass_number,
    pass_tail,
    renovation_leave,
    visit_state,
)
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.renovation.applications import renovation_settings, working_day_end_of
from frontdesk.services.visitors.order_link import check_visit_order, order_numbers
from frontdesk.services.visitors.settings import visitor_settings
from frontdesk.services.visitors.watchlist import WatchlistWarning, matches_in, record_warning


@dataclass(frozen=True)
class VisitInput:
    room_id: int
    visitor_name: str
    visitor_phone: str
    purpose: Purpose = Purpose.FAMILY
    confirmation: Confirmation = Confirmation.PHONE
    confirmed_by: str = ""  # who in the household answered the call
    party_size: int = 1
    plate: str = ""
    expected_leave_at: datetime | None = None  # default: the purpose's usual stay
    id_type: IdType | None = None  # only when the settings require documents
    id_number: str = ""
    id_checked: bool = False  # sight check of a document, nothing stored
    note: str = ""
    booking_id: int | None = None
    work_order_id: int | None = None  # a 维修 visit: the order the worker came for


@dataclass(frozen=True)
class VisitRow:
    id: int
    number: str
    room_id: int
    room_code: str
    place: str
    visitor: str
    phone: str  # masked
    party_size: int
    plate: str
    purpose: Purpose
    confirmation: Confirmation
    confirmed_by: str
    id_text: str  # "居民身份证 110***…1234" / "已核验证件" / ""
    arrived_at: datetime
    expected_leave_at: datetime
    left_at: datetime | None
    state: VisitState
    frequent: bool
    watch_hit: bool
    registered_by: str
    left_by: str
    note: str
    purged: bool
    work_order: str = ""  # the number of the order a worker's visit serves

    @property
    def confirmation_text(self) -> str:
        return confirmation_phrase(self.confirmation, self.confirmed_by)


def visit_row(
    visit: Visit, places: dict[int, tuple[str, str]], now: datetime, order: str = ""
) -> VisitRow:
    code, place = places.get(visit.room_id, ("", ""))
    if visit.id_number:
        id_text = f"{IdType(visit.id_type).label} {mask_id_number(visit.id_number)}"
    else:
        id_text = "已核验证件" if visit.id_checked else ""
    return VisitRow(
        visit.id,
        visit.number,
        visit.room_id,
        code,
        place,
        visit.visitor_name if visit.purged_at is None else "（已按期清除）",
        mask_phone(visit.visitor_phone),
        visit.party_size,
        visit.plate,
        visit.purpose,
        visit.confirmation,
        visit.confirmed_by,
        id_text,
        visit.arrived_at,
        visit.expected_leave_at,
        visit.left_at,
        visit_state(visit.arrived_at, visit.expected_leave_at, visit.left_at, now),
        visit.frequent,
        visit.watch_hit,
        visit.registered_by,
        visit.left_by,
        visit.note,
        visit.purged_at is not None,
        order,
    )


def rows_of(session: Session, visits: list[Visit], now: datetime) -> list[VisitRow]:
    places = room_places(session, (v.room_id for v in visits))
    orders = order_numbers(session, visits)
    return [visit_row(v, places, now, orders.get(v.id, "")) for v in visits]


# registration ------------------------------------------------------------------


def _identity(session: Session, data: VisitInput) -> tuple[str, str]:
    """Document type and number, only where the settings ask for them."""
    number = data.id_number.strip()
    if not visitor_settings(session).require_id:
        if number:
            raise ValidationError(
                "证件号码", "当前设置不登记证件号码；只需查看证件时请勾选“已核验证件”"
            )
        return "", ""
    if not number:
        raise ValidationError("证件号码", "按本小区设置，访客须登记证件号码")
    id_type = data.id_type or IdType.RESIDENT
    return id_type.value, normalize_id_number(id_type, number)


def _values(session: Session, data: VisitInput, now: datetime) -> dict[str, object]:
    if session.get(Room, data.room_id) is None:
        raise ValidationError("到访房屋", "请从查找结果中选择一户（该房屋不存在）")
    name = clean_name(data.visitor_name, "访客姓名", 40, required=True)
    phone = phone_key(data.visitor_phone, "访客电话") if data.visitor_phone.strip() else ""
    if not phone:
        raise ValidationError("访客电话", "不能为空")
    purpose = Purpose(data.purpose)
    confirmation = Confirmation(data.confirmation)
    confirmed_by = clean_name(data.confirmed_by, "确认人", 40)
    if confirmation == Confirmation.PHONE and not confirmed_by:
        raise ValidationError("确认人", "电话确认时请填写接电话的住户（如 业主 张三）")
    leave = data.expected_leave_at or _usual_leave(session, purpose, now)
    id_type, id_number = _identity(session, data)
    return {
        "room_id": data.room_id,
        "visitor_name": name,
        "visitor_phone": phone,
        "party_size": check_party_size(data.party_size),
        "plate": normalize_plate(data.plate, "车牌号") if data.plate.strip() else "",
        "purpose": purpose,
        "confirmation": confirmation,
        "confirmed_by": confirmed_by,
        "expected_leave_at": check_expected_leave(now, leave),
        "id_type": id_type,
        "id_number": id_number,
        "id_checked": data.id_checked or bool(id_number),
        "note": clean_text(data.note, "备注", 200),
        "work_order_id": check_visit_order(session, data.work_order_id, data.room_id, purpose),
    }


def usual_leave(db: Database, purpose: Purpose, now: datetime) -> datetime:
    """When a visit for `purpose` that starts `now` is expected to end: a renovation
    worker's at the end of the permitted working hours (not 8 hours later, past
    midnight), anyone else's after the usual stay."""
    with db.read() as session:
        return _usual_leave(session, purpose, now)


def _usual_leave(session: Session, purpose: Purpose, now: datetime) -> datetime:
    if purpose != Purpose.RENOVATION:
        return now + purpose.usual_stay
    return renovation_leave(now, working_day_end_of(renovation_settings(session)))


def _next_number(session: Session, day: date) -> str:
    """The next pass number of the day; taken inside the write transaction."""
    in_turn(session, "visit")
    prefix = pass_number(day, 0)[: len(PASS_PREFIX) + 6]
    last = session.scalar(select(func.max(Visit.number)).where(Visit.number.like(f"{prefix}%")))
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    if sequence > 9999:
        raise UserError("今天的访客单号已用完（9999 张），请联系系统管理员。")
    return pass_number(day, sequence)


def _recent_visits(session: Session, phone: str, room_id: int, now: datetime) -> int:
    since = now - timedelta(days=FREQUENT_DAYS)
    return (
        session.scalar(
            select(func.count()).where(
                phone_is(Visit.visitor_phone, phone),
                Visit.arrived_at >= since,
                Visit.room_id == room_id,
            )
        )
        or 0
    )


def _check_booking(session: Session, booking_id: int | None, room_id: int, now: datetime) -> None:
    """The booking a visit comes with must be this room's, open, and due by now."""
    if booking_id is None:
        return
    booking = session.get(VisitBooking, booking_id)
    if booking is None or booking.room_id != room_id:
        raise ValidationError("预约", "预约不存在或不是这一户的")
    used = session.scalar(select(Visit.number).where(Visit.booking_id == booking_id))
    if used:
        raise UserError(f"该预约已到访登记（访客单 {used}）。")
    state = booking_state(
        booking.expected_on, booking.window_end, False, booking.cancelled_at is not None, now
    )
    if state != BookingState.OPEN:
        raise UserError(f"该预约{state.label}。")
    if booking.expected_on > now.astimezone().date():
        raise UserError(f"该预约是 {booking.expected_on:%m-%d} 的，不是今天。")


def register_visit(
    db: Database,
    actor: Actor,
    data: VisitInput,
    *,
    now: datetime | None = None,
    confirmed_watch: bool = False,
) -> VisitRow:
    """Register one visit and give it its pass number.

    A watchlist match raises WatchlistWarning (and is audited) unless the clerk has
    seen the warning and goes on (`confirmed_watch`)."""
    require(actor, Permission.REGISTER_VISITORS)
    now = now or utcnow()
    with db.read() as session:
        values = _values(session, data, now)
        matches = matches_in(
            session,
            name=str(values["visitor_name"]),
            phone=str(values["visitor_phone"]),
            plate=str(values["plate"]),
            id_number=str(values["id_number"]),
            today=now.astimezone().date(),
        )
    if matches and not confirmed_watch:
        record_warning(db, actor, matches, data.room_id)
        raise WatchlistWarning(matches)
    with db.write(actor) as session:
        _check_booking(session, data.booking_id, data.room_id, now)
        phone = str(values["visitor_phone"])
        visit = Visit(
            **values,
            number=_next_number(session, now.astimezone().date()),
            booking_id=data.booking_id,
            arrived_at=now,
            **by_columns("registered", actor),
            frequent=_recent_visits(session, phone, data.room_id, now) + 1 > FREQUENT_VISITS,
            watch_hit=bool(matches),
        )
        session.add(visit)
        session.flush()
        if matches:
            write_entry(
                session.connection(),
                actor,
                "watch_override",
                "visit",
                str(visit.id),
                f"黑名单提示后仍登记访客「{visit.number}」",
                room_id=data.room_id,
            )
        return rows_of(session, [visit], now)[0]


@dataclass(frozen=True)
class ReturningVisitor:
    """The last visit made with this phone, to fill the form in with one key."""

    name: str
    phone: str
    room_id: int
    room_code: str
    place: str
    purpose: Purpose
    party_size: int
    plate: str
    last_at: datetime
    visits_in_window: int  # to that household within FREQUENT_DAYS

    @property
    def frequent(self) -> bool:
        return self.visits_in_window >= FREQUENT_VISITS


def returning_visitor(
    db: Database, actor: Actor, phone_text: str, now: datetime | None = None
) -> ReturningVisitor | None:
    require(actor, Permission.REGISTER_VISITORS)
    try:
        phone = phone_key(phone_text, "访客电话")
    except ValidationError:
        return None
    now = now or utcnow()
    with db.read() as session:
        last = session.scalar(
            select(Visit)
            .where(phone_is(Visit.visitor_phone, phone), Visit.purged_at.is_(None))
            .order_by(Visit.arrived_at.desc())
            .limit(1)
        )
        if last is None:
            return None
        code, place = room_places(session, [last.room_id])[last.room_id]
        return ReturningVisitor(
            last.visitor_name,
            phone,
            last.room_id,
            code,
            place,
            last.purpose,
            last.party_size,
            last.plate,
            last.arrived_at,
            _recent_visits(session, phone, last.room_id, now),
        )


# inside now and sign-out ---------------------------------------------------------


@dataclass(frozen=True)
class InsideBoard:
    rows: list[VisitRow]  # oldest first

    @property
    def people(self) -> int:
        return sum(r.party_size for r in self.rows)

    def count(self, state: VisitState) -> int:
        return sum(1 for r in self.rows if r.state == state)


def inside_now(db: Database, actor: Actor, now: datetime | None = None) -> InsideBoard:
    """Every visit not signed out, including those left open from earlier days."""
    require(actor, Permission.REGISTER_VISITORS)
    now = now or utcnow()
    with db.read() as session:
        visits = list(
            session.scalars(select(Visit).where(Visit.left_at.is_(None)).order_by(Visit.arrived_at))
        )
        return InsideBoard(rows_of(session, visits, now))


@dataclass(frozen=True)
class RollCallRow:
    """A group inside, with the whole phone numbers to call if it is missing."""

    visit: VisitRow
    phone: str  # the visitor's, whole
    host: str  # who in the household visited to call: 业主 张三
    host_phone: str  # whole


_HOST_ORDER = (PersonKind.OWNER, PersonKind.TENANT, PersonKind.RESIDENT, PersonKind.EMERGENCY)


def roll_call(db: Database, actor: Actor, now: datetime | None = None) -> list[RollCallRow]:
    """Everyone inside for the 在场访客点名表, with the visitor's and the household's
    phone numbers whole: at the assembly point whoever is missing is phoned. Whoever
    may register visitors may print it (an alarm does not wait for a supervisor); it
    is audited as an unmasking."""
    require(actor, Permission.REGISTER_VISITORS)
    now = now or utcnow()
    with db.write(actor) as session:
        require_key()  # a roll call of 「（已加密）」 phones calls nobody
        visits = list(
            session.scalars(select(Visit).where(Visit.left_at.is_(None)).order_by(Visit.arrived_at))
        )
        rows = rows_of(session, visits, now)
        hosts = _hosts(session, {v.room_id for v in visits})
        write_entry(
            session.connection(),
            actor,
            "reveal",
            "visit",
            "",
            f"打印在场访客点名表：{len(visits)} 批访客及被访住户的完整电话",
            {"visits": [v.number for v in visits]},
        )
        return [
            RollCallRow(row, visit.visitor_phone, *hosts.get(visit.room_id, ("", "")))
            for row, visit in zip(rows, visits, strict=True)
        ]


@dataclass(frozen=True)
class HostPhone:
    """Someone of the household a visitor asks for, with the whole number to call."""

    person_id: int
    who: str  # 业主 张三
    phone: str  # whole


MAX_HOST_PHONES = 4


def host_phones(
    db: Database,
    actor: Actor,
    room_id: int,
    *,
    visitor_name: str = "",
    visitor_phone: str = "",
) -> list[HostPhone]:
    """确认来访: the whole numbers of the household a visitor asks for, to call and
    confirm the visit — an owner living there first, then a tenant, another resident,
    the emergency contact; people who moved out are not called. Whoever registers
    visitors sees them for this call only, and each time is audited: who saw whose
    numbers, for which visitor (as typed so far: the visit has no number yet). A
    household with no phone on file reveals nothing and is not audited."""
    require(actor, Permission.REGISTER_VISITORS)
    with db.write(actor) as session:
        require_key()  # whole numbers or none: never an audited unmasking of 「（已加密）」
        code = room_places(session, [room_id]).get(room_id, ("", ""))[0]
        if not code:
            raise NotFound("所选房屋已不存在，请重新选择。")
        people = session.scalars(
            select(Person).where(
                Person.room_id == room_id, Person.phone != "", Person.left_on.is_(None)
            )
        ).all()
        ranked = sorted(people, key=lambda p: (not p.lives_here, _HOST_ORDER.index(p.kind), p.id))
        hosts = [
            HostPhone(p.id, f"{_host_label(p.kind)} {p.name}", p.phone)
            for p in ranked[:MAX_HOST_PHONES]
        ]
        if not hosts:
            return []
        # as typed so far, unchecked: a half-typed number must not stop the call
        name = " ".join(visitor_name.split())[:40]
        phone = "".join(c for c in visitor_phone if c.isdigit())[:20]
        kinds = "、".join(dict.fromkeys(h.who.split(" ")[0] for h in hosts))
        write_entry(
            session.connection(),
            actor,
            "reveal",
            "room",
            str(room_id),
            f"确认来访：查看「{code}」{kinds}的完整电话以致电确认访客",
            {
                "person_id": [h.person_id for h in hosts],
                "person_name": [h.who.split(" ", 1)[1] for h in hosts],
                "phone": [h.phone for h in hosts],
                "visitor_name": name,
                "visitor_phone": phone,
            },
            room_id=room_id,
        )
        return hosts


def _host_label(kind: PersonKind) -> str:
    return "业主" if kind == PersonKind.OWNER else kind.label


def _hosts(session: Session, room_ids: set[int]) -> dict[int, tuple[str, str]]:
    """The person of each room to call: an owner living there first, then a tenant,
    another resident, the emergency contact; someone with a phone."""
    found: dict[int, tuple[str, str]] = {}
    people = session.scalars(
        select(Person)
        .where(Person.room_id.in_(room_ids), Person.phone != "")
        .where(Person.left_on.is_(None))  # people who moved out are not called
    ).all()
    ranked = sorted(
        people,
        key=lambda p: (not p.lives_here, _HOST_ORDER.index(p.kind), p.id),
    )
    for person in ranked:
        if person.room_id not in found:
            found[person.room_id] = (f"{_host_label(person.kind)} {person.name}", person.phone)
    return found


def get_visit(db: Database, actor: Actor, visit_id: int, now: datetime | None = None) -> VisitRow:
    require(actor, Permission.REGISTER_VISITORS)
    with db.read() as session:
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise NotFound("访客登记不存在。")
        return rows_of(session, [visit], now or utcnow())[0]


def find_visit(db: Database, actor: Actor, number_text: str) -> VisitRow:
    number = parse_pass_number(number_text)
    require(actor, Permission.REGISTER_VISITORS)
    with db.read() as session:
        visit = session.scalar(select(Visit).where(Visit.number == number))
        if visit is None:
            raise NotFound(f"没有访客单号为 {number} 的登记。")
        return rows_of(session, [visit], utcnow())[0]


def _passes_inside_ending(session: Session, tail: str) -> list[Visit]:
    query = (
        select(Visit)
        .where(Visit.left_at.is_(None), Visit.number.like(f"%{tail}"))
        .order_by(Visit.number.desc())
    )
    return list(session.scalars(query))


def _pass_by_tail(session: Session, tail: str, now: datetime) -> Visit:
    """Today's pass ending in `tail` while no other pass still inside ends so."""
    todays = pass_number(now.astimezone().date(), int(tail))
    inside = _passes_inside_ending(session, tail)
    if len(inside) > 1:
        rows = rows_of(session, inside, now)
        listed = "；".join(f"{r.number} {r.visitor}（{r.room_code}）" for r in rows)
        raise UserError(
            f"尾号 {tail} 有 {len(inside)} 张访客单未签离：{listed}。请输入完整单号签离。"
        )
    if inside and inside[0].number != todays:
        row = rows_of(session, inside, now)[0]
        raise UserError(
            f"尾号 {tail} 只对应 {row.arrived_at.astimezone():%m-%d} 登记的访客单 "
            f"{row.number} {row.visitor}（{row.room_code}），不是今天的，请输入完整单号签离。"
        )
    if inside:
        return inside[0]
    visit = session.scalar(select(Visit).where(Visit.number == todays))
    if visit is None:
        raise NotFound(f"今天没有尾号为 {tail} 的访客单。")
    return visit  # signed out already: said so below


def sign_out(
    db: Database, actor: Actor, number_text: str, *, now: datetime | None = None
) -> VisitRow:
    """Sign a visitor out by the pass number typed or scanned at the gate, or by its last
    four digits: a pass issued today, while no other pass still inside ends so."""
    tail = pass_tail(number_text)
    number = parse_pass_number(number_text) if tail is None else ""
    require(actor, Permission.REGISTER_VISITORS)
    now = now or utcnow()
    with db.write(actor) as session:
        if tail is not None:
            visit = _pass_by_tail(session, tail, now)
        else:
            found = session.scalar(select(Visit).where(Visit.number == number))
            if found is None:
                raise NotFound(f"没有访客单号为 {number} 的登记。")
            visit = found
        if visit.left_at is not None:
            raise UserError(
                f"访客单 {visit.number} 已于 {visit.left_at.astimezone():%m-%d %H:%M} 签离"
                f"（{visit.left_by}）。"
            )
        # Another counter's clock may run a minute ahead: never before the arrival.
        visit.left_at = max(now, visit.arrived_at)
        stamp(visit, "left", actor)
        session.flush()
        return rows_of(session, [visit], now)[0]
