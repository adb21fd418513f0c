"""The household file's 工单 tab: the room's orders newest first with kind, category,
status and clock, and 新建工单… asking the navigator for the intake of this room."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from frontdesk.domain import clock
from frontdesk.domain.service_desk import Channel, Kind, Team, Urgency
from frontdesk.gui.context import AppContext
from frontdesk.gui.navigation import NewWorkOrder, Place
from frontdesk.gui.screens.household.orders_tab import OrdersTab, taken_text
from frontdesk.services import service_desk as desk
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.service_desk import OrderInput


@pytest.fixture
def rooms(db, admin) -> list[int]:
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))


def _take(db, admin, room: int, kind: Kind, category: str, text: str, urgent: bool) -> int:
    data = OrderInput(
        kind=kind,
        channel=Channel.PHONE,
        category_id=desk.category_id(db, category),
        description=text,
        urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
        room_id=room,
        caller_name="张三",
        caller_phone="13812345678",
    )
    return desk.take_order(db, admin, data).order_id


def test_the_tab_lists_the_rooms_orders_newest_first_with_their_clocks(
    qtbot, ctx: AppContext, db, admin, rooms
) -> None:
    room, other = rooms[0], rooms[1]
    start = clock.utc_now()
    clock.freeze(start - timedelta(hours=3))
    leak = _take(db, admin, room, Kind.REPAIR_HOME, "水电", "厨房水龙头漏水", urgent=True)
    plumber = desk.save_staff(db, admin, desk.StaffInput("王师傅", Team.ENGINEERING))
    desk.dispatch(db, admin, leak, staff_id=plumber)
    clock.freeze(start - timedelta(hours=1))
    _take(db, admin, room, Kind.COMPLAINT, "噪音", "楼上夜间装修噪音", urgent=False)
    _take(db, admin, other, Kind.ENQUIRY, "秩序", "别家的咨询", urgent=False)
    clock.freeze(start)

    tab = OrdersTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(room, households.open_file(db, admin, room))

    table = tab.table
    assert table.rowCount() == 2  # the other room's order is not here
    cells = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(2)]
    assert [row[2:5] for row in cells] == [
        ["投诉", "噪音", "受理"],
        ["报修（户内）", "水电", "已派单"],
    ]
    assert cells[1][6] == "王师傅"
    # the urgent leak promised 30 minutes on site and dispatched 3 hours ago: late
    assert cells[1][5].startswith("到场已超时 2 小时 30 分")
    assert "剩" in cells[0][5]
    assert "共 2 张工单" in tab.summary.text()
    assert "已超时 1 张" in tab.summary.text()


def test_a_room_without_orders_says_so(qtbot, ctx: AppContext, db, admin, rooms) -> None:
    tab = OrdersTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(rooms[0], households.open_file(db, admin, rooms[0]))
    assert tab.table.rowCount() == 0
    assert tab.summary.text() == "该户没有工单记录。"


def test_new_order_asks_for_the_intake_of_this_room(
    qtbot, ctx: AppContext, db, admin, rooms
) -> None:
    asked: list[Place] = []
    ctx.navigator.connect(lambda place: asked.append(place) or True)
    tab = OrdersTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(rooms[0], households.open_file(db, admin, rooms[0]))
    tab.newButton.click()
    assert asked == [NewWorkOrder(rooms[0])]


def test_new_order_says_why_when_nobody_can_open_the_intake(
    qtbot, ctx: AppContext, db, admin, rooms
) -> None:
    tab = OrdersTab(ctx)  # no main window: the navigator goes nowhere
    qtbot.addWidget(tab)
    tab.open_room(rooms[0], households.open_file(db, admin, rooms[0]))
    tab.newButton.click()
    assert "无法打开工单受理" in tab.summary.text()


def test_the_time_taken_is_short_this_year_and_dated_before() -> None:
    at = datetime(2026, 3, 5, 9, 30).astimezone()
    assert taken_text(at, date(2026, 11, 25)) == "03-05 09:30"
    assert taken_text(at, date(2027, 1, 2)) == "2026-03-05"
