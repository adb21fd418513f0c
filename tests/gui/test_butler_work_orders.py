"""报表 › 管家工作: a butler's list has the open orders and the callbacks owed in his
buildings, what is due first at the top, each with its clock; not the others'."""

from __future__ import annotations

from datetime import timedelta

from frontdesk.domain import clock
from frontdesk.domain.roles import Role
from frontdesk.domain.service_desk import Channel, Kind, Team, Urgency
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.reports.screen import ReportsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import service_desk as desk
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.service_desk import CallbackInput, OrderInput


def _rows(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _take(db, actor, room: int, kind: Kind, urgency: Urgency, text: str) -> int:
    data = OrderInput(
        kind=kind,
        channel=Channel.PHONE,
        category_id=desk.category_id(db, "水电"),
        description=text,
        urgency=urgency,
        room_id=room,
        caller_name="张三",
        caller_phone="13812345678",
    )
    return desk.take_order(db, actor, data).order_id


def test_a_butlers_list_has_the_orders_and_callbacks_of_his_buildings(
    qtbot, db, admin, make_user
) -> None:
    mine = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.5"))
    structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 2, 1, 2, "89.5"))
    butler = make_user(Role.BUTLER, "guanjia")
    households.assign_butler(db, admin, mine.id, butler.user_id)
    room = structure.find_room_id(db, admin, "1-1-101")
    neighbour = structure.find_room_id(db, admin, "1-1-201")
    elsewhere = structure.find_room_id(db, admin, "2-1-101")
    plumber = desk.save_staff(db, admin, desk.StaffInput("王师傅", Team.ENGINEERING))

    start = clock.utc_now()
    clock.freeze(start - timedelta(hours=5))
    done = _take(db, admin, neighbour, Kind.REPAIR_HOME, Urgency.NORMAL, "卫生间漏水")
    desk.dispatch(db, admin, done, staff_id=plumber)
    desk.arrive(db, admin, done)
    desk.finish(db, admin, done, "更换密封圈")
    clock.freeze(start - timedelta(hours=1))
    late = _take(db, admin, room, Kind.REPAIR_HOME, Urgency.URGENT, "厨房水管爆裂")
    clock.freeze(start)
    ordinary = _take(db, admin, neighbour, Kind.REPAIR_HOME, Urgency.NORMAL, "灯不亮")
    _take(db, admin, elsewhere, Kind.REPAIR_HOME, Urgency.URGENT, "别栋的报修")

    screen = ReportsScreen(AppContext(db, butler, TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    screen.refresh()
    ui = screen.ui
    numbers = {
        order_id: desk.order_facts(db, admin, order_id).row.number
        for order_id in (done, late, ordinary)
    }
    orders = _rows(ui.ordersTable)
    # what is due first at the top: the late urgent one, then the ordinary one
    assert [r[0] for r in orders][:2] == [numbers[late], numbers[ordinary]]
    assert [r[1] for r in orders] == ["1-1-101", "1-1-201", "1-1-201"]  # not building 2
    assert orders[0][4].startswith("到场已超时 30 分")
    assert "超时 1" in ui.ordersTitle.text()
    callbacks = _rows(ui.callbacksTable)
    assert [r[0] for r in callbacks] == [numbers[done]]
    assert callbacks[0][3].startswith("回访剩")

    desk.callback(db, admin, done, CallbackInput(5, 5, 5))
    screen.refresh()
    assert _rows(ui.callbacksTable) == []
    assert ui.callbacksTitle.text() == "待回访的工单（0）"


def test_a_supervisor_sees_the_orders_of_every_building(qtbot, db, admin, make_user) -> None:
    structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.5"))
    structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 2, 1, 2, "89.5"))
    for code in ("1-1-101", "2-1-101"):
        room = structure.find_room_id(db, admin, code)
        _take(db, admin, room, Kind.REPAIR_HOME, Urgency.NORMAL, "报修")
    supervisor = make_user(Role.SUPERVISOR)
    screen = ReportsScreen(AppContext(db, supervisor, TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    screen.refresh()
    assert sorted(r[1] for r in _rows(screen.ui.ordersTable)) == ["1-1-101", "2-1-101"]
    assert screen.ui.ordersTitle.text() == "未完结的工单（2）"
