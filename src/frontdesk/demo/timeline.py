"""The demo's timeline: its steps of the past run at their own time (`happened_at`,
`posting_at`), the bulk-loaded receipts are numbered in date order around the receipts
the services posted (`final_receipt_numbers`), and every past day is closed by its
cashier (`close_demo_days`)."""

from __future__ import annotations

import json
import time as monotonic_time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from frontdesk.db.bulk_audit import bulk_sealed
from frontdesk.db.engine import Database
from frontdesk.db.models import CashClose, ReceiptSeries
from frontdesk.db.phone_index import SEARCHED, reindex
from frontdesk.db.protection import (
    EncryptedIdNumber,
    EncryptedPhone,
    KeyUnavailable,
    current_phone_cipher,
)
from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import SYSTEM
from frontdesk.services.fees.items import RECEIPT_SERIES, REFUND_SERIES

Row = dict[str, Any]
# The demo's year: this month and the eleven before it. Bills, work orders, visits and
# the butlers' contacts all run over it, so each month's figures have a year to trend.
YEAR_MONTHS = 12


def year_periods(today: date) -> list[Period]:
    """The demo's year, oldest month first, ending with `today`'s month."""
    return [Period.of(today).shifted(-back) for back in range(YEAR_MONTHS - 1, -1, -1)]


# 春节 (the first day of the lunar year): most communities ban decoration works over
# the festival, so the demo starts no renovation in its month.
SPRING_FESTIVAL = {
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}


def festival_month(year: int) -> Period:
    """The month of `year`'s 春节 (February beyond the table's years)."""
    day = SPRING_FESTIVAL.get(year, date(year, 2, 1))
    return Period.of(day)


def in_festival_month(day: date) -> bool:
    return Period.of(day) == festival_month(day.year)


def after_festival(day: date) -> date:
    """`day`, or the first of the next month when it falls in the 春节 month."""
    month = Period.of(day)
    return month.shifted(1).first_day if month == festival_month(day.year) else day


def year_progress(day: date, today: date) -> float:
    """How far into the demo's year `day`'s month is: 0 for its first, 1 for this month."""
    months = (today.year - day.year) * 12 + today.month - day.month
    return min(max(1 - months / (YEAR_MONTHS - 1), 0.0), 1.0)


@contextmanager
def happened_at(at: datetime) -> Iterator[None]:
    """Run the services as if it were `at`: a demo step of the past (an approval, a
    payment, a refund) keeps the time it happened, on its records and receipts. The
    clock goes back to where it was (set or not) afterwards."""
    was_set, before, started = clock.is_set(), clock.now(), monotonic_time.monotonic()
    clock.freeze(at)
    try:
        yield
    finally:
        elapsed = timedelta(seconds=monotonic_time.monotonic() - started)
        clock.freeze(before + elapsed if was_set else None)


# A step of the demo's paper story: when it happens, and what it does (returns how
# many documents it sent).
Event = tuple[datetime, Callable[[], int]]


def run_in_time_order(events: list[Event]) -> int:
    """Run the steps oldest first, the clock set to each one's time (the register
    numbers what is issued in the order it is issued, so its numbers run with the
    dates); returns the documents sent."""
    sent, done = 0, None
    for at, step in sorted(events, key=itemgetter(0)):
        # Steps set for the same time follow one another.
        start = at if done is None else max(at, done + timedelta(seconds=1))
        with happened_at(start):
            sent += step()
            done = clock.now()
    return sent


def on_day(day: date, hour: int, minute: int = 0) -> datetime:
    """`day` at the hour, local time."""
    return datetime.combine(day, time(hour, minute)).astimezone()


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at).astimezone().astimezone(UTC)


# The bulk receipts' numbers until the demo's postings through the services are in:
# those take their places in the series by time (`receipt_slot`), and the bulk
# receipts the numbers around them (`final_receipt_numbers`).
PROVISIONAL = 500_000_000


def _sql_value(value: Any) -> Any:
    """What SQLAlchemy would store: naive-UTC datetimes and ISO dates as text."""
    if isinstance(value, datetime):  # as "%Y-%m-%d %H:%M:%S.%f", without strftime's cost
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat("microseconds")
    return value


def _needs_conversion(rows: list[Row], column: str) -> bool:
    first = next((row[column] for row in rows if row[column] is not None), None)
    return isinstance(first, date | time)  # datetime is a date too


def bulk_insert(
    session: Session, model: type, rows: list[Row]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Demo rows straight to SQLite: the ORM's bulk insert takes half the demo's time.
    Returns the columns and the values as bound (money rows are sealed from them).

    ID numbers and phones go in sealed, through their columns' types (the key is open:
    no clear number ever reaches the file), and searchable phones get their look-ups."""
    if not rows:
        return [], []
    table = model.__table__  # type: ignore[attr-defined]
    sealed = {
        name: table.c[name].type
        for name in rows[0]
        if isinstance(table.c[name].type, EncryptedIdNumber | EncryptedPhone)
    }
    cipher = current_phone_cipher()
    if sealed and cipher is None:
        raise KeyUnavailable()
    entity = next((e for e, (m, _) in SEARCHED.items() if m is model), None)
    plain = rows
    if entity is not None and "id" not in rows[0]:
        first = session.connection().exec_driver_sql(f"SELECT max(id) FROM {table.name}")
        start = int(first.scalar() or 0) + 1
        plain = [{"id": row_id, **row} for row_id, row in enumerate(rows, start)]
    if sealed:
        dialect = session.connection().dialect
        rows = [
            {**row, **{c: kind.process_bind_param(row[c], dialect) for c, kind in sealed.items()}}
            for row in plain
        ]
    else:
        rows = plain
    columns = list(rows[0])
    dated = {c for c in columns if _needs_conversion(rows, c)}
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
    # The values of each row in column order by one C-level getter, and only the dated
    # columns converted: a generator per row was a quarter of the demo's time.
    pick = itemgetter(*columns)
    values = [pick(row) for row in rows] if len(columns) > 1 else [(pick(row),) for row in rows]
    if dated:
        at = [i for i, c in enumerate(columns) if c in dated]
        converted = []
        for row in values:
            cells = list(row)
            for i in at:
                cells[i] = _sql_value(cells[i])
            converted.append(tuple(cells))
        values = converted
    session.connection().exec_driver_sql(sql, values)
    if entity is not None and cipher is not None:
        phone = SEARCHED[entity][1]
        found = [(int(row["id"]), row[phone]) for row in plain if row.get(phone)]
        reindex(session.connection(), cipher, entity, found, fresh=True)
    return columns, values


@contextmanager
def posting_at(db: Database, at: datetime) -> Iterator[None]:
    """A payment or refund the demo posts through the services at a past `at`: its
    receipt takes the number after every receipt issued before then (the demo posts
    these in time order), and it is dated `at`."""
    with db.write(SYSTEM) as session:
        connection = session.connection()
        for series in (RECEIPT_SERIES, REFUND_SERIES):
            before = connection.exec_driver_sql(
                "SELECT count(*) FROM receipt WHERE series = ? AND (number < ? OR issued_at < ?)",
                (series, PROVISIONAL, _sql_value(at)),
            ).scalar_one()
            session.execute(
                update(ReceiptSeries)
                .where(ReceiptSeries.code == series)
                .values(next_number=int(before) + 1)
            )
    with happened_at(at):
        yield


def final_receipt_numbers(session: Session) -> None:
    """The bulk receipts take the numbers the demo's own postings left, in time order,
    so each series runs with the dates and has no gap. Done while the demo is being
    built, before anyone has seen a number (append-only again right after)."""
    connection = session.connection()
    [guard] = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'receipt_no_update'"
    ).one()
    connection.exec_driver_sql("DROP TRIGGER receipt_no_update")
    for series in (RECEIPT_SERIES, REFUND_SERIES):
        rows = connection.exec_driver_sql(
            "SELECT id, number FROM receipt WHERE series = ? ORDER BY issued_at, id", (series,)
        ).all()
        taken = {int(number) for _, number in rows if int(number) < PROVISIONAL}
        free = (n for n in range(1, len(rows) + 1) if n not in taken)
        renumbered = [(next(free), row_id) for row_id, number in rows if number >= PROVISIONAL]
        connection.exec_driver_sql("UPDATE receipt SET number = ? WHERE id = ?", renumbered)
        session.execute(
            update(ReceiptSeries)
            .where(ReceiptSeries.code == series)
            .values(next_number=len(rows) + 1)
        )
    connection.exec_driver_sql(guard)


def close_demo_days(session: Session, cashiers: list[tuple[int, str]], today: date) -> int:
    """Every cashier closed every past day they worked, the drawer matching: what the
    day took, less what was voided and refunded that day, by method (as 日结 does)."""
    net: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    refunded: dict[tuple[int, date], int] = defaultdict(int)
    queries = (  # (sign, is the refund line, the day's amounts by cashier and method)
        (
            1,
            False,
            "SELECT p.cashier_id, p.day, t.method, sum(t.amount_fen) FROM payment p "
            "JOIN tender t ON t.payment_id = p.id GROUP BY p.cashier_id, p.day, t.method",
        ),
        (
            -1,
            False,
            "SELECT v.by_id, v.day, t.method, sum(t.amount_fen) FROM receipt_void v "
            "JOIN receipt r ON r.id = v.receipt_id JOIN tender t ON t.payment_id = r.payment_id "
            "GROUP BY v.by_id, v.day, t.method",
        ),
        (
            -1,
            True,
            "SELECT cashier_id, day, method, sum(amount_fen) FROM refund "
            "GROUP BY cashier_id, day, method",
        ),
    )
    connection = session.connection()
    for sign, is_refund, sql in queries:
        for cashier_id, day_text, method, amount in connection.exec_driver_sql(sql):
            if cashier_id is None:  # the system's 预存抵扣: no drawer, nothing to close
                continue
            key = (int(cashier_id), date.fromisoformat(str(day_text)))
            net[key][str(method)] += sign * int(amount)
            if is_refund:
                refunded[key] += int(amount)
    names = dict(cashiers)
    closes = [
        {
            "cashier_id": cashier_id,
            "cashier_name": names[cashier_id],
            "day": day,
            "kind": "day",
            "closed_at": _local(day, time(18, 0)),
            "cash_expected_fen": methods.get(PayMethod.CASH.value, 0),
            "cash_counted_fen": methods.get(PayMethod.CASH.value, 0),
            "summary": json.dumps(
                {"by_method": dict(methods), "refunds_fen": refunded[(cashier_id, day)]},
                ensure_ascii=False,
            ),
            "note": "",
        }
        for (cashier_id, day), methods in sorted(net.items())
        if day < today
    ]
    if closes:
        with bulk_sealed(session, SYSTEM, ["cash_close"], "演示数据各收费员每天的日结"):
            session.execute(insert(CashClose), closes)
    return len(closes)
