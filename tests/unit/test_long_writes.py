"""A long write never starves the counter: while another process imports a big roster,
a cashier whose busy timeout is one second posts payment after payment and every one
goes through (before, the import held the write lock from its first row to its last and
payments were refused with 数据库正被另一台电脑占用). The one-second busy timeout is the
measure: a payment that waited longer would raise DatabaseBusy.

The import is still all or nothing: a failure part way removes what the committed
steps had added.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

import frontdesk.db.engine as engine
from frontdesk.db.models import AuditEntry, Bill, Person
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError
from frontdesk.services import steps
from frontdesk.services.database import Database, open_at
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households import roster, structure
from frontdesk.services.progress import Progress
from frontdesk.services.protection import checks
from tests.unit.fee_fixtures import TODAY
from tests.unit.test_two_counters import actor_data, cashiers, database_where, estate

__all__ = ["estate"]  # the fixture, used by name

CHILD = Path(__file__).with_name("long_write_child.py")
ROWS = 3000  # a big roster: written in one transaction it held the lock for seconds
ROOMS = ("1-1-101", "1-1-102", "1-2-101", "1-2-102", "1-1-201", "1-1-202")


def big_roster(path: Path, rows: int) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(roster.SHEET)
    sheet.append(roster.COLUMNS)
    for n in range(rows):
        cells = {"房号": ROOMS[n % len(ROOMS)], "类别": "住户", "姓名": f"住户{n:05d}"}
        sheet.append([cells.get(column) for column in roster.COLUMNS])
    book.save(path)
    return path


def people(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count(Person.id))) or 0)


def test_payments_go_through_while_a_big_roster_is_imported(
    db: Database, admin: Actor, estate: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [cashier] = cashiers(db, admin, 1)
    book = big_roster(tmp_path / "roster.xlsx", ROWS)
    assert db.cipher is not None
    args = {
        "db": database_where(db),
        "actor": actor_data(admin),
        "data_key": db.cipher.key.hex(),
        "roster": str(book),
    }
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 1000)  # this counter waits one second
    counter = open_at(database_where(db))
    importer = subprocess.Popen(
        [sys.executable, str(CHILD), json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[int] = []  # people on file after each payment
    receipts: list[str] = []
    lines = []
    try:
        assert importer.stdout is not None
        # A busy counter: a payment at every step the importer reports, checking or writing.
        for line in importer.stdout:
            lines.append(line)
            if line.strip() != "step":
                continue
            room = estate[len(receipts) % len(estate)]
            request = PaymentRequest(
                room, (), (TenderInput(PayMethod.CASH, 1000, 5000),), prepaid_fen=1000
            )
            # DatabaseBusy here would fail the test: the payment waited over a second.
            receipts.append(payments.post_payment(counter, cashier, request, TODAY).receipt_no)
            seen.append(people(counter))
        err = importer.communicate(timeout=300)[1]
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()
        counter.dispose()
    result = json.loads(lines[-1])
    assert result == {"added": ROWS, "rejected": 0}, err
    assert people(db) == ROWS
    # The payments were taken while the roster was being written, not just before or
    # after it: some saw part of it on file.
    assert any(0 < n < ROWS for n in seen), seen
    assert len(set(receipts)) == len(receipts)


def bills_of(db: Database, period: Period) -> int:
    with db.read() as session:
        found = session.scalar(select(func.count(Bill.id)).where(Bill.period == str(period)))
        return int(found or 0)


def test_payments_go_through_while_the_month_is_billed(
    db: Database, admin: Actor, estate: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The billing run writes in steps too (here two bills a step, so sixteen rooms take
    sixteen steps): a cashier posts a payment between every two, each goes through, and
    some of them see the month half billed. Every bill is made once."""
    [cashier] = cashiers(db, admin, 1)
    december = Period(2026, 12)
    assert db.cipher is not None
    args = {
        "db": database_where(db),
        "actor": actor_data(admin),
        "data_key": db.cipher.key.hex(),
        "period": str(december),
        "today": TODAY.isoformat(),
        "batch": 2,
    }
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 1000)
    counter = open_at(database_where(db))
    runner = subprocess.Popen(
        [sys.executable, str(CHILD), json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[int] = []
    lines = []
    try:
        assert runner.stdout is not None
        for line in runner.stdout:
            lines.append(line)
            if line.strip() != "step":
                continue
            room = estate[len(seen) % len(estate)]
            request = PaymentRequest(
                room, (), (TenderInput(PayMethod.CASH, 500, 500),), prepaid_fen=500
            )
            payments.post_payment(counter, cashier, request, TODAY)  # DatabaseBusy fails it
            seen.append(bills_of(counter, december))
        err = runner.communicate(timeout=300)[1]
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
        counter.dispose()
    expected = 2 * len(estate)
    assert json.loads(lines[-1]) == {"bills": expected}, err
    assert bills_of(db, december) == expected
    assert any(0 < n < expected for n in seen), seen
    assert checks.check_database(db).ok


def test_an_import_that_fails_part_way_leaves_nobody_behind(
    db: Database, admin: Actor, estate: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = big_roster(tmp_path / "roster.xlsx", 400)
    monkeypatch.setattr(steps, "STEP_SECONDS", 0.0)  # one batch per step: many steps
    monkeypatch.setattr(steps, "PAUSE_SECONDS", 0.0)

    def fail_late(done: int, total: int) -> None:
        if done == 300:  # the sixth step of fifty rows fails: five were committed
            raise UserError("模拟故障")

    with pytest.raises(UserError, match="模拟故障"):
        roster.import_roster(db, admin, book, progress=Progress(fail_late))
    assert people(db) == 0
    with db.read() as session:
        undone = session.scalar(
            select(AuditEntry.summary).where(AuditEntry.summary.like("%已撤销已写入的%"))
        )
    assert undone == "导入业主名册「roster.xlsx」未完成，已撤销已写入的 250 人"
    # Nothing was left half-done: the same roster imports whole afterwards.
    assert roster.import_roster(db, admin, book).added == 400
    assert people(db) == 400


def test_a_person_added_meanwhile_undoes_the_whole_import(
    db: Database, admin: Actor, estate: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = big_roster(tmp_path / "roster.xlsx", 400)
    monkeypatch.setattr(steps, "STEP_SECONDS", 0.0)
    room = structure.find_room_id(db, admin, "1-1-101")
    pauses = []

    def another_counter() -> None:  # between two steps, after the check
        pauses.append(1)
        if len(pauses) == 2:
            person = households.PersonInput(PersonKind.RESIDENT, "住户00390")
            households.add_record(db, admin, room, person)

    monkeypatch.setattr(steps, "_pause", another_counter)
    with pytest.raises(UserError, match="住户00390"):
        roster.import_roster(db, admin, book)
    assert people(db) == 1  # only the one the other counter added
