"""数据导入 at 20,000 homes (issue 25): the old system's workbooks of a 20,000-home
estate (demo/old_system.py) read, checked and imported into a new office's empty
database, sheet by sheet in the order an office takes them (rooms and owners, then the
opening balances); meanwhile another process is a counter posting a payment every
0.2 s, each one timed. Run through bench/run.py (`run.py import`).

Targets: the dry run (read + check) of these sheets < 10 s, their import < 30 s, and no
payment at the other counter waiting more than a second.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from run import OUT

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Event

    from frontdesk.db.engine import Database
    from frontdesk.domain.onboarding import ImportKind
    from frontdesk.domain.roles import Actor

ROOMS = 20_000
PASSWORD = "demo1234"
COUNTER_BUILDING = "900"  # the counter's own rooms, not in the file
PAUSE = 0.2  # between one payment and the next at the other counter


def old_books(rooms: int) -> Path:
    """The old system's workbooks for `rooms` homes, written once and kept in bench/out."""
    from frontdesk.demo.old_system import old_estate
    from frontdesk.demo.old_system_books import write_old_system
    from frontdesk.domain import clock

    folder = OUT / f"old-system-{rooms}-{clock.today():%Y%m}"
    if not (folder / "done").exists():
        started = time.perf_counter()
        write_old_system(folder, old_estate(rooms, 1, clock.today()), cut_ids=0)
        (folder / "done").touch()
        print(f"old system's workbooks ({rooms:,} homes): {time.perf_counter() - started:.1f} s")
    return folder


def new_office(path: Path) -> tuple[Database, Actor]:
    """A new office's database as the first run and 收费标准 leave it: the community and
    its administrator, a cashier, the standard fee items, and nothing else."""
    from frontdesk.domain.roles import Role
    from frontdesk.services import users
    from frontdesk.services.database import create_at
    from frontdesk.services.fees import items

    os.environ.setdefault("FRONTDESK_PASSPHRASE", PASSWORD)
    db = create_at(path)
    admin = users.initialize(
        db, users.FirstRunInput("锦绣华庭", "admin", "系统管理员", PASSWORD, PASSWORD)
    )
    users.create_user(db, admin, users.NewUser("shoufei", "收费员", Role.CASHIER, PASSWORD))
    for name, category, method, collection, meter in items.STANDARD_ITEMS:
        items.add_fee_item(db, admin, name, category, method, collection, meter)
    return db, admin


def _counter(path: str, ready: Event, stop: Event, out: Queue[list[tuple[float, float]]]) -> None:
    """Another counter: a 预存 payment into one of its rooms every PAUSE seconds, each
    timed from asking to posted (start, milliseconds)."""
    from frontdesk.domain.fees import PayMethod
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.fees import payments
    from frontdesk.services.households import structure

    db = open_at(Path(path))
    cashier = users.login(db, "shoufei", PASSWORD)
    rooms = structure.room_ids(db, cashier)
    times: list[tuple[float, float]] = []
    ready.set()
    while not stop.is_set():
        request = payments.PaymentRequest(
            rooms[len(times) % len(rooms)],
            (),
            (payments.TenderInput(PayMethod.CASH, 10_000),),
            prepaid_fen=10_000,
        )
        started = time.perf_counter()
        payments.post_payment(db, cashier, request)
        times.append((started, (time.perf_counter() - started) * 1000))
        time.sleep(PAUSE)
    db.dispose()
    out.put(times)


def _sheets() -> list[tuple[str, str, ImportKind]]:
    from frontdesk.demo.old_system_books import BALANCES_BOOK, ROOMS_BOOK
    from frontdesk.domain.onboarding import ImportKind

    return [
        (ROOMS_BOOK, "房屋业主", ImportKind.ROOMS),
        (BALANCES_BOOK, "欠费明细", ImportKind.BALANCES),
        (BALANCES_BOOK, "已缴至", ImportKind.BALANCES),
        (BALANCES_BOOK, "预存", ImportKind.BALANCES),
        (BALANCES_BOOK, "押金", ImportKind.BALANCES),
    ]


def _dry_run(db: Database, admin: Actor, path: Path, sheet: str, kind: ImportKind) -> Any:
    """What the wizard does up to its check page: the sheet read with the clerk's
    answers for the old system's words, then checked against the database."""
    from frontdesk.demo.old_system import answered
    from frontdesk.services import onboarding
    from frontdesk.services.fees import items
    from frontdesk.services.onboarding import reading

    table = reading.read_table(path, sheet)
    fee_items = [item.name for item in items.list_fee_items(db)]
    setup = answered(reading.suggested_setup(table, kind, fee_items))
    read = reading.read_lines(path, setup)
    return onboarding.check_import(db, admin, onboarding.file_of(path, [sheet]), read)


def bench_import(rooms: int = ROOMS) -> None:
    from frontdesk.services import onboarding
    from frontdesk.services.households import structure

    books = old_books(rooms)
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "office.sqlite"
        db, admin = new_office(path)
        structure.create_building(
            db, admin, structure.NewBuilding(COUNTER_BUILDING, "", 2, 1, 2, "89.50")
        )
        ready, stop, out = context.Event(), context.Event(), context.Queue()
        counter = context.Process(target=_counter, args=(str(path), ready, stop, out))
        counter.start()
        ready.wait(timeout=120)
        time.sleep(2)  # the counter's pace before the import starts
        checking = writing = 0.0
        spans: list[tuple[float, float]] = []
        for book, sheet, kind in _sheets():
            started = time.perf_counter()
            plan = _dry_run(db, admin, books / book, sheet, kind)
            checked = time.perf_counter()
            checking += checked - started
            if plan.refusals:
                print(f"{sheet}: {len(plan.refusals)} rows refused, e.g. {plan.refusals[:3]}")
                break
            done = onboarding.commit_import(db, admin, plan, buildings_confirmed=True)
            ended = time.perf_counter()
            writing += ended - checked
            spans.append((checked, ended))
            print(
                f"  {sheet}: {plan.read.rows_read:,} rows, check {checked - started:.2f} s, "
                f"import {ended - checked:.2f} s, added {_nonzero(done.added)}"
            )
        stop.set()
        times = out.get(timeout=120)
        counter.join()
        db.dispose()
    _report(rooms, checking, writing, times, spans)


def _nonzero(totals: Any) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in vars(totals).items() if v) or "已缴至 only"


def _report(
    rooms: int,
    checking: float,
    writing: float,
    times: list[tuple[float, float]],
    spans: list[tuple[float, float]],
) -> None:
    during = [
        ms for at, ms in times if any(at <= high and at + ms / 1000 >= low for low, high in spans)
    ]
    before = [ms for at, ms in times if at < spans[0][0]] if spans else []
    print(f"import dry run (read + check, {rooms:,} homes): {checking:.2f} s")
    print(f"import (rooms, owners, opening balances, {rooms:,} homes): {writing:.2f} s")
    if before:
        usual = statistics.median(before)
        print(f"a payment at another counter before the import: p50 {usual:.0f} ms")
    if during:
        print(
            f"a payment at another counter during the import: {len(during)} posted, "
            f"p50 {statistics.median(during):.0f} ms, longest {max(during):.0f} ms"
        )
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores shared)")


if __name__ == "__main__":  # a smaller estate: bench/import_bench.py 2000
    import sys

    bench_import(int(sys.argv[1]) if len(sys.argv) > 1 else ROOMS)
