"""Demo goods passes: three months of furniture and appliances leaving flats — most
let out at the gate within their window, a few cancelled or never used, a tenant's
now and then with the owner's consent on the phone, and some still waiting today."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.db.models import GoodsPass
from frontdesk.demo.households import PeopleMaker
from frontdesk.demo.timeline import bulk_insert, on_day
from frontdesk.domain.goods_passes import Applicant, Consent, pass_number
from frontdesk.domain.rooms import RoomStatus, RoomType

Row = dict[str, Any]
DAYS = 90
PASSES_PER_HOUSEHOLD_DAY = 0.0015
OPEN_TODAY = 3
ITEMS = (
    "冰箱 1 台",
    "洗衣机 1 台",
    "双人床 1 张",
    "沙发 1 套",
    "衣柜 1 个",
    "电视机 1 台",
    "书桌 1 张",
    "纸箱 6 个",
    "纸箱 12 个",
    "空调室内机 1 台",
    "餐桌椅 1 套",
    "行李箱 3 个",
    "自行车 1 辆",
    "钢琴 1 台",
)


def goods_pass_rows(
    rng: random.Random,
    rooms: list[Row],
    owners: dict[int, str],
    clerks: list[str],
    name: Any,
    now: datetime,
    days: int = DAYS,
) -> list[Row]:
    """`days` days of passes before `now`, numbered by day, and a few open today."""
    occupied = [
        r["id"]
        for r in rooms
        if r["room_type"] == RoomType.RESIDENCE.value and r["status"] == RoomStatus.OCCUPIED.value
    ]
    people = PeopleMaker(rng, name, now.date())
    today = now.astimezone().date()
    per_day = len(occupied) * PASSES_PER_HOUSEHOLD_DAY
    rows: list[Row] = []
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        count = int(per_day) + (rng.random() < per_day % 1)
        for _ in range(count):
            issued = on_day(day, rng.randint(8, 17), rng.randint(0, 59))
            start = issued + timedelta(hours=rng.choice((0, 1, 2, 20, 24)))
            rows.append(_row(rng, people, occupied, owners, clerks, name, issued, start, now))
    for _ in range(OPEN_TODAY):
        issued = now - timedelta(hours=rng.randint(1, 20))
        start = now + timedelta(hours=rng.randint(0, 4))
        rows.append(_row(rng, people, occupied, owners, clerks, name, issued, start, None))
    _number(rows)
    return rows


def _row(
    rng: random.Random,
    people: PeopleMaker,
    occupied: list[int],
    owners: dict[int, str],
    clerks: list[str],
    name: Any,
    issued: datetime,
    start: datetime,
    now: datetime | None,
) -> Row:
    room = rng.choice(occupied)
    applicant = rng.choices(list(Applicant), (70, 22, 8))[0]
    end = start + timedelta(hours=rng.choice((2, 3, 4, 6)))
    clerk = rng.choice(clerks)
    row: Row = {
        "room_id": room,
        "applicant_kind": applicant.value,
        "applicant_name": (applicant == Applicant.OWNER and owners.get(room)) or name(rng),
        "applicant_phone": people.phone(),
        "consent": None if applicant == Applicant.OWNER else rng.choice(list(Consent)).value,
        "consent_by": "" if applicant == Applicant.OWNER else owners.get(room, "业主"),
        "items": "\n".join(rng.sample(ITEMS, rng.randint(1, 4))),
        "plate": people.plate() if rng.random() < 0.8 else "",
        "window_start": start,
        "window_end": end,
        "warnings": "",
        "note": "",
        "issued_at": issued,
        "issued_by": clerk,
        "issued_by_id": None,
        "used_at": None,
        "used_by": "",
        "used_by_id": None,
        "cancelled_at": None,
        "cancelled_by": "",
        "cancelled_by_id": None,
        "cancel_reason": "",
        "purged_at": None,
    }
    if now is None:
        return row
    fate = rng.random()
    if fate < 0.05:
        row.update(cancelled_at=issued + timedelta(hours=1), cancelled_by=clerk)
        row["cancel_reason"] = rng.choice(("搬家改期", "信息填错，重新开具"))
    elif fate < 0.97:
        row.update(used_at=start + (end - start) * rng.random(), used_by=rng.choice(clerks))
    return row


def _number(rows: list[Row]) -> None:
    rows.sort(key=lambda r: r["issued_at"])
    sequence: Counter[Any] = Counter()
    for row in rows:
        day = row["issued_at"].astimezone().date()
        sequence[day] += 1
        row["number"] = pass_number(day, sequence[day])


def add_demo_goods_passes(
    session: Session,
    rng: random.Random,
    rooms: list[Row],
    owners: dict[int, str],
    clerks: list[str],
    name: Any,
    now: datetime,
) -> int:
    rows = goods_pass_rows(rng, rooms, owners, clerks, name, now)
    bulk_insert(session, GoodsPass, rows)
    return len(rows)
