"""Renovations (装修管理): the application with its rules, the workflow from
submission to closing (each step on record), the deposit and fees put on the room's
account for the cashier, and the lists the office works from.

Money never moves here: approval bills the deposit and fees, the cashier takes them;
the deposit comes back through the cashier's deposit refund, so receipts and reports
stay whole. Settling only records that the refund was made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    FeeItem,
    Refund,
    Renovation,
    RenovationBill,
    RenovationEvent,
    RenovationInspection,
    RenovationViolation,
    RenovationWorker,
    Room,
    Setting,
)
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.phone import phone_key
from frontdesk.domain.renovation import (
    ACTIVE,
    DEFAULT_MAX_DAYS,
    DEFAULT_WORKING_HOURS,
    MAX_EXTENSION_DAYS,
    REQUIRED_DOCUMENTS,
    TENANT_DOCUMENT,
    Node,
    Status,
    check_move,
    check_period,
    check_scope,
    required_nodes,
    working_day_end,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.charges import add_charge
from frontdesk.services.fees.ledger import BillLine, bill_lines, deposit_held
from frontdesk.services.store import Store, reading

MAX_DAYS_KEY = "renovation_max_days"
EXTENSION_REQUESTED = "extension_requested"  # a kind of domain.renovation.EVENT_LABELS
HOURS_KEY = "renovation_working_hours"
SEPARATOR = "、"


@dataclass(frozen=True)
class RenovationInput:
    room_id: int
    applicant: str
    applicant_phone: str
    contractor: str
    contractor_person: str
    contractor_phone: str
    starts_on: date
    ends_on: date
    scope: tuple[str, ...]
    documents: tuple[str, ...] = ()  # checked at the counter: REQUIRED_DOCUMENTS …
    applicant_is_tenant: bool = False
    licence_no: str = ""
    note: str = ""


@dataclass(frozen=True)
class ChargeInput:
    """A bill approval puts on the room's account: the deposit, a fee."""

    fee_item_id: int
    purpose: str  # deposit / fee
    quantity: int = 1
    amount_fen: int | None = None  # only for items without a price plan


# settings --------------------------------------------------------------------------


@dataclass(frozen=True)
class RenovationSettings:
    max_days: int = DEFAULT_MAX_DAYS
    working_hours: str = DEFAULT_WORKING_HOURS


def renovation_settings(store: Store) -> RenovationSettings:
    with reading(store) as session:
        days = session.get(Setting, MAX_DAYS_KEY)
        hours = session.get(Setting, HOURS_KEY)
        return RenovationSettings(
            int(days.value) if days else DEFAULT_MAX_DAYS,
            hours.value if hours else DEFAULT_WORKING_HOURS,
        )


def working_day_end_of(settings: RenovationSettings) -> time:
    """When the permitted working hours end each day (18:00 unless the settings say)."""
    end = working_day_end(settings.working_hours) or working_day_end(DEFAULT_WORKING_HOURS)
    assert end is not None  # the default names its times
    return end


def set_renovation_settings(db: Database, actor: Actor, settings: RenovationSettings) -> None:
    require(actor, Permission.APPROVE_RENOVATIONS)
    if not 7 <= settings.max_days <= 365:
        raise ValidationError("最长工期", "应在 7 到 365 天之间")
    hours = clean_text(settings.working_hours, "允许施工时间", 200, required=True)
    if working_day_end(hours) is None:
        # The gate lets renovation workers in until the last of these times.
        raise ValidationError("允许施工时间", "请写明允许施工的时段，如 8:00–12:00、14:00–18:00")
    with db.write(actor) as session:
        for key, value in ((MAX_DAYS_KEY, str(settings.max_days)), (HOURS_KEY, hours)):
            setting = session.get(Setting, key)
            if setting is None:
                session.add(Setting(key=key, value=value))
            else:
                setting.value = value


# the application -------------------------------------------------------------------


def apply(db: Database, actor: Actor, data: RenovationInput, today: date | None = None) -> int:
    """装修申请: refused outright when it asks for structural or facade work."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    today = today or clock.today()
    scope = check_scope(list(data.scope))
    values = {
        "applicant": clean_name(data.applicant, "申请人", 40, required=True),
        "applicant_phone": phone_key(data.applicant_phone, "申请人电话"),
        "contractor": clean_text(data.contractor, "施工单位", 100, required=True),
        "contractor_person": clean_name(data.contractor_person, "施工负责人", 40, required=True),
        "contractor_phone": phone_key(data.contractor_phone, "施工负责人电话"),
        "licence_no": clean_text(data.licence_no, "营业执照或资质证号", 40),
        "note": clean_text(data.note, "备注", 200),
    }
    if data.starts_on < today:
        raise ValidationError("计划开工日期", "不能早于今天")
    with db.write(actor) as session:
        if session.get(Room, data.room_id) is None:
            raise ValidationError("装修房屋", "请从查找结果中选择一户（该房屋不存在）")
        check_period(data.starts_on, data.ends_on, renovation_settings(session).max_days)
        renovation = Renovation(
            room_id=data.room_id,
            number=_next_number(session, today),
            **values,
            applicant_is_tenant=data.applicant_is_tenant,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            scope=SEPARATOR.join(scope),
            documents=SEPARATOR.join(dict.fromkeys(d.strip() for d in data.documents if d)),
            status=Status.SUBMITTED,
            **by_columns("created", actor),
        )
        session.add(renovation)
        session.flush()
        record_event(session, actor, renovation, Status.SUBMITTED.value, values["note"])
        return renovation.id


def _next_number(session: Session, today: date) -> str:
    in_turn(session, "renovation")
    prefix = f"ZX{today:%y%m}-"
    last = session.scalar(
        select(func.max(Renovation.number)).where(Renovation.number.like(f"{prefix}%"))
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:04d}"


def record_event(
    session: Session, actor: Actor, renovation: Renovation, kind: str, note: str = ""
) -> None:
    session.add(
        RenovationEvent(
            room_id=renovation.room_id,
            renovation_id=renovation.id,
            kind=kind,
            by=actor.display_name,
            note=note,
        )
    )


def load(session: Session, renovation_id: int) -> Renovation:
    renovation = session.get(Renovation, renovation_id)
    if renovation is None:
        raise NotFound("该装修登记不存在。")
    return renovation


def _move(
    session: Session, actor: Actor, renovation: Renovation, target: Status, note: str
) -> None:
    check_move(renovation.status, target)
    renovation.status = target
    record_event(session, actor, renovation, target.value, note)


# the workflow ----------------------------------------------------------------------


def review(db: Database, actor: Actor, renovation_id: int, note: str = "") -> None:
    """初审: the counter checked the application and its papers."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    note = clean_text(note, "初审意见", 200)
    with db.write(actor) as session:
        _move(session, actor, load(session, renovation_id), Status.REVIEWED, note)


def reject(db: Database, actor: Actor, renovation_id: int, reason: str) -> None:
    require(actor, Permission.APPROVE_RENOVATIONS)
    reason = clean_text(reason, "驳回原因", 200, required=True)
    with db.write(actor) as session:
        _move(session, actor, load(session, renovation_id), Status.REJECTED, reason)


def missing_documents(renovation: Renovation) -> list[str]:
    have = set(renovation.documents.split(SEPARATOR)) if renovation.documents else set()
    needed = [*REQUIRED_DOCUMENTS, *([TENANT_DOCUMENT] if renovation.applicant_is_tenant else [])]
    return [name for name in needed if name not in have]


def approve(
    db: Database,
    actor: Actor,
    renovation_id: int,
    charges: list[ChargeInput],
    note: str = "",
    today: date | None = None,
) -> list[int]:
    """Approve with the papers complete; the deposit and fees go on the room's account
    in the same commit, for the cashier. Returns the bills made."""
    require(actor, Permission.APPROVE_RENOVATIONS)
    note = clean_text(note, "审批意见", 200)
    deposits = [c for c in charges if c.purpose == "deposit"]
    if len(deposits) != 1:
        raise ValidationError("装修押金", "批准装修须收取一笔装修押金")
    with db.write(actor) as session:
        deposit_item = session.get(FeeItem, deposits[0].fee_item_id)
        if deposit_item is None or deposit_item.method != FeeMethod.DEPOSIT:
            raise ValidationError("装修押金", "请选择押金类收费项目（可退还）")
        renovation = load(session, renovation_id)
        missing = missing_documents(renovation)
        if missing:
            raise ValidationError(missing[0], "资料不全，不能批准装修")
        _move(session, actor, renovation, Status.APPROVED, note)
        bills = []
        for item in charges:
            bill_id = add_charge(
                session,
                actor,
                renovation.room_id,
                item.fee_item_id,
                item.quantity,
                item.amount_fen,
                f"装修 {renovation.number}",
                today,
            )
            session.add(
                RenovationBill(
                    room_id=renovation.room_id,
                    renovation_id=renovation.id,
                    bill_id=bill_id,
                    purpose=item.purpose,
                )
            )
            bills.append(bill_id)
        return bills


def issue_permit(db: Database, actor: Actor, renovation_id: int, today: date | None = None) -> str:
    """装修许可证, once the cashier has taken the deposit and the fees; issued `today`,
    the 发证日期 the permit carries whenever it is printed."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        unpaid = [
            line for line in renovation_bills(session, renovation.id) if line.outstanding_fen > 0
        ]
        if unpaid:
            raise UserError(
                f"请先在收费页收取{unpaid[0].fee_item}等 {len(unpaid)} 笔费用，再发装修许可证。"
            )
        _move(session, actor, renovation, Status.PERMITTED, "")
        renovation.permit_no = "XK" + renovation.number.removeprefix("ZX")
        renovation.permit_issued_on = today or clock.today()
        return renovation.permit_no


def start_work(db: Database, actor: Actor, renovation_id: int, today: date | None = None) -> None:
    require(actor, Permission.MANAGE_RENOVATIONS)
    today = today or clock.today()
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        if renovation.status != Status.PERMITTED:
            # 停工整改 is lifted by putting the violation right, never by 开工 again.
            raise UserError(f"该装修{renovation.status.label}，不能开工。")
        if today < renovation.starts_on:
            raise ValidationError("开工日期", f"许可证自 {renovation.starts_on:%Y-%m-%d} 起有效")
        _move(session, actor, renovation, Status.IN_PROGRESS, "")


def _check_extension(renovation: Renovation, new_end: date) -> None:
    if renovation.status not in ACTIVE:
        raise UserError("只有施工期内的装修可以延期。")
    if new_end <= renovation.ends_on:
        raise ValidationError("延期至", f"应晚于原完工日期 {renovation.ends_on:%Y-%m-%d}")
    if (new_end - renovation.ends_on).days > MAX_EXTENSION_DAYS:
        raise ValidationError("延期至", f"每次最多延期 {MAX_EXTENSION_DAYS} 天")


def request_extension(
    db: Database, actor: Actor, renovation_id: int, new_end: date, reason: str
) -> None:
    """The owner or contractor asks for more time at the counter; a supervisor decides."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    reason = clean_text(reason, "延期原因", 200, required=True)
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        _check_extension(renovation, new_end)
        note = json.dumps({"new_end": new_end.isoformat(), "reason": reason}, ensure_ascii=False)
        record_event(session, actor, renovation, EXTENSION_REQUESTED, note)


def pending_extension(session: Session, renovation_id: int) -> tuple[date, str] | None:
    """The request still waiting: the latest extension event is a request."""
    latest = session.scalar(
        select(RenovationEvent)
        .where(
            RenovationEvent.renovation_id == renovation_id,
            RenovationEvent.kind.in_((EXTENSION_REQUESTED, "extended", "extension_refused")),
        )
        .order_by(RenovationEvent.id.desc())
        .limit(1)
    )
    if latest is None or latest.kind != EXTENSION_REQUESTED:
        return None
    asked = json.loads(latest.note)
    return date.fromisoformat(asked["new_end"]), asked["reason"]


def extend(db: Database, actor: Actor, renovation_id: int, new_end: date, reason: str) -> None:
    """An approved extension of the period (the permit's end moves with it); approving
    a pending request is the same act."""
    require(actor, Permission.APPROVE_RENOVATIONS)
    reason = clean_text(reason, "延期原因", 200, required=True)
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        _check_extension(renovation, new_end)
        old = renovation.ends_on
        renovation.ends_on = new_end
        record_event(
            session,
            actor,
            renovation,
            "extended",
            f"{old:%Y-%m-%d} 延至 {new_end:%Y-%m-%d}：{reason}",
        )


def refuse_extension(db: Database, actor: Actor, renovation_id: int, reason: str) -> None:
    require(actor, Permission.APPROVE_RENOVATIONS)
    reason = clean_text(reason, "不予延期的原因", 200, required=True)
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        if pending_extension(session, renovation.id) is None:
            raise UserError("该装修没有待审批的延期申请。")
        record_event(session, actor, renovation, "extension_refused", reason)


def complete(
    db: Database,
    actor: Actor,
    renovation_id: int,
    on: date,
    note: str = "",
    today: date | None = None,
) -> None:
    """竣工验收: every node the scope needs passed at its latest inspection, and no
    violation still open."""
    require(actor, Permission.APPROVE_RENOVATIONS)
    note = clean_text(note, "验收意见", 200)
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        check_move(renovation.status, Status.COMPLETED)
        if not renovation.starts_on <= on <= (today or clock.today()):
            raise ValidationError("验收日期", "应在开工日期和今天之间")
        unpaid = [
            line for line in renovation_bills(session, renovation.id) if line.outstanding_fen > 0
        ]
        if unpaid:
            raise UserError(f"{unpaid[0].fee_item}尚未缴清（收据可能已作废），请先在收费页收取。")
        if open_violations(session, renovation.id):
            raise UserError("还有未整改完毕的违规，不能竣工验收。")
        latest = latest_inspections(session, renovation.id)
        for node in required_nodes(tuple(renovation.scope.split(SEPARATOR))):
            found = latest.get(node)
            if found is None:
                raise ValidationError(node.label, "尚未验收，不能竣工验收")
            if not found.passed:
                raise ValidationError(node.label, "上次验收不合格且尚未复验合格")
        _move(session, actor, renovation, Status.COMPLETED, note)
        renovation.completed_on = on
        session.add(
            RenovationInspection(
                room_id=renovation.room_id,
                renovation_id=renovation.id,
                node=Node.COMPLETION,
                inspected_on=on,
                passed=True,
                note=note,
                inspector=actor.display_name,
            )
        )


def settle(db: Database, actor: Actor, renovation_id: int) -> None:
    """The deposit came back through the cashier (in full or less deductions)."""
    require(actor, Permission.MANAGE_RENOVATIONS)
    with db.write(actor) as session:
        renovation = load(session, renovation_id)
        deposits = [
            b.bill_id
            for b in session.scalars(
                select(RenovationBill).where(
                    RenovationBill.renovation_id == renovation.id,
                    RenovationBill.purpose == "deposit",
                )
            )
        ]
        for bill_id in deposits:
            refunded = session.scalar(select(func.count()).where(Refund.bill_id == bill_id))
            if not refunded or deposit_held(session, bill_id) > 0:
                raise UserError("装修押金尚未退还：请先在收费页办理押金退款（可逐项扣款）。")
        _check_passes_settled(session, renovation.id)
        _move(session, actor, renovation, Status.SETTLED, "")


def _check_passes_settled(session: Session, renovation_id: int) -> None:
    """Every pass handed back or reported lost; a returned pass's deposit refunded
    (a lost one's is kept)."""
    workers = session.scalars(
        select(RenovationWorker).where(RenovationWorker.renovation_id == renovation_id)
    ).all()
    out = [w.pass_no for w in workers if w.lost_on is None and w.returned_on is None]
    if out:
        raise UserError(f"出入证 {out[0]} 等 {len(out)} 张尚未交回或挂失。")
    returned = {w.id for w in workers if w.returned_on is not None}
    held = session.scalars(
        select(RenovationBill.bill_id).where(
            RenovationBill.renovation_id == renovation_id,
            RenovationBill.purpose == "pass_deposit",
            RenovationBill.worker_id.in_(returned),
        )
    ).all()
    if any(deposit_held(session, bill_id) > 0 for bill_id in held):
        raise UserError("已交回的出入证押金尚未退还：请先在收费页办理押金退款。")


def close(db: Database, actor: Actor, renovation_id: int) -> None:
    require(actor, Permission.MANAGE_RENOVATIONS)
    with db.write(actor) as session:
        _move(session, actor, load(session, renovation_id), Status.CLOSED, "")


# what the office reads ---------------------------------------------------------------


def latest_inspections(session: Session, renovation_id: int) -> dict[Node, RenovationInspection]:
    latest: dict[Node, RenovationInspection] = {}
    query = (
        select(RenovationInspection)
        .where(RenovationInspection.renovation_id == renovation_id)
        .order_by(RenovationInspection.id)  # as entered: a date typed wrong hides nothing
    )
    for inspection in session.scalars(query):
        latest[inspection.node] = inspection
    return latest


def open_violations(session: Session, renovation_id: int) -> list[RenovationViolation]:
    return list(
        session.scalars(
            select(RenovationViolation).where(
                RenovationViolation.renovation_id == renovation_id,
                RenovationViolation.resolved_on.is_(None),
            )
        )
    )


def renovation_bills(session: Session, renovation_id: int) -> list[BillLine]:
    ids = list(
        session.scalars(
            select(RenovationBill.bill_id).where(RenovationBill.renovation_id == renovation_id)
        )
    )
    return bill_lines(session, bill_ids=ids) if ids else []
