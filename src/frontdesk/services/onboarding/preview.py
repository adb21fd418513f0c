"""The first lines of a file as they will be stored, for the clerk to look at before
committing: one table for every kind of line, personal numbers masked."""

from __future__ import annotations

from itertools import chain

from frontdesk.domain.money import format_yuan
from frontdesk.domain.onboarding import (
    ArrearsLine,
    DepositLine,
    HistoryLine,
    MeterLine,
    PaidThroughLine,
    PersonLine,
    PrepaidLine,
    ReadResult,
    RoomLine,
)
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.rooms import RoomType

PREVIEW_HEADERS = ("工作表", "行号", "房号", "类别", "导入后")
PREVIEW_LINES = 30

Line = (
    RoomLine
    | PersonLine
    | ArrearsLine
    | PrepaidLine
    | PaidThroughLine
    | DepositLine
    | HistoryLine
    | MeterLine
)


def preview_rows(read: ReadResult) -> tuple[tuple[str, ...], ...]:
    """The first PREVIEW_LINES lines in the file's row order (the sheets in the order
    their lines were read: the rooms sheet before the owners sheet linked to it)."""
    lines: list[Line] = list(
        chain(
            read.rooms,
            read.people,
            read.arrears,
            read.prepaid,
            read.paid_through,
            read.deposits,
            read.history,
            read.meters,
        )
    )
    order = dict.fromkeys(line.source.sheet for line in lines)
    sheets = {sheet: index for index, sheet in enumerate(order)}
    lines.sort(key=lambda line: (sheets[line.source.sheet], line.source.row))
    return tuple(
        (line.source.sheet, str(line.source.row), line.room.code, *_shown(line))
        for line in lines[:PREVIEW_LINES]
    )


def _yuan(fen: int) -> str:
    return f"{format_yuan(fen)} 元"


def _shown(line: Line) -> tuple[str, str]:
    if isinstance(line, RoomLine):
        parts = [
            f"{line.floor} 层" if line.floor is not None else "",
            f"{format_yuan(line.area_x100)} ㎡" if line.area_x100 is not None else "",
            (line.room_type or RoomType.RESIDENCE).label,
            line.status.label if line.status else "",
        ]
        return "房屋", " ".join(p for p in parts if p)
    if isinstance(line, PersonLine):
        phone = f" {mask_phone(line.phone)}" if line.phone else ""
        return "人员", f"{line.name}（{line.kind.label}）{phone}"
    if isinstance(line, ArrearsLine):
        return "期初欠费", f"{line.fee_item} {line.period.label} {_yuan(line.amount_fen)}"
    if isinstance(line, PrepaidLine):
        return "期初预存", _yuan(line.amount_fen)
    if isinstance(line, PaidThroughLine):
        return "已缴至", f"{line.fee_item} 缴至 {line.period.label}"
    if isinstance(line, DepositLine):
        return "押金", f"{line.kind} {_yuan(line.amount_fen)}"
    if isinstance(line, HistoryLine):
        return "历史缴费", f"{line.fee_item} {line.period} {_yuan(line.amount_fen)}"
    return "抄表", f"{line.meter.label} {format_yuan(line.reading_x100)}"
