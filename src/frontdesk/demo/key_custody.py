"""Demo key cabinet: three months of keys left by owners — of flats under renovation
(lent to the works every morning, back by evening), of empty flats (viewings, a
repair) — a few handed back to their owners, two lent out now, one of them overdue
since yesterday evening."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from frontdesk.demo.timeline import happened_at, on_day
from frontdesk.domain.key_custody import KeyScope
from frontdesk.domain.roles import Actor
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.services import key_custody as keys
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.renovation import views as renovation_views

DAYS = 90
KEYS_PER_HOUSEHOLDS = 150  # one key held per this many rooms, at least a handful
WORKERS = ("王师傅", "刘师傅", "陈师傅", "赵师傅", "孙师傅")
COMPANIES = {
    KeyScope.RENOVATION: ("安居装饰", "金螳螂家装"),
    KeyScope.REPAIR: ("维修班", "物业工程部"),
    KeyScope.VIEWING: ("链家地产", "我爱我家"),
}
SLOTS = "ABCD"


def add_demo_keys(db: Database, clerk: Actor, rng: random.Random, now: datetime) -> int:
    """Returns how many lendings were made."""
    today = now.astimezone().date()
    works = {
        r.room_id: r.id
        for r in renovation_views.list_renovations(db, clerk, active_only=True, today=today)
    }
    empty = structure.room_ids(
        db, clerk, structure.RoomFilter(status=RoomStatus.VACANT, room_type=RoomType.RESIDENCE)
    )
    count = max(4, len(empty) // KEYS_PER_HOUSEHOLDS * 3)
    rooms = list(works)[:6] + rng.sample(empty, min(count, len(empty)))
    lendings = 0
    for index, room in enumerate(rooms):
        received = today - timedelta(days=rng.randint(20, DAYS))
        renovation = works.get(room)
        scopes = (
            {KeyScope.RENOVATION, KeyScope.EMERGENCY}
            if renovation
            else {KeyScope.VIEWING, KeyScope.REPAIR, KeyScope.EMERGENCY}
        )
        with happened_at(on_day(received, 9, rng.randint(0, 50))):
            tag = keys.receive_key(
                db,
                clerk,
                keys.KeyInput(
                    room_id=room,
                    description=rng.choice(("入户门钥匙 2 把", "入户门钥匙 1 把、信箱钥匙 1 把")),
                    authorised_by=f"业主{rng.choice('张王李赵刘陈杨黄周吴')}先生",
                    scopes=frozenset(scopes),
                    authorised_on=received,
                    expires_on=received + timedelta(days=rng.choice((90, 180, 365))),
                    cabinet_slot=f"{SLOTS[index % 4]}-{index // 4 + 1:02d}",
                ),
            ).tag
        lendings += _lend_days(db, clerk, rng, tag, received, today, renovation)
        if index % 7 == 3:  # the owner is back: the key goes home with a signature
            with happened_at(on_day(today - timedelta(days=rng.randint(1, 6)), 17, 30)):
                keys.release_key(db, clerk, tag, "业主本人")
    lendings += _open_now(db, clerk, today)
    return lendings


def _lend_days(
    db: Database,
    clerk: Actor,
    rng: random.Random,
    tag: str,
    since: date,
    today: date,
    renovation: int | None,
) -> int:
    """Lendings from the day after it came in until a week ago (the last week is kept
    for the release and the open ones)."""
    made = 0
    day = since + timedelta(days=1)
    while day < today - timedelta(days=7):
        if rng.random() < (0.25 if renovation else 0.06):
            scope = (
                KeyScope.RENOVATION
                if renovation
                else rng.choice((KeyScope.VIEWING, KeyScope.VIEWING, KeyScope.REPAIR))
            )
            out = on_day(day, rng.choice((8, 9, 10, 14)), rng.randint(0, 59))
            with happened_at(out):
                keys.lend_key(
                    db,
                    clerk,
                    keys.LendInput(
                        tag=tag,
                        borrower=rng.choice(WORKERS),
                        borrower_phone=f"139{rng.randint(10**7, 10**8 - 1)}",
                        scope=scope,
                        borrower_company=rng.choice(COMPANIES[scope]),
                        renovation_id=renovation if scope == KeyScope.RENOVATION else None,
                        due_back_at=datetime.combine(day, time(18)).astimezone(),
                    ),
                )
            with happened_at(out + timedelta(hours=rng.randint(1, 7), minutes=rng.randint(0, 59))):
                keys.return_key(db, clerk, tag)
            made += 1
        day += timedelta(days=1)
    return made


def _open_now(db: Database, clerk: Actor, today: date) -> int:
    """Two keys out now: one lent this morning, one overdue since last evening."""
    lendable = [r for r in keys.list_keys(db, clerk) if r.expires_on > today][:2]
    for number, row in enumerate(lendable):
        scope = KeyScope.RENOVATION if row.allows(KeyScope.RENOVATION) else KeyScope.VIEWING
        day = today - timedelta(days=number)
        with happened_at(on_day(day, 9 if number == 0 else 15)):
            keys.lend_key(
                db,
                clerk,
                keys.LendInput(
                    tag=row.tag,
                    borrower=WORKERS[number],
                    borrower_phone=f"1380000{number:04d}",
                    scope=scope,
                    borrower_company=COMPANIES[scope][0],
                    due_back_at=datetime.combine(day, time(18)).astimezone(),
                ),
            )
    return len(lendable)
