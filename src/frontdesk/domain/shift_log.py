"""The shift handover book (交接班记录): what one register hands to the next shift, the
kinds of entry, how an entry stands, and how a drafted handover reads; no database.

Each register of the counter (visitors, parcels, keys, goods passes, lending, lost
property, work orders, the cash drawer) answers with one `HandoverItem`: a count, one
line of text for the book and the few details the incoming clerk must see by name.

An entry is never changed once written: the outgoing clerk's handover waits for the
incoming clerk to acknowledge it, and anything said later is a 补记 (a note entry of
its own, pointing at the handover it adds to)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.text import clean_text
from frontdesk.errors import ValidationError

NOTES_FIELD = "交班说明"
NOTES_LIMIT = 1000  # the outgoing clerk's notes: a paragraph or two, not a diary
MAX_DETAILS = 8  # details per register in the book; the rest is counted
DETAIL_LIMIT = 120
TEXT_LIMIT = 200


@dataclass(frozen=True)
class HandoverItem:
    register: str  # the register's name as the book prints it: 快递代收
    count: int  # open items (0: nothing to hand over)
    text: str  # one line: 待取快递 12 件，其中超过 3 天 4 件
    details: tuple[str, ...] = ()  # a few lines by name: 3-2-1201 顺丰 …8842 货架 A3


class EntryKind(StrEnum):
    HANDOVER = "handover"  # 交班: drafted by the program, acknowledged by the next clerk
    NOTE = "note"  # 补记: a later word on a handover, needs no acknowledgement

    @property
    def label(self) -> str:
        return ENTRY_KIND_LABELS[self]


ENTRY_KIND_LABELS = {EntryKind.HANDOVER: "交班", EntryKind.NOTE: "补记"}


class AckWay(StrEnum):
    COUNTER = "counter"  # in the 交接班 tab: user name and password typed there
    SIGN_IN = "sign_in"  # shown at the incoming clerk's sign-in to the program

    @property
    def label(self) -> str:
        return ACK_WAY_LABELS[self]


ACK_WAY_LABELS = {AckWay.COUNTER: "交接班页面签名确认", AckWay.SIGN_IN: "登录时确认"}


class EntryState(StrEnum):
    WAITING = "waiting"  # handed over, not yet acknowledged
    ACKNOWLEDGED = "acknowledged"
    NOTE = "note"

    @property
    def label(self) -> str:
        return ENTRY_STATE_LABELS[self]


ENTRY_STATE_LABELS = {
    EntryState.WAITING: "待接班确认",
    EntryState.ACKNOWLEDGED: "已接班",
    EntryState.NOTE: "补记",
}


def entry_state(kind: EntryKind, acknowledged: bool) -> EntryState:
    if kind == EntryKind.NOTE:
        return EntryState.NOTE
    return EntryState.ACKNOWLEDGED if acknowledged else EntryState.WAITING


def trimmed(item: HandoverItem) -> HandoverItem:
    """An item as the book keeps it: its text and details cut to their lengths, at most
    MAX_DETAILS details and a line saying how many more there are."""
    details = [d[:DETAIL_LIMIT] for d in item.details[:MAX_DETAILS]]
    if len(item.details) > MAX_DETAILS:
        details.append(f"……另有 {len(item.details) - MAX_DETAILS} 项")
    return HandoverItem(
        item.register[:20], max(item.count, 0), item.text[:TEXT_LIMIT], tuple(details)
    )


def items_json(items: Iterable[HandoverItem]) -> str:
    """The drafted items as stored in the entry (a snapshot: never recomputed)."""
    rows = [
        {"register": i.register, "count": i.count, "text": i.text, "details": list(i.details)}
        for i in map(trimmed, items)
    ]
    return json.dumps(rows, ensure_ascii=False)


def items_from_json(text: str) -> tuple[HandoverItem, ...]:
    rows = json.loads(text or "[]")
    return tuple(
        HandoverItem(r["register"], int(r["count"]), r["text"], tuple(r.get("details", ())))
        for r in rows
    )


def open_count(items: Sequence[HandoverItem]) -> int:
    """How many registers have something to hand over."""
    return sum(1 for item in items if item.count)


def summary(items: Sequence[HandoverItem]) -> str:
    """One line for the book's list: 在场访客 3 批；待处理工单 5 单 … or 无待交接事项."""
    open_items = [item.text for item in items if item.count]
    return "；".join(open_items) if open_items else "无待交接事项"


def check_notes(notes: str, *, required: bool) -> str:
    """The notes as kept; a 补记 must say something."""
    text = clean_text(notes, NOTES_FIELD, NOTES_LIMIT)
    if required and not text:
        raise ValidationError(NOTES_FIELD, "补记须写明补充的内容")
    return text
