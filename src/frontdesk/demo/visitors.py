"""Demo visits: a year at the gate of an occupied community — deliveries at lunch and
dinner, family at weekends and over the Spring Festival, a few regulars who come
every other day (the flagged ones), bookings arrived, lapsed and still to come, some
visitors still inside now (one overdue, one left open since yesterday), and a short
watchlist. What is older than the retention period has had its personal data
erased, as the program's purge does every few hours: the visits stay, as numbers
for the figures, without names, phones or plates."""

from __future__ import annotations

import random
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.db.models import Visit, VisitBooking, WatchEntry
from frontdesk.demo.households import PeopleMaker
from frontdesk.demo.timeline import bulk_insert
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.domain.visitors import (
    DEFAULT_RETENTION_DAYS,
    FREQUENT_DAYS,
    FREQUENT_VISITS,
    Confirmation,
    Purpose,
    pass_number,
    renovation_leave,
)
from frontdesk.services.renovation.applications import renovation_settings, working_day_end_of

Row = dict[str, Any]
DAYS = 90
VISITS_PER_HOUSEHOLD_DAY = 0.02
# The gate's months against the usual: family over the Spring Festival and 国庆.
BUSY = {1: 1.1, 2: 1.35, 10: 1.15}
# The gate's program purges at its start and every few hours: the first run of a day.
PURGE_AT = time(0, 5)
ERASED = ("", "", "")  # a visitor's name, phone and plate after the purge
PURPOSE_WEIGHTS = {
    Purpose.DELIVERY: 34,
    Purpose.FAMILY: 36,
    Purpose.RENOVATION: 7,
    Purpose.REPAIR: 8,
    Purpose.VIEWING: 5,
    Purpose.INSPECTION: 1,
    Purpose.OTHER: 9,
}
# Arrivals by hour, 7:00 to 21:00: a lunch and an evening peak.
HOUR_WEIGHTS = (2, 5, 8, 10, 12, 9, 6, 6, 7, 8, 11, 12, 9, 5)


@dataclass
class _Gate:
    rng: random.Random
    people: PeopleMaker
    name: Any
    rooms: list[int]
    owners: dict[int, str]
    clerks: list[str]
    now: datetime
    works_end: time  # the permitted renovation hours end: workers' visits end then
    visits: list[Row] = field(default_factory=list)
    bookings: list[Row] = field(default_factory=list)
    recent: dict[tuple[str, int], deque[datetime]] = field(
        default_factory=lambda: defaultdict(deque)
    )

    def visitor(self) -> tuple[str, str, str]:
        plate = self.people.plate() if self.rng.random() < 0.22 else ""
        return self.name(self.rng), self.people.phone(), plate

    def add_visit(
        self, arrived: datetime, room: int, who: tuple[str, str, str], **extra: Any
    ) -> Row:
        name, phone, plate = who
        purpose = (
            extra.pop("purpose", None)
            or self.rng.choices(list(PURPOSE_WEIGHTS), list(PURPOSE_WEIGHTS.values()))[0]
        )
        stay = purpose.usual_stay
        expected = (
            renovation_leave(arrived, self.works_end)
            if purpose == Purpose.RENOVATION
            else arrived + stay
        )
        leave = arrived + (expected - arrived) * self.rng.uniform(0.3, 1.2)
        confirmation = (
            extra.pop("confirmation", None)
            or self.rng.choices((Confirmation.PHONE, Confirmation.ESCORTED), (85, 15))[0]
        )
        row = {
            "number": "",  # given in arrival order once every visit is known
            "room_id": room,
            "visitor_name": name,
            "visitor_phone": phone,
            "id_type": "",
            "id_number": "",
            "id_checked": self.rng.random() < 0.1,
            "party_size": self.rng.choices((1, 2, 3, 4), (70, 20, 7, 3))[0],
            "plate": plate,
            "purpose": purpose.value,
            "confirmation": confirmation.value,
            "confirmed_by": f"业主 {self.owners.get(room, '')}".strip()
            if confirmation == Confirmation.PHONE
            else "",
            "booking_id": None,
            "arrived_at": arrived,
            "expected_leave_at": expected,
            "left_at": leave if leave < self.now else None,
            "registered_by": self.rng.choice(self.clerks),
            "left_by": "",
            "frequent": bool(phone) and self._frequent(phone, room, arrived),
            "watch_hit": False,
            "note": "",
            "purged_at": None,
            "day": arrived.astimezone().date(),
        }
        row.update(extra)
        if row["left_at"] is not None:
            row["left_by"] = self.rng.choice(self.clerks)
        self.visits.append(row)
        return row

    def _frequent(self, phone: str, room: int, at: datetime) -> bool:
        seen = self.recent[(phone, room)]
        while seen and at - seen[0] > timedelta(days=FREQUENT_DAYS):
            seen.popleft()
        seen.append(at)
        return len(seen) > FREQUENT_VISITS

    def arrival(self, day: date) -> datetime:
        hour = 7 + self.rng.choices(range(len(HOUR_WEIGHTS)), HOUR_WEIGHTS)[0]
        return datetime.combine(day, time(hour, self.rng.randrange(60))).astimezone()


def _regulars(gate: _Gate, days: list[date]) -> None:
    """Nannies and relatives who come every other day: the 'frequent' flag's cases."""
    for room in gate.rng.sample(gate.rooms, min(len(gate.rooms), max(3, len(gate.rooms) // 400))):
        who = gate.visitor()
        for day in days[gate.rng.randrange(20) :: 2]:
            at = datetime.combine(day, time(8, gate.rng.randrange(30))).astimezone()
            if at < gate.now:
                gate.add_visit(at, room, who, purpose=Purpose.FAMILY)


def _booking(gate: _Gate, room: int, day: date, start: int, arrived: bool) -> None:
    name, phone, _ = who = gate.visitor()
    booked_at = datetime.combine(day - timedelta(days=1), time(19)).astimezone()
    booking = {
        "id": len(gate.bookings) + 1,
        "room_id": room,
        "code": f"{gate.rng.randrange(10**6):06d}",
        "visitor_name": name,
        "visitor_phone": phone,
        "party_size": gate.rng.choice((1, 2, 2, 3)),
        "purpose": Purpose.FAMILY.value,
        "expected_on": day,
        "window_start": time(start),
        "window_end": time(start + 2),
        "booked_by": f"业主 {gate.owners.get(room, '')}（电话）",
        "note": "",
        "created_at": min(booked_at, gate.now),
        "created_by": gate.rng.choice(gate.clerks),
        "cancelled_at": None,
        "cancelled_by": "",
        "purged_at": None,
    }
    gate.bookings.append(booking)
    if arrived:
        at = datetime.combine(day, time(start, gate.rng.randrange(50))).astimezone()
        at = min(at, gate.now - timedelta(minutes=1))  # a window just opened: in by now
        gate.add_visit(
            at,
            room,
            who,
            purpose=Purpose.FAMILY,
            confirmation=Confirmation.BOOKING,
            confirmed_by=booking["booked_by"],
            booking_id=booking["id"],
            party_size=booking["party_size"],
        )


def _bookings(gate: _Gate, days: list[date]) -> None:
    today = gate.now.astimezone().date()
    for day in days:
        for _ in range(max(1, len(gate.rooms) // 500)):
            start = gate.rng.randint(9, 18)
            gate_open = datetime.combine(day, time(start)).astimezone() < gate.now
            _booking(
                gate,
                gate.rng.choice(gate.rooms),
                day,
                start,
                gate_open and gate.rng.random() < 0.85,
            )
    for offset in range(1, 8):
        for _ in range(max(1, len(gate.rooms) // 1000)):
            _booking(
                gate,
                gate.rng.choice(gate.rooms),
                today + timedelta(days=offset),
                gate.rng.randint(9, 18),
                False,
            )
    for booking in gate.rng.sample(gate.bookings, max(1, len(gate.bookings) // 30)):
        if booking["expected_on"] > today:
            booking["cancelled_at"] = gate.now - timedelta(hours=2)
            booking["cancelled_by"] = gate.rng.choice(gate.clerks)


def _still_inside(gate: _Gate) -> None:
    """Yesterday's left-open visit and an overdue delivery, for the next shift."""
    yesterday = gate.now - timedelta(days=1, hours=2)
    gate.add_visit(
        yesterday,
        gate.rng.choice(gate.rooms),
        gate.visitor(),
        purpose=Purpose.REPAIR,
        left_at=None,
        left_by="",
    )
    late = gate.now - timedelta(minutes=75)
    gate.add_visit(
        late,
        gate.rng.choice(gate.rooms),
        gate.visitor(),
        purpose=Purpose.DELIVERY,
        left_at=None,
        left_by="",
    )


def _watchlist(now: datetime) -> list[Row]:
    today = now.astimezone().date()
    base = {
        "added_at": now - timedelta(days=40),
        "added_by": "主管",
        "removed_at": None,
        "removed_by": "",
        "id_number": "",
    }
    return [
        {
            **base,
            "name": "",
            "phone": "13951234567",
            "plate": "",
            "reason": "多次冒充物业上门推销净水器，业主投诉",
            "expires_on": today + timedelta(days=300),
        },
        {
            **base,
            "name": "",
            "phone": "",
            "plate": "苏A9X7K2",
            "reason": "多次占用消防通道停车，拒不整改",
            "expires_on": today + timedelta(days=180),
        },
        {
            **base,
            "name": "钱某某",
            "phone": "",
            "plate": "",
            "reason": "法院人身安全保护令：禁止接近 5 栋 1 单元 1202 室住户",
            "expires_on": today + timedelta(days=500),
        },
    ]


def add_demo_visitors(
    session: Session,
    rng: random.Random,
    rooms: list[Row],
    owners: dict[int, str],
    clerks: list[str],
    name: Any,
    now: datetime,
    days: int = DAYS,
) -> dict[str, int]:
    """Insert `days` days of visits, bookings and the watchlist; returns their counts."""
    occupied = [
        r["id"]
        for r in rooms
        if r["room_type"] == RoomType.RESIDENCE.value and r["status"] == RoomStatus.OCCUPIED.value
    ]
    works_end = working_day_end_of(renovation_settings(session))
    gate = _Gate(
        rng, PeopleMaker(rng, name, now.date()), name, occupied, owners, clerks, now, works_end
    )
    today = now.astimezone().date()
    dates = [today - timedelta(days=days - i) for i in range(days + 1)]
    per_day = max(3, round(len(occupied) * VISITS_PER_HOUSEHOLD_DAY))
    _bookings(gate, dates)
    _regulars(gate, dates)
    for day in dates:
        busy = BUSY.get(day.month, 1.0) * (1.4 if day.weekday() >= 5 else 1.0)
        # Who came is erased by now: no name, phone or plate drawn for nothing.
        erased = _purge_run(day, now) is not None
        for _ in range(round(per_day * busy * rng.uniform(0.85, 1.15))):
            at = gate.arrival(day)
            if at < now:
                gate.add_visit(at, rng.choice(occupied), ERASED if erased else gate.visitor())
    _still_inside(gate)
    visits = _numbered(gate.visits)
    _purged(visits, gate.bookings, now)
    bulk_insert(session, VisitBooking, gate.bookings)
    bulk_insert(session, Visit, visits)
    bulk_insert(session, WatchEntry, _watchlist(now))
    return {"visits": len(visits), "bookings": len(gate.bookings)}


def _purge_run(day: date, now: datetime) -> datetime | None:
    """When the purge erased what was dated `day`: its first run once the cutoff
    (`retention_cutoff`, the default period) had passed the day; None if not yet."""
    first = day + timedelta(days=DEFAULT_RETENTION_DAYS + 1)
    run = datetime.combine(first, PURGE_AT).astimezone()
    return run if run < now else None


def _purged(visits: list[Row], bookings: list[Row], now: datetime) -> None:
    """The personal data of the old visits and bookings erased, as the purge leaves
    them (services.visitors.settings)."""
    for visit in visits:
        run = _purge_run(visit["arrived_at"].astimezone().date(), now)
        if run is not None:
            visit.update(
                visitor_name="", visitor_phone="", plate="", id_type="", id_number="", note=""
            )
            visit["purged_at"] = run
    for booking in bookings:
        run = _purge_run(booking["expected_on"], now)
        if run is not None:
            booking.update(visitor_name="", visitor_phone="", note="", purged_at=run)


def _numbered(visits: list[Row]) -> list[Row]:
    """Pass numbers in arrival order within each day, as the gate gave them."""
    visits.sort(key=lambda v: v["arrived_at"])
    sequence: dict[date, int] = defaultdict(int)
    for v in visits:
        day = v.pop("day")
        sequence[day] += 1
        v["number"] = pass_number(day, sequence[day])
    return visits
