"""The household file's 访客 tab: visits, open bookings, frequent visitors flagged."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from frontdesk.domain import clock
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.household.visits_tab import VisitsTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.visitors import bookings as visitor_bookings
from frontdesk.services.visitors import register as visitors


@pytest.fixture
def room(db, admin) -> int:
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]


def _visit(db, admin, room: int, phone: str, at: datetime) -> None:
    data = visitors.VisitInput(room, "王五", phone, confirmed_by="业主 张三")
    visitors.register_visit(db, admin, data, now=at)


def test_the_tab_lists_visits_and_flags_a_visitor_who_comes_too_often(
    qtbot, ctx, db, admin, room
) -> None:
    now = clock.utc_now()
    for day in range(6):
        _visit(db, admin, room, "13912345678", now - timedelta(days=day * 4, hours=1))
    _visit(db, admin, room, "13700001111", now - timedelta(hours=2))
    tomorrow = (now + timedelta(days=1)).astimezone().date()
    visitor_bookings.create_booking(
        db,
        admin,
        visitor_bookings.BookingInput(
            room, "赵六", "13600002222", tomorrow, time(9), time(11), "业主 张三（电话）"
        ),
    )
    tab = VisitsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(room, households.open_file(db, admin, room))
    assert tab.ui.table.rowCount() == 7
    assert tab.ui.table.item(0, 4).text() == "139****5678"
    assert "王五（139****5678） 6 次" in tab.ui.hintLabel.text()
    assert "137****1111" not in tab.ui.hintLabel.text()
    assert tab.ui.bookingsTable.rowCount() == 1
    assert tab.ui.bookingsTable.item(0, 2).text() == "赵六"


def test_a_cashier_has_no_visits_tab_in_the_household_file(qtbot, db, make_user) -> None:
    from frontdesk.gui.screens.rooms import RoomsScreen

    screen = RoomsScreen(AppContext(db, make_user(Role.CASHIER), TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    tabs = screen.file_view.ui.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert "账单" in titles and "访客" not in titles
    clerk = RoomsScreen(AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True)))
    qtbot.addWidget(clerk)
    tabs = clerk.file_view.ui.tabs
    assert "访客" in [tabs.tabText(i) for i in range(tabs.count())]


def test_a_booking_made_from_the_file_is_for_its_room(
    qtbot, ctx, db, admin, room, shown, monkeypatch
) -> None:
    from frontdesk.gui.screens.visitors.bookings_tab import BookingDialog

    def fill_and_save(dialog: BookingDialog) -> int:
        assert dialog.room.room_id == room
        dialog.ui.nameEdit.setText("赵六")
        dialog.ui.phoneEdit.setText("13600002222")
        dialog.ui.bookedByEdit.setText("业主 张三（电话）")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(BookingDialog, "exec", fill_and_save)
    tab = VisitsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(room, households.open_file(db, admin, room))
    tab.ui.bookButton.click()
    [booking] = visitor_bookings.list_bookings(db, admin, room_id=room)
    assert booking.visitor == "赵六"
    assert tab.ui.bookingsTable.item(0, 0).text() == booking.code
    assert shown[-1][0] == "information" and booking.code in shown[-1][2]
