"""The meter-reading sheet without a window: typing, warnings, counts, what is saved,
and where an Excel file's readings go."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.area import format_m2
from frontdesk.gui.screens.cashier.meters_model import (
    BAD_FORMAT_WARNING,
    CURRENT,
    NOTE,
    PREVIOUS,
    ROOM,
    USED,
    BadCell,
    ReadingSheet,
)
from frontdesk.services.fees.meters import ImportedReading, ReadingInput, ReadingRow

READING = st.integers(min_value=0, max_value=10**9 - 1)


def sheet(*rows: ReadingRow) -> ReadingSheet:
    made = ReadingSheet()
    made.load(rows)
    return made


def row(
    room_id: int,
    previous: int | None,
    current: int | None = None,
    *,
    usual: int | None = None,
    billed: bool = False,
) -> ReadingRow:
    return ReadingRow(room_id, f"1-1-{100 + room_id}", previous, current, usual, billed)


@given(previous=READING, current=READING)
def test_use_is_current_less_previous_and_a_drop_is_flagged(previous: int, current: int) -> None:
    grid = sheet(row(1, None))
    assert grid.type(0, PREVIOUS, f"{previous // 100}.{previous % 100:02d}")
    grid.type(0, CURRENT, format_m2(current))
    assert grid.values(0) == (previous, current)
    used = current - previous
    assert grid.cell(0, USED) == ("-" if used < 0 else "") + format_m2(abs(used))
    if current < previous:
        assert grid.cell(0, NOTE) == "本次读数小于上次读数（换表或抄错？）"
        assert grid.needs_look(0)
    assert grid.collect() == [ReadingInput(1, previous, current)]


def test_a_typed_number_is_shown_as_readings_are_and_a_bad_one_stays() -> None:
    grid = sheet(row(1, 11000), row(2, 21500))
    grid.type(0, CURRENT, " 1234.5 ")
    grid.type(1, CURRENT, "2l5.5")
    assert grid.text(0, CURRENT) == "1,234.50"
    assert grid.text(1, CURRENT) == "2l5.5"
    assert grid.cell(1, NOTE) == BAD_FORMAT_WARNING and grid.cell(1, USED) == ""
    assert grid.count_text() == "已抄 2 / 共 2 户，提示 1 条，未保存 2 户"
    with pytest.raises(BadCell) as bad:
        grid.collect()
    assert (bad.value.row, bad.value.column) == (1, CURRENT)
    assert bad.value.error.field == "1-1-102 本次读数"
    assert "“2l5.5”不是有效读数" in bad.value.error.message


def test_a_first_reading_needs_the_meters_start() -> None:
    grid = sheet(row(1, None))
    grid.type(0, CURRENT, "12")
    assert grid.warning(0) == "缺少上次读数：首次抄表请填写表的起始读数"
    with pytest.raises(BadCell) as bad:
        grid.collect()
    assert bad.value.error.field == "1-1-101 上次读数"
    grid.type(0, PREVIOUS, "0")
    assert grid.collect() == [ReadingInput(1, 0, 1200)]


def test_a_saved_reading_cannot_be_cleared() -> None:
    grid = sheet(row(1, 10000, 12000))
    assert grid.collect() == []  # nothing edited, nothing to save
    grid.type(0, CURRENT, "")
    with pytest.raises(BadCell) as bad:
        grid.collect()
    assert bad.value.error.message == "1-1-101 本次读数：已保存的读数不能清空，请填写正确的读数"


def test_billed_rows_are_locked_skipped_and_not_counted() -> None:
    grid = sheet(row(1, 0, 1000, billed=True), row(2, 500), row(3, 0, 1, billed=True), row(4, 1))
    assert not grid.type(0, CURRENT, "50")
    assert grid.text(0, CURRENT) == "10.00"
    assert not grid.editable(1, ROOM) and grid.editable(1, CURRENT)
    assert grid.cell(0, NOTE) == "已出账"
    assert grid.editable_row(0, 1) == 1
    assert grid.editable_row(2, 1) == 3
    assert grid.editable_row(2, -1) == 1
    assert grid.editable_row(4, 1) is None
    assert grid.counts() == (2, 0, 0)


def test_far_more_than_the_usual_use_is_flagged() -> None:
    grid = sheet(row(1, 10000, usual=1000))
    grid.type(0, CURRENT, "200")  # 100 used against a usual 10
    assert grid.needs_look(0) and "倍" in grid.cell(0, NOTE)


def test_imported_readings_go_to_their_rooms_and_the_rest_are_explained() -> None:
    grid = sheet(row(1, 10000), row(2, 0, 10, billed=True))
    found = [
        ImportedReading(2, "1-1-101", ReadingInput(1, 10000, 12000), ""),
        ImportedReading(3, "1-1-102", ReadingInput(2, 0, 900), ""),
        ImportedReading(4, "9-9-999", None, "没有这个房号"),
        ImportedReading(5, "2-1-101", ReadingInput(99, 0, 5), ""),
    ]
    result = grid.sort_imported(found, "1栋")
    assert result.filled == {0: (10000, 12000)}
    assert result.problems == [
        ("3", "1-1-102", "本期已出账，读数不能再修改"),
        ("4", "9-9-999", "没有这个房号"),
        ("5", "2-1-101", "不在1栋本期的抄表名单中（未交房、非住宅或不属本楼）"),
    ]
    grid.fill(result.filled)
    assert grid.text(0, CURRENT) == "120.00" and grid.edited_count() == 1
