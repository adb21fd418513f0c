"""催缴 notices in three levels: 温馨提示, 催缴通知单, 催告函 (a written demand with a
deadline). Thousands go into one PDF, one per page or two per A4 with a cut line.

The wording never threatens to cut water, power, gas or heating: Civil Code art. 944
forbids collecting property fees that way (`forbidden_phrases` guards the text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReminderLine:
    item: str  # 物业服务费
    periods: str  # 2025年12月至2026年3月
    amount_fen: int


@dataclass(frozen=True)
class ReminderNotice:
    level: int  # 1 温馨提示, 2 催缴通知单, 3 催告函
    number: str  # CJ-2026-000123: the notice's own number (kept with the stored copy)
    addressee: str  # 3栋2单元1201室 张三 业主
    room: str  # 3-2-1201
    lines: tuple[ReminderLine, ...]
    total_fen: int
    total_words: str  # 人民币…
    late_fee_fen: int  # 0 when the community charges none
    oldest_period: str  # 2025年12月
    deadline: str  # 2026年12月10日 ('' for level 1)
    issued_on: str  # 2026年11月25日
    title: str  # 温馨提示 / 催缴通知单 / 催告函 (as the supervisor worded it)
    body: str  # placeholders filled; paragraphs separated by \n
    closing: str  # where and how to pay, the service-centre contact


@dataclass(frozen=True)
class ReminderWording:
    """What a supervisor edits per level; {room} {owner} {total} {deadline} {oldest} fill in."""

    title: str
    body: str
    closing: str  # where and how to pay, service-centre contact


def reminders_pdf(
    letterhead: object,
    notices: list[ReminderNotice],
    two_per_page: bool,
    on_progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """`on_progress(done, total)` is called every few notices; it may raise to cancel."""
    raise NotImplementedError
