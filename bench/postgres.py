"""FrontDesk on PostgreSQL (issue 23): the 20,000-household demo on a local server,
measured as on its file, and eight counters taking payments at once. Prints numbers,
asserts nothing (the eight counters' checks on the database are printed as found).

    .venv/bin/python bench/run.py pg                     # search, file, arrears, payment,
                                                         # billing: SQLite and PostgreSQL
    .venv/bin/python bench/run.py pg-move                # the move-to, measured again
    .venv/bin/python bench/run.py counters               # eight counters, 60 s, both engines
    .venv/bin/python bench/postgres.py counters --seconds 10 --counters 8

The server is a throwaway cluster (tools/throwaway_postgres.py) started once per run
with PostgreSQL's own durability settings (fsync on, as an office's server runs), on a
Unix socket. The demo gets onto it once per schema revision with the product's own
`frontdesk move-to URL --db FILE` (minutes; its time is printed and kept beside the
dump), then a `pg_dump -Fc` of the moved database kept in bench/out/ is restored on
every later run. A benchmark that writes gets its own copy of it
(CREATE DATABASE … TEMPLATE), as the file benchmarks get a copy of the file.

Targets (issue 23, "Speed"): on PostgreSQL at 20,000 households a search keystroke
p95 < 30 ms, a payment with its receipt p95 < 300 ms, a month's billing run < 10 s;
eight counters for a minute: payments per second and p95, with 0 duplicate numbers and
0 double-paid bills; the same eight processes on the SQLite file beside them.
"""

from __future__ import annotations

import argparse
import atexit
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

import run

HERE = Path(__file__).resolve().parent
TOOLS = HERE.parent / "tools"
PASSWORD = "demo1234"
DEMO = "demo"  # the moved demo's database on the throwaway server

_cluster = ExitStack()
_server: str | None = None


def server() -> str:
    """The throwaway server's maintenance URL, with the demo on it: started (and the
    demo restored or moved) at the first call of this process, stopped at its exit."""
    global _server
    if _server is None:
        sys.path.insert(0, str(TOOLS))
        from throwaway_postgres import throwaway_cluster

        atexit.register(_cluster.close)
        url = _cluster.enter_context(throwaway_cluster(durable=True))
        _load_demo(url)
        _server = url
    return _server


def database(name: str) -> str:
    """The SQLAlchemy URL of database `name` on the throwaway server."""
    return make_url(server()).set(database=name).render_as_string(hide_password=False)


def _libpq(url: str) -> str:
    """The same URL as the PostgreSQL programs (and `frontdesk move-to`) take it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin(url: str, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _programs() -> Path:
    sys.path.insert(0, str(TOOLS))
    from throwaway_postgres import bin_dir

    found = bin_dir()
    if found is None:
        raise SystemExit("PostgreSQL is not installed (apt install postgresql)")
    return found


def _dump_path() -> Path:
    from frontdesk.db.migrate import HEAD_REVISION

    return run.OUT / f"demo-20000-{HEAD_REVISION}.pgdump"


def _load_demo(url: str) -> None:
    dump = _dump_path()
    if not dump.exists():
        _move_demo(url, DEMO)
        return
    _admin(url, f'CREATE DATABASE "{DEMO}"')
    target = make_url(url).set(database=DEMO).render_as_string(hide_password=False)
    started = time.perf_counter()
    restore = [str(_programs() / "pg_restore"), "--no-owner", "-j", "2", "-d", _libpq(target)]
    subprocess.run([*restore, str(dump)], check=True)
    _admin(target, "ANALYZE")  # pg_restore leaves the planner without statistics
    print(
        f"(demo restored onto the server from {dump.name}: "
        f"{time.perf_counter() - started:.1f} s; {_moved_note()})",
        flush=True,
    )


def _moved_note() -> str:
    note = _dump_path().with_suffix(".move-to.txt")
    return note.read_text().strip() if note.exists() else "move-to time not kept"


def _move_demo(url: str, name: str) -> float:
    """`frontdesk move-to` of the demo file into a new database `name`, timed; the
    first time (no dump yet) the moved database is dumped for later runs."""
    demo = run._demo(20_000)
    _admin(url, f'CREATE DATABASE "{name}"')
    target = make_url(url).set(database=name).render_as_string(hide_password=False)
    command = [sys.executable, "-m", "frontdesk", "move-to", _libpq(target), "--db", str(demo)]
    started = time.perf_counter()
    moved = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if moved.returncode != 0:
        raise SystemExit(f"move-to failed ({moved.returncode}):\n{moved.stdout}\n{moved.stderr}")
    rows = re.search(r"共 (\d+) 行", moved.stdout)
    line = (
        f"move-to of the 20,000-household demo ({int(rows[1]) if rows else 0:,} rows, "
        f"checked on arrival): {elapsed:.1f} s"
    )
    print(line, flush=True)
    dump = _dump_path()
    dump.with_suffix(".move-to.txt").write_text(f"{line}, {time.strftime('%Y-%m-%d')}\n")
    if not dump.exists():
        part = dump.with_suffix(".part")
        subprocess.run(
            [str(_programs() / "pg_dump"), "-Fc", "-f", str(part), _libpq(target)], check=True
        )
        part.rename(dump)
    return elapsed


@contextmanager
def demo_server_copy() -> Iterator[str]:
    """A copy of the server's demo for one benchmark that writes; dropped afterwards."""
    name = f"demo_copy_{os.getpid()}_{time.monotonic_ns()}"
    _admin(server(), f'CREATE DATABASE "{name}" TEMPLATE "{DEMO}" STRATEGY FILE_COPY')
    try:
        yield database(name)
    finally:
        _admin(server(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ON_PG = ", PostgreSQL"
ON_FILE = ", SQLite"


def bench_move() -> None:
    """`frontdesk move-to` of the demo file onto the server, measured again."""
    server()
    name = f"moved_{os.getpid()}"
    _move_demo(server(), name)
    _admin(server(), f'DROP DATABASE "{name}" WITH (FORCE)')


def bench_side_by_side() -> None:
    """The counter's everyday actions on the file, then on the server."""
    demo = database(DEMO)
    run.bench_search(on=ON_FILE)
    run.bench_search(demo, on=ON_PG)
    run.bench_file_open(on=ON_FILE)
    run.bench_file_open(demo, on=ON_PG)
    run.bench_arrears(on=ON_FILE)
    run.bench_arrears(where=demo, on=ON_PG)
    run.bench_payment(on=ON_FILE)
    run.bench_payment(copy=demo_server_copy, on=ON_PG)
    run.bench_billing(on=ON_FILE)
    run.bench_billing(copy=demo_server_copy, on=ON_PG)


# ---------------------------------------------------------------- eight counters

COMPETE = 0.2  # how often a counter serves the room another counter took just now


@dataclass
class CounterResult:
    """What one counter process did in its minute."""

    posted: int = 0
    post_ms: list[float] = field(default_factory=list)  # post_payment alone
    whole_ms: list[float] = field(default_factory=list)  # open bills, post, receipt kept
    refusals: Counter[str] = field(default_factory=Counter)
    settled_when_opened: int = 0  # the room's bills were paid before this counter looked
    failures: list[str] = field(default_factory=list)
    cpu_s: float = 0.0
    lock_wait_ms: list[float] = field(default_factory=list)  # BEGIN IMMEDIATE / advisory lock
    lock_held_ms: list[float] = field(default_factory=list)  # from the lock to commit/rollback


def _clock_the_writer_lock(engine: Any, result: CounterResult) -> None:
    """Time each write transaction's wait for the one writer lock (db/engine.py's
    `begin` listener takes it: BEGIN IMMEDIATE, or the server's advisory lock) and how
    long it then holds it, until its commit or rollback."""
    from sqlalchemy import event

    def asked(connection: Any) -> None:
        connection.info["bench_asked"] = time.perf_counter()

    def got(connection: Any) -> None:
        if connection.get_execution_options().get("writer", False):
            now = time.perf_counter()
            result.lock_wait_ms.append((now - connection.info.pop("bench_asked")) * 1000)
            connection.info["bench_got"] = now

    def released(connection: Any) -> None:
        got_at = connection.info.pop("bench_got", None)
        if got_at is not None:
            result.lock_held_ms.append((time.perf_counter() - got_at) * 1000)

    event.listen(engine, "engine_connect", asked)  # a session's connection, before its BEGIN
    event.listen(engine, "begin", got)  # after db/engine.py's own listener took the lock
    event.listen(engine, "commit", released)
    event.listen(engine, "rollback", released)


_REFUSALS = {
    "已经结清": "bill already paid at another counter (…已经结清（可能刚由其他收费窗口收取）)",
    "超过尚欠": "amount more than still owed (…超过尚欠的 … 元)",
    "正被另一台电脑占用": "database busy (数据库正被另一台电脑占用…)",
}


def _refusal_kind(exc: Exception) -> str:
    message = str(exc)
    for needle, kind in _REFUSALS.items():
        if needle in message:
            return f"{type(exc).__name__}: {kind}"
    return f"{type(exc).__name__}: {re.sub(r'[0-9]+', '#', message)}"


def _chinese(message: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in message)


def _counter(
    where: str,
    username: str,
    rooms: list[int],
    taken: Any,  # multiprocessing Array('i', 2): the next room's index, who took the last
    me: int,
    start: Any,  # multiprocessing Barrier: all counters signed in
    seconds: float,
    results: Any,  # multiprocessing Queue
) -> None:
    """One counter: signed in as its cashier, it opens a room's bills, pays them all
    in cash, prints the receipt and keeps it in the register, until `seconds` are up."""
    from frontdesk import printouts
    from frontdesk.domain.fees import PayMethod
    from frontdesk.domain.issued import Output
    from frontdesk.errors import FrontDeskError
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.fees import payments
    from frontdesk.services.fees.payments import PaymentRequest, TenderInput
    from frontdesk.services.notices import register as issued_documents

    result = CounterResult()
    rng = random.Random(me)
    try:
        db = open_at(where)
        actor = users.login(db, username, PASSWORD)
        payments.counter_view(db, actor, rooms[me])  # warm: connection, mappers
        _clock_the_writer_lock(db.engine, result)
    except Exception:
        start.abort()  # the others are not kept waiting for a counter that never opened
        result.failures.append(traceback.format_exc())
        results.put(result)
        return
    start.wait()
    cpu = time.process_time()
    ends = time.perf_counter() + seconds
    while time.perf_counter() < ends:
        with taken.get_lock():
            index, last = taken[0], taken[1]
            if index and last != me and rng.random() < COMPETE:
                index -= 1  # the room the counter beside has just opened
            else:
                taken[0], taken[1] = index + 1, me
        room_id = rooms[index % len(rooms)]
        started = time.perf_counter()
        try:
            view = payments.counter_view(db, actor, room_id)
            if not view.open_bills:
                result.settled_when_opened += 1
                continue
            due = sum(b.outstanding_fen for b in view.open_bills)
            request = PaymentRequest(
                room_id,
                tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
                (TenderInput(PayMethod.CASH, due, -(-due // 10000) * 10000),),
            )
            posting = time.perf_counter()
            posted = payments.post_payment(db, actor, request)
            result.post_ms.append((time.perf_counter() - posting) * 1000)
            result.posted += 1
            printout = printouts.receipt(db, actor, posted.receipt_no)
            issued_documents.record(db, actor, printout, Output.PRINTED)
            result.whole_ms.append((time.perf_counter() - started) * 1000)
        except FrontDeskError as exc:
            if _chinese(str(exc)):
                result.refusals[_refusal_kind(exc)] += 1
            else:
                result.failures.append(f"refusal not in Chinese: {traceback.format_exc()}")
        except Exception:
            result.failures.append(traceback.format_exc())
    result.cpu_s = time.process_time() - cpu
    db.dispose()
    results.put(result)


def _cashiers(where: str, count: int) -> list[str]:
    """`count` cashier accounts on the copy, made by its administrator."""
    from frontdesk.domain.roles import Role
    from frontdesk.services import users
    from frontdesk.services.database import open_at

    db = open_at(where)
    admin = users.login(db, "admin", PASSWORD)
    names = [f"counter{n}" for n in range(1, count + 1)]
    for n, name in enumerate(names, 1):
        users.create_user(db, admin, users.NewUser(name, f"收费窗口{n}", Role.CASHIER, PASSWORD))
    db.dispose()
    return names


@dataclass
class Snapshot:
    payments: int
    receipts: int


def _snapshot(where: str) -> Snapshot:
    from frontdesk.services.database import open_at

    db = open_at(where)
    with db.read() as session:
        found = Snapshot(
            int(session.execute(text("SELECT count(*) FROM payment")).scalar_one()),
            int(session.execute(text("SELECT count(*) FROM receipt")).scalar_one()),
        )
    db.dispose()
    return found


def _open_rooms(where: str) -> list[int]:
    from frontdesk.services.database import open_at

    db = open_at(where)
    with db.read() as session:
        rooms = sorted(
            session.execute(
                text("SELECT DISTINCT room_id FROM bill_open WHERE open_fen > 0")
            ).scalars()
        )
    db.dispose()
    random.Random(11).shuffle(rooms)
    return rooms


def _verify(where: str, before: Snapshot, posted: int) -> list[str]:
    """The database after the run, as its own lines: numbers, bills, `frontdesk check`."""
    from frontdesk.services.database import open_at
    from frontdesk.services.protection.money_checks import money_problems

    db = open_at(where)
    lines = []
    with db.read() as session:
        duplicates = session.execute(
            text(
                "SELECT count(*) FROM (SELECT series, number FROM receipt "
                "GROUP BY series, number HAVING count(*) > 1) d"
            )
        ).scalar_one()
        lines.append(f"duplicate receipt numbers: {duplicates}")
        for series, count, low, high, following in session.execute(
            text(
                "SELECT r.series, count(*), min(r.number), max(r.number), s.next_number "
                "FROM receipt r JOIN receipt_series s ON s.code = r.series "
                "GROUP BY r.series, s.next_number ORDER BY r.series"
            )
        ):
            gap_free = low == 1 and high == count and following == high + 1
            lines.append(
                f"series {series}: {count:,} receipts, numbers {low}..{high}, next {following}: "
                f"{'gap-free' if gap_free else 'GAPS OR DUPLICATES'}"
            )
        overpaid = session.execute(
            text(
                "SELECT count(*) FROM bill b "
                "JOIN (SELECT bill_id, sum(amount_fen) AS paid FROM allocation "
                "      GROUP BY bill_id) a ON a.bill_id = b.id "
                "LEFT JOIN (SELECT bill_id, sum(amount_fen) AS reduced FROM reduction "
                "           GROUP BY bill_id) r ON r.bill_id = b.id "
                "WHERE a.paid + coalesce(r.reduced, 0) > b.due_fen"
            )
        ).scalar_one()
        lines.append(f"bills paid more than their amount: {overpaid}")
        new_payments = int(session.execute(text("SELECT count(*) FROM payment")).scalar_one())
        new_receipts = int(session.execute(text("SELECT count(*) FROM receipt")).scalar_one())
        lines.append(
            f"payments on file: +{new_payments - before.payments:,} "
            f"(counters reported {posted:,}), receipts +{new_receipts - before.receipts:,}"
        )
    started = time.perf_counter()
    checks = money_problems(db)
    failed = [(problems, passed) for problems, passed in checks if problems]
    lines.append(
        f"frontdesk check's money checks: {len(checks) - len(failed)} of {len(checks)} pass "
        f"({time.perf_counter() - started:.1f} s)"
    )
    for problems, passed in failed:
        lines.append(f"  FAILED {passed}: {len(problems)} problems, e.g. {problems[0]}")
    db.dispose()
    return lines


def _ms(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def counters_on(where: str, on: str, counters: int, seconds: float) -> list[str]:
    """`counters` processes posting payments on the database at `where` for `seconds`."""
    names = _cashiers(where, counters)
    rooms = _open_rooms(where)
    before = _snapshot(where)
    context = multiprocessing.get_context("spawn")
    taken = context.Array("i", [0, -1])
    start = context.Barrier(counters + 1)
    results = context.Queue()
    processes = [
        context.Process(
            target=_counter,
            args=(where, name, rooms, taken, me, start, seconds, results),
            name=name,
        )
        for me, name in enumerate(names)
    ]
    for process in processes:
        process.start()
    start.wait(timeout=300)
    began = time.perf_counter()
    done: list[CounterResult] = [results.get(timeout=seconds + 300) for _ in processes]
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    posted = sum(r.posted for r in done)
    post_ms = [t for r in done for t in r.post_ms]
    whole_ms = [t for r in done for t in r.whole_ms]
    refusals: Counter[str] = sum((r.refusals for r in done), Counter())
    failures = [f for r in done for f in r.failures]
    held = [t for r in done for t in r.lock_held_ms] or [0.0]
    waits = [t for r in done for t in r.lock_wait_ms] or [0.0]
    lines = [
        f"{counters} counters at once for {seconds:g} s{on}: {posted:,} payments, "
        f"{posted / elapsed:.1f} per second in total "
        f"({', '.join(str(r.posted) for r in done)} by counter)",
        f"  post_payment alone: p50 {statistics.median(post_ms):.1f} ms, "
        f"p95 {_ms(post_ms, 0.95):.1f} ms, max {max(post_ms):.1f} ms",
        f"  open bills + post + receipt PDF kept: p50 {statistics.median(whole_ms):.1f} ms, "
        f"p95 {_ms(whole_ms, 0.95):.1f} ms, max {max(whole_ms):.1f} ms",
        f"  CPU of the counters: {sum(r.cpu_s for r in done):.1f} s in {elapsed:.1f} s "
        f"({sum(r.cpu_s for r in done) / max(posted, 1) * 1000:.0f} ms per payment)",
        f"  the writer lock: {len(held):,} write transactions held it {sum(held) / 1000:.1f} s "
        f"of {elapsed:.1f} s ({sum(held) / 10 / elapsed:.0f}%), each p50 "
        f"{statistics.median(held):.1f} ms, p95 {_ms(held, 0.95):.1f} ms; waits for it p50 "
        f"{statistics.median(waits):.1f} ms, p95 {_ms(waits, 0.95):.1f} ms",
        f"  rooms found settled when opened (paid by the counter beside a moment before): "
        f"{sum(r.settled_when_opened for r in done)}",
        f"  refusals: {sum(refusals.values())}"
        + "".join(f"\n    {count:>5} {kind}" for kind, count in refusals.most_common()),
        f"  failures (tracebacks, refusals not in Chinese): {len(failures)}",
    ]
    lines += [f"    {f}" for f in failures[:5]]
    lines += [f"  {line}" for line in _verify(where, before, posted)]
    return lines


def bench_counters(seconds: float = 60, counters: int = 8) -> None:
    """Eight counters on a copy of the server's demo, then on a copy of the file."""
    with demo_server_copy() as where:
        for line in counters_on(where, ON_PG, counters, seconds):
            print(line, flush=True)
    with tempfile.TemporaryDirectory() as folder:
        path = run._copy_of_demo(folder)
        for line in counters_on(str(path), ON_FILE, counters, seconds):
            print(line, flush=True)


BENCHMARKS = {"pg": bench_side_by_side, "pg-move": bench_move, "counters": bench_counters}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"of {', '.join(BENCHMARKS)} (all)")
    parser.add_argument("--seconds", type=float, default=60, help="the counters' run")
    parser.add_argument("--counters", type=int, default=8, help="how many counters")
    args = parser.parse_args()
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"no benchmark {', '.join(sorted(unknown))}")
    for name in args.names or BENCHMARKS:
        if name == "counters":
            bench_counters(args.seconds, args.counters)
        else:
            BENCHMARKS[name]()


if __name__ == "__main__":
    main()
