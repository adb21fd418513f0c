"""People's rights over their personal data (《个人信息保护法》第四十四条至第四十七条).

For one person: find every record the office holds about them, hand them a copy
(查阅复制, an Excel workbook with the full values: it is their own data), and erase
or anonymise what the office may erase — visitors, bookings, lapsed watchlist
entries, former residents and tenants, emergency contacts, the workers of closed
renovations, care records of people who moved away.

What the law makes the office keep stays: posted money rows are never edited
(a payer's name on a payment or refund is part of the accounting record, 会计档案),
nor is a renovation file with its deposit; the append-only audit log keeps its
history (ID numbers only masked). Owners and current residents are refused with the
reason. Every export and erasure is an explicit audit entry with masked data.

Erasure works like the visitor retention purge: Core updates (so the ORM audit hook
does not copy the old values into the log), secure_delete, fresh indexes, and the
write-ahead log folded back once committed; stored visitor passes of the erased
visits are marked purged in the register and their files unlinked after the commit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, delete, false, or_, select, text, update
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    CareNeed,
    IssuedDocument,
    Payment,
    Person,
    Refund,
    Renovation,
    RenovationWorker,
    Visit,
    VisitBooking,
    WatchEntry,
)
from frontdesk.db.protection import LOCKED_TEXT, KeyUnavailable, number_is
from frontdesk.domain.clock import local_time
from frontdesk.domain.household import CareCategory, PersonKind, Relation
from frontdesk.domain.identity import IdType, mask_id_number
from frontdesk.domain.issued import DocKind
from frontdesk.domain.money import format_yuan
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.renovation import Status
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_text
from frontdesk.domain.visitors import BookingState, Purpose, booking_state
from frontdesk.errors import EnvironmentProblem, NotFound, UserError, ValidationError
from frontdesk.services import issued_documents
from frontdesk.services.access import require
from frontdesk.services.structure import room_places

# The visitor purge's log folding, shared so both erasures leave the file alike.
from frontdesk.services.visitor_settings import _fold_log, _mark_pending

ERASED_NAME = "已删除"
_CHUNK = 500


class RecordKind(StrEnum):
    PERSON = "person"  # owner, resident, tenant or emergency contact of a room
    VISIT = "visit"
    BOOKING = "booking"
    WATCH = "watch"
    WORKER = "worker"
    CARE = "care"
    APPLICANT = "applicant"  # a renovation's applicant
    CONTRACTOR = "contractor"  # a renovation's site manager (施工负责人)
    PAYMENT = "payment"  # the payer named on a payment
    REFUND = "refund"  # the payee named on a refund

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    RecordKind.PERSON: "户档案人员",
    RecordKind.VISIT: "访客登记",
    RecordKind.BOOKING: "访客预约",
    RecordKind.WATCH: "访客黑名单",
    RecordKind.WORKER: "装修工人",
    RecordKind.CARE: "关怀对象",
    RecordKind.APPLICANT: "装修申请人",
    RecordKind.CONTRACTOR: "装修施工负责人",
    RecordKind.PAYMENT: "收款记录（付款人）",
    RecordKind.REFUND: "退款记录（收款人）",
}

# Always kept, whatever the request: said in every erasure report.
STANDING_KEPT = (
    "审计日志：依法保存的操作记录不可删改（其中证件号码只存掩码）。",
    "数据库备份：已有的备份文件按备份保存期限自然过期。",
)


# the request -----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonQuery:
    """Who is asked about, as typed and normalized."""

    name: str = ""
    phone: str = ""  # digits only (domain.phone.phone_key)
    id_number: str = ""  # upper case, spaces removed

    @property
    def id_variants(self) -> tuple[str, ...]:
        """Stored forms: household IDs keep a dash of an 其他证件; the watchlist drops it."""
        if not self.id_number:
            return ()
        compact = re.sub(r"[\s\-]", "", self.id_number)
        return tuple(dict.fromkeys((self.id_number, compact)))

    def masked(self) -> str:
        """The criteria as the audit log may keep them."""
        parts = []
        if self.name:
            parts.append(f"姓名 {mask_name(self.name)}")
        if self.phone:
            parts.append(f"电话 {mask_phone(self.phone)}")
        if self.id_number:
            parts.append(f"证件号码 {mask_id_number(self.id_number)}")
        return "、".join(parts)

    def full(self) -> str:
        parts = []
        if self.name:
            parts.append(f"姓名 {self.name}")
        if self.phone:
            parts.append(f"电话 {self.phone}")
        if self.id_number:
            parts.append(f"证件号码 {self.id_number}")
        return "、".join(parts)


def make_query(name: str = "", phone: str = "", id_number: str = "") -> PersonQuery:
    """Validate what was typed; at least one of the three."""
    name = clean_text(name, "姓名", 40)
    phone = phone_key(phone, "电话") if phone.strip() else ""
    number = re.sub(r"\s", "", id_number).upper()
    if len(number) > 40:
        raise ValidationError("证件号码", "不能超过 40 个字符")
    if not (name or phone or number):
        raise ValidationError("姓名", "姓名、电话、证件号码至少填写一项")
    return PersonQuery(name, phone, number)


def mask_name(name: str) -> str:
    """张* / 欧阳** : the first character stays."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


# what was found --------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecordRef:
    kind: RecordKind
    record_id: int
    label: str  # 租户 / 访客登记 / 收款记录（付款人）…
    room_id: int | None
    room_code: str  # "" when the record is not a room's (the watchlist)
    name: str
    phone: str  # masked
    dates: str
    matched: str  # 证件号码 / 姓名+电话 / 仅姓名相同 …
    candidate: bool  # matched by the name or the phone alone: check it is the same person
    erasable: bool
    reason: str  # erasable: what erasing does; otherwise why it is kept

    @property
    def key(self) -> tuple[RecordKind, int]:
        return self.kind, self.record_id

    @property
    def erasable_text(self) -> str:
        return "可删除" if self.erasable else "保留"


@dataclass(frozen=True)
class _Found:
    """One record before it becomes a ref: the values matching and the display need."""

    kind: RecordKind
    record_id: int
    label: str
    room_id: int | None
    name: str
    phone: str
    number: str
    dates: str
    erasable: bool
    reason: str


def _judge(query: PersonQuery, name: str, phone: str, number: str) -> tuple[bool, str] | None:
    """(candidate, how it matched), or None when the record is someone else's.

    The ID number alone is decisive; otherwise name and phone together; a record that
    shares only the name or only the phone (the other unknown to it) is a candidate;
    one whose name, phone or number differs from those asked for is another person."""
    digits = re.sub(r"\D", "", phone)
    if number and number in query.id_variants:
        return False, "证件号码"
    hits = []
    if query.id_number and number:
        return None
    for asked, held, label in ((query.name, name, "姓名"), (query.phone, digits, "电话")):
        if not asked or not held:
            continue
        if asked != held:
            return None
        hits.append(label)
    if len(hits) == 2:
        return False, "姓名+电话"
    if hits:
        return True, f"仅{hits[0]}相同"
    return None


def _matching(
    query: PersonQuery,
    name: Any | None,
    phone: ColumnElement[bool] | None,
    number: Any | None,
) -> ColumnElement[bool]:
    """A coarse SQL filter: any of the given criteria; `_judge` decides."""
    terms: list[ColumnElement[bool]] = []
    if query.name and name is not None:
        terms.append(name == query.name)
    if query.phone and phone is not None:
        terms.append(phone)
    if query.id_number and number is not None:
        terms.extend(number_is(number, v) for v in query.id_variants)
    return or_(*terms) if terms else false()


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


# erasability, one rule per kind ---------------------------------------------------------


def _person_rule(person: Person, today: date) -> tuple[bool, str]:
    kind = PersonKind(person.kind)
    if kind == PersonKind.OWNER:
        return False, "产权人：产权登记须保存，过户后方可删除"
    lease_over = person.lease_end is not None and person.lease_end < today
    if kind == PersonKind.EMERGENCY or not person.lives_here or lease_over:
        return True, "姓名改为“已删除”，清空电话、证件号码和备注"
    if kind == PersonKind.TENANT:
        return False, "现租户：租期结束或搬离后方可删除"
    return False, "现住户：搬离后方可删除"


def _visit_rule(visit: Visit) -> tuple[bool, str]:
    if visit.left_at is None:
        return False, "访客尚未签离：签离后方可删除"
    return True, "清除姓名、电话、证件号码和车牌，保留到访时间"


def _booking_rule(booking: VisitBooking, arrived: bool, now: datetime) -> tuple[bool, str]:
    state = booking_state(
        booking.expected_on, booking.window_end, arrived, booking.cancelled_at is not None, now
    )
    if state == BookingState.OPEN:
        return False, "预约尚待到访：请先取消预约"
    return True, "清除访客姓名、电话和备注"


def _watch_rule(entry: WatchEntry, today: date) -> tuple[bool, str]:
    if entry.removed_at is None and entry.expires_on >= today:
        return False, "黑名单仍在有效期：须先撤销"
    return True, "清空姓名、电话、证件号码和车牌，保留原因"


def _worker_rule(status: str) -> tuple[bool, str]:
    if status not in (Status.CLOSED.value, Status.REJECTED.value):
        return False, "装修尚未关闭：关闭后方可删除"
    return True, "姓名改为“已删除”，清空电话和证件号码"


def _care_rule(still_here: bool) -> tuple[bool, str]:
    if still_here:
        return False, "仍在本户居住：搬离后方可删除"
    return True, "删除该关怀档案"


_RENOVATION_KEPT = "装修档案：与押金、费用记录关联，随房屋档案保存"
_MONEY_KEPT = "收费记录：依法保存（会计档案），已入账的记录不得改动"


# finding ---------------------------------------------------------------------------


def _people(session: Session, q: PersonQuery, today: date) -> Iterable[_Found]:
    phone = Person.phone_reversed == q.phone[::-1] if q.phone else None
    where = _matching(q, Person.name, phone, Person.id_number)
    for p in session.scalars(select(Person).where(where).order_by(Person.id)):
        erasable, reason = _person_rule(p, today)
        start = f" {_day(p.lease_start)} " if p.lease_start else ""
        lease = f"租期{start}至 {_day(p.lease_end)}" if p.lease_end else ""
        yield _Found(
            RecordKind.PERSON,
            p.id,
            PersonKind(p.kind).label,
            p.room_id,
            p.name,
            p.phone,
            p.id_number,
            lease or ("在此居住" if p.lives_here else "不在此居住"),
            erasable,
            reason,
        )


def _visits(session: Session, q: PersonQuery) -> Iterable[_Found]:
    phone = Visit.visitor_phone == q.phone if q.phone else None
    where = _matching(q, Visit.visitor_name, phone, Visit.id_number) & Visit.purged_at.is_(None)
    for v in session.scalars(select(Visit).where(where).order_by(Visit.arrived_at)):
        erasable, reason = _visit_rule(v)
        yield _Found(
            RecordKind.VISIT,
            v.id,
            RecordKind.VISIT.label,
            v.room_id,
            v.visitor_name,
            v.visitor_phone,
            v.id_number,
            local_time(v.arrived_at, seconds=False),
            erasable,
            reason,
        )


def _bookings(session: Session, q: PersonQuery, now: datetime) -> Iterable[_Found]:
    phone = VisitBooking.visitor_phone == q.phone if q.phone else None
    where = _matching(q, VisitBooking.visitor_name, phone, None) & VisitBooking.purged_at.is_(None)
    bookings = list(session.scalars(select(VisitBooking).where(where).order_by(VisitBooking.id)))
    arrived = _arrived(session, [b.id for b in bookings])
    for b in bookings:
        erasable, reason = _booking_rule(b, b.id in arrived, now)
        yield _Found(
            RecordKind.BOOKING,
            b.id,
            RecordKind.BOOKING.label,
            b.room_id,
            b.visitor_name,
            b.visitor_phone,
            "",
            _day(b.expected_on),
            erasable,
            reason,
        )


def _arrived(session: Session, booking_ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(booking_ids), _CHUNK):
        chunk = booking_ids[start : start + _CHUNK]
        found.update(
            b
            for b in session.scalars(select(Visit.booking_id).where(Visit.booking_id.in_(chunk)))
            if b is not None
        )
    return found


def _watch(session: Session, q: PersonQuery, today: date) -> Iterable[_Found]:
    phone = WatchEntry.phone == q.phone if q.phone else None
    where = _matching(q, WatchEntry.name, phone, WatchEntry.id_number)
    for e in session.scalars(select(WatchEntry).where(where).order_by(WatchEntry.id)):
        erasable, reason = _watch_rule(e, today)
        yield _Found(
            RecordKind.WATCH,
            e.id,
            RecordKind.WATCH.label,
            None,
            e.name,
            e.phone,
            e.id_number,
            f"有效至 {_day(e.expires_on)}" + ("（已撤销）" if e.removed_at else ""),
            erasable,
            reason,
        )


def _workers(session: Session, q: PersonQuery) -> Iterable[_Found]:
    phone = RenovationWorker.phone == q.phone if q.phone else None
    where = _matching(q, RenovationWorker.name, phone, RenovationWorker.id_number)
    query = (
        select(RenovationWorker, Renovation)
        .join(Renovation, RenovationWorker.renovation_id == Renovation.id)
        .where(where)
        .order_by(RenovationWorker.id)
    )
    for w, r in session.execute(query):
        erasable, reason = _worker_rule(r.status)
        yield _Found(
            RecordKind.WORKER,
            w.id,
            RecordKind.WORKER.label,
            w.room_id,
            w.name,
            w.phone,
            w.id_number,
            f"{r.number} {_day(r.starts_on)} 至 {_day(r.ends_on)}",
            erasable,
            reason,
        )


def _living_names(session: Session, room_ids: Iterable[int]) -> set[tuple[int, str]]:
    ids = sorted(set(room_ids))
    living: set[tuple[int, str]] = set()
    for start in range(0, len(ids), _CHUNK):
        query = select(Person.room_id, Person.name).where(
            Person.room_id.in_(ids[start : start + _CHUNK]), Person.lives_here.is_(True)
        )
        living.update((room_id, name) for room_id, name in session.execute(query))
    return living


def _care(session: Session, q: PersonQuery) -> Iterable[_Found]:
    if not q.name:
        return
    needs = list(
        session.scalars(
            select(CareNeed).where(CareNeed.person_name == q.name).order_by(CareNeed.id)
        )
    )
    living = _living_names(session, (c.room_id for c in needs))
    for c in needs:
        erasable, reason = _care_rule((c.room_id, c.person_name) in living)
        yield _Found(
            RecordKind.CARE,
            c.id,
            RecordKind.CARE.label,
            c.room_id,
            c.person_name,
            "",
            "",
            f"上次探访 {_day(c.last_visit_on)}" if c.last_visit_on else "",
            erasable,
            reason,
        )


def _renovations(session: Session, q: PersonQuery) -> Iterable[_Found]:
    for kind, name, phone in (
        (RecordKind.APPLICANT, Renovation.applicant, Renovation.applicant_phone),
        (RecordKind.CONTRACTOR, Renovation.contractor_person, Renovation.contractor_phone),
    ):
        where = _matching(q, name, phone == q.phone if q.phone else None, None)
        for r in session.scalars(select(Renovation).where(where).order_by(Renovation.id)):
            applicant = kind == RecordKind.APPLICANT
            yield _Found(
                kind,
                r.id,
                kind.label,
                r.room_id,
                r.applicant if applicant else r.contractor_person,
                r.applicant_phone if applicant else r.contractor_phone,
                "",
                f"{r.number} {_day(r.starts_on)} 至 {_day(r.ends_on)}",
                False,
                _RENOVATION_KEPT,
            )


def _money(session: Session, q: PersonQuery) -> Iterable[_Found]:
    if not q.name:
        return
    for p in session.scalars(select(Payment).where(Payment.payer == q.name).order_by(Payment.id)):
        yield _Found(
            RecordKind.PAYMENT,
            p.id,
            RecordKind.PAYMENT.label,
            p.room_id,
            p.payer,
            "",
            "",
            f"{_day(p.day)} {format_yuan(p.total_fen)} 元",
            False,
            _MONEY_KEPT,
        )
    for r in session.scalars(select(Refund).where(Refund.payee == q.name).order_by(Refund.id)):
        yield _Found(
            RecordKind.REFUND,
            r.id,
            RecordKind.REFUND.label,
            r.room_id,
            r.payee,
            "",
            "",
            f"{_day(r.day)} {format_yuan(r.amount_fen)} 元",
            False,
            _MONEY_KEPT,
        )


def _everything(session: Session, q: PersonQuery, now: datetime) -> list[_Found]:
    today = now.astimezone().date()
    return [
        *_people(session, q, today),
        *_visits(session, q),
        *_bookings(session, q, now),
        *_watch(session, q, today),
        *_workers(session, q),
        *_care(session, q),
        *_renovations(session, q),
        *_money(session, q),
    ]


def _refs(session: Session, q: PersonQuery, found: Sequence[_Found]) -> list[PersonRecordRef]:
    places = room_places(session, (f.room_id for f in found if f.room_id is not None))
    refs = []
    for f in found:
        judged = _judge(q, f.name, f.phone, f.number)
        if judged is None:
            continue
        candidate, matched = judged
        code = places.get(f.room_id, ("", ""))[0] if f.room_id is not None else ""
        refs.append(
            PersonRecordRef(
                f.kind,
                f.record_id,
                f.label,
                f.room_id,
                code,
                f.name,
                mask_phone(f.phone),
                f.dates,
                matched,
                candidate,
                f.erasable,
                f.reason,
            )
        )
    return refs


def find_person(
    db: Database,
    actor: Actor,
    *,
    name: str = "",
    phone: str = "",
    id_number: str = "",
    now: datetime | None = None,
) -> list[PersonRecordRef]:
    """Every record that holds this person: certain matches first, then candidates."""
    require(actor, Permission.MANAGE_PERSONAL_DATA)
    query = make_query(name, phone, id_number)
    now = now or utcnow()
    with db.read() as session:
        refs = _refs(session, query, _everything(session, query, now))
    return sorted(refs, key=lambda r: r.candidate)


# the copy (查阅复制) -----------------------------------------------------------------


def _yesno(value: bool) -> str:
    return "是" if value else "否"


def _id_type(value: str) -> str:
    return IdType(value).label if value else ""


_HEADS: dict[RecordKind, tuple[tuple[str, ...], tuple[int, ...]]] = {
    RecordKind.PERSON: (
        (
            *("房屋", "身份", "与户关系", "姓名", "性别", "证件类型", "证件号码", "电话"),
            *("产权份额", "租期开始", "租期结束", "在此居住", "备注"),
        ),
        (12, 10, 10, 10, 6, 16, 22, 16, 10, 12, 12, 10, 30),
    ),
    RecordKind.VISIT: (
        (
            *("访客单号", "到访房屋", "姓名", "电话", "证件类型", "证件号码", "车牌", "人数"),
            *("事由", "到访时间", "离开时间", "登记人", "备注"),
        ),
        (16, 12, 10, 16, 16, 22, 12, 6, 12, 18, 18, 10, 30),
    ),
    RecordKind.BOOKING: (
        ("预约码", "房屋", "姓名", "电话", "人数", "事由", "预约日期", "时段", "预约人", "备注"),
        (10, 12, 10, 16, 6, 12, 12, 14, 10, 30),
    ),
    RecordKind.WATCH: (
        ("姓名", "电话", "证件号码", "车牌", "原因", "有效期至", "登记时间", "撤销时间"),
        (10, 16, 22, 12, 30, 12, 18, 18),
    ),
    RecordKind.WORKER: (
        ("出入证号", "房屋", "装修编号", "姓名", "电话", "工种", "证件号码", "挂失", "交回"),
        (18, 12, 14, 10, 16, 10, 22, 12, 12),
    ),
    RecordKind.CARE: (
        ("房屋", "姓名", "类别", "说明", "探访周期（天）", "上次探访"),
        (12, 10, 12, 40, 14, 12),
    ),
    RecordKind.APPLICANT: (
        ("装修编号", "房屋", "身份", "姓名", "电话", "施工单位", "开工", "完工", "状态"),
        (14, 12, 14, 10, 16, 24, 12, 12, 12),
    ),
    RecordKind.PAYMENT: (
        ("房屋", "收款时间", "付款人", "金额（元）", "收款员", "备注"),
        (12, 18, 12, 12, 10, 30),
    ),
    RecordKind.REFUND: (
        ("房屋", "退款时间", "收款人", "金额（元）", "原因", "经办人"),
        (12, 18, 12, 12, 30, 10),
    ),
}
_SHEET_OF = {kind: kind for kind in RecordKind} | {RecordKind.CONTRACTOR: RecordKind.APPLICANT}
_SHEET_TITLES = KIND_LABELS | {RecordKind.APPLICANT: "装修申请与施工"}


def _time(at: datetime | None) -> str:
    return local_time(at, seconds=False)


def _full_row(session: Session, kind: RecordKind, record_id: int, code: str) -> list[object]:
    """Every personal value of one record, whole."""
    model: Any = {
        RecordKind.PERSON: Person,
        RecordKind.VISIT: Visit,
        RecordKind.BOOKING: VisitBooking,
        RecordKind.WATCH: WatchEntry,
        RecordKind.WORKER: RenovationWorker,
        RecordKind.CARE: CareNeed,
        RecordKind.APPLICANT: Renovation,
        RecordKind.CONTRACTOR: Renovation,
        RecordKind.PAYMENT: Payment,
        RecordKind.REFUND: Refund,
    }[kind]
    r = session.get(model, record_id)
    if r is None:
        raise NotFound("有记录已被删除或修改，请重新查找后再导出。")
    if getattr(r, "id_number", "") == LOCKED_TEXT:
        raise KeyUnavailable()
    if kind == RecordKind.PERSON:
        relation = Relation(r.relation).label if r.relation else ""
        return [
            code,
            PersonKind(r.kind).label,
            relation,
            r.name,
            r.gender,
            _id_type(r.id_type),
            r.id_number,
            r.phone,
            r.share,
            _day(r.lease_start),
            _day(r.lease_end),
            _yesno(r.lives_here),
            r.note,
        ]
    if kind == RecordKind.VISIT:
        return [
            r.number,
            code,
            r.visitor_name,
            r.visitor_phone,
            _id_type(r.id_type),
            r.id_number,
            r.plate,
            r.party_size,
            Purpose(r.purpose).label,
            _time(r.arrived_at),
            _time(r.left_at),
            r.registered_by,
            r.note,
        ]
    if kind == RecordKind.BOOKING:
        window = f"{r.window_start:%H:%M}–{r.window_end:%H:%M}"
        return [
            r.code,
            code,
            r.visitor_name,
            r.visitor_phone,
            r.party_size,
            Purpose(r.purpose).label,
            _day(r.expected_on),
            window,
            r.booked_by,
            r.note,
        ]
    if kind == RecordKind.WATCH:
        return [
            r.name,
            r.phone,
            r.id_number,
            r.plate,
            r.reason,
            _day(r.expires_on),
            _time(r.added_at),
            _time(r.removed_at),
        ]
    if kind == RecordKind.WORKER:
        renovation = session.get(Renovation, r.renovation_id)
        number = renovation.number if renovation else ""
        return [
            r.pass_no,
            code,
            number,
            r.name,
            r.phone,
            r.trade,
            r.id_number,
            _day(r.lost_on),
            _day(r.returned_on),
        ]
    if kind == RecordKind.CARE:
        return [
            code,
            r.person_name,
            CareCategory(r.category).label,
            r.note,
            r.visit_every_days,
            _day(r.last_visit_on),
        ]
    if kind in (RecordKind.APPLICANT, RecordKind.CONTRACTOR):
        applicant = kind == RecordKind.APPLICANT
        return [
            r.number,
            code,
            "申请人（租户）" if applicant and r.applicant_is_tenant else kind.label,
            r.applicant if applicant else r.contractor_person,
            r.applicant_phone if applicant else r.contractor_phone,
            r.contractor,
            _day(r.starts_on),
            _day(r.ends_on),
            Status(r.status).label,
        ]
    if kind == RecordKind.PAYMENT:
        return [code, _time(r.posted_at), r.payer, format_yuan(r.total_fen), r.cashier_name, r.note]
    return [
        code,
        _time(r.refunded_at),
        r.payee,
        format_yuan(r.amount_fen),
        r.reason,
        r.cashier_name,
    ]


Sheet = tuple[str, Sequence[str], Sequence[Sequence[object]], Sequence[int]]


def _write_book(path: Path, sheets: Sequence[Sheet]) -> None:
    """Several sheets in the style of services.xlsx.write_table (bold, frozen header)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, head, rows, widths in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(head))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for column, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
    try:
        book.save(path)
    except OSError as exc:
        raise EnvironmentProblem(f"无法写入 {path}：{exc.strerror or exc}") from exc


def _counts_text(refs: Iterable[PersonRecordRef]) -> str:
    counts = Counter(r.kind.label for r in refs)
    return "、".join(f"{label} {n}" for label, n in counts.items())


def export_person(
    db: Database,
    actor: Actor,
    refs: Sequence[PersonRecordRef],
    path: Path,
    *,
    query: PersonQuery | None = None,
    requester: str = "",
    now: datetime | None = None,
) -> int:
    """The person's copy (查阅复制): a cover sheet and one sheet per kind, with the
    full values. Audited with masked data; returns how many records were written."""
    require(actor, Permission.MANAGE_PERSONAL_DATA)
    if not refs:
        raise UserError("没有可导出的记录。")
    requester = clean_text(requester, "申请人", 40)
    now = now or utcnow()
    grouped: dict[RecordKind, list[list[object]]] = {}
    with db.read() as session:
        places = room_places(session, (r.room_id for r in refs if r.room_id is not None))
        for ref in refs:
            code = places.get(ref.room_id, ("", ""))[0] if ref.room_id is not None else ""
            row = _full_row(session, ref.kind, ref.record_id, code)
            grouped.setdefault(_SHEET_OF[ref.kind], []).append(row)
    cover: list[list[object]] = [
        ["文件", "个人信息查阅复制（《个人信息保护法》第四十五条）"],
        ["申请人", requester],
        ["查询条件", query.full() if query else ""],
        ["导出时间", local_time(now)],
        ["经办人", f"{actor.display_name}（{actor.username}）"],
        ["记录数", f"共 {len(refs)} 条：{_counts_text(refs)}"],
        ["说明", "本文件含完整的个人信息，仅交本人，请妥善保管。"],
    ]
    sheets: list[Sheet] = [("说明", ("项目", "内容"), cover, (12, 70))]
    for kind in RecordKind:
        if kind in grouped:
            head, widths = _HEADS[kind]
            sheets.append((_SHEET_TITLES[kind], head, grouped[kind], widths))
    _write_book(path, sheets)
    with db.write(actor) as session:
        who = f"，申请人 {mask_name(requester)}" if requester else ""
        criteria = f"（{query.masked()}）" if query else ""
        write_entry(
            session.connection(),
            actor,
            "export",
            "personal_data",
            "",
            f"个人信息查阅复制{criteria}：导出 {len(refs)} 条记录（{_counts_text(refs)}）{who}",
            {"records": _ids_by_kind(refs)},
            at=now,
        )
    return len(refs)


def _ids_by_kind(refs: Iterable[PersonRecordRef]) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for r in refs:
        ids.setdefault(r.kind.value, []).append(r.record_id)
    return ids


# erasure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureReport:
    erased: tuple[PersonRecordRef, ...]
    kept: tuple[PersonRecordRef, ...]  # each with the reason it stays
    documents: int  # stored visitor passes and roll calls erased (their entries stay)
    complete: bool = True  # False: the log still holds old pages; the next purge retries
    standing: tuple[str, ...] = field(default=STANDING_KEPT)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(r.kind.label for r in self.erased))


def _recheck(session: Session, ref: PersonRecordRef, now: datetime) -> tuple[bool, str]:
    """The rule for the record as it is now, inside the erasing transaction."""
    today = now.astimezone().date()
    kind = ref.kind
    if kind in (RecordKind.APPLICANT, RecordKind.CONTRACTOR):
        return False, _RENOVATION_KEPT
    if kind in (RecordKind.PAYMENT, RecordKind.REFUND):
        return False, _MONEY_KEPT
    missing = NotFound(f"{ref.label}「{ref.name}」已不存在，请重新查找。")
    if kind == RecordKind.PERSON:
        person = session.get(Person, ref.record_id)
        if person is None:
            raise missing
        return _person_rule(person, today)
    if kind == RecordKind.VISIT:
        visit = session.get(Visit, ref.record_id)
        if visit is None or visit.purged_at is not None:
            raise missing
        return _visit_rule(visit)
    if kind == RecordKind.BOOKING:
        booking = session.get(VisitBooking, ref.record_id)
        if booking is None or booking.purged_at is not None:
            raise missing
        return _booking_rule(booking, bool(_arrived(session, [booking.id])), now)
    if kind == RecordKind.WATCH:
        entry = session.get(WatchEntry, ref.record_id)
        if entry is None:
            raise missing
        return _watch_rule(entry, today)
    if kind == RecordKind.WORKER:
        worker = session.get(RenovationWorker, ref.record_id)
        renovation = session.get(Renovation, worker.renovation_id) if worker else None
        if worker is None or renovation is None:
            raise missing
        return _worker_rule(renovation.status)
    need = session.get(CareNeed, ref.record_id)
    if need is None:
        raise missing
    return _care_rule((need.room_id, need.person_name) in _living_names(session, [need.room_id]))


def _by_kind(refs: Iterable[PersonRecordRef], kind: RecordKind) -> list[int]:
    return [r.record_id for r in refs if r.kind == kind]


def _erase_rows(session: Session, erased: Sequence[PersonRecordRef], now: datetime) -> None:
    def chunks(ids: list[int]) -> Iterable[list[int]]:
        for start in range(0, len(ids), _CHUNK):
            yield ids[start : start + _CHUNK]

    def run(statement: Any) -> None:
        session.execute(statement.execution_options(synchronize_session=False))

    for ids in chunks(_by_kind(erased, RecordKind.PERSON)):
        run(
            update(Person)
            .where(Person.id.in_(ids))
            .values(
                name=ERASED_NAME,
                name_pinyin="",
                name_initials="",
                gender="",
                id_type="",
                id_number="",
                phone="",
                phone_reversed="",
                share="",
                lives_here=False,
                note="",
            )
        )
    blank = {"visitor_name": "", "visitor_phone": "", "note": ""}
    for ids in chunks(_by_kind(erased, RecordKind.VISIT)):
        run(
            update(Visit)
            .where(Visit.id.in_(ids))
            .values(**blank, plate="", id_type="", id_number="", purged_at=now)
        )
    for ids in chunks(_by_kind(erased, RecordKind.BOOKING)):
        run(update(VisitBooking).where(VisitBooking.id.in_(ids)).values(**blank, purged_at=now))
    for ids in chunks(_by_kind(erased, RecordKind.WATCH)):
        run(
            update(WatchEntry)
            .where(WatchEntry.id.in_(ids))
            .values(name="", phone="", plate="", id_number="")
        )
    for ids in chunks(_by_kind(erased, RecordKind.WORKER)):
        run(
            update(RenovationWorker)
            .where(RenovationWorker.id.in_(ids))
            .values(name=ERASED_NAME, phone="", id_number="")
        )
    for ids in chunks(_by_kind(erased, RecordKind.CARE)):
        run(delete(CareNeed).where(CareNeed.id.in_(ids)))
    # Index pages keep stale copies of changed entries in their free gaps; fresh
    # indexes (the old pages zeroed as they are freed) carry only erased values.
    for kind, table in (
        (RecordKind.PERSON, "person"),
        (RecordKind.VISIT, "visit"),
        (RecordKind.BOOKING, "visit_booking"),
        (RecordKind.WORKER, "renovation_worker"),
    ):
        if _by_kind(erased, kind):
            session.execute(text(f"REINDEX {table}"))


def _erase_papers(
    session: Session, visit_ids: Sequence[int], now: datetime
) -> tuple[int, set[str]]:
    """The stored 访客单 of these visits, and the roll calls printed while they were in:
    marked purged in the register (the entries stay); returns how many, and the
    hashes no entry needs any more (unlinked once committed)."""
    if not visit_ids:
        return 0, set()
    wheres: list[ColumnElement[bool]] = []
    for start in range(0, len(visit_ids), _CHUNK):
        stays = session.execute(
            select(Visit.number, Visit.arrived_at, Visit.left_at).where(
                Visit.id.in_(visit_ids[start : start + _CHUNK])
            )
        )
        for number, arrived, left in stays:
            wheres.append(
                (IssuedDocument.kind == DocKind.VISITOR_PASS.value)
                & (IssuedDocument.reference == number)
            )
            wheres.append(
                (IssuedDocument.kind == DocKind.ROLL_CALL.value)
                & (IssuedDocument.issued_at >= arrived)
                & (IssuedDocument.issued_at <= (left or now))
            )
    documents: list[IssuedDocument] = []
    for start in range(0, len(wheres), 200):
        documents.extend(
            session.scalars(
                select(IssuedDocument).where(
                    or_(*wheres[start : start + 200]), IssuedDocument.purged_at.is_(None)
                )
            )
        )
    unique = {d.id: d for d in documents}
    if not unique:
        return 0, set()
    ids = list(unique)
    hashes = {d.sha256 for d in unique.values()}
    for start in range(0, len(ids), _CHUNK):
        session.execute(
            update(IssuedDocument)
            .where(IssuedDocument.id.in_(ids[start : start + _CHUNK]))
            .values(purged_at=now)
            .execution_options(synchronize_session=False)
        )
    kept = set(
        session.scalars(
            select(IssuedDocument.sha256).where(
                IssuedDocument.sha256.in_(hashes), IssuedDocument.purged_at.is_(None)
            )
        )
    )
    return len(ids), hashes - kept


def _record_erasure(
    session: Session,
    actor: Actor,
    reason: str,
    query: PersonQuery | None,
    erased: Sequence[PersonRecordRef],
    kept: Sequence[PersonRecordRef],
    documents: int,
    now: datetime,
) -> None:
    connection = session.connection()
    names = sorted({mask_name(r.name) for r in erased if r.name})
    who = f"（{query.masked()}）" if query else f"（{'、'.join(names)}）"
    papers = f"，{documents} 份访客单、点名表存档" if documents else ""
    kept_text = f"；保留 {len(kept)} 条（{_counts_text(kept)}）" if kept else ""
    write_entry(
        connection,
        actor,
        "delete",
        "personal_data",
        "",
        f"个人信息删除{who}：{len(erased)} 条记录（{_counts_text(erased)}）{papers}"
        f"{kept_text}。原因：{reason}",
        {"erased": _ids_by_kind(erased), "kept": _ids_by_kind(kept), "reason": reason},
        at=now,
    )
    # Each household file shows what was erased from it, under the room.
    by_room: dict[int, list[PersonRecordRef]] = {}
    for r in erased:
        if r.room_id is not None:
            by_room.setdefault(r.room_id, []).append(r)
    for room_id, refs in by_room.items():
        write_entry(
            connection,
            actor,
            "delete",
            "personal_data",
            str(room_id),
            f"个人信息删除：本户 {len(refs)} 条记录（{_counts_text(refs)}）。原因：{reason}",
            {"erased": _ids_by_kind(refs)},
            at=now,
            room_id=room_id,
        )


def erase_person(
    db: Database,
    actor: Actor,
    refs: Sequence[PersonRecordRef],
    reason: str,
    *,
    query: PersonQuery | None = None,
    now: datetime | None = None,
) -> ErasureReport:
    """Erase or anonymise, in one transaction, every given record the office may erase;
    the others are kept and listed with their reason. A record that could be erased
    when it was found but no longer can (the tenant moved back in, the visitor is
    inside again) refuses the whole erasure: nothing is saved."""
    require(actor, Permission.MANAGE_PERSONAL_DATA)
    reason = clean_text(reason, "删除原因", 200, required=True)
    if not refs:
        raise UserError("没有选择要删除的记录。")
    now = now or utcnow()
    unique = list({r.key: r for r in refs}.values())
    with db.write(actor) as session:
        erased: list[PersonRecordRef] = []
        kept: list[PersonRecordRef] = []
        for ref in unique:
            erasable, why = _recheck(session, ref, now)
            if ref.erasable and not erasable:
                raise UserError(
                    f"{ref.label}「{ref.name}」{ref.room_code}：{why}。"
                    "情况已有变化，未删除任何记录，请重新查找。"
                )
            if erasable:
                erased.append(ref)
            else:
                kept.append(replace(ref, erasable=False, reason=why))
        if not erased:
            reasons = "；".join(f"{r.label}「{r.name}」{r.room_code}：{r.reason}" for r in kept)
            raise UserError(f"没有可以删除的记录。{reasons}")
        _erase_rows(session, erased, now)
        documents, unneeded = _erase_papers(session, _by_kind(erased, RecordKind.VISIT), now)
        _record_erasure(session, actor, reason, query, erased, kept, documents, now)
    issued_documents.unlink_stored(db, unneeded)
    complete = _fold_log(db)
    if not complete:
        _mark_pending(db, actor, True)
    return ErasureReport(tuple(erased), tuple(kept), documents, complete)
