"""催缴 notices: the wording a supervisor keeps per level, drafts for the households
chosen, notice numbers, and the record of each notice printed (the stored PDF is the
evidence: its hash and page are kept with the reminder)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from frontdesk.db import settings
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, Person, ReceiptSeries, Reminder, Room, Unit
from frontdesk.db.turns import locked_series
from frontdesk.domain import clock
from frontdesk.domain.arrears import Channel
from frontdesk.domain.household import PersonKind
from frontdesk.domain.issued import DocKind, Issue, Output, Printout, Subject
from frontdesk.domain.periods import Period
from frontdesk.domain.reminders import (
    DEFAULT_WORDING,
    EARLIER,
    LEVEL_TITLES,
    OLD_PLACEHOLDERS,
    PLACEHOLDERS,
    DeliveryMethod,
    DeliveryState,
    ReminderWording,
    ServedNotice,
    debt_key,
    earlier_claims,
    forbidden_phrases,
    level_refusal,
    month_spans,
    room_order,
    unknown_placeholders,
    upgraded,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require
from frontdesk.services.arrears.listing import (
    ArrearsFilter,
    ArrearsRow,
    OpenItem,
    arrears_report,
    delivery_text,
)
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.scope import in_scope_only, require_in_scope, room_of

NOTICE_SERIES = "CJ"
LEVELS = (1, 2, 3)
OVERRIDE_PERMISSION = Permission.MANAGE_FEES  # the supervisor who keeps the wording


def _key(level: int) -> str:
    return f"reminder_wording_{level}"


def wording(db: Database, level: int) -> ReminderWording:
    """The wording of a level, in the Chinese placeholders even where an older wording
    slipped past migration 0021 (a settings row written by an older program since)."""
    _check_level(level)
    with db.read() as session:
        return upgraded(settings.load(session, _key(level), DEFAULT_WORDING[level]))


def set_wording(db: Database, actor: Actor, level: int, text: ReminderWording) -> None:
    """A supervisor's own wording; never a threat to cut water, power, gas or heating."""
    require(actor, Permission.MANAGE_FEES)
    _check_level(level)
    for field_name, label in (("title", "标题"), ("body", "正文"), ("closing", "缴费方式与联系")):
        value = getattr(text, field_name).strip()
        if not value:
            raise ValidationError(label, "不能为空")
        check_text(label, value)
    with db.write(actor) as session:
        settings.save(session, _key(level), text)


def check_text(label: str, value: str) -> None:
    """No threat to cut supplies, only placeholders a notice fills, and no claim of
    earlier reminders but {已送达通知}."""
    found = forbidden_phrases(value)
    if found:
        raise ValidationError(
            label,
            f"不得含有“{found[0]}”等以停止供水、供电、供气、供热等方式催缴的内容"
            "（《民法典》第九百四十四条）",
        )
    unknown = unknown_placeholders(value)
    if unknown:
        name = unknown[0]
        now = f"，现写作 {{{OLD_PLACEHOLDERS[name]}}}" if name in OLD_PLACEHOLDERS else ""
        raise ValidationError(
            label,
            f"未知的占位符 {{{name}}}{now}；可用的有："
            + "、".join(f"{{{p}}}" for p in PLACEHOLDERS),
        )
    claims = earlier_claims(value)
    if claims:
        raise ValidationError(
            label,
            f"不得写“{claims[0]}”这类笼统的已催缴说法：请用 {EARLIER}，"
            "由系统引用实际送达的通知及其日期、编号",
        )


def _check_level(level: int) -> None:
    if level not in LEVELS:
        raise ValidationError("通知级别", "应为 1（温馨提示）、2（催缴通知单）或 3（催告函）")


@dataclass(frozen=True)
class NoticeLine:
    item: str
    periods: str  # 2026年1月至3月、2026年6月: the months actually unpaid
    amount_fen: int


@dataclass(frozen=True)
class NoticeDraft:
    room_id: int
    room_code: str
    place: str
    owner: str
    lines: tuple[NoticeLine, ...]  # the 物业服务费 debt: what the notice demands
    total_fen: int  # of `lines`
    late_fee_fen: int
    oldest_period: str  # of the demanded debt
    months: int
    on_behalf: tuple[NoticeLine, ...] = ()  # 代收 water, power: listed apart, not demanded
    on_behalf_fen: int = 0
    debt_keys: tuple[str, ...] = ()  # domain.reminders.debt_key of each demanded charge
    earlier: tuple[ServedNotice, ...] = ()  # this household's notices, oldest first
    refusal: str = ""  # why the level asked for may not go (a supervisor may override)
    oldest_key: str | None = None  # the oldest demanded charge: "the same debt"


def draft_notices(
    db: Database,
    actor: Actor,
    flt: ArrearsFilter | None = None,
    today: date | None = None,
    level: int = 1,
) -> list[NoticeDraft]:
    """One draft per household of the arrears list, in building, unit and room order,
    each with why a notice of `level` may not go yet ('' when it may). Levels 2 and 3
    demand the property fees: a household owing only 代收 items is no candidate."""
    _check_level(level)
    today = today or clock.today()
    rows = arrears_report(db, actor, flt or ArrearsFilter(), today).rows
    earlier = _earlier(db, [row.room_id for row in rows])
    drafts = [_draft(row, tuple(earlier.get(row.room_id, ())), level, today) for row in rows]
    if level >= 2:
        drafts = [d for d in drafts if d.oldest_key is not None]
    return sorted(drafts, key=lambda d: room_order(d.room_code))


def _earlier(db: Database, room_ids: list[int]) -> dict[int, list[ServedNotice]]:
    found: dict[int, list[ServedNotice]] = {}
    with db.read() as session:
        for chunk in range(0, len(room_ids), 500):
            for reminder in session.scalars(
                select(Reminder)
                .where(
                    Reminder.room_id.in_(room_ids[chunk : chunk + 500]),
                    Reminder.delivery.is_not(None),
                )
                .order_by(Reminder.at, Reminder.id)
            ):
                found.setdefault(reminder.room_id, []).append(_served(reminder))
    return found


def _served(reminder: Reminder) -> ServedNotice:
    delivered = reminder.delivery == DeliveryState.DELIVERED
    return ServedNotice(
        reminder.level,
        reminder.notice_number or "",
        reminder.delivered_on if delivered else None,
        frozenset(filter(None, reminder.debt_keys.split("\n"))),
        (reminder.delivery_method or "") if delivered else "",
    )


def _lines(items: list[OpenItem]) -> tuple[NoticeLine, ...]:
    months: dict[str, list[Period]] = {}
    once: dict[str, list[str]] = {}
    amounts: dict[str, int] = {}
    for item in items:
        if item.period:
            months.setdefault(item.fee_item, []).append(Period.parse(item.period))
        else:
            once.setdefault(item.fee_item, []).append(
                f"{item.start_on.year}年{item.start_on.month}月{item.start_on.day}日"
            )
        amounts[item.fee_item] = amounts.get(item.fee_item, 0) + item.open_fen
    lines = []
    for name in amounts:
        parts = [month_spans(months[name])] if name in months else []
        parts += once.get(name, [])
        lines.append(NoticeLine(name, "、".join(parts), amounts[name]))
    return tuple(lines)


def _draft(
    row: ArrearsRow, earlier: tuple[ServedNotice, ...], level: int, today: date
) -> NoticeDraft:
    own = [item for item in row.items if not item.on_behalf]
    utility = [item for item in row.items if item.on_behalf]
    oldest = min(own, key=lambda i: (i.due_on, i.fee_item)) if own else None
    keys = tuple(debt_key(i.fee_item, i.period, i.start_on) for i in own)
    oldest_key = debt_key(oldest.fee_item, oldest.period, oldest.start_on) if oldest else None
    if oldest is None:
        oldest_label = ""
    elif oldest.period:
        oldest_label = Period.parse(oldest.period).label
    else:
        oldest_label = f"{oldest.start_on.year}年{oldest.start_on.month}月{oldest.start_on.day}日"
    return NoticeDraft(
        row.room_id,
        row.room_code,
        row.place,
        row.owner,
        _lines(own),
        sum(i.open_fen for i in own),
        row.late_fee_fen,
        oldest_label,
        row.months,
        _lines(utility),
        sum(i.open_fen for i in utility),
        keys,
        earlier,
        level_refusal(level, oldest_key, list(earlier), today),
        oldest_key,
    )


# -- how to pay --------------------------------------------------------------------------

PAYMENT_KEY = "payment_details"


@dataclass(frozen=True)
class PaymentDetails:
    """How an owner pays, printed on every notice: the counter and its hours, and the
    account for a bank transfer."""

    counter_hours: str = ""  # 周一至周日 8:30-17:30
    account_name: str = ""  # 户名
    bank: str = ""  # 开户行
    account_number: str = ""  # 账号


PAYMENT_LABELS = {
    "counter_hours": "收费处办公时间",
    "account_name": "收款账户户名",
    "bank": "收款账户开户行",
    "account_number": "收款账号",
}


def payment_details(db: Database) -> PaymentDetails:
    with db.read() as session:
        return settings.load(session, PAYMENT_KEY, PaymentDetails())


def set_payment_details(db: Database, actor: Actor, details: PaymentDetails) -> None:
    """Kept with the community's settings; each field is required."""
    require(actor, Permission.EDIT_COMMUNITY)
    clean = {}
    for name, label in PAYMENT_LABELS.items():
        value = " ".join(str(getattr(details, name)).split())
        if not value:
            raise ValidationError(label, "不能为空")
        if len(value) > 60:
            raise ValidationError(label, "不超过 60 字")
        clean[name] = value
    if not any(c.isdigit() for c in clean["account_number"]):
        raise ValidationError("收款账号", "应为银行账号")
    with db.write(actor) as session:
        settings.save(session, PAYMENT_KEY, PaymentDetails(**clean))


def require_payment_details(db: Database) -> PaymentDetails:
    """The payment settings, or a refusal naming the first one missing."""
    details = payment_details(db)
    for name, label in PAYMENT_LABELS.items():
        if not getattr(details, name).strip():
            raise ValidationError(
                label, f"尚未设置{label}：请在“催缴 → 通知措辞 → 缴费方式”中填写后再打印催缴通知"
            )
    return details


# -- numbers, the printed record, the override ---------------------------------------------


def peek_notice_numbers(db: Database, count: int, today: date) -> list[str]:
    """The numbers the next `count` notices will take; nothing is written (a preview
    shows them; `record_notices` takes them, or refuses if another batch did first)."""
    with db.read() as session:
        series = session.get(ReceiptSeries, NOTICE_SERIES)
        if series is None:
            raise NotFound("催缴通知号段不存在。")
        first = series.next_number
    return [_number(today, first + i) for i in range(count)]


def _number(today: date, value: int) -> str:
    return f"{NOTICE_SERIES}-{today.year}-{value:06d}"


def take_notice_numbers(db: Database, actor: Actor, count: int, today: date) -> list[str]:
    """Numbers taken at once (a cancelled print leaves a gap: notices, unlike
    receipts, need no unbroken series)."""
    require(actor, Permission.CHASE_ARREARS)
    with db.write(actor) as session:
        series = locked_series(session, NOTICE_SERIES)
        if series is None:
            raise NotFound("催缴通知号段不存在。")
        first = series.next_number
        series.next_number = first + count
    return [_number(today, first + i) for i in range(count)]


def check_batch(
    actor: Actor, level: int, drafts: list[NoticeDraft], overrides: Mapping[int, str]
) -> None:
    """Refuse a batch with a household whose level is not due, unless a supervisor
    overrides it with a reason (kept with the notice and in the audit log)."""
    _check_level(level)
    if overrides:
        require(actor, OVERRIDE_PERMISSION)
    for room_id, reason in overrides.items():
        if len(reason.strip()) < 4:
            raise ValidationError("特批原因", "请写明越级发送的原因（至少 4 个字）")
        if room_id not in {d.room_id for d in drafts}:
            raise ValidationError("特批原因", "特批的房屋不在本批名单中")
    for draft in drafts:
        if level >= 2 and draft.oldest_key is None:  # no override makes water a 944 demand
            raise ValidationError(
                "通知级别", f"{draft.room_code}没有物业服务费欠费，不能发{LEVEL_TITLES[level]}"
            )
    refused = [d for d in drafts if d.refusal and d.room_id not in overrides]
    if refused:
        first = refused[0]
        more = f"等 {len(refused)} 户" if len(refused) > 1 else ""
        raise ValidationError(
            "通知级别",
            f"{first.room_code}{more}不能发{LEVEL_TITLES[level]}：{first.refusal}。"
            "请先发并登记送达上一级通知，或由主管特批并写明原因",
        )


def record_notices(
    db: Database,
    actor: Actor,
    level: int,
    drafts: list[NoticeDraft],
    numbers: list[str],
    pdf: bytes,
    pages: list[int],
    *,
    overrides: Mapping[int, str] | None = None,
    how: Output = Output.PRINTED,
    today: date | None = None,
) -> str:
    """The batch was printed or saved: take its numbers (refused if another batch took
    them since the preview), keep the PDF by its hash, register it, and record each
    notice as 已打印，待送达. Printing is no demand: only `record_delivery` makes one.
    Returns the register number."""
    require(actor, Permission.CHASE_ARREARS)
    overrides = dict(overrides or {})
    today = today or clock.today()
    # the level order as the record stands now, not as it stood at the preview
    earlier = _earlier(db, [d.room_id for d in drafts])
    now = [
        replace(d, refusal=level_refusal(level, d.oldest_key, earlier.get(d.room_id, []), today))
        for d in drafts
    ]
    check_batch(actor, level, now, overrides)
    staged = issued_documents.staged_bytes(db, pdf)
    sha256 = staged.sha256
    title = LEVEL_TITLES[level]
    span = numbers[0] if len(numbers) == 1 else f"{numbers[0]}至{numbers[-1]}"
    issue = Issue(
        DocKind.REMINDER,
        f"{title} {span}（{len(drafts)} 户）",
        numbers[0] if len(numbers) == 1 else "",
        tuple(Subject(room_id=d.room_id, page=page) for d, page in zip(drafts, pages, strict=True)),
    )
    with db.write(actor) as session:
        staged.keep(session)
        for draft in drafts:  # a butler records notices for the buildings in their care
            _room, building, _unit = room_of(session, draft.room_id)
            require_in_scope(actor, Permission.CHASE_ARREARS, building)
        series = locked_series(session, NOTICE_SERIES)
        if series is None:
            raise NotFound("催缴通知号段不存在。")
        if numbers != [_number(today, series.next_number + i) for i in range(len(numbers))]:
            raise ValidationError("通知编号", "编号已被另一批通知占用，请重新生成后再打印")
        series.next_number += len(numbers)
        session.add_all(
            Reminder(
                room_id=draft.room_id,
                by_id=actor.user_id,
                by_name=actor.display_name,
                channel=Channel.DELIVERED,
                level=level,
                written=False,  # a demand only once its delivery is recorded
                owed_fen=draft.total_fen,
                outcome=f"打印{title}",
                notice_number=number,
                document_sha256=sha256,
                document_page=page,
                delivery=DeliveryState.PRINTED,
                debt_keys="\n".join(draft.debt_keys),
                override_reason=overrides[draft.room_id].strip()
                if draft.room_id in overrides
                else None,
                override_by_name=actor.display_name if draft.room_id in overrides else None,
            )
            for draft, number, page in zip(drafts, numbers, pages, strict=True)
        )
        document = issued_documents.record_in(session, actor, Printout(pdf, issue), sha256, how)
        return document.number


# -- delivery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryInput:
    method: DeliveryMethod
    delivered_on: date
    signer: str = ""  # 签收人 (当面签收)
    relation: str = ""  # 与业主关系: 本人, 配偶, 子女 …
    tracking_number: str = ""  # 挂号信 / EMS


def record_delivery(
    db: Database,
    actor: Actor,
    reminder_ids: list[int],
    data: DeliveryInput,
    today: date | None = None,
) -> int:
    """Record how and when the printed notices reached the households (one or a batch
    delivered the same way on the same day); a delivered level 2 or 3 notice restarts
    the limitation clock from `delivered_on`. Returns how many were recorded."""
    require(actor, Permission.CHASE_ARREARS)
    today = today or clock.today()
    if not reminder_ids:
        raise ValidationError("送达登记", "请先选择要登记送达的通知")
    if data.delivered_on > today:
        raise ValidationError("送达日期", "不能晚于今天")
    signer, relation = data.signer.strip(), data.relation.strip()
    tracking = "".join(data.tracking_number.split()).upper()
    if data.method.needs_signer and not signer:
        raise ValidationError("签收人", "当面签收须填写签收人")
    if data.method.needs_signer and not relation:
        raise ValidationError("与业主关系", "请填写签收人与业主的关系（本人、配偶、子女等）")
    if data.method.needs_tracking and not tracking:
        raise ValidationError("邮件单号", f"{data.method.value}须填写邮件单号")
    if len(signer) > 40 or len(relation) > 20 or len(tracking) > 40:
        raise ValidationError("送达登记", "签收人、关系或单号过长")
    with db.write(actor) as session:
        reminders = list(session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids))))
        if len(reminders) != len(set(reminder_ids)):
            raise NotFound("所选通知已不存在，请刷新后重选。")
        for reminder in sorted(reminders, key=lambda r: r.id):
            _room, building, _unit = room_of(session, reminder.room_id)
            require_in_scope(actor, Permission.CHASE_ARREARS, building)
            number = reminder.notice_number or str(reminder.id)
            if reminder.delivery != DeliveryState.PRINTED:
                state = "已登记送达" if reminder.delivery else "不是打印的通知"
                raise ValidationError("送达登记", f"{number}{state}")
            if data.delivered_on < reminder.at.astimezone().date():
                raise ValidationError("送达日期", f"不能早于{number}的打印日期")
            if reminder.level >= 2 and not data.method.evidence:
                raise ValidationError(
                    "送达方式", f"{number}为书面催告，须当面签收或挂号信、EMS 寄送"
                )
            reminder.delivery = DeliveryState.DELIVERED
            reminder.delivered_on = data.delivered_on
            reminder.delivery_method = data.method
            reminder.signer = signer or None
            reminder.signer_relation = relation or None
            reminder.tracking_number = tracking or None
            reminder.delivery_by_name = actor.display_name
            reminder.written = reminder.level >= 2
    return len(reminders)


@dataclass(frozen=True)
class NoticeRow:
    """A printed notice in the 送达登记 list."""

    reminder_id: int
    number: str
    level: int
    title: str
    room_code: str
    owner: str
    printed_on: date
    owed_fen: int
    state: str  # 已打印，待送达 / 已送达 …
    delivered: bool
    override: str


def printed_notices(
    db: Database, actor: Actor, *, pending_only: bool = False, building_id: int | None = None
) -> list[NoticeRow]:
    """The notices printed, newest first then by room; a butler sees their buildings."""
    require(actor, Permission.CHASE_ARREARS)
    query = (
        select(Reminder, Building.code, Unit.code, Room.number)
        .join(Room, Reminder.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Reminder.delivery.is_not(None))
    )
    if pending_only:
        query = query.where(Reminder.delivery == DeliveryState.PRINTED)
    if building_id is not None:
        query = query.where(Room.building_id == building_id)
    query = in_scope_only(query, actor)
    rows = []
    with db.read() as session:
        found = list(session.execute(query))
        owners: dict[int, str] = {}
        room_ids = list({r.room_id for r, *_ in found})
        for chunk in range(0, len(room_ids), 500):
            for room_id, name in session.execute(
                select(Person.room_id, Person.name)
                .where(
                    Person.room_id.in_(room_ids[chunk : chunk + 500]),
                    Person.kind == PersonKind.OWNER,
                )
                .order_by(Person.id)
            ):
                owners.setdefault(room_id, name)
        for reminder, b_code, u_code, number in found:
            rows.append(
                NoticeRow(
                    reminder.id,
                    reminder.notice_number or "",
                    reminder.level,
                    LEVEL_TITLES.get(reminder.level, ""),
                    room_code(b_code, u_code, number),
                    owners.get(reminder.room_id, ""),
                    reminder.at.astimezone().date(),
                    reminder.owed_fen,
                    delivery_text(reminder),
                    reminder.delivery == DeliveryState.DELIVERED,
                    reminder.override_reason or "",
                )
            )
    rows.sort(key=lambda r: (-r.printed_on.toordinal(), room_order(r.room_code), r.number))
    return rows


def notice_copy(db: Database, actor: Actor, reminder_number: str) -> Path:
    """The stored PDF a notice was printed in (evidence for a dispute)."""
    require(actor, Permission.CHASE_ARREARS)
    with db.read() as session:
        sha256 = session.scalar(
            select(Reminder.document_sha256).where(Reminder.notice_number == reminder_number)
        )
    if not sha256:
        raise NotFound(f"找不到催缴通知 {reminder_number}。")
    path = issued_documents.stored_documents(db).local_file(sha256)
    if path is None:
        raise NotFound(
            f"催缴通知 {reminder_number} 的存档文件不见了，请运行 frontdesk check 检查。"
        )
    return path


def ids_of_notices(db: Database, actor: Actor, numbers: list[str]) -> list[int]:
    """The records of notices by their numbers (CJ-2026-000123), refusing an unknown one."""
    require(actor, Permission.CHASE_ARREARS)
    with db.read() as session:
        found = dict(
            session.execute(
                select(Reminder.notice_number, Reminder.id).where(
                    Reminder.notice_number.in_(numbers)
                )
            ).all()
        )
    for number in numbers:
        if number not in found:
            raise NotFound(f"找不到催缴通知 {number}。")
    return [found[number] for number in numbers]
