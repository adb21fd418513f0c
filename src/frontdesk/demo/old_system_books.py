"""The old system's export of an estate as an office brings it (`frontdesk demo-export`):
workbooks with a title and explanation rows above the header, a 合计 row under the
table and a note beside it; phones and some ID numbers stored by Excel as numbers (two
IDs cut to 15 digits, as Excel does to a long number typed in); dates as Excel dates,
serial numbers and text in several forms; two owners in one cell; in the second rooms
workbook the owners on their own sheet, linked by 业主编号.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from frontdesk.demo.old_system import (
    OLD_FEE_NAMES,
    OLD_STATUS_WORDS,
    OLD_TYPE_WORDS,
    EstateRoom,
    OldEstate,
    Owner,
)
from frontdesk.domain.onboarding import Totals
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomType

ROOMS_BOOK = "01-房屋及业主.xlsx"
LINKED_BOOK = "01-房屋及业主（分表）.xlsx"
BALANCES_BOOK = "02-期初余额.xlsx"
HISTORY_BOOK = "03-缴费记录.xlsx"
METERS_BOOK = "04-抄表读数.xlsx"
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Exported:
    """The workbooks written and the old system's own totals, to tick against."""

    paths: tuple[Path, ...]
    totals: Totals


def write_old_system(folder: Path, estate: OldEstate, *, cut_ids: int = 2) -> Exported:
    """Write the estate's workbooks into `folder` (made if missing); `cut_ids` owners'
    ID numbers stored as Excel numbers cut to 15 digits (the import names them)."""
    folder.mkdir(parents=True, exist_ok=True)
    writers: tuple[tuple[str, Callable[[Workbook], None]], ...] = (
        (ROOMS_BOOK, partial(_rooms_sheet, estate=estate, cut_ids=cut_ids)),
        (LINKED_BOOK, partial(_linked_sheets, estate=estate)),
        (BALANCES_BOOK, partial(_balance_sheets, estate=estate)),
        (HISTORY_BOOK, partial(_history_sheet, estate=estate)),
        (METERS_BOOK, partial(_meter_sheet, estate=estate)),
    )
    paths = []
    for name, write in writers:
        book = Workbook()
        book.remove(book.worksheets[0])
        write(book)
        book.save(folder / name)
        paths.append(folder / name)
    return Exported(tuple(paths), totals_of(estate))


def totals_of(estate: OldEstate) -> Totals:
    return Totals(
        rooms=len(estate.rooms),
        people=estate.people,
        arrears_fen=sum(o.fen for o in estate.owed),
        arrears_lines=len(estate.owed),
        prepaid_fen=sum(estate.prepaid.values()),
        deposits_fen=sum(d.fen for d in estate.deposits),
        history_lines=len(estate.history),
        history_fen=sum(p.fen for p in estate.history),
        meter_readings=2 * len(estate.readings),
    )


def _table(
    book: Workbook,
    sheet: str,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    total: Sequence[Any] | None = None,
) -> Worksheet:
    """Title, explanation, a blank row, the header, the rows, the 合计 row, and a note
    beside the table (no header above it)."""
    ws = book.create_sheet(sheet)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(["说明：本表由原物业收费系统导出，金额单位：元；请勿修改表头"])
    ws.append([])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    if total is not None:
        ws.append(list(total))
    ws.cell(row=6, column=len(headers) + 2, value="备注：数据以财务核对为准")
    return ws


def _serial(day: date) -> int:
    """A date as Excel keeps it in a cell formatted as a number."""
    return (day - EXCEL_EPOCH).days


def _day_in_some_form(day: date | None, index: int) -> Any:
    """Dates as offices' sheets hold them: a date cell, a serial number, or text."""
    if day is None:
        return None
    return (day, _serial(day), f"{day.year}年{day.month}月{day.day}日", f"{day:%Y/%m/%d}")[
        index % 4
    ]


def _month_in_some_form(period: Period, index: int) -> Any:
    return (str(period), period.label, _serial(period.first_day))[index % 3]


def _yuan(fen: int) -> Decimal:
    """Yuan as the old system's number cell holds them (exact: Decimal, never float)."""
    return Decimal(fen).scaleb(-2)


def _phone(owner: Owner) -> Any:
    """Mobile numbers stored as numbers, as a column Excel guessed."""
    return int(owner.phone) if owner.phone.isdigit() else owner.phone


def _cut(id_number: str) -> Any:
    """An 18-digit ID typed into a number cell: Excel keeps 15 significant digits."""
    if not id_number.isdigit():
        return id_number
    return float(f"{int(id_number):.14e}")


def _owners_cell(owners: Sequence[Owner], index: int) -> str:
    joiner = "、" if index % 2 else "/"
    return joiner.join(o.name for o in owners)


def _room_cells(room: EstateRoom, index: int) -> list[Any]:
    return [
        room.building,
        room.unit or "",
        room.number,
        room.floor,
        room.area_x100 / 100,
        OLD_TYPE_WORDS[room.room_type],
        OLD_STATUS_WORDS[room.status],
        _day_in_some_form(room.handover_on, index),
    ]


def _rooms_sheet(book: Workbook, estate: OldEstate, cut_ids: int) -> None:
    """One row per room, its owners in the same row (two in one cell)."""
    rows, cut = [], 0
    for index, room in enumerate(estate.rooms):
        owners = estate.owners.get(room.code, [])
        first = owners[0] if owners else None
        id_cell: Any = first.id_number if first else ""
        if first and cut < cut_ids and first.id_number.isdigit() and index % 7 == 3:
            id_cell, cut = _cut(first.id_number), cut + 1
        owner_cells = [
            _owners_cell(owners, index),
            _phone(first) if first else "",
            id_cell,
            _day_in_some_form(first.move_in_on if first else None, index + 1),
        ]
        rows.append([*_room_cells(room, index), *owner_cells])
    headers = ("楼栋", "单元", "房号", "楼层", "建筑面积", "房屋类型", "房屋状态", "交房日期")
    _table(
        book,
        "房屋业主",
        "锦绣华庭 房屋及业主信息表",
        (*headers, "业主姓名", "联系电话", "身份证号", "入住日期"),
        rows,
        ["合计", "", f"{len(rows)}户", "", sum(r.area_x100 for r in estate.rooms) / 100],
    )


def _linked_sheets(book: Workbook, estate: OldEstate) -> None:
    """Rooms on one sheet with an owner number, the owners on another."""
    rooms = []
    for index, room in enumerate(estate.rooms):
        owners = estate.owners.get(room.code, [])
        code = _worded_code(room) if index % 2 else room.code
        rooms.append(
            [
                code,
                room.area_x100 / 100,
                OLD_TYPE_WORDS[room.room_type],
                OLD_STATUS_WORDS[room.status],
                owners[0].number if owners else "",
            ]
        )
    _table(
        book,
        "房屋",
        "房屋信息",
        ("房屋编号", "建筑面积", "房屋类型", "状态", "业主编号"),
        rooms,
        ["合计", sum(r.area_x100 for r in estate.rooms) / 100],
    )
    people = [
        [
            o.number,
            o.name,
            {"男": 1, "女": 2}.get(o.gender, ""),
            _phone(o),
            o.id_number,
            o.move_in_on,
        ]
        for owners in estate.owners.values()
        for o in owners
    ]
    _table(
        book,
        "业主",
        "业主信息",
        ("业主编号", "业主名称", "性别", "手机号", "证件号码", "入住日期"),
        people,
    )


def _worded_code(room: EstateRoom) -> str:
    """3栋2单元1201 for a flat; shops, parking and storage keep their own codes."""
    if room.room_type is RoomType.RESIDENCE and room.unit:
        return f"{room.building}栋{room.unit}单元{room.number}"
    return room.code


def _balance_sheets(book: Workbook, estate: OldEstate) -> None:
    owed = [
        [o.room, OLD_FEE_NAMES.get(o.item, o.item), _month_in_some_form(o.period, i), _yuan(o.fen)]
        for i, o in enumerate(estate.owed)
    ]
    _table(
        book,
        "欠费明细",
        "期初欠费明细",
        ("房号", "收费项目", "所属月份", "欠费金额"),
        owed,
        ["合计", "", "", _yuan(sum(o.fen for o in estate.owed))],
    )
    ahead = [
        [room, OLD_FEE_NAMES.get(item, item), str(period)]
        for (room, item), period in estate.paid_through.items()
    ]
    _table(book, "已缴至", "各收费项目已缴至月份", ("房号", "收费项目", "已缴至"), ahead)
    prepaid = [[room, _yuan(fen)] for room, fen in estate.prepaid.items()]
    _table(
        book,
        "预存",
        "预存款余额",
        ("房号", "预存余额"),
        prepaid,
        ["合计", _yuan(sum(estate.prepaid.values()))],
    )
    deposits = [[d.room, "装修押金", _yuan(d.fen), _serial(d.received_on)] for d in estate.deposits]
    _table(book, "押金", "代收押金", ("房号", "押金类别", "押金金额", "收取日期"), deposits)


def _history_sheet(book: Workbook, estate: OldEstate) -> None:
    rows = [
        [
            p.room,
            OLD_FEE_NAMES.get(p.item, p.item),
            p.period,
            _yuan(p.fen),
            _serial(p.paid_on),
            p.cashier,
            p.receipt_no,
        ]
        for p in estate.history
    ]
    _table(
        book,
        "缴费记录",
        "近一年缴费记录",
        ("房号", "收费项目", "所属期间", "金额", "缴费日期", "收费员", "收据号"),
        rows,
        ["合计", "", "", _yuan(sum(p.fen for p in estate.history))],
    )


def _meter_sheet(book: Workbook, estate: OldEstate) -> None:
    rows = [
        [r.room, r.water_x100 / 100, r.electricity_x100 / 100, r.read_on] for r in estate.readings
    ]
    _table(book, "抄表", "水电表最近读数", ("房号", "水表读数", "电表读数", "抄表日期"), rows)
