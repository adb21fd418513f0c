"""An estate moved in from its old system's workbooks (demo/old_system.py), sheet by
sheet in an office's order, through the reading, checking and writing services: the
office's totals then equal the old system's own, a second run adds nothing, and
`frontdesk check` passes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.db.engine import Database
from frontdesk.db.models import PaidThrough
from frontdesk.demo.old_system import OldEstate, answered, old_estate
from frontdesk.demo.old_system_books import (
    BALANCES_BOOK,
    HISTORY_BOOK,
    LINKED_BOOK,
    METERS_BOOK,
    ROOMS_BOOK,
    Exported,
    write_old_system,
)
from frontdesk.domain import clock
from frontdesk.domain.onboarding import Totals
from frontdesk.domain.roles import Actor
from frontdesk.services import onboarding
from frontdesk.services.fees import items
from frontdesk.services.onboarding import reading
from frontdesk.services.protection import checks

# An office's order: rooms and owners first, then what they owe and hold, then history.
ORDER = (
    (ROOMS_BOOK, "房屋业主"),
    (BALANCES_BOOK, "欠费明细"),
    (BALANCES_BOOK, "已缴至"),
    (BALANCES_BOOK, "预存"),
    (BALANCES_BOOK, "押金"),
    (HISTORY_BOOK, "缴费记录"),
    (METERS_BOOK, "抄表"),
)


@pytest.fixture
def office(db: Database, admin: Actor) -> Database:
    """A new office as 收费标准 leaves it: the standard fee items, nothing else."""
    for name, category, method, collection, meter in items.STANDARD_ITEMS:
        items.add_fee_item(db, admin, name, category, method, collection, meter)
    return db


@pytest.fixture(scope="module")
def estate() -> OldEstate:
    return old_estate(30, seed=5, today=clock.today())


def _plan(
    db: Database, admin: Actor, path: Path, sheet: str, linked: bool = False
) -> onboarding.ImportPlan:
    table = reading.read_table(path, sheet)
    fee_items = [item.name for item in items.list_fee_items(db)]
    setup = answered(reading.suggested_setup(table, fee_items=fee_items))
    if linked:
        setup = replace(setup, link=reading.find_link(path, table))
    read = reading.read_lines(path, setup)
    return onboarding.check_import(db, admin, onboarding.file_of(path, [sheet]), read)


def _move_in(db: Database, admin: Actor, folder: Path) -> list[int]:
    batches = []
    for book, sheet in ORDER:
        plan = _plan(db, admin, folder / book, sheet)
        assert not plan.refusals, plan.refusals[:3]
        done = onboarding.commit_import(db, admin, plan, buildings_confirmed=True)
        batches.append(done.batch_id)
    return batches


def _paid_through(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(PaidThrough)) or 0


def test_an_estate_moves_in_with_the_old_systems_totals(
    office: Database, admin: Actor, estate: OldEstate, tmp_path: Path
) -> None:
    exported = write_old_system(tmp_path, estate, cut_ids=0)
    assert all(_move_in(office, admin, tmp_path))  # every sheet added something
    assert onboarding.office_totals(office, admin) == exported.totals
    assert _paid_through(office) == len(estate.paid_through)
    report = checks.check_database(office)
    assert report.ok, report.problems


def test_a_second_run_of_every_sheet_adds_nothing(
    office: Database, admin: Actor, estate: OldEstate, tmp_path: Path
) -> None:
    write_old_system(tmp_path, estate, cut_ids=0)
    _move_in(office, admin, tmp_path)
    for book, sheet in ORDER:
        plan = _plan(office, admin, tmp_path / book, sheet)
        assert plan.adds == Totals(), sheet
        assert onboarding.commit_import(office, admin, plan, buildings_confirmed=True).batch_id == 0
    assert _paid_through(office) == len(estate.paid_through)


def test_an_id_number_excel_cut_stops_the_rooms_file(
    office: Database, admin: Actor, estate: OldEstate, tmp_path: Path
) -> None:
    write_old_system(tmp_path, estate, cut_ids=1)
    plan = _plan(office, admin, tmp_path / ROOMS_BOOK, "房屋业主")
    (refusal,) = plan.refusals
    assert refusal.column == "身份证号" and "15" in refusal.reason
    assert onboarding.office_totals(office, admin) == Totals()


def test_owners_linked_by_number_arrive_as_on_one_sheet(
    office: Database, admin: Actor, estate: OldEstate, tmp_path: Path
) -> None:
    exported: Exported = write_old_system(tmp_path, estate, cut_ids=0)
    plan = _plan(office, admin, tmp_path / LINKED_BOOK, "房屋", linked=True)
    assert not plan.refusals, plan.refusals[:3]
    onboarding.commit_import(office, admin, plan, buildings_confirmed=True)
    after = onboarding.office_totals(office, admin)
    assert (after.rooms, after.people) == (exported.totals.rooms, exported.totals.people)
