"""The 物品放行条 of a pass, registered in the document register."""

from __future__ import annotations

from frontdesk.documents.goods_pass import GoodsPassDoc, goods_pass_pdf
from frontdesk.domain.clock import local_time
from frontdesk.domain.goods_passes import PassState
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.roles import Actor
from frontdesk.printouts import letterhead
from frontdesk.services import goods_passes
from frontdesk.services.database import Database
from frontdesk.services.goods_passes import GoodsPassRow


def pass_doc(row: GoodsPassRow) -> GoodsPassDoc:
    start, end = row.window_start.astimezone(), row.window_end.astimezone()
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    consent = f"{row.consent_text}" if row.consent is not None else ""
    return GoodsPassDoc(
        number=row.number,
        place=row.place,
        applicant=f"{row.applicant.label} {row.applicant_name}",
        phone=row.phone,
        consent=consent,
        items=row.items,
        plate=row.plate,
        window=f"{start:%Y-%m-%d %H:%M} 至 {until}",
        issued_at=local_time(row.issued_at, seconds=False),
        issued_by=row.issued_by,
        note=row.note,
        state="" if row.state == PassState.OPEN else row.state.label,
    )


def goods_pass(db: Database, actor: Actor, number: str) -> Printout:
    """The A5 pass of the number given (typed or scanned)."""
    row = goods_passes.find_pass(db, actor, number)
    pdf = goods_pass_pdf(letterhead(db), pass_doc(row))
    issue = Issue(
        DocKind.GOODS_PASS, f"物品放行条 {row.number}", row.number, (Subject(row.room_id),)
    )
    return Printout(pdf, issue)
