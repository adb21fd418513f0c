"""催缴 notices assembled from the database: a batch is generated and previewed
(nothing recorded), then printed or saved (each notice recorded 已打印，待送达); only a
recorded delivery (`services.reminders.record_delivery`) makes it a demand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from frontdesk.documents.reminder import ReminderLine, ReminderNotice, reminders_pdf
from frontdesk.domain import clock
from frontdesk.domain.issued import Output
from frontdesk.domain.money import format_yuan, to_words
from frontdesk.domain.reminders import cited_notices, earlier_sentence, fill
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import UserError, ValidationError
from frontdesk.printouts import letterhead
from frontdesk.services import community
from frontdesk.services.access import require
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.reminders import NoticeDraft, PaymentDetails
from frontdesk.services.database import Database

DEFAULT_NOTICE_DAYS = 15  # a level 2 or 3 notice gives this long to pay by default


def _chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def payment_text(details: PaymentDetails, address: str, room: str) -> str:
    """缴费方式 as every notice prints it."""
    where = f"（{address}）" if address else ""
    return (
        f"缴费方式：① 到物业服务中心收费处{where}缴纳，办公时间{details.counter_hours}；"
        f"② 银行转账至 户名：{details.account_name}，开户行：{details.bank}，"
        f"账号：{''.join(details.account_number.split())}（请在附言中注明房号 {room}）。"
    )


def reminder_notices(
    db: Database,
    actor: Actor,
    drafts: list[NoticeDraft],
    level: int,
    deadline: date | None,
    numbers: list[str],
    today: date,
) -> list[ReminderNotice]:
    """The notices as they print; refused (naming the setting) when the company name,
    the service telephone or a payment setting is missing, or the wording has a
    placeholder no notice fills or claims earlier reminders other than through
    {已送达通知}."""
    require(actor, Permission.CHASE_ARREARS)
    text = reminders.wording(db, level)
    for label, value in (("标题", text.title), ("正文", text.body), ("结尾", text.closing)):
        reminders.check_text(label, value)
    info = community.get_community(db)
    if not info.company_name.strip():
        raise ValidationError(
            "物业公司名称", "尚未设置物业公司名称：请在“小区信息”中填写（通知以公司名义发出）"
        )
    if not info.service_phone.strip():
        raise ValidationError("服务中心电话", "尚未设置服务中心电话：请在“小区信息”中填写")
    details = reminders.require_payment_details(db)
    due = deadline or (today + timedelta(days=DEFAULT_NOTICE_DAYS))
    if level >= 2 and due <= today:
        raise ValidationError("缴费期限", "应晚于今天")
    notices = []
    for draft, number in zip(drafts, numbers, strict=True):
        cited = cited_notices(level, list(draft.earlier), draft.debt_keys)
        values = {
            "业主": draft.owner or "业主",
            "房号": draft.room_code,
            "欠费金额": format_yuan(draft.total_fen),
            "最早欠费月份": draft.oldest_period,
            "缴费期限": _chinese(due),
            "已送达通知": earlier_sentence(cited),
            "小区名称": info.name,
            "物业公司": info.company_name,
            "小区地址": info.address,
            "服务中心电话": info.service_phone,
            "发布日期": _chinese(today),
        }
        notices.append(
            ReminderNotice(
                level=level,
                number=number,
                addressee=" ".join(filter(None, [draft.place, draft.owner, "业主"])),
                room=draft.room_code,
                lines=tuple(
                    ReminderLine(line.item, line.periods, line.amount_fen) for line in draft.lines
                ),
                total_fen=draft.total_fen,
                total_words=to_words(draft.total_fen),
                late_fee_fen=draft.late_fee_fen,
                oldest_period=draft.oldest_period,
                deadline=values["缴费期限"] if level >= 2 else "",
                issued_on=_chinese(today),
                title=fill(text.title, values),
                body=fill(text.body, values),
                closing=fill(text.closing, values),
                payment=payment_text(details, info.address, draft.room_code),
                on_behalf=tuple(
                    ReminderLine(line.item, line.periods, line.amount_fen)
                    for line in draft.on_behalf
                ),
                on_behalf_fen=draft.on_behalf_fen,
            )
        )
    return notices


@dataclass(frozen=True)
class ReminderBatch:
    """A generated batch: its PDF as it will print, and what recording it needs."""

    level: int
    drafts: list[NoticeDraft]
    numbers: list[str]
    pages: list[int]
    pdf: bytes
    today: date
    overrides: Mapping[int, str] = field(default_factory=dict)


def prepare_reminders(
    db: Database,
    actor: Actor,
    drafts: list[NoticeDraft],
    level: int,
    *,
    deadline: date | None = None,
    two_per_page: bool = False,
    overrides: Mapping[int, str] | None = None,
    today: date | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ReminderBatch:
    """Render the batch for preview with the numbers it will take; nothing is written.
    Refused when a household's level is not due (unless overridden) or a 催告函 would
    print two per page."""
    today = today or clock.today()
    overrides = dict(overrides or {})
    if not drafts:
        raise UserError("没有要打印催缴通知的欠费户。")
    if level >= 2 and two_per_page:
        name = "催告函" if level >= 3 else "催缴通知单"
        raise ValidationError("每页份数", f"{name}附送达回执，须一页一份，不能两份印在一页")
    reminders.check_batch(actor, level, drafts, overrides)
    numbers = reminders.peek_notice_numbers(db, len(drafts), today)
    notices = reminder_notices(db, actor, drafts, level, deadline, numbers, today)
    pdf = reminders_pdf(letterhead(db), notices, two_per_page, on_progress)
    pages = [index // 2 + 1 if two_per_page else index + 1 for index in range(len(drafts))]
    return ReminderBatch(level, list(drafts), numbers, pages, pdf, today, overrides)


def record_printed(db: Database, actor: Actor, batch: ReminderBatch, how: Output) -> str:
    """The batch was printed or saved: each notice is recorded 已打印，待送达 and the
    PDF kept as evidence; returns the register number."""
    return reminders.record_notices(
        db,
        actor,
        batch.level,
        batch.drafts,
        batch.numbers,
        batch.pdf,
        batch.pages,
        overrides=batch.overrides,
        how=how,
        today=batch.today,
    )


def print_reminders(
    db: Database,
    actor: Actor,
    drafts: list[NoticeDraft],
    level: int,
    *,
    deadline: date | None = None,
    two_per_page: bool = False,
    overrides: Mapping[int, str] | None = None,
    today: date | None = None,
    how: Output = Output.EXPORTED,
    on_progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Generate and record at once (the command line writing the file): one PDF, kept
    as evidence, each notice recorded 已打印，待送达."""
    batch = prepare_reminders(
        db,
        actor,
        drafts,
        level,
        deadline=deadline,
        two_per_page=two_per_page,
        overrides=overrides,
        today=today,
        on_progress=on_progress,
    )
    record_printed(db, actor, batch, how)
    return batch.pdf
