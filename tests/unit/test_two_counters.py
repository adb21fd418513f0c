"""Two-counter safety with real processes on one database, a file (WAL, BEGIN
IMMEDIATE) or a server's (the writers' advisory lock, READ COMMITTED writers and
REPEATABLE READ readers: db/engine.py), whichever the suite runs on:

- three cashiers post payments at once, each for its own rooms and, deliberately,
  all for the same shared bills: every receipt number is used once and the series
  has no gap, no bill is paid twice, the loser of a shared bill gets the Chinese
  “已经结清” message, and nothing but such messages ever comes back (no raw
  `database is locked`, no lock timeout of the server's);
- a counter that finds the write lock held longer than its busy timeout gets
  `DatabaseBusy` with its Chinese message, can still read meanwhile, and posts
  the same payment once the lock is released.

The children are tests/unit/crash_child.py `counter` and `busy`; they are given the
file's path or the server database's URL.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

import frontdesk.db.engine as engine
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services import users
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, payments
from frontdesk.services.fees import items as fees
from frontdesk.services.households import structure
from frontdesk.services.protection import audit, data_key
from tests.conftest import STAFF_PASSWORD
from tests.unit.crash_child import books_checked, engine_url
from tests.unit.fee_fixtures import TODAY

CHILD = Path(__file__).with_name("crash_child.py")
CHILD_TIMEOUT = 300  # seconds; generous for a slow CI machine
COUNTERS = 3
BUSY_TIMEOUT_MS = 500  # the busy child's own, instead of the 5 s every counter uses
BUSY_MESSAGE = {  # db/engine.classify, per engine
    "sqlite": "数据库正被另一台电脑占用，请稍候几秒再试。",
    "postgresql": "数据库正被另一台电脑占用，本次操作未保存，请稍候几秒再试。",
}


def actor_data(actor: Actor) -> dict[str, Any]:
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "display_name": actor.display_name,
        "role": actor.role.value,
    }


@pytest.fixture
def estate(db: Database, admin: Actor) -> list[int]:
    """Sixteen occupied rooms, each billed 物业服务费 and 垃圾费 for three months.

    The data key is also kept under the suite's passphrase: the counters are child
    processes without this keyring, and every audited write is signed with the key."""
    data_key.set_passphrase(db, admin, os.environ["FRONTDESK_PASSPHRASE"])
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 4, 2, 2, "89.50")
    )
    rooms = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
    for room_id in rooms:
        change = structure.RoomChange(
            "89.50", RoomType.RESIDENCE, RoomStatus.OCCUPIED, date(2020, 5, 1)
        )
        structure.update_room(db, admin, room_id, change)
    service = fees.add_fee_item(db, admin, "物业服务费", "物业服务费", FeeMethod.AREA_MONTHLY)
    rubbish = fees.add_fee_item(db, admin, "生活垃圾处理费", "物业服务费", FeeMethod.FIXED_MONTHLY)
    fees.add_price_plan(db, admin, service, 25000, date(2020, 1, 1))
    fees.add_price_plan(db, admin, rubbish, 100000, date(2020, 1, 1))
    for month in (9, 10, 11):
        billing.run_billing(db, admin, Period(2026, month), today=TODAY)
    return rooms


def cashiers(db: Database, admin: Actor, count: int) -> list[Actor]:
    made = []
    for n in range(1, count + 1):
        name = f"cashier{n}"
        users.create_user(
            db, admin, users.NewUser(name, f"收费员{n}", Role.CASHIER, STAFF_PASSWORD)
        )
        made.append(users.login(db, name, STAFF_PASSWORD))
    return made


def open_bills(db: Database, actor: Actor, room_ids: list[int]) -> list[list[int]]:
    """[bill_id, room_id, fen] of every open bill of the rooms, oldest first."""
    return [
        [bill.bill_id, room_id, bill.outstanding_fen]
        for room_id in room_ids
        for bill in payments.counter_view(db, actor, room_id, TODAY).open_bills
    ]


def database_where(db: Database) -> str:
    """What a child process opens: the file's path or the server database's URL."""
    return db.place


@contextmanager
def write_lock_held(db: Database) -> Iterator[None]:
    """Another counter (here: a raw connection) holds the write lock, a change pending:
    BEGIN IMMEDIATE on a file, the writers' advisory lock on a server."""
    change = "UPDATE receipt_series SET next_number = next_number + 100"
    if db.engine.dialect.name == "sqlite":
        holder = sqlite3.connect(db.engine.url.database or "", isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            holder.execute(change)
            yield
            holder.execute("ROLLBACK")
        finally:
            holder.close()
        return
    server = create_engine(engine_url(database_where(db)))
    try:
        with server.connect() as connection, connection.begin() as transaction:
            connection.execute(text(f"SELECT pg_advisory_xact_lock({engine.WRITER_LOCK})"))
            connection.execute(text(change))
            yield
            transaction.rollback()
    finally:
        server.dispose()


def test_three_counters_posting_at_once_never_collide(
    db: Database, admin: Actor, estate: list[int], tmp_path: Path
) -> None:
    staff = cashiers(db, admin, COUNTERS)
    shared = open_bills(db, admin, estate[-4:])  # every counter tries these
    own = [open_bills(db, admin, estate[n * 4 : n * 4 + 4]) for n in range(COUNTERS)]
    children = []
    for n, cashier in enumerate(staff):
        # Own bills and shared ones interleaved, the shared ones in the same order at
        # every counter, so that they are fought over while the others are posted.
        bills = [bill for pair in zip(own[n], shared, strict=False) for bill in pair]
        bills += own[n][len(shared) :]
        args = {
            "db": database_where(db),
            "cashier": actor_data(cashier),
            "today": TODAY.isoformat(),
            "bills": bills,
            "out": str(tmp_path / f"out-{n}.json"),
        }
        job = tmp_path / f"counter-{n}.json"
        job.write_text(json.dumps(args), encoding="utf-8")
        children.append(
            subprocess.Popen(
                [sys.executable, str(CHILD), "counter", f"@{job}"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for n, process in enumerate(children):  # all open and waiting before any starts
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", (
            f"counter {n}: {process.communicate()[1]}"
        )
    for process in children:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in children:
        _, stderr = process.communicate(timeout=CHILD_TIMEOUT)
        assert process.returncode == 0, stderr
    results = [json.loads((tmp_path / f"out-{n}.json").read_text()) for n in range(COUNTERS)]
    outcomes = [outcome for result in results for outcome in result["outcomes"]]

    crashes = [o for o in outcomes if "crash" in o]
    assert crashes == [], crashes[0]["trace"] if crashes else ""
    numbers = [o["receipt"] for o in outcomes if "receipt" in o]
    assert len(numbers) == len(set(numbers)), "a receipt number was issued twice"
    assert sorted(numbers) == [payments.receipt_no("SJ", n) for n in range(1, len(numbers) + 1)]
    for bill_id, _, _ in shared:
        tries = [o for o in outcomes if o["bill"] == bill_id]
        assert len(tries) == COUNTERS
        assert sum("receipt" in o for o in tries) == 1, f"bill {bill_id}: {tries}"
        for refused in (o for o in tries if "error" in o):
            assert refused["error"] == "UserError"
            assert "已经结清（可能刚由其他收费窗口收取），本次未收款。" in refused["msg"]
    for n in range(COUNTERS):  # every counter's own bills went through
        paid = {o["bill"] for o in results[n]["outcomes"] if "receipt" in o}
        assert {bill_id for bill_id, _, _ in own[n]} <= paid
    assert all(line == [] for line in (open_bills(db, admin, estate)))

    assert books_checked(database_where(db)) == len(numbers)
    assert audit.verify_chain(db).ok


def test_a_long_write_lock_gives_busy_in_chinese_and_never_blocks_readers(
    db: Database, admin: Actor, estate: list[int], tmp_path: Path
) -> None:
    [cashier] = cashiers(db, admin, 1)
    room = estate[0]
    args = {
        "db": database_where(db),
        "cashier": actor_data(cashier),
        "today": TODAY.isoformat(),
        "room": room,
        "timeout_ms": BUSY_TIMEOUT_MS,
    }
    job = tmp_path / "busy.json"
    job.write_text(json.dumps(args), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(CHILD), "busy", f"@{job}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        assert process.stdout.readline().strip() == "ready", process.communicate()[1]
        with write_lock_held(db):
            process.stdin.write("go\n")
            process.stdin.flush()
            line = process.stdout.readline()  # the child has read and tried to post
            assert line, process.communicate()[1]
            during = json.loads(line)
        process.stdin.write("released\n")
        process.stdin.flush()
        out, err = process.communicate(timeout=CHILD_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    # The reads finished while the lock was still held: WAL readers (a server's
    # snapshot readers) never wait for it, and saw the committed state, not the change.
    assert during["journal"] == 0
    # The write waited out its busy timeout and then said so in Chinese, not as a trace.
    assert (during["error"], during["module"]) == ("DatabaseBusy", "frontdesk.errors")
    assert during["msg"] == BUSY_MESSAGE[db.engine.dialect.name]
    assert during["write_seconds"] >= 0.9 * BUSY_TIMEOUT_MS / 1000
    # Released, the same posting goes through with the first number of the series.
    assert json.loads(out.strip().splitlines()[-1])["retry"] == "SJ00000001"
