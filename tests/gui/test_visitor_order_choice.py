"""访客登记's 维修工单: for a 维修 visit the room's open orders are offered (the newest
chosen), a GD number may be typed, the visit keeps the order and the lists show it;
recording the arrival from the visit still asks as before and links the visit."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from frontdesk.domain.service_desk import Channel, Kind, Status, Team, Urgency
from frontdesk.domain.visitors import Purpose
from frontdesk.gui.screens.visitors.history_tab import visit_cells
from frontdesk.gui.screens.visitors.order_choice import NONE_TEXT
from frontdesk.gui.screens.visitors.register_tab import RegisterTab
from frontdesk.services import service_desk as desk
from frontdesk.services.households import structure
from frontdesk.services.service_desk import OrderInput
from frontdesk.services.visitors import register as visitors


@pytest.fixture
def rooms(db, admin) -> list[int]:
    structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    return [structure.find_room_id(db, admin, code) for code in ("1-1-101", "1-1-102")]


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    state: dict[str, object] = {"answer": QMessageBox.StandardButton.No}
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: state["answer"]))
    return state


def take(db, admin, room: int, what: str) -> desk.Taken:
    data = OrderInput(
        kind=Kind.REPAIR_HOME,
        channel=Channel.PHONE,
        category_id=desk.category_id(db, "水电"),
        description=what,
        urgency=Urgency.NORMAL,
        room_id=room,
        caller_name="张三",
        caller_phone="13812345678",
    )
    return desk.take_order(db, admin, data)


def fill(qtbot, ctx, room: int, code: str, purpose: Purpose) -> RegisterTab:
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    tab.ui.printCheck.setChecked(False)
    tab.ui.phoneEdit.setText("13900001111")
    tab.ui.nameEdit.setText("王师傅")
    tab.ui.purposeCombo.setCurrentIndex(tab.ui.purposeCombo.findData(purpose.value))
    tab.room.set_room(room, code)
    tab.room.room_chosen.emit(room)
    tab.ui.confirmedByEdit.setText("业主 张三")
    return tab


def test_a_repair_visit_keeps_the_order_chosen(qtbot, ctx, db, admin, rooms, asked) -> None:
    older = take(db, admin, rooms[0], "厨房水龙头漏水")
    newer = take(db, admin, rooms[0], "卫生间地漏堵塞")
    tab = fill(qtbot, ctx, rooms[0], "1-1-101", Purpose.REPAIR)
    combo = tab.ui.orderCombo
    assert combo.isVisibleTo(tab)
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == [
        f"{newer.number} 水电：卫生间地漏堵塞",
        f"{older.number} 水电：厨房水龙头漏水",
        NONE_TEXT,
    ]
    combo.setCurrentIndex(1)
    tab.register()
    (visit,) = visitors.inside_now(db, admin).rows
    assert visit.work_order == older.number
    assert f"维修 · {older.number}" in visit_cells(visit, 2026)
    assert [v.number for v in desk.order_facts(db, admin, older.order_id).visits] == [visit.number]


def test_a_typed_number_is_looked_up_and_another_rooms_refused(
    qtbot, ctx, db, admin, rooms, asked, shown
) -> None:
    mine = take(db, admin, rooms[0], "厨房水龙头漏水")
    theirs = take(db, admin, rooms[1], "楼上漏水")
    tab = fill(qtbot, ctx, rooms[0], "1-1-101", Purpose.REPAIR)
    tab.ui.orderCombo.setEditText(theirs.number)
    tab.register()
    assert visitors.inside_now(db, admin).rows == []
    assert [text for _kind, _title, text in shown] == [
        f"维修工单：工单 {theirs.number} 是 1-1-102 的，不是到访的这一户"
    ]
    tab.ui.orderCombo.setEditText(mine.number.lower())  # typed, not picked
    tab.register()
    (visit,) = visitors.inside_now(db, admin).rows
    assert visit.work_order == mine.number


def test_other_purposes_name_no_order(qtbot, ctx, db, admin, rooms, asked) -> None:
    take(db, admin, rooms[0], "厨房水龙头漏水")
    tab = fill(qtbot, ctx, rooms[0], "1-1-101", Purpose.FAMILY)
    assert not tab.ui.orderCombo.isVisibleTo(tab)
    tab.register()
    (visit,) = visitors.inside_now(db, admin).rows
    assert visit.work_order == ""


def test_recording_the_arrival_links_a_visit_registered_without_an_order(
    qtbot, ctx, db, admin, rooms, asked
) -> None:
    order = take(db, admin, rooms[0], "厨房水龙头漏水")
    desk.dispatch(db, admin, order.order_id, team=Team.ENGINEERING)
    asked["answer"] = QMessageBox.StandardButton.Yes
    tab = fill(qtbot, ctx, rooms[0], "1-1-101", Purpose.REPAIR)
    tab.ui.orderCombo.setCurrentIndex(tab.ui.orderCombo.findText(NONE_TEXT))
    tab.register()
    (visit,) = visitors.inside_now(db, admin).rows
    assert desk.order_facts(db, admin, order.order_id).row.status == Status.ARRIVED
    assert visit.work_order == order.number
