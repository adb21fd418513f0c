"""Visitor rules at their edges: midnight and time zones, two counters' clocks,
numbers typed in other forms, documents on bookings, retention of everything,
and a purge while another counter is reading."""

from __future__ import annotations

import sqlite3
import time as time_module
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.db.models import WatchEntry
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.visitors import BookingState, VisitState
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.visitors.bookings import (
    BookingInput,
    admit_booking,
    create_booking,
    list_bookings,
)
from frontdesk.services.visitors.history import VisitFilter, room_visits, search_visits
from frontdesk.services.visitors.register import (
    VisitInput,
    inside_now,
    register_visit,
    returning_visitor,
    sign_out,
)
from frontdesk.services.visitors.settings import (
    VisitorSettings,
    purge_visitor_data,
    set_visitor_settings,
)
from frontdesk.services.visitors.watchlist import (
    WatchInput,
    WatchlistWarning,
    add_watch,
    remove_watch,
)

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
pytestmark = pytest.mark.clock(NOW)
JUST_AFTER_MIDNIGHT = datetime(2026, 11, 24, 16, 10, tzinfo=UTC)  # 00:10 on the 25th


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


@pytest.fixture
def room(db: Database, admin: Actor) -> int:
    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]


def visit(room: int, **changes: object) -> VisitInput:
    values: dict[str, object] = {
        "room_id": room,
        "visitor_name": "王五",
        "visitor_phone": "13912345678",
        "confirmed_by": "业主 张三",
    }
    values.update(changes)
    return VisitInput(**values)  # type: ignore[arg-type]


def booking(room: int, **changes: object) -> BookingInput:
    values: dict[str, object] = {
        "room_id": room,
        "visitor_name": "赵六",
        "visitor_phone": "13700001111",
        "expected_on": date(2026, 11, 25),
        "window_start": time(9),
        "window_end": time(12),
        "booked_by": "业主 张三",
    }
    values.update(changes)
    return BookingInput(**values)  # type: ignore[arg-type]


def test_the_pass_number_and_day_filter_follow_the_local_day(db, admin, room) -> None:
    row = register_visit(db, admin, visit(room), now=JUST_AFTER_MIDNIGHT)
    assert row.number == "FK2611250001"  # still the 24th in UTC
    day = date(2026, 11, 25)
    assert [r.number for r in search_visits(db, admin, VisitFilter(day, day))] == [row.number]
    assert search_visits(db, admin, VisitFilter(date(2026, 11, 24), date(2026, 11, 24))) == []


def test_a_late_arrival_is_not_stale_before_its_leave_time(db, admin, room) -> None:
    at_2350 = datetime(2026, 11, 25, 15, 50, tzinfo=UTC)
    register_visit(db, admin, visit(room), now=at_2350)
    assert inside_now(db, admin, at_2350 + timedelta(minutes=15)).rows[0].state == (
        VisitState.INSIDE
    )
    assert inside_now(db, admin, at_2350 + timedelta(hours=4)).rows[0].state == (VisitState.STALE)


def test_a_counter_whose_clock_runs_behind_still_signs_out(db, admin, room) -> None:
    row = register_visit(db, admin, visit(room), now=NOW)
    left = sign_out(db, admin, row.number, now=NOW - timedelta(minutes=1))
    assert left.left_at == row.arrived_at


def test_a_late_evening_booking_admits_in_its_grace_hour_after_midnight(db, admin, room) -> None:
    evening = booking(room, expected_on=date(2026, 11, 24), window_start=time(22))
    made = create_booking(
        db,
        admin,
        BookingInput(**{**evening.__dict__, "window_end": time(23, 30)}),
        now=datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
    )
    assert [b.code for b in list_bookings(db, admin, now=JUST_AFTER_MIDNIGHT)] == [made.code]
    assert admit_booking(db, admin, made.code, now=JUST_AFTER_MIDNIGHT).number.startswith(
        "FK261125"
    )


def test_a_booking_whose_window_is_over_is_refused(db, admin, room) -> None:
    with pytest.raises(ValidationError, match="时段已经过去"):
        create_booking(db, admin, booking(room, window_end=time(9, 30)), now=NOW)


def test_a_booking_only_admits_on_its_day_and_while_open(db, admin, room) -> None:
    later = create_booking(db, admin, booking(room, expected_on=date(2026, 11, 30)), now=NOW)
    with pytest.raises(UserError, match="不是今天"):
        register_visit(db, admin, visit(room, booking_id=later.id), now=NOW)
    today = create_booking(db, admin, booking(room), now=NOW)
    with pytest.raises(UserError, match="已过期"):
        register_visit(db, admin, visit(room, booking_id=today.id), now=NOW + timedelta(hours=5))


def test_a_booking_admits_with_the_document_when_the_settings_ask(db, admin, room) -> None:
    set_visitor_settings(db, admin, VisitorSettings(require_id=True))
    made = create_booking(db, admin, booking(room), now=NOW)
    with pytest.raises(ValidationError, match="证件号码"):
        admit_booking(db, admin, made.code, now=NOW)
    row = admit_booking(db, admin, made.code, now=NOW, id_number="110101199003074514")
    assert row.id_text.endswith("4514")
    assert list_bookings(db, admin, now=NOW)[0].state == BookingState.ARRIVED


def test_numbers_typed_in_other_forms_are_the_same_number(db, admin, room) -> None:
    add_watch(db, admin, WatchInput("推销", date(2027, 6, 30), phone="010-12345678"), NOW.date())
    with pytest.raises(WatchlistWarning, match="电话"):
        register_visit(db, admin, visit(room, visitor_phone="010 1234 5678"), now=NOW)
    register_visit(
        db, admin, visit(room, visitor_phone="(010)12345678"), now=NOW, confirmed_watch=True
    )
    assert returning_visitor(db, admin, "010-1234 5678", NOW) is not None
    assert len(search_visits(db, admin, VisitFilter(phone="010-12345678"))) == 1
    set_visitor_settings(db, admin, VisitorSettings(require_id=True))
    add_watch(db, admin, WatchInput("法院", date(2027, 6, 30), id_number="110101 19900307 4514"))
    with pytest.raises(WatchlistWarning, match="证件号码"):
        register_visit(db, admin, visit(room, id_number="110101199003074514"), now=NOW)


def test_a_named_person_is_caught_on_foot_though_the_entry_has_a_plate(db, admin, room) -> None:
    add_watch(db, admin, WatchInput("保护令", date(2027, 1, 1), name="王五", plate="浙B99999"))
    with pytest.raises(WatchlistWarning, match="仅姓名相同，请核实是否本人"):
        register_visit(db, admin, visit(room), now=NOW)


def test_expired_or_revoked_entries_no_longer_warn(db, admin, room) -> None:
    add_watch(db, admin, WatchInput("推销", date(2026, 12, 1), phone="13912345678"), NOW.date())
    assert not register_visit(
        db,
        admin,
        visit(room),
        now=datetime(2026, 12, 1, 16, 30, tzinfo=UTC),  # 12-02 00:30
    ).watch_hit
    revoked = add_watch(db, admin, WatchInput("推销", date(2027, 12, 1), plate="浙A12345"))
    remove_watch(db, admin, revoked)
    other_phone = visit(room, visitor_phone="13600000000", plate="浙A12345")
    assert not register_visit(db, admin, other_phone, now=NOW).watch_hit


def test_a_cashier_cannot_read_who_visits_whom(db, admin, room, make_user) -> None:
    register_visit(db, admin, visit(room), now=NOW)
    with pytest.raises(PermissionDenied):
        room_visits(db, make_user(Role.CASHIER), room)
    assert len(room_visits(db, make_user(Role.BUTLER), room)) == 1


@pytest.mark.sqlite_only  # reads the file's bytes, or holds SQLite's log with a reader
def test_retention_erases_every_personal_field_and_stale_watch_entries(db, admin, room) -> None:
    old = NOW - timedelta(days=200)
    set_visitor_settings(db, admin, VisitorSettings(require_id=True))
    register_visit(
        db,
        admin,
        visit(
            room,
            visitor_name="旧访客甲",
            plate="浙A77777",
            note="送来旧沙发",
            id_number="110101199003074514",
        ),
        now=old,
    )
    made = create_booking(
        db,
        admin,
        booking(room, visitor_name="旧访客乙", note="带两箱水果", expected_on=date(2026, 5, 9)),
        now=old - timedelta(days=1),
    )
    lapsed = add_watch(
        db,
        admin,
        WatchInput("旧事", date(2026, 4, 1), name="旧名", phone="13511112222"),
        date(2026, 3, 1),
    )
    current = add_watch(db, admin, WatchInput("仍有效", date(2027, 4, 1), name="现名"), NOW.date())
    result = purge_visitor_data(db, admin, now=NOW)
    assert (result.visits, result.bookings, result.watch_entries) == (1, 1, 1)
    path = Path(str(db.engine.url.database))
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    for value in (
        "旧访客甲",
        "浙A77777",
        "送来旧沙发",
        "110101199003074514",
        "旧访客乙",
        "带两箱水果",
        "13700001111",
        "旧名",
        "13511112222",
    ):
        assert value.encode() not in raw, value
    assert "现名".encode() in raw
    with db.read() as session:
        entries = {e.id: e for e in session.scalars(select(WatchEntry))}
    assert entries[lapsed].reason == "旧事" and entries[lapsed].name == ""
    assert entries[current].name == "现名"
    assert made.code  # the booking itself stays, for the counts


@pytest.mark.sqlite_only  # reads the file's bytes, or holds SQLite's log with a reader
def test_a_purge_while_another_counter_reads_finishes_at_the_next_run(db, admin, room) -> None:
    register_visit(
        db, admin, visit(room, visitor_phone="13588889999"), now=NOW - timedelta(days=200)
    )
    path = Path(str(db.engine.url.database))
    other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM visit").fetchall()
    first = purge_visitor_data(db, admin, now=NOW)
    assert first.visits == 1 and not first.complete
    other.execute("COMMIT")
    other.close()
    second = purge_visitor_data(db, admin, now=NOW)
    assert second.visits == 0 and second.complete
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert b"13588889999" not in raw
    assert purge_visitor_data(db, admin, now=NOW).complete
