"""The household file's 访客 tab: visits, open bookings, frequent visitors flagged."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from frontdesk.domain import clock
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.visitors.file_tab import VisitsTab
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


def file_tab_titles(qtbot, db, actor) -> list[str]:
    """The household file's tabs as the main window composes them for this role."""
    from frontdesk.gui.main_window import MainWindow
    from frontdesk.gui.screens.household.screen import RoomsScreen

    window = MainWindow(AppContext(db, actor, TaskRunner(wait=True)))
    qtbot.addWidget(window)
    screen = window.area_screen("households") or window.show_area("households")
    assert isinstance(screen, RoomsScreen)
    screen.add_file_tabs()  # as the first file opened does
    tabs = screen.file_view.ui.tabs
    return [tabs.tabText(i) for i in range(tabs.count())]


def test_a_cashier_has_no_visits_tab_in_the_household_file(qtbot, db, make_user) -> None:
    cashier = file_tab_titles(qtbot, db, make_user(Role.CASHIER))
    assert cashier == [
        "概况",
        "账单",
        "成员",
        "车辆/车位",
        "宠物",
        "关怀",
        "附件",
        "管家联系",
        "入伙",
        "装修",
        "历史",
    ]
    clerk = file_tab_titles(qtbot, db, make_user(Role.CLERK))
    assert clerk == [*cashier[:-1], "访客", "工单", "历史"]


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
