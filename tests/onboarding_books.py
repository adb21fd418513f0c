"""Workbooks in the shapes offices hand over when they move onto FrontDesk (数据导入),
written with openpyxl for the tests of the reader, the import, the CLI and the wizard.

Each builder writes one .xlsx to `path` and returns the path. The rows are the
module's constants, so that a test can say what it expects: the same rooms, people and
money appear in the rooms, balances, history and meters books (building 3, unit 2;
shops S101/S102; parking P023 and B1-023).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from frontdesk.services.households.roster import COLUMNS as ROSTER_COLUMNS

EXCEL_EPOCH = date(1899, 12, 30)


def serial(day: date) -> int:
    """The number Excel stores for a date (what an export without date formats shows)."""
    return (day - EXCEL_EPOCH).days


def valid_id(n: int) -> str:
    """A resident ID number with a right check digit, different for each n < 60,000."""
    from stdnum.cn import ric

    year = 1960 + (n // 1000) % 60
    base = f"320102{year}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


def cut_to_15_digits(number: str) -> float:
    """An 18-digit ID as Excel keeps it when the column was a number: 15 digits."""
    return float(f"{float(number):.14e}")


def write_book(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    merges: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Sheets of rows, in order; `merges` ranges such as "F5:F6" per sheet."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cells in (merges or {}).get(name, ()):
            sheet.merge_cells(cells)
    book.save(path)
    return path


# rooms with their owners, one code per room ---------------------------------------------

ID_ZHANG = valid_id(1)
ID_LI = valid_id(2)
ID_WANG = valid_id(3)
ID_CUT = valid_id(4)

ROOMS_TITLE = "阳光花园小区房产资料（截至2025年10月）"
ROOMS_HEADER = (
    "房号",
    "楼层",
    "建筑面积（㎡）",
    "房屋类型",
    "房屋状态",
    "业主姓名",
    "联系电话",
    "身份证号",
    "交房日期",
)
# (Excel row, cells): row 1 is the title, row 2 an explanation, row 3 the header.
ROOMS_ROWS: tuple[tuple[Any, ...], ...] = (
    (
        "3-2-1201",
        12,
        89.5,
        "住宅",
        "已入住",
        "张三",
        13812340001,
        ID_ZHANG,
        serial(date(2019, 6, 1)),
    ),
    ("3栋2单元1202", 12, 120.25, "住房", "空置", "李四、王五", 13812340002, ID_LI, "2019-6-1"),
    ("3幢2单元1301室", None, 89.5, "住宅", "已售", None, None, None, "2019/06/01"),
    ("商铺S-101", 1, "56.00", "商铺", "出租", "赵六/钱七", "13812340004/13812340005", None, None),
    ("P-B1-023", -1, 12.5, "车位", "已售", "孙八", "13812340006", ID_WANG, datetime(2020, 1, 5)),
    ("3-2-1302", 13, 89.5, "住宅", "已入住", None, 13812340006, None, None),  # 孙八, merged
    ("3-2-1401", 14, 89.5, "住宅", "已入住", "周九", 13812340007, cut_to_15_digits(ID_CUT), None),
)
# Excel rows: data from row 4, a blank row 7 after the third room; 孙八's name cell is
# merged over rows 9 and 10 (P-B1-023 and 3-2-1302); 周九's ID (row 11) was cut.
ROOMS_EXCEL_ROWS = (4, 5, 6, 8, 9, 10, 11)
ROOMS_FIRST_DATA_ROW = 4


def rooms_one_code(path: Path) -> Path:
    """A rooms sheet as old systems export it: a title and an explanation above the
    header, a note beside the table, a blank row, a 合计 row and a footnote below;
    rooms as one code (3-2-1201, 3栋2单元1202, 3幢…室, 商铺S-101, P-B1-023); numeric
    phones, an ID number Excel kept as a number (cut to 15 digits: 周九's, row 11);
    an Excel serial date and text dates;
    two owners in one cell (李四、王五 and 赵六/钱七 with two phones); 孙八's name
    merged over his parking space's row and 3-2-1302's."""
    rows: list[Sequence[Any]] = [
        (ROOMS_TITLE,),
        ("说明：面积单位为平方米；电话、身份证号请核对后再导入。",),
        ROOMS_HEADER,
    ]
    for number, cells in enumerate(ROOMS_ROWS):
        row = list(cells)
        if number == 0:
            row += [None, "注：此户有两个车位待补录"]  # a note beside the table
        rows.append(row)
        if number == 2:
            rows.append(())  # a blank row inside the table
    rows.append(("合计", None, 456.25))
    rows.append(("制表人：李会计",))
    merges = {"房屋资料": ["A1:I1", "F9:F10"]}
    return write_book(path, {"房屋资料": rows}, merges)


# rooms in separate building, unit and room columns ------------------------------------

COLUMNS_HEADER_FLOOR = ("楼号", "单元", "房间", "楼层", "面积", "业主", "手机")
COLUMNS_ROWS: tuple[tuple[Any, ...], ...] = (
    ("1栋", "1单元", "101", 1, 75.3, "吴一", 13900000001),
    (1, 1, 102, 1, 75.3, "郑二", 13900000002.0),
    ("1号楼", "2", "201室", 2, 90, "冯三", "139 0000 0003"),
    ("S", None, "S201", 1, 45, "陈四", None),
)


def rooms_in_columns(path: Path, *, floor: bool = True) -> Path:
    """Building, unit and room in their own columns (with or without 楼层); a building
    written 1栋 / 1 / 1号楼, a unit 1单元 / 1, a room 201室; a shop in building S."""
    header = list(COLUMNS_HEADER_FLOOR)
    rows = [list(row) for row in COLUMNS_ROWS]
    if not floor:
        del header[3]
        for row in rows:
            del row[3]
    return write_book(path, {"Sheet1": [header, *rows]})


# owners on a second sheet, linked by the owner number ---------------------------------

LINKED_ROOMS = (
    ("楼栋", "单元", "房号", "建筑面积", "业主编号"),
    ("5", "1", "301", 88.8, 1001),
    ("5", "1", "302", 88.8, "1002"),
    ("5", "1", "401", 88.8, 1001),  # 1001 owns two flats
    ("5", "1", "402", 88.8, 1009),  # no such owner
)
LINKED_OWNERS = (
    ("业主编号", "业主名称", "手机号", "证件号码", "性别"),
    (1001, "褚十", 13700000001, valid_id(10), 1),
    (1002, "卫十一、蒋十二", 13700000002, None, None),
)


def owners_linked(path: Path) -> Path:
    """Rooms on sheet 房屋, owners on sheet 业主, joined by 业主编号 (a number in one
    sheet and text in the other); 性别 written 1 (男) as old systems code it."""
    return write_book(path, {"房屋": LINKED_ROOMS, "业主": LINKED_OWNERS})


# opening balances ------------------------------------------------------------------

BALANCES_HEADER = (
    "房号",
    "收费项目",
    "欠费起始月",
    "欠费截止月",
    "欠费金额",
    "预存余额",
    "已缴至",
    "装修押金",
    "押金收取日期",
)
BALANCES_ROWS: tuple[tuple[Any, ...], ...] = (
    ("3-2-1201", "物业费", "2025-08", "2025-10", 1000.0, None, None, None, None),
    (
        "3-2-1202",
        "物业费",
        "2025年9月",
        "2025年9月",
        "268.50",
        500,
        None,
        2000,
        serial(date(2025, 3, 1)),
    ),
    ("3-2-1301", "物业费", None, None, None, 120.5, 202512, None, None),
    ("S-S101", "物业费", 202510, 202510, 0.1 + 0.2, None, None, None, None),
)


def balances_book(path: Path) -> Path:
    """期初余额: arrears over a range of months with one total (1000.00 over three
    months is 333.33 + 333.33 + 333.34), a single month, prepaid, 已缴至 as 202512,
    a 装修押金 with an Excel serial date, and 0.30000000000000004 from a formula."""
    return write_book(path, {"期初余额": [("期初余额表",), BALANCES_HEADER, *BALANCES_ROWS]})


# payment history -------------------------------------------------------------------

HISTORY_HEADER = ("房号", "收费项目", "所属月份", "实收金额", "缴费日期", "收费员", "收据号")
HISTORY_ROWS: tuple[tuple[Any, ...], ...] = (
    ("3-2-1201", "物业费", "2025-03", 335.0, serial(date(2025, 3, 10)), "刘会计", 20250001),
    ("3-2-1201", "物业费", 2025.4, 335, "2025年4月12日", "刘会计", "20250002"),
    ("3-2-1202", "水费", "2025年全年", "88.80", datetime(2025, 5, 2), "王出纳", None),
)


def history_book(path: Path) -> Path:
    """历史缴费: periods as text, as the number Excel made of 2025.4, and as words; dates
    as a serial, text and a date; a numeric receipt number."""
    return write_book(path, {"缴费记录": [HISTORY_HEADER, *HISTORY_ROWS]})


# meter readings --------------------------------------------------------------------

METERS_WIDE = (
    ("房号", "水表读数", "电表读数", "抄表日期"),
    ("3-2-1201", 123.5, 4567, "20251025"),
    ("3-2-1202", 88, None, "2025.10.25"),
)
METERS_LONG = (
    ("房号", "表类", "读数", "抄表日期"),
    ("3-2-1201", "冷水", 123.5, serial(date(2025, 10, 25))),
    ("3-2-1201", "电", 4567, serial(date(2025, 10, 25))),
)


def meters_book(path: Path, *, long: bool = False) -> Path:
    """Last readings, one column per meter, or one row per meter with its kind."""
    return write_book(path, {"抄表": METERS_LONG if long else METERS_WIDE})


# FrontDesk's own roster layout -----------------------------------------------------


def _roster_row(cells: str) -> tuple[Any, ...]:
    """A roster row written as its cells joined by | (empty: no value)."""
    return tuple(cell or None for cell in cells.split("|"))


ROSTER_ROWS = (
    ROSTER_COLUMNS,
    _roster_row(
        f"3-2-1201|产权人|张三|男|本人|居民身份证|{ID_ZHANG}|13812340001|100%|||2020-05-01|"
    ),
    _roster_row("3-2-1201|租户|何租|女|租户|||13812340009||2025-01-01|2025-12-31||租期一年"),
)


def roster_layout(path: Path) -> Path:
    """The layout FrontDesk's own 业主名册 export and template use."""
    return write_book(path, {"业主名册": ROSTER_ROWS})


# an estate of any size ---------------------------------------------------------------

ESTATE_HEADER = ("楼栋", "单元", "房号", "楼层", "建筑面积", "业主姓名", "联系电话", "身份证号")
ESTATE_BALANCES_HEADER = ("房号", "收费项目", "欠费起始月", "欠费截止月", "欠费金额", "预存余额")


def _estate_flats(
    buildings: int, units: int, floors: int, per_floor: int
) -> list[tuple[int, int, int, int, int]]:
    """(n, building, unit, floor, flat) of every flat, n counting from 1."""
    flats = []
    for building in range(1, buildings + 1):
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for flat in range(1, per_floor + 1):
                    flats.append((len(flats) + 1, building, unit, floor, flat))
    return flats


def estate_rooms(
    path: Path, *, buildings: int = 2, units: int = 2, floors: int = 6, per_floor: int = 2
) -> Path:
    """A plain rooms-with-owners sheet of buildings × units × floors × per_floor flats
    (numeric phones, IDs as text, every fifth flat with two owners), for bigger tests."""
    rows: list[Sequence[Any]] = [("小区房屋及业主清单",), ESTATE_HEADER]
    for n, building, unit, floor, flat in _estate_flats(buildings, units, floors, per_floor):
        names = f"业主{n}" if n % 5 else f"业主{n}、家属{n}"
        phone = 13500000000 + n
        rows.append(
            (building, unit, f"{floor}{flat:02d}", floor, 89.5 + flat, names, phone, valid_id(n))
        )
    return write_book(path, {"房屋": rows})


def estate_balances(
    path: Path, *, buildings: int = 2, units: int = 2, floors: int = 6, per_floor: int = 2
) -> Path:
    """The same estate's opening balances: every third flat owes 物业费 from 2025-08 to
    2025-10 (three months' total in one cell), every seventh has a prepaid balance."""
    rows: list[Sequence[Any]] = [("期初余额",), ESTATE_BALANCES_HEADER]
    for n, building, unit, floor, flat in _estate_flats(buildings, units, floors, per_floor):
        owes = n % 3 == 0
        prepaid = (n % 7) * 10.5 if n % 7 else None
        if owes or prepaid:
            rows.append(
                (
                    f"{building}-{unit}-{floor}{flat:02d}",
                    "物业费",
                    "2025-08" if owes else None,
                    "2025-10" if owes else None,
                    600.01 if owes else None,
                    prepaid,
                )
            )
    return write_book(path, {"期初余额": rows})
