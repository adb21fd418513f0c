"""The demo's year shows trends, read through the figures' own services: 收缴率 rising
from about nine in ten to near the plan's 98% with one building behind, work orders
in every month with the seasons' faults, the butlers reaching more homes each month,
care visits all year, the gate's visits of every month, renovations through the
seasons (none begun in the 春节 month), move-ins in waves and notices every quarter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.types import TypeEngine

from frontdesk.demo.timeline import festival_month, year_periods
from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from frontdesk.services import users
from frontdesk.services.database import Database, open_at
from frontdesk.services.fees.collection import CollectionLine, collection_figures
from frontdesk.services.households.butler_contacts import coverage
from tests.cli.database_rows import DAY, INSTANT, Where, one, rows, table, typed


@pytest.fixture
def demo(demo_db: Where) -> Iterator[Database]:
    db = open_at(demo_db)
    try:
        yield db
    finally:
        db.dispose()


def _months() -> tuple[list[Period], list[Period]]:
    """The year's first three months, and its last three whole months."""
    year = year_periods(clock.today())
    return year[:3], year[-4:-1]


def _rate(line: CollectionLine) -> float:
    return line.collected_fen / (line.billed_fen - line.reduced_fen)


def _month(value: date | datetime) -> str:
    """A day's month ("2026-05"); a stored instant's in the computer's time zone, the
    month the program shows it in."""
    return f"{value.astimezone() if isinstance(value, datetime) else value:%Y-%m}"


def _per_month(db: Where, sql: str, kind: TypeEngine[date] | TypeEngine[datetime]) -> Counter[str]:
    """How many of the days or instants a query selects (as `t`) fall in each month."""
    return Counter(_month(t) for (t,) in rows(db, typed(sql, t=kind)))


def test_collection_improves_through_the_year_one_building_behind(demo: Database) -> None:
    supervisor = users.login(demo, "zhuguan", "demo1234")
    first, last = _months()
    early = [collection_figures(demo, supervisor, p) for p in first]
    late = [collection_figures(demo, supervisor, p) for p in last]
    early_rate = sum(_rate(f.total) for f in early) / 3
    late_rate = sum(_rate(f.total) for f in late) / 3
    assert 0.85 < early_rate < 0.94
    assert 0.95 < late_rate < 0.995
    # each building better at the end; one well below the estate at the start
    for start, end in zip(early[0].by_building, late[-1].by_building, strict=True):
        assert start.name == end.name and _rate(start) <= _rate(end) + 0.01
    assert min(_rate(b) for b in early[0].by_building) < _rate(early[0].total) - 0.04


def test_work_orders_every_month_with_more_leaks_in_the_rain(demo_db: Where) -> None:
    orders = _per_month(demo_db, "SELECT taken_at AS t FROM work_order", INSTANT)
    year = year_periods(clock.today())
    assert all(orders.get(str(p), 0) > 10 for p in year[:-1])
    leaks = _per_month(
        demo_db,
        "SELECT taken_at AS t FROM work_order WHERE description LIKE '%漏水%'",
        INSTANT,
    )
    wet = [p for p in year[:-1] if p.month in (6, 7)]
    dry = [p for p in year[:-1] if p.month in (12, 1, 2)]

    def daily(months: list[Period]) -> float:
        days = sum((p.last_day - p.first_day).days + 1 for p in months)
        return sum(leaks.get(str(p), 0) for p in months) / days

    assert daily(wet) > 1.5 * daily(dry)


def test_butlers_reach_more_homes_as_the_year_goes_on(demo: Database, demo_db: Where) -> None:
    supervisor = users.login(demo, "zhuguan", "demo1234")
    first, last = _months()

    def reached(months: list[Period]) -> float:
        rows = [row for p in months for row in coverage(demo, supervisor, p.first_day)]
        return sum(r.contacted for r in rows) / sum(r.households for r in rows)

    assert 0.04 < reached(first) < reached(last) - 0.03
    assert reached(last) >= 0.10  # the plan's 管家责任制 met by the year's end
    care = _per_month(
        demo_db,
        "SELECT contacted_on AS t FROM butler_contact WHERE topic LIKE '关怀探访：%'",
        DAY,
    )
    assert all(care.get(str(p), 0) > 0 for p in year_periods(clock.today())[:-1])


def test_the_gate_has_a_year_of_visits_the_old_ones_purged(demo_db: Where) -> None:
    visit = table("visit")
    arrivals = [at.astimezone() for (at,) in rows(demo_db, select(visit.c.arrived_at))]
    visits = Counter(_month(at) for at in arrivals)
    assert all(visits.get(str(p), 0) > 0 for p in year_periods(clock.today())[:-1])
    kept = one(
        demo_db,
        select(func.count())
        .select_from(visit)
        .where(
            visit.c.purged_at.is_(None),
            visit.c.arrived_at < clock.utc_now() - timedelta(days=182),
        ),
    )
    [purged] = rows(
        demo_db,
        "SELECT count(*), sum(CASE WHEN visitor_name != '' OR visitor_phone != '' "
        "OR plate != '' THEN 1 ELSE 0 END) FROM visit WHERE purged_at IS NOT NULL",
    )
    hours = Counter(at.hour for at in arrivals)
    weekdays = Counter(at.isoweekday() % 7 for at in arrivals)  # 0 Sunday … 6 Saturday
    # past the 180 days kept: erased, the visit still counted
    assert kept == 0 and purged[0] > 0 and purged[1] == 0
    # a lunch and an evening peak over the quiet early afternoon; weekends busier
    assert hours[11] > hours[14] < hours[18]
    assert min(weekdays[0], weekdays[6]) > 1.15 * max(weekdays[d] for d in range(1, 6))


def test_renovations_start_through_the_year_but_not_at_the_spring_festival(
    demo_db: Where,
) -> None:
    starts = _per_month(demo_db, "SELECT starts_on AS t FROM renovation", DAY)
    year = year_periods(clock.today())
    assert sum(1 for p in year if starts.get(str(p), 0)) >= 7
    banned = {str(festival_month(p.year)) for p in year}
    assert not banned & set(starts)
    # most flats handed over this year were renovated within two months of their keys
    handover, renovation = table("handover"), table("renovation")
    handed = rows(
        demo_db,
        select(handover.c.room_id, handover.c.completed_on).where(
            handover.c.completed_on < clock.today() - timedelta(days=140)
        ),
    )
    begun = rows(demo_db, select(renovation.c.room_id, renovation.c.starts_on))
    renovated = {
        room
        for room, keys in handed
        for renovated_room, start in begun
        if renovated_room == room and keys < start <= keys + timedelta(days=75)
    }
    homes = {room for room, _ in handed}
    assert homes and len(renovated) >= len(homes) / 2


def test_move_ins_come_in_waves_their_defects_closed_weeks_later(demo_db: Where) -> None:
    handed = _per_month(
        demo_db,
        "SELECT completed_on AS t FROM handover WHERE completed_on IS NOT NULL",
        DAY,
    )
    assert len(handed) >= 3
    batches = rows(
        demo_db,
        "SELECT b.id, count(h.id) FROM handover_batch b JOIN handover h ON h.batch_id = b.id "
        "WHERE h.completed_on IS NOT NULL GROUP BY b.id",
    )
    defect = table("defect")
    closed = [
        (checked - found).days
        for found, checked in rows(
            demo_db,
            select(defect.c.found_on, defect.c.checked_on).where(
                defect.c.status == "closed",
                defect.c.found_on < clock.today() - timedelta(days=60),
            ),
        )
    ]
    fees = rows(
        demo_db,
        "SELECT s.detail FROM handover_step s JOIN handover h ON h.id = s.handover_id "
        "WHERE s.step = 'fees' AND h.completed_on IS NOT NULL",
    )
    assert len(batches) >= 3  # this year's waves and this week's batch
    assert min(closed) >= 3 and max(closed) <= 21  # repaired and re-inspected in weeks
    # every handover's fees step names the receipt it was paid with
    assert fees and all('"receipts": ["SJ' in detail for (detail,) in fees)


def test_notices_issued_every_quarter_and_reminders_after_each(demo_db: Where) -> None:
    notices = _per_month(
        demo_db, "SELECT issued_at AS t FROM issued_document WHERE kind = 'notice'", INSTANT
    )
    year = year_periods(clock.today())
    assert all(notices.get(str(p), 0) > 0 for p in year)
    reminders = _per_month(
        demo_db, "SELECT issued_at AS t FROM issued_document WHERE kind = 'reminder'", INSTANT
    )
    quarters = {(p.year, (p.month - 1) // 3) for p in year[2:]}
    reminded = {(int(m[:4]), (int(m[5:]) - 1) // 3) for m in reminders}
    assert quarters <= reminded
    issued = [
        number
        for (number,) in rows(demo_db, "SELECT number FROM issued_document ORDER BY issued_at, id")
    ]
    assert issued == sorted(issued)  # the register's numbers run with the dates
