"""The demo's year shows trends, read through the figures' own services: 收缴率 rising
from about nine in ten to near the plan's 98% with one building behind, work orders
in every month with the seasons' faults, the butlers reaching more homes each month,
care visits all year, the gate's visits of every month, renovations through the
seasons (none begun in the 春节 month), move-ins in waves and notices every quarter."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from frontdesk.demo.timeline import festival_month, year_periods
from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from frontdesk.services import users
from frontdesk.services.database import Database, open_at
from frontdesk.services.fees.collection import CollectionLine, collection_figures
from frontdesk.services.households.butler_contacts import coverage


@pytest.fixture
def demo(demo_db: Path) -> Iterator[Database]:
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


def _per_month(db: Path, sql: str) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as raw:
        return {str(month): int(count) for month, count in raw.execute(sql)}


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


def test_work_orders_every_month_with_more_leaks_in_the_rain(demo_db: Path) -> None:
    local = "strftime('%Y-%m', taken_at, 'localtime')"
    orders = _per_month(demo_db, f"SELECT {local}, count(*) FROM work_order GROUP BY 1")
    year = year_periods(clock.today())
    assert all(orders.get(str(p), 0) > 10 for p in year[:-1])
    leaks = _per_month(
        demo_db,
        f"SELECT {local}, count(*) FROM work_order WHERE description LIKE '%漏水%' GROUP BY 1",
    )
    wet = [p for p in year[:-1] if p.month in (6, 7)]
    dry = [p for p in year[:-1] if p.month in (12, 1, 2)]

    def daily(months: list[Period]) -> float:
        days = sum((p.last_day - p.first_day).days + 1 for p in months)
        return sum(leaks.get(str(p), 0) for p in months) / days

    assert daily(wet) > 1.5 * daily(dry)


def test_butlers_reach_more_homes_as_the_year_goes_on(demo: Database, demo_db: Path) -> None:
    supervisor = users.login(demo, "zhuguan", "demo1234")
    first, last = _months()

    def reached(months: list[Period]) -> float:
        rows = [row for p in months for row in coverage(demo, supervisor, p.first_day)]
        return sum(r.contacted for r in rows) / sum(r.households for r in rows)

    assert 0.04 < reached(first) < reached(last) - 0.03
    assert reached(last) >= 0.10  # the plan's 管家责任制 met by the year's end
    care = _per_month(
        demo_db,
        "SELECT strftime('%Y-%m', contacted_on), count(*) FROM butler_contact "
        "WHERE topic LIKE '关怀探访：%' GROUP BY 1",
    )
    assert all(care.get(str(p), 0) > 0 for p in year_periods(clock.today())[:-1])


def test_the_gate_has_a_year_of_visits_the_old_ones_purged(demo_db: Path) -> None:
    local = "strftime('%Y-%m', arrived_at, 'localtime')"
    visits = _per_month(demo_db, f"SELECT {local}, count(*) FROM visit GROUP BY 1")
    assert all(visits.get(str(p), 0) > 0 for p in year_periods(clock.today())[:-1])
    with closing(sqlite3.connect(demo_db)) as raw:
        kept = raw.execute(
            "SELECT count(*) FROM visit WHERE purged_at IS NULL "
            "AND julianday(?) - julianday(arrived_at) > 182",
            (clock.utc_now().replace(tzinfo=None).isoformat(" "),),
        ).fetchone()[0]
        purged = raw.execute(
            "SELECT count(*), sum(visitor_name != '' OR visitor_phone != '' OR plate != '') "
            "FROM visit WHERE purged_at IS NOT NULL"
        ).fetchone()
        hours = dict(
            raw.execute(
                "SELECT cast(strftime('%H', arrived_at, 'localtime') AS int), count(*) "
                "FROM visit GROUP BY 1"
            ).fetchall()
        )
        weekdays = dict(
            raw.execute(
                "SELECT cast(strftime('%w', arrived_at, 'localtime') AS int), count(*) "
                "FROM visit GROUP BY 1"
            ).fetchall()
        )
    # past the 180 days kept: erased, the visit still counted
    assert kept == 0 and purged[0] > 0 and purged[1] == 0
    # a lunch and an evening peak over the quiet early afternoon; weekends busier
    assert hours[11] > hours[14] < hours[18]
    assert min(weekdays[0], weekdays[6]) > 1.15 * max(weekdays[d] for d in range(1, 6))


def test_renovations_start_through_the_year_but_not_at_the_spring_festival(
    demo_db: Path,
) -> None:
    starts = _per_month(
        demo_db, "SELECT strftime('%Y-%m', starts_on), count(*) FROM renovation GROUP BY 1"
    )
    year = year_periods(clock.today())
    assert sum(1 for p in year if starts.get(str(p), 0)) >= 7
    banned = {str(festival_month(p.year)) for p in year}
    assert not banned & set(starts)
    # most flats handed over this year were renovated within two months of their keys
    with closing(sqlite3.connect(demo_db)) as raw:
        after = raw.execute(
            "SELECT count(DISTINCT h.room_id), count(DISTINCT r.room_id) FROM handover h "
            "LEFT JOIN renovation r ON r.room_id = h.room_id AND r.starts_on > h.completed_on "
            "AND julianday(r.starts_on) - julianday(h.completed_on) <= 75 "
            "WHERE h.completed_on < date(?, '-140 days')",
            (clock.today().isoformat(),),
        ).fetchone()
    assert after[0] > 0 and after[1] >= after[0] / 2


def test_move_ins_come_in_waves_their_defects_closed_weeks_later(demo_db: Path) -> None:
    handed = _per_month(
        demo_db,
        "SELECT strftime('%Y-%m', completed_on), count(*) FROM handover "
        "WHERE completed_on IS NOT NULL GROUP BY 1",
    )
    assert len(handed) >= 3
    with closing(sqlite3.connect(demo_db)) as raw:
        batches = raw.execute(
            "SELECT b.id, count(h.id), min(h.completed_on), max(h.completed_on) "
            "FROM handover_batch b JOIN handover h ON h.batch_id = b.id "
            "WHERE h.completed_on IS NOT NULL GROUP BY b.id"
        ).fetchall()
        closed = raw.execute(
            "SELECT min(julianday(checked_on) - julianday(found_on)), "
            "max(julianday(checked_on) - julianday(found_on)) FROM defect "
            "WHERE status = 'closed' AND found_on < date(?, '-60 days')",
            (clock.today().isoformat(),),
        ).fetchone()
        fees = raw.execute(
            "SELECT s.detail FROM handover_step s JOIN handover h ON h.id = s.handover_id "
            "WHERE s.step = 'fees' AND h.completed_on IS NOT NULL"
        ).fetchall()
    assert len(batches) >= 3  # this year's waves and this week's batch
    assert closed[0] >= 3 and closed[1] <= 21  # repaired and re-inspected in weeks
    # every handover's fees step names the receipt it was paid with
    assert fees and all('"receipts": ["SJ' in detail for (detail,) in fees)


def test_notices_issued_every_quarter_and_reminders_after_each(demo_db: Path) -> None:
    local = "strftime('%Y-%m', issued_at, 'localtime')"
    notices = _per_month(
        demo_db,
        f"SELECT {local}, count(*) FROM issued_document WHERE kind = 'notice' GROUP BY 1",
    )
    year = year_periods(clock.today())
    assert all(notices.get(str(p), 0) > 0 for p in year)
    reminders = _per_month(
        demo_db,
        f"SELECT {local}, count(*) FROM issued_document WHERE kind = 'reminder' GROUP BY 1",
    )
    quarters = {(p.year, (p.month - 1) // 3) for p in year[2:]}
    reminded = {(int(m[:4]), (int(m[5:]) - 1) // 3) for m in reminders}
    assert quarters <= reminded
    with closing(sqlite3.connect(demo_db)) as raw:
        issued = [
            number
            for (number,) in raw.execute(
                "SELECT number FROM issued_document ORDER BY issued_at, id"
            )
        ]
    assert issued == sorted(issued)  # the register's numbers run with the dates
