"""访客登记 links a repair worker's entry to the room's dispatched repair: the clerk is
asked, and yes records the order's 到场 at the entry, its step naming the visit."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from frontdesk.domain.service_desk import Channel, Kind, Status, Step, Team, Urgency
from frontdesk.domain.visitors import Purpose
from frontdesk.gui.screens.visitors.register_tab import RegisterTab
from frontdesk.services import service_desk as desk
from frontdesk.services.households import structure
from frontdesk.services.service_desk import OrderInput
from frontdesk.services.visitors import register as visitors


@pytest.fixture
def room(db, admin) -> int:
    structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    return structure.find_room_id(db, admin, "1-1-101")


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The yes/no box: `answer` is what the clerk clicks; `texts` what it said."""
    state: dict[str, object] = {"answer": QMessageBox.StandardButton.Yes, "texts": []}

    def question(parent, title, text, *args, **kwargs):
        state["texts"].append(text)  # type: ignore[attr-defined]
        return state["answer"]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return state


def _dispatched_leak(db, admin, room: int) -> int:
    data = OrderInput(
        kind=Kind.REPAIR_HOME,
        channel=Channel.PHONE,
        category_id=desk.category_id(db, "水电"),
        description="厨房水龙头漏水",
        urgency=Urgency.URGENT,
        room_id=room,
        caller_name="张三",
        caller_phone="13812345678",
    )
    order = desk.take_order(db, admin, data).order_id
    plumber = desk.save_staff(db, admin, desk.StaffInput("王师傅", Team.ENGINEERING))
    desk.dispatch(db, admin, order, staff_id=plumber)
    return order


def _register(qtbot, ctx, room: int, purpose: Purpose) -> RegisterTab:
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    tab.ui.printCheck.setChecked(False)
    tab.ui.phoneEdit.setText("13900001111")
    tab.ui.nameEdit.setText("王师傅")
    tab.room.set_room(room, "1-1-101")
    tab.ui.purposeCombo.setCurrentIndex(tab.ui.purposeCombo.findData(purpose.value))
    tab.ui.confirmedByEdit.setText("业主 张三")
    tab.register()
    return tab


def test_yes_records_the_workers_entry_as_the_orders_arrival(
    qtbot, ctx, db, admin, room, asked
) -> None:
    order = _dispatched_leak(db, admin, room)
    tab = _register(qtbot, ctx, room, Purpose.REPAIR)
    [visit] = visitors.inside_now(db, admin).rows
    facts = desk.order_facts(db, admin, order)
    [text] = asked["texts"]  # type: ignore[misc]
    assert facts.row.number in text and "王师傅" in text
    assert facts.row.status == Status.ARRIVED
    assert facts.arrived_at == visit.arrived_at
    arrival = facts.events[-1]
    assert (arrival.step, arrival.note) == (Step.ARRIVE, f"访客登记 {visit.number}")
    assert f"工单 {facts.row.number} 已记为维修人员到场" in tab.ui.resultLabel.text()


def test_no_leaves_the_order_as_it_was(qtbot, ctx, db, admin, room, asked) -> None:
    order = _dispatched_leak(db, admin, room)
    asked["answer"] = QMessageBox.StandardButton.No
    _register(qtbot, ctx, room, Purpose.REPAIR)
    assert len(visitors.inside_now(db, admin).rows) == 1  # the visit is registered anyway
    assert desk.order_facts(db, admin, order).row.status == Status.DISPATCHED


def test_nothing_is_asked_for_other_purposes_or_without_a_dispatched_repair(
    qtbot, ctx, db, admin, room, asked
) -> None:
    _register(qtbot, ctx, room, Purpose.REPAIR)  # no order at all
    order = _dispatched_leak(db, admin, room)
    _register(qtbot, ctx, room, Purpose.FAMILY)
    assert asked["texts"] == []
    assert desk.order_facts(db, admin, order).row.status == Status.DISPATCHED
