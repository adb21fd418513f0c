"""Demo move-in over the year: the 尾盘 the developer sold, handed over in waves
(each wave a batch of a few buildings' flats, most within its first two weeks) whose
records and closed defects are written in bulk (`year_of_handovers`), and the last
buildings' unsold flats handed over as a batch this week — some done, some half-way
through the checklist, some only booked — with the inspection's defects open,
overdue, waiting for re-inspection and closed.

This week's batch is written through the services (a few rooms only), so the records
are exactly what the counter would have produced; the waves' first fees are paid in
the year's ledger (demo/fees.py) at each handover visit."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.models import (
    AccessCard,
    Defect,
    Handover,
    HandoverBatch,
    HandoverStep,
    Receipt,
)
from frontdesk.demo import timeline as demo_timeline
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.movein import RESPONSIBLE, DefectStatus, Step
from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import UserError
from frontdesk.services.database import Database
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.movein import defects
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein.defects import DefectInput
from frontdesk.services.movein.steps import receipt_text

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


Row = dict[str, object]
# The year's waves opened this many days ago; a wave hands over a flat in this share
# of the buildings' sold rooms (the rest were handed over years ago).
WAVE_DAYS_AGO = (300, 210, 120)
HANDED_THIS_YEAR = 0.03
MOVE_IN_PREPAID_FEN = 90000  # 首期物业费等, paid in advance at the handover visit
WAVE_DAYS = 45  # a wave's batch stays open this long


def handover_waves(today: date) -> list[date]:
    """The days the year's waves opened, none in the 春节 month."""
    return [demo_timeline.after_festival(today - timedelta(days=d)) for d in WAVE_DAYS_AGO]


def set_handover_dates(rng: random.Random, rooms: list[Row], today: date) -> None:
    """Most rooms were handed over years ago; a few flats this year, in the wave of
    their building (most in its first two weeks, some weeks later; the office hands
    over no keys in the 春节 month)."""
    waves = handover_waves(today)
    for room in rooms:
        if room["status"] == RoomStatus.UNSOLD.value:
            room["handover_on"] = None
        elif room["room_type"] == RoomType.RESIDENCE.value and rng.random() < HANDED_THIS_YEAR:
            opened = waves[int(str(room["building_id"])) % len(waves)]
            late = min(int(rng.expovariate(1 / 6)), WAVE_DAYS - 1)
            day = demo_timeline.after_festival(opened + timedelta(days=late))
            room["handover_on"] = min(day, today - timedelta(days=20))
        else:
            room["handover_on"] = date(
                rng.randint(2018, 2023), rng.randint(1, 12), rng.randint(1, 28)
            )


def handed_in_a_wave(room_type: str, handover_on: date, year_start: date) -> bool:
    """A flat handed over in one of the year's waves (the year starting `year_start`)."""
    return room_type == RoomType.RESIDENCE.value and handover_on >= year_start


def handover_visit(room_id: int, day: date) -> datetime:
    """When the owner came to the counter for the handover (local time)."""
    return demo_timeline.on_day(day, 9 + room_id % 8, room_id * 7 % 50)


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


def year_of_handovers(
    session: Session,
    rng: random.Random,
    rooms: list[Row],
    clerk: Actor,
    today: date,
) -> dict[str, int]:
    """The year's waves in bulk: a batch for each, each flat's appointment, checklist
    (its fees step naming the receipts of its handover visit) and handover, and the
    inspection's defects, all repaired and accepted at re-inspection within a few
    weeks. Run once the receipts have their final numbers, after this week's batch
    (its rows came first: these take the ids after them)."""
    waves = handover_waves(today)
    year_start = demo_timeline.year_periods(today)[0].first_day
    handed = sorted(
        (day, int(str(room["id"])), int(str(room["building_id"])))
        for room in rooms
        if isinstance(day := room["handover_on"], date)
        and handed_in_a_wave(str(room["room_type"]), day, year_start)
    )
    if not handed:
        return {"handovers": 0, "defects": 0}
    connection = session.connection()

    def after(table: str) -> int:
        return int(
            connection.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one()
        )

    first_batch, first_handover, first_step = (
        after(t) for t in ("handover_batch", "handover", "handover_step")
    )
    receipts = _visit_receipts(session, [(room_id, day) for day, room_id, _ in handed])
    who = {"created_by": clerk.display_name, "created_by_id": clerk.user_id}
    batches: list[Row] = [
        {
            "id": first_batch + number,
            "name": f"{opened:%Y年%m月} 第{number}批尾盘交付",
            "starts_on": opened,
            "ends_on": opened + timedelta(days=WAVE_DAYS),
            "note": "",
            "created_at": demo_timeline.on_day(opened - timedelta(days=12), 10),
            **who,
        }
        for number, opened in enumerate(waves, 1)
    ]
    handovers: list[Row] = []
    steps: list[Row] = []
    cards: list[Row] = []
    found: list[Row] = []
    by = {"done_by": clerk.display_name, "done_by_id": clerk.user_id}
    for day, room_id, building_id in handed:
        wave = building_id % len(waves)
        visit = handover_visit(room_id, day)
        handover_id = first_handover + len(handovers) + 1
        handovers.append(
            {
                "id": handover_id,
                "room_id": room_id,
                "batch_id": first_batch + wave + 1,
                "appointment_at": visit,
                "notice_on": waves[wave] - timedelta(days=10),
                "completed_on": day,
                "completed_by": clerk.display_name,
                "completed_by_id": clerk.user_id,
                "note": "",
            }
        )
        details = _wave_details(rng, receipts.get(room_id, []), day)
        for n, (step, detail) in enumerate(details):
            steps.append(
                {
                    "id": first_step + len(steps) + 1,
                    "room_id": room_id,
                    "handover_id": handover_id,
                    "step": step.value,
                    "detail": json.dumps(detail, ensure_ascii=False),
                    "done_at": visit + timedelta(minutes=6 * n),
                    **by,
                }
            )
            if step == Step.CARDS:
                cards.append(
                    {
                        "room_id": room_id,
                        "step_id": first_step + len(steps),
                        "number": f"MJ{room_id:08d}",
                        "disputed": False,
                    }
                )
        found += _closed_defects(rng, room_id, day, clerk)
    session.execute(insert(HandoverBatch), [b for b in batches if _used(b, handovers)])
    demo_timeline.bulk_insert(session, Handover, handovers)
    demo_timeline.bulk_insert(session, HandoverStep, steps)
    session.execute(insert(AccessCard), cards)
    demo_timeline.bulk_insert(session, Defect, found)
    write_entry(
        connection,
        SYSTEM,
        "demo",
        "community",
        "1",
        f"生成演示数据：本年度分批交付入伙 {len(handovers)} 户、验房问题 {len(found)} 项",
    )
    return {"handovers": len(handovers), "defects": len(found)}


def _visit_receipts(session: Session, visits: list[tuple[int, date]]) -> dict[int, list[str]]:
    """Each room's receipt of its handover visit (the one standing, if the first was
    voided and taken again)."""
    rooms = dict(visits)
    found: dict[int, list[str]] = {}
    rows = session.connection().exec_driver_sql(
        "SELECT p.room_id, r.series, r.number, p.posted_at FROM payment p "
        "JOIN receipt r ON r.payment_id = p.id "
        "WHERE p.total_fen = ? AND r.id NOT IN (SELECT receipt_id FROM receipt_void) "
        "ORDER BY p.posted_at",
        (MOVE_IN_PREPAID_FEN,),
    )
    for room_id, series, number, posted_at in rows:
        day = rooms.get(int(room_id))
        if day is None or room_id in found:
            continue
        at = datetime.fromisoformat(str(posted_at)).replace(tzinfo=UTC)
        if at >= handover_visit(int(room_id), day) and at.astimezone().date() == day:
            found[int(room_id)] = [receipt_text(Receipt(series=series, number=int(number)))]
    return found


def _used(batch: Row, handovers: list[Row]) -> bool:
    return any(h["batch_id"] == batch["id"] for h in handovers)


def _wave_details(
    rng: random.Random, receipts: list[str], day: date
) -> list[tuple[Step, dict[str, object]]]:
    """A flat's checklist as the counter records it, step by step."""
    return [
        (Step.DOCUMENTS, {"items": ["购房合同", "业主身份证件"]}),
        (Step.AGREEMENTS, {"items": ["临时管理规约", "前期物业服务协议"]}),
        (Step.OWNER_FILE, {"owners": 1, "residents": 0, "vehicles": 0, "contacts": 0}),
        (Step.FEES, {"receipts": receipts}),
        (
            Step.METERS,
            {"readings": {"水表": str(rng.randint(1, 9)), "电表": str(rng.randint(5, 40))}},
        ),
        (Step.KEYS, {"keys": {"入户门钥匙": 3, "单元门钥匙": 2, "信报箱钥匙": 1}}),
        (Step.CARDS, {}),
        (Step.HANDBOOK, {"edition": f"{day.year}年版"}),
    ]


def _closed_defects(rng: random.Random, room_id: int, found_on: date, clerk: Actor) -> list[Row]:
    """The inspection's defects, repaired within the week or two after and accepted
    at re-inspection with the owner (one in five past its deadline first)."""
    rows: list[Row] = []
    for area, kind, text in rng.sample(DEFECTS, rng.randint(1, 3)):
        deadline = found_on + timedelta(days=7)
        fixed = found_on + timedelta(
            days=rng.randint(3, 6) if rng.random() < 0.8 else rng.randint(9, 16)
        )
        rows.append(
            {
                "room_id": room_id,
                "area": area,
                "kind": kind,
                "description": text,
                "responsible": rng.choice(RESPONSIBLE[:2]),
                "found_on": found_on,
                "deadline": deadline,
                "status": DefectStatus.CLOSED.value,
                "recorded_by": clerk.display_name,
                "recorded_by_id": clerk.user_id,
                "fixed_on": fixed,
                "fix_note": "施工单位已维修",
                "checked_on": fixed + timedelta(days=rng.randint(1, 3)),
                "checked_by": clerk.display_name,
                "checked_by_id": clerk.user_id,
                "check_note": "业主复验满意",
                "rechecks": 1,
            }
        )
    return rows
