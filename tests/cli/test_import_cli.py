"""`frontdesk import` (数据导入) as an office moving in runs it: a dry run, the new
buildings confirmed with --yes, refused rows by row and column with nothing written,
--map and saved mappings, owners on a linked sheet; `imports` and `import-undo`."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from frontdesk.domain.fees import FeeMethod
from frontdesk.services import users
from frontdesk.services.database import open_at, parse_location
from frontdesk.services.fees import items
from tests import onboarding_books as books
from tests.cli.conftest import ADMIN, PASSWORD, Run
from tests.cli.database_rows import Where, one

ESTATE_ROOMS = 2 * 2 * 6 * 2  # buildings × units × floors × flats of estate_rooms
ESTATE_PEOPLE = ESTATE_ROOMS + ESTATE_ROOMS // 5  # every fifth flat has two owners


def counts(db: Where) -> tuple[int, int, int]:
    """Buildings, rooms, people on file."""
    return (
        int(one(db, "SELECT count(*) FROM building")),
        int(one(db, "SELECT count(*) FROM room")),
        int(one(db, "SELECT count(*) FROM person")),
    )


def test_an_estate_moves_into_an_empty_database_and_can_be_taken_back(
    frontdesk: Run, staffed_db: Where, tmp_path: Path
) -> None:
    estate = books.estate_rooms(tmp_path / "房屋.xlsx")
    db = ("--db", str(staffed_db))
    dry = frontdesk("import", str(estate), "--kind", "rooms", "--dry-run", *db)
    assert dry.returncode == 0, dry.stderr
    assert "工作表“房屋”：表头在第 2 行，数据 48 行。" in dry.stdout
    assert "  楼栋\t→ 楼栋" in dry.stdout and "  房号\t→ 房间号" in dry.stdout
    assert f"  房屋（间）\t{ESTATE_ROOMS}\t{ESTATE_ROOMS}" in dry.stdout
    assert "将新建楼栋 2 栋：1、2" in dry.stdout
    assert "（试运行，未写入数据库）" in dry.stdout
    assert counts(staffed_db) == (0, 0, 0)

    unconfirmed = frontdesk("import", str(estate), "--kind", "rooms", *db)
    assert unconfirmed.returncode == 3
    assert "确认无误后加 --yes 重新运行" in unconfirmed.stdout
    assert counts(staffed_db) == (0, 0, 0)

    done = frontdesk("import", str(estate), "--kind", "rooms", "--yes", *db)
    assert done.returncode == 0, done.stderr
    assert "已导入（导入编号 1）" in done.stdout
    assert f"  房屋（间）\t0\t{ESTATE_ROOMS}\t{ESTATE_ROOMS}" in done.stdout
    assert counts(staffed_db) == (2, ESTATE_ROOMS, ESTATE_PEOPLE)

    again = frontdesk("import", str(estate), "--kind", "rooms", "--yes", *db)
    assert again.returncode == 0, again.stderr
    assert f"  房屋（间）\t{ESTATE_ROOMS}\t0" in again.stdout
    assert "文件中的数据都已在本系统中，没有新增。" in again.stdout
    assert counts(staffed_db) == (2, ESTATE_ROOMS, ESTATE_PEOPLE)

    listed = json.loads(frontdesk("imports", "--json", *db).stdout)
    assert [(i["id"], i["file"], i["undo_refusal"], i["undone_at"]) for i in listed] == [
        (1, "房屋.xlsx", None, None)
    ]
    assert listed[0]["added"]["房屋（间）"] == str(ESTATE_ROOMS)

    undone = frontdesk("import-undo", "1", *db)
    assert undone.returncode == 0, undone.stderr
    assert f"  房屋（间）\t{ESTATE_ROOMS}" in undone.stdout
    assert counts(staffed_db) == (0, 0, 0)
    plain = frontdesk("imports", *db).stdout
    assert plain.startswith("1\t") and plain.rstrip().endswith("已撤销")


def test_refused_rows_are_named_by_row_and_column_and_nothing_is_imported(
    frontdesk: Run, staffed_db: Where, tmp_path: Path
) -> None:
    rooms = books.rooms_one_code(tmp_path / "rooms.xlsx")
    report = tmp_path / "检查.xlsx"
    result = frontdesk(
        "import", str(rooms), "--yes", "--report", str(report), "--db", str(staffed_db)
    )
    assert result.returncode == 1
    assert "第 11 行“身份证号”列（房屋资料）：被 Excel 存成了数字，只保留前 15 位" in result.stdout
    assert "整个文件未导入" in result.stdout
    assert counts(staffed_db) == (0, 0, 0)
    refused = list(load_workbook(report)["拒绝"].iter_rows(values_only=True))
    assert refused[0] == ("工作表", "行号", "列", "原因")
    assert [(r[0], r[1], r[2]) for r in refused[1:]] == [("房屋资料", 11, "身份证号")]


def test_map_leaves_a_column_out_and_the_saved_mapping_is_offered_next_time(
    frontdesk: Run, staffed_db: Where, tmp_path: Path
) -> None:
    rooms = books.rooms_in_columns(tmp_path / "rooms.xlsx")
    db = ("--db", str(staffed_db))
    first = frontdesk(
        "import", str(rooms), "--map", "面积=忽略", "--yes", "--save-mapping", "楼号表", *db
    )
    assert first.returncode == 0, first.stdout + first.stderr
    assert "  面积\t→ （不导入）" in first.stdout
    assert "对应关系已保存为“楼号表”。" in first.stdout
    assert one(staffed_db, "SELECT count(*) FROM room WHERE area_m2_x100 > 0") == 0

    again = frontdesk("import", str(rooms), "--mapping", "楼号表", "--dry-run", *db)
    assert again.returncode == 0, again.stderr
    assert "  面积\t→ （不导入）" in again.stdout

    unknown = frontdesk("import", str(rooms), "--mapping", "没有这个", *db)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1,
        "错误：没有名为“没有这个”的对应关系。",
    )
    wrong = frontdesk("import", str(rooms), "--map", "栋号=楼栋", "--dry-run", *db)
    assert wrong.returncode == 1 and "文件中没有列「栋号」" in wrong.stderr


def test_owners_on_a_linked_sheet_are_joined_by_their_number(
    frontdesk: Run, staffed_db: Where, tmp_path: Path
) -> None:
    linked = books.owners_linked(tmp_path / "linked.xlsx")
    named = frontdesk(
        "import", str(linked), "--link-sheet", "业主", "--dry-run", "--db", str(staffed_db)
    )
    result = frontdesk("import", str(linked), "--dry-run", "--db", str(staffed_db))
    assert result.stdout == named.stdout  # found without being named
    assert "业主在工作表“业主”中，按业主编号关联。" in result.stdout
    assert result.returncode == 1
    assert "第 5 行“业主编号”列（房屋）：「1009」在工作表「业主」中找不到" in result.stdout
    assert "  人员（人）\t4\t4" in result.stdout  # 1001 on two flats, 1002's two owners


def test_import_households_is_the_import_of_people(
    frontdesk: Run, staffed_db: Where, tmp_path: Path
) -> None:
    roster = books.roster_layout(tmp_path / "名册.xlsx")
    result = frontdesk("import-households", str(roster), "--dry-run", "--db", str(staffed_db))
    assert result.returncode == 1
    assert "识别为：业主与住户。" in result.stdout and "  类别\t→ 人员类别" in result.stdout
    # people are not enough to make a room: the rooms sheet comes first
    assert "第 2 行“房号（整体）”列（业主名册）：系统中没有房屋「3-2-1201」" in result.stdout


def test_opening_balances_follow_the_rooms_and_go_with_their_undo(
    frontdesk: Run, staffed_db: Where, tmp_path: Path
) -> None:
    db = ("--db", str(staffed_db))
    rooms = frontdesk("import", str(books.estate_rooms(tmp_path / "房屋.xlsx")), "--yes", *db)
    assert rooms.returncode == 0, rooms.stdout + rooms.stderr
    opened = open_at(parse_location(str(staffed_db)))
    try:
        admin = users.login(opened, ADMIN, PASSWORD)
        items.add_fee_item(opened, admin, "物业服务费", "物业服务费", FeeMethod.AREA_MONTHLY)
    finally:
        opened.dispose()
    balances = books.estate_balances(tmp_path / "期初余额.xlsx")
    done = frontdesk("import", str(balances), *db)
    assert done.returncode == 0, done.stdout + done.stderr
    owing = ESTATE_ROOMS // 3  # every third flat owes 600.01 over three months
    assert "  收费项目\t→ 收费项目" in done.stdout
    assert f"  期初欠费（元）\t{owing * 600.01:,.2f}\t{owing * 600.01:,.2f}" in done.stdout
    assert "已导入（导入编号 2）" in done.stdout
    carried = "SELECT count(*) FROM bill WHERE import_id = 2 AND run_id IS NULL"
    assert one(staffed_db, carried) == owing * 3
    assert frontdesk("check", *db).returncode == 0
    undone = frontdesk("import-undo", "2", *db)
    assert undone.returncode == 0, undone.stderr
    assert one(staffed_db, "SELECT count(*) FROM bill") == 0
    assert counts(staffed_db)[1] == ESTATE_ROOMS  # the rooms' own import stays
    checked = frontdesk("check", *db)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_old_systems_words_are_shown_and_value_sets_one(
    frontdesk: Run, staffed_db: Where, tmp_path: Path
) -> None:
    """A fee item the guess cannot place is shown as not matched and stops the file;
    --value places it, and its carried-over months go to the item named."""
    db = ("--db", str(staffed_db))
    rooms = frontdesk("import", str(books.estate_rooms(tmp_path / "房屋.xlsx")), "--yes", *db)
    assert rooms.returncode == 0, rooms.stdout + rooms.stderr
    opened = open_at(parse_location(str(staffed_db)))
    try:
        admin = users.login(opened, ADMIN, PASSWORD)
        for name in ("物业服务费", "生活垃圾处理费"):
            items.add_fee_item(opened, admin, name, "物业服务费", FeeMethod.AREA_MONTHLY)
    finally:
        opened.dispose()
    rows = [("房号", "收费项目", "欠费月份", "欠费金额")]
    rows += [("1-1-101", "物业管理费", "2025-10", 120.5), ("1-1-102", "卫生费", "2025-10", 15)]
    owed = books.write_book(tmp_path / "欠费.xlsx", {"欠费明细": rows})

    unplaced = frontdesk("import", str(owed), *db)
    assert unplaced.returncode == 1, unplaced.stdout + unplaced.stderr
    assert "  欠费月份\t→ 所属月份" in unplaced.stdout
    assert "  收费项目：物业管理费\t→ 物业服务费\t1 行" in unplaced.stdout
    assert "  收费项目：卫生费\t→ （未对应，这些行不能导入）\t1 行" in unplaced.stdout
    assert one(staffed_db, "SELECT count(*) FROM bill") == 0

    placed = frontdesk("import", str(owed), "--value", "收费项目:卫生费=生活垃圾处理费", *db)
    assert placed.returncode == 0, placed.stdout + placed.stderr
    assert "  收费项目：卫生费\t→ 生活垃圾处理费\t1 行" in placed.stdout
    garbage = (
        "SELECT bill.due_fen FROM bill JOIN fee_item ON fee_item.id = bill.fee_item_id "
        "WHERE fee_item.name = '生活垃圾处理费' AND bill.period = '2025-10'"
    )
    assert one(staffed_db, garbage) == 1500

    wrong = frontdesk("import", str(owed), "--value", "卫生费=生活垃圾处理费", "--dry-run", *db)
    assert wrong.returncode == 1 and "字段:原值=我们的值" in wrong.stderr
