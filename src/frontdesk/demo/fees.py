"""A year of demo money: fee items and prices, twelve months of bills, payments with
gap-free receipts (most pay yearly or quarterly; the 收缴率 rises through the year as
the households behind at its start come back to paying, one building lagging), some
预存, a few voids and refunds, water readings, and every past day closed by its
cashier.

Rows are inserted in bulk, as a real year of counter work would have left them. This
module plans the year (what is billed and paid when); the rows and their insert are
demo/fees_ledger.py, the year's finished renovations demo/renovation_year.py.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from frontdesk.db.kept_totals import triggers_set_aside
from frontdesk.db.models import PricePlan, ReductionRule
from frontdesk.demo.fees_ledger import (
    Counter,
    Ledger,
    Row,
    at_the_counter,
    counter_payment,
    insert_fee_items,
    insert_ledger,
    insert_runs,
    number_receipts,
)
from frontdesk.demo.movein import MOVE_IN_PREPAID_FEN, handed_in_a_wave, handover_visit
from frontdesk.demo.renovation_year import closed_renovations
from frontdesk.demo.timeline import _local, year_periods
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
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.rooms import RoomStatus, RoomType, room_code

PRICE_CHANGE = date(2026, 7, 1)
# Water meters of lived-in homes are read for the last four months (the newest unbilled).
READ_STATUSES = (
    RoomStatus.OCCUPIED.value,
    RoomStatus.RENTED.value,
)  # the demo shows a price change inside its year


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
    ids = insert_fee_items(session)
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
    ledger = Ledger()
    periods = year_periods(today)
    terms = _room_terms(rooms, parking_use)
    dues, runs = _bill_year(session, ids, terms, periods, rng, ledger)
    now = clock.utc_now() if today == clock.today() else _local(today, time(23, 59))
    counter = Counter(cashiers, today, payers, now, manager)
    _pay(ledger, rng, dues, terms, periods, counter, ids)
    ledger.bills_in_time_order()
    insert_runs(session, ledger, runs)
    number_receipts(ledger)
    with triggers_set_aside(session.connection()):
        insert_ledger(session, ledger)
    return {
        "bills": len(ledger.bills),
        "payments": len(ledger.payments),
        "receipts": len(ledger.receipts),
    }


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
    ledger: Ledger,
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

    ledger: Ledger
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
    ledger: Ledger,
    rng: random.Random,
    dues: dict[int, list[_Due]],
    terms: list[RoomTerms],
    periods: list[Period],
    counter: Counter,
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
            (at_the_counter(_pay_day(group[0], rng), rng), group[-1], 0)
            for group in groups
            if group
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
                visits.append((at_the_counter(month, rng), period, 0))
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
            visits.append((at_the_counter(day, rng), lately[0], 0))
        if rng.random() < 0.03:
            day = _pay_day(str(periods[-1]), rng)
            visits.append((at_the_counter(day, rng), None, rng.randint(5, 40) * 10_000))
        for at, ahead_to, prepaid in sorted(visits, key=lambda visit: visit[0]):
            if at > counter.now:  # not come yet
                continue
            cashier = rng.choice(counter.cashiers)
            bills = book.bills_at(at, since, ahead_to, cashier[1])
            if counter_payment(ledger, rng, room.room_id, bills, counter, at, cashier, prepaid):
                book.mark_paid(bills)
        book.finish()
    closed_renovations(ledger, rng, terms, counter, ids)


OUTCOMES = (
    ("电话", "业主称近期出差，回来后缴纳", 10),
    ("电话", "无人接听", None),
    ("上门", "业主答应月底前缴清", -5),
    ("微信", "已发送欠费明细，业主已读", None),
    ("上门", "业主对绿化养护有意见，已记录并转工程部", None),
)


def _remind(
    ledger: Ledger, rng: random.Random, room_id: int, counter: Counter, owed_fen: int
) -> None:
    """A butler's call or visit about the arrears; some promised a day to pay."""
    channel, outcome, promise = rng.choice(OUTCOMES)
    day = counter.today - timedelta(days=rng.randint(3, 40))
    ledger.reminders.append(
        {
            "room_id": room_id,
            "at": at_the_counter(day, rng),
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
