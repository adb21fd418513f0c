"""On site: node inspections (水电隐蔽, 闭水试验, 中期), violations with the stop-work
notice and its lifting, and the workers with their passes (装修出入证) — which the
gate recognises at visitor registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Attachment,
    Renovation,
    RenovationBill,
    RenovationInspection,
    RenovationPhoto,
    RenovationViolation,
    RenovationWorker,
)
from frontdesk.db.protection import phone_is
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.identity import IdType, mask_id_number, normalize_id_number
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.renovation import ACTIVE, Node, Status
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.charges import add_charge
from frontdesk.services.households.attachments import add_attachment
from frontdesk.services.households.structure import room_places
from frontdesk.services.renovation.applications import load, record_event

TRADES = ("水电工", "瓦工", "木工", "油漆工", "安装工", "杂工", "其他")


def record_inspection(
    db: Database,
    actor: Actor,
    renovation_id: int,
    node: Node,
    on: date,
    passed: bool,
    note: str = "",
    deadline: date | None = None,
    today: date | None = None,
) -> int:
    """A node inspection; failed ones need a deadline to rectify by (then re-inspect)."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    if node == Node.COMPLETION:
        raise ValidationError("验收节点", "竣工验收请用“竣工验收”办理")
    note = clean_text(note, "验收意见", 200, required=not passed)
    if not passed and (deadline is None or deadline < on):
        raise ValidationError("整改期限", "不合格时请给出不早于验收日的整改期限")
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        if renovation.status not in ACTIVE:
            raise UserError("只有施工期内的装修可以做节点验收。")
        if not renovation.starts_on <= on <= (today or clock.today()):
            raise ValidationError("验收日期", "应在开工日期和今天之间")
        inspection = RenovationInspection(
            room_id=renovation.room_id,
            renovation_id=renovation.id,
            node=node,
            inspected_on=on,
            passed=passed,
            note=note,
            deadline=None if passed else deadline,
            inspector=actor.display_name,
        )
        session.add(inspection)
        session.flush()
        return inspection.id


def record_violation(
    db: Database,
    actor: Actor,
    renovation_id: int,
    found_on: date,
    description: str,
    deadline: date,
    *,
    stop_work: bool = False,
) -> int:
    """违规: with a deadline to put it right; `stop_work` issues a 停工整改通知."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    description = clean_text(description, "违规情况", 500, required=True)
    if deadline < found_on:
        raise ValidationError("整改期限", "不能早于发现日期")
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        status = renovation.status
        if status not in ACTIVE:
            raise UserError("只有施工期内的装修可以登记违规。")
        if stop_work and status != Status.IN_PROGRESS:
            raise UserError("只有施工中的装修可以停工整改。")
        violation = RenovationViolation(
            room_id=renovation.room_id,
            renovation_id=renovation.id,
            found_on=found_on,
            notice_no=_next_notice_no(session, found_on),
            description=description,
            stop_work=stop_work,
            deadline=deadline,
            **by_columns("recorded", actor),
        )
        session.add(violation)
        session.flush()
        if stop_work and status == Status.IN_PROGRESS:
            renovation.status = Status.STOPPED
        record_event(
            session, actor, renovation, "stop_work" if stop_work else "violation", description
        )
        return violation.id


def _next_notice_no(session: Session, found_on: date) -> str:
    """The 整改通知's own number, by the month the violation was found: ZG2612-0001."""
    in_turn(session, "renovation_notice")
    prefix = f"ZG{found_on:%y%m}-"
    last = session.scalar(
        select(func.max(RenovationViolation.notice_no)).where(
            RenovationViolation.notice_no.like(f"{prefix}%")
        )
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:04d}"


def resolve_violation(
    db: Database, actor: Actor, violation_id: int, on: date, resolution: str
) -> None:
    """The violation put right; the last stop-work one lifted, work resumes."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    resolution = clean_text(resolution, "整改结果", 200, required=True)
    with db.write(actor) as session:
        violation = session.get(RenovationViolation, violation_id)
        if violation is None:
            raise NotFound("该违规记录不存在。")
        if violation.resolved_on is not None:
            raise UserError("该违规已整改完毕。")
        if on < violation.found_on:
            raise ValidationError("整改日期", "不能早于发现日期")
        violation.resolved_on, violation.resolution = on, resolution
        session.flush()
        renovation = load(session, violation.renovation_id)
        still_stopped = session.scalar(
            select(func.count()).where(
                RenovationViolation.renovation_id == renovation.id,
                RenovationViolation.stop_work.is_(True),
                RenovationViolation.resolved_on.is_(None),
            )
        )
        if renovation.status == Status.STOPPED and not still_stopped:
            renovation.status = Status.IN_PROGRESS
            record_event(session, actor, renovation, "resumed", resolution)


# workers and passes ----------------------------------------------------------------------


@dataclass(frozen=True)
class WorkerInput:
    name: str
    phone: str
    trade: str
    id_number: str = ""


@dataclass(frozen=True)
class WorkerRow:
    id: int
    pass_no: str
    name: str
    phone: str  # masked
    trade: str
    id_number: str  # masked
    valid_until: date
    lost_on: date | None
    returned_on: date | None

    @property
    def valid(self) -> bool:
        return self.lost_on is None and self.returned_on is None


def add_worker(
    db: Database,
    actor: Actor,
    renovation_id: int,
    data: WorkerInput,
    *,
    pass_fee_item: int | None = None,
    pass_deposit_item: int | None = None,
    today: date | None = None,
) -> int:
    """A worker and their pass; its 工本费 and refundable deposit go on the room's account."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    if data.trade not in TRADES:
        raise ValidationError("工种", f"只能是{'、'.join(TRADES)}")
    number = (
        normalize_id_number(IdType.RESIDENT, data.id_number, "工人身份证号")
        if data.id_number.strip()
        else ""
    )
    values = {
        "name": clean_name(data.name, "工人姓名", 40, required=True),
        "phone": phone_key(data.phone, "工人电话"),
        "trade": data.trade,
        "id_number": number,
    }
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        on = today or clock.today()
        if renovation.status not in (Status.PERMITTED, Status.IN_PROGRESS) or (
            on > renovation.ends_on
        ):
            raise UserError("发放出入证须在装修许可证有效期内，且不在停工整改中。")
        count = session.scalar(
            select(func.count()).where(RenovationWorker.renovation_id == renovation.id)
        )
        worker = RenovationWorker(
            room_id=renovation.room_id,
            renovation_id=renovation.id,
            pass_no=f"{renovation.number}-{(count or 0) + 1:02d}",
            **values,
        )
        session.add(worker)
        session.flush()
        for item, purpose in ((pass_fee_item, "pass_fee"), (pass_deposit_item, "pass_deposit")):
            if item is not None:
                bill = add_charge(
                    session,
                    actor,
                    renovation.room_id,
                    item,
                    note=f"出入证 {worker.pass_no}",
                    today=today,
                )
                session.add(
                    RenovationBill(
                        room_id=renovation.room_id,
                        renovation_id=renovation.id,
                        bill_id=bill,
                        purpose=purpose,
                        worker_id=worker.id,
                    )
                )
        return worker.id


def report_lost(db: Database, actor: Actor, worker_id: int, on: date) -> None:
    """A lost pass stops working at once; its deposit is kept (not refunded)."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    with db.write(actor) as session:
        worker = session.get(RenovationWorker, worker_id)
        if worker is None:
            raise NotFound("该工人不存在。")
        if worker.lost_on or worker.returned_on:
            raise UserError("该出入证已挂失或已交回。")
        worker.lost_on = on


def return_pass(db: Database, actor: Actor, worker_id: int, on: date) -> None:
    """The pass handed back at the end of the work: its deposit can now be refunded."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    with db.write(actor) as session:
        worker = session.get(RenovationWorker, worker_id)
        if worker is None:
            raise NotFound("该工人不存在。")
        if worker.lost_on or worker.returned_on:
            raise UserError("该出入证已挂失或已交回。")
        worker.returned_on = on


def list_workers(db: Database, actor: Actor, renovation_id: int) -> list[WorkerRow]:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        renovation = load(session, renovation_id)
        workers = session.scalars(
            select(RenovationWorker)
            .where(RenovationWorker.renovation_id == renovation_id)
            .order_by(RenovationWorker.id)
        ).all()
        return [
            WorkerRow(
                w.id,
                w.pass_no,
                w.name,
                mask_phone(w.phone),
                w.trade,
                mask_id_number(w.id_number),
                renovation.ends_on,
                w.lost_on,
                w.returned_on,
            )
            for w in workers
        ]


@dataclass(frozen=True)
class ValidPass:
    pass_no: str
    name: str
    trade: str
    room_id: int
    room_code: str
    renovation: str
    valid_until: date


def valid_pass(db: Database, phone_text: str, today: date | None = None) -> ValidPass | None:
    """The gate: a worker with a pass of a renovation under way today, by phone."""
    today = today or clock.today()
    try:
        phone = phone_key(phone_text)
    except ValidationError:
        return None
    with db.read() as session:
        found = session.execute(
            select(RenovationWorker, Renovation)
            .join(Renovation, RenovationWorker.renovation_id == Renovation.id)
            .where(
                phone_is(RenovationWorker.phone, phone),
                RenovationWorker.lost_on.is_(None),
                RenovationWorker.returned_on.is_(None),
                Renovation.status.in_([Status.PERMITTED, Status.IN_PROGRESS]),
                Renovation.starts_on <= today,
                Renovation.ends_on >= today,
            )
        ).first()
        if found is None:
            return None
        worker, renovation = found
        code = room_places(session, [renovation.room_id])[renovation.room_id][0]
    return ValidPass(
        worker.pass_no,
        worker.name,
        worker.trade,
        renovation.room_id,
        code,
        renovation.number,
        renovation.ends_on,
    )


@dataclass(frozen=True)
class ViolationRow:
    id: int
    found_on: date
    description: str
    deadline: date
    stop_work: bool
    resolved_on: date | None
    resolution: str
    notice_no: str = ""  # the 整改通知 it was served with


def list_violations(db: Database, actor: Actor, renovation_id: int) -> list[ViolationRow]:
    """The renovation's violations, the open ones first."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        found = session.scalars(
            select(RenovationViolation)
            .where(RenovationViolation.renovation_id == renovation_id)
            .order_by(RenovationViolation.resolved_on.is_not(None), RenovationViolation.id)
        ).all()
        return [
            ViolationRow(
                v.id,
                v.found_on,
                v.description,
                v.deadline,
                v.stop_work,
                v.resolved_on,
                v.resolution,
                v.notice_no,
            )
            for v in found
        ]


# photos ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoRow:
    id: int
    title: str
    filename: str


def add_photo(
    db: Database,
    actor: Actor,
    renovation_id: int,
    source: Path,
    *,
    inspection_id: int | None = None,
    violation_id: int | None = None,
) -> int:
    """A photo of a node inspection or a violation, kept with the room's file."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    with db.read() as session:
        renovation = load(session, renovation_id)
        room_id, number = renovation.room_id, renovation.number
        subject = _photo_subject(session, renovation_id, inspection_id, violation_id)
    attachment = add_attachment(db, actor, room_id, source, "装修照片", f"装修 {number}：{subject}")
    with db.write(actor) as session:
        photo = RenovationPhoto(
            room_id=room_id,
            renovation_id=renovation_id,
            inspection_id=inspection_id,
            violation_id=violation_id,
            attachment_id=attachment,
        )
        session.add(photo)
        session.flush()
        return photo.id


def _photo_subject(
    session: Session, renovation_id: int, inspection_id: int | None, violation_id: int | None
) -> str:
    if inspection_id is not None:
        inspection = session.get(RenovationInspection, inspection_id)
        if inspection is None or inspection.renovation_id != renovation_id:
            raise NotFound("该节点验收记录不存在。")
        return inspection.node.label
    if violation_id is not None:
        violation = session.get(RenovationViolation, violation_id)
        if violation is None or violation.renovation_id != renovation_id:
            raise NotFound("该违规记录不存在。")
        return f"违规 {violation.found_on:%Y-%m-%d}"
    return "现场"


def list_photos(db: Database, actor: Actor, renovation_id: int) -> list[PhotoRow]:
    require(actor, Permission.VIEW_HOUSEHOLDS)
    query = (
        select(RenovationPhoto.id, Attachment.title, Attachment.filename)
        .join(Attachment, RenovationPhoto.attachment_id == Attachment.id)
        .where(RenovationPhoto.renovation_id == renovation_id)
        .order_by(RenovationPhoto.id)
    )
    with db.read() as session:
        return [PhotoRow(i, t, f) for i, t, f in session.execute(query)]


@dataclass(frozen=True)
class InspectionRow:
    id: int
    node: Node
    inspected_on: date
    passed: bool
    note: str


def list_inspections(db: Database, actor: Actor, renovation_id: int) -> list[InspectionRow]:
    """The node inspections as entered, to attach a photo to or print."""
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        found = session.scalars(
            select(RenovationInspection)
            .where(RenovationInspection.renovation_id == renovation_id)
            .order_by(RenovationInspection.id)
        ).all()
        return [InspectionRow(i.id, i.node, i.inspected_on, i.passed, i.note) for i in found]
