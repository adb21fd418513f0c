"""客服 complaints in the GUI: an anonymous complaint and a named one with department,
person and deadline taken at intake; the 答复 from the board; the 升级/逾期投诉 list
with its alert and a supervisor's 督办 (a clerk cannot)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from frontdesk.domain import clock
from frontdesk.domain.roles import Role
from frontdesk.domain.service_desk import Channel, Kind, Status, Step, Team
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import TaskRunner
from frontdesk.gui.screens.service_desk.board_tab import BoardTab
from frontdesk.gui.screens.service_desk.complaint_fields import parse_deadline
from frontdesk.gui.screens.service_desk.escalations_tab import EscalationsTab
from frontdesk.gui.screens.service_desk.intake_dialog import IntakeDialog
from frontdesk.gui.screens.service_desk.step_dialogs import ReplyDialog, SuperviseDialog
from frontdesk.services import service_desk as desk
from frontdesk.services.households import structure
from frontdesk.services.service_desk import OrderInput, StaffInput

START = datetime(2026, 11, 30, 20, 0).astimezone()
pytestmark = pytest.mark.clock(START)
ENTER = Qt.Key.Key_Return


@pytest.fixture
def building(db, admin) -> int:
    return structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    ).id


@pytest.fixture
def guard(db, admin) -> int:
    return desk.save_staff(db, admin, StaffInput("赵队长", Team.ORDER))


def events(db, admin, order_id: int) -> list[tuple[Step, str]]:
    return [(e.step, e.note) for e in desk.order_facts(db, admin, order_id).events]


def test_an_anonymous_complaint_is_taken_with_no_caller_and_its_department(
    qtbot, ctx: AppContext, db, admin, building, shown
) -> None:
    dialog = IntakeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.department_combo.isVisible()  # a repair: no complaint fields
    dialog.kinds.select(Kind.COMPLAINT)
    assert dialog.department_combo.isVisible() and not dialog.slot_edit.isVisible()
    dialog.anonymous_check.setChecked(True)
    assert not dialog.room.isEnabled() and not dialog.phone_edit.isEnabled()
    dialog.channels.select(Channel.GROUP)
    dialog.category_choices.select(desk.category_id(db, "停车"))
    dialog.buildings.select(building)
    dialog.description_edit.setText("消防通道常被占用")
    dialog.departments.select(Team.ORDER)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.taken is not None
    facts = desk.order_facts(db, admin, dialog.taken.order_id)
    assert facts.anonymous and facts.caller_name == "" and facts.caller_phone == ""
    assert facts.row.status == Status.DISPATCHED and facts.row.team == Team.ORDER
    assert facts.callback_minutes is None  # no one to call back
    desk.reply(db, admin, dialog.taken.order_id, "已加强巡查")
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    assert board.select_order(dialog.taken.order_id)
    assert board.buttons["callback"].toolTip() == "不能回访：匿名投诉没有联系人，无法回访"
    assert board.buttons["close"].isEnabled()  # closed with 匿名投诉，无法回访


def test_a_named_complaint_with_person_and_deadline_by_keyboard(
    qtbot, ctx: AppContext, db, admin, building, guard, shown
) -> None:
    dialog = IntakeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    assert QTest.qWaitForWindowActive(dialog)
    dialog.kinds.select(Kind.COMPLAINT)
    dialog.name_edit.setText("张先生")
    dialog.phone_edit.setText("13812345678")
    dialog.category_choices.select(desk.category_id(db, "噪音"))
    dialog.description_edit.setText("楼上深夜装修")
    dialog.handler_combo.setFocus()
    QTest.keyClicks(dialog.handler_combo, "1")  # the digit picks 赵队长
    assert dialog.handlers.value() == guard and not dialog.department_combo.isEnabled()
    QTest.keyClick(dialog.handler_combo, ENTER)
    assert dialog.deadline_edit.hasFocus()  # a supervisor may set the deadline
    dialog.deadline_edit.setText("12-01 09:30")
    QTest.keyClick(dialog.deadline_edit, ENTER)  # the last field: saved
    assert dialog.taken is not None
    facts = desk.complaint_facts(db, admin, dialog.taken.order_id)
    assert facts.handler == "赵队长" and facts.department == Team.ORDER
    deadline = START.replace(day=1, month=12, hour=9, minute=30)
    assert facts.deadline is not None and abs(facts.deadline - deadline) < timedelta(minutes=1)


def test_a_clerk_cannot_set_a_deadline_and_a_past_one_is_refused(
    qtbot, db, admin, make_user, building, shown
) -> None:
    clerk = IntakeDialog(AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True)))
    qtbot.addWidget(clerk)
    clerk.kinds.select(Kind.COMPLAINT)
    assert not clerk.deadline_edit.isEnabled()
    dialog = IntakeDialog(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(dialog)
    dialog.kinds.select(Kind.COMPLAINT)
    dialog.phone_edit.setText("13812345678")
    dialog.description_edit.setText("噪音")
    dialog.deadline_edit.setText("11-30 08:00")  # this morning: past
    dialog.save()
    assert dialog.taken is None and "处理期限" in dialog.error_label.text()
    assert desk.list_orders(db, admin) == []
    with pytest.raises(ValidationError, match="处理期限"):
        parse_deadline("明天")


def complaint(db, admin, building, **changes) -> int:
    values = {
        "kind": Kind.COMPLAINT,
        "channel": Channel.PHONE,
        "category_id": desk.category_id(db, "噪音"),
        "description": "楼上深夜装修",
        "place_building_id": building,
        "caller_phone": "13812345678",
        "department": Team.ORDER,
    } | changes
    return desk.take_order(db, admin, OrderInput(**values)).order_id


def test_the_reply_is_given_from_the_board(
    qtbot, ctx: AppContext, db, admin, building, guard, monkeypatch, shown
) -> None:
    order_id = complaint(db, admin, building, department=None, handler_id=guard)
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    assert board.select_order(order_id)
    assert board.buttons["finish"].text() == "答复(&W)"  # a complaint's 完工 is its reply

    def answer(dialog: QDialog) -> int:
        assert isinstance(dialog, ReplyDialog)
        assert "剩" in dialog.ui.deadlineLabel.text()
        assert "赵队长" in dialog.replied_by_edit.placeholderText()
        dialog.reply_edit.setText("已上门劝阻，施工改在白天")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ReplyDialog, "exec", answer)
    board.do_step("finish")
    facts = desk.complaint_facts(db, admin, order_id)
    assert facts.reply == "已上门劝阻，施工改在白天" and facts.replied_by == "赵队长"
    number = desk.order_facts(db, admin, order_id).row.number
    assert board.result_label.text() == f"{number} 已答复"


def test_overdue_complaints_go_up_with_an_alert_and_a_supervisor_takes_them_up(
    qtbot, ctx: AppContext, db, admin, make_user, building, guard, monkeypatch, shown
) -> None:
    late = complaint(db, admin, building)
    complaint(db, admin, building, deadline=START + timedelta(hours=48))  # not late
    clock.freeze(START + timedelta(hours=25))
    tab = EscalationsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert [e.row.id for e in tab.rows] == [late]
    assert tab.ui.alertLabel.text() == "1 件投诉已超过处理期限未答复，其中 1 件待主管督办"
    assert tab.table.item(0, 6).text() == "待督办"

    clerk_tab = EscalationsTab(AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True)))
    qtbot.addWidget(clerk_tab)
    clerk_tab.refresh()
    assert clerk_tab.rows and not clerk_tab.ui.superviseButton.isEnabled()
    assert clerk_tab.ui.replyButton.isEnabled()

    def take_up(dialog: QDialog) -> int:
        assert isinstance(dialog, SuperviseDialog)
        said = dialog.ui.deadlineLabel.text()
        assert said.startswith("处理期限 2026-12-01 20:00，已超时 ")
        assert said.endswith("责任人 秩序")
        dialog.deadline_edit.setText("12-02 12:00")
        dialog.note_edit.setText("已督促秩序部")
        dialog.save()  # the new deadline needs its reason
        assert "改期限原因" in dialog.error_label.text() and dialog.result() == 0
        dialog.deadline_edit.clear()
        dialog.people.select(guard)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(SuperviseDialog, "exec", take_up)
    tab.supervise()
    assert tab.ui.resultLabel.text().endswith("已督办")
    assert tab.ui.alertLabel.text() == "1 件投诉已超过处理期限未答复，均已督办"
    assert tab.table.item(0, 6).text() == "已督办（管理员）"
    assert tab.table.item(0, 3).text() == "赵队长"
    steps = [step for step, _note in events(db, admin, late)]
    assert steps[-2:] == [Step.SUPERVISE, Step.TRANSFER]
