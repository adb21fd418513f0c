"""Issuing a certificate: what it may say about a room, decided from the records in
the same transaction that numbers it, keeps its PDF and registers it.

The paper is drawn by the caller (`render`, from printouts/), inside that write: a
one-page certificate takes milliseconds, and the number, the code and the check of the
room's account are then one act — a bill posted a moment later at the cashier cannot
slip between the check and the paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Certificate, HouseholdProfile, Person
from frontdesk.db.turns import in_turn
from frontdesk.db.who import stamp
from frontdesk.domain import clock
from frontdesk.domain.area import format_m2
from frontdesk.domain.certificates import (
    CertificateKind,
    OwedLine,
    Resident,
    certificate_number,
    chinese_date,
    day_prefix,
    new_code,
    owed_message,
    paid_up_text,
    residence_after,
    residence_holder,
    residence_text,
)
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.issued import Output, Printout
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import UserError, ValidationError
from frontdesk.services.certificates.deposits import deposit_draft
from frontdesk.services.fees.carried import old_system_paid_through
from frontdesk.services.fees.ledger import BillLine, bill_lines, prepaid_balance
from frontdesk.services.households.file import owner_names
from frontdesk.services.households.structure import room_places
from frontdesk.services.notices.register import record_in, staged_bytes
from frontdesk.services.scope import scoped_room

LIVING_KINDS = (PersonKind.OWNER, PersonKind.RESIDENT, PersonKind.TENANT)
_PERIODIC = (FeeMethod.AREA_MONTHLY, FeeMethod.FIXED_MONTHLY)


@dataclass(frozen=True)
class CertificateRequest:
    kind: CertificateKind
    room_id: int
    purpose: str = ""  # 办理房屋过户 / 子女入学
    person_ids: tuple[int, ...] = ()  # 居住证明: whom (none: everyone living there)
    renovation_id: int | None = None  # 押金已退证明: which (None: the last refunded)


@dataclass(frozen=True)
class CertificateDraft:
    """What the certificate will say, before it has a number."""

    kind: CertificateKind
    room_id: int
    room_code: str
    place: str  # 3栋2单元1201室
    holder: str  # for whom: 张三、李四
    paragraphs: tuple[str, ...]  # the body before the table
    residents: tuple[Resident, ...] = ()  # 居住证明's table
    after: tuple[str, ...] = ()  # the body after the table
    purpose: str = ""

    @property
    def statement(self) -> str:
        """The whole certified text, as the register keeps it."""
        rows = [
            f"{r.name}（{r.standing}，{r.id_number or '证件未登记'}，"
            f"自{chinese_date(r.since)}起居住）"
            for r in self.residents
        ]
        return "\n".join([*self.paragraphs, *rows, *self.after])


@dataclass(frozen=True)
class CertificateFacts:
    """A draft numbered and dated: everything the paper prints."""

    draft: CertificateDraft
    number: str
    code: str
    issued_at: datetime
    issued_by: str


@dataclass(frozen=True)
class IssuedCertificate:
    number: str
    code: str
    register_number: str  # FW-2026-000123
    printout: Printout = field(repr=False)


Render = Callable[[CertificateFacts], Printout]


# the check before issuing (the tab shows it as the room is chosen) ---------------------


def owed_lines(
    db: Database, actor: Actor, room_id: int, today: date | None = None
) -> tuple[OwedLine, ...]:
    """What the room still owes for months up to this one and for one-off charges:
    a 物业费结清证明 is refused while this is not empty."""
    with db.read() as session:
        scoped_room(session, actor, Permission.ISSUE_CERTIFICATES, room_id)
        return _owed(session, room_id, today or clock.today())


def _owed(session: Session, room_id: int, today: date) -> tuple[OwedLine, ...]:
    return _owed_of(bill_lines(session, room_id=room_id), today)


def _owed_of(lines: list[BillLine], today: date) -> tuple[OwedLine, ...]:
    current = str(Period.of(today))
    return tuple(
        OwedLine(line.fee_item, line.period_label, line.outstanding_fen)
        for line in lines
        if line.method != FeeMethod.DEPOSIT
        and line.outstanding_fen > 0
        and (line.period is None or line.period <= current)
    )


def draft_certificate(
    db: Database, actor: Actor, request: CertificateRequest, today: date | None = None
) -> CertificateDraft:
    """What the certificate would say now, or the reason it cannot be issued."""
    with db.read() as session:
        return _draft(session, actor, request, today or clock.today())


def _draft(
    session: Session, actor: Actor, request: CertificateRequest, today: date
) -> CertificateDraft:
    room, _building, _unit = scoped_room(
        session, actor, Permission.ISSUE_CERTIFICATES, request.room_id
    )
    code, place = room_places(session, [room.id])[room.id]
    purpose = request.purpose.strip()
    if len(purpose) > 60:
        raise ValidationError("用途", "不能超过 60 个字")
    if request.kind is CertificateKind.PAID_UP:
        holder, paragraphs = _paid_up(session, room.id, place, format_m2(room.area_m2_x100), today)
        return CertificateDraft(
            request.kind, room.id, code, place, holder, paragraphs, purpose=purpose
        )
    if request.kind is CertificateKind.RESIDENCE:
        residents = _residents(session, room.id, request.person_ids)
        return CertificateDraft(
            request.kind,
            room.id,
            code,
            place,
            residence_holder(residents),
            residence_text(place),
            residents,
            residence_after(),
            purpose,
        )
    holder, paragraphs = deposit_draft(session, room.id, place, request.renovation_id)
    return CertificateDraft(request.kind, room.id, code, place, holder, paragraphs, purpose=purpose)


def _owners(session: Session, room_id: int) -> str:
    names = owner_names(session, [room_id]).get(room_id)
    if not names:
        raise UserError("该房屋没有登记产权人，请先在住户档案中登记后再开具证明。")
    return "、".join(names)


def _paid_up(
    session: Session, room_id: int, place: str, area: str, today: date
) -> tuple[str, tuple[str, ...]]:
    lines = bill_lines(session, room_id=room_id)
    owed = _owed_of(lines, today)
    if owed:
        raise UserError(owed_message(owed))
    # Paid through the last month before the first open monthly bill: months billed
    # ahead and already paid count.
    monthly = [line for line in lines if line.method in _PERIODIC and line.period is not None]
    first_open = min(
        (m.period for m in monthly if m.outstanding_fen > 0 and m.period), default=None
    )
    paid = sorted(
        m.period
        for m in monthly
        if m.period and m.outstanding_fen == 0 and (first_open is None or m.period < first_open)
    )
    # 已缴至 of the old system (数据导入) counts when nothing of it or before is open.
    old_system = old_system_paid_through(session, room_id)
    if old_system and (first_open is None or old_system < first_open):
        paid = sorted([*paid, old_system])
    if not paid:
        raise UserError("该房屋还没有已缴的物业服务费账单，无从证明缴费情况。")
    owners = _owners(session, room_id)
    prepaid = prepaid_balance(session, room_id)
    paid_through = Period.parse(paid[-1]).label
    return owners, paid_up_text(place, owners, area, paid_through, today, prepaid)


def _residents(session: Session, room_id: int, person_ids: tuple[int, ...]) -> tuple[Resident, ...]:
    query = (
        select(Person)
        .where(
            Person.room_id == room_id,
            Person.left_on.is_(None),
            Person.lives_here.is_(True),
            Person.kind.in_([k.value for k in LIVING_KINDS]),
        )
        .order_by(Person.id)
    )
    if person_ids:
        query = query.where(Person.id.in_(person_ids))
    people = session.scalars(query).all()
    if not people:
        raise UserError("该房屋没有登记在住人员，不能开具居住证明。")
    moved_in = session.scalar(
        select(HouseholdProfile.move_in_on).where(HouseholdProfile.room_id == room_id)
    )
    residents = []
    for person in people:
        since = person.lease_start if person.kind is PersonKind.TENANT else None
        since = since or moved_in
        if since is None:
            raise ValidationError(
                "入住日期", f"住户档案没有{person.name}的入住日期，请先补登后再开具居住证明"
            )
        residents.append(
            Resident(person.name, _standing(person), mask_id_number(person.id_number), since)
        )
    return tuple(residents)


# Family members are named by their tie to the owners: 产权人子女, as schools read it.
_FAMILY = frozenset({Relation.SPOUSE, Relation.CHILD, Relation.PARENT, Relation.RELATIVE})


def _standing(person: Person) -> str:
    """产权人 / 租户, or a resident's tie to the owners as filed (产权人子女, 保姆)."""
    if person.kind is not PersonKind.RESIDENT or person.relation not in set(Relation):
        return person.kind.label
    relation = Relation(person.relation)
    return f"产权人{relation.label}" if relation in _FAMILY else relation.label


# issuing ------------------------------------------------------------------------


def _next_number(session: Session, day: date) -> str:
    in_turn(session, "certificate")
    prefix = day_prefix(day)
    last = session.scalar(
        select(func.max(Certificate.number)).where(Certificate.number.like(f"{prefix}%"))
    )
    return certificate_number(day, int(last.removeprefix(prefix)) + 1 if last else 1)


def issue_certificate(
    db: Database,
    actor: Actor,
    request: CertificateRequest,
    render: Render,
    output: Output = Output.PRINTED,
    at: datetime | None = None,
) -> IssuedCertificate:
    """Check, number, draw, keep and register the certificate in one write. `at` is
    now unless the demo backdates its history."""
    at = at or clock.now()
    day = at.astimezone().date()
    with db.write(actor) as session:
        draft = _draft(session, actor, request, day)
        facts = CertificateFacts(
            draft, _next_number(session, day), new_code(), at, actor.display_name
        )
        printout = render(facts)
        staged = staged_bytes(db, printout.pdf)
        staged.keep(session)
        document = record_in(session, actor, printout, staged.sha256, output, at=at)
        certificate = Certificate(
            room_id=draft.room_id,
            number=facts.number,
            kind=draft.kind,
            code=facts.code,
            holder=draft.holder[:200],
            statement=draft.statement,
            purpose=draft.purpose,
            issued_at=at,
            document_id=document.id,
        )
        stamp(certificate, "issued", actor)
        session.add(certificate)
        return IssuedCertificate(facts.number, facts.code, document.number, printout)
