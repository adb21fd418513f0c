"""The 访客单 of a visit and the roll-call list of visitors inside now."""

from __future__ import annotations

from datetime import datetime

from frontdesk.documents.visitor_pass import (
    RollCallLine,
    VisitorPassDoc,
    roll_call_pdf,
    visitor_pass_pdf,
)
from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.roles import Actor
from frontdesk.domain.visitors import PassPaper
from frontdesk.printouts import letterhead
from frontdesk.services.database import Database
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors import settings as visitor_settings
from frontdesk.services.visitors.register import VisitRow


def pass_doc(row: VisitRow, clerk: str) -> VisitorPassDoc:
    return VisitorPassDoc(
        number=row.number,
        place=row.place,
        visitor=row.visitor,
        phone=row.phone,
        party_size=row.party_size,
        plate=row.plate,
        purpose=row.purpose.label,
        confirmation=row.confirmation_text,
        arrived_at=local_time(row.arrived_at, seconds=False),
        valid_until=local_time(row.expected_leave_at, seconds=False),
        clerk=clerk,
        note=row.note,
    )


def visitor_pass(
    db: Database, actor: Actor, visit_id: int, paper: PassPaper | None = None
) -> Printout:
    """The 访客单 on the paper given, or the one the settings name."""
    row = visitors.get_visit(db, actor, visit_id)
    paper = paper or visitor_settings.visitor_settings(db).pass_paper
    pdf = visitor_pass_pdf(letterhead(db), pass_doc(row, row.registered_by), paper)
    issue = Issue(DocKind.VISITOR_PASS, f"访客单 {row.number}", row.number, (Subject(row.room_id),))
    return Printout(pdf, issue)


def roll_call(
    db: Database, actor: Actor, now: datetime | None = None, assembly_point: str = ""
) -> Printout:
    """在场访客点名表 for a fire drill or an alarm: everyone not signed out, with the
    whole phone numbers of the visitor and the household (audited as an unmasking)."""
    now = now or clock.now()
    lines = [
        RollCallLine(
            number=r.visit.number,
            visitor=r.visit.visitor,
            phone=r.phone,
            party_size=r.visit.party_size,
            place=r.visit.place,
            purpose=r.visit.purpose.label,
            arrived_at=_short(r.visit.arrived_at),
            expected_leave=_short(r.visit.expected_leave_at),
            state=r.visit.state.label,
            host=r.host,
            host_phone=r.host_phone,
        )
        for r in visitors.roll_call(db, actor, now)
    ]
    at = local_time(now, seconds=False)
    pdf = roll_call_pdf(letterhead(db), lines, at, actor.display_name, assembly_point)
    return Printout(pdf, Issue(DocKind.ROLL_CALL, f"在场访客点名表 {at}"))


def _short(at: datetime) -> str:
    """11-25 14:03: the year is the one on the sheet's print time."""
    return at.astimezone().strftime("%m-%d %H:%M")
