"""物品放行条: issue a pass at the counter, check it once at the gate, cancel it.

The household's arrears and an open renovation are shown to the clerk as a warning
and kept on the pass; they never stop it (letting goods out is not the office's to
refuse). A tenant or someone the owner sent needs the owner's consent recorded. At
the gate the pass number is scanned: the first scan lets the goods out, a second is
refused with the time of the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import GoodsPass, Renovation, Room
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.goods_passes import (
    EARLY_AT_GATE,
    LATE_AT_GATE,
    MAX_PER_DAY,
    MAX_WINDOW,
    Applicant,
    Consent,
    PassState,
    check_consent,
    check_window,
    parse_items,
    parse_pass_number,
    pass_number,
    pass_state,
)
from frontdesk.domain.money import format_yuan
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.plates import normalize_plate
from frontdesk.domain.renovation import ACTIVE
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.arrears.listing import owed_now
from frontdesk.services.households.structure import room_places


@dataclass(frozen=True)
class GoodsPassInput:
    room_id: int
    applicant_name: str
    applicant_phone: str
    items: str  # one item a line
    window_start: datetime
    window_end: datetime
    applicant: Applicant = Applicant.OWNER
    consent: Consent | None = None
    consent_by: str = ""  # the owner who agreed
    plate: str = ""
    note: str = ""


@dataclass(frozen=True)
class GoodsPassRow:
    id: int
    number: str
    room_id: int
    room_code: str
    place: str
    applicant: Applicant
    applicant_name: str
    phone: str  # masked
    consent: Consent | None
    consent_by: str
    items: tuple[str, ...]
    plate: str
    window_start: datetime
    window_end: datetime
    warnings: str
    note: str
    issued_at: datetime
    issued_by: str
    used_at: datetime | None
    used_by: str
    cancelled_at: datetime | None
    cancelled_by: str
    cancel_reason: str
    state: PassState
    purged: bool

    @property
    def consent_text(self) -> str:
        if self.consent is None:
            return ""
        return (
            f"{self.consent.label}（{self.consent_by}）" if self.consent_by else self.consent.label
        )


def _row(p: GoodsPass, places: dict[int, tuple[str, str]], now: datetime) -> GoodsPassRow:
    code, place = places.get(p.room_id, ("", ""))
    return GoodsPassRow(
        p.id,
        p.number,
        p.room_id,
        code,
        place,
        p.applicant_kind,
        p.applicant_name if p.purged_at is None else "（已按期清除）",
        mask_phone(p.applicant_phone),
        p.consent,
        p.consent_by,
        tuple(p.items.split("\n")),
        p.plate,
        p.window_start,
        p.window_end,
        p.warnings,
        p.note,
        p.issued_at,
        p.issued_by,
        p.used_at,
        p.used_by,
        p.cancelled_at,
        p.cancelled_by,
        p.cancel_reason,
        pass_state(p.window_end, p.used_at, p.cancelled_at, now),
        p.purged_at is not None,
    )


def pass_rows(session: Session, passes: Sequence[GoodsPass], now: datetime) -> list[GoodsPassRow]:
    places = room_places(session, (p.room_id for p in passes))
    return [_row(p, places, now) for p in passes]


# the warning ---------------------------------------------------------------------


def _warnings(session: Session, room_id: int, today: date) -> tuple[str, ...]:
    found = []
    owed = owed_now(session, room_id, today)
    if owed:
        found.append(f"该户欠费 {format_yuan(owed)} 元")
    works = session.scalars(
        select(Renovation.number).where(
            Renovation.room_id == room_id, Renovation.status.in_(list(ACTIVE))
        )
    ).all()
    if works:
        found.append(f"该户装修未结束（{'、'.join(works)}）")
    return tuple(found)


def household_warnings(
    db: Database, actor: Actor, room_id: int, today: date | None = None
) -> tuple[str, ...]:
    """What the clerk should know before letting goods out of this flat; never a refusal."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        return _warnings(session, room_id, today or utcnow().astimezone().date())


# issue and cancel ------------------------------------------------------------------


def _values(session: Session, data: GoodsPassInput, now: datetime) -> dict[str, object]:
    if session.get(Room, data.room_id) is None:
        raise ValidationError("房屋", "请从查找结果中选择一户（该房屋不存在）")
    applicant = Applicant(data.applicant)
    name = clean_name(data.applicant_name, "申请人", 40, required=True)
    if not data.applicant_phone.strip():
        raise ValidationError("申请人电话", "不能为空")
    phone = phone_key(data.applicant_phone, "申请人电话")
    items = parse_items(data.items)
    consent = Consent(data.consent) if data.consent is not None else None
    consent_by = clean_name(data.consent_by, "同意的业主", 40)
    if applicant == Applicant.OWNER:
        consent, consent_by = None, ""
    check_consent(applicant, consent, consent_by)
    check_window(data.window_start, data.window_end, now)
    return {
        "room_id": data.room_id,
        "applicant_kind": applicant,
        "applicant_name": name,
        "applicant_phone": phone,
        "consent": consent,
        "consent_by": consent_by,
        "items": "\n".join(items),
        "plate": normalize_plate(data.plate, "车牌号") if data.plate.strip() else "",
        "window_start": data.window_start,
        "window_end": data.window_end,
        "note": clean_text(data.note, "备注", 200),
    }


def _next_number(session: Session, day: date) -> str:
    in_turn(session, "goods_pass")
    prefix = pass_number(day, 0)[:-3]
    last = session.scalar(
        select(func.max(GoodsPass.number)).where(GoodsPass.number.like(f"{prefix}%"))
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    if sequence > MAX_PER_DAY:
        raise UserError(f"今天的放行条号已用完（{MAX_PER_DAY} 张），请联系系统管理员。")
    return pass_number(day, sequence)


def issue_pass(
    db: Database, actor: Actor, data: GoodsPassInput, *, now: datetime | None = None
) -> GoodsPassRow:
    """Issue a pass with the next number of the day, keeping the warnings shown."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    now = now or utcnow()
    with db.write(actor) as session:
        values = _values(session, data, now)
        warnings = "；".join(_warnings(session, data.room_id, now.astimezone().date()))
        goods_pass = GoodsPass(
            **values,
            number=_next_number(session, now.astimezone().date()),
            warnings=warnings[:200],
            issued_at=now,
            **by_columns("issued", actor),
        )
        session.add(goods_pass)
        session.flush()
        return pass_rows(session, [goods_pass], now)[0]


def _by_number(session: Session, number_text: str) -> GoodsPass:
    number = parse_pass_number(number_text)
    found = session.scalar(select(GoodsPass).where(GoodsPass.number == number))
    if found is None:
        raise NotFound(f"没有放行条号为 {number} 的放行条。")
    return found


def find_pass(
    db: Database, actor: Actor, number_text: str, *, now: datetime | None = None
) -> GoodsPassRow:
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        return pass_rows(session, [_by_number(session, number_text)], now or utcnow())[0]


def get_pass(
    db: Database, actor: Actor, pass_id: int, *, now: datetime | None = None
) -> GoodsPassRow:
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        found = session.get(GoodsPass, pass_id)
        if found is None:
            raise NotFound("放行条不存在。")
        return pass_rows(session, [found], now or utcnow())[0]


def _refuse_closed(p: GoodsPass) -> None:
    if p.used_at is not None:
        raise UserError(
            f"放行条 {p.number} 已于 {p.used_at.astimezone():%Y-%m-%d %H:%M} 放行"
            f"（{p.used_by}），不能再次使用。"
        )
    if p.cancelled_at is not None:
        raise UserError(
            f"放行条 {p.number} 已于 {p.cancelled_at.astimezone():%Y-%m-%d %H:%M} 作废"
            f"（{p.cancelled_by}：{p.cancel_reason}）。"
        )


def cancel_pass(
    db: Database, actor: Actor, number_text: str, reason: str, *, now: datetime | None = None
) -> GoodsPassRow:
    """Cancel a pass not yet used (the move was called off, a mistake on it)."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    why = clean_text(reason, "作废原因", 100, required=True)
    now = now or utcnow()
    with db.write(actor) as session:
        goods_pass = _by_number(session, number_text)
        _refuse_closed(goods_pass)
        goods_pass.cancelled_at = now
        goods_pass.cancel_reason = why
        stamp(goods_pass, "cancelled", actor)
        session.flush()
        return pass_rows(session, [goods_pass], now)[0]


# the gate --------------------------------------------------------------------------


def check_at_gate(
    db: Database, actor: Actor, number_text: str, *, now: datetime | None = None
) -> GoodsPassRow:
    """The pass scanned at the gate: let the goods out once, within its window; a pass
    used, cancelled, not yet due or expired is refused and nothing changes."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    now = now or utcnow()
    with db.write(actor) as session:
        goods_pass = _by_number(session, number_text)
        _refuse_closed(goods_pass)
        if now < goods_pass.window_start - EARLY_AT_GATE:
            raise UserError(
                f"放行条 {goods_pass.number} 的放行时间从 "
                f"{goods_pass.window_start.astimezone():%m-%d %H:%M} 开始，现在还不能放行。"
            )
        if pass_state(goods_pass.window_end, None, None, now) == PassState.EXPIRED:
            raise UserError(
                f"放行条 {goods_pass.number} 已于 "
                f"{goods_pass.window_end.astimezone():%m-%d %H:%M} 过期，请到服务中心重新办理。"
            )
        goods_pass.used_at = now
        stamp(goods_pass, "used", actor)
        session.flush()
        return pass_rows(session, [goods_pass], now)[0]


# lists -------------------------------------------------------------------------------


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time()).astimezone()
    return start, start + timedelta(days=1)


def list_passes(
    db: Database, actor: Actor, day: date, *, now: datetime | None = None
) -> list[GoodsPassRow]:
    """The passes of a day: issued that day, due out that day (window touching it) or
    used at the gate that day."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    start, end = _day_bounds(day)
    issued = (GoodsPass.issued_at >= start) & (GoodsPass.issued_at < end)
    # a window is at most MAX_WINDOW long: the bound lets the window_start index serve
    due = (
        (GoodsPass.window_start >= start - MAX_WINDOW)
        & (GoodsPass.window_start < end)
        & (GoodsPass.window_end >= start)
    )
    used = (GoodsPass.used_at >= start) & (GoodsPass.used_at < end)
    with db.read() as session:
        passes = session.scalars(
            select(GoodsPass).where(issued | due | used).order_by(GoodsPass.number)
        ).all()
        return pass_rows(session, passes, now or utcnow())


def open_passes(db: Database, actor: Actor, *, now: datetime | None = None) -> list[GoodsPassRow]:
    """Passes issued and not yet through the gate, whose window has not run out."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    now = now or utcnow()
    with db.read() as session:
        return pass_rows(session, _open(session, now), now)


def _open(session: Session, now: datetime) -> list[GoodsPass]:
    query = (
        select(GoodsPass)
        .where(GoodsPass.used_at.is_(None), GoodsPass.cancelled_at.is_(None))
        .where(GoodsPass.window_end >= now - LATE_AT_GATE)
        .order_by(GoodsPass.window_start)
    )
    return list(session.scalars(query))


def room_passes(db: Database, actor: Actor, room_id: int) -> list[GoodsPassRow]:
    """A household's passes, newest first."""
    require(actor, Permission.KEEP_COUNTER_REGISTERS)
    with db.read() as session:
        passes = session.scalars(
            select(GoodsPass)
            .where(GoodsPass.room_id == room_id)
            .order_by(GoodsPass.issued_at.desc())
        ).all()
        return pass_rows(session, passes, utcnow())
