"""A year of demo money: fee items and prices, twelve months of bills, payments with
gap-free receipts (most pay yearly or quarterly; the 收缴率 rises through the year as
the households behind at its start come back to paying, one building lagging), some
预存, a few voids and refunds, water readings, and every past day closed by its
cashier.

Rows are inserted in bulk, as a real year of counter work would have left them.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from frontdesk.db.bill_open import triggers_set_aside
from frontdesk.db.bulk_audit import MONEY_TABLES, max_id, seal_values
from frontdesk.db.models import (
    Allocation,
    Bill,
    BillingRun,
    FeeItem,
    MeterReading,
    Payment,
    PrepaidEntry,
    PricePlan,
    Receipt,
    ReceiptSeries,
    ReceiptVoid,
    ReductionRule,
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
from frontdesk.demo.movein import MOVE_IN_PREPAID_FEN, handed_in_a_wave, handover_visit
from frontdesk.demo.timeline import (
    PROVISIONAL,
    _local,
    after_festival,
    bulk_insert,
    festival_month,
    year_periods,
)
from frontdesk.domain import clock
from frontdesk.domain.billing import (
    BillDraft,
    PlanTerms,
    RoomTerms,
    RuleTerms,
    by_fee_item,
    meter_bill,
    monthly_bill,
)
from frontdesk.domain.fees import FeeMethod, PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import SYSTEM
from frontdesk.domain.rooms import RoomStatus, RoomType, room_code
from frontdesk.services.fees.billing import bill_values
from frontdesk.services.fees.items import (
    RECEIPT_SERIES,
    REFUND_SERIES,
    STANDARD_ITEMS,
    standard_unit,
)

Row = dict[str, Any]
PRICE_CHANGE = date(2026, 7, 1)
# Water meters of lived-in homes are read for the last four months (the newest unbilled).
READ_STATUSES = (
    RoomStatus.OCCUPIED.value,
    RoomStatus.RENTED.value,
)  # the demo shows a price change inside its year
COUNTER_METHODS = (
    PayMethod.CASH,
    PayMethod.WECHAT,
    PayMethod.WECHAT,
    PayMethod.ALIPAY,
    PayMethod.CARD,
    PayMethod.TRANSFER,
)


def _prices(ids: dict[str, int]) -> list[Row]:
    start = date(2020, 1, 1)
    plans = [
        (ids["物业服务费"], RoomType.RESIDENCE, 22000, start),
        (ids["物业服务费"], RoomType.RESIDENCE, 23500, PRICE_CHANGE),
        (ids["物业服务费"], RoomType.SHOP, 50000, start),
        (ids["物业服务费"], RoomType.STORAGE, 10000, start),
        (ids["车位管理费"], None, 800000, start),
        (ids["生活垃圾处理费"], RoomType.RESIDENCE, 100000, start),
        (ids["水费"], None, 41000, start),
        (ids["电费"], None, 5283, start),
        (ids["门禁卡工本费"], None, 200000, start),
        (ids["装修垃圾清运费"], None, 3000000, start),
        (ids["装修管理费"], None, 50000, start),
        (ids["装修押金"], None, 30000000, start),
        (ids["公共维修资金"], None, 1000000, start),
    ]
    return [
        {
            "fee_item_id": item,
            "building_id": None,
            "room_type": room_type.value if room_type else None,
            "unit_price": price,
            "multiplier": 1,
            "starts_on": starts,
            "note": "",
        }
        for item, room_type, price, starts in plans
    ]


@dataclass
class _Ledger:
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
class _Counter:
    cashiers: list[tuple[int, str]]
    today: date
    payers: dict[int, str]
    now: datetime  # no payment is posted after this
    manager: str  # who approves and inspects renovations


def _at(day: date, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)))
    return local.astimezone().astimezone(UTC)


def add_demo_fees(
    session: Session,
    rng: random.Random,
    rooms: list[Row],
    parking_use: list[Row],
    cashiers: list[tuple[int, str]],
    today: date,
    payers: dict[int, str],
    manager: str,
) -> dict[str, int]:
    """Insert the year's money; returns counts for the demo summary. The cashiers'
    days are closed afterwards (`close_demo_days`), once the money the demo posts
    through the services at its own past times is in as well."""
    ids = _fee_items(session)
    session.execute(insert(PricePlan), _prices(ids))
    session.execute(
        insert(ReductionRule),
        [
            {
                "name": "空置房减免",
                "fee_item_id": ids["物业服务费"],
                "room_status": RoomStatus.VACANT.value,
                "percent_off": 30,
                "reason": "空置房物业服务费按七成收取",
                "starts_on": date(2020, 1, 1),
                "ends_on": None,
            }
        ],
    )
    ledger = _Ledger()
    periods = year_periods(today)
    terms = _room_terms(rooms, parking_use)
    dues, runs = _bill_year(session, ids, terms, periods, rng, ledger)
    now = clock.utc_now() if today == clock.today() else _local(today, time(23, 59))
    counter = _Counter(cashiers, today, payers, now, manager)
    _pay(ledger, rng, dues, terms, periods, counter, ids)
    ledger.bills_in_time_order()
    _insert_runs(session, ledger, runs)
    _number_receipts(ledger)
    with triggers_set_aside(session.connection()):
        _insert(session, ledger)
    return {
        "bills": len(ledger.bills),
        "payments": len(ledger.payments),
        "receipts": len(ledger.receipts),
    }


def _insert_runs(session: Session, ledger: _Ledger, runs: list[Row]) -> None:
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


def _fee_items(session: Session) -> dict[str, int]:
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


def _room_terms(rooms: list[Row], parking_use: list[Row]) -> list[RoomTerms]:
    codes = {
        r["id"]: room_code("P", None, r["number"])
        for r in rooms
        if r["room_type"] == RoomType.PARKING.value
    }
    spaces: dict[int, list[str]] = defaultdict(list)
    for use in parking_use:
        spaces[use["room_id"]].append(codes.get(use["space_id"], str(use["space_id"])))
    return [
        RoomTerms(
            r["id"],
            r["building_id"],
            r["room_type"],
            r["status"],
            r["area_m2_x100"],
            r["handover_on"],
            tuple(sorted(spaces.get(r["id"], ()))),
        )
        for r in rooms
        if r["room_type"] != RoomType.PARKING.value
    ]


def _plans(session: Session) -> list[PlanTerms]:
    return [
        PlanTerms(
            p.fee_item_id, p.building_id, p.room_type, p.unit_price, p.multiplier, p.starts_on
        )
        for p in session.query(PricePlan)
    ]


@dataclass
class _Due:
    """A bill that will exist: the billing run creates it at `run_at`, unless a
    payment ahead (预交) created it earlier."""

    draft: BillDraft
    run_at: datetime
    run_id: int
    monthly: bool  # a monthly item may be paid ahead; a meter bill waits for its reading
    bill: Row | None = None  # once created
    paid: bool = False


def _bill_year(
    session: Session,
    ids: dict[str, int],
    terms: list[RoomTerms],
    periods: list[Period],
    rng: random.Random,
    ledger: _Ledger,
) -> tuple[dict[int, list[_Due]], list[Row]]:
    """Each month's bills as they will fall due, by room, and the billing runs: one at
    the start of each month, and one after each meter reading (the month's water,
    billed the next morning)."""
    plans = _plans(session)
    rules = [
        RuleTerms(
            ids["物业服务费"],
            RoomStatus.VACANT.value,
            30,
            "空置房物业服务费按七成收取",
            date(2020, 1, 1),
            None,
        )
    ]
    monthly = [
        (FeeMethod.AREA_MONTHLY, ids["物业服务费"]),
        (FeeMethod.FIXED_MONTHLY, ids["生活垃圾处理费"]),
        (FeeMethod.PARKING_MONTHLY, ids["车位管理费"]),
    ]
    water_plan = next(p for p in plans if p.fee_item_id == ids["水费"])
    meters: dict[int, int] = {room.room_id: rng.randint(100, 3000) * 100 for room in terms}
    item_plans, item_rules = by_fee_item(plans), by_fee_item(rules)
    dues: dict[int, list[_Due]] = defaultdict(list)
    runs: list[Row] = []
    for index, period in enumerate(periods):
        run_at = _local(period.first_day, time(1, 0))
        run_id = len(runs) + 1
        runs.append({"id": run_id, "period": str(period), "run_at": run_at, "run_by": "系统"})
        for room in terms:
            for method, item in monthly:
                draft = monthly_bill(
                    method, item, room, period, item_plans[item], item_rules.get(item, [])
                )
                if draft is not None:
                    dues[room.room_id].append(_Due(draft, run_at, run_id, True))
        if period not in periods[-4:]:
            continue
        water: list[BillDraft] = []
        for room in terms:
            if room.room_type != RoomType.RESIDENCE.value or room.status not in READ_STATUSES:
                continue
            previous = meters[room.room_id]
            current = previous + rng.randint(400, 2200)
            meters[room.room_id] = current
            ledger.readings.append(
                {
                    "room_id": room.room_id,
                    "fee_item_id": ids["水费"],
                    "period": str(period),
                    "previous_x100": previous,
                    "current_x100": current,
                    "read_on": period.last_day if period != periods[-1] else period.first_day,
                    "read_by": "抄表员",
                }
            )
            if period != periods[-1]:
                water.append(meter_bill(ids["水费"], room, period, water_plan, previous, current))
        if water:
            water_at = _local(periods[index + 1].first_day, time(2, 0))
            water_run = len(runs) + 1
            runs.append(
                {"id": water_run, "period": str(period), "run_at": water_at, "run_by": "系统"}
            )
            for draft in water:
                dues[draft.room_id].append(_Due(draft, water_at, water_run, False))
    for room_dues in dues.values():
        room_dues.sort(key=lambda due: due.run_at)
    return dues, runs


@dataclass
class _RoomBook:
    """One room's bills through the year, created in time order: a payment sees only
    the bills that exist when it is posted."""

    ledger: _Ledger
    dues: list[_Due]
    created: int = 0  # dues[:created] reached their run

    def bills_at(self, at: datetime, since: str, ahead_to: str | None, cashier: str) -> list[Row]:
        """The open bills at `at` of the periods `since` to `ahead_to`, creating the
        monthly ones not yet billed (paid ahead, as the counter's 预交 does); the
        months before `since`, which the household disputes, stay owing."""
        while self.created < len(self.dues) and self.dues[self.created].run_at <= at:
            self._create(self.dues[self.created], self.dues[self.created].run_at)
            self.created += 1
        if ahead_to is None:
            return []
        wanted = [due for due in self.dues if since <= str(due.draft.period) <= ahead_to]
        for due in wanted:
            if due.bill is None and due.monthly:
                self._create(due, at, cashier)
        return [due.bill for due in wanted if due.bill is not None and not due.paid]

    def mark_paid(self, bills: list[Row]) -> None:
        ids = {bill["id"] for bill in bills}
        for due in self.dues:
            if due.bill is not None and due.bill["id"] in ids:
                due.paid = True

    def finish(self) -> None:
        """Every bill whose run has come is there at the end."""
        for due in self.dues:
            if due.bill is None:
                self._create(due, due.run_at)

    def _create(self, due: _Due, at: datetime, cashier: str | None = None) -> None:
        if due.bill is not None:
            return
        # A run's bills are the system's; a 预交 creates them in the cashier's posting.
        run_id = due.run_id if cashier is None else None
        due.bill = self.ledger.add_bill(due.draft, at, run_id, cashier or "系统")


# 收缴率 through the year: the households that carried arrears into it (a dispute, an
# owner away) came back to paying one by one, most leaving the months they dispute
# owing, so a month's bills are collected better the later in the year they fall:
# about a tenth unpaid at the start, one part in fifty at the end. Each building has
# its own pace; one lags well behind the rest.
UNPAID_FIRST, UNPAID_LAST = 0.11, 0.02
LAGGING = 1.8  # the lagging building's unpaid share against the usual
SETTLED_SOME = 0.35  # coming back, paid the last month or two owed as well
STOPPED_LATELY = 0.008  # stopped paying one to three months ago


def _unpaid_share(month: int, months: int, pace: float) -> float:
    """The share of a building's households not paying the year's `month` (0 its
    first of `months`) at the building's `pace` (1 the estate's usual)."""
    left = 1 - month / max(months - 1, 1)
    return pace * (UNPAID_LAST + (UNPAID_FIRST - UNPAID_LAST) * math.pow(left, 1.3))


def _paces(rng: random.Random, terms: list[RoomTerms]) -> dict[int, float]:
    """Each building's pace of payment, the lagging one a residential building."""
    buildings = sorted({room.building_id for room in terms})
    paces = {building: rng.uniform(0.6, 1.15) for building in buildings}
    homes = sorted({r.building_id for r in terms if r.room_type == RoomType.RESIDENCE.value})
    if homes:
        paces[rng.choice(homes)] = LAGGING
    return paces


def _first_paid_months(rng: random.Random, terms: list[RoomTerms], months: int) -> dict[int, int]:
    """Each room's first month of the year paid (`months`: none): within a building
    the households are spread evenly over the chances, so even a small demo's
    buildings owe their share each month."""
    paces = _paces(rng, terms)
    by_building: dict[int, list[int]] = defaultdict(list)
    for room in terms:
        by_building[room.building_id].append(room.room_id)
    first: dict[int, int] = {}
    for building, rooms in by_building.items():
        rng.shuffle(rooms)
        for index, room_id in enumerate(rooms):
            chance = (index + rng.random()) / len(rooms)
            shares = (_unpaid_share(m, months, paces[building]) for m in range(months))
            first[room_id] = next((m for m, share in enumerate(shares) if chance >= share), months)
    return first


def _pay(
    ledger: _Ledger,
    rng: random.Random,
    dues: dict[int, list[_Due]],
    terms: list[RoomTerms],
    periods: list[Period],
    counter: _Counter,
    ids: dict[str, int],
) -> None:
    """Each household's visits to the counter in time order; each pays what is billed
    by then of the months it pays (and the monthly items of the months it pays
    ahead)."""
    water_item = ids["水费"]
    year = [str(period) for period in periods]
    first_paid = _first_paid_months(rng, terms, len(year))
    for room in terms:
        room_dues = dues.get(room.room_id)
        if not room_dues:
            continue
        book = _RoomBook(ledger, room_dues)
        ordered = sorted({str(d.draft.period) for d in room_dues})
        first = first_paid[room.room_id]
        kept = [p for p in ordered if first < len(year) and p >= year[first]]
        stopped = rng.randint(1, 3) if rng.random() < STOPPED_LATELY else 0
        lately = kept[max(len(kept) - stopped, 0) :] if stopped else []
        kept = kept[: len(kept) - len(lately)]
        habit = rng.random()
        if habit < 0.4:  # pays the year at once, when it starts paying
            groups = [kept]
        elif habit < 0.88:  # quarterly, at the start of each quarter
            groups = [kept[i : i + 3] for i in range(0, len(kept), 3)]
        else:  # monthly
            groups = [[p] for p in kept]
        visits: list[tuple[datetime, str | None, int]] = [
            (_at(_pay_day(group[0], rng), rng), group[-1], 0) for group in groups if group
        ]
        # The months before it came back stay owing (disputed), some of the last paid.
        since = kept[0] if kept else year[-1]
        owed = [p for p in ordered if p < since]
        if kept and owed and rng.random() < SETTLED_SOME:
            since = owed[-rng.randint(1, min(2, len(owed)))]
        for due in room_dues:  # the water bill, billed after the reading, is paid next month
            period = str(due.draft.period)
            if due.draft.fee_item_id == water_item and period in kept and rng.random() < 0.85:
                month = _pay_day(str(due.draft.period.shifted(1)), rng)
                visits.append((_at(month, rng), period, 0))
        handed = room.handover_on
        if handed is not None and handed_in_a_wave(room.room_type, handed, periods[0].first_day):
            # 入伙: the first fees paid in advance at the counter, on the handover visit.
            at = handover_visit(room.room_id, handed).astimezone(UTC)
            visits.append((at, None, MOVE_IN_PREPAID_FEN))
        behind = [p for p in ordered if p not in kept]
        if behind:
            arrears = sum(d.draft.due_fen for d in room_dues if str(d.draft.period) in behind)
            _remind(ledger, rng, room.room_id, counter, arrears)
        if lately and rng.random() < 0.4:  # a butler's call brought in the first missed month
            day = counter.today - timedelta(days=rng.randint(0, counter.today.day - 1))
            visits.append((_at(day, rng), lately[0], 0))
        if rng.random() < 0.03:
            day = _pay_day(str(periods[-1]), rng)
            visits.append((_at(day, rng), None, rng.randint(5, 40) * 10_000))
        for at, ahead_to, prepaid in sorted(visits, key=lambda visit: visit[0]):
            if at > counter.now:  # not come yet
                continue
            cashier = rng.choice(counter.cashiers)
            bills = book.bills_at(at, since, ahead_to, cashier[1])
            if _payment(ledger, rng, room.room_id, bills, counter, at, cashier, prepaid):
                book.mark_paid(bills)
        book.finish()
    _closed_renovations(ledger, rng, terms, counter, ids)


OUTCOMES = (
    ("电话", "业主称近期出差，回来后缴纳", 10),
    ("电话", "无人接听", None),
    ("上门", "业主答应月底前缴清", -5),
    ("微信", "已发送欠费明细，业主已读", None),
    ("上门", "业主对绿化养护有意见，已记录并转工程部", None),
)


def _remind(
    ledger: _Ledger, rng: random.Random, room_id: int, counter: _Counter, owed_fen: int
) -> None:
    """A butler's call or visit about the arrears; some promised a day to pay."""
    channel, outcome, promise = rng.choice(OUTCOMES)
    day = counter.today - timedelta(days=rng.randint(3, 40))
    ledger.reminders.append(
        {
            "room_id": room_id,
            "at": _at(day, rng),
            "by_id": None,
            "by_name": "管家",
            "channel": channel,
            "level": 0,
            "written": False,
            "owed_fen": owed_fen,
            "outcome": outcome,
            "promised_on": day + timedelta(days=20 + promise) if promise is not None else None,
            "notice_number": None,
            "document_sha256": None,
            "document_page": None,
        }
    )


def _pay_day(period: str, rng: random.Random) -> date:
    """A day in the month's first four weeks (a visit after now has not come yet)."""
    first = Period.parse(period).first_day
    return first + timedelta(days=rng.randint(0, 27))


def _payment(
    ledger: _Ledger,
    rng: random.Random,
    room_id: int,
    bills: list[Row],
    counter: _Counter,
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
        voided_at = _void(ledger, payment_id, bills)
        again = voided_at + timedelta(minutes=2)
        return _payment(ledger, rng, room_id, bills, counter, again, cashier, prepaid)
    return payment_id


def _void(ledger: _Ledger, payment_id: int, bills: list[Row]) -> datetime:
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


DEMO_BANKS = ("中国工商银行滨江支行", "中国建设银行城西支行", "招商银行高新支行")
RENOVATION_SCOPES = (
    ("水电改造", "防水", "地面", "墙面"),
    ("吊顶", "墙面", "门窗（不改外立面）"),
    ("厨卫", "水电改造"),
)
RENOVATION_CONTRACTORS = (
    ("金匠装饰工程有限公司", "刘建国"),
    ("安居家装有限公司", "陈师傅"),
    ("匠心室内设计装饰有限公司", "周工"),
)
RENOVATION_DOCUMENTS = "装修方案或图纸、施工单位营业执照或资质、业主身份证件"


# How often works start in each calendar month: spring and 金九银十 busy, the summer's
# heat and the winter quiet; none in the 春节 month (the festival's decoration ban).
RENOVATION_SEASON = {
    1: 5,
    2: 4,
    3: 12,
    4: 14,
    5: 11,
    6: 8,
    7: 5,
    8: 6,
    9: 12,
    10: 14,
    11: 10,
    12: 7,
}
# A flat handed over this year is renovated within weeks, all but one in five.
RENOVATION_SKIPPED_EVERY = 5
# Works closed by now began at least this long ago (30-55 days of works, the deposit
# back within a week); later ones are under way (demo/renovations.py).
CLOSED_BY = timedelta(days=65)


def _closed_renovations(
    ledger: _Ledger,
    rng: random.Random,
    terms: list[RoomTerms],
    counter: _Counter,
    ids: dict[str, int],
) -> None:
    """Renovations finished earlier in the year, each with its whole history: applied,
    reviewed, approved (the deposit and the rubbish fee charged, and paid at the
    counter that day), permitted, worked, inspected, accepted, and the deposit
    refunded after the acceptance (some less deductions), settled and closed.

    Most rooms handed over this year are renovated soon after (from a few weeks on);
    the others' works start by the seasons, none in the 春节 month."""
    residences = [t for t in terms if t.room_type == RoomType.RESIDENCE.value]
    last_start = counter.today - CLOSED_BY
    months = [p for p in year_periods(counter.today) if p.first_day <= last_start]
    months = [p for p in months if p != festival_month(p.year)]
    if not months:
        return
    starts: dict[int, date] = {}
    handed = sorted(
        (t.handover_on, t.room_id)
        for t in residences
        if t.handover_on is not None and t.handover_on >= months[0].first_day
    )
    for index, (handover_on, room_id) in enumerate(handed):
        if index % RENOVATION_SKIPPED_EVERY != RENOVATION_SKIPPED_EVERY - 1:
            day = after_festival(handover_on + timedelta(days=rng.randint(14, 60)))
            if day <= last_start:
                starts[room_id] = day
    others = [t for t in residences if t.room_id not in starts]
    weights = [RENOVATION_SEASON[p.month] for p in months]
    for room in rng.sample(others, min(len(others), max(8, len(residences) // 80))):
        month = rng.choices(months, weights)[0]
        last = min(month.last_day, last_start)
        starts[room.room_id] = month.first_day + timedelta(
            days=rng.randint(0, (last - month.first_day).days)
        )
    for starts_on, room_id in sorted((day, room_id) for room_id, day in starts.items()):
        _closed_renovation(ledger, rng, room_id, starts_on, counter, ids)


def _closed_renovation(
    ledger: _Ledger,
    rng: random.Random,
    room_id: int,
    starts: date,
    counter: _Counter,
    ids: dict[str, int],
) -> None:
    applied = starts - timedelta(days=5)
    prefix = f"ZX{applied:%y%m}-"
    number = f"{prefix}{sum(r['number'].startswith(prefix) for r in ledger.renovations) + 1:04d}"
    renovation_id = len(ledger.renovations) + 1
    completed = starts + timedelta(days=rng.randint(30, 55))
    back = completed + timedelta(days=rng.randint(1, 7))
    scope = rng.choice(RENOVATION_SCOPES)
    contractor, person = rng.choice(RENOVATION_CONTRACTORS)
    manager = counter.manager
    ledger.renovations.append(
        {
            "id": renovation_id,
            "room_id": room_id,
            "number": number,
            "applicant": "业主本人",
            "applicant_is_tenant": False,
            "applicant_phone": f"139{rng.randrange(10**8):08d}",
            "contractor": contractor,
            "contractor_person": person,
            "contractor_phone": f"138{rng.randrange(10**8):08d}",
            "licence_no": "",
            "starts_on": starts,
            "ends_on": starts + timedelta(days=60),
            "scope": "、".join(scope),
            "documents": RENOVATION_DOCUMENTS,
            "status": "closed",
            "permit_no": "XK" + number.removeprefix("ZX"),
            "permit_issued_on": starts - timedelta(days=2),
            "completed_on": completed,
            "created_at": _local(applied, time(9, rng.randint(0, 59))),
            "created_by": manager,
            "note": "",
        }
    )

    def event(kind: str, day: date, hour: int, note: str = "") -> datetime:
        at = _local(day, time(hour, rng.randint(0, 29)))
        ledger.renovation_events.append(
            {
                "room_id": room_id,
                "renovation_id": renovation_id,
                "kind": kind,
                "at": at,
                "by": manager,
                "note": note,
            }
        )
        return at

    event("submitted", applied, 9)
    event("reviewed", applied + timedelta(days=1), 10)
    approved_at = event("approved", applied + timedelta(days=2), 10)
    charged = [
        _renovation_bill(ledger, room_id, ids["装修押金"], 30000000, approved_at, number, manager),
        _renovation_bill(
            ledger, room_id, ids["装修垃圾清运费"], 3000000, approved_at, number, manager
        ),
    ]
    for purpose, bill in zip(("deposit", "fee"), charged, strict=True):
        ledger.renovation_bills.append(
            {"room_id": room_id, "renovation_id": renovation_id, "bill": bill, "purpose": purpose}
        )
    # The owner paid at the counter the hour after the approval, before the permit.
    paid_at = approved_at + timedelta(minutes=rng.randint(40, 80))
    cashier = rng.choice(counter.cashiers)
    _payment(ledger, rng, room_id, charged, counter, paid_at, cashier)
    event("permitted", starts - timedelta(days=2), 14)
    event("in_progress", starts, 8)
    nodes = ["plumbing"] if "水电改造" in scope else []
    nodes += ["waterproof"] if "防水" in scope or "厨卫" in scope else []
    for offset, node in zip((8, 14, 22), [*nodes, "midterm"], strict=False):
        _inspection(ledger, room_id, renovation_id, node, starts + timedelta(days=offset), manager)
    event("completed", completed, 10, "验收合格")
    _inspection(ledger, room_id, renovation_id, "completion", completed, manager, "验收合格")
    refunded_at = _deposit_refund(ledger, rng, room_id, charged[0], back, counter)
    event("settled", back, refunded_at.astimezone().hour + 1)
    event("closed", back, refunded_at.astimezone().hour + 2)


def _renovation_bill(
    ledger: _Ledger, room_id: int, item: int, price: int, at: datetime, number: str, by: str
) -> Row:
    """A one-off bill as approving the renovation charges it (billing.charge)."""
    day = at.astimezone().date()
    draft = BillDraft(
        room_id, item, Period.of(day), day, day, 100, price, price // 100, 0, "", f"装修 {number}"
    )
    bill = ledger.add_bill(draft, at, None, by)
    bill["period"] = None
    return bill


def _inspection(
    ledger: _Ledger,
    room_id: int,
    renovation_id: int,
    node: str,
    day: date,
    inspector: str,
    note: str = "",
) -> None:
    ledger.renovation_inspections.append(
        {
            "room_id": room_id,
            "renovation_id": renovation_id,
            "node": node,
            "inspected_on": day,
            "passed": True,
            "note": note,
            "deadline": None,
            "inspector": inspector,
        }
    )


def _deposit_refund(
    ledger: _Ledger, rng: random.Random, room_id: int, bill: Row, back: date, counter: _Counter
) -> datetime:
    """The deposit back to the owner's account after the acceptance, some less the
    repair of what the works damaged."""
    cashier_id, cashier = rng.choice(counter.cashiers)
    deduction = rng.choice((0, 0, 20_000, 50_000))
    refund_id = len(ledger.refunds) + 1
    at = _at(back, rng)
    payee = counter.payers.get(room_id) or "业主"
    ledger.refunds.append(
        {
            "id": refund_id,
            "room_id": room_id,
            "kind": "deposit",
            "bill_id": bill["id"],
            "gross_fen": bill["due_fen"],
            "deductions_fen": deduction,
            "amount_fen": bill["due_fen"] - deduction,
            "method": PayMethod.TRANSFER.value,
            # The owner collects it, to their own account (the 领款人 is required).
            "payee": payee,
            "payee_account_name": payee,
            "payee_bank": rng.choice(DEMO_BANKS),
            "payee_account_no": f"6222{rng.randrange(10**15):015d}",
            "reason": "竣工验收合格，退还押金",
            "refunded_at": at,
            "day": back,
            "cashier_id": cashier_id,
            "cashier_name": cashier,
        }
    )
    if deduction:
        ledger.deductions.append(
            {"refund_id": refund_id, "amount_fen": deduction, "reason": "公共楼道墙面污损修复"}
        )
    return at


def _number_receipts(ledger: _Ledger) -> None:
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


def _insert(session: Session, ledger: _Ledger) -> None:
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
