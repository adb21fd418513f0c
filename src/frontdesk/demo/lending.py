"""Demo lending cupboard: umbrellas, trolleys, a ladder, tools and a pump; three months
of lendings to households (umbrellas on rainy days, a trolley when someone moves), a
few late ones still out (a ladder five days late), and today's trolley whose deposit
was taken at the cashier."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from frontdesk.db.models import ItemLoan
from frontdesk.demo.timeline import bulk_insert, happened_at, on_day
from frontdesk.domain.fees import Collection, FeeMethod, PayMethod
from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.errors import ValidationError
from frontdesk.services import lending
from frontdesk.services.database import Database
from frontdesk.services.fees import items as fees
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput

DAYS = 90
DEPOSIT_ITEM = "物品借用押金"
# name, stock, loan days, deposit per piece (fen), lendings a day per 1,000 households
ITEMS = (
    ("雨伞", 30, 1, 0, 3.0),
    ("打气筒", 2, 1, 0, 0.6),
    ("折叠梯", 2, 2, 0, 0.5),
    ("工具箱", 3, 3, 0, 0.4),
    ("手推车", 4, 1, 10_000, 0.0),  # deposit: lent today only (past days are closed)
)


def add_demo_lending(
    db: Database,
    boss: Actor,
    clerk: Actor,
    cashier: Actor,
    rng: random.Random,
    owners: dict[int, str],
    now: datetime,
) -> int:
    """Returns how many lendings were made."""
    deposit = fees.add_fee_item(
        db, boss, DEPOSIT_ITEM, "押金", FeeMethod.DEPOSIT, Collection.DEPOSIT
    )
    ids = {}
    for name, stock, days, fen, _rate in ITEMS:
        data = lending.ItemInput(name, stock, days, fen, deposit if fen else None)
        ids[name] = lending.save_item(db, boss, data).id
    rooms = sorted(owners)
    today = now.astimezone().date()
    past = _past_loans(rng, clerk, ids, rooms, owners, now)
    with db.write(SYSTEM) as session:  # in bulk, as the gate's visits: no audit entries
        bulk_insert(session, ItemLoan, past)
    made = len(past)
    made += _ladder_kept(db, clerk, ids["折叠梯"], rooms, owners, today)
    made += _trolley_today(db, clerk, cashier, ids["手推车"], rooms, owners, now)
    return made


def _count(rng: random.Random, mean: float) -> int:
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def _past_loans(
    rng: random.Random,
    clerk: Actor,
    ids: dict[str, int],
    rooms: list[int],
    owners: dict[int, str],
    now: datetime,
) -> list[dict[str, Any]]:
    """Three months of lendings without a deposit, never more out than in stock; those
    of the last ten days now and then still out (late)."""
    today = now.astimezone().date()
    rows: list[dict[str, Any]] = []
    backs: dict[int, list[datetime]] = {item: [] for item in ids.values()}
    for back_days in range(DAYS, 0, -1):
        day = today - timedelta(days=back_days)
        for name, stock, days, _fen, rate in ITEMS:
            item = ids[name]
            for _ in range(_count(rng, rate * len(rooms) / 1000)):
                out = on_day(day, rng.randint(8, 19), rng.randint(0, 59))
                if sum(1 for b in backs[item] if b > out) >= stock:
                    continue  # all of them out that hour
                back = out + timedelta(days=rng.randint(0, days), hours=rng.randint(1, 5))
                kept = back >= now or (back_days <= 10 and rng.random() < 0.15)
                backs[item].append(now + timedelta(days=DAYS) if kept else back)
                room = rng.choice(rooms)
                rows.append(
                    {
                        "item_id": item,
                        "room_id": room,
                        "quantity": 1,
                        "borrower": owners[room],
                        "borrower_phone": f"138{rng.randint(10**7, 10**8 - 1)}",
                        "out_at": out,
                        "due_on": day + timedelta(days=days),
                        "out_by": clerk.display_name,
                        "out_by_id": clerk.user_id,
                        "returned_at": None if kept else back,
                        "returned_by": "" if kept else clerk.display_name,
                        "returned_by_id": None if kept else clerk.user_id,
                        "note": "",
                    }
                )
    return rows


def _ladder_kept(
    db: Database,
    clerk: Actor,
    item_id: int,
    rooms: list[int],
    owners: dict[int, str],
    today: date,
) -> int:
    """A ladder lent five days ago for two, not back: the overdue list is never empty."""
    room = rooms[len(rooms) // 3]
    data = lending.LoanInput(item_id, room, owners[room], "13900002222")
    try:
        with happened_at(on_day(today - timedelta(days=5), 16, 20)):
            lending.lend_item(db, clerk, data)
    except ValidationError:  # a large demo's ladders were all out that afternoon
        return 0
    return 1


def _trolley_today(
    db: Database,
    clerk: Actor,
    cashier: Actor,
    item_id: int,
    rooms: list[int],
    owners: dict[int, str],
    now: datetime,
) -> int:
    """A trolley lent this morning: its deposit on the room, taken at the cashier."""
    room = rooms[len(rooms) // 2]
    with happened_at(on_day(now.astimezone().date(), 9, 10)):
        data = lending.LoanInput(item_id, room, owners[room], "13800001111")
        lending.lend_item(db, clerk, data)
        view = payments.counter_view(db, cashier, room, now.astimezone().date())
        bill = next(b for b in view.open_bills if b.fee_item == DEPOSIT_ITEM)
        tender = TenderInput(PayMethod.CASH, bill.outstanding_fen)
        request = PaymentRequest(room, ((bill.bill_id, bill.outstanding_fen),), (tender,))
        payments.post_payment(db, cashier, request, now.astimezone().date())
    return 1
