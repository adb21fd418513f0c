"""The demo year's money as rows (demo/fees.py plans it): the ledger the bills,
payments, receipts, refunds and renovation histories are written into with their ids
assigned here, the counter's payment and void as rows, the receipt numbers in posting
order, and the insert of it all in bulk, the money rows sealed by one entry a table."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from frontdesk.db.bulk_audit import MONEY_TABLES, max_id, seal_values
from frontdesk.db.models import (
    Allocation,
    Bill,
    BillingRun,
    FeeItem,
    MeterReading,
    Payment,
    PrepaidEntry,
    Receipt,
    ReceiptSeries,
    ReceiptVoid,
    Refund,
    RefundDeduction,
    Reminder,
    Renovation,
    RenovationBill,
    RenovationEvent,
    RenovationInspection,
    Tender,
)
from frontdesk.db.who import by_columns
from frontdesk.demo.timeline import PROVISIONAL, bulk_insert
from frontdesk.domain.billing import BillDraft
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.roles import SYSTEM
from frontdesk.services.fees.billing import bill_values
from frontdesk.services.fees.items import (
    RECEIPT_SERIES,
    REFUND_SERIES,
    STANDARD_ITEMS,
    standard_unit,
)

Row = dict[str, Any]
COUNTER_METHODS = (
    PayMethod.CASH,
    PayMethod.WECHAT,
    PayMethod.WECHAT,
    PayMethod.ALIPAY,
    PayMethod.CARD,
    PayMethod.TRANSFER,
)


@dataclass
class Ledger:
    """Rows to insert, with ids assigned here so allocations can point at bills."""

    bills: list[Row] = field(default_factory=list)
    payments: list[Row] = field(default_factory=list)
    tenders: list[Row] = field(default_factory=list)
    allocations: list[Row] = field(default_factory=list)
    prepaid: list[Row] = field(default_factory=list)
    receipts: list[Row] = field(default_factory=list)
    voids: list[Row] = field(default_factory=list)
    refunds: list[Row] = field(default_factory=list)
    deductions: list[Row] = field(default_factory=list)
    readings: list[Row] = field(default_factory=list)
    reminders: list[Row] = field(default_factory=list)
    renovations: list[Row] = field(default_factory=list)
    renovation_events: list[Row] = field(default_factory=list)
    renovation_inspections: list[Row] = field(default_factory=list)
    renovation_bills: list[Row] = field(default_factory=list)  # "bill": the bill's row

    def add_bill(
        self, draft: BillDraft, created_at: datetime, run_id: int | None, by: str = "系统"
    ) -> Row:
        row = {
            "id": len(self.bills) + 1,
            **bill_values(draft, by_columns("created", SYSTEM, by), run_id, created_at),
        }
        self.bills.append(row)
        return row

    def bills_in_time_order(self) -> None:
        """Bill ids in the order the bills were created, as the database would give."""
        ordered = sorted(self.bills, key=lambda bill: (bill["created_at"], bill["id"]))
        new_id = {bill["id"]: index for index, bill in enumerate(ordered, 1)}
        for bill in ordered:
            bill["id"] = new_id[bill["id"]]
        self.bills = ordered
        for allocation in self.allocations:
            allocation["bill_id"] = new_id[allocation["bill_id"]]
        for refund in self.refunds:
            if refund["bill_id"] is not None:
                refund["bill_id"] = new_id[refund["bill_id"]]


@dataclass(frozen=True)
class Counter:
    cashiers: list[tuple[int, str]]
    today: date
    payers: dict[int, str]
    now: datetime  # no payment is posted after this
    manager: str  # who approves and inspects renovations


def at_the_counter(day: date, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)))
    return local.astimezone().astimezone(UTC)


def counter_payment(
    ledger: Ledger,
    rng: random.Random,
    room_id: int,
    bills: list[Row],
    counter: Counter,
    at: datetime,
    cashier: tuple[int, str],
    prepaid: int = 0,
) -> int:
    """Post a payment at `at` for bills that exist by then; 0 if there is nothing to pay."""
    total = sum(b["due_fen"] for b in bills) + prepaid
    if total <= 0:
        return 0
    cashier_id, cashier_name = cashier
    payment_id = len(ledger.payments) + 1
    ledger.payments.append(
        {
            "id": payment_id,
            "room_id": room_id,
            "posted_at": at,
            "day": at.astimezone().date(),
            "cashier_id": cashier_id,
            "cashier_name": cashier_name,
            "payer": counter.payers.get(room_id, ""),
            "total_fen": total,
            "note": "",
        }
    )
    method = rng.choice(COUNTER_METHODS)
    given = -(-total // 10_000) * 10_000 if method == PayMethod.CASH else total
    ledger.tenders.append(
        {
            "payment_id": payment_id,
            "method": method.value,
            "amount_fen": total,
            "tendered_fen": given,
            "change_fen": given - total,
            "reference": "",
        }
    )
    ledger.allocations += [
        {"payment_id": payment_id, "bill_id": b["id"], "amount_fen": b["due_fen"], "void_id": None}
        for b in bills
        if b["due_fen"]
    ]
    if prepaid:
        ledger.prepaid.append(
            {
                "room_id": room_id,
                "amount_fen": prepaid,
                "at": at,
                "payment_id": payment_id,
                "refund_id": None,
                "void_id": None,
                "note": "预存款",
            }
        )
    if rng.random() < 0.004:  # keyed to the wrong method: voided and taken again
        voided_at = void_payment(ledger, payment_id, bills)
        again = voided_at + timedelta(minutes=2)
        return counter_payment(ledger, rng, room_id, bills, counter, again, cashier, prepaid)
    return payment_id


def void_payment(ledger: Ledger, payment_id: int, bills: list[Row]) -> datetime:
    payment = ledger.payments[payment_id - 1]
    void_id = len(ledger.voids) + 1
    voided_at: datetime = payment["posted_at"] + timedelta(minutes=3)
    ledger.voids.append(
        {
            "id": void_id,
            "payment_id": payment_id,
            "voided_at": voided_at,
            "day": payment["day"],
            "by_id": payment["cashier_id"],
            "by_name": payment["cashier_name"],
            "reason": "收款方式选错，作废重开",
        }
    )
    ledger.allocations += [
        {
            "payment_id": payment_id,
            "bill_id": b["id"],
            "amount_fen": -b["due_fen"],
            "void_id": void_id,
        }
        for b in bills
        if b["due_fen"]
    ]
    ledger.prepaid += [
        dict(entry, amount_fen=-entry["amount_fen"], void_id=void_id, note="作废：预存款")
        for entry in list(ledger.prepaid)
        if entry["payment_id"] == payment_id
    ]
    return voided_at


def insert_runs(session: Session, ledger: Ledger, runs: list[Row]) -> None:
    """Each billing run with the bills it created (not those a 预交 created first)."""
    counts: dict[int, int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    for bill in ledger.bills:
        if bill["run_id"] is not None:
            counts[bill["run_id"]] += 1
            totals[bill["run_id"]] += bill["due_fen"]
    session.execute(
        insert(BillingRun),
        [dict(run, bills=counts[run["id"]], total_fen=totals[run["id"]]) for run in runs],
    )


def insert_fee_items(session: Session) -> dict[str, int]:
    rows: list[Row] = [
        {
            "id": index,
            "name": name,
            "category": category,
            "method": method.value,
            "collection": collection.value,
            "meter_kind": meter.value if meter else None,
            "unit": standard_unit(name, method, meter),
            "sort_key": index,
            "active": True,
        }
        for index, (name, category, method, collection, meter) in enumerate(STANDARD_ITEMS, 1)
    ]
    session.execute(insert(FeeItem), rows)
    return {row["name"]: row["id"] for row in rows}


def number_receipts(ledger: Ledger) -> None:
    """Receipt numbers in posting order, refunds in their own series (provisional)."""
    events = sorted(
        [(p["posted_at"], "p", p["id"], p["room_id"]) for p in ledger.payments]
        + [(r["refunded_at"], "r", r["id"], r["room_id"]) for r in ledger.refunds]
    )
    numbers = {RECEIPT_SERIES: 0, REFUND_SERIES: 0}
    for at, kind, row_id, room_id in events:
        series = RECEIPT_SERIES if kind == "p" else REFUND_SERIES
        numbers[series] += 1
        ledger.receipts.append(
            {
                "id": len(ledger.receipts) + 1,
                "series": series,
                "number": PROVISIONAL + numbers[series],
                "room_id": room_id,
                "payment_id": row_id if kind == "p" else None,
                "refund_id": row_id if kind == "r" else None,
                "issued_at": at,
                "form_number": None,
            }
        )
    receipt_of = {r["payment_id"]: r["id"] for r in ledger.receipts if r["payment_id"]}
    for void in ledger.voids:
        void["receipt_id"] = receipt_of[void.pop("payment_id")]


def insert_ledger(session: Session, ledger: Ledger) -> None:
    for model, rows in (
        (Bill, ledger.bills),
        (Payment, ledger.payments),
        (Tender, ledger.tenders),
        (Refund, ledger.refunds),
        (RefundDeduction, ledger.deductions),
        (Receipt, ledger.receipts),
        (ReceiptVoid, ledger.voids),
        (Allocation, ledger.allocations),
        (PrepaidEntry, ledger.prepaid),
        (MeterReading, ledger.readings),
        (Reminder, ledger.reminders),
        (Renovation, ledger.renovations),
        (RenovationEvent, ledger.renovation_events),
        (RenovationInspection, ledger.renovation_inspections),
    ):
        table = model.__tablename__
        before = max_id(session.connection(), table) if table in MONEY_TABLES else 0
        columns, values = bulk_insert(session, model, rows)
        if table in MONEY_TABLES:  # no entry per row: one sealing entry per table
            seal_values(
                session.connection(), SYSTEM, table, columns, values, "演示数据一年的收费", before
            )
    links = [
        {
            "room_id": link["room_id"],
            "renovation_id": link["renovation_id"],
            "bill_id": link["bill"]["id"],
            "purpose": link["purpose"],
            "worker_id": None,
        }
        for link in ledger.renovation_bills
    ]
    bulk_insert(session, RenovationBill, links)
    for series in (RECEIPT_SERIES, REFUND_SERIES):
        used = sum(1 for r in ledger.receipts if r["series"] == series)
        session.execute(
            update(ReceiptSeries).where(ReceiptSeries.code == series).values(next_number=used + 1)
        )
