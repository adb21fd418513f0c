"""Demo paid repairs (有偿维修): some of the finished in-home repairs charged from the
price list by the desk's clerk soon after the work (through the services, each at its
time), most of them paid at the cashier a few days later with a receipt posted by
the counter's own service, a few still open, one or two voided by the supervisor.

Receipt numbers must run with their dates with no gap. The receipts the demo posts
through the services take their places in the series when they are posted
(`timeline.posting_at`), so they are posted in time order across the whole demo: a
receipt posted later but dated before another module's posting would sit after it.
The renovations and the move-in post theirs between two known days, so the repair
payments are posted in three runs around them (`pay_repairs` with the day each run
goes up to); a payment that falls among another module's postings is made just after
the last of them (the owner paid on a later visit)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from frontdesk.db.models import Bill, Receipt, RepairCharge, WorkOrder
from frontdesk.demo.timeline import PROVISIONAL, happened_at, on_day, posting_at
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Kind
from frontdesk.services.database import Database
from frontdesk.services.fees import payments
from frontdesk.services.fees.items import RECEIPT_SERIES
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.service_desk import repairs
from frontdesk.services.service_desk.repairs import RepairLine

CHARGED_SHARE = 0.15  # of the finished in-home repairs: 2,000 households, about 45
LEAST_CHARGED = 6  # a small demo still shows paid, open and voided charges
MOST_CHARGED = 50  # some dozens: a larger estate's demo is not slowed by more
NEVER_PAID = 0.08  # the owner has not come to the counter yet
PAY_DAYS = 5  # paid at the counter within this many days of the charge
COUNTER_HOURS = (9, 17)  # during the counter's hours
# The fault the order describes -> the price list's lines (name, quantity × 100).
LINES: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("水龙头", (("更换水龙头人工费", 100), ("单把水龙头（铜）", 100))),
    ("插座", (("上门维修人工费", 100), ("开关插座面板", 100))),
    ("漏水", (("上门维修人工费", 100), ("角阀", 100), ("PPR 水管", 150))),
    ("进水阀", (("上门维修人工费", 100), ("角阀", 100))),
)
ONLY_LABOUR = (("上门维修人工费", 100),)
VOID_REASONS = ("保修期内的维修，误收维修费", "业主对收费有异议，经主管同意免收")
METHODS = (PayMethod.WECHAT, PayMethod.ALIPAY, PayMethod.CASH)


@dataclass(frozen=True)
class _Payment:
    at: datetime
    room_id: int
    bill_id: int
    amount_fen: int
    payer: str


@dataclass
class RepairPayments:
    """The charges made and the payments still to post, in time order."""

    charged: int = 0
    voided: int = 0
    paid: int = 0
    due: list[_Payment] = field(default_factory=list)


def add_demo_repair_charges(
    db: Database, clerk: Actor, boss: Actor, rng: random.Random, now: datetime
) -> RepairPayments:
    """Charge a share of the finished in-home repairs at their time; plan their
    payments (posted by `pay_repairs`)."""
    with db.read() as session:
        finished = session.execute(
            select(
                WorkOrder.id,
                WorkOrder.room_id,
                WorkOrder.finished_at,
                WorkOrder.description,
                WorkOrder.caller_name,
            )
            .where(
                WorkOrder.kind == Kind.REPAIR_HOME,
                WorkOrder.room_id.is_not(None),
                WorkOrder.status.in_(repairs.CHARGEABLE),
                WorkOrder.finished_at.is_not(None),
            )
            .order_by(WorkOrder.id)
        ).all()
    prices = {p.name: p.id for p in repairs.price_list(db)}
    share = max(LEAST_CHARGED, min(MOST_CHARGED, round(len(finished) * CHARGED_SHARE)))
    count = min(len(finished), share)
    chosen = sorted(rng.sample(finished, count), key=lambda row: row.finished_at)
    plan = RepairPayments()
    charged: list[tuple[datetime, int, int]] = []  # (at, charge, room)
    payers: dict[int, str] = {}  # who called is who pays at the counter
    with db.write(clerk) as session:  # the clerk's charges, each at its time
        for order_id, room_id, finished_at, description, caller in chosen:
            if finished_at is None or room_id is None:  # the query asks for both
                continue
            at = finished_at + timedelta(minutes=rng.randint(10, 90))
            if at >= now:
                continue
            lines = next((x for word, x in LINES if word in description), ONLY_LABOUR)
            wanted = [RepairLine(prices[n], quantity) for n, quantity in lines if n in prices]
            if wanted:
                with happened_at(at):
                    charge_id = repairs.charge_repair(session, clerk, order_id, wanted)
                    session.flush()
                charged.append((at, charge_id, room_id))
                payers[charge_id] = caller or "业主"
    plan.charged = len(charged)
    # The supervisor voids one or two mistaken charges (older ones, a day later).
    voids = rng.sample(charged[: max(1, len(charged) // 2)], min(len(charged), 1 + count // 30))
    with db.write(boss) as session:
        for (at, charge_id, _), reason in zip(sorted(voids), VOID_REASONS, strict=False):
            with happened_at(min(at + timedelta(hours=rng.randint(20, 28)), now)):
                repairs.void_charge(session, boss, charge_id, reason)
                session.flush()
    plan.voided = len(voids)
    with db.read() as session:
        made = [charge_id for _, charge_id, _ in charged]
        bills = {
            charge_id: bill_id
            for charge_id, bill_id in session.execute(
                select(RepairCharge.id, RepairCharge.bill_id).where(RepairCharge.id.in_(made))
            )
        }
        amounts = {
            bill_id: amount
            for bill_id, amount in session.execute(
                select(Bill.id, Bill.amount_fen).where(Bill.id.in_(bills.values()))
            )
        }
    for at, charge_id, room_id in charged:
        if (at, charge_id, room_id) in voids or rng.random() < NEVER_PAID:
            continue
        paid_at = _at_the_counter(at, rng)
        if paid_at >= now:
            continue  # charged in the last days: not paid yet
        bill_id = bills[charge_id]
        plan.due.append(_Payment(paid_at, room_id, bill_id, amounts[bill_id], payers[charge_id]))
    if plan.due and len(plan.due) == plan.charged - plan.voided:
        plan.due.pop()  # the desk always has a charge still to collect: the latest
    plan.due.sort(key=lambda payment: payment.at)
    return plan


def _at_the_counter(charged: datetime, rng: random.Random) -> datetime:
    """A time the counter is open, within PAY_DAYS of the charge and after it."""
    local = charged.astimezone()
    for _ in range(PAY_DAYS * 4):
        day = local.date() + timedelta(days=rng.randint(0, PAY_DAYS))
        paid = on_day(day, rng.randint(*COUNTER_HOURS), rng.randrange(60))
        if paid > charged:
            return paid
    return on_day(local.date() + timedelta(days=1), COUNTER_HOURS[0])


def _next_at_the_counter(after: datetime, rng: random.Random) -> datetime:
    """A few minutes after `after`, or the next morning once the counter has closed."""
    at = after + timedelta(minutes=rng.randint(5, 60))
    if at.astimezone().hour < COUNTER_HOURS[1] + 1:
        return at
    return on_day(
        after.astimezone().date() + timedelta(days=1), COUNTER_HOURS[0], rng.randrange(60)
    )


def pay_repairs(
    db: Database, cashier: Actor, plan: RepairPayments, rng: random.Random, until: datetime
) -> None:
    """Post the planned payments dated before `until` at the counter, in time order,
    each after every receipt the services have posted so far."""
    latest = _last_posting(db)
    while plan.due and plan.due[0].at < until:
        payment = plan.due.pop(0)
        at = payment.at
        if latest is not None and at <= latest:
            at = _next_at_the_counter(latest, rng)
            if at >= until:
                plan.due.insert(0, payment)  # a later run makes it
                return
        with posting_at(db, at):
            request = PaymentRequest(
                payment.room_id,
                ((payment.bill_id, payment.amount_fen),),
                (TenderInput(rng.choice(METHODS), payment.amount_fen),),
                payer=payment.payer,
            )
            payments.post_payment(db, cashier, request, at.astimezone().date())
        latest = at
        plan.paid += 1


def _last_posting(db: Database) -> datetime | None:
    """When the last receipt posted through the services (not the bulk ledger) was
    issued."""
    with db.read() as session:
        return session.scalar(
            select(Receipt.issued_at)
            .where(Receipt.series == RECEIPT_SERIES, Receipt.number < PROVISIONAL)
            .order_by(Receipt.issued_at.desc())
            .limit(1)
        )
