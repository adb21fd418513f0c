"""The move-in papers of a room (入伙通知书, 手续清单, 验房记录表, 钥匙移交确认单)
and the owner handbook, gathered through the services."""

from __future__ import annotations

from datetime import date

from frontdesk.documents.handbook import HandbookSection, handbook_pdf
from frontdesk.documents.movein import (
    ChecklistStep,
    DefectLine,
    Invitation,
    KeyLine,
    MoveInRoom,
    movein_set_pdf,
)
from frontdesk.domain import clock
from frontdesk.domain.area import format_m2
from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.movein import DOCUMENT_KINDS, Step
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import UserError
from frontdesk.printouts import letterhead
from frontdesk.services.access import require
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.movein import defects, handbook
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein import steps as movein_steps
from frontdesk.services.movein.handover import Checklist


def _room(db: Database, actor: Actor, sheet: Checklist) -> MoveInRoom:
    row = structure.room_rows(db, actor, [sheet.room_id])[0]
    return MoveInRoom(
        room_code=sheet.room_code,
        place=sheet.place,
        owners=sheet.owners,
        area_m2=format_m2(row.area_m2_x100),
        batch=sheet.batch,
        appointment=local_time(sheet.appointment_at, seconds=False),
    )


def _invitation(db: Database, sheet: Checklist, today: date) -> Invitation:
    """The 入伙通知书, dated the day it was issued (kept on the handover), its fee
    standards as they are today."""
    values = handbook.values_for(db, today)
    monthly = "\n".join(movein_steps.room_fee_standards(db, sheet.room_id, today))
    fees_text = f"首期物业服务费等按月收取的费用 {sheet.fee_months} 个月，标准如下：\n{monthly}"
    return Invitation(
        office_hours=values["服务时间"],
        documents_to_bring=(*DOCUMENT_KINDS, "本人印章或签字笔"),
        fees_text=fees_text,
        issued_on=f"{sheet.notice_on:%Y年%m月%d日}" if sheet.notice_on else "",
    )


def movein_set(db: Database, actor: Actor, room_id: int, today: date | None = None) -> Printout:
    """The room's four move-in papers in one PDF, filled with what was recorded."""
    require(actor, Permission.PRINT_REPORTS)
    today = today or clock.today()
    sheet = movein.checklist(db, actor, room_id)
    if not sheet.has_record:
        raise UserError(
            f"{sheet.room_code} 没有入伙办理记录（不是待交付的房屋，或尚未列入交付批次）。"
        )
    found = sorted(
        defects.list_defects(db, actor, room_id=room_id, today=today), key=lambda d: d.id
    )
    keys = sheet.row(Step.KEYS).detail.get("keys", {})
    cards = sheet.row(Step.CARDS).detail.get("cards", [])
    key_lines = [KeyLine(kind, count, "") for kind, count in keys.items()]
    if cards:
        key_lines.append(KeyLine("门禁卡", len(cards), "、".join(cards)))
    pdf = movein_set_pdf(
        letterhead(db),
        _room(db, actor, sheet),
        invitation=_invitation(db, sheet, today),
        steps=[
            ChecklistStep(
                s.step.label,
                s.summary,
                s.done_by,
                local_time(s.done_at, seconds=False),
                s.step.required,
            )
            for s in sheet.steps
        ],
        inspected_on=f"{min(d.found_on for d in found):%Y-%m-%d}" if found else "",
        inspector=found[0].recorded_by if found else "",
        defects=[
            DefectLine(
                n,
                d.area,
                d.kind,
                d.description,
                d.responsible,
                f"{d.deadline:%Y-%m-%d}",
                d.status.label,
                d.overdue_days,
            )
            for n, d in enumerate(found, 1)
        ],
        keys=key_lines,
        # The day the keys changed hands, as the 办理清单 shows it.
        handed_on=f"{sheet.keys_on:%Y-%m-%d}" if sheet.keys_on else "",
    )
    title = f"入伙资料 {sheet.room_code}"
    return Printout(pdf, Issue(DocKind.MOVE_IN, title, sheet.room_code, (Subject(room_id),)))


def owner_handbook(db: Database, actor: Actor, today: date | None = None) -> Printout:
    """业主手册 as the supervisor keeps it, filled from today's settings."""
    require(actor, Permission.PRINT_REPORTS)
    sections, edition = handbook.compose(db, today)
    pdf = handbook_pdf(
        letterhead(db),
        [HandbookSection(s.title, s.body) for s in sections],
        edition=edition,
    )
    return Printout(pdf, Issue(DocKind.HANDBOOK, f"业主手册 {edition}"))
