"""Values read once per distinct value of a column (lines.RowReader._once): a repeated
value reads alike on every row, a refused one is refused on every row holding it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from frontdesk.services.onboarding import reading
from tests import onboarding_books as books


def test_repeated_values_read_alike_and_bad_ones_refuse_each_row(tmp_path: Path) -> None:
    path = books.write_book(
        tmp_path / "rooms.xlsx",
        {
            "房屋": [
                ("房号", "建筑面积", "楼层", "交房日期"),
                ("3-2-1201", 89.5, 12, "2021-03-05"),
                ("3-2-1202", 89.5, 12, "2021-03-05"),
                ("3-2-1203", "89.555", 12, "2021-13-05"),
                ("3-2-1204", "89.555", "12层", "2021-03-05"),
                ("3-2-1205", 89.5, "十二", books.serial(date(2021, 3, 5))),
            ]
        },
    )
    table = reading.read_table(path)
    result = reading.read_lines(path, reading.suggested_setup(table))
    assert [(r.room.number, r.area_x100, r.floor, r.handover_on) for r in result.rooms] == [
        ("1201", 8950, 12, date(2021, 3, 5)),
        ("1202", 8950, 12, date(2021, 3, 5)),
    ]
    assert [(r.source.row, r.column) for r in result.refusals] == [
        (4, "建筑面积"),
        (5, "建筑面积"),
        (6, "楼层"),
    ]


def test_a_period_that_is_no_month_is_kept_as_written_on_every_row(tmp_path: Path) -> None:
    path = books.write_book(
        tmp_path / "history.xlsx",
        {
            "缴费记录": [
                ("房号", "收费项目", "所属期间", "实收金额", "缴费日期"),
                ("3-2-1201", "物业费", "2026-03至2026-05", 300, "2026-03-02"),
                ("3-2-1202", "物业费", "2026-03至2026-05", 300, "2026-03-02"),
                ("3-2-1203", "物业费", "2026.3", 100, "2026-03-02"),
                ("3-2-1204", "物业费", "2026.3", 100, "2026-03-02"),
            ]
        },
    )
    table = reading.read_table(path)
    result = reading.read_lines(path, reading.suggested_setup(table))
    assert [line.period for line in result.history] == [
        "2026-03至2026-05",
        "2026-03至2026-05",
        "2026-03",
        "2026-03",
    ]
