"""Exports never run formulas (issue 18, section 4): a visitor registered as
=HYPERLINK("http://…","点我") or an owner renamed =1+1 comes back from each export as the
text typed — a text cell (data type 's', never a formula), the value unchanged with no
apostrophe added — in 访客记录, 欠费清单, the PIPL person copy and `export-households`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from frontdesk.domain.household import PersonKind
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.database import Database
from frontdesk.services.fees import billing
from frontdesk.services.households import file as households
from frontdesk.services.households import roster
from frontdesk.services.personal.export import export_person
from frontdesk.services.personal.rights import find_person, make_query
from frontdesk.services.visitors import history as visitor_history
from frontdesk.services.visitors import register as visitors
from frontdesk.services.xlsx import write_table
from tests.unit.fee_fixtures import TODAY, Community, make_community

LINK = '=HYPERLINK("http://example.com/x","点我")'
SUM = "=1+1"
OTHERS = ["+1", "-2", "@SUM(A1)", "=cmd|' /C calc'!A0"]
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def cells_holding(path: Path, text: str) -> list[Any]:
    """Every cell of the workbook whose value is exactly `text`."""
    book = load_workbook(path)
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == text
    ]


def assert_text(path: Path, text: str) -> None:
    found = cells_holding(path, text)
    assert found, f"{text!r} is not in {path.name} as typed"
    for cell in found:
        assert cell.data_type == "s", f"{cell.coordinate} of {path.name} is a formula"
        assert cell.quotePrefix  # Excel keeps it text when the cell is edited too


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    for month in (9, 10, 11):
        billing.run_billing(db, admin, Period(2026, month), today=TODAY)
    owner = households.PersonInput(PersonKind.OWNER, SUM, phone="13800000000", note=LINK)
    households.add_record(db, admin, community.occupied, owner)
    return community


def test_the_arrears_list(db: Database, admin: Actor, town: Community, tmp_path: Path) -> None:
    report = arrears.arrears_report(db, admin, today=TODAY)
    assert [row.owner for row in report.rows if row.owner == SUM]
    path = tmp_path / "欠费清单.xlsx"
    arrears.write_arrears_xlsx(report, path)
    assert_text(path, SUM)


def test_export_households(db: Database, admin: Actor, town: Community, tmp_path: Path) -> None:
    path = tmp_path / "业主名册.xlsx"
    assert roster.export_roster(db, admin, path) == 1
    assert_text(path, SUM)
    assert_text(path, LINK)  # the note
    # ... and it imports back as the same text, refused only as the duplicate it is.
    report = roster.import_roster(db, admin, path)
    assert report.rejected[0].name == SUM and "已在档案中" in report.rejected[0].reason


def test_the_visitor_history(db: Database, admin: Actor, town: Community, tmp_path: Path) -> None:
    data = visitors.VisitInput(town.occupied, LINK, "139 1234 5678", confirmed_by="业主", note=SUM)
    visitors.register_visit(db, admin, data, now=NOW)
    rows = visitor_history.search_visits(db, admin, visitor_history.VisitFilter(), now=NOW)
    path = tmp_path / "访客记录.xlsx"
    visitor_history.write_visits_xlsx(rows, path)
    assert_text(path, LINK)
    assert_text(path, SUM)


def test_the_person_copy(db: Database, admin: Actor, town: Community, tmp_path: Path) -> None:
    refs = find_person(db, admin, name=SUM)
    assert refs
    path = tmp_path / "查阅复制.xlsx"
    export_person(db, admin, refs, path, query=make_query(SUM), requester=SUM, now=NOW)
    assert_text(path, SUM)
    assert_text(path, LINK)


@pytest.mark.parametrize("text", [*OTHERS, "\t=1+1"])
def test_every_starting_character_excel_reads_as_a_formula(tmp_path: Path, text: str) -> None:
    path = tmp_path / "t.xlsx"
    write_table(path, "表", ["姓名"], [[text], ["普通"], [12]], [10])
    assert_text(path, text)
    [plain] = cells_holding(path, "普通")
    assert plain.data_type == "s" and not plain.quotePrefix
    [number] = cells_holding(path, 12)
    assert number.data_type == "n"
