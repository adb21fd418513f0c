"""Demo parcels: three months at the counter's shelves — the online-shopping peak after
Double Eleven, most parcels collected the same or the next evening on the pick-up
code, some by a neighbour or a nanny the recipient named, and today's shelves: what
came in this morning and yesterday, and a few left longer than the settings allow for
the butlers to chase."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import Parcel, Person
from frontdesk.demo.timeline import bulk_insert
from frontdesk.domain.household import PersonKind
from frontdesk.domain.parcels import IdentityCheck, new_code, parcel_number

Row = dict[str, Any]
DAYS = 90
PARCELS_PER_HOUSEHOLD_DAY = 0.04
# Couriers with their tracking numbers' look: a prefix and a count of digits.
COURIERS = {
    "顺丰": ("SF", 13, 18),
    "中通": ("7", 14, 24),
    "圆通": ("YT", 13, 16),
    "申通": ("77", 13, 10),
    "韵达": ("43", 13, 14),
    "极兔": ("JT", 13, 9),
    "京东": ("JD", 13, 7),
    "邮政EMS": ("11", 11, 2),
}
HOUR_WEIGHTS = (3, 8, 12, 10, 6, 9, 12, 11, 8, 6, 4, 2, 1)  # 8:00 to 20:00 arrivals
CHECKS = {
    IdentityCheck.CODE: 72,
    IdentityCheck.KNOWN_FACE: 14,
    IdentityCheck.PHONE: 9,
    IdentityCheck.ID_CARD: 5,
}
PEAK = (date(2000, 11, 12), date(2000, 11, 20))  # Double Eleven's parcels arrive


def _recipients(session: Session) -> dict[int, list[tuple[int, str]]]:
    """Each room's owners, tenants and residents: (person id, name)."""
    kinds = (PersonKind.OWNER, PersonKind.TENANT, PersonKind.RESIDENT)
    found: dict[int, list[tuple[int, str]]] = {}
    query = select(Person.id, Person.room_id, Person.name).where(
        Person.kind.in_(kinds), Person.left_on.is_(None)
    )
    for person_id, room_id, name in session.execute(query):
        found.setdefault(room_id, []).append((person_id, name))
    return found


def _busy(day: date) -> float:
    peak = PEAK[0].replace(year=day.year) <= day <= PEAK[1].replace(year=day.year)
    return (2.2 if peak else 1.0) * (0.8 if day.weekday() >= 5 else 1.0)


def _tracking(rng: random.Random, courier: str) -> str:
    prefix, digits, _weight = COURIERS[courier]
    return prefix + "".join(rng.choice("0123456789") for _ in range(digits))


def _collected(rng: random.Random, received: datetime, now: datetime) -> datetime | None:
    """Mostly that evening or the next; one in twenty-five left a week or more."""
    wait = rng.choices((0, 1, 2, 4, 9), (46, 34, 12, 5, 3))[0]
    day = received.astimezone().date() + timedelta(days=wait)
    at = datetime.combine(day, time(rng.choice((7, 12, 18, 19, 20)), rng.randrange(60)))
    at = max(at.astimezone(), received + timedelta(minutes=20))
    return at if at < now else None


def _collection(rng: random.Random, name: Callable[[random.Random], str]) -> Row:
    check = rng.choices(list(CHECKS), list(CHECKS.values()))[0]
    proxy = check != IdentityCheck.KNOWN_FACE and rng.random() < 0.1
    return {
        "identity_check": check.value,
        "by_proxy": proxy,
        "collector": name(rng) if proxy else "",
    }


def add_demo_parcels(
    session: Session,
    rng: random.Random,
    clerks: list[str],
    name: Callable[[random.Random], str],
    now: datetime,
    days: int = DAYS,
) -> int:
    """Insert `days` days of parcels for the households with people; their count."""
    people = _recipients(session)
    rooms = sorted(people)
    if not rooms or not clerks:
        return 0
    today = now.astimezone().date()
    per_day = max(4, round(len(rooms) * PARCELS_PER_HOUSEHOLD_DAY))
    couriers, weights = list(COURIERS), [w for _p, _d, w in COURIERS.values()]
    rows: list[Row] = []
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        for _ in range(round(per_day * _busy(day) * rng.uniform(0.8, 1.2))):
            hour = 8 + rng.choices(range(len(HOUR_WEIGHTS)), HOUR_WEIGHTS)[0]
            received = datetime.combine(day, time(hour, rng.randrange(60))).astimezone()
            if received >= now:
                continue
            room = rng.choice(rooms)
            person_id, recipient = rng.choice(people[room])
            courier = rng.choices(couriers, weights)[0]
            rows.append(
                {
                    "room_id": room,
                    "person_id": person_id,
                    "recipient": recipient,
                    "courier": courier,
                    "tracking": _tracking(rng, courier),
                    "shelf": f"{rng.choice('ABCDEF')}{rng.randint(1, 12)}",
                    "note": "",
                    "sha256": "",  # no photos: the demo's store holds no files
                    "photo_name": "",
                    "received_at": received,
                    "received_by": rng.choice(clerks),
                    "collected_at": _collected(rng, received, now),
                    "purged_at": None,
                }
            )
    rows.sort(key=lambda r: r["received_at"])
    _number(rng, rows, clerks, name)
    bulk_insert(session, Parcel, rows)
    return len(rows)


def _number(
    rng: random.Random, rows: list[Row], clerks: list[str], name: Callable[[random.Random], str]
) -> None:
    """Register numbers in arrival order; codes unique among parcels waiting together
    (a code comes free when its parcel is collected); the hand-over's record."""
    sequence: dict[date, int] = {}
    taken: set[str] = set()
    freed: list[tuple[datetime, str]] = []  # (collected at, code), soonest first
    for row in rows:
        while freed and freed[0][0] <= row["received_at"]:
            taken.discard(heapq.heappop(freed)[1])
        day = row["received_at"].astimezone().date()
        sequence[day] = sequence.get(day, 0) + 1
        row["number"] = parcel_number(day, sequence[day])
        row["code"] = code = new_code(taken, rng.randrange(10**6))
        taken.add(code)
        if row["collected_at"] is None:
            row.update(identity_check=None, by_proxy=False, collector="", handed_by="")
            continue
        heapq.heappush(freed, (row["collected_at"], code))
        row.update(_collection(rng, name), handed_by=rng.choice(clerks))
        row["collector"] = row["collector"] or row["recipient"]
