"""Visitor registration: validation, pass numbers, returning and frequent visitors,
sign-out, the inside-now board, bookings, the watchlist and retention."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.visitors import BookingState, Confirmation, Purpose, VisitState
from frontdesk.errors import NotFound, PermissionDenied, UserError, ValidationError
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.visitors.bookings import (
    BookingInput,
    admit_booking,
    cancel_booking,
    create_booking,
    find_booking,
    list_bookings,
)
from frontdesk.services.visitors.history import VisitFilter, day_counts, search_visits
from frontdesk.services.visitors.register import (
    VisitInput,
    find_visit,
    host_phones,
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

# 2026-11-25 10:00 in Beijing; the tests pin the zone so "a day" is a Beijing day.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

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
    ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
    return ids[0]


def visit(room: int, **changes: object) -> VisitInput:
    values: dict[str, object] = {
        "room_id": room,
        "visitor_name": "王五",
        "visitor_phone": "139 1234 5678",
        "confirmed_by": "业主 张三",
    }
    values.update(changes)
    return VisitInput(**values)  # type: ignore[arg-type]


def test_a_visit_gets_the_days_next_pass_number_and_usual_stay(db, admin, room) -> None:
    first = register_visit(db, admin, visit(room), now=NOW)
    second = register_visit(
        db, admin, visit(room, purpose=Purpose.DELIVERY), now=NOW + timedelta(minutes=1)
    )
    assert (first.number, second.number) == ("FK2611250001", "FK2611250002")
    assert first.phone == "139****5678"
    assert first.expected_leave_at == NOW + timedelta(hours=3)
    assert second.expected_leave_at == NOW + timedelta(minutes=31)
    assert first.confirmation_text == "业主张三电话确认"
    tomorrow = register_visit(db, admin, visit(room), now=NOW + timedelta(days=1))
    assert tomorrow.number == "FK2611260001"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"room_id": 99999}, "到访房屋"),
        ({"visitor_name": "  "}, "访客姓名"),
        ({"visitor_phone": ""}, "访客电话"),
        ({"visitor_phone": "12345"}, "访客电话"),
        ({"plate": "ABC"}, "车牌号"),
        ({"party_size": 0}, "人数"),
        ({"confirmed_by": ""}, "确认人"),
        ({"expected_leave_at": NOW - timedelta(minutes=1)}, "预计离开"),
        ({"expected_leave_at": NOW + timedelta(hours=25)}, "预计离开"),
        ({"id_number": "110101199003074514"}, "证件号码"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(db, admin, room, changes, field) -> None:
    with pytest.raises(ValidationError) as caught:
        register_visit(db, admin, visit(room, **changes), now=NOW)
    assert caught.value.field == field
    assert inside_now(db, admin, NOW).rows == []


def test_documents_are_taken_only_when_the_settings_require_them(db, admin, room) -> None:
    checked = register_visit(db, admin, visit(room, id_checked=True), now=NOW)
    assert checked.id_text == "已核验证件"
    set_visitor_settings(db, admin, VisitorSettings(require_id=True))
    with pytest.raises(ValidationError, match="证件号码"):
        register_visit(db, admin, visit(room), now=NOW)
    with pytest.raises(ValidationError, match="校验位"):
        register_visit(db, admin, visit(room, id_number="110101199003074510"), now=NOW)
    row = register_visit(db, admin, visit(room, id_number="110101199003074514"), now=NOW)
    assert row.id_text == "居民身份证 110***********4514"


def test_a_returning_visitor_is_found_by_phone_and_the_sixth_visit_is_flagged(
    db, admin, room
) -> None:
    assert returning_visitor(db, admin, "13912345678", NOW) is None
    for day in range(5):
        row = register_visit(
            db, admin, visit(room, plate="浙A12345"), now=NOW - timedelta(days=day * 5)
        )
        assert not row.frequent
    found = returning_visitor(db, admin, "139-1234-5678", NOW)
    assert found is not None
    assert (found.name, found.room_id, found.plate, found.visits_in_window) == (
        "王五",
        room,
        "浙A12345",
        5,
    )
    assert found.frequent
    assert register_visit(db, admin, visit(room), now=NOW + timedelta(hours=1)).frequent


def test_visits_older_than_thirty_days_do_not_count_towards_the_flag(db, admin, room) -> None:
    for day in range(5):
        register_visit(db, admin, visit(room), now=NOW - timedelta(days=31 + day))
    assert not register_visit(db, admin, visit(room), now=NOW).frequent


def test_sign_out_by_pass_number_once(db, admin, room) -> None:
    row = register_visit(db, admin, visit(room, party_size=3), now=NOW)
    board = inside_now(db, admin, NOW)
    assert [r.number for r in board.rows] == [row.number] and board.people == 3
    left = sign_out(db, admin, " fk2611250001 ", now=NOW + timedelta(hours=1))
    assert left.state == VisitState.LEFT and left.left_by == admin.display_name
    assert inside_now(db, admin, NOW).rows == []
    with pytest.raises(UserError, match="已于 11-25 11:00 签离"):
        sign_out(db, admin, row.number, now=NOW + timedelta(hours=2))
    with pytest.raises(NotFound, match="FK2611259999"):
        sign_out(db, admin, "FK2611259999", now=NOW)
    with pytest.raises(ValidationError, match="访客单号"):
        sign_out(db, admin, "hello", now=NOW)
    assert find_visit(db, admin, "2611250001").number == row.number


def test_the_board_marks_overdue_and_stale_visits(db, admin, room) -> None:
    register_visit(db, admin, visit(room, purpose=Purpose.DELIVERY), now=NOW)
    register_visit(db, admin, visit(room), now=NOW - timedelta(days=1))
    board = inside_now(db, admin, NOW + timedelta(hours=1))
    assert [r.state for r in board.rows] == [VisitState.STALE, VisitState.OVERDUE]
    assert board.count(VisitState.STALE) == 1


def test_a_clerk_registers_but_a_cashier_may_not(db, room, make_user) -> None:
    clerk = make_user(Role.CLERK)
    assert register_visit(db, clerk, visit(room), now=NOW).registered_by == clerk.display_name
    with pytest.raises(PermissionDenied):
        register_visit(db, make_user(Role.CASHIER), visit(room), now=NOW)


def test_confirm_visit_numbers_are_for_the_gate_only_and_skip_who_moved_out(
    db, admin, room, make_user
) -> None:
    from frontdesk.domain import clock
    from frontdesk.domain.household import PersonKind
    from frontdesk.services.households import file as households

    owner = households.add_record(
        db, admin, room, households.PersonInput(PersonKind.OWNER, "张三", phone="13800001111")
    )
    households.add_record(
        db, admin, room, households.PersonInput(PersonKind.TENANT, "李四", phone="13900002222")
    )
    households.end_person(db, admin, owner, clock.today(), "已出售")
    clerk = make_user(Role.CLERK)
    assert [(h.who, h.phone) for h in host_phones(db, clerk, room)] == [
        ("租户 李四", "13900002222")
    ]
    with pytest.raises(PermissionDenied):
        host_phones(db, make_user(Role.CASHIER), room)
    with pytest.raises(NotFound):
        host_phones(db, clerk, room + 1000)


def booking(room: int, **changes: object) -> BookingInput:
    values: dict[str, object] = {
        "room_id": room,
        "visitor_name": "赵六",
        "visitor_phone": "13700001111",
        "expected_on": date(2026, 11, 25),
        "window_start": time(14, 0),
        "window_end": time(16, 0),
        "booked_by": "业主 张三（电话）",
        "party_size": 2,
    }
    values.update(changes)
    return BookingInput(**values)  # type: ignore[arg-type]


def test_a_booking_code_admits_the_visitor_in_one_step(db, admin, room) -> None:
    made = create_booking(db, admin, booking(room), now=NOW)
    assert len(made.code) == 6 and made.state == BookingState.OPEN
    arrived = admit_booking(db, admin, made.code, now=NOW + timedelta(hours=5))
    assert arrived.confirmation == Confirmation.BOOKING and arrived.party_size == 2
    assert arrived.visitor == "赵六"
    row = list_bookings(db, admin, now=NOW)[0]
    assert row.state == BookingState.ARRIVED and row.visit_number == arrived.number
    with pytest.raises(UserError, match="已到访"):
        admit_booking(db, admin, made.code, now=NOW + timedelta(hours=5))


def test_bookings_lapse_cancel_and_refuse_the_past(db, admin, room) -> None:
    with pytest.raises(ValidationError, match="预约日期"):
        create_booking(db, admin, booking(room, expected_on=date(2026, 11, 24)), now=NOW)
    with pytest.raises(ValidationError, match="到访时段"):
        create_booking(db, admin, booking(room, window_end=time(13, 0)), now=NOW)
    made = create_booking(db, admin, booking(room), now=NOW)
    later = NOW + timedelta(hours=7, minutes=1)  # 17:01: the window closed at 16:00 + 1 h
    with pytest.raises(UserError, match="已过期"):
        find_booking(db, admin, made.code, now=later)
    tomorrow = create_booking(db, admin, booking(room, expected_on=date(2026, 11, 26)), now=NOW)
    with pytest.raises(UserError, match="不是今天"):
        admit_booking(db, admin, tomorrow.code, now=NOW)
    cancel_booking(db, admin, tomorrow.id, now=NOW)
    with pytest.raises(UserError, match="已取消"):
        find_booking(db, admin, tomorrow.code, now=NOW)
    with pytest.raises(ValidationError, match="预约码"):
        find_booking(db, admin, "12ab", now=NOW)


def test_a_watchlist_match_warns_audits_and_lets_the_clerk_decide(db, admin, room) -> None:
    entry = add_watch(
        db,
        admin,
        WatchInput("多次上门推销", date(2027, 6, 30), phone="13912345678"),
        today=NOW.date(),
    )
    with pytest.raises(WatchlistWarning) as caught:
        register_visit(db, admin, visit(room), now=NOW)
    assert caught.value.matches[0].matched == "电话"
    assert "多次上门推销" in caught.value.message
    assert inside_now(db, admin, NOW).rows == []
    row = register_visit(db, admin, visit(room), now=NOW, confirmed_watch=True)
    assert row.watch_hit
    with db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "watch_warning" in actions and "watch_override" in actions
    remove_watch(db, admin, entry)
    assert not register_visit(db, admin, visit(room), now=NOW).watch_hit


def test_history_and_day_counts(db, admin, room) -> None:
    register_visit(db, admin, visit(room, plate="浙A12345"), now=NOW)
    register_visit(
        db, admin, visit(room, purpose=Purpose.DELIVERY, party_size=2), now=NOW + timedelta(hours=3)
    )
    register_visit(db, admin, visit(room), now=NOW - timedelta(days=3))
    today = date(2026, 11, 25)
    assert len(search_visits(db, admin, VisitFilter(day_from=today, day_to=today))) == 2
    assert len(search_visits(db, admin, VisitFilter(plate="浙A·12345"))) == 1
    with pytest.raises(ValidationError, match="结束日期"):
        search_visits(db, admin, VisitFilter(day_from=today, day_to=date(2026, 11, 1)))
    counts = day_counts(db, admin, today)
    assert (counts.visits, counts.people) == (2, 3)
    assert counts.by_purpose[Purpose.DELIVERY] == (1, 2)
    assert counts.by_hour[10] == 1 and counts.by_hour[13] == 1


@pytest.mark.sqlite_only  # reads the file's bytes
def test_retention_erases_personal_data_keeps_counts_and_leaves_no_trace(db, admin, room) -> None:
    old = NOW - timedelta(days=200)
    register_visit(db, admin, visit(room, visitor_phone="13588889999", plate="浙A77777"), now=old)
    # Enough rows that pages split and freed cells would keep old bytes without
    # secure_delete.
    for i in range(150):
        register_visit(
            db, admin, visit(room, visitor_phone=f"135{i:08d}"), now=old + timedelta(minutes=i)
        )
    register_visit(db, admin, visit(room), now=NOW)
    assert purge_visitor_data(db, admin, now=NOW, dry_run=True).visits == 151
    result = purge_visitor_data(db, admin, now=NOW)
    assert result.visits == 151 and result.before == date(2026, 5, 29)
    rows = search_visits(db, admin, VisitFilter(), now=NOW)
    erased = next(r for r in rows if r.purged)
    assert (erased.visitor, erased.phone, erased.plate) == ("（已按期清除）", "", "")
    assert day_counts(db, admin, old.astimezone().date()).visits == 151
    assert returning_visitor(db, admin, "13588889999", NOW) is None
    assert purge_visitor_data(db, admin, now=NOW).visits == 0
    path = Path(str(db.engine.url.database))
    wal = path.with_name(path.name + "-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"13588889999" not in raw and "浙A77777".encode() not in raw
    assert not [i for i in range(150) if f"135{i:08d}".encode() in raw]


def test_only_a_supervisor_purges_by_hand(db, room, make_user) -> None:
    with pytest.raises(PermissionDenied):
        purge_visitor_data(db, make_user(Role.CLERK), now=NOW)
    assert purge_visitor_data(db, make_user(Role.SUPERVISOR), now=NOW).visits == 0
