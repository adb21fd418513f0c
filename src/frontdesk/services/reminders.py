"""催缴 notices: the wording a supervisor keeps per level, drafts for the households
chosen, notice numbers, and the record of each notice printed (the stored PDF is the
evidence: its hash and page are kept with the reminder)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import ReceiptSeries, Reminder, Setting
from frontdesk.domain.arrears import Channel
from frontdesk.domain.issued import DocKind, Output
from frontdesk.domain.periods import Period
from frontdesk.domain.reminders import DEFAULT_WORDING, ReminderWording, forbidden_phrases
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services import issued_documents
from frontdesk.services.access import require
from frontdesk.services.arrears import ArrearsFilter, ArrearsRow, arrears_report
from frontdesk.services.issued_documents import Issue, Printout, Subject

NOTICE_SERIES = "CJ"
LEVELS = (1, 2, 3)


def _key(level: int) -> str:
    return f"reminder_wording_{level}"


def wording(db: Database, level: int) -> ReminderWording:
    _check_level(level)
    with db.read() as session:
        setting = session.get(Setting, _key(level))
    return ReminderWording(**json.loads(setting.value)) if setting else DEFAULT_WORDING[level]


def set_wording(db: Database, actor: Actor, level: int, text: ReminderWording) -> None:
    """A supervisor's own wording; never a threat to cut water, power, gas or heating."""
    require(actor, Permission.MANAGE_FEES)
    _check_level(level)
    for field_name, label in (("title", "标题"), ("body", "正文"), ("closing", "缴费方式与联系")):
        value = getattr(text, field_name).strip()
        if not value:
            raise ValidationError(label, "不能为空")
        found = forbidden_phrases(value)
        if found:
            raise ValidationError(
                label,
                f"不得含有“{found[0]}”等以停止供水、供电、供气、供热等方式催缴的内容"
                "（《民法典》第九百四十四条）",
            )
    value = json.dumps(text.__dict__, ensure_ascii=False)
    with db.write(actor) as session:
        setting = session.get(Setting, _key(level))
        if setting is None:
            session.add(Setting(key=_key(level), value=value))
        else:
            setting.value = value


def _check_level(level: int) -> None:
    if level not in LEVELS:
        raise ValidationError("通知级别", "应为 1（温馨提示）、2（催缴通知单）或 3（催告函）")


@dataclass(frozen=True)
class NoticeLine:
    item: str
    periods: str  # 2026年8月至2026年10月
    amount_fen: int


@dataclass(frozen=True)
class NoticeDraft:
    room_id: int
    room_code: str
    place: str
    owner: str
    lines: tuple[NoticeLine, ...]
    total_fen: int
    late_fee_fen: int
    oldest_period: str
    months: int


def draft_notices(
    db: Database, actor: Actor, flt: ArrearsFilter | None = None, today: date | None = None
) -> list[NoticeDraft]:
    """One draft per household of the arrears list, for the last check before printing."""
    rows = arrears_report(db, actor, flt or ArrearsFilter(), today).rows
    return [_draft(row) for row in rows]


def _draft(row: ArrearsRow) -> NoticeDraft:
    spans: dict[str, list[str]] = {}
    amounts: dict[str, int] = {}
    for item in row.items:
        label = Period.parse(item.period).label if item.period else f"{item.start_on:%Y年%m月%d日}"
        spans.setdefault(item.fee_item, []).append(label)
        amounts[item.fee_item] = amounts.get(item.fee_item, 0) + item.open_fen
    lines = tuple(
        NoticeLine(
            name, labels[0] if len(labels) == 1 else f"{labels[0]}至{labels[-1]}", amounts[name]
        )
        for name, labels in spans.items()
    )
    return NoticeDraft(
        row.room_id,
        row.room_code,
        row.place,
        row.owner,
        lines,
        row.total_fen,
        row.late_fee_fen,
        row.oldest_period,
        row.months,
    )


def take_notice_numbers(db: Database, actor: Actor, count: int, today: date) -> list[str]:
    """Numbers for the notices about to print (a cancelled print leaves a gap: notices,
    unlike receipts, need no unbroken series)."""
    require(actor, Permission.CHASE_ARREARS)
    with db.write(actor) as session:
        series = session.get(ReceiptSeries, NOTICE_SERIES)
        if series is None:
            raise NotFound("催缴通知号段不存在。")
        first = series.next_number
        series.next_number = first + count
    return [f"{NOTICE_SERIES}-{today.year}-{first + i:06d}" for i in range(count)]


def record_notices(
    db: Database,
    actor: Actor,
    level: int,
    drafts: list[NoticeDraft],
    numbers: list[str],
    pdf: bytes,
    pages: list[int],
) -> str:
    """Keep the PDF by its hash, register it, and log a written reminder for each
    household; returns the register number."""
    require(actor, Permission.CHASE_ARREARS)
    _check_level(level)
    sha256 = issued_documents.store_bytes(db, pdf)
    title = DEFAULT_WORDING[level].title
    span = numbers[0] if len(numbers) == 1 else f"{numbers[0]}至{numbers[-1]}"
    issue = Issue(
        DocKind.REMINDER,
        f"{title} {span}（{len(drafts)} 户）",
        numbers[0] if len(numbers) == 1 else "",
        tuple(Subject(room_id=d.room_id, page=page) for d, page in zip(drafts, pages, strict=True)),
    )
    with db.write(actor) as session:
        session.add_all(
            Reminder(
                room_id=draft.room_id,
                by_id=actor.user_id,
                by_name=actor.display_name,
                channel=Channel.DELIVERED.value,
                level=level,
                written=level >= 2,
                owed_fen=draft.total_fen,
                outcome=f"打印{title}",
                notice_number=number,
                document_sha256=sha256,
                document_page=page,
            )
            for draft, number, page in zip(drafts, numbers, pages, strict=True)
        )
        document = issued_documents.record_in(
            session, actor, Printout(pdf, issue), sha256, Output.KEPT
        )
        return document.number


def notice_copy(db: Database, actor: Actor, reminder_number: str) -> Path:
    """The stored PDF a notice was printed in (evidence for a dispute)."""
    require(actor, Permission.CHASE_ARREARS)
    with db.read() as session:
        sha256 = session.scalar(
            select(Reminder.document_sha256).where(Reminder.notice_number == reminder_number)
        )
    if not sha256:
        raise NotFound(f"找不到催缴通知 {reminder_number}。")
    return issued_documents.stored_path(db, sha256)
