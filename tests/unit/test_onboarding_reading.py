"""Reading an office's spreadsheets (数据导入): workbooks in each shape offices hand over,
made here with openpyxl (tests/onboarding_books.py), read into import lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.domain.fees import MeterKind
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.onboarding import Field, ImportKind, ImportSetup, Link, ReadResult, RoomKey
from frontdesk.domain.onboarding.cells import text_of
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import ValidationError
from frontdesk.services import xlsx_read
from frontdesk.services.onboarding import reading
from tests import onboarding_books as books

FEE_ITEMS = ("物业服务费", "水费", "电费")


def _read(path: Path, **changes: object) -> ReadResult:
    table = reading.read_table(path)
    setup = replace(reading.suggested_setup(table, fee_items=FEE_ITEMS), **changes)  # type: ignore[arg-type]
    return reading.read_lines(path, setup)


def _fields(path: Path) -> dict[str, Field | None]:
    table = reading.read_table(path)
    return {guess.header: guess.field for guess in reading.guess_columns(table)}


# the table among titles and notes ---------------------------------------------------


def test_the_header_is_found_below_a_title_and_an_explanation(tmp_path: Path) -> None:
    path = books.rooms_one_code(tmp_path / "rooms.xlsx")
    table = reading.read_table(path)
    assert reading.sheet_names(path) == ["房屋资料"]
    assert table.header_row == 3
    assert table.headers == books.ROOMS_HEADER  # the note beside row 4 is no column
    assert [number for number, _ in table.rows] == list(books.ROOMS_EXCEL_ROWS)
    assert table.skipped == (7, 12, 13)  # the blank row, 合计, the footnote
    assert all(len(cells) == len(books.ROOMS_HEADER) for _, cells in table.rows)


def test_a_sheet_longer_than_a_roster_may_be_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_read, "MAX_ROWS", 3)  # the roster's limit; a history is longer
    path = books.rooms_one_code(tmp_path / "rooms.xlsx")
    assert len(reading.read_table(path).rows) == 7


def test_a_sheet_without_any_known_column_is_refused_naming_the_sheet(tmp_path: Path) -> None:
    path = books.write_book(tmp_path / "x.xlsx", {"杂项": [("甲", "乙"), (1, 2)]})
    with pytest.raises(ValidationError, match=r"杂项.*找不到表头"):
        reading.read_table(path)


def test_a_missing_sheet_is_named_with_those_there_are(tmp_path: Path) -> None:
    path = books.owners_linked(tmp_path / "linked.xlsx")
    with pytest.raises(ValidationError, match=r"没有工作表「业主名单」.*房屋、业主"):
        reading.read_table(path, "业主名单")


def test_hint_and_example_rows_under_the_header_are_not_data(tmp_path: Path) -> None:
    rows = [
        ("房号", "业主", "电话"),
        ("（必填）", "（必填）", "（选填）"),
        ("示例：3-2-1201", "张三", "13800000000"),
        ("3-2-1202", "李四", "13800000001"),
    ]
    table = reading.read_table(books.write_book(tmp_path / "x.xlsx", {"S": rows}))
    assert [number for number, _ in table.rows] == [4]
    assert table.skipped == (2, 3)


def test_a_two_row_header_with_merged_cells_is_read_by_its_lower_row(tmp_path: Path) -> None:
    rows = [
        ("房号", "业主信息", None, "面积"),
        (None, "姓名", "电话", None),
        ("3-2-1201", "张三", 13800000001, 89.5),
    ]
    merges = {"S": ["A1:A2", "B1:C1", "D1:D2"]}
    path = books.write_book(tmp_path / "x.xlsx", {"S": rows}, merges)
    table = reading.read_table(path)
    assert table.header_row == 2 and table.headers == ("房号", "姓名", "电话", "面积")
    result = _read(path)
    assert result.refusals == [] and result.people[0].phone == "13800000001"
    assert result.rooms[0].area_x100 == 8950


def test_a_header_row_the_clerk_names_is_taken(tmp_path: Path) -> None:
    path = books.write_book(
        tmp_path / "x.xlsx", {"S": [("甲", "乙"), ("编码", "名字"), ("3-1-101", "张三")]}
    )
    table = reading.read_table(path, header_row=2)
    assert table.headers == ("编码", "名字")
    assert table.rows == ((3, ("3-1-101", "张三")),)


# rooms as one code ------------------------------------------------------------------


def test_rooms_as_one_code_with_owners(tmp_path: Path) -> None:
    result = _read(books.rooms_one_code(tmp_path / "rooms.xlsx"))
    rooms = {line.room.code: line for line in result.rooms}
    assert list(rooms) == ["3-2-1201", "3-2-1202", "3-2-1301", "S-S101", "P-B1023", "3-2-1302"]
    assert rooms["3-2-1202"].area_x100 == 12025
    assert rooms["3-2-1202"].room_type is RoomType.RESIDENCE  # 住房
    assert rooms["3-2-1202"].status is RoomStatus.VACANT
    assert rooms["3-2-1202"].handover_on == date(2019, 6, 1)
    assert rooms["3-2-1301"].status is RoomStatus.HANDED_OVER  # 已售
    assert rooms["3-2-1301"].floor is None  # read from the number by whoever writes it
    assert rooms["S-S101"].room_type is RoomType.SHOP
    assert rooms["P-B1023"].room_type is RoomType.PARKING
    assert rooms["P-B1023"].floor == -1
    assert rooms["P-B1023"].handover_on == date(2020, 1, 5)
    assert result.rows_read == 7
    assert rooms["3-2-1201"].handover_on == date(2019, 6, 1)  # an Excel serial


def test_two_owners_in_one_cell_are_two_people(tmp_path: Path) -> None:
    result = _read(books.rooms_one_code(tmp_path / "rooms.xlsx"))
    people = [(p.room.code, p.name, p.phone, p.id_number) for p in result.people]
    assert ("3-2-1202", "李四", "13812340002", books.ID_LI) in people
    assert ("3-2-1202", "王五", "13812340002", "") in people  # one phone: shared; ID: not
    assert ("S-S101", "赵六", "13812340004", "") in people
    assert ("S-S101", "钱七", "13812340005", "") in people
    assert all(p.kind is PersonKind.OWNER for p in result.people)


def test_a_merged_owner_cell_names_the_owner_of_each_row_it_covers(tmp_path: Path) -> None:
    result = _read(books.rooms_one_code(tmp_path / "rooms.xlsx"))
    owners = {(p.room.code, p.name) for p in result.people}
    assert {("P-B1023", "孙八"), ("3-2-1302", "孙八")} <= owners


def test_an_id_number_excel_cut_to_15_digits_is_refused_not_guessed(tmp_path: Path) -> None:
    result = _read(books.rooms_one_code(tmp_path / "rooms.xlsx"))
    (refusal,) = [r for r in result.refusals if r.source.row == 11]
    assert refusal.column == "身份证号"
    assert "只保留前 15 位，末 3 位已丢失" in refusal.reason
    assert not [p for p in result.people if p.name == "周九"]
    assert not [r for r in result.rooms if r.source.row == 11]  # nothing of the row


def test_a_numeric_phone_and_a_serial_date_are_read(tmp_path: Path) -> None:
    path = books.write_book(
        tmp_path / "x.xlsx",
        {
            "S": [
                ("房号", "业主", "电话", "身份证号", "交房日期", "面积"),
                ("3-2-1201", "张三", 13812340001.0, books.ID_ZHANG, 43617, 89.5),
            ]
        },
    )
    result = _read(path)
    assert result.refusals == []
    assert result.people[0].phone == "13812340001"
    assert result.people[0].id_number == books.ID_ZHANG
    assert result.rooms[0].handover_on == date(2019, 6, 1)


def test_a_formula_without_a_result_and_an_error_value_are_refused_by_column(
    tmp_path: Path,
) -> None:
    rows = [
        ("房号", "业主", "建筑面积"),
        ("3-2-1201", "张三", "=A1*2"),
        ("3-2-1202", "李四", " #REF! "),
    ]
    result = _read(books.write_book(tmp_path / "x.xlsx", {"S": rows}))
    assert [(r.source.row, r.column) for r in result.refusals] == [(2, "建筑面积"), (3, "建筑面积")]
    assert "公式" in result.refusals[0].reason and "#REF!" in result.refusals[1].reason
    assert result.rooms == []


# rooms in columns -------------------------------------------------------------------


@pytest.mark.parametrize("floor", [True, False])
def test_rooms_in_building_unit_and_room_columns(tmp_path: Path, floor: bool) -> None:
    result = _read(books.rooms_in_columns(tmp_path / "cols.xlsx", floor=floor))
    assert result.refusals == []
    assert [line.room.code for line in result.rooms] == ["1-1-101", "1-1-102", "1-2-201", "S-S201"]
    assert [line.floor for line in result.rooms] == ([1, 1, 2, 1] if floor else [None] * 4)
    assert result.rooms[3].room_type is RoomType.SHOP
    assert [p.phone for p in result.people][:3] == ["13900000001", "13900000002", "13900000003"]


def test_a_room_column_with_whole_codes_is_a_code_even_beside_a_building(tmp_path: Path) -> None:
    path = books.write_book(
        tmp_path / "x.xlsx", {"S": [("楼栋", "房号", "业主"), ("3", "3-2-1201", "张三")]}
    )
    assert _fields(path)["房号"] is Field.ROOM_CODE


def test_a_flat_number_without_its_building_is_named(tmp_path: Path) -> None:
    rows = [("房号", "业主", "面积"), ("1201", "张三", 80)]
    result = _read(books.write_book(tmp_path / "x.xlsx", {"S": rows}))
    (refusal,) = result.refusals
    assert refusal.column == "房号" and "只有房间号，缺少楼栋" in refusal.reason


def test_an_unreadable_room_is_refused_with_its_column(tmp_path: Path) -> None:
    path = books.write_book(
        tmp_path / "x.xlsx",
        {"S": [("房号", "业主", "面积"), ("一号楼东", "张三", 80), ("", "李四", 80)]},
    )
    result = _read(path)
    assert [(r.source.row, r.column) for r in result.refusals] == [(2, "房号"), (3, "房号")]
    assert "不是可识别的房号" in result.refusals[0].reason
    assert result.rooms == [] and result.people == []


def test_a_row_holding_only_a_note_is_passed_over_not_refused(tmp_path: Path) -> None:
    rows = [
        ("房号", "业主", "备注", None, None),
        ("3-2-1201", "张三", None, None, "第1页"),
        (None, None, "以下为空置房", None, None),
        (None, None, None, None, 2),
        ("3-2-1202", "李四", None),
        ("导出日期：2025-10-31",),
        ("审核：王经理 2025.10.31",),
    ]
    path = books.write_book(tmp_path / "x.xlsx", {"S": rows})
    result = _read(path)
    assert result.refusals == [] and result.rows_read == 2
    assert [p.name for p in result.people] == ["张三", "李四"]


# owners linked from a second sheet -------------------------------------------------


def test_owners_on_another_sheet_are_joined_by_owner_number(tmp_path: Path) -> None:
    path = books.owners_linked(tmp_path / "linked.xlsx")
    table = reading.read_table(path, "房屋")
    link = reading.link_for(path, "业主")
    setup = reading.setup_with_link(path, reading.suggested_setup(table), link)
    assert setup.values[Field.GENDER] == {"1": "男"}
    result = reading.read_lines(path, setup)
    people = [(p.room.code, p.name, p.source.sheet) for p in result.people]
    assert people == [
        ("5-1-301", "褚十", "业主"),
        ("5-1-302", "卫十一", "业主"),
        ("5-1-302", "蒋十二", "业主"),
        ("5-1-401", "褚十", "业主"),
    ]
    assert result.people[0].gender == "男"
    (refusal,) = result.refusals
    assert (refusal.source.row, refusal.column) == (5, "业主编号")
    assert "「1009」在工作表「业主」中找不到" in refusal.reason
    assert len(result.rooms) == 4


def test_a_link_naming_only_its_sheet_has_its_columns_guessed(tmp_path: Path) -> None:
    path = books.owners_linked(tmp_path / "linked.xlsx")
    setup = replace(reading.suggested_setup(reading.read_table(path, "房屋")), link=Link("业主"))
    result = reading.read_lines(path, setup)
    assert [p.name for p in result.people] == ["褚十", "卫十一", "蒋十二", "褚十"]
    assert result.people[0].gender == "男"


def test_an_owner_value_left_unmapped_is_refused_on_the_owners_sheet_once(tmp_path: Path) -> None:
    path = books.owners_linked(tmp_path / "linked.xlsx")
    table = reading.read_table(path, "房屋")
    setup = replace(reading.suggested_setup(table), link=reading.link_for(path, "业主"))
    result = reading.read_lines(path, setup)
    assert [(u.field, u.value, u.count) for u in result.unmapped] == [(Field.GENDER, "1", 1)]
    refusals = [(r.source.sheet, r.source.row, r.column) for r in result.refusals]
    assert refusals == [("房屋", 5, "业主编号"), ("业主", 2, "性别")]


def test_the_owners_sheet_is_found_by_its_owner_numbers_and_names(tmp_path: Path) -> None:
    path = books.owners_linked(tmp_path / "linked.xlsx")
    link = reading.find_link(path, reading.read_table(path, "房屋"))
    assert link is not None and link.sheet == "业主" and link.header_row == 1
    assert link.columns[0] is Field.OWNER_NO and link.columns[1] is Field.NAME
    assert reading.find_link(path, reading.read_table(path, "业主")) is None
    rooms = books.rooms_in_columns(tmp_path / "c.xlsx")
    assert reading.find_link(rooms, reading.read_table(rooms)) is None


def test_a_link_sheet_without_owner_numbers_is_refused(tmp_path: Path) -> None:
    path = books.rooms_in_columns(tmp_path / "c.xlsx")
    with pytest.raises(ValidationError, match="没有“业主编号”列"):
        reading.link_for(path, "Sheet1")


# balances, history, meters -------------------------------------------------------------


def test_opening_balances(tmp_path: Path) -> None:
    result = _read(books.balances_book(tmp_path / "bal.xlsx"))
    assert result.refusals == []
    owed = [(a.room.code, str(a.period), a.amount_fen, a.fee_item) for a in result.arrears]
    assert owed == [
        ("3-2-1201", "2025-08", 33333, "物业服务费"),
        ("3-2-1201", "2025-09", 33333, "物业服务费"),
        ("3-2-1201", "2025-10", 33334, "物业服务费"),
        ("3-2-1202", "2025-09", 26850, "物业服务费"),
        ("S-S101", "2025-10", 30, "物业服务费"),
    ]
    assert [(p.room.code, p.amount_fen) for p in result.prepaid] == [
        ("3-2-1202", 50000),
        ("3-2-1301", 12050),
    ]
    (through,) = result.paid_through
    assert (through.room.code, through.period) == ("3-2-1301", Period(2025, 12))
    (deposit,) = result.deposits
    assert (deposit.kind, deposit.amount_fen, deposit.received_on) == (
        "装修押金",
        200000,
        date(2025, 3, 1),
    )


def test_arrears_over_a_range_written_in_one_cell(tmp_path: Path) -> None:
    rows = [
        ("房号", "收费项目", "所属月份", "欠费金额"),
        ("3-2-1201", "物业费", "2025.08-2025.10", 300),
    ]
    result = _read(books.write_book(tmp_path / "x.xlsx", {"S": rows}))
    assert [(str(a.period), a.amount_fen) for a in result.arrears] == [
        ("2025-08", 10000),
        ("2025-09", 10000),
        ("2025-10", 10000),
    ]


def test_arrears_without_a_fee_item_are_refused_unless_a_default_is_given(tmp_path: Path) -> None:
    path = books.write_book(
        tmp_path / "x.xlsx", {"S": [("房号", "所属月份", "欠费金额"), ("3-2-1201", "2025-10", 100)]}
    )
    refused = _read(path)
    assert refused.arrears == [] and "没有收费项目" in refused.refusals[0].reason
    taken = _read(path, default_fee_item="物业服务费")
    assert [(a.fee_item, a.amount_fen) for a in taken.arrears] == [("物业服务费", 10000)]


def test_a_fee_item_the_setup_does_not_map_is_listed_once_with_its_count(tmp_path: Path) -> None:
    rows = [("房号", "收费项目", "所属月份", "欠费金额")] + [
        ("3-2-1201", "垃圾费", f"2025-0{m}", 10) for m in (1, 2, 3)
    ]
    result = _read(books.write_book(tmp_path / "x.xlsx", {"S": rows}))
    assert [(u.field, u.value, u.count) for u in result.unmapped] == [(Field.FEE_ITEM, "垃圾费", 3)]
    (refusal,) = result.refusals
    assert refusal.source.row == 2 and "共 3 行" in refusal.reason
    assert result.arrears == []


def test_payment_history(tmp_path: Path) -> None:
    result = _read(books.history_book(tmp_path / "hist.xlsx"))
    assert result.refusals == []
    lines = [
        (h.room.code, h.fee_item, h.period, h.amount_fen, h.paid_on, h.cashier, h.receipt_no)
        for h in result.history
    ]
    assert lines == [
        ("3-2-1201", "物业费", "2025-03", 33500, date(2025, 3, 10), "刘会计", "20250001"),
        ("3-2-1201", "物业费", "2025-04", 33500, date(2025, 4, 12), "刘会计", "20250002"),
        ("3-2-1202", "水费", "2025年全年", 8880, date(2025, 5, 2), "王出纳", ""),
    ]


def test_a_receipt_number_too_long_is_refused_not_cut(tmp_path: Path) -> None:
    rows = [("房号", "实收金额", "收据号"), ("3-2-1201", 100, "R" * 41), ("3-2-1201", 100, 12.0)]
    result = _read(books.write_book(tmp_path / "x.xlsx", {"S": rows}))
    assert [(r.source.row, r.column) for r in result.refusals] == [(2, "收据号")]
    assert [h.receipt_no for h in result.history] == ["12"]


@pytest.mark.parametrize("long", [False, True])
def test_meter_readings_in_columns_or_rows(tmp_path: Path, long: bool) -> None:
    result = _read(books.meters_book(tmp_path / "m.xlsx", long=long))
    assert result.refusals == []
    readings = [(m.room.code, m.meter, m.reading_x100, m.read_on) for m in result.meters]
    assert readings[:2] == [
        ("3-2-1201", MeterKind.WATER, 12350, date(2025, 10, 25)),
        ("3-2-1201", MeterKind.ELECTRICITY, 456700, date(2025, 10, 25)),
    ]


# FrontDesk's own roster ---------------------------------------------------------------


def test_frontdesk_own_roster_layout_reads_as_people(tmp_path: Path) -> None:
    path = books.roster_layout(tmp_path / "roster.xlsx")
    table = reading.read_table(path)
    setup = reading.suggested_setup(table)
    assert setup.kind is ImportKind.PEOPLE
    result = reading.read_lines(path, setup)
    assert result.refusals == [] and result.rooms == []
    owner, tenant = result.people
    assert (owner.name, owner.kind, owner.relation, owner.gender) == (
        "张三",
        PersonKind.OWNER,
        Relation.SELF,
        "男",
    )
    assert owner.move_in_on == date(2020, 5, 1)
    assert (owner.id_number, owner.id_type, tenant.id_type) == (
        books.ID_ZHANG,
        IdType.RESIDENT,
        None,
    )
    assert (tenant.name, tenant.kind, tenant.note) == ("何租", PersonKind.TENANT, "租期一年")
    assert (owner.share, tenant.lease_start, tenant.lease_end) == (
        "100%",
        date(2025, 1, 1),
        date(2025, 12, 31),
    )


def test_an_estate_and_its_balances_read_whole(tmp_path: Path) -> None:
    rooms = books.estate_rooms(tmp_path / "rooms.xlsx", buildings=2, units=2, floors=5)
    result = _read(rooms)
    assert result.refusals == [] and len(result.rooms) == 40
    assert len(result.people) == 48  # every fifth flat has two owners
    balances = books.estate_balances(tmp_path / "bal.xlsx", buildings=2, units=2, floors=5)
    table = reading.read_table(balances)
    assert reading.suggested_setup(table).kind is ImportKind.BALANCES
    owed = _read(balances)
    assert owed.refusals == [] and owed.rooms == []
    assert sum(a.amount_fen for a in owed.arrears) == 13 * 60001
    assert {str(a.period) for a in owed.arrears} == {"2025-08", "2025-09", "2025-10"}


def test_a_balances_sheet_showing_areas_is_still_balances(tmp_path: Path) -> None:
    rows = [
        ("房号", "业主", "建筑面积", "欠费金额", "所属月份"),
        ("3-2-1201", "张三", 89.5, 100, "2025-10"),
    ]
    path = books.write_book(tmp_path / "x.xlsx", {"S": rows})
    assert reading.suggested_setup(reading.read_table(path)).kind is ImportKind.BALANCES
    result = _read(path, default_fee_item="物业服务费")
    assert result.rooms == [] and result.people == [] and len(result.arrears) == 1


def test_the_kind_of_id_the_file_names_checks_its_number(tmp_path: Path) -> None:
    rows = [
        ("房号", "姓名", "证件类型", "证件号码"),
        ("3-2-1201", "林一", "台胞证", "12345678"),
        ("3-2-1201", "Smith", "护照", "e1234567"),
        ("3-2-1202", "王二", "身份证", "12345678"),
        ("3-2-1202", "赵三", None, books.ID_LI),
    ]
    result = _read(books.write_book(tmp_path / "x.xlsx", {"S": rows}))
    people = [(p.name, p.id_type, p.id_number) for p in result.people]
    assert people == [
        ("林一", IdType.TAIWAN, "12345678"),
        ("Smith", IdType.PASSPORT, "E1234567"),
        ("赵三", IdType.RESIDENT, books.ID_LI),
    ]
    (refusal,) = result.refusals
    assert (refusal.source.row, refusal.column) == (4, "证件号码") and "18 位" in refusal.reason


# the clerk's choices ------------------------------------------------------------------


def test_ambiguous_amount_column_is_named_with_its_alternatives(tmp_path: Path) -> None:
    path = books.write_book(
        tmp_path / "x.xlsx", {"S": [("房号", "业主", "金额"), ("3-2-1201", "张三", 100)]}
    )
    table = reading.read_table(path)
    guess = reading.guess_columns(table)[2]
    assert guess.field is None and guess.alternatives == (Field.ARREARS, Field.AMOUNT)
    assert reading.guess_columns(table, ImportKind.HISTORY)[2].field is Field.AMOUNT
    setup = reading.setup_with_map(table, reading.suggested_setup(table), ["金额=欠费金额"])
    assert setup.columns[2] is Field.ARREARS


def test_a_setup_without_a_room_column_is_refused_whole(tmp_path: Path) -> None:
    path = books.rooms_in_columns(tmp_path / "c.xlsx")
    table = reading.read_table(path)
    setup = reading.setup_with_map(table, reading.suggested_setup(table), ["房间=忽略"])
    with pytest.raises(ValidationError, match="没有指定房号列"):
        reading.read_lines(path, setup)


def test_map_pairs_name_an_unknown_column_or_field(tmp_path: Path) -> None:
    table = reading.read_table(books.rooms_in_columns(tmp_path / "c.xlsx"))
    setup = reading.suggested_setup(table)
    with pytest.raises(ValidationError, match="没有列「幢」"):
        reading.setup_with_map(table, setup, ["幢=building"])
    with pytest.raises(ValidationError, match="「宿舍」不是可导入的字段"):
        reading.setup_with_map(table, setup, ["楼号=宿舍"])
    with pytest.raises(ValidationError, match="应写成 列名=字段"):
        reading.setup_with_map(table, setup, ["楼号"])
    assert reading.setup_with_map(table, setup, ["面积=欠费"]).columns[4] is Field.ARREARS
    moved = reading.setup_with_map(table, setup, ["手机=忽略", "业主=phone"])
    assert moved.columns.get(6) is None and moved.columns[5] is Field.PHONE


def test_a_saved_setup_follows_its_columns_by_header(tmp_path: Path) -> None:
    first = reading.read_table(books.rooms_in_columns(tmp_path / "a.xlsx"))
    setup = replace(reading.suggested_setup(first), values={Field.ROOM_TYPE: {"住房": "residence"}})
    saved = reading.setup_to_json(setup, first)
    moved = books.write_book(
        tmp_path / "b.xlsx", {"S": [("手机", "楼号", "单元", "房间"), (13900000001, 1, 1, 101)]}
    )
    second = reading.read_table(moved)
    again = reading.setup_from_json(saved, second)
    assert again.columns == {0: Field.PHONE, 1: Field.BUILDING, 2: Field.UNIT, 3: Field.ROOM_NUMBER}
    assert again.values == {Field.ROOM_TYPE: {"住房": "residence"}}
    assert again.sheet == "S" and again.header_row == 1
    with pytest.raises(ValidationError, match="方案已损坏"):
        reading.setup_from_json("{not json", second)


def test_distinct_values_and_suggestions(tmp_path: Path) -> None:
    path = books.rooms_one_code(tmp_path / "rooms.xlsx")
    table = reading.read_table(path)
    setup = reading.suggested_setup(table)
    values = reading.distinct_values(table, setup)
    assert values[Field.ROOM_TYPE] == [("住宅", 4), ("住房", 1), ("商铺", 1), ("车位", 1)]
    assert reading.suggest_value(Field.ROOM_TYPE, "门面") == RoomType.SHOP.value
    assert reading.suggest_value(Field.PERSON_KIND, "租客") == PersonKind.TENANT.value
    assert reading.suggest_value(Field.GENDER, "F") == "女"
    assert reading.suggest_value(Field.METER_KIND, "冷水") == MeterKind.WATER.value
    assert reading.suggest_value(Field.ROOM_STATUS, "火星") is None
    assert reading.suggest_value(Field.FEE_ITEM, "物业管理费", FEE_ITEMS) == "物业服务费"


def test_a_value_mapped_to_nothing_refuses_its_rows(tmp_path: Path) -> None:
    path = books.rooms_one_code(tmp_path / "rooms.xlsx")
    table = reading.read_table(path)
    setup = reading.suggested_setup(table)
    values = {**setup.values, Field.ROOM_TYPE: {**setup.values[Field.ROOM_TYPE], "车位": ""}}
    result = reading.read_lines(path, ImportSetup(**{**setup.__dict__, "values": values}))
    assert [r.source.row for r in result.refusals if r.column == "房屋类型"] == [9]
    assert RoomKey("P", None, "B1023") not in {line.room for line in result.rooms}


# any cells -----------------------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**12), 10**18),
    st.floats(allow_nan=True, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(["#REF!", "=A1", "3-2-1201", "S-101", "住宅", "别墅", "已售", "张三、李四"]),
)
ANY_HEADER = ("房号", "楼层", "面积", "房屋类型", "房屋状态", "业主", "电话", "身份证", "交房日期")


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(*[CELLS] * len(ANY_HEADER)), min_size=1, max_size=6))
def test_any_cells_every_row_is_read_or_refused(
    tmp_path: Path, rows: list[tuple[object, ...]]
) -> None:
    path = books.write_book(tmp_path / "any.xlsx", {"S": [ANY_HEADER, *rows]})
    table = reading.read_table(path, header_row=1)
    setup = reading.suggested_setup(table, ImportKind.ROOMS)
    result = reading.read_lines(path, setup)
    read = {line.source.row for line in result.rooms}
    refused = {refusal.source.row for refusal in result.refusals}
    assert not read & refused
    assert {line.source.row for line in result.people} <= read
    unmapped_rows = {
        number
        for number, cells in table.rows
        for index, field in setup.columns.items()
        if any(u.value == text_of(cells[index]) and u.field is field for u in result.unmapped)
    }
    assert len(read | refused | unmapped_rows) == result.rows_read


def test_a_file_saved_again_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    books.write_book(path, {"S": [("房号", "业主"), ("3-2-1201", "张三")]})
    assert reading.read_table(path).rows[0][1][1] == "张三"
    books.write_book(path, {"S": [("房号", "业主"), ("3-2-1201", "李四")]})  # same size
    assert reading.read_table(path).rows[0][1][1] == "李四"
    with pytest.raises(ValidationError, match="找不到文件"):
        reading.read_table(tmp_path / "gone.xlsx")
