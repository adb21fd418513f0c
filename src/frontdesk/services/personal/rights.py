"""People's rights over their personal data (《个人信息保护法》第四十四条至第四十七条).

For one person: find every record the office holds about them — as a household's
owner, resident, tenant or emergency contact, a visitor, a booking, a watchlist
entry, a renovation's worker, applicant or site manager, a care record, the payer of
a payment or the payee of a refund, the caller of a work order (工单) — each with
whether the office may erase it and why (services.personal_rules). Handing them a
copy is services.personal_export; erasing what may be erased is services.personal_erase.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import (
    CareNeed,
    Certificate,
    GoodsPass,
    ItemLoan,
    KeyLending,
    LostItem,
    Parcel,
    Payment,
    Person,
    Refund,
    Renovation,
    RenovationWorker,
    Survey,
    SurveyHousehold,
    Visit,
    VisitBooking,
    WatchEntry,
    WorkOrder,
)
from frontdesk.db.protection import number_is, phone_is
from frontdesk.domain.clock import local_time
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.money import format_yuan
from frontdesk.domain.names import mask_name
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.personal.rules import (
    CERTIFICATE_KEPT,
    MONEY_KEPT,
    RENOVATION_KEPT,
    SURVEY_KEPT,
    arrived_bookings,
    booking_rule,
    caller_rule,
    care_rule,
    claimant_rule,
    finder_rule,
    goods_pass_rule,
    item_loan_rule,
    key_lending_rule,
    living_names,
    parcel_rule,
    person_rule,
    visit_rule,
    watch_rule,
    worker_rule,
)


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
    CALLER = "caller"  # who called about a work order (工单)
    SURVEY = "survey"  # a satisfaction survey's answer of the person's household
    GOODS_PASS = "goods_pass"  # the applicant of a goods pass (物品放行条)
    FINDER = "finder"  # who handed in a lost item (失物招领)
    CLAIMANT = "claimant"  # who claimed a lost item
    PARCEL = "parcel"  # a parcel taken in for them, or collected by them (快递代收)
    KEY_LENDING = "key_lending"  # who borrowed a held key (钥匙托管)
    ITEM_LOAN = "item_loan"  # who borrowed things the office lends (物品借用)
    CERTIFICATE = "certificate"  # a certificate issued naming the person (证明开具)

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
    RecordKind.REFUND: "退款记录（领款人）",
    RecordKind.CALLER: "工单联系人",
    RecordKind.SURVEY: "满意度调查答卷",
    RecordKind.GOODS_PASS: "物品放行条申请人",
    RecordKind.FINDER: "失物拾获人",
    RecordKind.CLAIMANT: "失物认领人",
    RecordKind.PARCEL: "快递代收",
    RecordKind.KEY_LENDING: "钥匙借用",
    RecordKind.ITEM_LOAN: "物品借用",
    RecordKind.CERTIFICATE: "开具的证明",
}


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
    name = clean_name(name, "姓名", 40)
    phone = phone_key(phone, "电话") if phone.strip() else ""
    number = re.sub(r"\s", "", id_number).upper()
    if len(number) > 40:
        raise ValidationError("证件号码", "不能超过 40 个字符")
    if not (name or phone or number):
        raise ValidationError("姓名", "姓名、电话、证件号码至少填写一项")
    return PersonQuery(name, phone, number)


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


def day_text(value: date | None) -> str:
    """2024-05-01, or "" for no date."""
    return f"{value:%Y-%m-%d}" if value else ""


def counts_text(refs: Iterable[PersonRecordRef]) -> str:
    """访客登记 2、租户 1: how many records of each kind."""
    counts = Counter(r.kind.label for r in refs)
    return "、".join(f"{label} {n}" for label, n in counts.items())


def ids_by_kind(refs: Iterable[PersonRecordRef]) -> dict[str, list[int]]:
    """The record ids under their kind, as the audit log keeps them."""
    ids: dict[str, list[int]] = {}
    for r in refs:
        ids.setdefault(r.kind.value, []).append(r.record_id)
    return ids


def write_audit(
    session: Session,
    actor: Actor,
    action: str,
    summary: str,
    changes: dict[str, Any],
    now: datetime,
    room_id: int | None = None,
) -> None:
    """One audit entry on personal data: the office's, or a room's when room_id is given."""
    entity_id = "" if room_id is None else str(room_id)
    entity = "personal_data"
    connection = session.connection()
    write_entry(connection, actor, action, entity, entity_id, summary, changes, now, room_id)


# finding ---------------------------------------------------------------------------


def _people(session: Session, q: PersonQuery, today: date) -> Iterable[_Found]:
    phone = phone_is(Person.phone, q.phone) if q.phone else None
    where = _matching(q, Person.name, phone, Person.id_number)
    for p in session.scalars(select(Person).where(where).order_by(Person.id)):
        erasable, reason = person_rule(p, today)
        start = f" {day_text(p.lease_start)} " if p.lease_start else ""
        lease = f"租期{start}至 {day_text(p.lease_end)}" if p.lease_end else ""
        if p.left_on is not None:
            lease = f"{day_text(p.left_on)} 已迁出（{p.left_reason}）"
        yield _Found(
            RecordKind.PERSON,
            p.id,
            p.kind.label,
            p.room_id,
            p.name,
            p.phone,
            p.id_number,
            lease or ("在此居住" if p.lives_here else "不在此居住"),
            erasable,
            reason,
        )


def _visits(session: Session, q: PersonQuery) -> Iterable[_Found]:
    phone = phone_is(Visit.visitor_phone, q.phone) if q.phone else None
    where = _matching(q, Visit.visitor_name, phone, Visit.id_number) & Visit.purged_at.is_(None)
    for v in session.scalars(select(Visit).where(where).order_by(Visit.arrived_at)):
        erasable, reason = visit_rule(v)
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


def _goods_passes(session: Session, q: PersonQuery, now: datetime) -> Iterable[_Found]:
    phone = phone_is(GoodsPass.applicant_phone, q.phone) if q.phone else None
    where = _matching(q, GoodsPass.applicant_name, phone, None) & GoodsPass.purged_at.is_(None)
    for p in session.scalars(select(GoodsPass).where(where).order_by(GoodsPass.issued_at)):
        erasable, reason = goods_pass_rule(p, now)
        yield _Found(
            RecordKind.GOODS_PASS,
            p.id,
            f"{RecordKind.GOODS_PASS.label} {p.number}",
            p.room_id,
            p.applicant_name,
            p.applicant_phone,
            "",
            local_time(p.issued_at, seconds=False),
            erasable,
            reason,
        )


def _parcels(session: Session, q: PersonQuery) -> Iterable[_Found]:
    """Parcels for the person (by the name on them, or the household member they were
    taken in for) or collected by them for someone else."""
    phone = phone_is(Person.phone, q.phone) if q.phone else None
    people = select(Person.id).where(_matching(q, None, phone, Person.id_number))
    named = (Parcel.recipient == q.name) | (Parcel.collector == q.name) if q.name else false()
    query = (
        select(Parcel, Person.phone, Person.id_number)
        .outerjoin(Person, Parcel.person_id == Person.id)
        .where((named | Parcel.person_id.in_(people)) & Parcel.purged_at.is_(None))
        .order_by(Parcel.received_at)
    )
    for parcel, phone_held, number in session.execute(query):
        erasable, reason = parcel_rule(parcel)
        collected = parcel.by_proxy and q.name and parcel.collector == q.name
        yield _Found(
            RecordKind.PARCEL,
            parcel.id,
            f"{RecordKind.PARCEL.label} {parcel.number}" + ("（代取人）" if collected else ""),
            parcel.room_id,
            parcel.collector if collected else parcel.recipient,
            "" if collected else phone_held or "",
            "" if collected else number or "",
            local_time(parcel.received_at, seconds=False),
            erasable,
            reason,
        )


def _borrowers(
    session: Session, q: PersonQuery, kind: RecordKind, model: Any, rule: Any
) -> Iterable[_Found]:
    """Borrowers at the counter (a held key, things lent): KeyLending and ItemLoan alike."""
    phone = phone_is(model.borrower_phone, q.phone) if q.phone else None
    where = _matching(q, model.borrower, phone, None) & model.purged_at.is_(None)
    for x in session.scalars(select(model).where(where).order_by(model.out_at)):
        erasable, reason = rule(x)
        at = local_time(x.out_at, seconds=False)
        yield _Found(
            kind,
            x.id,
            kind.label,
            x.room_id,
            x.borrower,
            x.borrower_phone,
            "",
            at,
            erasable,
            reason,
        )


def _lost_items(session: Session, q: PersonQuery) -> Iterable[_Found]:
    for kind, name, phone_column, number, rule in (
        (RecordKind.FINDER, LostItem.finder_name, LostItem.finder_phone, None, finder_rule),
        (
            RecordKind.CLAIMANT,
            LostItem.claimant_name,
            LostItem.claimant_phone,
            LostItem.claimant_id_number,
            claimant_rule,
        ),
    ):
        phone = phone_is(phone_column, q.phone) if q.phone else None
        where = _matching(q, name, phone, number) & LostItem.purged_at.is_(None)
        for item in session.scalars(select(LostItem).where(where).order_by(LostItem.found_at)):
            erasable, reason = rule(item)
            claimant = kind == RecordKind.CLAIMANT
            yield _Found(
                kind,
                item.id,
                f"{kind.label} {item.number}",
                None,
                item.claimant_name if claimant else item.finder_name,
                item.claimant_phone if claimant else item.finder_phone,
                item.claimant_id_number if claimant else "",
                local_time(item.claimed_at if claimant else item.found_at, seconds=False),
                erasable,
                reason,
            )


def _callers(session: Session, q: PersonQuery) -> Iterable[_Found]:
    phone = phone_is(WorkOrder.caller_phone, q.phone) if q.phone else None
    where = _matching(q, WorkOrder.caller_name, phone, None)
    for o in session.scalars(select(WorkOrder).where(where).order_by(WorkOrder.taken_at)):
        erasable, reason = caller_rule(o)
        yield _Found(
            RecordKind.CALLER,
            o.id,
            f"{RecordKind.CALLER.label} {o.number}",
            o.room_id,
            o.caller_name,
            o.caller_phone,
            "",
            local_time(o.taken_at, seconds=False),
            erasable,
            reason,
        )


def _bookings(session: Session, q: PersonQuery, now: datetime) -> Iterable[_Found]:
    phone = phone_is(VisitBooking.visitor_phone, q.phone) if q.phone else None
    where = _matching(q, VisitBooking.visitor_name, phone, None) & VisitBooking.purged_at.is_(None)
    bookings = list(session.scalars(select(VisitBooking).where(where).order_by(VisitBooking.id)))
    arrived = arrived_bookings(session, [b.id for b in bookings])
    for b in bookings:
        erasable, reason = booking_rule(b, b.id in arrived, now)
        yield _Found(
            RecordKind.BOOKING,
            b.id,
            RecordKind.BOOKING.label,
            b.room_id,
            b.visitor_name,
            b.visitor_phone,
            "",
            day_text(b.expected_on),
            erasable,
            reason,
        )


def _watch(session: Session, q: PersonQuery, today: date) -> Iterable[_Found]:
    phone = phone_is(WatchEntry.phone, q.phone) if q.phone else None
    where = _matching(q, WatchEntry.name, phone, WatchEntry.id_number)
    for e in session.scalars(select(WatchEntry).where(where).order_by(WatchEntry.id)):
        erasable, reason = watch_rule(e, today)
        yield _Found(
            RecordKind.WATCH,
            e.id,
            RecordKind.WATCH.label,
            None,
            e.name,
            e.phone,
            e.id_number,
            f"有效至 {day_text(e.expires_on)}" + ("（已撤销）" if e.removed_at else ""),
            erasable,
            reason,
        )


def _workers(session: Session, q: PersonQuery) -> Iterable[_Found]:
    phone = phone_is(RenovationWorker.phone, q.phone) if q.phone else None
    where = _matching(q, RenovationWorker.name, phone, RenovationWorker.id_number)
    query = (
        select(RenovationWorker, Renovation)
        .join(Renovation, RenovationWorker.renovation_id == Renovation.id)
        .where(where)
        .order_by(RenovationWorker.id)
    )
    for w, r in session.execute(query):
        erasable, reason = worker_rule(r.status)
        yield _Found(
            RecordKind.WORKER,
            w.id,
            RecordKind.WORKER.label,
            w.room_id,
            w.name,
            w.phone,
            w.id_number,
            f"{r.number} {day_text(r.starts_on)} 至 {day_text(r.ends_on)}",
            erasable,
            reason,
        )


def _care(session: Session, q: PersonQuery) -> Iterable[_Found]:
    if not q.name:
        return
    needs = list(
        session.scalars(
            select(CareNeed).where(CareNeed.person_name == q.name).order_by(CareNeed.id)
        )
    )
    living = living_names(session, (c.room_id for c in needs))
    for c in needs:
        erasable, reason = care_rule((c.room_id, c.person_name) in living)
        yield _Found(
            RecordKind.CARE,
            c.id,
            RecordKind.CARE.label,
            c.room_id,
            c.person_name,
            "",
            "",
            f"上次探访 {day_text(c.last_visit_on)}" if c.last_visit_on else "",
            erasable,
            reason,
        )


def _renovations(session: Session, q: PersonQuery) -> Iterable[_Found]:
    for kind, name, phone in (
        (RecordKind.APPLICANT, Renovation.applicant, Renovation.applicant_phone),
        (RecordKind.CONTRACTOR, Renovation.contractor_person, Renovation.contractor_phone),
    ):
        where = _matching(q, name, phone_is(phone, q.phone) if q.phone else None, None)
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
                f"{r.number} {day_text(r.starts_on)} 至 {day_text(r.ends_on)}",
                False,
                RENOVATION_KEPT,
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
            f"{day_text(p.day)} {format_yuan(p.total_fen)} 元",
            False,
            MONEY_KEPT,
        )
    named = or_(Refund.payee == q.name, Refund.payee_account_name == q.name)
    for r in session.scalars(select(Refund).where(named).order_by(Refund.id)):
        yield _Found(
            RecordKind.REFUND,
            r.id,
            RecordKind.REFUND.label,
            r.room_id,
            r.payee if r.payee == q.name else r.payee_account_name,
            "",
            "",
            f"{day_text(r.day)} {format_yuan(r.amount_fen)} 元",
            False,
            MONEY_KEPT,
        )


def _certificates(session: Session, q: PersonQuery) -> Iterable[_Found]:
    """Certificates naming the person: their holder lists the names printed."""
    if not q.name:
        return
    named = Certificate.holder.contains(q.name, autoescape=True)
    for c in session.scalars(select(Certificate).where(named).order_by(Certificate.id)):
        if q.name not in c.holder.split("、"):
            continue
        yield _Found(
            RecordKind.CERTIFICATE,
            c.id,
            f"{RecordKind.CERTIFICATE.label}（{c.kind.label}）",
            c.room_id,
            q.name,
            "",
            "",
            f"{c.number} {local_time(c.issued_at, seconds=False)}",
            False,
            CERTIFICATE_KEPT,
        )


def _survey_answers(session: Session, people: Sequence[_Found]) -> Iterable[_Found]:
    """The survey answers of the households the person belongs to. An answer names no
    one: it is found through the room, and carries the person's name, phone and number
    so that it matches (or is a candidate) exactly as the person's record does."""
    seen: set[int] = set()
    for person in people:
        if person.room_id is None:
            continue
        found = session.execute(
            select(SurveyHousehold, Survey)
            .join(Survey, SurveyHousehold.survey_id == Survey.id)
            .where(
                SurveyHousehold.room_id == person.room_id, SurveyHousehold.answered_at.is_not(None)
            )
            .order_by(SurveyHousehold.answered_at)
        )
        for entry, survey in found:
            if entry.id in seen:
                continue
            seen.add(entry.id)
            yield _Found(
                RecordKind.SURVEY,
                entry.id,
                RecordKind.SURVEY.label,
                entry.room_id,
                person.name,
                person.phone,
                person.number,
                f"{survey.name} {local_time(entry.answered_at, seconds=False)}",
                False,
                SURVEY_KEPT,
            )


def _everything(session: Session, q: PersonQuery, now: datetime) -> list[_Found]:
    today = now.astimezone().date()
    people = list(_people(session, q, today))
    return [
        *people,
        *_survey_answers(session, people),
        *_visits(session, q),
        *_bookings(session, q, now),
        *_watch(session, q, today),
        *_workers(session, q),
        *_care(session, q),
        *_renovations(session, q),
        *_money(session, q),
        *_callers(session, q),
        *_goods_passes(session, q, now),
        *_lost_items(session, q),
        *_parcels(session, q),
        *_borrowers(session, q, RecordKind.KEY_LENDING, KeyLending, key_lending_rule),
        *_borrowers(session, q, RecordKind.ITEM_LOAN, ItemLoan, item_loan_rule),
        *_certificates(session, q),
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
