"""The 派工单 of a work order (工单), and after completion its 维修回执: the order's facts,
the caller's whole phone (the worker calls ahead), the promises, and once finished
what was recorded with a paid repair's fee and the receipt it was collected on."""

from __future__ import annotations

from datetime import datetime, timedelta

from frontdesk.documents.work_order import (
    RATINGS,
    REPAIR_KIND,
    MaterialLine,
    WorkDone,
    WorkOrderSheet,
    WorkPlace,
    work_order_pdf,
)
from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.money import format_yuan
from frontdesk.domain.repair_prices import PriceKind
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Kind, Step
from frontdesk.domain.service_desk_paper import WorkOrderPaper
from frontdesk.printouts import letterhead
from frontdesk.services.database import Database
from frontdesk.services.service_desk import (
    ChargeState,
    OrderFacts,
    PriceRow,
    RepairChargeRow,
    caller_phone_for_worker,
    order_facts,
    price_list,
)

HANDED_ON = (Step.DISPATCH, Step.TRANSFER)


def work_order(
    db: Database,
    actor: Actor,
    order_id: int,
    paper: WorkOrderPaper = WorkOrderPaper.A5,
    now: datetime | None = None,
) -> Printout:
    """The order's 派工单, or its 维修回执 (处理回执) once it is finished: registered as a
    work-order paper for the order's room."""
    facts = order_facts(db, actor, order_id)
    phone = caller_phone_for_worker(db, actor, order_id)
    sheet = work_order_sheet(facts, phone, price_list(db), now or clock.now())
    pdf = work_order_pdf(letterhead(db), sheet, paper)
    row = facts.row
    subjects = (Subject(room_id=row.room_id),) if row.room_id is not None else ()
    reference = f"{row.number} {sheet.title}"
    return Printout(pdf, Issue(DocKind.WORK_ORDER, reference, reference, subjects))


def work_order_sheet(
    facts: OrderFacts, phone: str, prices: tuple[PriceRow, ...], now: datetime
) -> WorkOrderSheet:
    row = facts.row
    handed = [e for e in facts.events if e.step in HANDED_ON]
    dispatched_to = " ".join(p for p in (row.team.label if row.team else "", row.staff) if p)
    charge = live_charge(facts.charges)
    return WorkOrderSheet(
        number=row.number,
        kind=REPAIR_KIND if row.kind.is_repair else row.kind.label,
        category=row.category,
        urgency=row.urgency.label,
        taken_at=_time(row.taken_at),
        taken_by=row.taken_by,
        channel=row.channel.label,
        place=_place(facts),
        contact_name="匿名" if facts.anonymous else facts.caller_name,
        contact_phone=phone,
        description=row.description,
        appointment=_appointment(facts),
        arrive_by=_due(row.taken_at, facts.arrive_minutes),
        finish_by=_due(row.taken_at, facts.finish_minutes),
        dispatched_to=dispatched_to,
        dispatched_at=_time(handed[-1].at) if handed else "",
        paid=charge is not None if facts.finished_at else row.kind == Kind.REPAIR_HOME,
        price_note=_price_note(prices) if row.kind == Kind.REPAIR_HOME else "",
        done=_done(facts, dispatched_to, charge) if facts.finished_at else None,
        printed_at=_time(now),
    )


def live_charge(charges: tuple[RepairChargeRow, ...]) -> RepairChargeRow | None:
    """The order's charge in force: the last one not voided."""
    live = [c for c in charges if c.state != ChargeState.VOIDED]
    return live[-1] if live else None


def _done(facts: OrderFacts, worker: str, charge: RepairChargeRow | None) -> WorkDone:
    if charge is not None:
        materials = tuple(
            MaterialLine(line.name, line.quantity, line.amount_fen)
            for line in charge.lines
            if line.kind == PriceKind.MATERIAL
        )
    else:
        materials = (MaterialLine(facts.materials, "", 0),) if facts.materials else ()
    return WorkDone(
        arrived_at=_time(facts.arrived_at),
        finished_at=_time(facts.finished_at),
        result=facts.work_done,
        worker=worker,
        materials=materials,
        labour_fen=charge.labour_fen if charge else 0,
        fee_fen=charge.total_fen if charge else 0,
        receipt_number=charge.receipt_number if charge else "",
        rating=rating(facts.scores),
        owner_comment=facts.owner_words,
    )


def rating(scores: tuple[int, int, int] | None) -> str:
    """The callback's three scores (1–5) as the one tick the owner's part has."""
    if scores is None:
        return ""
    total = sum(scores)  # 3..15
    if total >= 14:
        return RATINGS[0]  # 非常满意
    if total >= 11:
        return RATINGS[1]  # 满意
    if total >= 8:
        return RATINGS[2]  # 一般
    return RATINGS[3]


def _place(facts: OrderFacts) -> WorkPlace:
    row = facts.row
    if row.where and row.where != row.room_code:
        return WorkPlace(area=row.where)
    return WorkPlace(room_code=row.room_code)


def _appointment(facts: OrderFacts) -> str:
    start, end = facts.appointment_from, facts.appointment_to
    if start is None or end is None:
        return ""
    return f"{_time(start)}–{end.astimezone().strftime('%H:%M')}"


def _due(taken_at: datetime, minutes: int | None) -> str:
    return _time(taken_at + timedelta(minutes=minutes)) if minutes else ""


def _time(at: datetime | None) -> str:
    return local_time(at, seconds=False)


def _price_note(prices: tuple[PriceRow, ...]) -> str:
    """The labour prices of the list, and that materials go by it too."""
    labour = [p for p in prices if p.kind == PriceKind.LABOUR]
    if not prices:
        return ""
    shown = "；".join(f"{p.name} {format_yuan(p.unit_fen)} 元/{p.unit}" for p in labour[:3])
    more = "等" if len(labour) > 3 else ""
    return (
        f"按《有偿维修价目表》收费：{shown}{more}；材料按价目表"
        if shown
        else "按《有偿维修价目表》收费"
    )
