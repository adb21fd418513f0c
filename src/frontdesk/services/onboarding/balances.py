"""Matching a file's balance lines (期初欠费, 期初预存, 已缴至, 押金), payment history and
meter readings against what is on file: what each adds, what a re-run finds already
there, and the lines refused."""

from __future__ import annotations

from collections import Counter
from typing import Any

from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.money import format_yuan
from frontdesk.domain.onboarding import (
    ArrearsLine,
    DepositLine,
    Field,
    HistoryLine,
    MeterLine,
    PaidThroughLine,
    PrepaidLine,
    ReadResult,
    Source,
)
from frontdesk.domain.periods import Period
from frontdesk.services.onboarding.on_file import ItemOnFile, OnFile
from frontdesk.services.onboarding.work import RoomRefs, Work, fit, missing_room, refuse

Seen = dict[tuple[Any, ...], int]  # a line's key -> the row that first said it


def _item(work: Work, source: Source, name: str, on_file: OnFile) -> ItemOnFile | None:
    item = on_file.items.get(name)
    if item is None:
        refuse(
            work,
            source,
            Field.FEE_ITEM,
            f"没有名为「{name}」的收费项目（请先在收费设置中添加，或在导入时对应到已有项目）",
        )
    return item


def match_balances(work: Work, rooms: RoomRefs, read: ReadResult) -> None:
    seen: Seen = {}
    for line in read.arrears:
        _arrears(work, rooms, line, seen)
    for prepaid in read.prepaid:
        _prepaid(work, rooms, prepaid, seen)
    for paid in read.paid_through:
        _paid_through(work, rooms, paid, seen)
    _deposits(work, rooms, read.deposits)
    _history(work, rooms, read.history)
    for meter in read.meters:
        _meter(work, rooms, meter, seen)


def _room_and(
    work: Work,
    rooms: RoomRefs,
    line: ArrearsLine | PaidThroughLine | MeterLine,
    item: ItemOnFile | None,
) -> tuple[int, ItemOnFile] | None:
    """The line's room id and fee item, or None (and the line refused) without either."""
    room_id = rooms.ref(line.room)
    if room_id is None:
        missing_room(work, line.source, line.room)
    if room_id is None or item is None:
        return None
    return room_id, item


def _once(work: Work, seen: Seen, key: tuple[Any, ...], source: Source, what: str) -> bool:
    """False (and the line refused) when an earlier line of the file said the same."""
    first = seen.setdefault(key, source.row)
    if first != source.row:
        refuse(work, source, Field.ROOM_CODE, f"与第 {first} 行重复（{what}）")
        return False
    return True


def _arrears(work: Work, rooms: RoomRefs, line: ArrearsLine, seen: Seen) -> None:
    found = _room_and(work, rooms, line, _item(work, line.source, line.fee_item, rooms.on_file))
    if found is None:
        return
    room_id, item = found
    period = str(line.period)
    if line.amount_fen <= 0:
        refuse(work, line.source, Field.ARREARS, "欠费金额须大于 0")
        return
    if not _once(
        work,
        seen,
        ("arrears", line.room.code, item.item_id, period),
        line.source,
        "同一房屋、项目和月份的欠费",
    ):
        return
    existing = rooms.on_file.bills.get((room_id, item.item_id, period))
    if existing is not None:
        import_id, amount = existing
        if import_id is None or amount != line.amount_fen:
            refuse(
                work,
                line.source,
                Field.PERIOD,
                f"本系统已有 {line.room.code} {line.period.label}的{line.fee_item}账单",
            )
        return
    first_run = rooms.on_file.first_run
    if first_run is not None and period >= first_run:
        refuse(
            work,
            line.source,
            Field.PERIOD,
            f"{line.period.label}已在本系统出账，不能再结转期初欠费",
        )
        return
    work.bills.append((line.room.code, item.item_id, line.period, line.amount_fen))


def _prepaid(work: Work, rooms: RoomRefs, line: PrepaidLine, seen: Seen) -> None:
    room_id = rooms.ref(line.room)
    if room_id is None:
        missing_room(work, line.source, line.room)
        return
    if line.amount_fen < 0:
        refuse(work, line.source, Field.PREPAID, "预存余额不能为负")
        return
    if line.amount_fen == 0 or not _once(
        work, seen, ("prepaid", line.room.code), line.source, "同一房屋的期初预存只写一行"
    ):
        return
    carried = rooms.on_file.imported_prepaid.get(room_id)
    if carried is None:
        work.prepaid.append((line.room.code, line.amount_fen))
    elif carried != line.amount_fen:
        refuse(
            work,
            line.source,
            Field.PREPAID,
            f"{line.room.code} 已由此前的导入结转期初预存 {format_yuan(carried)} 元",
        )


def _paid_through(work: Work, rooms: RoomRefs, line: PaidThroughLine, seen: Seen) -> None:
    found = _room_and(work, rooms, line, _item(work, line.source, line.fee_item, rooms.on_file))
    if found is None:
        return
    room_id, item = found
    if not _once(
        work, seen, ("paid", line.room.code, item.item_id), line.source, "同一房屋和项目的已缴至"
    ):
        return
    existing = rooms.on_file.paid_through.get((room_id, item.item_id))
    if existing is None:
        work.paid_through.append((line.room.code, item.item_id, line.period))
    elif existing != str(line.period):
        refuse(
            work,
            line.source,
            Field.PAID_THROUGH,
            f"系统中 {line.room.code} 的{line.fee_item}已记为缴至 {Period.parse(existing).label}",
        )


def _deposits(work: Work, rooms: RoomRefs, lines: list[DepositLine]) -> None:
    """Each deposit line of the file once more than the database already holds."""
    held = Counter(rooms.on_file.deposits)
    for line in lines:
        room_id = rooms.ref(line.room)
        if room_id is None:
            missing_room(work, line.source, line.room)
            continue
        if line.amount_fen <= 0:
            refuse(work, line.source, Field.DEPOSIT, "押金金额须大于 0")
            continue
        if not fit(work, line.source, ((Field.DEPOSIT_KIND, line.kind, 20),)):
            continue
        key = (room_id, line.kind, line.amount_fen, line.received_on)
        if held[key] > 0:
            held[key] -= 1
        else:
            work.deposits.append(line)


def _history(work: Work, rooms: RoomRefs, lines: list[HistoryLine]) -> None:
    kept = Counter(rooms.on_file.history)
    for line in lines:
        room_id = rooms.ref(line.room)
        if room_id is None:
            missing_room(work, line.source, line.room)
            continue
        texts = (
            (Field.FEE_ITEM, line.fee_item, 40),
            (Field.PERIOD, line.period, 40),
            (Field.CASHIER, line.cashier, 40),
            (Field.RECEIPT_NO, line.receipt_no, 40),
        )
        if not fit(work, line.source, texts):
            continue
        key = (
            room_id,
            line.fee_item,
            line.period,
            line.amount_fen,
            line.paid_on,
            line.cashier,
            line.receipt_no,
        )
        if kept[key] > 0:
            kept[key] -= 1
        else:
            work.history.append(line)


def _meter_item(work: Work, line: MeterLine, on_file: OnFile) -> ItemOnFile | None:
    for item in on_file.items.values():
        if item.method == FeeMethod.METER and item.meter_kind == line.meter:
            return item
    refuse(
        work,
        line.source,
        Field.METER_KIND,
        f"没有按{line.meter.label}计费的收费项目（请先在收费设置中添加）",
    )
    return None


def _meter(work: Work, rooms: RoomRefs, line: MeterLine, seen: Seen) -> None:
    found = _room_and(work, rooms, line, _meter_item(work, line, rooms.on_file))
    if found is None:
        return
    room_id, item = found
    if line.reading_x100 < 0:
        refuse(work, line.source, Field.READING, "读数不能为负")
        return
    if not _once(
        work, seen, ("meter", line.room.code, item.item_id), line.source, "同一房屋同一种表的读数"
    ):
        return
    period = rooms.on_file.reading_period
    existing = rooms.on_file.readings.get((room_id, item.item_id, str(period)))
    latest = rooms.on_file.latest_reading.get((room_id, item.item_id))
    if existing is not None:
        if existing != line.reading_x100:
            refuse(work, line.source, Field.READING, f"系统中已有 {period.label}的读数")
        return
    if latest is not None and latest > str(period):
        refuse(work, line.source, Field.READING, f"系统中已有 {Period.parse(latest).label}的读数")
        return
    read_on = line.read_on or period.last_day
    work.meters.append((line.room.code, item.item_id, str(period), line.reading_x100, read_on))
