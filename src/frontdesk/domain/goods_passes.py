"""物品放行条: a resident moving furniture or appliances out applies at the counter;
the pass names the items, the vehicle and the time window, and is checked once at
the gate by scanning its number. No database."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from enum import StrEnum

from frontdesk.domain.day_numbers import day_number, parse_day_number
from frontdesk.errors import ValidationError

PREFIX = "FX"
MAX_PER_DAY = 999
MAX_ITEMS = 20
MAX_ITEM_CHARS = 40
MAX_WINDOW = timedelta(days=3)  # a move longer than that gets a new pass for each day
EARLY_AT_GATE = timedelta(hours=1)  # a van may arrive a little before the window
LATE_AT_GATE = timedelta(hours=1)  # or finish loading a little after it
DEFAULT_RETENTION_DAYS = 365  # the pass answers a later "who took it out" for a year
RETENTION_RANGE = (90, 3650)


class Applicant(StrEnum):
    OWNER = "owner"
    TENANT = "tenant"
    AGENT = "agent"  # someone the owner sent (family, mover)

    @property
    def label(self) -> str:
        return APPLICANT_LABELS[self]


APPLICANT_LABELS = {Applicant.OWNER: "业主", Applicant.TENANT: "租户", Applicant.AGENT: "受托人"}


class Consent(StrEnum):
    """How the owner agreed to goods leaving a flat applied for by someone else."""

    PHONE = "phone"
    WRITTEN = "written"
    IN_PERSON = "in_person"

    @property
    def label(self) -> str:
        return CONSENT_LABELS[self]


CONSENT_LABELS = {
    Consent.PHONE: "电话确认",
    Consent.WRITTEN: "书面同意",
    Consent.IN_PERSON: "到场确认",
}


class PassState(StrEnum):
    OPEN = "open"  # issued, not yet through the gate
    USED = "used"
    EXPIRED = "expired"  # its window passed unused
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    PassState.OPEN: "待放行",
    PassState.USED: "已放行",
    PassState.EXPIRED: "已过期",
    PassState.CANCELLED: "已作废",
}


def pass_number(day: date, sequence: int) -> str:
    """FX-261207003: the day (yymmdd) and the pass's sequence that day."""
    return day_number(PREFIX, day, sequence)


def parse_pass_number(text: str, field: str = "放行条号") -> str:
    """What a clerk typed or a scanner sent (fx261207003, FX-261207003, 261207003)."""
    return parse_day_number(text, PREFIX, field, "FX-261207003")


def parse_items(text: str, field: str = "放行物品") -> tuple[str, ...]:
    """One item a line (or separated by ；/;): 双人床 1 张 / 冰箱 1 台."""
    items = tuple(i.strip() for i in re.split(r"[\n;；]", text) if i.strip())
    if not items:
        raise ValidationError(field, "请至少填写一件物品（每行一件，如 冰箱 1 台）")
    if len(items) > MAX_ITEMS:
        raise ValidationError(field, f"一张放行条最多 {MAX_ITEMS} 行物品（现有 {len(items)} 行）")
    for item in items:
        if len(item) > MAX_ITEM_CHARS:
            raise ValidationError(field, f"每行不能超过 {MAX_ITEM_CHARS} 个字：{item[:12]}…")
    return items


def check_window(start: datetime, end: datetime, now: datetime) -> None:
    """The time the goods go out: ahead, not in the past, at most MAX_WINDOW long."""
    if end <= start:
        raise ValidationError("放行时间", "结束时间应晚于开始时间")
    if end <= now:
        raise ValidationError("放行时间", "结束时间已过，请重新选择")
    if end - start > MAX_WINDOW:
        raise ValidationError("放行时间", f"一张放行条最长 {MAX_WINDOW.days} 天，请分开办理")
    if start.date() - now.date() > timedelta(days=30):
        raise ValidationError("放行时间", "只能办理 30 天以内的放行")


def check_consent(applicant: Applicant, consent: Consent | None, consent_by: str) -> None:
    """A tenant or someone sent by the owner needs the owner's consent, and who gave it."""
    if applicant == Applicant.OWNER:
        return
    if consent is None:
        raise ValidationError("业主同意方式", f"{applicant.label}办理须记录业主如何同意")
    if not consent_by:
        raise ValidationError("同意的业主", "请填写表示同意的业主姓名")


def pass_state(
    window_end: datetime, used_at: datetime | None, cancelled_at: datetime | None, now: datetime
) -> PassState:
    if cancelled_at is not None:
        return PassState.CANCELLED
    if used_at is not None:
        return PassState.USED
    if now > window_end + LATE_AT_GATE:
        return PassState.EXPIRED
    return PassState.OPEN


def window_text(start: datetime, end: datetime) -> str:
    """12-07 14:00–18:00, or 12-07 20:00–12-08 02:00 across midnight (local times)."""
    start, end = start.astimezone(), end.astimezone()
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%m-%d %H:%M}"
    return f"{start:%m-%d %H:%M}–{until}"


def check_retention_days(days: int) -> int:
    low, high = RETENTION_RANGE
    if not low <= days <= high:
        raise ValidationError("放行条信息保存天数", f"应在 {low} 到 {high} 天之间")
    return days
