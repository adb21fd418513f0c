"""The old system's workbooks (`frontdesk demo-export`): seeded, in the shapes offices
bring, their 合计 rows and totals agreeing with what they hold."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from frontdesk.cli import main
from frontdesk.demo.old_system import OldEstate, old_estate
from frontdesk.demo.old_system_books import (
    BALANCES_BOOK,
    LINKED_BOOK,
    ROOMS_BOOK,
    write_old_system,
)
from frontdesk.domain import clock
from frontdesk.domain.periods import Period

HEADER_ROW = 4  # a title, an explanation and a blank row above the header


def _rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    book = load_workbook(path)
    return [tuple(r) for r in book[sheet].iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


@pytest.fixture(scope="module")
def estate() -> OldEstate:
    return old_estate(40, seed=3, today=clock.today())


def test_the_same_seed_writes_the_same_cells(estate: OldEstate, tmp_path: Path) -> None:
    first = write_old_system(tmp_path / "a", estate)
    second = write_old_system(tmp_path / "b", old_estate(40, seed=3, today=clock.today()))
    other = write_old_system(tmp_path / "c", old_estate(40, seed=4, today=clock.today()))
    assert first.totals == second.totals
    assert first.totals != other.totals
    for one, two in zip(first.paths, second.paths, strict=True):
        book = load_workbook(one)
        for sheet in book.sheetnames:
            assert _rows(one, sheet) == _rows(two, sheet)


def test_rooms_sheet_holds_the_shapes_offices_bring(estate: OldEstate, tmp_path: Path) -> None:
    exported = write_old_system(tmp_path, estate, cut_ids=2)
    rows = _rows(tmp_path / ROOMS_BOOK, "房屋业主")
    *data, total = rows
    assert total[0] == "合计" and total[2] == f"{len(estate.rooms)}户"
    assert len(data) == exported.totals.rooms == len(estate.rooms)
    owners = [r[8] for r in data if r[8]]
    assert any("、" in o for o in owners) and any("/" in o for o in owners)
    assert sum(len(o.replace("/", "、").split("、")) for o in owners) == exported.totals.people
    assert all(isinstance(r[9], int) for r in data if r[8])  # phones as Excel numbers
    cut = [r[10] for r in data if isinstance(r[10], float)]
    ids = [o.id_number for owners in estate.owners.values() for o in owners]
    whole = {float(f"{int(i):.14e}"): i for i in ids if i.isdigit()}
    assert len(cut) == 2 and all(v in whole and int(whole[v]) != v for v in cut)
    handovers = {type(r[7]) for r in data if r[7] is not None}
    assert {datetime, int, str} <= handovers  # date cells, serial numbers, text
    assert {r[5] for r in data} >= {"住宅", "车位", "商铺", "储藏室"}


def test_linked_owners_share_the_room_owner_number(estate: OldEstate, tmp_path: Path) -> None:
    write_old_system(tmp_path, estate)
    *rooms, _total = _rows(tmp_path / LINKED_BOOK, "房屋")
    people = _rows(tmp_path / LINKED_BOOK, "业主")
    numbers = {r[4] for r in rooms if r[4]}
    assert {p[0] for p in people} == numbers
    assert len(people) == estate.people > len(numbers)  # co-owners under one number
    assert any("栋" in str(r[0]) for r in rooms) and any("-" in str(r[0]) for r in rooms)


def test_balances_add_up_and_precede_the_first_month_billed_here(
    estate: OldEstate, tmp_path: Path
) -> None:
    exported = write_old_system(tmp_path, estate)
    *owed, total = _rows(tmp_path / BALANCES_BOOK, "欠费明细")
    assert round(sum(r[3] for r in owed) * 100) == exported.totals.arrears_fen
    assert round(total[3] * 100) == exported.totals.arrears_fen
    cutover = Period.of(clock.today())
    for line in estate.owed:
        assert line.period < cutover
        assert estate.paid_through[(line.room, line.item)] < line.period
    prepaid_total = _rows(tmp_path / BALANCES_BOOK, "预存")[-1]
    assert round(prepaid_total[1] * 100) == exported.totals.prepaid_fen


def test_demo_export_command_writes_the_books(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-export", str(tmp_path / "old"), "--rooms", "20"]) == 0
    out = capsys.readouterr().out
    assert "原系统合计：房屋" in out
    assert len(list((tmp_path / "old").glob("*.xlsx"))) == 5
