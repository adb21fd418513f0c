"""Demo renovations in every state of the workflow, written through the services:
applications waiting, one rejected, one approved but unpaid, works under way (one
stopped, one overdue, nodes failed and passed, workers with passes), completed,
settled with a deduction, closed."""

from __future__ import annotations

import random
from contextlib import AbstractContextManager, nullcontext
from datetime import date, timedelta

from frontdesk.demo import renovation_year
from frontdesk.demo import timeline as demo_timeline
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.renovation import Node
from frontdesk.domain.roles import Actor
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services.database import Database
from frontdesk.services.fees import items as fees
from frontdesk.services.fees import payments, refunds
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.fees.refunds import DeductionInput, RefundRequest
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation import views as renovation_views
from frontdesk.services.renovation.applications import ChargeInput, RenovationInput

# The same contractors and scopes as the works closed earlier in the year (demo_fees).
CONTRACTORS = renovation_year.RENOVATION_CONTRACTORS
DOCUMENTS = tuple(renovation_year.RENOVATION_DOCUMENTS.split("、"))
SCOPES = renovation_year.RENOVATION_SCOPES
# How far each demo renovation has come, in workflow order.
STAGES = (
    "submitted",
    "reviewed",
    "rejected",
    "approved",
    "working",
    "stopped",
    "overdue",
    "completed",
    "settled",
    "closed",
)


BEGUN_DAYS_AGO = (20, 50)  # works under way began this many days ago
APPROVED_DAYS_BEFORE = 4  # approved, and paid at the counter, before the works begin
# No renovation money is posted before this many days ago (the other demo postings
# are made around it: demo/repairs.py).
MONEY_FROM = timedelta(days=BEGUN_DAYS_AGO[1] + APPROVED_DAYS_BEFORE)


def add_demo_renovations(
    db: Database, supervisor: Actor, cashier: Actor, rng: random.Random, today: date
) -> int:
    items = {i.name: i.id for i in fees.list_fee_items(db)}
    if "装修押金" not in items:
        return 0
    rooms = _occupied_rooms(db, supervisor, len(STAGES), rng)
    works = [
        (_starts(rng, today, stage), stage, room)
        for stage, room in zip(STAGES, rooms, strict=False)
    ]
    # Applied in date order, so the ZX numbers run with the dates.
    for order, (starts, stage, room) in enumerate(sorted(works, key=lambda work: work[0])):
        _one(db, supervisor, cashier, rng, today, room, stage, items, (starts, order))
    return len(works)


def _begun(stage: str) -> bool:
    return stage in ("working", "stopped", "overdue", "completed", "settled", "closed")


def _starts(rng: random.Random, today: date, stage: str) -> date:
    """Works under way began 20-50 days ago, not in the 春节 month (its decoration
    ban); the others are to begin in three days."""
    if not _begun(stage):
        return today + timedelta(days=3)
    days = [today - timedelta(days=n) for n in range(BEGUN_DAYS_AGO[0], BEGUN_DAYS_AGO[1] + 1)]
    return rng.choice([day for day in days if not demo_timeline.in_festival_month(day)])


def _occupied_rooms(db: Database, actor: Actor, count: int, rng: random.Random) -> list[int]:
    ids = structure.room_ids(
        db, actor, structure.RoomFilter(status=RoomStatus.OCCUPIED, room_type=RoomType.RESIDENCE)
    )
    return rng.sample(ids, min(count, len(ids)))


def _one(
    db: Database,
    boss: Actor,
    cashier: Actor,
    rng: random.Random,
    today: date,
    room: int,
    stage: str,
    items: dict[str, int],
    when: tuple[date, int],
) -> None:
    """One renovation brought to `stage`. Works already begun went through each step
    on its own day (applied six days before the start, approved and paid four days
    before, the permit the day before): each step runs at its time (`happened_at`),
    so the deposit receipt is dated before the permit it was needed for."""
    starts, order = when  # postings of one hour are minutes apart, in this order
    begun = _begun(stage)
    ends = today - timedelta(days=2) if stage == "overdue" else starts + timedelta(days=60)
    contractor, person = rng.choice(CONTRACTORS)
    data = RenovationInput(
        room,
        "业主本人",
        f"139{rng.randrange(10**8):08d}",
        contractor,
        person,
        f"138{rng.randrange(10**8):08d}",
        starts,
        ends,
        rng.choice(SCOPES),
        DOCUMENTS,
    )
    applied = starts - timedelta(days=6) if begun else today
    with _step(applied, 9, begun):
        renovation = renovations.apply(db, boss, data, applied)
    if stage == "submitted":
        return
    with _step(applied + timedelta(days=1), 10, begun):
        renovations.review(db, boss, renovation)
    if stage == "reviewed":
        return
    if stage == "rejected":
        renovations.reject(
            db, boss, renovation, "方案涉及拆除卫生间与卧室间剪力墙，须补充结构设计单位意见"
        )
        return
    charges = [
        ChargeInput(items["装修押金"], "deposit"),
        *(ChargeInput(items[name], "fee") for name in ("装修垃圾清运费",) if name in items),
    ]
    approved = starts - timedelta(days=APPROVED_DAYS_BEFORE) if begun else today
    with _step(approved, 10, begun):
        renovations.approve(db, boss, renovation, charges, today=approved)
    if stage == "approved":
        return
    # Paid at the counter the hour after the approval; the permit the day before work.
    with _money(db, approved, 11, begun, order):
        _pay(db, cashier, room, renovation_views.bill_ids(db, renovation), approved)
    permitted = starts - timedelta(days=1)
    with _step(permitted, 14, begun):
        renovations.issue_permit(db, boss, renovation, today=permitted)
    with _step(starts, 8, begun):
        renovations.start_work(db, boss, renovation, starts)
        for name, prefix, trade in (("王建军", "137", "水电工"), ("李小明", "136", "瓦工")):
            hire = renovation_site.WorkerInput(name, f"{prefix}{rng.randrange(10**8):08d}", trade)
            # Passes were issued on the first day of work.
            renovation_site.add_worker(db, boss, renovation, hire, today=starts)
    _site(db, boss, renovation, starts, today, stage)
    if stage not in ("completed", "settled", "closed"):
        return
    accepted = today - timedelta(days=1)
    with _step(accepted, 10, begun):
        renovations.complete(db, boss, renovation, accepted, "验收合格")
    if stage == "completed":
        return
    with _step(accepted, 11, begun):
        for handed in renovation_site.list_workers(db, boss, renovation):
            renovation_site.return_pass(db, boss, handed.id, accepted)
    [deposit] = renovation_views.bill_ids(db, renovation, "deposit")
    with db.read() as session:
        owner = (households.owner_names(session, [room]).get(room) or ["业主"])[0]
    request = RefundRequest(
        room,
        PayMethod.TRANSFER,
        "竣工验收合格，退还押金",
        payee=owner,
        deposit_bill_id=deposit,
        deductions=(DeductionInput(20000, "电梯轿厢保护膜破损更换"),),
        account_name=owner,
        bank=rng.choice(renovation_year.DEMO_BANKS),
        account_no=f"6222{rng.randrange(10**15):015d}",
    )
    # Refunded the afternoon of the acceptance (a day the cashier has closed since).
    with _money(db, accepted, 14, begun, order):
        refunds.post_refund(db, cashier, request, accepted)
    with _step(accepted, 15, begun):
        renovations.settle(db, boss, renovation)
    if stage == "closed":
        with _step(accepted, 16, begun):
            renovations.close(db, boss, renovation)


def _step(day: date, hour: int, past: bool) -> AbstractContextManager[None]:
    """A step of works already begun happened at `day` `hour`; one of today's now."""
    return demo_timeline.happened_at(demo_timeline.on_day(day, hour)) if past else nullcontext()


def _money(
    db: Database, day: date, hour: int, past: bool, minute: int = 0
) -> AbstractContextManager[None]:
    """A payment or refund of works already begun, posted at `day` `hour`:`minute`."""
    at = demo_timeline.on_day(day, hour, minute)
    return demo_timeline.posting_at(db, at) if past else nullcontext()


def _pay(db: Database, cashier: Actor, room: int, ids: list[int], today: date) -> None:
    """The renovation's own bills only: the household's arrears are another matter."""
    view = payments.counter_view(db, cashier, room, today)
    bills = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills if b.bill_id in ids)
    total = sum(a for _, a in bills)
    payer = view.owners[0] if view.owners else "业主"  # the receipt names who paid
    request = PaymentRequest(room, bills, (TenderInput(PayMethod.WECHAT, total),), payer=payer)
    payments.post_payment(db, cashier, request, today)


def _site(
    db: Database, boss: Actor, renovation: int, starts: date, today: date, stage: str
) -> None:
    """Inspections along the way, each on its day: the plumbing failed once, then passed."""
    day = min(starts + timedelta(days=10), today)
    with _step(day, 15, True):
        renovation_site.record_inspection(
            db,
            boss,
            renovation,
            Node.PLUMBING,
            day,
            False,
            "强弱电同管敷设，须分管",
            day + timedelta(days=3),
        )
    finished = stage in ("completed", "settled", "closed")
    if stage != "working" or finished:
        again = min(day + timedelta(days=3), today)
        with _step(again, 15, True):
            for node in (Node.PLUMBING, Node.WATERPROOF, Node.MIDTERM):
                renovation_site.record_inspection(db, boss, renovation, node, again, True)
    if stage == "stopped":
        with _step(today - timedelta(days=1), 15, True):
            renovation_site.record_violation(
                db,
                boss,
                renovation,
                today - timedelta(days=1),
                "周日上午使用电锤施工，邻居投诉",
                today + timedelta(days=2),
                stop_work=True,
            )
