"""Demo move-in: the last buildings' unsold flats handed over as a batch this week —
some done, some half-way through the checklist, some only booked — with the
inspection's defects open, overdue, waiting for re-inspection and closed.

Written through the services (a few rooms only), so the records are exactly what
the counter would have produced."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from frontdesk.demo import timeline as demo_timeline
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.movein import RESPONSIBLE, Step
from frontdesk.domain.roles import Actor
from frontdesk.errors import UserError
from frontdesk.services.database import Database
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.movein import defects
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein.defects import DefectInput

DEFECTS = (
    ("次卧", "墙面", "次卧墙面有一道约 30 厘米的裂缝"),
    ("主卧", "门窗", "主卧推拉窗关闭不严，有缝隙透风"),
    ("卫生间", "防水", "淋浴区墙角闭水试验后楼下有渗水痕迹"),
    ("客厅", "地面", "客厅地砖两块空鼓，敲击有空响"),
    ("厨房", "水电", "厨房两个插座无电"),
    ("阳台", "顶棚", "阳台顶棚涂料起皮"),
    ("厨房", "管道", "厨房下水管接口渗漏"),
)
Namer = Callable[[random.Random], str]


# The batch opened this many days ago: no move-in money is posted before it (the
# other demo postings are made around it: demo/repairs.py).
MONEY_FROM = timedelta(days=14)


def add_demo_movein(
    db: Database,
    clerk: Actor,
    cashier: Actor,
    rng: random.Random,
    name: Namer,
    today: date,
) -> dict[str, int]:
    buildings = structure.list_buildings(db, clerk)
    residential = [b.id for b in buildings if b.name.endswith("栋")][-2:]
    starts = today - MONEY_FROM
    try:
        batch = movein.create_batch(
            db,
            clerk,
            f"{starts:%Y年%m月} 尾盘集中交付",
            starts,
            today + timedelta(days=14),
            residential,
            today=starts - timedelta(days=10),  # the notices went out before the batch opened
        )
    except UserError:  # a small demo may have no flat left to hand over
        return {"handovers": 0, "defects": 0}
    rooms = [row.room_id for row in movein.batch_board(db, clerk, batch).rows]
    found = 0
    visits = []
    for index, room in enumerate(rooms):
        stage = index % 4  # 0 handed over, 1 half-way, 2 booked, 3 not booked yet
        # Those handled came in the batch's first days; the booked ones come next week.
        day = (
            starts + timedelta(days=index % 5)
            if stage < 2
            else today + timedelta(days=1 + index % 5)
        )
        visits.append((datetime.combine(day, time(9 + index % 8)).astimezone(), index, room))
    # In the order they came: the fees are paid, and their receipts numbered, in time.
    for at, index, room in sorted(visits):
        stage = index % 4
        if stage < 3:
            movein.set_appointment(db, clerk, room, at, now=at)
        if stage < 2:
            _steps(db, clerk, cashier, room, name, rng, at, done=stage == 0)
            found += _defects(db, clerk, room, rng, at.date(), today)
    return {"handovers": len(rooms), "defects": found}


def _steps(
    db: Database,
    clerk: Actor,
    cashier: Actor,
    room: int,
    name: Namer,
    rng: random.Random,
    at: datetime,
    *,
    done: bool,
) -> None:
    """The checklist of a room, recorded at its appointment `at` (step after step a
    few minutes apart); all of it, and the move-in completed that day, when `done`."""
    steps = iter(at + timedelta(minutes=6 * n) for n in range(20))
    owner = name(rng)
    phone = f"139{rng.randrange(10**8):08d}"
    households.add_record(
        db, clerk, room, households.PersonInput(PersonKind.OWNER, owner, phone=phone)
    )
    documents = {"items": ["购房合同", "业主身份证件"]}
    movein.record_step(db, clerk, room, Step.DOCUMENTS, documents, next(steps))
    agreements = {"items": ["临时管理规约", "前期物业服务协议"]}
    movein.record_step(db, clerk, room, Step.AGREEMENTS, agreements, next(steps))
    movein.record_step(db, clerk, room, Step.OWNER_FILE, {}, next(steps))
    if not done:
        return
    on = at.astimezone().date()
    request = PaymentRequest(
        room, (), (TenderInput(PayMethod.WECHAT, 90000),), prepaid_fen=90000, payer=owner
    )
    fees_at = next(steps)
    # Paid at the cashier's window just before the clerk ticks the fees step off.
    with demo_timeline.posting_at(db, fees_at - timedelta(minutes=3)):
        receipt = payments.post_payment(db, cashier, request, on).receipt_no
    movein.record_step(db, clerk, room, Step.FEES, {"receipts": [receipt]}, fees_at)
    water, power = rng.randint(1, 9), rng.randint(5, 40)
    readings = {"readings": {"水表": str(water), "电表": str(power)}}
    movein.record_step(db, clerk, room, Step.METERS, readings, next(steps))
    keys = {"keys": {"入户门钥匙": 3, "单元门钥匙": 2, "信报箱钥匙": 1}}
    movein.record_step(db, clerk, room, Step.KEYS, keys, next(steps))
    cards = {"cards": [f"{rng.randrange(10**8):08d}"]}
    movein.record_step(db, clerk, room, Step.CARDS, cards, next(steps))
    handbook = {"edition": f"{on.year}年版"}
    movein.record_step(db, clerk, room, Step.HANDBOOK, handbook, next(steps))
    # Completed there and then: the catch-up bills and their 预存抵扣 are of that day.
    with demo_timeline.happened_at(next(steps)):
        movein.complete_handover(db, clerk, room, on)


def _defects(
    db: Database, clerk: Actor, room: int, rng: random.Random, found_on: date, today: date
) -> int:
    """Each room's defects in the three states the office sees: the first left open
    past its deadline (the overdue list has something to chase), the second repaired
    and accepted at re-inspection, the third repaired and waiting for the owner."""
    picked = rng.sample(DEFECTS, rng.randint(2, 3))
    for number, (area, kind, text) in enumerate(picked):
        deadline = found_on + timedelta(days=7)
        data = DefectInput(area, kind, text, rng.choice(RESPONSIBLE[:2]), found_on, deadline)
        defect = defects.add_defect(db, clerk, room, data)
        if number:
            fixed = min(deadline - timedelta(days=1), today)
            defects.mark_fixed(db, clerk, defect, fixed, "施工单位已维修")
        if number == 1:
            defects.recheck(db, clerk, defect, min(deadline, today), True, "业主复验满意")
    return len(picked)
