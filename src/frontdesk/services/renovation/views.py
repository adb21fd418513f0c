"""How the office reads renovations: the list and the daily round, one renovation's
facts for its papers, its history, the bills it put on the account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Building,
    Refund,
    RefundDeduction,
    Renovation,
    RenovationBill,
    RenovationEvent,
    RenovationInspection,
    RenovationViolation,
    Room,
)
from frontdesk.domain import clock
from frontdesk.domain.money import format_yuan
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.renovation import ACTIVE, EVENT_LABELS, Status, required_nodes
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import NotFound
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.renovation.applications import (
    SEPARATOR,
    latest_inspections,
    load,
    missing_documents,
    open_violations,
    pending_extension,
    renovation_bills,
)
from frontdesk.services.scope import may


@dataclass(frozen=True)
class RenovationRow:
    id: int
    number: str
    room_id: int
    room_code: str
    place: str
    building: str
    applicant: str
    contractor: str
    contractor_person: str
    contractor_phone: str  # masked unless the actor may unmask this building's data
    starts_on: date
    ends_on: date
    scope: tuple[str, ...]
    status: Status
    permit_no: str
    days_left: int  # negative: overdue
    nodes_due: tuple[str, ...]  # required nodes not yet passed
    open_violations: int
    unpaid_fen: int
    documents_missing: tuple[str, ...] = field(default=())
    pending_end: date | None = None  # an extension asked for and not yet decided
    pending_reason: str = ""
    permit_issued_on: date | None = None  # the 发证日期, kept when the permit was issued

    @property
    def overdue(self) -> bool:
        return self.status in ACTIVE and self.days_left < 0


def list_renovations(
    db: Database,
    actor: Actor,
    *,
    active_only: bool = False,
    room_id: int | None = None,
    today: date | None = None,
) -> list[RenovationRow]:
    """Newest first; `active_only`: permit issued and not yet accepted (the daily round)."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    today = today or clock.today()
    query = (
        select(Renovation, Building.name, Building.butler_id)
        .join(Room, Renovation.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
    )
    if active_only:
        query = query.where(Renovation.status.in_([s.value for s in ACTIVE]))
    if room_id is not None:
        query = query.where(Renovation.room_id == room_id)
    with db.read() as session:
        found = list(session.execute(query.order_by(Renovation.id.desc())))
        places = room_places(session, (r.room_id for r, _, _ in found))
        return [
            _row(session, r, building, places, today, _may_unmask(actor, butler_id))
            for r, building, butler_id in found
        ]


def _may_unmask(actor: Actor, butler_id: int | None) -> bool:
    """As the household file: who may see phones whole (a butler, in own buildings)."""
    return may(actor, Permission.REVEAL_PERSONAL_DATA, butler_id)


def _row(
    session: Session,
    r: Renovation,
    building: str,
    places: dict[int, tuple[str, str]],
    today: date,
    whole_phone: bool,
) -> RenovationRow:
    scope = tuple(r.scope.split(SEPARATOR))
    latest = latest_inspections(session, r.id)
    due = tuple(n.label for n in required_nodes(scope) if not (n in latest and latest[n].passed))
    code, place = places.get(r.room_id, ("", ""))
    pending_end, pending_reason = pending_extension(session, r.id) or (None, "")
    return RenovationRow(
        r.id,
        r.number,
        r.room_id,
        code,
        place,
        building,
        r.applicant,
        r.contractor,
        r.contractor_person,
        r.contractor_phone if whole_phone else mask_phone(r.contractor_phone),
        r.starts_on,
        r.ends_on,
        scope,
        r.status,
        r.permit_no,
        (r.ends_on - today).days,
        due,
        len(open_violations(session, r.id)),
        sum(line.outstanding_fen for line in renovation_bills(session, r.id)),
        tuple(missing_documents(r)),
        pending_end,
        pending_reason,
        r.permit_issued_on,
    )


@dataclass(frozen=True)
class ChargeLine:
    fee_item: str
    purpose: str
    due_fen: int
    outstanding_fen: int


@dataclass(frozen=True)
class RenovationFacts:
    """What the papers print besides the list row."""

    row: RenovationRow
    applicant_phone: str  # masked
    applicant_is_tenant: bool
    licence_no: str
    documents: tuple[str, ...]
    charges: tuple[ChargeLine, ...]
    inspections: tuple[RenovationInspection, ...]
    open_violations: tuple[RenovationViolation, ...]
    # Whole on the papers, whoever prints them: the permit at the door is how neighbours
    # reach the contractor (each paper is kept in the document register).
    contractor_phone: str = ""


def facts(
    db: Database, actor: Actor, renovation_id: int, today: date | None = None
) -> RenovationFacts:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        r = load(session, renovation_id)
        building, butler_id = session.execute(
            select(Building.name, Building.butler_id)
            .join(Room, Room.building_id == Building.id)
            .where(Room.id == r.room_id)
        ).one()
        places = room_places(session, [r.room_id])
        whole = _may_unmask(actor, butler_id)
        row = _row(session, r, building or "", places, today or clock.today(), whole)
        purposes: dict[int, str] = {
            bill_id: purpose
            for bill_id, purpose in session.execute(
                select(RenovationBill.bill_id, RenovationBill.purpose).where(
                    RenovationBill.renovation_id == r.id
                )
            )
        }
        charges = tuple(
            ChargeLine(line.fee_item, purposes[line.bill_id], line.due_fen, line.outstanding_fen)
            for line in renovation_bills(session, r.id)
        )
        inspections = tuple(
            session.scalars(
                select(RenovationInspection)
                .where(RenovationInspection.renovation_id == r.id)
                .order_by(RenovationInspection.inspected_on, RenovationInspection.id)
            )
        )
        return RenovationFacts(
            row,
            mask_phone(r.applicant_phone),
            r.applicant_is_tenant,
            r.licence_no,
            tuple(r.documents.split(SEPARATOR)) if r.documents else (),
            charges,
            inspections,
            tuple(open_violations(session, r.id)),
            r.contractor_phone,
        )


def find_number(db: Database, actor: Actor, number: str) -> int:
    """The renovation a paper or the command line names: ZX2611-0003."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        found = session.scalar(
            select(Renovation.id).where(Renovation.number == number.strip().upper())
        )
    if found is None:
        raise NotFound(f"没有编号为 {number} 的装修登记。")
    return found


def deposit_deductions(db: Database, actor: Actor, renovation_id: int) -> list[tuple[str, str]]:
    """What the cashier kept from the deposit and why: (reason, yuan)."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    ids = bill_ids(db, renovation_id, "deposit")
    with db.read() as session:
        rows = session.execute(
            select(RefundDeduction.reason, RefundDeduction.amount_fen)
            .join(Refund, RefundDeduction.refund_id == Refund.id)
            .where(Refund.bill_id.in_(ids))
            .order_by(RefundDeduction.id)
        )
        return [(reason, format_yuan(fen)) for reason, fen in rows]


@dataclass(frozen=True)
class EventRow:
    kind: str
    label: str
    at: datetime
    by: str
    note: str


def _event_label(kind: str) -> str:
    statuses = {s.value: s.label for s in Status}
    return statuses.get(kind) or EVENT_LABELS.get(kind, kind)


def history(db: Database, actor: Actor, renovation_id: int) -> list[EventRow]:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        events = session.scalars(
            select(RenovationEvent)
            .where(RenovationEvent.renovation_id == renovation_id)
            .order_by(RenovationEvent.at, RenovationEvent.id)
        ).all()
    return [
        EventRow(
            e.kind,
            Status(e.kind).label
            if e.kind in Status._value2member_map_
            else EVENT_LABELS.get(e.kind, e.kind),
            e.at,
            e.by,
            e.note,
        )
        for e in events
    ]


def bill_ids(db: Database, renovation_id: int, purpose: str | None = None) -> list[int]:
    """The bills the renovation put on the room's account (only the deposit, say)."""
    query = select(RenovationBill.bill_id).where(RenovationBill.renovation_id == renovation_id)
    if purpose is not None:
        query = query.where(RenovationBill.purpose == purpose)
    with db.read() as session:
        return list(session.scalars(query.order_by(RenovationBill.bill_id)))
