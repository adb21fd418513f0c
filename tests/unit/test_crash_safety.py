"""Crash safety with real processes: a child process runs one operation and dies before
its N-th SQL statement, for every N the operation executes, and a few more children are
SIGKILLed by this process at random moments. After each death the database must reopen
cleanly with its books whole: the operation entirely there or entirely absent (every
table's rows equal to the state before it or after one of its commits), receipt series
gap-free, no bill paid beyond what it owes, and the audit hash chain unbroken.

On either engine the suite runs on: copies of one file, or on PostgreSQL databases
copied from one template database (the counter dies with its transaction open; the
server must roll it back whole). Restoring a file and copying one into the backups
folder are file programs (a server's pg_restore and pg_dump: test_server_backups.py).

The child is tests/unit/crash_child.py; on POSIX the kill-at-N runs are forked from one
child interpreter so that a few hundred deaths take seconds, not minutes.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import make_url

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services import users
from frontdesk.services.database import open_at
from frontdesk.services.fees import billing, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import roster
from frontdesk.services.protection import audit, checks
from tests.conftest import ON_POSTGRESQL
from tests.postgres import create, drop, server_url
from tests.unit.crash_child import (
    COPY_OPERATIONS,
    KILLED,
    OPERATIONS,
    PATH_OPERATIONS,
    books_checked,
    fingerprint,
    on_server,
    unlock,
)
from tests.unit.fee_fixtures import TODAY, make_community

CHILD = Path(__file__).with_name("crash_child.py")
PASSWORD = "admin1234"
CHILD_TIMEOUT = 300  # seconds; generous for a slow CI machine
SIGKILL_RUNS = 3  # per operation
# How many transactions each operation commits: one, so that it is all or nothing;
# a billing run commits its bills and run record first, then the draw from 预存.
COMMITS = {"payment": 1, "void": 1, "refund": 1, "roster": 1, "billing": 2}
ALL_OPERATIONS = [
    pytest.param(op, marks=pytest.mark.sqlite_only) if op in PATH_OPERATIONS else op
    for op in sorted([*OPERATIONS, *PATH_OPERATIONS])
]
Fingerprint = dict[str, list[Any]]


def actor_data(actor: Actor) -> dict[str, Any]:
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "display_name": actor.display_name,
        "role": actor.role.value,
    }


# the prepared file -----------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    where: str  # the file's path, or the server database's URL
    ctx: dict[str, Any]
    before: Fingerprint
    backup: Fingerprint | None  # of ctx["backup"], the file a restore brings back


def roster_book(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(roster.COLUMNS)
    cells = [
        {"房号": "1-1-101", "类别": "产权人", "姓名": "张三", "证件号码": "11010519491231002X"},
        {"房号": "1-1-101", "类别": "住户", "姓名": "李梅", "关系": "配偶", "电话": "13912345678"},
        {"房号": "1-1-102", "类别": "产权人", "姓名": "王五", "入住日期": date(2024, 5, 1)},
        {"房号": "1-1-201", "类别": "租户", "姓名": "赵六", "租期开始": "2026-01-01"},
        {"房号": "1-1-202", "类别": "产权人", "姓名": "钱七", "电话": "025-86661234"},
        {"房号": "9-9-999", "类别": "产权人", "姓名": "查无此房"},  # refused, reported
    ]
    for row in cells:
        sheet.append([row.get(column) for column in roster.COLUMNS])
    book.save(path)
    return path


_base: list[Base] = []


@pytest.fixture
def base(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Base:
    """A four-room community billed for two months; the vacant room paid with 预存.

    Made once, inside the first test's isolated home and keyring (a module-scoped
    fixture would run before conftest isolates them): a file, or on PostgreSQL a
    database at the newest schema on the test server."""
    if not _base:
        folder = tmp_path_factory.mktemp("crash")
        if ON_POSTGRESQL:
            template = request.getfixturevalue("pg_template")
            where = create(server_url(), _new_name(), template=template)
        else:
            where = str(folder / "base.sqlite")
        _base.append(make_base(where, folder))
    return _base[0]


def _new_name() -> str:
    return f"fd_{uuid.uuid4().hex[:12]}"


def make_base(where: str, folder: Path) -> Base:
    db = open_at(where)
    users.initialize(db, users.FirstRunInput("测试小区", "admin", "管理员", PASSWORD, PASSWORD))
    admin = users.login(db, "admin", PASSWORD)
    users.create_user(db, admin, users.NewUser("cashier1", "收费员甲", Role.CASHIER, PASSWORD))
    cashier = users.login(db, "cashier1", PASSWORD)
    town = make_community(db, admin)
    for month in (10, 11):
        billing.run_billing(db, admin, Period(2026, month), today=TODAY)
    backup = None
    if not on_server(where):  # what a restore of the file brings back
        saved = folder / "saved" / "frontdesk-20261120-180000-manual.sqlite"
        backup = take_backup(Path(where), saved)
    view = payments.counter_view(db, cashier, town.vacant, TODAY)
    owed = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    total = sum(fen for _, fen in owed) + 50000
    posted = payments.post_payment(
        db,
        cashier,
        PaymentRequest(
            town.vacant, owed, (TenderInput(PayMethod.WECHAT, total),), prepaid_fen=50000
        ),
        TODAY,
    )
    cipher = getattr(db, "cipher", None)  # ID numbers are encrypted under a per-file key
    db.dispose()
    ctx = {
        "data_key": cipher.key.hex() if cipher is not None else None,
        "admin": actor_data(admin),
        "cashier": actor_data(cashier),
        "today": TODAY.isoformat(),
        "occupied": town.occupied,
        "vacant": town.vacant,
        "void_no": posted.receipt_no,
        "period": "2026-12",
        "roster": str(roster_book(folder / "roster.xlsx")),
        "backup": str(backup),
    }
    return Base(where, ctx, fingerprint(where), fingerprint(backup) if backup else None)


def take_backup(source: Path, target: Path) -> Path:
    """An earlier state of the file, copied with SQLite's online backup API."""
    target.parent.mkdir()
    live, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()
    return target


def copy_of(base: Base, target: Path) -> str:
    """A copy of the base database: the file at `target`, or a new server database."""
    if on_server(base.where):
        template = make_url(base.where).database
        return create(server_url(), _new_name(), template=template)
    for suffix in ("", "-wal"):
        source = Path(f"{base.where}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    return str(target)


def discard(where: str) -> None:
    """A checked copy on the server is dropped (a file copy goes with tmp_path)."""
    if on_server(where):
        drop(server_url(), make_url(where).database or "")


# running children --------------------------------------------------------------------


def child(command: str, payload: dict[str, Any], folder: Path) -> subprocess.CompletedProcess[str]:
    job_file = folder / f"{command}-{time.monotonic_ns()}.json"
    job_file.write_text(json.dumps(payload), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(CHILD), command, f"@{job_file}"],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )


def run_jobs(jobs: list[dict[str, Any]], scratch: str, folder: Path) -> Iterator[tuple[int, int]]:
    """(job index, exit code) as each job ends: forked from one warmed-up interpreter
    where possible, so that this process checks one file while the next job runs."""
    if not hasattr(os, "fork"):
        for index, job in enumerate(jobs):
            yield index, child("run", job, folder).returncode
        return
    job_file = folder / "batch.json"
    parallel = min(4, os.cpu_count() or 2)
    payload = {"jobs": jobs, "parallel": parallel, "scratch": scratch}
    job_file.write_text(json.dumps(payload), encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, str(CHILD), "batch", f"@{job_file}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as batch:
        assert batch.stdout is not None and batch.stderr is not None
        for line in batch.stdout:
            report = json.loads(line)
            yield report["job"], report["exit"]
        assert batch.wait(timeout=CHILD_TIMEOUT) == 0, batch.stderr.read()


@dataclass(frozen=True)
class Counted:
    statements: int
    commits: list[int]  # statement numbers of the operation's COMMITs
    states: list[Fingerprint]  # before, then after each commit
    whole_file: bool  # a restore: its copy commits inside SQLite's backup API, untraced

    def expected_when_killed_at(self, n: int) -> list[Fingerprint]:
        """Dying before statement n leaves the commits that ran before it; a restore
        may have copied the backup in before statement n or not."""
        if not self.whole_file:
            return [self.states[sum(commit < n for commit in self.commits)]]
        if n == 1:
            return self.states[:1]
        return self.states if n <= self.statements else self.states[-1:]


_counted: dict[str, Counted] = {}


def counted(base: Base, op: str, folder: Path) -> Counted:
    """Run the operation once to the end, counting its statements (K)."""
    if op not in _counted:
        path = copy_of(base, folder / f"count-{op}.sqlite")
        out = folder / f"count-{op}.json"
        done = child(
            "run",
            {"db": path, "op": op, "ctx": base.ctx, "count": True, "out": str(out)},
            folder,
        )
        assert done.returncode == 0, done.stderr
        report = json.loads(out.read_text(encoding="utf-8"))
        assert report["commits"], f"{op} committed nothing"
        whole_file = op in PATH_OPERATIONS
        restored = [base.backup] if whole_file and base.backup else []
        states = [base.before, *restored, *report["snapshots"]]
        assert states[-1] != base.before, f"{op} changed nothing"
        assert fingerprint(path) == states[-1]
        discard(path)
        _counted[op] = Counted(report["statements"], report["commits"], states, whole_file)
    return _counted[op]


# what must hold after any death --------------------------------------------------


def check_reopened(where: str, expected: list[Fingerprint]) -> Fingerprint:
    db = open_at(where)  # the application's own way in: finishes or cleans up first
    try:
        unlock(db, _base[0].ctx)  # the key made in the first test's keyring
        chain = audit.verify_chain(db)
        assert chain.ok, f"audit chain broken at entry {chain.first_broken_id}"
        # A restore killed after its copy is finished, not reported as a cut tail.
        report = checks.check_database(db)
        assert not [p for p in report.problems if "审计日志" in p], report.problems
    finally:
        db.dispose()
    if not on_server(where):  # the file itself (a server keeps its own pages whole)
        path = Path(where)
        # A backup killed half-way leaves no hidden copy of the data behind.
        leftovers = list((path.parent / "backups").glob(f".{path.stem}-*"))
        assert leftovers == [], leftovers
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            connection.close()
    books_checked(where)
    found = fingerprint(where)
    assert found in expected, "a half-written operation: " + ", ".join(
        table for table in found if all(found[table] != state[table] for state in expected)
    )
    return found


# the tests -------------------------------------------------------------------------


@pytest.mark.parametrize("op", ALL_OPERATIONS)
def test_killed_before_every_statement_the_books_stay_whole(
    base: Base, op: str, tmp_path: Path
) -> None:
    count = counted(base, op, tmp_path)
    if not count.whole_file:
        assert len(count.commits) == COMMITS[op], f"{op} commits {len(count.commits)} times"
    if op == "billing":  # every bill of the month and the run record, in the first one
        assert [count.states[1][t] for t in ("bill", "billing_run")] == [
            count.states[-1][t] for t in ("bill", "billing_run")
        ]
        assert count.states[1]["bill"] != count.states[0]["bill"]
    kills = range(1, count.statements + 2)  # the last one never fires: the run completes
    jobs = [
        {
            "db": copy_of(base, tmp_path / f"{op}-{n}.sqlite"),
            "op": op,
            "ctx": base.ctx,
            "kill_at": n,
        }
        for n in kills
    ]
    if os.environ.get("CRASH_DEBUG"):
        print(op, "K =", count.statements, "commits", count.commits)
    reached: dict[int, int] = {}  # n -> which of count.states the death left
    scratch = copy_of(base, tmp_path / "scratch.sqlite")
    for index, code in run_jobs(jobs, scratch, tmp_path):
        n = kills[index]
        try:
            assert code == (KILLED if n <= count.statements else 0), f"exit code {code}"
            found = check_reopened(jobs[index]["db"], count.expected_when_killed_at(n))
            reached[n] = count.states.index(found)
        except AssertionError as exc:
            raise AssertionError(f"{op} killed before statement {n}: {exc}") from exc
        discard(jobs[index]["db"])
    discard(scratch)
    assert sorted(reached) == list(kills)
    in_order = [reached[n] for n in kills]
    assert in_order == sorted(in_order), f"{op}: a later death left an earlier state"


@pytest.mark.parametrize("op", ALL_OPERATIONS)
def test_sigkilled_at_random_moments_the_books_stay_whole(
    base: Base, op: str, tmp_path: Path
) -> None:
    count = counted(base, op, tmp_path)
    rng = random.Random(f"crash-{op}")
    children = []
    for n in range(SIGKILL_RUNS):
        path = copy_of(base, tmp_path / f"{op}-sigkill-{n}.sqlite")
        job = {"db": path, "op": op, "ctx": base.ctx, "wait_go": True}
        job_file = tmp_path / f"sigkill-{n}.json"
        job_file.write_text(json.dumps(job), encoding="utf-8")
        process = subprocess.Popen(
            [sys.executable, str(CHILD), "run", f"@{job_file}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        children.append((path, process))
    for path, process in children:
        assert process.stdout is not None and process.stdin is not None
        assert process.stdout.readline().strip() == "ready", process.stderr
        process.stdin.write("go\n")
        process.stdin.flush()
        # Somewhere in the operation, or just after it: either way the file must be whole.
        # The kill follows the child's own progress (a line as each statement begins),
        # a random number of statements in; a third of the draws lie past its last one.
        for _ in range(rng.randint(0, count.statements * 3 // 2)):
            if not process.stdout.readline():
                break  # the operation ran to its end and the child has left
        process.kill()
        process.wait(timeout=CHILD_TIMEOUT)
        process.stdin.close()
        process.stdout.close()
        process.stderr.close()  # type: ignore[union-attr]
        found = check_reopened(path, count.states)
        if os.environ.get("CRASH_DEBUG"):
            print(op, "SIGKILL left state", count.states.index(found))
        discard(path)


# A file's backup (a server's pg_dump killed part-way leaves a scratch database the next
# backup drops: test_server_backups.py).
@pytest.mark.sqlite_only
@pytest.mark.parametrize("op", sorted(COPY_OPERATIONS))
def test_a_copy_killed_anywhere_leaves_nothing_behind(base: Base, op: str, tmp_path: Path) -> None:
    """A backup killed at any statement (every step of its page copy included): on the
    next open no hidden half-copy of the personal data is left in the backup folder,
    and the file is as before, or as after the backup with its audit entry."""
    count = counted(base, op, tmp_path)
    kills = range(1, count.statements + 2)
    jobs = [
        {
            "db": copy_of(base, tmp_path / f"{op}-{n}.sqlite"),
            "op": op,
            "ctx": base.ctx,
            "kill_at": n,
        }
        for n in kills
    ]
    partials = 0
    for index, code in run_jobs(jobs, copy_of(base, tmp_path / "scratch.sqlite"), tmp_path):
        n = kills[index]
        path = Path(jobs[index]["db"])
        partials += bool(list((tmp_path / "backups").glob(f".{path.stem}-*.partial")))
        try:
            assert code == (KILLED if n <= count.statements else 0), f"exit code {code}"
            check_reopened(str(path), [count.states[0], count.states[-1]])
        except AssertionError as exc:
            raise AssertionError(f"{op} killed before statement {n}: {exc}") from exc
    assert partials > 0  # some deaths did leave a half-copy for the open to remove
