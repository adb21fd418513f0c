"""Child process of the crash and two-counter tests: runs one real operation on a
database (a file's path, or a server database's URL) and can die (os._exit) before the
N-th SQL statement it executes.

Run as a script (`python crash_child.py COMMAND JSON|@FILE`), never imported by the app:

- `run`: one operation; with `kill_at` the process exits with code 9 just before
  statement number `kill_at` (on a file counted by sqlite3's trace callback, so BEGIN
  and COMMIT count too; on a server every statement SQLAlchemy sends and every COMMIT,
  the process dying with its transaction open, as a PC does when it loses power);
  with `count` it reports how many statements the operation ran and the database's
  fingerprint after each commit; with `wait_go` it prints
  `ready`, waits for a line on stdin and only then starts, printing a line `.` as it
  begins each statement (the parent SIGKILLs it after a number of them).
- `batch`: many `run` jobs, each in a forked copy of this process (no interpreter
  start-up per job), a few at a time; prints one JSON line per finished job.
- `counter`: one cashier posting many payments, for the two-counter test: it prints
  `ready` once the database is open and starts at a line on stdin.
- `busy`: post while another process holds the write lock; report what was raised.

The test module imports `fingerprint` and the constants from here too.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, create_engine, event, text
from sqlalchemy.orm import Session

import frontdesk.db.models  # noqa: F401  (fills the metadata fingerprint() walks)
from frontdesk.db import server
from frontdesk.db.base import Base
from frontdesk.domain.location import ServerLocation, parse_location
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services.fees.billing import AUTO_DRAW_CASHIER

KILLED = 9
BACKUP_STEP_PAGES = 8
_sqlite_connect = sqlite3.connect  # untraced: fingerprint() must not count or die
ENCRYPTED_PREFIX = "e1:"  # frontdesk.db.protection.PREFIX
# Columns that differ between two runs of the same operation: clock time, the hash
# chain over it, audit change lists that quote timestamps and summaries that name
# files (a restore names the backup it kept aside, stamped with the time).
_AUDIT_VOLATILE = {"at", "hash", "prev_hash", "changes", "summary"}
# The head counter keeps the newest hash and a signature over it (the count stays).
_HEAD_VOLATILE = {"head_hash", "mac"}


# fingerprint ---------------------------------------------------------------------


def _raw_connection(where: str | Path) -> Any:
    """A DB-API connection no tracer counts: sqlite3's untraced connect, or psycopg
    itself (not SQLAlchemy, whose events count a server's statements)."""
    location = parse_location(str(where))
    if not isinstance(location, ServerLocation):
        return _sqlite_connect(str(location.path), timeout=60, isolation_level=None)
    import psycopg

    url = server.sqlalchemy_url(location, None).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def fingerprint(where: str | Path) -> dict[str, list[Any]]:
    """Per table: row count and a digest of every row, clock-time columns left out.

    Two runs of one operation on copies of one database give equal fingerprints."""
    connection = _raw_connection(where)
    try:
        found: dict[str, list[Any]] = {}
        for table in Base.metadata.sorted_tables:
            columns = [
                column.name
                for column in table.columns
                if not _is_clock(column.type)
                and not (table.name == "audit_log" and column.name in _AUDIT_VOLATILE)
                and not (table.name == "audit_head" and column.name in _HEAD_VOLATILE)
            ]
            names = ", ".join(f'"{c}"' for c in columns)
            cursor = connection.execute(f'SELECT {names} FROM "{table.name}"')
            rows = [tuple(map(_stable, row)) for row in cursor.fetchall()]
            digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
            found[table.name] = [len(rows), digest[:16]]
        return found
    finally:
        connection.close()


def _stable(value: Any) -> Any:
    """An encrypted ID number without its random nonce: `e1:<lookup>:<sealed>` -> lookup."""
    if isinstance(value, str) and value.startswith(ENCRYPTED_PREFIX):
        return value.rsplit(":", 1)[0]
    return value


def _is_clock(column_type: Any) -> bool:
    return isinstance(column_type, DateTime) or isinstance(
        getattr(column_type, "impl", None), DateTime
    )


def check_books(connection: Connection) -> None:
    """Receipt series gap-free, no bill overpaid, every payment with its one receipt
    (a billing run's draw from 预存 has none: the money was receipted when deposited).
    SQL both engines run, on a connection to a file or a server database."""
    series = connection.execute(text("SELECT code, next_number FROM receipt_series")).all()
    for code, next_number in series:
        numbers = list(
            connection.scalars(
                text("SELECT number FROM receipt WHERE series = :code ORDER BY number"),
                {"code": code},
            )
        )
        assert numbers == list(range(1, next_number)), f"series {code}: {numbers}, {next_number}"
    overpaid = connection.execute(
        text(
            """SELECT b.id FROM bill b
           LEFT JOIN (SELECT bill_id, SUM(amount_fen) AS fen FROM allocation GROUP BY bill_id) a
             ON a.bill_id = b.id
           LEFT JOIN (SELECT bill_id, SUM(amount_fen) AS fen FROM reduction GROUP BY bill_id) r
             ON r.bill_id = b.id
           WHERE COALESCE(a.fen, 0) + COALESCE(r.fen, 0) > b.due_fen
              OR COALESCE(a.fen, 0) < 0 OR COALESCE(r.fen, 0) < 0"""
        )
    ).all()
    assert overpaid == []
    unreceipted = connection.execute(
        text(
            """SELECT p.id FROM payment p WHERE (SELECT COUNT(*) FROM receipt r
           WHERE r.payment_id = p.id) != (CASE p.cashier_name WHEN :auto THEN 0 ELSE 1 END)
           OR p.total_fen != (SELECT SUM(amount_fen) FROM tender t WHERE t.payment_id = p.id)
           UNION ALL SELECT f.id FROM refund f WHERE (SELECT COUNT(*) FROM receipt r
           WHERE r.refund_id = f.id) != 1"""
        ),
        {"auto": AUTO_DRAW_CASHIER},
    ).all()
    assert unreceipted == []
    negative = connection.execute(
        text("SELECT room_id FROM prepaid_entry GROUP BY room_id HAVING SUM(amount_fen) < 0")
    ).all()
    assert negative == []


def books_checked(where: str) -> int:
    """`check_books` on the database at a path or URL; the receipts it holds."""
    engine = create_engine(engine_url(where))
    try:
        with engine.connect() as connection:
            check_books(connection)
            return int(connection.scalar(text("SELECT COUNT(*) FROM receipt")) or 0)
    finally:
        engine.dispose()


def engine_url(where: str) -> str:
    """A SQLAlchemy URL for a database file's path or a server database's URL."""
    location = parse_location(where)
    if isinstance(location, ServerLocation):
        return server.sqlalchemy_url(location, None).render_as_string(hide_password=False)
    return f"sqlite:///{location.path}"


# statement counting --------------------------------------------------------------


class Tracer:
    """Counts, once armed, the SQL statements of every sqlite3 connection the process
    opens from now on (SQLAlchemy's pool and the raw ones of restore alike), or on a
    server every statement and COMMIT SQLAlchemy sends (the COMMIT counted before it
    is sent: dying there leaves the transaction open, and the server rolls it back)."""

    def __init__(self, kill_at: int | None, *, progress: bool = False, server: bool) -> None:
        self.kill_at = kill_at
        self.progress = progress  # a line on stdout as each statement begins
        self.armed = False
        self.count = 0
        self.commits: list[int] = []  # statement numbers of the COMMITs
        if server:
            event.listen(Engine, "before_cursor_execute", self._before_execute)
            event.listen(Engine, "commit", lambda _connection: self._trace("COMMIT"))
            return
        # SQLAlchemy connects through sqlite3.dbapi2, restore through sqlite3 itself.
        sqlite3.connect = sqlite3.dbapi2.connect = self._connect  # type: ignore[assignment]

    def _before_execute(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self._trace(statement)

    def _connect(self, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        tracer = self

        class Traced(kwargs.pop("factory", sqlite3.Connection)):  # type: ignore[misc]
            def backup(self, target: sqlite3.Connection, **options: Any) -> None:
                """An online copy (backup, restore) in small steps, each a kill point:
                dying between them is dying part-way through SQLite's one big step."""
                options.update(pages=BACKUP_STEP_PAGES, progress=tracer._step)
                super().backup(target, **options)

        connection = _sqlite_connect(*args, factory=Traced, **kwargs)
        connection.set_trace_callback(self._trace)
        return connection

    def _step(self, _status: int, remaining: int, total: int) -> None:
        self._trace(f"-- backup step, {remaining} of {total} pages left")

    def _trace(self, statement: str) -> None:
        if not self.armed:
            return
        self.count += 1
        if self.count == self.kill_at:
            os._exit(KILLED)  # the crash: nothing is flushed, nothing is rolled back
        if self.progress:
            print(".", flush=True)
        if statement.strip().upper().startswith("COMMIT"):
            self.commits.append(self.count)


# operations ----------------------------------------------------------------------


def unlock(db: Any, ctx: dict[str, Any]) -> None:
    """Hand the database its ID-number key directly: a child has no keyring, and the
    passphrase's scrypt would cost a tenth of a second per run."""
    if ctx.get("data_key"):
        from frontdesk.db.protection import IdCipher

        db.cipher = IdCipher(bytes.fromhex(ctx["data_key"]))


def _actor(data: dict[str, Any]) -> Actor:
    return Actor(data["user_id"], data["username"], data["display_name"], Role(data["role"]))


def op_payment(db: Any, ctx: dict[str, Any]) -> None:
    """Everything the occupied room owes, a month ahead and some 预存, in cash with change."""
    from frontdesk.domain.fees import PayMethod
    from frontdesk.services.fees import payments
    from frontdesk.services.fees.payments import PaymentRequest, TenderInput

    cashier, today = _actor(ctx["cashier"]), date.fromisoformat(ctx["today"])
    room = ctx["occupied"]
    view = payments.counter_view(db, cashier, room, today)
    ahead = payments.advance_quote(db, cashier, room, 1, today)
    allocations = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    ahead_fen = sum(line.due_fen for line in ahead)
    total = sum(a for _, a in allocations) + ahead_fen + 10000
    request = PaymentRequest(
        room,
        allocations,
        (TenderInput(PayMethod.CASH, total, total + 5000),),
        advance_months=1,
        advance_total_fen=ahead_fen,
        prepaid_fen=10000,
        payer="张三",
    )
    payments.post_payment(db, cashier, request, today)


def op_void(db: Any, ctx: dict[str, Any]) -> None:
    from frontdesk.services.fees import voids

    cashier, today = _actor(ctx["cashier"]), date.fromisoformat(ctx["today"])
    voids.void_receipt(db, cashier, ctx["void_no"], "收错房号", today)


def op_billing(db: Any, ctx: dict[str, Any]) -> None:
    from frontdesk.services.fees import billing

    admin, today = _actor(ctx["admin"]), date.fromisoformat(ctx["today"])
    billing.run_billing(db, admin, Period.parse(ctx["period"]), today=today)


def op_roster(db: Any, ctx: dict[str, Any]) -> None:
    from frontdesk.services.households import roster

    roster.import_roster(db, _actor(ctx["admin"]), Path(ctx["roster"]))


def op_refund(db: Any, ctx: dict[str, Any]) -> None:
    from frontdesk.domain.fees import PayMethod
    from frontdesk.services.fees import refunds

    admin, today = _actor(ctx["admin"]), date.fromisoformat(ctx["today"])
    request = refunds.RefundRequest(
        ctx["vacant"], PayMethod.CASH, "业主要求退回", "张三", amount_fen=20000
    )
    refunds.post_refund(db, admin, request, today)


def op_restore(path: Path, ctx: dict[str, Any]) -> None:
    """Restore an older backup over the file (which nobody has open). The restore opens
    the restored file's key to sign its entry: here from the context (see `unlock`), as
    the parent's keyring does when it finishes a restore this child was killed in."""
    from frontdesk.services.protection import data_key, restore

    def open_key(db: Any, _passphrase: str | None = None) -> data_key.KeyState:
        unlock(db, ctx)
        return data_key.KeyState.READY

    data_key.unlock = open_key  # type: ignore[assignment]
    restore.restore_backup(path, Path(ctx["backup"]), _actor(ctx["admin"]))


def op_backup(db: Any, ctx: dict[str, Any]) -> None:
    """A supervisor's 立即备份 into the backups folder beside the file."""
    from frontdesk.services.protection import backups

    backups.make_backup(db, _actor(ctx["admin"]), "manual")


# Operations on the closed file rather than on an open database.
PATH_OPERATIONS = {"restore": op_restore}
OPERATIONS = {
    "payment": op_payment,
    "void": op_void,
    "billing": op_billing,
    "roster": op_roster,
    "refund": op_refund,
}
# Operations that change no books: they may die anywhere, leaving no trace behind.
COPY_OPERATIONS = {"backup": op_backup}


def on_server(where: str | Path) -> bool:
    return isinstance(parse_location(str(where)), ServerLocation)


def _prepare(job: dict[str, Any]) -> tuple[Callable[[], None], Callable[[], None]]:
    """The job's operation, ready to call, and what to close after it."""
    where, ctx, name = job["db"], job["ctx"], job["op"]
    if name in PATH_OPERATIONS:
        return (lambda: PATH_OPERATIONS[name](Path(where), ctx)), (lambda: None)
    from frontdesk.services.database import open_at

    db = open_at(where)  # a file's path or a server database's URL
    unlock(db, ctx)
    operation = {**OPERATIONS, **COPY_OPERATIONS}[name]
    return (lambda: operation(db, ctx)), db.dispose


def run(job: dict[str, Any]) -> dict[str, Any]:
    """One operation on `job["db"]`; returns what a counting run reports."""
    tracer = Tracer(
        job.get("kill_at"), progress=bool(job.get("wait_go")), server=on_server(job["db"])
    )
    snapshots: list[dict[str, list[Any]]] = []
    if job.get("count"):
        event.listen(Session, "after_commit", lambda _s: snapshots.append(fingerprint(job["db"])))
    operation, close = _prepare(job)
    if job.get("wait_go"):
        print("ready", flush=True)
        sys.stdin.readline()
    tracer.armed = True
    operation()
    tracer.armed = False
    close()
    return {"statements": tracer.count, "commits": tracer.commits, "snapshots": snapshots}


def warm_up(job: dict[str, Any]) -> None:
    """Run the operation once here, untraced, on a scratch copy: every fork then starts
    with the imports done, the mappers configured and the statements compiled."""
    operation, close = _prepare(job)
    operation()
    close()


def batch(jobs: list[dict[str, Any]], parallel: int, scratch: str | None) -> None:
    """Each job in a forked child; one JSON line per job: its index and exit code."""
    if scratch is not None:
        warm_up(dict(jobs[0], db=scratch))
    running: dict[int, int] = {}

    def reap() -> None:
        pid, status = os.wait()
        index = running.pop(pid)
        print(json.dumps({"job": index, "exit": os.waitstatus_to_exitcode(status)}), flush=True)

    for index, job in enumerate(jobs):
        while len(running) >= parallel:
            reap()
        pid = os.fork()
        if pid == 0:  # the child: run, then leave without running the parent's exit code
            code = 0
            try:
                run(job)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        running[pid] = index
    while running:
        reap()


# two counters --------------------------------------------------------------------


def counter(args: dict[str, Any]) -> dict[str, Any]:
    """Post one payment per bill in `bills` (bill_id, room_id, fen), as fast as possible,
    once the parent says go. Every outcome is recorded, never raised."""
    from frontdesk.domain.fees import PayMethod
    from frontdesk.errors import DatabaseBusy, UserError
    from frontdesk.services.database import open_at
    from frontdesk.services.fees import payments
    from frontdesk.services.fees.payments import PaymentRequest, TenderInput

    cashier, today = _actor(args["cashier"]), date.fromisoformat(args["today"])
    db = open_at(args["db"])  # a file's path or a server database's URL
    print("ready", flush=True)
    sys.stdin.readline()  # the parent starts every counter at once
    outcomes: list[dict[str, Any]] = []
    busy = 0
    for bill_id, room_id, fen in args["bills"]:
        request = PaymentRequest(
            room_id, ((bill_id, fen),), (TenderInput(PayMethod.CASH, fen),), payer="并发测试"
        )
        while True:
            try:
                posted = payments.post_payment(db, cashier, request, today)
            except DatabaseBusy:
                busy += 1  # a message the cashier reads, then presses 收款 again
                continue
            except UserError as exc:
                outcomes.append({"bill": bill_id, "error": type(exc).__name__, "msg": exc.message})
            except Exception as exc:
                outcomes.append(
                    {"bill": bill_id, "crash": repr(exc), "trace": traceback.format_exc()}
                )
            else:
                outcomes.append({"bill": bill_id, "receipt": posted.receipt_no})
            break
    db.dispose()
    return {"outcomes": outcomes, "busy": busy}


def busy(args: dict[str, Any]) -> dict[str, Any]:
    """With a short busy timeout: read, then try to post, while the parent holds the
    write lock; report what the reads saw, the error raised and how long the write
    waited (at least the busy timeout: a lower bound no slow machine can break)."""
    import frontdesk.db.engine as engine
    from frontdesk.domain.fees import PayMethod
    from frontdesk.services.database import open_at
    from frontdesk.services.fees import journal, payments
    from frontdesk.services.fees.payments import PaymentRequest, TenderInput

    engine.BUSY_TIMEOUT_MS = args["timeout_ms"]  # both the connect pragma and the driver's
    cashier, today = _actor(args["cashier"]), date.fromisoformat(args["today"])
    db = open_at(args["db"])  # a file's path or a server database's URL
    print("ready", flush=True)
    sys.stdin.readline()  # the parent now holds BEGIN IMMEDIATE with a change pending
    report: dict[str, Any] = {}
    view = payments.counter_view(db, cashier, args["room"], today)
    report["journal"] = len(journal.receipt_journal(db, cashier, day=today))
    bill = view.open_bills[0]
    request = PaymentRequest(
        args["room"],
        ((bill.bill_id, bill.outstanding_fen),),
        (TenderInput(PayMethod.CASH, bill.outstanding_fen),),
    )
    started = time.perf_counter()
    try:
        payments.post_payment(db, cashier, request, today)
    except Exception as exc:
        report["error"] = type(exc).__name__
        report["module"] = type(exc).__module__
        report["msg"] = str(exc)
    report["write_seconds"] = time.perf_counter() - started
    print(json.dumps(report), flush=True)
    sys.stdin.readline()  # the parent released the lock: the same posting goes through
    report["retry"] = payments.post_payment(db, cashier, request, today).receipt_no
    db.dispose()
    return report


def main() -> None:
    command, argument = sys.argv[1], sys.argv[2]
    if argument.startswith("@"):  # a long job list travels in a file, not on argv
        argument = Path(argument[1:]).read_text(encoding="utf-8")
    payload = json.loads(argument)
    if command == "batch":
        batch(payload["jobs"], payload.get("parallel", 2), payload.get("scratch"))
        return
    result = {"run": run, "counter": counter, "busy": busy}[command](payload)
    out = payload.get("out")
    if out:
        Path(out).write_text(json.dumps(result), encoding="utf-8")
    else:
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
