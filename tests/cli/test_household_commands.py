"""Household commands: find, roster template, import (with report and dry run), export."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook, load_workbook

from frontdesk.services.households.roster import COLUMNS
from tests.cli.conftest import copy_of


def test_find_by_room_name_pinyin_phone_and_plate(frontdesk, demo_db: Path) -> None:
    listed = json.loads(frontdesk("find", "1-1-101", "--json", "--db", str(demo_db)).stdout)
    assert [h["room"] for h in listed] == ["1-1-101"]
    owner = listed[0]["owners"][0]
    by_name = json.loads(frontdesk("find", owner, "--json", "--db", str(demo_db)).stdout)
    assert "1-1-101" in [h["room"] for h in by_name]
    assert all(h["matched"].endswith(owner) or owner in h["matched"] for h in by_name)
    plain = frontdesk("find", "1-1-101", "--db", str(demo_db))
    assert plain.returncode == 0 and plain.stdout.startswith("1-1-101\t")


def test_find_with_nothing_matching_says_so(frontdesk, demo_db: Path) -> None:
    result = frontdesk("find", "不存在的人", "--db", str(demo_db))
    assert result.returncode == 0 and result.stdout.strip() == "没有找到匹配的住户。"


def test_template_import_dry_run_report_and_real_import(
    frontdesk, demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "d.sqlite"
    db = copy_of(demo_db, db)
    roster = tmp_path / "roster.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(
        ("1-1-101", "住户", "测试甲", "", "子女", "", "", "13800001111", "", None, None, None, "")
    )
    sheet.append(("99-9-999", "产权人", "测试乙", "", "", "", "", "", "", None, None, None, ""))
    book.save(roster)
    before = json.loads(frontdesk("stats", "--db", str(db)).stdout)["persons"]
    report = tmp_path / "refused.xlsx"
    dry = frontdesk(
        "import-households", str(roster), "--dry-run", "--report", str(report), "--db", str(db)
    )
    assert dry.returncode == 1, dry.stderr  # a refused row: the file is not imported
    assert "  人员（人）\t2\t1" in dry.stdout
    assert "第 3 行“房号（整体）”列（Sheet）：系统中没有房屋「99-9-999」" in dry.stdout
    assert json.loads(frontdesk("stats", "--db", str(db)).stdout)["persons"] == before
    assert list(load_workbook(report)["拒绝"].iter_rows(values_only=True))[1][1] == 3
    book.active.delete_rows(3)
    book.save(roster)
    real = frontdesk("import-households", str(roster), "--db", str(db))
    assert real.returncode == 0, real.stdout + real.stderr
    assert "  人员（人）\t1\t1" in real.stdout and "已导入（导入编号 1）" in real.stdout
    assert json.loads(frontdesk("stats", "--db", str(db)).stdout)["persons"] == before + 1
    template = tmp_path / "t.xlsx"
    assert frontdesk("roster-template", str(template)).stdout.strip() == f"已生成模板 {template}"
    assert load_workbook(template).sheetnames == ["业主名册", "说明"]


def test_export_then_import_finds_everyone_already_on_file(
    frontdesk, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.xlsx"
    exported = frontdesk("export-households", str(out), "--db", str(demo_db))
    assert exported.returncode == 0, exported.stderr
    count = int(exported.stdout.split("已导出 ")[1].split(" 人")[0])
    assert count == json.loads(frontdesk("stats", "--db", str(demo_db)).stdout)["persons"]
    again = frontdesk("import-households", str(out), "--dry-run", "--db", str(demo_db))
    assert again.returncode == 0, again.stdout
    assert f"读取数据 {count} 行" in again.stdout and f"  人员（人）\t{count}\t0" in again.stdout


def test_a_file_that_is_not_excel_fails_with_a_chinese_message(
    frontdesk, demo_db: Path, tmp_path: Path
) -> None:
    bogus = tmp_path / "x.xlsx"
    bogus.write_text("not a workbook")
    result = frontdesk("import-households", str(bogus), "--db", str(demo_db))
    assert result.returncode == 1
    assert result.stderr.strip() == "错误：文件：无法读取 x.xlsx：不是 Excel 工作簿（.xlsx）"
    assert result.stdout == ""


def test_print_household_card(frontdesk, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "card.pdf"
    result = frontdesk("print", "household", "1-1-101", "--db", str(demo_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    missing = frontdesk("print", "household", "1-9-9999", "--db", str(demo_db), "--out", str(out))
    assert missing.returncode == 1 and missing.stderr.strip() == "错误：找不到房屋「1-9-9999」。"


def test_bad_paths_and_arguments_fail_with_one_chinese_line(
    frontdesk, demo_db: Path, tmp_path: Path
) -> None:
    absent = tmp_path / "无.xlsx"
    missing = frontdesk("import-households", str(absent), "--db", str(demo_db))
    assert (missing.returncode, missing.stderr.strip()) == (1, f"错误：文件：找不到文件 {absent}")
    gone = tmp_path / "gone" / "all.xlsx"
    export = frontdesk("export-households", str(gone), "--db", str(demo_db))
    assert export.returncode == 1 and export.stdout == ""
    assert export.stderr.startswith(f"错误：无法读写文件 {gone}（")
    assert len(export.stderr.strip().splitlines()) == 1  # no traceback from openpyxl
    template = frontdesk("roster-template", str(gone))
    assert template.returncode == 1 and template.stderr.startswith("错误：无法读写文件")
    no_query = frontdesk("find", "--db", str(demo_db))
    assert no_query.returncode == 2 and "缺少参数：query" in no_query.stderr


def test_a_roster_of_rooms_names_and_phones_reads_everyone_as_an_owner(
    frontdesk, demo_db: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.xlsx"
    book = Workbook()
    book.active.append(("房号", "姓名", "电话"))
    book.active.append(("1-1-101", "测试甲", "13800001111"))
    book.save(roster)
    result = frontdesk("import-households", str(roster), "--dry-run", "--db", str(demo_db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  人员（人）\t1\t1" in result.stdout
