"""Notices printed: planned by the service, drawn by the document, numbered, kept and
registered in one go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from frontdesk.documents.notice import NoticePage, notice_document
from frontdesk.domain import clock
from frontdesk.domain.issued import Printout
from frontdesk.domain.notices import NoticeMode
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError
from frontdesk.printouts import letterhead
from frontdesk.services import community
from frontdesk.services.database import Database
from frontdesk.services.notices import posting as notices

PREVIEW_NUMBER = "（预览，未编号）"


@dataclass(frozen=True)
class IssuedNotice:
    number: str  # TZ-2026-0012
    register_number: str  # FW-2026-000123
    printout: Printout
    copies: int


def _render(
    db: Database,
    plan: notices.NoticePlan,
    number: str,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[bytes, list[int]]:
    pages = [
        NoticePage(
            number=letter_number(number, index, plan.mode),
            title=copy.title,
            salutation=copy.salutation,
            body=copy.body,
            issuer=plan.issuer,
            issued_on=plan.issued_on,
            addressee=copy.addressee,
        )
        for index, copy in enumerate(plan.copies, 1)
    ]
    seal = community.get_community(db).seal_png
    return notice_document(letterhead(db), pages, plan.mode, seal, on_progress)


def letter_number(number: str, index: int, mode: NoticeMode) -> str:
    """Each household's letter has its own number, the notice's with the letter's place
    in the batch (TZ-2026-0012-0003), so a letter can be named and found again; a
    posted notice keeps the notice's number."""
    if mode is not NoticeMode.LETTER or number == PREVIEW_NUMBER:
        return number
    return f"{number}-{index:04d}"


def preview(
    db: Database,
    actor: Actor,
    request: notices.NoticeRequest,
    today: date | None = None,
    max_copies: int = 3,
) -> bytes:
    """How the notice will look (its first few copies); nothing numbered, kept or
    registered. A request with a draft template previews an unsaved edit."""
    plan = notices.plan(db, actor, request, today or clock.today())
    plan = replace(plan, copies=plan.copies[:max_copies])
    pdf, _pages = _render(db, plan, PREVIEW_NUMBER)
    return pdf


def issue_notice(
    db: Database,
    actor: Actor,
    request: notices.NoticeRequest,
    today: date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    at: datetime | None = None,
) -> IssuedNotice:
    """Check, number, draw, keep and register: the notice is in the archive and its
    PDF in the register before anyone prints it."""
    if request.draft is not None:
        raise UserError("模板尚未保存：请先保存模板，再发布通知。")
    today = today or clock.today()
    plan = notices.plan(db, actor, request, today)
    number = notices.take_number(db, actor, today)
    pdf, first_pages = _render(db, plan, number, on_progress)
    printout = Printout(pdf, notices.issue_of(plan, number, first_pages))
    register_number = notices.record(db, actor, plan, number, printout, at)
    return IssuedNotice(number, register_number, printout, len(plan.copies))
