"""Demo lost property: three months of things found in the community — keys and
umbrellas mostly, now and then a phone or a card — most claimed within days, the
unclaimed handed to the police or disposed of after the keeping period, a few still
held today and one or two past their period, waiting for the police."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.db.models import LostItem
from frontdesk.demo.households import PeopleMaker
from frontdesk.demo.timeline import bulk_insert, on_day
from frontdesk.domain.lost_property import (
    DEFAULT_KEEP_DAYS,
    VALUABLE,
    Category,
    Disposal,
    IdCheck,
    item_number,
)

Row = dict[str, Any]
DAYS = 90
ITEMS_PER_HOUSEHOLD_DAY = 0.0005
THINGS = {
    Category.KEYS: ("钥匙串（3 把，带门禁卡）", "电动车钥匙", "单把防盗门钥匙"),
    Category.UMBRELLA: ("黑色折叠伞", "蓝色长柄伞", "儿童雨衣"),
    Category.CLOTHING: ("灰色外套", "儿童帽子", "运动鞋一只"),
    Category.DOCUMENTS: ("身份证", "银行卡", "学生证"),
    Category.ELECTRONICS: ("手机（黑色）", "蓝牙耳机", "手表"),
    Category.WALLET: ("棕色钱包（内有现金）", "零钱包"),
    Category.OTHER: ("快递包裹", "玩具车", "保温杯"),
}
WEIGHTS = (30, 20, 12, 8, 10, 6, 14)
PLACES = ("1 栋大堂", "地下车库 B1", "中心花园", "儿童游乐区", "健身步道", "电梯轿厢", "小区东门")
SHELVES = ("前台抽屉 A1", "前台抽屉 A2", "失物柜 B", "保险柜")


def lost_item_rows(
    rng: random.Random,
    households: int,
    clerks: list[str],
    name: Any,
    now: datetime,
    days: int = DAYS,
) -> list[Row]:
    people = PeopleMaker(rng, name, now.date())
    today = now.astimezone().date()
    per_day = max(households * ITEMS_PER_HOUSEHOLD_DAY, 0.3)
    rows: list[Row] = []
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        for _ in range(int(per_day) + (rng.random() < per_day % 1)):
            found = on_day(day, rng.randint(7, 20), rng.randint(0, 59))
            if found < now:
                rows.append(_row(rng, people, clerks, name, found, now))
    _number(rows)
    return rows


def _row(
    rng: random.Random,
    people: PeopleMaker,
    clerks: list[str],
    name: Any,
    found: datetime,
    now: datetime,
) -> Row:
    category = rng.choices(list(THINGS), WEIGHTS)[0]
    recorded = found + timedelta(minutes=rng.randint(5, 90))
    anonymous = rng.random() < 0.2
    row: Row = {
        "category": category.value,
        "description": rng.choice(THINGS[category]),
        "found_at": found,
        "found_place": rng.choice(PLACES),
        "finder_name": "" if anonymous else rng.choice(("保洁 ", "保安 ", "")) + name(rng),
        "finder_phone": "" if anonymous else people.phone(),
        "kept_place": "保险柜" if category in VALUABLE else rng.choice(SHELVES[:3]),
        "sha256": "",
        "photo_name": "",
        "recorded_at": min(recorded, now),
        "recorded_by": rng.choice(clerks),
        "recorded_by_id": None,
        "claimed_at": None,
        "claimant_name": "",
        "claimant_phone": "",
        "claimant_id_number": "",
        "id_check": None,
        "signed": False,
        "handed_by": "",
        "handed_by_id": None,
        "disposed_at": None,
        "disposal": None,
        "disposal_note": "",
        "disposed_by": "",
        "disposed_by_id": None,
        "purged_at": None,
    }
    claimed = found + timedelta(hours=rng.randint(2, 24 * 10))
    due = found + timedelta(days=DEFAULT_KEEP_DAYS + rng.randint(0, 5))
    if rng.random() < 0.65 and claimed < now:
        check = IdCheck.ID_CARD if category in VALUABLE else rng.choice(list(IdCheck))
        row.update(
            claimed_at=claimed,
            claimant_name=name(rng),
            claimant_phone=people.phone(),
            id_check=check.value,
            signed=True,
            handed_by=rng.choice(clerks),
        )
    elif due < now - timedelta(days=2) and (due < now - timedelta(days=10) or rng.random() < 0.5):
        disposal = Disposal.POLICE if category in VALUABLE else rng.choice(list(Disposal))
        note = "交城东派出所值班民警，回执已存档" if disposal == Disposal.POLICE else ""
        row.update(
            disposed_at=due,
            disposal=disposal.value,
            disposal_note=note,
            disposed_by=rng.choice(clerks),
        )
    return row


def _number(rows: list[Row]) -> None:
    rows.sort(key=lambda r: r["recorded_at"])
    sequence: Counter[Any] = Counter()
    for row in rows:
        day = row["recorded_at"].astimezone().date()
        sequence[day] += 1
        row["number"] = item_number(day, sequence[day])


def add_demo_lost_property(
    session: Session,
    rng: random.Random,
    households: int,
    clerks: list[str],
    name: Any,
    now: datetime,
) -> int:
    rows = lost_item_rows(rng, households, clerks, name, now)
    bulk_insert(session, LostItem, rows)
    return len(rows)
