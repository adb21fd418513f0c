"""客服: a call taken, dispatched, arrived, finished, charged and called back by keyboard
alone;
the board's order and colours on a set clock; the services' refusals shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

from frontdesk.domain import clock
from frontdesk.domain.service_desk import Channel, Kind, Light, Status, Team, Urgency
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.service_desk import step_dialogs
from frontdesk.gui.screens.service_desk.board_tab import BoardTab
from frontdesk.gui.screens.service_desk.charge_dialog import RepairChargeDialog
from frontdesk.gui.screens.service_desk.common import (
    CLOCK,
    LIGHT_BACKGROUNDS,
    BoardFilter,
    Showing,
    clock_text,
    parse_slot,
)
from frontdesk.gui.screens.service_desk.intake_dialog import IntakeDialog
from frontdesk.gui.widgets.colours import AMBER, GREEN, RED
from frontdesk.services import service_desk as desk
from frontdesk.services.households import structure
from frontdesk.services.service_desk import ChargeState, OrderInput, StaffInput

ENTER = Qt.Key.Key_Return
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def rooms(db, admin) -> list[int]:
    """1栋: 1-1-101, 1-1-102, 1-1-201, 1-1-202."""
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))


@pytest.fixture
def plumber(db, admin) -> int:
    return desk.save_staff(db, admin, StaffInput("王师傅", Team.ENGINEERING, "13800001111"))


def category(db, name: str) -> int:
    return desk.category_id(db, name)


def order(db, admin, rooms, *, urgency=Urgency.NORMAL, kind=Kind.REPAIR_HOME, what="漏水"):
    data = OrderInput(
        kind=kind,
        channel=Channel.PHONE,
        category_id=category(db, "水电"),
        description=what,
        urgency=urgency,
        room_id=rooms[0],
    )
    return desk.take_order(db, admin, data)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def type_into(text: str) -> None:
    """Keys for digits and letters; Chinese as the input method hands it over."""
    widget = focused()
    assert widget is not None
    if text.isascii():
        QTest.keyClicks(widget, text)
    else:
        assert isinstance(widget, QLineEdit)
        widget.insert(text)


def press(key=ENTER, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget = focused()
    assert widget is not None
    QTest.keyClick(widget, key, modifier)


def alt(qtbot, tab: QWidget, key: Qt.Key, until) -> None:
    """Alt+<key> on a tab, as the clerk presses it with the list in focus; a button's
    mnemonic clicks it a moment later, so wait `until` what it does is done."""
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    table = getattr(tab, "table", tab)
    table.setFocus()
    qtbot.keyClick(table, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(until)


def run_dialog(monkeypatch, cls, keys) -> list[QDialog]:
    """Open dialogs of `cls` modelessly and drive them with `keys(dialog)` instead of exec."""
    seen: list[QDialog] = []

    def fake_exec(dialog: QDialog) -> int:
        seen.append(dialog)
        dialog.show()
        dialog.activateWindow()
        QApplication.processEvents()
        assert QTest.qWaitForWindowActive(dialog) and dialog.isActiveWindow()
        start = dialog.focusWidget()
        if start is not None:
            start.setFocus()
        keys(dialog)
        return dialog.result()

    monkeypatch.setattr(cls, "exec", fake_exec)
    return seen


def test_a_call_is_taken_dispatched_finished_charged_and_called_back_by_keyboard(
    qtbot, ctx: AppContext, rooms, plumber, monkeypatch, shown
) -> None:
    from frontdesk.gui.main_window import MainWindow
    from frontdesk.gui.screens.service_desk.screen import ServiceDeskScreen

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert QTest.qWaitForWindowActive(window)
    window.show_area("visitors")  # the call comes in while the clerk is elsewhere

    def take(dialog: IntakeDialog) -> None:
        dialog.kind_combo.setFocus()
        type_into("1")  # 1 报修（户内）
        press()
        type_into("1")  # 1 来电
        press()
        assert focused() is dialog.room
        type_into("1-1-101")
        press()  # the first household, and on
        assert dialog.room.room_id == rooms[0]
        press()  # name: the resident's own
        press()  # phone; 匿名 is off for a repair, so on to the category
        type_into("1")  # 1 水电
        press()
        assert focused() is dialog.urgent_check
        QTest.keyClick(focused(), Qt.Key.Key_Space)
        press()
        press()  # building
        press()  # place
        type_into("厨房水龙头漏水")
        press()
        assert focused() is dialog.slot_edit
        press()  # no appointment: saved

    intakes = run_dialog(monkeypatch, IntakeDialog, take)
    QTest.keyClick(window.ui.searchEdit, Qt.Key.Key_F6)  # F6 from anywhere
    assert len(intakes) == 1
    assert shown and shown[-1][2].startswith("已受理，工单号 GD")
    screen = window.area_screen("service")
    assert isinstance(screen, ServiceDeskScreen)
    board = screen.board
    (row,) = board.rows
    assert row.kind == Kind.REPAIR_HOME and row.urgency == Urgency.URGENT
    assert row.description == "厨房水龙头漏水" and row.room_id == rooms[0]
    assert board.selected_id() == row.id

    def dispatch(dialog: step_dialogs.AssignDialog) -> None:
        dialog.staff_combo.setFocus()  # where the dialog opens
        type_into("1")  # 1 王师傅（工程）, the one on duty
        press(modifier=CTRL)

    run_dialog(monkeypatch, step_dialogs.AssignDialog, dispatch)
    alt(qtbot, board, Qt.Key.Key_D, lambda: board.rows[0].status == Status.DISPATCHED)
    assert board.rows[0].status == Status.DISPATCHED and board.rows[0].staff == "王师傅"

    alt(qtbot, board, Qt.Key.Key_A, lambda: board.rows[0].status == Status.ARRIVED)  # 到场
    assert board.rows[0].status == Status.ARRIVED

    def finish(dialog: step_dialogs.FinishDialog) -> None:
        dialog.work_edit.insert("更换阀芯")
        QTest.keyClick(dialog.work_edit, ENTER)  # on to the materials
        dialog.materials_edit.insert("阀芯 1 个")
        QTest.keyClick(dialog.materials_edit, ENTER)  # saved

    run_dialog(monkeypatch, step_dialogs.FinishDialog, finish)
    alt(qtbot, board, Qt.Key.Key_W, lambda: board.rows[0].status == Status.FINISHED)
    assert board.rows[0].status == Status.FINISHED

    def charge(dialog: RepairChargeDialog) -> None:
        assert focused() is dialog.ui.filterEdit  # a finished order: straight to the search
        type_into("上门")  # 上门维修人工费 30.00/次
        press()  # on to the quantity
        assert focused() is dialog.ui.quantityEdit
        press()  # 1 次: added, back to the search
        type_into("阀")  # 角阀 18.00/个
        press()
        type_into("2")
        press()
        assert focused() is dialog.ui.filterEdit
        assert dialog.ui.totalLabel.text().startswith("合计 66.00 元")
        press(modifier=CTRL)  # 记入账单

    charges = run_dialog(monkeypatch, RepairChargeDialog, charge)
    alt(qtbot, board, Qt.Key.Key_E, lambda: bool(board.charges))
    assert len(charges) == 1
    (charged,) = desk.order_charges(ctx.db, ctx.actor, row.id)
    assert charged.total_fen == 6600 and charged.state == ChargeState.OPEN
    assert [(x.name, x.quantity_x100) for x in charged.lines] == [
        ("上门维修人工费", 100),
        ("角阀", 200),
    ]
    assert board.charge_label.text().startswith("维修费 66.00 元：待收")
    assert not board.buttons["charge"].isEnabled()  # charged once

    callbacks = screen.callbacks
    screen.show_tab("回访")
    callbacks.refresh()
    assert [r.id for r in callbacks.rows] == [row.id]

    def call_back(dialog: step_dialogs.CallbackDialog) -> None:
        for combo, digit in zip(dialog.score_combos, "545", strict=True):
            QTest.keyClicks(combo, digit)  # the digit picks the score
            QTest.keyClick(combo, ENTER)
        dialog.words_edit.insert("师傅很快")
        QTest.keyClick(dialog.words_edit, ENTER)  # saved

    run_dialog(monkeypatch, step_dialogs.CallbackDialog, call_back)
    alt(qtbot, callbacks, Qt.Key.Key_H, lambda: callbacks.rows == [])
    assert callbacks.rows == []
    assert "已回访" in callbacks.result_label.text()
    facts = desk.order_facts(ctx.db, ctx.actor, row.id)
    assert facts.row.status == Status.CALLED_BACK
    assert facts.scores == (5, 4, 5) and facts.owner_words == "师傅很快"
    assert facts.work_done == "更换阀芯" and facts.materials == "阀芯 1 个"


def test_the_board_puts_what_is_due_first_and_colours_its_clock(
    qtbot, ctx: AppContext, db, admin, rooms
) -> None:
    normal = order(db, admin, rooms, what="门锁坏了")  # finish within 24 h
    urgent = order(db, admin, rooms, urgency=Urgency.URGENT, what="水管爆了")  # on site in 30'
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    assert [r.id for r in board.shown_rows] == [urgent.order_id, normal.order_id]
    clock_item = board.table.item(0, CLOCK)
    assert clock_item.text().startswith("到场剩 30 分")
    assert clock_item.foreground().color().name() == GREEN
    assert board.alert_label.text() == ""

    clock.freeze(clock.utc_now() + timedelta(minutes=25))  # 25 of 30 minutes used
    board.refresh()
    assert board.shown_rows[0].light == Light.AMBER
    assert board.table.item(0, CLOCK).foreground().color().name() == AMBER
    assert board.table.item(0, CLOCK).background().color().name() == LIGHT_BACKGROUNDS[Light.AMBER]
    assert "1 单即将超时" in board.alert_label.text()

    clock.freeze(clock.utc_now() + timedelta(minutes=10))  # 5 minutes late
    board.refresh()
    assert board.table.item(0, CLOCK).text() == "到场已超时 5 分"
    assert board.table.item(0, CLOCK).foreground().color().name() == RED
    assert board.alert_label.text().startswith("1 单已超时")

    board.showing.select(Showing.OVERDUE)
    assert [r.id for r in board.shown_rows] == [urgent.order_id]
    board.kinds.select(Kind.COMPLAINT)
    assert board.shown_rows == []


def test_a_refused_step_says_why_in_chinese(qtbot, ctx: AppContext, db, admin, rooms, shown):
    taken = order(db, admin, rooms)
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    board.select_order(taken.order_id)
    board.do_step("arrive")  # not dispatched yet
    assert shown[-1][2] == "不能到场：尚未派单"
    assert board.rows[0].status == Status.ACCEPTED


def test_finish_before_arrival_is_refused_in_the_dialog(qtbot, ctx, db, admin, rooms, plumber):
    taken = order(db, admin, rooms)
    desk.dispatch(db, admin, taken.order_id, staff_id=plumber)
    row = desk.board(db, admin)[0]
    dialog = step_dialogs.FinishDialog(ctx, row)
    qtbot.addWidget(dialog)
    dialog.work_edit.setText("已修好")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "不能完工：维修人员尚未到场"


def test_intake_names_the_missing_field_and_shows_repeats(
    qtbot, ctx: AppContext, db, admin, rooms, shown
) -> None:
    earlier = order(db, admin, rooms, what="卫生间漏水")
    dialog = IntakeDialog(ctx, room_id=rooms[0])
    qtbot.addWidget(dialog)
    dialog.save()  # no description
    assert "问题描述" in dialog.error_label.text()
    assert focused() is None or dialog.description_edit.hasFocus() or not dialog.isVisible()
    dialog.description_edit.setText("卫生间又漏水了")
    dialog.save()
    assert dialog.taken is not None
    assert [r.number for r in dialog.taken.repeats] == [earlier.number]
    assert earlier.number in shown[-1][2] and "重复" in shown[-1][2]


def test_an_anonymous_complaint_keeps_no_caller(qtbot, ctx: AppContext, db, admin, rooms):
    dialog = IntakeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.kinds.select(Kind.COMPLAINT)
    dialog.anonymous_check.setChecked(True)
    assert not dialog.room.isEnabled() and not dialog.phone_edit.isEnabled()
    dialog.description_edit.setText("夜里装修噪音")
    data = dialog.order_input()
    assert data.anonymous and data.caller_phone == "" and data.room_id is None


def test_a_slot_is_read_in_local_time() -> None:
    day = clock.today()
    start, end = parse_slot("09:00-11:00", day) or (None, None)
    assert start is not None and end is not None
    assert (start.date(), start.hour, end.hour) == (day, 9, 11)
    assert parse_slot("", day) is None


def test_clock_text_and_filter_on_rows(db, admin, rooms) -> None:
    taken = order(db, admin, rooms, urgency=Urgency.URGENT)
    (row,) = desk.board(db, admin)
    assert row.id == taken.order_id and clock_text(row) == "到场剩 30 分"
    assert BoardFilter(building_id=row.building_id).keeps(row)
    assert not BoardFilter(building_id=-1).keeps(row)
    assert not BoardFilter(showing=Showing.OVERDUE).keeps(row)


def test_f6_takes_a_call_from_any_screen_and_shows_it_on_the_board(
    qtbot, ctx: AppContext, db, admin, rooms, monkeypatch, shown
) -> None:
    from frontdesk.gui.main_window import MainWindow
    from frontdesk.gui.screens.service_desk.screen import ServiceDeskScreen

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert QTest.qWaitForWindowActive(window)
    window.show_area("visitors")

    def take(dialog: IntakeDialog) -> None:
        dialog.room.set_room(rooms[1], "1-1-102")
        dialog.description_edit.insert("阳台地漏堵塞")
        QTest.keyClick(dialog.description_edit, ENTER, CTRL)  # saved from any field

    intakes = run_dialog(monkeypatch, IntakeDialog, take)
    QTest.keyClick(window.ui.searchEdit, Qt.Key.Key_F6)
    assert len(intakes) == 1 and intakes[0].taken is not None
    assert shown[-1][2] == f"已受理，工单号 {intakes[0].taken.number}。"
    screen = window.area_screen("service")
    assert isinstance(screen, ServiceDeskScreen)
    assert window.ui.screenTitle.text() == "客服"
    assert screen.board.selected_id() == intakes[0].taken.order_id


def test_steps_the_order_cannot_take_are_greyed_with_the_reason(
    qtbot, ctx: AppContext, db, admin, rooms
) -> None:
    order(db, admin, rooms)
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    enabled = {step for step, button in board.buttons.items() if button.isEnabled()}
    assert enabled == {"dispatch", "pause"}
    assert board.buttons["arrive"].toolTip() == "不能到场：尚未派单"


def test_a_complaint_is_not_closed_without_a_callback(qtbot, ctx, db, admin, rooms, plumber):
    data = OrderInput(
        kind=Kind.COMPLAINT,
        channel=Channel.VISIT,
        category_id=category(db, "噪音"),
        description="楼上夜里噪音",
        room_id=rooms[0],
    )
    taken = desk.take_order(db, admin, data)
    desk.dispatch(db, admin, taken.order_id, team=Team.ORDER)
    desk.finish(db, admin, taken.order_id, "已上门劝导")
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    row = board.rows[0]
    assert "投诉须回访后关闭" in board.buttons["close"].toolTip()
    dialog = step_dialogs.ReasonDialog(
        ctx, row, "关闭", "未回访关闭原因", lambda why: desk.close(db, admin, row.id, why)
    )
    qtbot.addWidget(dialog)
    dialog.reason_edit.setText("业主不接电话")
    dialog.save()
    assert dialog.error_label.text().startswith("不能关闭：投诉须回访后关闭")
    assert desk.board(db, admin)[0].status == Status.FINISHED


def test_the_board_names_the_caller_with_the_phone_masked(db, admin, rooms) -> None:
    noise = desk.category_id(db, "噪音")
    desk.take_order(
        db, admin, OrderInput(Kind.COMPLAINT, Channel.PHONE, noise, "夜里噪音", anonymous=True)
    )
    desk.take_order(
        db,
        admin,
        OrderInput(
            Kind.ENQUIRY,
            Channel.PHONE,
            noise,
            "能否装修",
            caller_name="赵先生",
            caller_phone="13912345678",
        ),
    )
    assert sorted(r.caller for r in desk.board(db, admin)) == ["匿名", "赵先生 139****5678"]


def test_a_work_order_written_is_a_change_the_screen_watches() -> None:
    from frontdesk.db.changes import area_of_table
    from frontdesk.gui.screens.service_desk.screen import WATCHES
    from frontdesk.services.database import DataArea

    assert area_of_table()["work_order"] == DataArea.SERVICE_DESK
    assert DataArea.SERVICE_DESK in WATCHES


def test_the_board_prints_the_selected_orders_dispatch_sheet_on_either_paper(
    qtbot, ctx: AppContext, db, admin, rooms, monkeypatch
) -> None:
    from frontdesk.domain.issued import DocKind
    from frontdesk.domain.service_desk_paper import WorkOrderPaper
    from frontdesk.gui.screens.service_desk import board_tab

    taken = order(db, admin, rooms)
    shown = []
    monkeypatch.setattr(
        board_tab, "show_printout", lambda _ctx, printout, _p: shown.append(printout)
    )
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    assert board.select_order(taken.order_id)
    for paper in (WorkOrderPaper.A5, WorkOrderPaper.ROLL_80):
        board.print_order(paper)
    assert [p.issue.kind for p in shown] == [DocKind.WORK_ORDER, DocKind.WORK_ORDER]
    assert all(p.pdf.startswith(b"%PDF") for p in shown)
    assert taken.number in shown[0].issue.reference
