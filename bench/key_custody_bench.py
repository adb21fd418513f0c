"""The counter's key cabinet and lending register with two years of records at 20,000
households (issue 24): each list a clerk opens, timed (target < 100 ms).

Run through bench/run.py (`keys`, `lending`): the records are written in bulk into a
copy of its cached 20,000-household demo, without audit entries (no list reads them)."""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from frontdesk.domain import clock

Timed = Callable[[str, Callable[[], object]], None]
DAYS = 730
KEYS_A_DAY = 2
LENT_A_DAY = 0.3  # the chance a held key goes out on a given day


def _key_rows(
    rng: random.Random, rooms: list[int], now: datetime, first: int
) -> list[dict[str, Any]]:
    """Keys numbered from `first` on (the demo's own come before)."""
    rows: list[dict[str, Any]] = []
    for day in range(DAYS, 0, -1):
        for _ in range(KEYS_A_DAY):
            received = now - timedelta(days=day, hours=rng.randint(0, 8))
            held_days = rng.randint(20, 160)
            released = received + timedelta(days=held_days)
            rows.append(
                {
                    "tag": f"K-{first + len(rows):04d}",
                    "room_id": rng.choice(rooms),
                    "description": "入户门钥匙 2 把",
                    "cabinet_slot": "",
                    "authorised_by": "业主",
                    "scopes": "装修、维修、看房、应急",
                    "authorised_on": received.date(),
                    "expires_on": received.date() + timedelta(days=180),
                    "scan_sha256": "",
                    "scan_name": "",
                    "received_at": received,
                    "received_by": "前台",
                    "released_at": released if released < now else None,
                    "released_to": "业主本人" if released < now else "",
                    "released_by": "前台" if released < now else "",
                    "note": "",
                }
            )
    return rows


def _lending_rows(
    rng: random.Random, keys: list[tuple[int, int, datetime, datetime | None]], now: datetime
) -> list[dict[str, Any]]:
    from frontdesk.domain.key_custody import KeyScope

    rows = []
    for key_id, room_id, received, released in keys:
        day = received + timedelta(days=1)
        end = released or now
        while day + timedelta(hours=10) < end:
            if rng.random() < LENT_A_DAY:
                out = day.replace(hour=1, minute=rng.randint(0, 59))
                back = out + timedelta(hours=rng.randint(1, 8))
                is_open = back > now
                rows.append(
                    {
                        "key_id": key_id,
                        "room_id": room_id,
                        "borrower": "王师傅",
                        "borrower_phone": f"139{rng.randint(10**7, 10**8 - 1)}",
                        "borrower_company": "维修班",
                        "scope": KeyScope.REPAIR,
                        "out_at": out,
                        "due_back_at": out + timedelta(hours=9),
                        "out_by": "前台",
                        "returned_at": None if is_open else back,
                        "returned_by": "" if is_open else "前台",
                        "note": "",
                    }
                )
            day += timedelta(days=1)
    return rows


def fill_keys(path: Path) -> tuple[int, int]:
    """Two years of keys and their lendings into the demo copy at `path`."""
    from sqlalchemy import func, insert, select

    from frontdesk.db.models import HeldKey, KeyLending, Room
    from frontdesk.services.database import open_at

    rng, now = random.Random(24), clock.utc_now()
    db = open_at(path)
    with db.write() as session:
        rooms = list(session.scalars(select(Room.id)))
        first = (session.scalar(select(func.count()).select_from(HeldKey)) or 0) + 1
        session.execute(insert(HeldKey), _key_rows(rng, rooms, now, first))
        keys = [
            (k.id, k.room_id, k.received_at, k.released_at)
            for k in session.scalars(select(HeldKey).where(HeldKey.tag.like("K-%")))
        ]
        lendings = _lending_rows(rng, keys, now)
        for start in range(0, len(lendings), 5_000):
            session.execute(insert(KeyLending), lendings[start : start + 5_000])
    db.dispose()
    return len(keys), len(lendings)


def bench_keys(demo: Path, timed: Timed) -> None:
    from frontdesk.services import key_custody, users
    from frontdesk.services.database import open_at

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.sqlite"
        path.write_bytes(demo.read_bytes())
        started = time.perf_counter()
        keys, lendings = fill_keys(path)
        print(
            f"keys: {keys:,}, lendings: {lendings:,} "
            f"(written in {time.perf_counter() - started:.1f} s)"
        )
        db = open_at(path)
        actor = users.login(db, "qiantai", "demo1234")
        held = key_custody.list_keys(db, actor)
        print(f"held now: {len(held)}, out now: {sum(1 for r in held if r.borrower)}")
        now = clock.utc_now()
        timed("the key cabinet (钥匙托管 tab)", lambda: key_custody.list_keys(db, actor))
        timed(
            "the cabinet with keys handed back in half a year",
            lambda: key_custody.list_keys(db, actor, include_released=True),
        )
        timed("keys out (and overdue)", lambda: key_custody.keys_out(db, actor))
        timed("a key by its tag", lambda: key_custody.find_key(db, actor, held[0].tag))
        timed("a key's lendings", lambda: key_custody.key_history(db, actor, held[0].tag))
        timed("home-screen lines", lambda: key_custody.today_lines(db, actor, now))
        timed("handover item", lambda: key_custody.handover_item(db, actor, now))
        db.dispose()


LOANS_A_DAY = 40
ITEMS = (("雨伞", 60), ("手推车", 6), ("折叠梯", 3), ("工具箱", 4), ("打气筒", 3))


def fill_lending(path: Path) -> int:
    """Two years of lendings (a few still out, some late) into the copy at `path`."""
    from sqlalchemy import insert, select

    from frontdesk.db.models import ItemLoan, LendableItem, Room
    from frontdesk.services.database import open_at

    rng, now = random.Random(25), clock.utc_now()
    db = open_at(path)
    with db.write() as session:
        rooms = list(session.scalars(select(Room.id)))
        items = []
        for name, stock in ITEMS:
            found = session.scalar(select(LendableItem).where(LendableItem.name == name))
            if found is None:
                found = LendableItem(name=name, stock=stock, loan_days=2, deposit_fen=0)
                session.add(found)
                session.flush()
            items.append(found.id)
        rows = []
        for day in range(DAYS, 0, -1):
            for _ in range(LOANS_A_DAY):
                out = now - timedelta(days=day, hours=rng.randint(0, 10))
                back = out + timedelta(days=rng.randint(0, 4), hours=2)
                kept = back > now or (day < 5 and rng.random() < 0.05)
                rows.append(
                    {
                        "item_id": rng.choice(items),
                        "room_id": rng.choice(rooms),
                        "quantity": 1,
                        "borrower": "张三",
                        "borrower_phone": f"138{rng.randint(10**7, 10**8 - 1)}",
                        "out_at": out,
                        "due_on": (out + timedelta(days=2)).date(),
                        "out_by": "前台",
                        "returned_at": None if kept else back,
                        "returned_by": "" if kept else "前台",
                        "note": "",
                    }
                )
        for start in range(0, len(rows), 5_000):
            session.execute(insert(ItemLoan), rows[start : start + 5_000])
    db.dispose()
    return len(rows)


def bench_lending(demo: Path, timed: Timed) -> None:
    from frontdesk.services import lending, users
    from frontdesk.services.database import open_at

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.sqlite"
        path.write_bytes(demo.read_bytes())
        print(f"lendings: {fill_lending(path):,}")
        db = open_at(path)
        actor = users.login(db, "qiantai", "demo1234")
        out = lending.list_loans(db, actor)
        print(f"out now: {len(out)}, overdue: {sum(1 for r in out if r.state == 'overdue')}")
        now = clock.utc_now()
        timed("the items with what is out (借用物品)", lambda: lending.list_items(db, actor))
        timed("things lent out (物品借用 tab)", lambda: lending.list_loans(db, actor))
        timed(
            "the overdue list",
            lambda: lending.list_loans(db, actor, overdue_only=True),
        )
        timed("a household's lendings", lambda: lending.room_loans(db, actor, out[0].room_id))
        timed("home-screen line", lambda: lending.today_lines(db, actor, now))
        timed("handover item", lambda: lending.handover_item(db, actor, now))
        db.dispose()
