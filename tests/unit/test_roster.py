"""The Excel roster: every row validated, a report of refusals, all-or-nothing, round trip."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind
from frontdesk.domain.identity import IdType
from frontdesk.domain.roles import Role
from frontdesk.errors import PermissionDenied, ValidationError
from frontdesk.services import stats
from frontdesk.services.households import file as households
from frontdesk.services.households import roster, search, structure
from frontdesk.services.households.structure import NewBuilding
from frontdesk.services.progress import Cancelled, Progress
from frontdesk.services.protection import audit

GOOD_ID = "11010519491231002X"


@pytest.fixture
def building(db, admin):
    structure.create_building(db, admin, NewBuilding("3", "", 12, 2, 2, "89.5"))
    return db


def workbook(
    path: Path, rows: list[tuple[Any, ...]], header: tuple[str, ...] = roster.COLUMNS
) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def row(
    room: str = "3-2-1201", kind: str = "产权人", name: str = "张三", **cells: Any
) -> tuple[Any, ...]:
    values = dict.fromkeys(roster.COLUMNS, None)
    values.update({"房号": room, "类别": kind, "姓名": name})
    values.update({k.replace("_", ""): v for k, v in cells.items()})
    return tuple(values[c] for c in roster.COLUMNS)


def test_good_rows_are_imported_with_move_in_date(building, admin, tmp_path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        [
            row(证件号码=GOOD_ID, 电话=13812345678, 产权份额="100%", 入住日期=date(2024, 5, 1)),
            row(kind="住户", name="李梅", 关系="配偶", 电话="139-1234-5678"),
            row(
                room="3栋1单元101",
                kind="租户",
                name="王五",
                租期开始="2025/3/1",
                租期结束="2026-2-28",
            ),
        ],
    )
    report = roster.import_roster(building, admin, path)
    assert (report.rows, report.added, report.households, report.rejected) == (3, 3, 2, [])
    room_id = search.find_households(building, admin, "3-2-1201")[0].room_id
    file = households.open_file(building, admin, room_id, reveal=True)
    assert [(p.name, p.kind) for p in file.people] == [
        ("张三", PersonKind.OWNER),
        ("李梅", PersonKind.RESIDENT),
    ]
    assert file.people[0].phone == "13812345678" and file.people[0].id_number == GOOD_ID
    assert file.people[0].id_type is IdType.RESIDENT  # no 证件类型 given with a number
    assert file.profile.move_in_on == date(2024, 5, 1)
    imports = audit.entry_ids(building, admin, audit.AuditFilter(action="import"))
    [entry] = audit.entry_rows(building, admin, imports)
    assert entry.summary == "导入业主名册「r.xlsx」：3 人，2 户，拒绝 0 行"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (row(证件号码="110105194912310021"), "证件号码：居民身份证号码校验位不正确"),
        (row(电话="12345"), "电话："),
        (row(room="9-9-999"), "房号：小区中没有房屋「9-9-999」"),
        (row(room="后门"), "房号：「后门」不是房号"),
        (row(kind="房东"), "类别：「房东」不在可选范围内"),
        (row(name=""), "姓名：不能为空"),
        (row(性别="未知"), "性别：只能填男或女"),
        (
            row(kind="租户", 租期开始="2025-05-01", 租期结束="2025-04-01"),
            "租期结束：不能早于租期开始",
        ),
        (row(入住日期="明年"), "入住日期：「明年」不是有效日期"),
    ],
)
def test_each_bad_row_is_refused_with_its_row_number_and_reason(
    building, admin, tmp_path, bad, reason
) -> None:
    path = workbook(tmp_path / "r.xlsx", [row(name="好人"), bad])
    report = roster.import_roster(building, admin, path)
    assert report.added == 1
    assert len(report.rejected) == 1
    refused = report.rejected[0]
    assert refused.row_number == 3  # the header is row 1, the good row is row 2
    assert refused.reason.startswith(reason)


def test_duplicates_in_the_file_and_against_the_file_are_refused(building, admin, tmp_path) -> None:
    first = workbook(tmp_path / "a.xlsx", [row(证件号码=GOOD_ID)])
    roster.import_roster(building, admin, first)
    path = workbook(
        tmp_path / "b.xlsx",
        [
            row(证件号码=GOOD_ID),
            row(name="李四", 电话="13800000000"),
            row(name="李四", 电话="13800000000"),
        ],
    )
    report = roster.import_roster(building, admin, path)
    assert report.added == 1
    assert [(r.row_number, r.name) for r in report.rejected] == [(2, "张三"), (4, "李四")]
    assert report.rejected[0].reason.startswith("该人员已在档案中")
    assert report.rejected[1].reason.startswith("与第 3 行重复")


def test_same_name_with_a_different_id_or_phone_is_another_person(
    building, admin, tmp_path
) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        [row(电话="13800000000"), row(电话="13900000000"), row(name="李四"), row(name="李四")],
    )
    report = roster.import_roster(building, admin, path)
    assert report.added == 3
    assert [(r.row_number, r.reason[:8]) for r in report.rejected] == [(5, "与第 4 行重复")]


def test_a_dry_run_reports_the_same_and_writes_nothing(building, admin, tmp_path) -> None:
    path = workbook(tmp_path / "r.xlsx", [row(), row(room="9-1-1")])
    entries = len(audit.entry_ids(building, admin))
    report = roster.import_roster(building, admin, path, dry_run=True)
    assert (report.added, len(report.rejected)) == (1, 1)
    assert stats.counts(building)["persons"] == 0
    assert len(audit.entry_ids(building, admin)) == entries


def test_a_file_that_is_not_excel_is_refused_and_nothing_changes(building, admin, tmp_path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_text("房号,姓名\n3-2-1201,张三\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"文件：无法读取 roster\.xlsx：不是 Excel 工作簿"):
        roster.import_roster(building, admin, path)
    assert stats.counts(building)["persons"] == 0


def test_missing_columns_and_missing_header_are_named(building, admin, tmp_path) -> None:
    no_kind = workbook(tmp_path / "a.xlsx", [("3-2-1201", "张三")], header=("房号", "姓名"))
    with pytest.raises(ValidationError, match="缺少必填列：类别"):
        roster.import_roster(building, admin, no_kind)
    no_room = workbook(tmp_path / "c.xlsx", [("张三", "产权人")], header=("姓名", "类别"))
    with pytest.raises(ValidationError, match="缺少必填列：房号"):
        roster.import_roster(building, admin, no_room)
    no_header = workbook(tmp_path / "b.xlsx", [("x",)] * 12, header=("随便",))
    with pytest.raises(ValidationError, match="找不到表头"):
        roster.import_roster(building, admin, no_header)


def test_columns_are_found_by_name_in_any_order(building, admin, tmp_path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        [("张三", "无关", "3-2-1201", "产权人")],
        header=("姓名", "楼盘", "房号", "类别"),
    )
    assert roster.import_roster(building, admin, path).added == 1


def test_a_cancelled_import_leaves_nothing(building, admin, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(roster, "PROGRESS_EVERY", 1)
    path = workbook(tmp_path / "r.xlsx", [row(name=f"人{n}") for n in range(5)])
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        roster.import_roster(building, admin, path, progress=progress)
    assert stats.counts(building)["persons"] == 0


def test_export_imports_back_unchanged(building, admin, tmp_path, db) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        [
            row(
                证件号码=GOOD_ID,
                电话="13812345678",
                性别="男",
                关系="本人",
                产权份额="50%",
                入住日期=date(2024, 5, 1),
            ),
            row(
                kind="租户",
                name="王五",
                证件类型="护照",
                证件号码="E12345678",
                租期开始=date(2025, 3, 1),
                租期结束=date(2026, 2, 28),
            ),
        ],
    )
    roster.import_roster(building, admin, path)
    exported = tmp_path / "out.xlsx"
    assert roster.export_roster(building, admin, exported) == 2
    again = roster.import_roster(building, admin, exported)
    assert again.added == 0 and len(again.rejected) == 2  # everyone is already on file
    first = [tuple(r) for r in load_workbook(exported).active.iter_rows(values_only=True)]
    room_id = search.find_households(building, admin, "3-2-1201")[0].room_id
    for person in households.open_file(building, admin, room_id).people:
        households.end_person(building, admin, person.id, clock.today(), "迁出")
    # Those who left are history: the export holds today's people, the same people
    # coming back are added anew, and the file keeps both.
    assert roster.import_roster(building, admin, exported).added == 2
    file = households.open_file(building, admin, room_id)
    assert len(file.people) == 2 and len(file.former) == 2
    second_path = tmp_path / "out2.xlsx"
    roster.export_roster(building, admin, second_path)
    second = [tuple(r) for r in load_workbook(second_path).active.iter_rows(values_only=True)]
    assert second == first


def test_an_export_is_audited_only_when_the_file_is_written(
    building, admin, tmp_path, monkeypatch
) -> None:
    roster.import_roster(building, admin, workbook(tmp_path / "r.xlsx", [row(电话="13812345678")]))
    entries = len(audit.entry_ids(building, admin))
    with pytest.raises(FileNotFoundError):
        roster.export_roster(building, admin, tmp_path / "missing" / "out.xlsx")
    assert len(audit.entry_ids(building, admin)) == entries
    assert roster.export_roster(building, admin, tmp_path / "out.xlsx") == 1
    exports = audit.entry_ids(building, admin, audit.AuditFilter(action="export"))
    assert len(exports) == 1 and len(audit.entry_ids(building, admin)) == entries + 1

    def refuse(*args: Any) -> None:
        raise ValidationError("数据库", "写入失败")

    monkeypatch.setattr(roster, "write_entry", refuse)
    with pytest.raises(ValidationError):
        roster.export_roster(building, admin, tmp_path / "again.xlsx")
    assert not (tmp_path / "again.xlsx").exists()


def test_a_cancelled_export_leaves_no_file(building, admin, tmp_path, monkeypatch) -> None:
    roster.import_roster(building, admin, workbook(tmp_path / "r.xlsx", [row()]))
    monkeypatch.setattr(roster, "PROGRESS_EVERY", 1)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        roster.export_roster(building, admin, tmp_path / "out.xlsx", progress)
    assert not (tmp_path / "out.xlsx").exists()


def test_roster_work_needs_its_permission(building, make_user, tmp_path) -> None:
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied):
        roster.import_roster(building, clerk, workbook(tmp_path / "r.xlsx", [row()]))
    with pytest.raises(PermissionDenied):
        roster.export_roster(building, clerk, tmp_path / "o.xlsx")


def test_template_and_report_are_real_workbooks(building, admin, tmp_path) -> None:
    template = tmp_path / "t.xlsx"
    roster.write_template(template)
    book = load_workbook(template)
    assert book.sheetnames == ["业主名册", "说明"]
    assert tuple(next(book["业主名册"].iter_rows(values_only=True))) == roster.COLUMNS
    report = roster.import_roster(building, admin, template, dry_run=True)
    assert report.added == 2  # the example rows are valid against building 3
    bad = roster.import_roster(building, admin, workbook(tmp_path / "r.xlsx", [row(room="8-1-1")]))
    out = tmp_path / "report.xlsx"
    roster.write_report(bad, out)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == ("行号", "房号", "姓名", "原因") and rows[1][:3] == (2, "8-1-1", "张三")
