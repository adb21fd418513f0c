"""Money invariants, property-based: postings, voids, 预存, receipt numbers, counters.

Every example starts from a copy of one small billed community (one building, three
rooms, four months of 物业服务费 and 生活垃圾处理费; a file, or on PostgreSQL a
database) and keeps its own model of what each bill still owes and what each
household holds in 预存; the database, read back through the ORM after every step,
must agree with the model and with the rules:

- a payment's total is the sum of its tenders and of its allocations and 预存 put in;
- no bill is ever settled (paid + reduced) beyond what it was due;
- no 预存 balance goes negative;
- a void restores exactly the state without the payment (the bills a 预交 created
  stay, owed in full), and only once;
- receipt numbers run 1..N with no gaps, however many postings were refused;
- a bill just paid at the other counter is refused cleanly, posting nothing.

The arithmetic underneath (price_times, prorate, parse/format_yuan, to_words) last.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, make_url, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    Allocation,
    Bill,
    BillingRun,
    CollectionTally,
    Payment,
    PrepaidEntry,
    Receipt,
    ReceiptSeries,
    ReceiptVoid,
    Reduction,
    Refund,
    Tender,
)
from frontdesk.db.protection import IdCipher
from frontdesk.domain.fees import FeeMethod, PayMethod
from frontdesk.domain.money import (
    MAX_AMOUNT_FEN,
    MoneyFormatError,
    format_yuan,
    parse_yuan,
    price_times,
    to_words,
)
from frontdesk.domain.periods import Period, prorate
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services import users
from frontdesk.services.database import Database, open_at
from frontdesk.services.fees import billing, payments, refunds, voids
from frontdesk.services.fees import items as fees
from frontdesk.services.fees.ledger import bill_lines, prepaid_balance
from frontdesk.services.fees.payments import (
    MAX_PAYMENT_FEN,
    PaymentRequest,
    PostedPayment,
    ReductionInput,
    TenderInput,
)
from frontdesk.services.fees.refunds import RefundRequest
from frontdesk.services.households import structure
from tests.conftest import ON_POSTGRESQL
from tests.postgres import create, drop, server_url

TODAY = date(2026, 5, 15)
BILLED = [Period(2026, month) for month in (1, 2, 3, 4)]
LATER = [Period(2026, 5), Period(2026, 6)]  # the runs allowed on TODAY
COUNTER_METHODS = [
    PayMethod.CASH,
    PayMethod.WECHAT,
    PayMethod.ALIPAY,
    PayMethod.CARD,
    PayMethod.TRANSFER,
]
PASSWORD = "staff1234"


def db_settings(examples: int) -> settings:
    """For the tests that work on a database: a fresh copy per example, no deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# the community -------------------------------------------------------------------


@dataclass(frozen=True)
class Community:
    template: str  # the file's path, or the server database's URL
    key: bytes  # its ID-number key, which signs the audit log of every copy
    admin: Actor
    supervisor: Actor  # may grant 减免
    cashier: Actor
    cashier2: Actor  # the second counter
    rooms: tuple[int, ...]


@pytest.fixture(scope="module")
def community(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Community:
    """Built once: every example works on its own copy of this file (or on PostgreSQL
    of this database)."""
    if ON_POSTGRESQL:
        template = request.getfixturevalue("pg_template")
        where = create(server_url(), f"fd_{uuid.uuid4().hex[:12]}", template=template)
    else:
        where = str(tmp_path_factory.mktemp("money-template") / "template.sqlite")
    db = open_at(where)
    try:
        admin = users.initialize(
            db, users.FirstRunInput("测试小区", "admin", "管理员", "admin1234", "admin1234")
        )
        staff = {}
        for username, name, role in (
            ("zhuguan", "主管甲", Role.SUPERVISOR),
            ("shoufei1", "收费员甲", Role.CASHIER),
            ("shoufei2", "收费员乙", Role.CASHIER),
        ):
            users.create_user(db, admin, users.NewUser(username, name, role, PASSWORD))
            staff[username] = users.login(db, username, PASSWORD)
        building = structure.create_building(
            db, admin, structure.NewBuilding("1", "1栋", 1, 1, 3, "89.50")
        )
        rooms = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
        for room_id, (area, status) in zip(
            rooms,
            (
                ("89.50", RoomStatus.OCCUPIED),
                ("105.37", RoomStatus.VACANT),  # 物业服务费 at 70%
                ("128.90", RoomStatus.RENTED),
            ),
            strict=True,
        ):
            structure.update_room(
                db, admin, room_id, structure.RoomChange(area, RoomType.RESIDENCE, status)
            )
        service = fees.add_fee_item(db, admin, "物业服务费", "物业服务费", FeeMethod.AREA_MONTHLY)
        rubbish = fees.add_fee_item(
            db, admin, "生活垃圾处理费", "物业服务费", FeeMethod.FIXED_MONTHLY
        )
        fees.add_price_plan(db, admin, service, 22000, date(2020, 1, 1))
        fees.add_price_plan(db, admin, service, 23500, date(2026, 3, 1))
        fees.add_price_plan(db, admin, rubbish, 100000, date(2020, 1, 1))
        fees.add_reduction_rule(
            db,
            admin,
            service,
            RoomStatus.VACANT,
            30,
            "空置房物业服务费按七成收取",
            date(2020, 1, 1),
        )
        for period in BILLED:
            billing.run_billing(db, admin, period, today=TODAY)
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(Bill)) == 3 * 4 * 2
        assert db.cipher is not None
        key = db.cipher.key
    finally:
        db.dispose()
    return Community(
        where, key, admin, staff["zhuguan"], staff["shoufei1"], staff["shoufei2"], tuple(rooms)
    )


def open_copy(community: Community, where: str) -> Database:
    """A counter PC opening a copy, handed the key (a copy on a server is another
    database, which this PC's keyring knows nothing of)."""
    db = open_at(where)
    db.cipher = IdCipher(community.key)
    return db


@contextmanager
def fresh_copy(
    community: Community, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, str]]:
    """A copy of the community: a file, or a server database made from it."""
    if ON_POSTGRESQL:
        name = f"fd_{uuid.uuid4().hex[:12]}"
        where = create(server_url(), name, template=make_url(community.template).database)
    else:
        path = tmp_path_factory.mktemp("money") / "x.sqlite"
        with (
            closing(sqlite3.connect(community.template)) as source,
            closing(sqlite3.connect(path)) as target,
        ):
            source.backup(target)
        where = str(path)
    db = open_copy(community, where)
    try:
        yield db, where
    finally:
        db.dispose()
        if ON_POSTGRESQL:
            drop(server_url(), name)


# the model kept by the test --------------------------------------------------------


@dataclass
class Posting:
    room_id: int
    settles: dict[int, int]  # bill → fen paid or reduced by this payment
    prepaid_fen: int  # + put into 预存, − drawn from it
    receipt: str | None  # None: drawn automatically by a billing run
    actor: Actor | None
    voided: bool = False


@dataclass
class Model:
    due: dict[int, int] = field(default_factory=dict)
    room_of: dict[int, int] = field(default_factory=dict)
    period_of: dict[int, str | None] = field(default_factory=dict)
    postings: dict[int, Posting] = field(default_factory=dict)  # by payment id
    refunded: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def live(self) -> list[Posting]:
        return [p for p in self.postings.values() if not p.voided]

    def outstanding(self, bill_id: int) -> int:
        return self.due[bill_id] - sum(p.settles.get(bill_id, 0) for p in self.live())

    def balance(self, room_id: int) -> int:
        put = sum(p.prepaid_fen for p in self.live() if p.room_id == room_id)
        return put - self.refunded[room_id]

    def bills_of(self, room_id: int) -> list[int]:
        return sorted(b for b, r in self.room_of.items() if r == room_id)

    def open_bills(self, room_id: int) -> list[int]:
        return [b for b in self.bills_of(room_id) if self.outstanding(b) > 0]

    def learn_bills(self, db: Database) -> list[int]:
        """Bills the database has that the model has not seen yet (billing, advance)."""
        with db.read() as session:
            rows = session.execute(
                select(Bill.id, Bill.room_id, Bill.due_fen, Bill.period).where(
                    Bill.id.not_in(list(self.due))
                )
            ).all()
        for bill_id, room_id, due, period in rows:
            self.due[bill_id], self.room_of[bill_id] = due, room_id
            self.period_of[bill_id] = period
        return [row[0] for row in rows]


def new_model(db: Database) -> Model:
    model = Model()
    model.learn_bills(db)
    return model


# reading the books back ------------------------------------------------------------


def sums_by(session: Session, column: Any, key: Any, *where: Any) -> dict[int, int]:
    query = select(key, func.sum(column)).group_by(key)
    for condition in where:
        query = query.where(condition)
    return {k: int(v) for k, v in session.execute(query) if k is not None}


COUNTED = (Payment, Tender, Allocation, Reduction, PrepaidEntry, Receipt, ReceiptVoid, Refund, Bill)


def counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        found = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in COUNTED
        }
        found["next_sj"] = session.get(ReceiptSeries, "SJ").next_number  # type: ignore[union-attr]
    return found


def check_books(db: Database, model: Model, rooms: tuple[int, ...]) -> None:
    with db.read() as session:
        tendered = sums_by(session, Tender.amount_fen, Tender.payment_id)
        from_prepaid = sums_by(
            session, Tender.amount_fen, Tender.payment_id, Tender.method == PayMethod.PREPAID.value
        )
        allocated = sums_by(
            session, Allocation.amount_fen, Allocation.payment_id, Allocation.void_id.is_(None)
        )
        put_in = sums_by(
            session,
            PrepaidEntry.amount_fen,
            PrepaidEntry.payment_id,
            PrepaidEntry.void_id.is_(None),
            PrepaidEntry.amount_fen > 0,
        )
        drawn = sums_by(
            session,
            PrepaidEntry.amount_fen,
            PrepaidEntry.payment_id,
            PrepaidEntry.void_id.is_(None),
            PrepaidEntry.amount_fen < 0,
        )
        for payment in session.scalars(select(Payment)):
            assert payment.total_fen == tendered.get(payment.id, 0), payment.id
            assert payment.total_fen == allocated.get(payment.id, 0) + put_in.get(payment.id, 0)
            assert -drawn.get(payment.id, 0) == from_prepaid.get(payment.id, 0)
        for tender in session.scalars(select(Tender)):
            assert tender.amount_fen > 0
            assert tender.change_fen == tender.tendered_fen - tender.amount_fen >= 0
            if tender.method != PayMethod.CASH.value:
                assert tender.change_fen == 0

        # A voided payment nets to nothing, row for row.
        voided = {p for p, posting in model.postings.items() if posting.voided}
        for table, key in (
            (Allocation.amount_fen, Allocation.payment_id),
            (Reduction.amount_fen, Reduction.payment_id),
            (PrepaidEntry.amount_fen, PrepaidEntry.payment_id),
        ):
            nets = sums_by(session, table, key)
            assert all(nets.get(p, 0) == 0 for p in voided)

        paid = sums_by(session, Allocation.amount_fen, Allocation.bill_id)
        reduced = sums_by(session, Reduction.amount_fen, Reduction.bill_id)
        dues = {bill_id: due for bill_id, due in session.execute(select(Bill.id, Bill.due_fen))}
        assert dues == model.due
        for bill_id, due in dues.items():
            settled = paid.get(bill_id, 0) + reduced.get(bill_id, 0)
            assert 0 <= settled <= due, (bill_id, settled, due)
            assert due - settled == model.outstanding(bill_id), bill_id

        # 收缴率's sums, kept by triggers, agree with the bills, allocations and reductions.
        expected: dict[tuple[str, int], tuple[int, int, int, int]] = {}
        for bill_id, period, item, gross, at_billing in session.execute(
            select(Bill.id, Bill.period, Bill.fee_item_id, Bill.amount_fen, Bill.reduction_fen)
        ):
            if period is not None:
                was = expected.get((period, item), (0, 0, 0, 0))
                now = (gross, at_billing, reduced.get(bill_id, 0), paid.get(bill_id, 0))
                expected[(period, item)] = tuple(a + b for a, b in zip(was, now, strict=True))
        kept = session.execute(
            select(
                CollectionTally.period,
                CollectionTally.fee_item_id,
                func.sum(CollectionTally.billed_fen),
                func.sum(CollectionTally.reduced_at_billing_fen),
                func.sum(CollectionTally.reduced_later_fen),
                func.sum(CollectionTally.collected_fen),
            ).group_by(CollectionTally.period, CollectionTally.fee_item_id)
        )
        assert {(p, i): (b, a, r, c) for p, i, b, a, r, c in kept} == expected

        held = sums_by(session, PrepaidEntry.amount_fen, PrepaidEntry.room_id)
        for room_id in rooms:
            assert held.get(room_id, 0) >= 0
            assert held.get(room_id, 0) == model.balance(room_id)
            # The services' own view agrees with the raw rows.
            assert prepaid_balance(session, room_id) == model.balance(room_id)
            lines = {
                line.bill_id: line.outstanding_fen for line in bill_lines(session, room_id=room_id)
            }
            assert lines == {b: model.outstanding(b) for b in model.bills_of(room_id)}


# drawing a valid posting ---------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    request: PaymentRequest
    settles: dict[int, int]  # bills chosen at the counter (advance bills come later)
    prepaid_fen: int
    change_fen: int
    advance_fen: int
    advance_bills: int  # bills the posting creates for months not billed yet
    advance_existing: dict[int, int]  # unpaid future bills (a voided 预交 leaves them) it pays


def split(data: st.DataObject, total: int, parts: int) -> list[int]:
    """`total` as `parts` positive amounts."""
    if parts == 1:
        return [total]
    cuts = sorted(
        data.draw(
            st.lists(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1, unique=True)
        )
    )
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


def plan_posting(
    data: st.DataObject, db: Database, model: Model, room_id: int, actor: Actor
) -> Planned | None:
    may_reduce = actor.role == Role.SUPERVISOR
    months = data.draw(st.sampled_from([0, 0, 1, 2, 3]), label="advance months")
    quote = payments.advance_quote(db, actor, room_id, months, today=TODAY)
    # A bill the 预交 pays is not also picked by hand (post_payment refuses that).
    ahead = {line.bill_id for line in quote}
    open_bills = [b for b in model.open_bills(room_id) if b not in ahead]
    chosen = (
        data.draw(st.lists(st.sampled_from(open_bills), unique=True, max_size=4), label="bills")
        if open_bills
        else []
    )
    allocations: list[tuple[int, int]] = []
    reductions: list[ReductionInput] = []
    settles: dict[int, int] = {}
    for bill_id in chosen:
        owed = model.outstanding(bill_id)
        cut = 0
        if may_reduce and data.draw(st.booleans(), label="reduce"):
            cut = data.draw(st.integers(1, owed), label="reduction")
            reductions.append(ReductionInput(bill_id, cut, "困难户减免"))
        amount = data.draw(st.integers(0 if cut else 1, owed - cut), label="amount")
        if amount:
            allocations.append((bill_id, amount))
        settles[bill_id] = cut + amount
    advance_fen = sum(line.due_fen for line in quote)
    balance = model.balance(room_id)
    use_prepaid = balance > 0 and data.draw(st.booleans(), label="use 预存")
    deposit = 0 if use_prepaid else data.draw(st.sampled_from([0, 0, 1, 100, 12_345, 200_000]))
    charged = sum(a for _, a in allocations) + advance_fen + deposit
    if charged == 0 and not reductions:
        return None
    tenders: list[TenderInput] = []
    remaining, change, drawn = charged, 0, 0
    if use_prepaid and charged:
        drawn = data.draw(st.integers(1, min(balance, charged)), label="drawn")
        tenders.append(TenderInput(PayMethod.PREPAID, drawn))
        remaining -= drawn
    if remaining:
        methods = data.draw(
            st.lists(
                st.sampled_from(COUNTER_METHODS),
                unique=True,
                min_size=1,
                max_size=min(3, remaining),
            ),
            label="methods",
        )
        for method, amount in zip(methods, split(data, remaining, len(methods)), strict=True):
            if method == PayMethod.CASH:
                change = data.draw(st.sampled_from([0, 0, 1, 50, 10_000]), label="change")
                tenders.append(TenderInput(method, amount, amount + change))
            else:
                tenders.append(TenderInput(method, amount, reference="T123"))
    request = PaymentRequest(
        room_id,
        tuple(allocations),
        tuple(tenders),
        tuple(reductions),
        advance_months=months,
        advance_total_fen=advance_fen,
        prepaid_fen=deposit,
        payer="业主",
    )
    return Planned(
        request,
        settles,
        deposit - drawn,
        change,
        advance_fen,
        sum(1 for line in quote if line.bill_id is None),
        {line.bill_id: line.due_fen for line in quote if line.bill_id is not None},
    )


def post_and_learn(
    db: Database, model: Model, actor: Actor, planned: Planned, form: str = ""
) -> PostedPayment:
    request = planned.request
    if form:
        request = replace(request, form_number=form)
    posted = payments.post_payment(db, actor, request, today=TODAY)
    assert posted.total_fen == request.charged_fen
    assert posted.change_fen == planned.change_fen
    new_bills = model.learn_bills(db)
    assert len(new_bills) == planned.advance_bills  # one per item and month paid ahead
    with db.read() as session:
        allocated = sums_by(
            session,
            Allocation.amount_fen,
            Allocation.bill_id,
            Allocation.payment_id == posted.payment_id,
        )
    settles = dict(planned.settles)
    for bill_id in new_bills:
        assert allocated.get(bill_id, 0) == model.due[bill_id]  # paid in full
        settles[bill_id] = model.due[bill_id]
    for bill_id, owed in planned.advance_existing.items():
        assert allocated.get(bill_id, 0) == owed
        settles[bill_id] = settles.get(bill_id, 0) + owed
    ahead = sum(model.due[b] for b in new_bills) + sum(planned.advance_existing.values())
    assert ahead == planned.advance_fen
    event(
        "posted"
        + (" with advance" if new_bills else "")
        + (" with 减免" if request.reductions else "")
    )
    model.postings[posted.payment_id] = Posting(
        request.room_id, settles, planned.prepaid_fen, posted.receipt_no, actor
    )
    return posted


# actions other than posting ----------------------------------------------------------


def refund_prepaid(data: st.DataObject, db: Database, model: Model, community: Community) -> None:
    holders = [r for r in community.rooms if model.balance(r) > 0]
    if not holders:
        return
    room_id = data.draw(st.sampled_from(holders), label="refund room")
    amount = data.draw(st.integers(1, model.balance(room_id)), label="refund")
    refund = refunds.post_refund(
        db,
        community.cashier,
        RefundRequest(room_id, PayMethod.CASH, "业主搬离，退还预存", "张三", amount_fen=amount),
        today=TODAY,
    )
    assert refund.amount_fen == amount and refund.receipt_no.startswith("TK")
    model.refunded[room_id] += amount
    event("预存 refunded")


def bill_next_period(db: Database, model: Model, community: Community) -> None:
    """A billing run; households with 预存 then pay their bills from it, oldest first."""
    with db.read() as session:
        done = set(session.scalars(select(BillingRun.period)))
    pending = [p for p in LATER if str(p) not in done]
    if not pending:
        return
    period = pending[0]
    balances = {room: model.balance(room) for room in community.rooms}
    known_payments = set(model.postings)
    result = billing.run_billing(db, community.admin, period, today=TODAY)
    model.learn_bills(db)
    expected = {
        room: min(
            balances[room],
            sum(
                model.outstanding(b)
                for b in model.bills_of(room)
                if model.period_of[b] is not None and model.period_of[b] <= str(period)
            ),
        )
        for room in community.rooms
    }
    with db.read() as session:
        new = session.scalars(select(Payment).where(Payment.id.not_in(known_payments))).all()
        for payment in new:
            assert payment.cashier_id is None and payment.day == TODAY
            assert (
                session.scalar(select(Receipt.id).where(Receipt.payment_id == payment.id)) is None
            )
            allocated = sums_by(
                session,
                Allocation.amount_fen,
                Allocation.bill_id,
                Allocation.payment_id == payment.id,
            )
            partial = [b for b, fen in allocated.items() if fen < model.outstanding(b)]
            assert len(partial) <= 1  # the balance runs out on one bill at most
            model.postings[payment.id] = Posting(
                payment.room_id, allocated, -payment.total_fen, None, None
            )
    drawn = {p.room_id: p.total_fen for p in new}
    event(f"billing run drew 预存 for {len(drawn)} room(s)")
    assert drawn == {room: fen for room, fen in expected.items() if fen}
    assert result.prepaid_drawn_fen == sum(expected.values())


def run_counter_day(
    data: st.DataObject, db: Database, model: Model, community: Community, steps: int
) -> None:
    """Random postings, 预存 refunds and billing runs, checking the books after each."""
    for _ in range(steps):
        action = data.draw(
            st.sampled_from(["pay", "pay", "pay", "pay", "refund", "bill"]), label="action"
        )
        if action == "refund":
            refund_prepaid(data, db, model, community)
        elif action == "bill":
            bill_next_period(db, model, community)
        else:
            room_id = data.draw(st.sampled_from(community.rooms), label="room")
            actor = data.draw(
                st.sampled_from([community.supervisor, community.cashier]), label="actor"
            )
            planned = plan_posting(data, db, model, room_id, actor)
            if planned is not None:
                post_and_learn(db, model, actor, planned)
        check_books(db, model, community.rooms)


# 1. postings -------------------------------------------------------------------------


@db_settings(30)
@given(data=st.data())
def test_postings_keep_the_books_balanced(
    data: st.DataObject, community: Community, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with fresh_copy(community, tmp_path_factory) as (db, _):
        model = new_model(db)
        check_books(db, model, community.rooms)
        run_counter_day(data, db, model, community, data.draw(st.integers(1, 8), label="steps"))


# 2. voids ------------------------------------------------------------------------------


@db_settings(30)
@given(data=st.data())
def test_voids_restore_the_books_exactly_and_only_once(
    data: st.DataObject, community: Community, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with fresh_copy(community, tmp_path_factory) as (db, _):
        model = new_model(db)
        run_counter_day(data, db, model, community, data.draw(st.integers(1, 7), label="steps"))
        receipted = [p for p, posting in model.postings.items() if posting.receipt]
        assume(receipted)
        order = data.draw(st.permutations(receipted), label="void order")
        voided = 0
        for payment_id in order[: data.draw(st.integers(1, len(order)), label="voids")]:
            posting = model.postings[payment_id]
            assert posting.receipt is not None and posting.actor is not None
            # Bills a 预交 created stay after its void, owed in full; the next 预交 pays them.
            outstanding = {b: model.outstanding(b) for b in model.due}
            balance = model.balance(posting.room_id)
            before = counts(db)
            if posting.prepaid_fen > 0 and balance < posting.prepaid_fen:
                # The 预存 it put in has been drawn or refunded since: refused, untouched.
                with pytest.raises(UserError, match="已被使用"):
                    voids.void_receipt(db, posting.actor, posting.receipt, "收错了", TODAY)
                assert counts(db) == before
                check_books(db, model, community.rooms)
                event("void refused: 预存 already used")
                continue
            voids.void_receipt(db, posting.actor, posting.receipt, "收款方式选错", TODAY)
            voided += 1
            posting.voided = True
            event("voided")
            check_books(db, model, community.rooms)
            for bill_id, owed in outstanding.items():
                assert model.outstanding(bill_id) == owed + posting.settles.get(bill_id, 0)
            assert model.balance(posting.room_id) == balance - posting.prepaid_fen
            after = counts(db)
            with pytest.raises(UserError, match="已经作废"):
                voids.void_receipt(db, community.supervisor, posting.receipt, "再作废", TODAY)
            assert counts(db) == after
            assert after["receipt_void"] == voided
            assert after["receipt"] == before["receipt"]  # the receipt keeps its number
        check_books(db, model, community.rooms)


def _take_everything_shown(
    db: Database, actor: Actor, room_id: int, months: int
) -> tuple[PostedPayment, set[str]]:
    """What the counter offers: every open bill in full, plus `months` paid ahead."""
    view = payments.counter_view(db, actor, room_id, TODAY)
    quote = payments.advance_quote(db, actor, room_id, months, TODAY)
    ahead = sum(line.due_fen for line in quote)
    allocations = tuple((line.bill_id, line.outstanding_fen) for line in view.open_bills)
    total = sum(fen for _, fen in allocations) + ahead
    request = PaymentRequest(
        room_id,
        allocations,
        (TenderInput(PayMethod.CASH, total),),
        advance_months=months,
        advance_total_fen=ahead,
    )
    posted = payments.post_payment(db, actor, request, today=TODAY)
    return posted, {str(line.period) for line in quote}


def test_voiding_an_advance_payment_and_taking_it_again_covers_the_same_months(
    community: Community, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with fresh_copy(community, tmp_path_factory) as (db, _):
        cashier, room_id = community.cashier, community.rooms[0]
        first, months = _take_everything_shown(db, cashier, room_id, 3)
        assert months == {"2026-05", "2026-06", "2026-07"}
        through = payments.counter_view(db, cashier, room_id, TODAY).paid_through
        assert through == Period(2026, 7)
        # Keyed as cash, paid by WeChat: 作废重开, as the counter does every week.
        voids.void_receipt(db, cashier, first.receipt_no, "收款方式选错，作废重开", TODAY)
        # The voided 预交 left May's bills behind: May is now an open bill of this month,
        # and two months ahead are June and July, the bills it left unpaid.
        _, again = _take_everything_shown(db, cashier, room_id, 2)
        with db.read() as session:
            unpaid = sorted(
                line.period or ""
                for line in bill_lines(session, room_id=room_id)
                if line.outstanding_fen
            )
        assert unpaid == []
        assert again == {"2026-06", "2026-07"}
        assert payments.counter_view(db, cashier, room_id, TODAY).paid_through == through


# 3. receipt numbers ------------------------------------------------------------------------

FAILURES = (
    "over",
    "zero_allocation",
    "zero_tender",
    "short_cash",
    "mismatch",
    "card_change",
    "same_method_twice",
    "over_limit",
    "negative_prepaid",
    "nothing",
    "prepaid_over",
    "advance_stale",
    "duplicate_form",
    "settled",
    "other_room",
)


def failing_request(
    data: st.DataObject,
    db: Database,
    model: Model,
    community: Community,
    room_id: int,
    kind: str,
    forms: list[str],
) -> tuple[PaymentRequest, type[UserError], str] | None:
    """A posting the counter must refuse, with the error expected; None if impossible now."""
    x = data.draw(st.integers(2, 50_000), label="x")
    deposit_only = {"prepaid_fen": x}

    def request(*tenders: TenderInput, **changes: object) -> PaymentRequest:
        fields: dict[str, Any] = {"allocations": (), **changes}
        return PaymentRequest(room_id, tenders=tuple(tenders), **fields)

    open_bills = model.open_bills(room_id)
    if kind == "over" and open_bills:
        bill_id = data.draw(st.sampled_from(open_bills))
        too_much = model.outstanding(bill_id) + data.draw(st.integers(1, 10_000))
        return (
            request(TenderInput(PayMethod.WECHAT, too_much), allocations=((bill_id, too_much),)),
            ValidationError,
            "超过尚欠",
        )
    if kind == "zero_allocation":
        bill_id = data.draw(st.sampled_from(model.bills_of(room_id)))
        return (
            request(TenderInput(PayMethod.CASH, 100), allocations=((bill_id, 0),), prepaid_fen=100),
            ValidationError,
            "须大于零",
        )
    if kind == "zero_tender":
        return request(TenderInput(PayMethod.CASH, 0), **deposit_only), ValidationError, "须大于零"
    if kind == "short_cash":
        short = data.draw(st.integers(1, x))
        return (
            request(TenderInput(PayMethod.CASH, x, x - short), **deposit_only),
            ValidationError,
            "少于应收现金",
        )
    if kind == "mismatch":
        off = data.draw(st.sampled_from([-1, 1, 100, -x + 1]))
        return (
            request(TenderInput(PayMethod.ALIPAY, x + off), **deposit_only),
            ValidationError,
            "不符",
        )
    if kind == "card_change":
        return (
            request(TenderInput(PayMethod.CARD, x, x + 100), **deposit_only),
            ValidationError,
            "只有现金可以找零",
        )
    if kind == "same_method_twice":
        return (
            request(
                TenderInput(PayMethod.CASH, 1), TenderInput(PayMethod.CASH, x - 1), **deposit_only
            ),
            ValidationError,
            "只能填一行",
        )
    if kind == "over_limit":
        big = MAX_PAYMENT_FEN + 1
        return (
            request(TenderInput(PayMethod.TRANSFER, big), prepaid_fen=big),
            ValidationError,
            "单笔上限",
        )
    if kind == "negative_prepaid":
        return (
            request(TenderInput(PayMethod.CASH, x), prepaid_fen=-x),
            ValidationError,
            "不能为负数",
        )
    if kind == "nothing":
        return request(), ValidationError, "至少输入一种收款方式"
    if kind == "prepaid_over":
        balance = model.balance(room_id)
        bigger = [b for b in open_bills if model.outstanding(b) > balance]
        if bigger:
            bill_id = data.draw(st.sampled_from(bigger))
            owed = model.outstanding(bill_id)
            return (
                request(TenderInput(PayMethod.PREPAID, owed), allocations=((bill_id, owed),)),
                ValidationError,
                "超过该户预存余额",
            )
    if kind == "advance_stale":
        months = data.draw(st.integers(1, 3))
        quoted = sum(
            d.due_fen
            for d in payments.advance_quote(db, community.supervisor, room_id, months, TODAY)
        )
        stale = quoted + data.draw(st.sampled_from([1, 100, -1])) if quoted > 1 else quoted + 1
        return (
            request(
                TenderInput(PayMethod.CASH, stale),
                advance_months=months,
                advance_total_fen=stale,
            ),
            UserError,
            "预交金额已变化",
        )
    if kind == "duplicate_form" and forms:
        return (
            request(
                TenderInput(PayMethod.CASH, x),
                form_number=data.draw(st.sampled_from(forms)),
                **deposit_only,
            ),
            ValidationError,
            "已用于另一张收据",
        )
    settled = [b for b in model.bills_of(room_id) if model.outstanding(b) == 0]
    if kind == "settled" and settled:
        bill_id = data.draw(st.sampled_from(settled))
        return (
            request(TenderInput(PayMethod.WECHAT, 1), allocations=((bill_id, 1),)),
            UserError,
            "已经结清",
        )
    others = [b for b in model.due if model.room_of[b] != room_id and model.outstanding(b) > 0]
    if kind == "other_room" and others:
        bill_id = data.draw(st.sampled_from(others))
        return (
            request(TenderInput(PayMethod.WECHAT, 1), allocations=((bill_id, 1),)),
            NotFound,
            "不属于该房屋",
        )
    return None


@db_settings(15)
@given(data=st.data())
def test_receipt_numbers_have_no_gaps_even_when_postings_fail(
    data: st.DataObject, community: Community, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with fresh_copy(community, tmp_path_factory) as (db, _):
        model = new_model(db)
        actor = community.supervisor
        issued: list[str] = []
        forms: list[str] = []

        def post_one(room_id: int) -> None:
            planned = plan_posting(data, db, model, room_id, actor)
            if planned is None:
                return
            before = counts(db)
            with_form = not forms or data.draw(st.booleans(), label="form")
            form = f"NO.{len(forms) + 1:05d}" if with_form else ""
            posted = post_and_learn(db, model, actor, planned, form)
            if form:
                forms.append(form)
            issued.append(posted.receipt_no)
            assert posted.receipt_no == f"SJ{len(issued):08d}"
            assert counts(db)["next_sj"] == before["next_sj"] + 1

        # Every kind of refusal, in a random order, between random good postings.
        for index, kind in enumerate(data.draw(st.permutations(FAILURES), label="refusals")):
            room_id = data.draw(st.sampled_from(community.rooms), label="room")
            if index == 0 or data.draw(st.booleans(), label="a good posting first"):
                post_one(room_id)
            refused = failing_request(data, db, model, community, room_id, kind, forms)
            if refused is None:
                continue
            request, error, words = refused
            before = counts(db)
            with pytest.raises(error, match=words):
                payments.post_payment(db, actor, request, today=TODAY)
            assert counts(db) == before  # no number, no bill, no money row
            event(f"refused: {kind}")
        post_one(data.draw(st.sampled_from(community.rooms), label="room"))
        check_books(db, model, community.rooms)
        with db.read() as session:
            numbers = session.scalars(
                select(Receipt.number).where(Receipt.series == "SJ").order_by(Receipt.number)
            ).all()
            payment_ids = session.scalars(
                select(Receipt.payment_id).where(Receipt.series == "SJ")
            ).all()
            series = session.get(ReceiptSeries, "SJ")
            assert series is not None
            assert series.next_number == len(issued) + 1
        assert list(numbers) == list(range(1, len(issued) + 1))
        assert len(set(payment_ids)) == len(payment_ids) and None not in payment_ids
        assert issued == [f"SJ{n:08d}" for n in numbers]


# 4. two counters -------------------------------------------------------------------------


@db_settings(20)
@given(data=st.data())
def test_a_bill_just_paid_at_the_other_counter_is_refused_cleanly(
    data: st.DataObject, community: Community, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with fresh_copy(community, tmp_path_factory) as (counter_a, path):
        counter_b = open_copy(community, path)  # the second PC on the same database
        try:
            room_id = data.draw(st.sampled_from(community.rooms), label="room")
            view = payments.counter_view(counter_a, community.cashier, room_id, TODAY)
            line = data.draw(st.sampled_from(view.open_bills), label="bill")
            taken = data.draw(st.integers(1, line.outstanding_fen), label="taken at B")
            payments.post_payment(
                counter_b,
                community.cashier2,
                PaymentRequest(
                    room_id, ((line.bill_id, taken),), (TenderInput(PayMethod.WECHAT, taken),)
                ),
                today=TODAY,
            )
            before = counts(counter_a)
            stale = PaymentRequest(
                room_id,
                ((line.bill_id, line.outstanding_fen),),
                (TenderInput(PayMethod.CASH, line.outstanding_fen, line.outstanding_fen + 500),),
            )
            if taken == line.outstanding_fen:
                with pytest.raises(UserError, match="已经结清") as refused:
                    payments.post_payment(counter_a, community.cashier, stale, today=TODAY)
                assert "本次未收款" in refused.value.message
            else:
                with pytest.raises(ValidationError, match="超过尚欠"):
                    payments.post_payment(counter_a, community.cashier, stale, today=TODAY)
            assert counts(counter_a) == before
            # Refreshed, counter A sees what is left and can take exactly that.
            fresh = payments.counter_view(counter_a, community.cashier, room_id, TODAY)
            left = {b.bill_id: b.outstanding_fen for b in fresh.open_bills}
            assert left.get(line.bill_id, 0) == line.outstanding_fen - taken
            if line.bill_id in left:
                rest = left[line.bill_id]
                payments.post_payment(
                    counter_a,
                    community.cashier,
                    PaymentRequest(
                        room_id, ((line.bill_id, rest),), (TenderInput(PayMethod.CASH, rest),)
                    ),
                    today=TODAY,
                )
            with counter_a.read() as session:
                assert bill_lines(session, bill_ids=[line.bill_id])[0].outstanding_fen == 0
        finally:
            counter_b.dispose()


def _take_at_counter(
    db: Database,
    actor: Actor,
    request: PaymentRequest,
    start: threading.Barrier,
    outcomes: list[PostedPayment | UserError],
) -> None:
    start.wait()
    try:
        outcomes.append(payments.post_payment(db, actor, request, today=TODAY))
    except UserError as exc:
        outcomes.append(exc)


def test_two_counters_racing_for_one_bill_take_it_once(
    community: Community, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with fresh_copy(community, tmp_path_factory) as (counter_a, path):
        counter_b = open_copy(community, path)
        try:
            view = payments.counter_view(counter_a, community.cashier, community.rooms[0], TODAY)
            for line in view.open_bills[:4]:
                request = PaymentRequest(
                    community.rooms[0],
                    ((line.bill_id, line.outstanding_fen),),
                    (TenderInput(PayMethod.WECHAT, line.outstanding_fen),),
                )
                before = counts(counter_a)
                start = threading.Barrier(2)
                outcomes: list[PostedPayment | UserError] = []
                threads = [
                    threading.Thread(
                        target=_take_at_counter, args=(db, actor, request, start, outcomes)
                    )
                    for db, actor in (
                        (counter_a, community.cashier),
                        (counter_b, community.cashier2),
                    )
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(30)
                posted = [o for o in outcomes if isinstance(o, PostedPayment)]
                refused = [o for o in outcomes if isinstance(o, UserError)]
                assert len(posted) == 1 and len(refused) == 1, outcomes
                assert "已经结清" in refused[0].message
                after = counts(counter_a)
                assert after["payment"] == before["payment"] + 1
                assert after["receipt"] == before["receipt"] + 1
                assert after["allocation"] == before["allocation"] + 1
                with counter_a.read() as session:
                    assert bill_lines(session, bill_ids=[line.bill_id])[0].outstanding_fen == 0
        finally:
            counter_b.dispose()


# 5. the arithmetic ----------------------------------------------------------------------


def test_known_values_round_half_up() -> None:
    assert price_times(8950, 22000) == 19690  # 89.50 m² × 2.20
    assert price_times(1, 5_000) == 1  # 0.005 元 → 0.01
    assert price_times(1, 4_999) == 0
    assert price_times(-1, 5_000) == -1
    assert prorate(1, 15, 30) == 1  # half a fen → one fen
    assert prorate(3, 5, 30) == 1
    assert prorate(19690, 16, 30) == 10501  # 10501.33


@settings(max_examples=100)
@given(st.integers(0, 10**12))
def test_price_times_rounds_exact_halves_up(fen: int) -> None:
    # 0.01 of a unit at a price of (fen + ½) × 100 yuan comes to exactly fen + ½ fen.
    assert price_times(1, fen * 10_000 + 5_000) == fen + 1
    assert price_times(-1, fen * 10_000 + 5_000) == -(fen + 1)


@settings(max_examples=300)
@given(quantity=st.integers(-(10**9), 10**9), price=st.integers(0, 10**9))
def test_price_times_rounds_half_up_to_an_integer_fen(quantity: int, price: int) -> None:
    fen = price_times(quantity, price)
    assert type(fen) is int
    exact = quantity * price  # in fen × 10,000
    if exact >= 0:
        assert -5_000 < fen * 10_000 - exact <= 5_000  # half up
    assert price_times(-quantity, price) == -fen  # half away from zero, symmetric
    assert price_times(quantity + 1, price) >= fen  # more quantity never costs less


@settings(max_examples=300)
@given(
    amount=st.integers(0, 10**10),
    period_days=st.integers(28, 31),
    data=st.data(),
)
def test_prorate_is_monotone_bounded_and_exact_at_the_ends(
    amount: int, period_days: int, data: st.DataObject
) -> None:
    days = data.draw(st.integers(0, period_days))
    fen = prorate(amount, days, period_days)
    assert type(fen) is int
    assert 0 <= fen <= amount
    assert -period_days < 2 * (fen * period_days - amount * days) <= period_days  # half up
    if days < period_days:
        assert prorate(amount, days + 1, period_days) >= fen
    assert prorate(amount, period_days, period_days) == amount
    assert prorate(amount, 0, period_days) == 0
    assert [prorate(amount, d, period_days) for d in range(period_days + 1)] == sorted(
        prorate(amount, d, period_days) for d in range(period_days + 1)
    )


@settings(max_examples=300)
@given(st.integers(-MAX_AMOUNT_FEN, MAX_AMOUNT_FEN))
def test_format_then_parse_yuan_round_trips(fen: int) -> None:
    assert parse_yuan(format_yuan(fen, grouping=False)) == fen
    assert parse_yuan(format_yuan(fen)) == fen
    assert parse_yuan(format_yuan(fen, symbol=True) + "元") == fen


@pytest.mark.parametrize(
    "fen", [MAX_AMOUNT_FEN + 1, -MAX_AMOUNT_FEN - 1, 10**14, 10**19, 10**28 + 1, -(10**20)]
)
def test_parse_yuan_refuses_absurd_amounts_rather_than_rounding_them(fen: int) -> None:
    with pytest.raises(MoneyFormatError):
        parse_yuan(format_yuan(fen, grouping=False))


@settings(max_examples=300)
@given(
    whole=st.integers(0, 10**9),
    decimals=st.text(alphabet="0123456789", min_size=3, max_size=8),
    negative=st.booleans(),
    dressing=st.sampled_from(["{}", "¥{}", "{}元", " {} "]),
)
def test_parse_yuan_refuses_three_or_more_decimals(
    whole: int, decimals: str, negative: bool, dressing: str
) -> None:
    text = dressing.format(f"{'-' if negative else ''}{whole}.{decimals}")
    with pytest.raises(MoneyFormatError):
        parse_yuan(text)


@settings(max_examples=300)
@given(st.integers(-(10**17), 10**17))
def test_amount_in_words_starts_with_renminbi_and_ends_with_zheng_only_without_fen(
    fen: int,
) -> None:
    words = to_words(fen)
    assert words.startswith("人民币")
    assert words.endswith("整") == (abs(fen) % 100 == 0)
    if abs(fen) % 10:
        assert words.endswith("分")
    assert ("负" in words) == (fen < 0)
