"""The renovation papers — 装修申请表, 装修许可证, 装修出入证, 整改通知, 竣工验收单 —
and the 装修指南, gathered through the services."""

from __future__ import annotations

from datetime import date

from frontdesk.documents.handbook import HandbookSection, handbook_pdf
from frontdesk.documents.renovation import (
    InspectionLine,
    Rectification,
    RenovationDoc,
    acceptance_pdf,
    application_pdf,
    permit_pdf,
    rectifications_pdf,
)
from frontdesk.documents.renovation_passes import WorkerPass, passes_pdf
from frontdesk.domain import clock
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.money import format_yuan
from frontdesk.domain.renovation import SCOPES, Node, Status, permit_refusal
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import UserError
from frontdesk.printouts import letterhead
from frontdesk.services import community
from frontdesk.services.access import require
from frontdesk.services.database import Database
from frontdesk.services.households import file as households
from frontdesk.services.movein import handbook
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation import views as renovation_views
from frontdesk.services.renovation.views import RenovationFacts


def _money(facts: RenovationFacts, purposes: tuple[str, ...]) -> str:
    lines = [c for c in facts.charges if c.purpose in purposes]
    return "；".join(
        f"{c.fee_item} {format_yuan(c.due_fen)} 元（{'已缴' if not c.outstanding_fen else '未缴'}）"
        for c in lines
    )


def _doc(db: Database, actor: Actor, renovation_id: int) -> tuple[RenovationDoc, RenovationFacts]:
    facts = renovation_views.facts(db, actor, renovation_id)
    row = facts.row
    doc = RenovationDoc(
        number=row.number,
        room_code=row.room_code,
        place=row.place,
        owners=tuple(p.name for p in households.open_file(db, actor, row.room_id).owners),
        applicant=f"{row.applicant}（{'租户，已授权' if facts.applicant_is_tenant else '业主'}）",
        applicant_phone=facts.applicant_phone,
        contractor=row.contractor,
        contractor_person=row.contractor_person,
        contractor_phone=facts.contractor_phone,
        licence_no=facts.licence_no,
        starts_on=f"{row.starts_on:%Y-%m-%d}",
        ends_on=f"{row.ends_on:%Y-%m-%d}",
        scope=row.scope,
        working_hours=renovations.renovation_settings(db).working_hours,
        status=row.status.label,
        permit_no=row.permit_no,
        deposit_text=_money(facts, ("deposit",)),
        fees_text=_money(facts, ("fee",)),
    )
    return doc, facts


def _printout(
    kind: DocKind, pdf: bytes, doc: RenovationDoc, facts: RenovationFacts, version: str = ""
) -> Printout:
    """A renovation paper for the register: it belongs to the room, and a later copy
    of the same paper (same renovation, same `version` of its content) is a reprint."""
    reference = f"{doc.number}/{version}" if version else doc.number
    issue = Issue(kind, f"{kind.label} {doc.number}", reference, (Subject(facts.row.room_id),))
    return Printout(pdf, issue)


def application(db: Database, actor: Actor, renovation_id: int) -> Printout:
    require(actor, Permission.PRINT_REPORTS)
    doc, facts = _doc(db, actor, renovation_id)
    pdf = application_pdf(letterhead(db), doc, facts.documents, all_scopes=SCOPES)
    return _printout(DocKind.RENOVATION_APPLICATION, pdf, doc, facts)


def permit(db: Database, actor: Actor, renovation_id: int, today: date | None = None) -> Printout:
    require(actor, Permission.PRINT_REPORTS)
    doc, facts = _doc(db, actor, renovation_id)
    if not doc.permit_no:
        raise UserError("尚未发装修许可证（须先审批，并在收费处缴清装修押金和费用）。")
    _refuse_invalid(facts, "装修许可证", today)
    phone = community.get_community(db).service_phone
    issued = facts.row.permit_issued_on
    # The day it was issued, kept when issued; a permit from before that was kept
    # shows a line to write the date on, never the day it is printed.
    issued_on = f"{issued:%Y年%m月%d日}" if issued else ""
    pdf = permit_pdf(letterhead(db), doc, phone, issued_on=issued_on)
    return _printout(DocKind.RENOVATION_PERMIT, pdf, doc, facts)


def _refuse_invalid(facts: RenovationFacts, paper: str, today: date | None) -> None:
    """A permit or pass of stopped, finished or expired works is not printed: on a door
    or at the gate it would say the works may go on."""
    row = facts.row
    reason = permit_refusal(row.status, row.ends_on, today or clock.today(), paper)
    if reason:
        raise UserError(reason)


def passes(db: Database, actor: Actor, renovation_id: int, today: date | None = None) -> Printout:
    require(actor, Permission.PRINT_REPORTS)
    doc, facts = _doc(db, actor, renovation_id)
    _refuse_invalid(facts, "装修出入证", today)
    workers = [w for w in renovation_site.list_workers(db, actor, renovation_id) if w.valid]
    if not workers:
        raise UserError("该装修还没有有效的施工人员出入证。")
    pdf = passes_pdf(
        letterhead(db),
        [
            WorkerPass(
                w.pass_no,
                w.name,
                w.trade,
                w.phone,
                w.id_number,
                f"{w.valid_until:%Y-%m-%d}",
                doc.room_code,
                doc.contractor,
            )
            for w in workers
        ],
    )
    return _printout(DocKind.WORKER_PASSES, pdf, doc, facts)


def rectification(db: Database, actor: Actor, renovation_id: int) -> Printout:
    """整改通知 (停工整改通知 when one of them stops the work) for the open violations."""
    require(actor, Permission.PRINT_REPORTS)
    doc, facts = _doc(db, actor, renovation_id)
    if not facts.open_violations:
        raise UserError("该装修没有待整改的违规。")
    # Each violation was served with its own notice, numbered and dated when recorded.
    notices = [
        Rectification(
            v.notice_no,
            f"{v.found_on:%Y-%m-%d}",
            [v.description],
            f"{v.deadline:%Y-%m-%d}",
            v.stop_work,
        )
        for v in sorted(facts.open_violations, key=lambda v: (v.found_on, v.notice_no))
    ]
    pdf = rectifications_pdf(letterhead(db), doc, notices)
    # The same open notices printed again are a reprint; new ones are another paper.
    version = "、".join(n.notice_no for n in notices)
    return _printout(DocKind.RECTIFICATION, pdf, doc, facts, version)


def acceptance(db: Database, actor: Actor, renovation_id: int) -> Printout:
    """竣工验收单 with the node inspections; deductions as refunded at the cashier."""
    require(actor, Permission.PRINT_REPORTS)
    doc, facts = _doc(db, actor, renovation_id)
    lines = [
        InspectionLine(
            i.node.label,
            f"{i.inspected_on:%Y-%m-%d}",
            "合格" if i.passed else "不合格",
            i.note,
            f"{i.deadline:%Y-%m-%d}" if i.deadline else "",
        )
        for i in facts.inspections
    ]
    settled = facts.row.status in (Status.SETTLED, Status.CLOSED)
    done = next((i for i in reversed(facts.inspections) if i.node == Node.COMPLETION.value), None)
    pdf = acceptance_pdf(
        letterhead(db),
        doc,
        lines,
        accepted_on=f"{done.inspected_on:%Y-%m-%d}" if done else "",
        result="合格" if done else "",
        deductions=renovation_views.deposit_deductions(db, actor, renovation_id) if settled else [],
    )
    return _printout(DocKind.RENOVATION_ACCEPTANCE, pdf, doc, facts)


def guide(db: Database, actor: Actor, today: date | None = None) -> Printout:
    """装修指南 as the supervisor keeps it, filled from today's settings."""
    require(actor, Permission.PRINT_REPORTS)
    sections, edition = handbook.compose(db, today, handbook.GUIDE)
    pdf = handbook_pdf(
        letterhead(db),
        [HandbookSection(s.title, s.body) for s in sections],
        edition=edition,
        title=handbook.GUIDE.title,
    )
    return Printout(pdf, Issue(DocKind.RENOVATION_GUIDE, f"装修指南 {edition}"))
