"""FrontDesk benchmarks: prints numbers, asserts nothing.

    .venv/bin/python bench/run.py            # all
    .venv/bin/python bench/run.py startup    # one

Targets (ARCHITECTURE / issues 2-4, 19): main window usable < 1 s; demo of 20,000
households < 15 s; a search keystroke < 30 ms; a household file open < 100 ms;
a building's rooms list < 50 ms; a 20,000-row roster import < 30 s; a month's
billing run < 2.5 s; the arrears list < 50 ms p95; a payment with
its receipt PDF < 300 ms; the daily report < 1 s; registering a visit < 50 ms; the
inside-now board and a day's visitor history < 100 ms with two years of visits;
`frontdesk check` < 15 s, comparing every money row with the audit log; the
service desk's board and callback list < 100 ms with 50,000 work orders, saving a
new order < 100 ms; each chart's series (报表 → 统计图表) < 300 ms; the 今日工作 home
screen < 200 ms for every role; the 物业工作月报 < 3 s at 20,000 households; taking
in or handing over a parcel with its label < 150 ms and the parcel lists < 100 ms with
two years of parcels (`parcels`, bench/parcel_bench.py); the shift book (drafting a
handover, a day's and a month's entries) < 100 ms with two years of handovers at 20,000
households.
screen < 200 ms for every role; the 物业工作月报 < 3 s at 20,000 households; the key
cabinet's and the lending register's lists < 100 ms with two years of records (`keys`,
`lending`).
households; the certificate register's lists < 100 ms with two years of certificates.
数据导入 of a 20,000-home estate's rooms, owners and opening balances into an empty
database (`import`, bench/import_bench.py): dry run < 10 s, import < 30 s, no payment at
another counter waiting more than 1 s meanwhile.

On a throwaway PostgreSQL server (bench/postgres.py, issue 23): `pg` (search, file,
arrears, payment and billing on the file and on the server, side by side), `pg-move`
(`frontdesk move-to` of the demo, timed), `counters` (eight counter processes posting
payments for 60 s on each engine; `bench/postgres.py counters --seconds 10` for a short
run).
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from frontdesk.domain import clock

if TYPE_CHECKING:
    from frontdesk.db.engine import Database
    from frontdesk.domain.roles import Actor
    from frontdesk.services.certificates.issuing import CertificateRequest
    from frontdesk.services.database import Where

    # A writable copy of the 20,000-household demo for one benchmark (a file, or a
    # server database: bench/postgres.py), removed afterwards.
    DemoCopy = Callable[[], AbstractContextManager[Where]]

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
# The demo's ID-number key is also under its passphrase: a PC without a keyring
# (CI, a bare Linux box) opens it this way, as the counter's start-up dialog would.
os.environ.setdefault("FRONTDESK_PASSPHRASE", "demo1234")


def _demo(households: int) -> Path:
    OUT.mkdir(exist_ok=True)
    from frontdesk.db.migrate import HEAD_REVISION

    # A new schema makes a new file: the demo data grows with each area.
    path = OUT / f"demo-{households}-{HEAD_REVISION}.sqlite"
    if not path.exists():
        import shutil

        from frontdesk.demo import build_demo

        # Built aside and moved in whole: a run killed halfway leaves no demo to reuse.
        building = OUT / "building"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        build_demo(building / path.name, households=households, seed=1)
        for made in building.iterdir():
            made.rename(OUT / made.name)
        building.rmdir()
    return path


def _surveyed_demo(households: int) -> Path:
    """The demo with its two satisfaction surveys (10% of the homes each), as the
    `frontdesk demo` command makes it: a copy, made once."""
    import shutil

    from frontdesk.db.migrate import HEAD_REVISION

    path = OUT / f"demo-{households}-{HEAD_REVISION}-surveys.sqlite"
    if not path.exists():
        from frontdesk.demo.surveys import add_demo_surveys
        from frontdesk.services.database import open_at

        made = path.with_suffix(".part")
        shutil.copyfile(_demo(households), made)
        db = open_at(made)
        add_demo_surveys(db)
        db.dispose()
        made.rename(path)
    return path


def bench_demo() -> None:
    from frontdesk.demo import build_demo

    for households in (2_000, 20_000):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            result = build_demo(Path(folder) / "d.sqlite", households=households, seed=1)
            elapsed = time.perf_counter() - started
        print(f"demo {households:>6} households ({result.rooms} rooms): {elapsed:6.2f} s")


def bench_startup(runs: int = 5) -> None:
    db = _demo(20_000)
    times = []
    for _ in range(runs):
        started = time.time()
        probe = [sys.executable, str(HERE / "startup_probe.py"), str(db), repr(started)]
        output = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
        times.append(float(output.strip().splitlines()[-1]))
    print(
        f"start-up to usable main window (20,000 households, {runs} runs): "
        f"median {statistics.median(times):.3f} s, best {min(times):.3f} s, "
        f"worst {max(times):.3f} s"
    )


def _percentiles(label: str, times: list[float]) -> None:
    times.sort()
    print(
        f"{label} ({len(times)} calls): median {statistics.median(times):.2f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.2f} ms, max {times[-1]:.2f} ms"
    )


def bench_search(where: Where = None, on: str = "") -> None:
    """Every keystroke of the spellings clerks use, as the search field sends them
    (`where`: the demo elsewhere, e.g. on a server, named in the label by `on`)."""
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.households import search

    db = open_at(where or _demo(20_000))
    actor = users.login(db, "qiantai", "demo1234")
    typed = ["12栋2单元1201", "12-2-1201", "12#1201", "张伟", "zhangwei", "zw", "13812", "苏AD1"]
    typed += ["chenyy", "3-1-10"]  # mixed pinyin; a room code listing as it narrows
    typed.append("32010519800101123X")  # a whole ID number: its keyed hash from 8 characters
    typed.append("138 1234-5678")  # a phone as typed: keyed tail tokens from 4 digits
    times = []
    for _ in range(10):
        for text in typed:
            for end in range(1, len(text) + 1):
                started = time.perf_counter()
                search.search(db, actor, text[:end])
                times.append((time.perf_counter() - started) * 1000)
    _percentiles(f"search keystroke, 20,000 households{on}", times)
    db.dispose()


def bench_file_open(where: Where = None, on: str = "") -> None:
    """Opening a full household file (people, cars, parking, pets, care, profile)."""
    import random

    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.households import file as households
    from frontdesk.services.households import structure

    db = open_at(where or _demo(20_000))
    actor = users.login(db, "qiantai", "demo1234")
    room_ids = structure.room_ids(db, actor)
    rng = random.Random(3)
    times = []
    for room_id in rng.sample(room_ids, 300):
        started = time.perf_counter()
        households.open_file(db, actor, room_id)
        times.append((time.perf_counter() - started) * 1000)
    _percentiles(f"household file open, 20,000 households{on}", times)
    db.dispose()


def bench_rooms(runs: int = 100) -> None:
    """户档案's rooms list as the screen loads a building: its room ids, then the first
    page of rows (owner, masked phone, what is owed, from the open-bills index)."""
    import random

    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.households import structure

    db = open_at(_demo(20_000))
    actor = users.login(db, "qiantai", "demo1234")
    buildings = [b for b in structure.list_buildings(db, actor) if b.rooms]
    rng = random.Random(5)
    times = []
    for _ in range(runs):
        building = rng.choice(buildings)
        started = time.perf_counter()
        ids = structure.room_ids(db, actor, structure.RoomFilter(building_id=building.id))
        structure.room_rows(db, actor, ids[:200])  # the lazy table's page
        times.append((time.perf_counter() - started) * 1000)
    _percentiles("a building's rooms list, 20,000 households", times)
    db.dispose()


def bench_roster(rows: int = 20_000) -> None:
    """Export the demo's roster, then import 20,000 of its rows into a copy without them."""
    import shutil
    import sqlite3

    from openpyxl import Workbook, load_workbook

    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.households import roster

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.sqlite"
        shutil.copy(_demo(20_000), path)
        db = open_at(path)
        actor = users.login(db, "admin", "demo1234")
        exported = Path(folder) / "all.xlsx"
        started = time.perf_counter()
        total = roster.export_roster(db, actor, exported)
        print(f"roster export ({total:,} people): {time.perf_counter() - started:.2f} s")
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        source = load_workbook(exported, read_only=True).active.iter_rows(values_only=True)
        for _ in range(rows + 1):
            sheet.append(next(source))
        part = Path(folder) / "part.xlsx"
        book.save(part)
        db.dispose()
        with sqlite3.connect(path) as raw:
            raw.execute("DELETE FROM person")
        db = open_at(path)
        started = time.perf_counter()
        report = roster.import_roster(db, actor, part)
        elapsed = time.perf_counter() - started
        print(f"roster import ({report.rows:,} rows, {report.added:,} added): {elapsed:.2f} s")
        db.dispose()


def _copy_of_demo(folder: str) -> Path:
    import shutil

    path = Path(folder) / "d.sqlite"
    shutil.copy(_demo(20_000), path)
    return path


@contextmanager
def demo_file_copy() -> Iterator[Path]:
    """A copy of the demo file in a temporary folder, for a benchmark that writes."""
    with tempfile.TemporaryDirectory() as folder:
        yield _copy_of_demo(folder)


def bench_billing(copy: DemoCopy = demo_file_copy, on: str = "") -> None:
    """Next month's billing run on the 20,000-household demo: dry run, then the real one."""

    from frontdesk.domain.periods import Period
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.fees import billing

    with copy() as where:
        db = open_at(where)
        actor = users.login(db, "zhuguan", "demo1234")
        period = Period.of(clock.today()).shifted(1)
        for dry_run in (True, False):
            started = time.perf_counter()
            result = billing.run_billing(db, actor, period, dry_run=dry_run)
            elapsed = time.perf_counter() - started
            what = "dry run" if dry_run else "billing run"
            print(
                f"{what} {period} (20,000 households{on}): {result.bills:,} bills, "
                f"{result.prepaid_rooms} paid from 预存, {elapsed:.2f} s"
            )
        db.dispose()


def bench_payment(count: int = 100, copy: DemoCopy = demo_file_copy, on: str = "") -> None:
    """At the counter: open a room's bills, post a mixed payment, print its receipt PDF."""
    import random

    from frontdesk import printouts
    from frontdesk.domain.fees import PayMethod
    from frontdesk.domain.issued import Output
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.fees import payments
    from frontdesk.services.fees.payments import PaymentRequest, TenderInput
    from frontdesk.services.households import structure
    from frontdesk.services.notices import register as issued_documents

    with copy() as where:
        db = open_at(where)
        actor = users.login(db, "shoufei", "demo1234")
        rng = random.Random(5)
        rooms = rng.sample(structure.room_ids(db, actor), 4 * count)
        times: list[float] = []
        for room_id in rooms:
            started = time.perf_counter()
            view = payments.counter_view(db, actor, room_id)
            months = 0 if view.open_bills else 1
            advance = sum(d.due_fen for d in payments.advance_quote(db, actor, room_id, months))
            due = sum(b.outstanding_fen for b in view.open_bills) + advance
            if due < 2:
                continue
            request = PaymentRequest(
                room_id,
                tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
                (
                    # cash handed over: the cash part rounded up to the next ¥100 note
                    TenderInput(PayMethod.CASH, due // 2, -(-(due // 2) // 10000) * 10000),
                    TenderInput(PayMethod.WECHAT, due - due // 2),
                ),
                advance_months=months,
                advance_total_fen=advance,
            )
            posted = payments.post_payment(db, actor, request)
            printout = printouts.receipt(db, actor, posted.receipt_no)
            issued_documents.record(db, actor, printout, Output.PRINTED)
            times.append((time.perf_counter() - started) * 1000)
            if len(times) == count:
                break
        _percentiles(
            f"open bills + post payment + receipt PDF kept in the register, 20,000 households{on}",
            times,
        )
        db.dispose()


def bench_daily_report() -> None:
    """The daily report (PDF and Excel) of the busiest day of the demo year."""
    import sqlite3
    from datetime import date

    from frontdesk import printouts
    from frontdesk.services import users
    from frontdesk.services.database import open_at

    path = _demo(20_000)
    with sqlite3.connect(path) as raw:
        day, payments = raw.execute(
            "SELECT day, count(*) FROM payment GROUP BY day ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
    db = open_at(path)
    actor = users.login(db, "zhuguan", "demo1234")
    for excel in (False, True):
        started = time.perf_counter()
        report = printouts.daily_report_excel if excel else printouts.daily_report
        report(db, actor, date.fromisoformat(day))
        elapsed = time.perf_counter() - started
        kind = "Excel" if excel else "PDF"
        print(f"daily report {kind} ({day}, {payments:,} payments): {elapsed:.2f} s")
    db.dispose()


def bench_arrears(runs: int = 20, where: Where = None, on: str = "") -> None:
    """The whole community's arrears list, as a supervisor opens it."""
    from frontdesk.services import users
    from frontdesk.services.arrears import listing as arrears
    from frontdesk.services.database import open_at

    db = open_at(where or _demo(20_000))
    actor = users.login(db, "zhuguan", "demo1234")
    gc.freeze()  # as the GUI does once its main window is up (gui/app.run)
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        report = arrears.arrears_report(db, actor)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    label = f"arrears list, 20,000 households{on} ({len(report.rows):,} owing)"
    _percentiles(label, times)
    _percentiles(f"{label}, CPU time", cpu)
    db.dispose()


def _visitor_demo() -> Path:
    """The 20,000-household demo with two years of gate history instead of three months."""
    OUT.mkdir(exist_ok=True)
    from frontdesk.db.migrate import HEAD_REVISION
    from frontdesk.demo import build_demo

    path = OUT / f"demo-20000-{HEAD_REVISION}-visits730.sqlite"
    if not path.exists():
        build_demo(path, households=20_000, seed=1, visit_days=730)
    return path


def bench_visitors(count: int = 100) -> None:
    """The gate with two years of visits: register, the inside-now board, a day's
    history and counts, a returning visitor's look-up, sign-out."""

    from frontdesk.services import stats, users
    from frontdesk.services.database import open_at
    from frontdesk.services.visitors import history as visitor_history
    from frontdesk.services.visitors import register as visitors

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.sqlite"
        path.write_bytes(_visitor_demo().read_bytes())
        db = open_at(path)
        print(f"visits on file: {stats.counts(db)['visits']}")
        actor = users.login(db, "qiantai", "demo1234")
        board = visitors.inside_now(db, actor)
        room = board.rows[0].room_id
        phones = [f"1390000{i:04d}" for i in range(count)]
        registered, numbers = [], []
        for phone in phones:
            data = visitors.VisitInput(room, "王五", phone, confirmed_by="业主")
            started = time.perf_counter()
            numbers.append(visitors.register_visit(db, actor, data).number)
            registered.append((time.perf_counter() - started) * 1000)
        _percentiles("register a visit", registered)
        _timed("inside-now board", lambda: visitors.inside_now(db, actor))
        today = clock.today()
        day = visitor_history.VisitFilter(day_from=today, day_to=today)
        _timed("a day's history", lambda: visitor_history.search_visits(db, actor, day))
        _timed("a day's counts", lambda: visitor_history.day_counts(db, actor, today))
        _timed("returning visitor", lambda: visitors.returning_visitor(db, actor, phones[0]))
        signed = []
        for number in numbers:
            started = time.perf_counter()
            visitors.sign_out(db, actor, number)
            signed.append((time.perf_counter() - started) * 1000)
        _percentiles("sign out", signed)
        db.dispose()


def _timed(label: str, call: Callable[[], object], runs: int = 20) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    _percentiles(label, times)


def bench_reminders(count: int = 5_000) -> None:
    """5,000 催缴 notices in one PDF, from the demo's real arrears (repeated to 5,000)."""

    from frontdesk import printouts
    from frontdesk.demo.reminders import DEMO_PAYMENT
    from frontdesk.documents.reminder import reminders_pdf
    from frontdesk.printouts import reminders as printed
    from frontdesk.services import users
    from frontdesk.services.arrears import reminders
    from frontdesk.services.database import open_at

    db = open_at(_demo(20_000))
    actor = users.login(db, "zhuguan", "demo1234")
    reminders.set_payment_details(db, actor, DEMO_PAYMENT)
    drafts = reminders.draft_notices(db, actor)
    drafts = (drafts * (count // len(drafts) + 1))[:count]
    numbers = [f"CJ-2026-{n:06d}" for n in range(1, count + 1)]
    today = clock.today()
    for level, two in ((2, False), (1, True)):
        started = time.perf_counter()
        notices = printed.reminder_notices(db, actor, drafts, level, None, numbers, today)
        pdf = reminders_pdf(printouts.letterhead(db), notices, two)
        elapsed = time.perf_counter() - started
        layout = "two per A4" if two else "one per page"
        print(
            f"{count:,} reminder notices, level {level}, {layout}: {elapsed:.2f} s "
            f"({len(pdf) / 1e6:.1f} MB)"
        )
    db.dispose()


def bench_notices(letters: int = 2_000) -> None:
    """A lobby notice for every building, and letters to 2,000 households, each issued
    (numbered, drawn, kept and registered); then a register search."""
    from frontdesk.domain.notices import NoticeMode
    from frontdesk.printouts.notices import issue_notice
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.households import structure
    from frontdesk.services.notices import register as issued_documents
    from frontdesk.services.notices.posting import NoticeRequest
    from frontdesk.services.notices.register import RegisterFilter

    db = open_at(_demo(20_000))
    actor = users.login(db, "zhuguan", "demo1234")
    buildings = [b for b in structure.list_buildings(db, actor) if b.rooms]
    values = {"停水时间": "2026-12-01 08:00至18:00", "停水原因": "二次供水水箱清洗"}
    lobby = NoticeRequest("water_outage", values, building_ids=tuple(b.id for b in buildings))
    started = time.perf_counter()
    issued = issue_notice(db, actor, lobby)
    elapsed = time.perf_counter() - started
    print(f"lobby notice, one per building ({issued.copies}): {elapsed:.2f} s")
    rooms = tuple(structure.room_ids(db, actor)[:letters])
    letter = NoticeRequest("water_outage", values, NoticeMode.LETTER, room_ids=rooms)
    started = time.perf_counter()
    issued = issue_notice(db, actor, letter)
    elapsed = time.perf_counter() - started
    size = len(issued.printout.pdf) / 1e6
    print(f"{issued.copies:,} letters issued in one PDF: {elapsed:.2f} s ({size:.1f} MB)")
    started = time.perf_counter()
    found = issued_documents.list_issued(db, actor, RegisterFilter(room_id=rooms[-1]))
    print(f"register search by household: {(time.perf_counter() - started) * 1000:.1f} ms")
    assert found
    db.dispose()


def bench_check(runs: int = 3) -> None:
    """`frontdesk check` on the 20,000-household demo, whole and its comparison of every
    money row with the audit log alone."""
    from sqlalchemy import text

    from frontdesk.db.bulk_audit import MONEY_TABLES
    from frontdesk.services.database import open_at
    from frontdesk.services.protection import checks
    from frontdesk.services.protection.money_audit import money_audit_problems

    db = open_at(_demo(20_000))
    with db.read() as session:
        rows = sum(
            int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in MONEY_TABLES
        )
    whole, whole_cpu, comparison, problems = [], [], [], 0
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        report = checks.check_database(db)
        whole.append(time.perf_counter() - started)
        whole_cpu.append(time.process_time() - cpu)
        problems = len(report.problems)
        started = time.perf_counter()
        money_audit_problems(db)
        comparison.append(time.perf_counter() - started)
    print(
        f"check, 20,000 households ({runs} runs): median {statistics.median(whole):.2f} s "
        f"(CPU {statistics.median(whole_cpu):.2f} s), best {min(whole):.2f} s, "
        f"{problems} problems; of which money against the audit log ({rows:,} rows): "
        f"median {statistics.median(comparison):.2f} s"
    )
    db.dispose()


def _bulk_orders(db: Database, total: int, open_share: float = 0.01) -> None:
    """`total` work orders over three years, most closed, `open_share` open in every
    state: written in bulk (no audit entries; the desk's reads do not look at them)."""
    import random
    from datetime import timedelta

    from sqlalchemy import insert, select

    from frontdesk.db.models import Room, ServiceCategory, WorkOrder
    from frontdesk.domain.order_numbers import count_of, month_prefix, order_number
    from frontdesk.domain.service_desk import Channel, Kind, Stage, Status, Urgency

    rng = random.Random(1)
    now = clock.utc_now()
    with db.write() as session:
        rooms = list(session.scalars(select(Room.id)))
        categories = list(session.scalars(select(ServiceCategory.id)))
        rows = []
        open_states = [Status.ACCEPTED, Status.DISPATCHED, Status.ARRIVED, Status.FINISHED]
        counts: dict[str, int] = {}  # the demo's own orders are numbered already
        for number in session.scalars(select(WorkOrder.number)):
            prefix = number[: len(month_prefix(now))]
            counts[prefix] = max(counts.get(prefix, 0), count_of(number, prefix))
        for _ in range(total):
            taken = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            prefix = month_prefix(taken)  # numbered gap-free within each month, as taken
            counts[prefix] = counts.get(prefix, 0) + 1
            is_open = rng.random() < open_share
            status = rng.choice(open_states) if is_open else Status.CLOSED
            stage = {Status.FINISHED: Stage.CALLBACK, Status.ARRIVED: Stage.FINISH}.get(
                status, Stage.ARRIVE
            )
            rows.append(
                {
                    "number": order_number(prefix, counts[prefix]),
                    "kind": rng.choice([Kind.REPAIR_HOME, Kind.REPAIR_PUBLIC, Kind.COMPLAINT]),
                    "channel": Channel.PHONE,
                    "urgency": Urgency.NORMAL,
                    "category_id": rng.choice(categories),
                    "status": status,
                    "room_id": rng.choice(rooms),
                    "place": "",
                    "caller_name": "",
                    "caller_phone": "",
                    "anonymous": False,
                    "description": "厨房水龙头漏水",
                    "arrive_minutes": 120,
                    "finish_minutes": 1440,
                    "callback_minutes": 2880,
                    "started_at": taken,
                    "paused_seconds": 0,
                    "due_at": taken + timedelta(minutes=120) if is_open else None,
                    "due_stage": stage if is_open else None,
                    "taken_at": taken,
                    "taken_by": "前台",
                    "work_done": "",
                    "materials": "",
                    "failed_callbacks": 0,
                    "owner_words": "",
                    "reopened": 0,
                    "finished_at": taken if status == Status.FINISHED else None,
                }
            )
        session.execute(insert(WorkOrder), rows)


def bench_tickets(orders: int = 50_000) -> None:
    """The service desk with 50,000 work orders: saving a new one, the board, the
    callback list, the open and overdue lists."""
    from frontdesk.domain.service_desk import Channel, Kind
    from frontdesk.services import service_desk as desk
    from frontdesk.services import users
    from frontdesk.services.database import open_at

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.sqlite"
        path.write_bytes(_demo(2_000).read_bytes())
        db = open_at(path)
        _bulk_orders(db, orders)
        actor = users.login(db, "qiantai", "demo1234")
        board = desk.board(db, actor)
        print(f"work orders on file: {orders:,}; open on the board: {len(board)}")
        room = board[0].room_id
        category = desk.category_id(db, "水电")
        saved = []
        for i in range(50):
            data = desk.OrderInput(
                Kind.REPAIR_HOME,
                Channel.PHONE,
                category,
                f"卫生间漏水 {i}",
                room_id=room,
                caller_phone="13812345678",
            )
            started = time.perf_counter()
            desk.take_order(db, actor, data)
            saved.append((time.perf_counter() - started) * 1000)
        _percentiles("save a new work order", saved)
        _timed("the desk board", lambda: desk.board(db, actor))
        _timed("the callback list", lambda: desk.callback_list(db, actor))
        _timed("overdue orders", lambda: desk.list_orders(db, actor, overdue_only=True))
        _timed("overdue complaints (升级/逾期投诉)", lambda: desk.escalations(db, actor))
        db.dispose()


def bench_service_report(orders: int = 50_000) -> None:
    """The month's service report (PDF and workbook) with 50,000 work orders on file,
    each with its steps (taken, dispatched, arrived, paused and resumed, finished,
    called back)."""
    from frontdesk.domain.periods import Period
    from frontdesk.printouts.service_report import service_report, service_report_excel
    from frontdesk.services import users
    from frontdesk.services.database import open_at

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.sqlite"
        path.write_bytes(_demo(2_000).read_bytes())
        db = open_at(path)
        _bulk_orders(db, orders)
        events = _bulk_steps(db)
        actor = users.login(db, "zhuguan", "demo1234")
        period = Period.of(clock.today()).shifted(-1)
        print(f"work orders on file: {orders:,}, steps: {events:,}; report for {period}")
        _timed("the month's service report (PDF)", lambda: service_report(db, actor, period).pdf, 5)
        _timed(
            "the month's service report (Excel)",
            lambda: service_report_excel(db, actor, period),
            5,
        )
        db.dispose()


def bench_figures(runs: int = 5) -> None:
    """报表 → 统计图表 at 20,000 households: each chart's series as a supervisor opens it
    (CPU time beside the wall time: the counter PC is often busy with other work)."""
    from frontdesk.domain.periods import Period
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.figures import series

    db = open_at(_surveyed_demo(20_000))
    actor = users.login(db, "zhuguan", "demo1234")
    gc.freeze()  # as the GUI does once its main window is up (gui/app.run)
    month = Period.of(clock.today())
    charts: dict[str, Callable[[], object]] = {
        "收缴率 12 months by building": lambda: series.collection_series(db, actor),
        "arrears by age": lambda: series.arrears_by_age(db, actor),
        "orders by category": lambda: series.orders_by_category(db, actor, month),
        "butler coverage": lambda: series.butler_coverage(db, actor, month),
        "visitors by hour and weekday, 90 days": lambda: series.visitor_times(db, actor),
        "满意度 by dimension, whole and by building": lambda: series.survey_satisfaction(db, actor),
    }
    for label, call in charts.items():
        times: list[float] = []
        cpu: list[float] = []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        _percentiles(f"chart series: {label}, 20,000 households", times)
        _percentiles(f"chart series: {label}, CPU time", cpu)
    db.dispose()


def bench_monthly_report(orders: int = 50_000) -> None:
    """物业工作月报 (PDF and workbook) of last month, and the year's, at 20,000
    households with 50,000 work orders and their steps on file."""
    from frontdesk.domain.periods import Period
    from frontdesk.printouts.monthly_report import monthly_report, monthly_report_excel
    from frontdesk.services import users
    from frontdesk.services.database import open_at

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.sqlite"
        path.write_bytes(_demo(20_000).read_bytes())
        db = open_at(path)
        _bulk_orders(db, orders)
        events = _bulk_steps(db)
        actor = users.login(db, "zhuguan", "demo1234")
        period = Period.of(clock.today()).shifted(-1)
        print(f"20,000 households, work orders: {orders:,}, steps: {events:,}; month {period}")
        started, cpu = time.perf_counter(), time.process_time()
        monthly_report(db, actor, period)
        print(
            f"物业工作月报 (PDF) once: {time.perf_counter() - started:.2f} s wall, "
            f"{time.process_time() - cpu:.2f} s CPU (the wall clock waits for a shared CPU)"
        )
        _timed("物业工作月报 (PDF)", lambda: monthly_report(db, actor, period).pdf, 3)
        _timed("物业工作月报 (Excel)", lambda: monthly_report_excel(db, actor, period), 3)
        _timed(
            "年度工作总结 figures (PDF)",
            lambda: monthly_report(db, actor, year=period.year).pdf,
            3,
        )
        db.dispose()


def _bulk_steps(db: Database) -> int:
    """Every closed bulk order finished with steps: arrived, paused an hour now and
    then, finished and called back with scores; returns the steps written."""
    import random
    from datetime import timedelta

    from sqlalchemy import insert, select, update

    from frontdesk.db.models import WorkOrder, WorkOrderEvent
    from frontdesk.domain.service_desk import Status, Step

    rng = random.Random(2)
    with db.write() as session:
        found = session.execute(
            select(WorkOrder.id, WorkOrder.taken_at).where(WorkOrder.status == Status.CLOSED)
        ).all()
        events: list[dict[str, object]] = []
        changes: list[dict[str, object]] = []
        for order_id, taken in found:
            arrived = taken + timedelta(minutes=rng.randint(5, 180))
            finished = arrived + timedelta(minutes=rng.randint(20, 30 * 60))
            called = finished + timedelta(hours=rng.randint(1, 60))
            scores = [rng.choice((5, 5, 5, 4, 4, 3, 2)) for _ in range(3)]
            steps = [(Step.TAKE, taken), (Step.ARRIVE, arrived)]
            if rng.random() < 0.1:
                steps += [
                    (Step.PAUSE, arrived + timedelta(minutes=5)),
                    (Step.RESUME, arrived + timedelta(minutes=65)),
                ]
            steps += [(Step.FINISH, finished), (Step.CALLBACK, called), (Step.CLOSE, called)]
            for step, at in steps:
                event = {"work_order_id": order_id, "step": step, "at": at}
                event.update(done_by="前台", note="")
                if step == Step.CALLBACK:
                    event.update(
                        score_speed=scores[0], score_quality=scores[1], score_attitude=scores[2]
                    )
                events.append(event)
            changes.append(
                {
                    "id": order_id,
                    "arrived_at": arrived,
                    "finished_at": finished,
                    "called_back_at": called,
                    "closed_at": called,
                    "score_speed": scores[0],
                    "score_quality": scores[1],
                    "score_attitude": scores[2],
                }
            )
        session.execute(update(WorkOrder), changes)
        session.execute(insert(WorkOrderEvent), events)
        return len(events)


def bench_today(runs: int = 20) -> None:
    """今日工作 (the home screen) on the 20,000-household demo, for each demo role."""
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.today import today_work

    db = open_at(_demo(20_000))
    gc.freeze()  # as the GUI does once its main window is up (gui/app.run)
    for username in ("qiantai", "shoufei", "guanjia", "zhuguan"):
        actor = users.login(db, username, "demo1234")
        times: list[float] = []
        cpu: list[float] = []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            work = today_work(db, actor)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        label = f"today, {actor.role.label} ({len(work.lines)} lines)"
        _percentiles(label, times)
        _percentiles(f"{label}, CPU time", cpu)
    db.dispose()


def _timed_with_cpu(label: str, call: Callable[[], object], runs: int = 20) -> None:
    """Wall and CPU time: on a shared machine the CPU time is the one that compares."""
    times, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    _percentiles(label, times)
    _percentiles(f"{label}, CPU time", cpu)


def _bulk_goods_passes(db: Database, days: int) -> int:
    """Two years of goods passes on the demo, as its generator writes them."""
    import random

    from sqlalchemy import select

    from frontdesk.db.models import GoodsPass, Room
    from frontdesk.demo import chinese_name
    from frontdesk.demo.goods_passes import goods_pass_rows
    from frontdesk.demo.timeline import bulk_insert
    from frontdesk.domain.roles import SYSTEM

    with db.write(SYSTEM) as session:
        session.execute(GoodsPass.__table__.delete())  # the demo's own three months
        rooms = [
            {"id": i, "room_type": t, "status": s}
            for i, t, s in session.execute(select(Room.id, Room.room_type, Room.status))
        ]
        rows = goods_pass_rows(
            random.Random(9), rooms, {}, ["前台甲", "前台乙"], chinese_name, clock.now(), days
        )
        bulk_insert(session, GoodsPass, rows)
    return len(rows)


def bench_goods_passes(days: int = 730) -> None:
    """物品放行条 with two years of passes at 20,000 households: a day's list, the open
    passes, the home-screen line, the handover item, a pass found and let out."""
    from frontdesk.services import goods_passes, users
    from frontdesk.services.database import open_at

    with demo_file_copy() as path:
        db = open_at(path)
        print(f"goods passes on file: {_bulk_goods_passes(db, days):,}")
        actor = users.login(db, "qiantai", "demo1234")
        now, today = clock.now(), clock.today()
        _timed_with_cpu(
            "goods passes, a day's list", lambda: goods_passes.list_passes(db, actor, today)
        )
        _timed_with_cpu("goods passes, open now", lambda: goods_passes.open_passes(db, actor))
        _timed_with_cpu(
            "goods passes, today line", lambda: goods_passes.today_lines(db, actor, now)
        )
        _timed_with_cpu(
            "goods passes, handover", lambda: goods_passes.handover_item(db, actor, now)
        )
        number = goods_passes.open_passes(db, actor)[0].number
        _timed_with_cpu(
            "goods passes, find by number", lambda: goods_passes.find_pass(db, actor, number)
        )
        started = time.perf_counter()
        goods_passes.check_at_gate(db, actor, number)
        print(f"goods passes, gate check: {(time.perf_counter() - started) * 1000:.1f} ms")
        db.dispose()


def _bulk_lost_items(db: Database, days: int) -> int:
    """Two years of lost property on the demo, as its generator writes them."""
    import random

    from frontdesk.db.models import LostItem
    from frontdesk.demo import chinese_name
    from frontdesk.demo.lost_property import lost_item_rows
    from frontdesk.demo.timeline import bulk_insert
    from frontdesk.domain.roles import SYSTEM

    with db.write(SYSTEM) as session:
        session.execute(LostItem.__table__.delete())  # the demo's own three months
        rows = lost_item_rows(
            random.Random(10), 20_000, ["前台甲", "前台乙"], chinese_name, clock.now(), days
        )
        bulk_insert(session, LostItem, rows)
    return len(rows)


def bench_lost_property(days: int = 730) -> None:
    """失物招领 with two years of items at 20,000 households: the list, the due list, the
    home-screen line, the handover item, an item found by number."""
    from frontdesk.services import lost_property, users
    from frontdesk.services.database import open_at

    with demo_file_copy() as path:
        db = open_at(path)
        print(f"lost items on file: {_bulk_lost_items(db, days):,}")
        actor = users.login(db, "qiantai", "demo1234")
        now = clock.now()
        rows = lost_property.list_items(db, actor)
        print(f"lost items listed: {len(rows)}")
        _timed_with_cpu("lost property, the list", lambda: lost_property.list_items(db, actor))
        _timed_with_cpu(
            "lost property, due list",
            lambda: lost_property.list_items(db, actor, due_only=True),
        )
        _timed_with_cpu(
            "lost property, today line", lambda: lost_property.today_lines(db, actor, now)
        )
        _timed_with_cpu(
            "lost property, handover", lambda: lost_property.handover_item(db, actor, now)
        )
        number = rows[0].number
        _timed_with_cpu(
            "lost property, find by number", lambda: lost_property.find_item(db, actor, number)
        )


def _bulk_handovers(db: Database, days: int = 730) -> int:
    """Two years of the book before the demo's three months, written as the demo writes
    its own: every handover acknowledged."""
    import random
    from datetime import timedelta

    from sqlalchemy import func, select

    from frontdesk.db.models import ShiftAcknowledgement, ShiftEntry, User
    from frontdesk.demo.shift_log import DAYS, OnDuty, handover_rows
    from frontdesk.demo.timeline import bulk_insert
    from frontdesk.domain.roles import SYSTEM, Role

    with db.write(SYSTEM) as session:
        staff = session.execute(select(User.id, User.display_name, User.role)).all()
        clerk = next(OnDuty(i, n) for i, n, r in staff if r == Role.CLERK.value)
        night = [OnDuty(i, n) for i, n, r in staff if r == Role.BUTLER.value]
        first = (session.scalar(select(func.max(ShiftEntry.id))) or 0) + 1
        before = clock.utc_now() - timedelta(days=DAYS + 1)
        entries, acks = handover_rows(
            random.Random(7), before, days - DAYS, clerk, night, ["收费员"], first, last_waits=False
        )
        bulk_insert(session, ShiftEntry, entries)
        bulk_insert(session, ShiftAcknowledgement, acks)
        return session.scalar(select(func.count(ShiftEntry.id))) or 0


def bench_shift_log() -> None:
    """The shift book with two years of handovers at 20,000 households: the draft (every
    register's provider), a day's and a month's entries, the waiting handover, handing
    over and acknowledging, the day's A4 page."""
    from datetime import timedelta

    from frontdesk.printouts import shift_log as shift_log_printouts
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.shift_log import book

    with demo_file_copy() as path:
        db = open_at(path)
        print(f"shift entries on file: {_bulk_handovers(db)}")
        clerk = users.login(db, "qiantai", "demo1234")
        butler = users.login(db, "guanjia", "demo1234")
        today = clock.today()
        drafted: list[float] = []
        cpu: list[float] = []
        for _ in range(20):
            started, cpu_started = time.perf_counter(), time.process_time()
            book.draft_handover(db, clerk)
            drafted.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        _percentiles("draft a handover", drafted)
        _percentiles("draft a handover, CPU time", cpu)  # the machine may be shared
        _timed("a day's entries", lambda: book.book_entries(db, clerk, today))
        month = today - timedelta(days=30)
        _timed("a month's entries", lambda: book.book_entries(db, clerk, month, today))
        _timed("the waiting handover", lambda: book.waiting_handover(db, clerk))
        _timed("the day's page (A4 PDF)", lambda: shift_log_printouts.shift_log(db, clerk, today))
        waiting = book.waiting_handover(db, clerk)
        if waiting is not None:  # the demo's: taken by whoever did not write it
            taker = butler if waiting.written_by_id == clerk.user_id else clerk
            book.acknowledge(db, taker, waiting.id)
        handed, taken = [], []
        for turn in range(10):
            outgoing, incoming = (clerk, butler) if turn % 2 else (butler, clerk)
            started = time.perf_counter()
            entry = book.hand_over(db, outgoing, "交班说明")
            handed.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            book.acknowledge(db, incoming, entry.id)
            taken.append((time.perf_counter() - started) * 1000)
        _percentiles("hand over (draft and write)", handed)
        _percentiles("acknowledge", taken)
        db.dispose()


def bench_keys() -> None:
    """钥匙托管 with two years of keys and lendings at 20,000 households."""
    import key_custody_bench

    key_custody_bench.bench_keys(_demo(20_000), _timed)


def bench_lending() -> None:
    """物品借用 with two years of lendings at 20,000 households."""
    import key_custody_bench

    key_custody_bench.bench_lending(_demo(20_000), _timed)


def _bulk_certificates(db: Database, per_day: int = 14) -> int:
    """Two years of certificates (`per_day` each day, about 10,000), each with its entry
    in the document register: written in bulk (no audit entries, no stored PDFs; the
    register's reads do not look at them)."""
    import random
    from datetime import timedelta

    from sqlalchemy import insert, select

    from frontdesk.db.models import Certificate, IssuedDocument, Person
    from frontdesk.domain.certificates import CertificateKind, certificate_number, new_code
    from frontdesk.domain.issued import DocKind, Output

    rng = random.Random(1)
    now = clock.utc_now()
    with db.write() as session:
        owners = session.execute(select(Person.room_id, Person.name)).all()
        documents, certificates = [], []
        for back in range(730, 0, -1):
            day = now - timedelta(days=back)
            for sequence in range(1, per_day + 1):
                room, name = rng.choice(owners)
                # Numbered past the demo's own few of the day.
                number = certificate_number(day.date(), 5000 + sequence)
                at = day + timedelta(minutes=sequence * 20)
                documents.append(
                    {
                        "number": f"FW-B{len(documents):07d}",
                        "kind": DocKind.CERTIFICATE,
                        "title": f"居住证明 {number}",
                        "reference": number,
                        "sha256": "0" * 64,
                        "size": 1,
                        "pages": 1,
                        "output": Output.KEPT,
                        "issued_at": at,
                        "by_name": "前台",
                    }
                )
                certificates.append(
                    {
                        "room_id": room,
                        "number": number,
                        "kind": rng.choice(list(CertificateKind)),
                        "code": new_code(),
                        "holder": name,
                        "statement": "兹证明，下列人员居住于本小区，情况属实。",
                        "purpose": "子女入学",
                        "issued_at": at,
                        "issued_by": "前台",
                        "revoked_by": "",
                        "revoke_reason": "",
                    }
                )
        session.execute(insert(IssuedDocument), documents)
        ids = dict(
            session.execute(
                select(IssuedDocument.reference, IssuedDocument.id).where(
                    IssuedDocument.number.like("FW-B%")
                )
            ).all()
        )
        for row in certificates:
            row["document_id"] = ids[row["number"]]
        session.execute(insert(Certificate), certificates)
    return len(certificates)


def _may_issue(db: Database, actor: Actor, request: CertificateRequest) -> bool:
    from frontdesk.errors import UserError
    from frontdesk.services.certificates import issuing

    try:
        issuing.draft_certificate(db, actor, request)
    except UserError:
        return False
    return True


def bench_certificates(count: int = 20) -> None:
    """The certificate register with two years of certificates at 20,000 households:
    the register's lists, a verification, and issuing one (drawn, kept, registered)."""
    from sqlalchemy import select

    from frontdesk.db.models import Certificate
    from frontdesk.domain.certificates import CertificateKind
    from frontdesk.printouts import certificates as certificate_printouts
    from frontdesk.services import users
    from frontdesk.services.certificates import issuing, register
    from frontdesk.services.database import open_at

    with demo_file_copy() as path:
        db = open_at(path)
        print(f"certificates on file: {_bulk_certificates(db):,}")
        actor = users.login(db, "qiantai", "demo1234")
        latest = register.list_certificates(db, actor)
        row = latest[0]
        today = clock.today()
        _timed("the register (newest 500)", lambda: register.list_certificates(db, actor))
        by_name = register.CertificateFilter(text=row.holder[:2])
        _timed("search by name", lambda: register.list_certificates(db, actor, by_name))
        one_day = register.CertificateFilter(since=today, until=today)
        _timed("one day", lambda: register.list_certificates(db, actor, one_day))
        of_room = register.CertificateFilter(room_id=row.room_id)
        _timed("one room", lambda: register.list_certificates(db, actor, of_room))
        with db.read() as session:
            secret = session.scalar(select(Certificate.code).where(Certificate.id == row.id))
        _timed(
            "verify a number and code",
            lambda: register.verify_certificate(db, actor, row.number, secret or ""),
        )
        request = next(
            issuing.CertificateRequest(CertificateKind.RESIDENCE, r.room_id)
            for r in latest
            if _may_issue(
                db, actor, issuing.CertificateRequest(CertificateKind.RESIDENCE, r.room_id)
            )
        )
        issued = []
        for _ in range(count):
            started = time.perf_counter()
            certificate_printouts.issue(db, actor, request)
            issued.append((time.perf_counter() - started) * 1000)
        _percentiles("issue a 居住证明 (PDF, kept, registered)", issued)
        db.dispose()


BENCHMARKS: dict[str, Callable[[], None]] = {
    "demo": bench_demo,
    "startup": bench_startup,
    "search": bench_search,
    "file": bench_file_open,
    "rooms": bench_rooms,
    "roster": bench_roster,
    "billing": bench_billing,
    "payment": bench_payment,
    "daily": bench_daily_report,
    "arrears": bench_arrears,
    "reminders": bench_reminders,
    "visitors": bench_visitors,
    "notices": bench_notices,
    "check": bench_check,
    "tickets": bench_tickets,
    "service-report": bench_service_report,
    "figures": bench_figures,
    "today": bench_today,
    "monthly-report": bench_monthly_report,
    "goods-passes": bench_goods_passes,
    "lost-property": bench_lost_property,
    "shift-log": bench_shift_log,
    "keys": bench_keys,
    "lending": bench_lending,
    "certificates": bench_certificates,
}


def _on_server(name: str) -> Callable[[], None]:
    """A benchmark of bench/postgres.py (a throwaway PostgreSQL server, started once)."""

    def bench() -> None:
        import postgres

        postgres.BENCHMARKS[name]()

    return bench


BENCHMARKS.update({name: _on_server(name) for name in ("pg", "pg-move", "counters")})


def _parcels() -> None:
    import parcel_bench

    parcel_bench.bench_parcels()


BENCHMARKS["parcels"] = _parcels


def _import() -> None:
    import import_bench

    import_bench.bench_import()


BENCHMARKS["import"] = _import


if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHMARKS)
    for name in chosen:
        BENCHMARKS[name]()
