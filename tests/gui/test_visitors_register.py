"""登记 and 在场访客: a returning visitor registered with the keyboard alone and signed
out by scanning the pass; watchlist, validation, bookings, the states on the board."""

from __future__ import annotations

import io
from datetime import time, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from frontdesk.domain import clock
from frontdesk.domain.roles import Role
from frontdesk.domain.visitors import Confirmation, Purpose, VisitState
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.visitors.inside_tab import AMBER, PINK, InsideTab
from frontdesk.gui.screens.visitors.register_tab import RegisterTab
from frontdesk.gui.screens.visitors.screen import VisitorsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.services.households import structure
from frontdesk.services.visitors import bookings as visitor_bookings
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors import watchlist
from frontdesk.services.visitors.register import VisitInput
from frontdesk.services.visitors.settings import VisitorSettings, set_visitor_settings

PHONE = "13912345678"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def rooms(db, admin) -> list[int]:
    """1栋: 1-1-101, 1-1-102, 1-1-201, 1-1-202."""
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, bytes]]:
    """Print previews that would have opened: (window title, file name, pdf)."""
    seen: list[tuple[str, str, bytes]] = []

    def fake_exec(dialog: PdfPreviewDialog) -> int:
        seen.append((dialog.windowTitle(), dialog.filename, dialog.pdf))
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return seen


@pytest.fixture
def watch_answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The watchlist box: `answer` is the button the clerk clicks; `texts` what it said."""
    state: dict[str, object] = {"answer": "取消", "texts": [], "buttons": []}

    def fake_exec(box: QMessageBox) -> int:
        state["texts"].append(box.text())  # type: ignore[attr-defined]
        state["buttons"] = [b.text() for b in box.buttons()]
        for button in box.buttons():
            if button.text() == state["answer"]:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return state


def _shown(qtbot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


@pytest.fixture
def register(qtbot, ctx, rooms) -> RegisterTab:
    tab = RegisterTab(ctx)
    _shown(qtbot, tab)
    return tab


@pytest.fixture
def inside(qtbot, ctx, rooms) -> InsideTab:
    tab = InsideTab(ctx)
    _shown(qtbot, tab)
    return tab


def commit(widget: QWidget, text: str) -> None:
    """Hanzi arrive from the input method as a commit, not as key presses."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def seed_visit(db, admin, room_id: int, **changes: object) -> visitors.VisitRow:
    values: dict[str, object] = {
        "room_id": room_id,
        "visitor_name": "王五",
        "visitor_phone": PHONE,
        "purpose": Purpose.REPAIR,
        "confirmed_by": "业主 张三",
        "party_size": 2,
        "plate": "浙A12345",
    }
    values.update(changes)
    return visitors.register_visit(db, admin, VisitInput(**values))  # type: ignore[arg-type]


def fill_valid(tab: RegisterTab, room_id: int, phone: str = PHONE) -> None:
    ui = tab.ui
    ui.phoneEdit.setText(phone)
    ui.nameEdit.setText("赵六")
    tab.room.set_room(room_id, "1-1-101")
    ui.confirmedByEdit.setText("业主 张三")


def test_returning_visitor_registered_and_signed_out_by_keyboard_alone(
    qtbot, ctx, db, admin, rooms, register, previews, shown
) -> None:
    seeded = seed_visit(db, admin, rooms[0])
    visitors.sign_out(db, admin, seeded.number)
    ui = register.ui
    assert register.focusWidget() is ui.phoneEdit
    assert not ui.returningLabel.isVisible()  # no empty row under 访客电话

    QTest.keyClicks(ui.phoneEdit, PHONE)
    assert ui.returningLabel.isVisible()
    hint = ui.returningLabel.text()
    assert "回访访客：<b>王五</b>，上次 1-1-101 维修" in hint and "按 F2 填入" in hint
    assert "未登记的住户" not in hint
    QTest.keyClick(ui.phoneEdit, Qt.Key.Key_F2)
    assert ui.nameEdit.text() == "王五"
    assert register.room.room_id == rooms[0]
    assert ui.purposeCombo.currentData() == Purpose.REPAIR.value
    assert ui.partySpin.value() == 2
    assert ui.plateEdit.text() == "浙A12345"
    assert register.focusWidget() is ui.confirmedByEdit  # next: who answered the call
    commit(ui.confirmedByEdit, "业主 张三")
    QTest.keyClick(ui.confirmedByEdit, Qt.Key.Key_Return, CTRL)

    assert shown == []
    board = visitors.inside_now(db, admin)
    assert [(r.visitor, r.room_id, r.purpose, r.party_size) for r in board.rows] == [
        ("王五", rooms[0], Purpose.REPAIR, 2)
    ]
    number = board.rows[0].number
    assert board.rows[0].confirmation_text == "业主张三电话确认"
    assert ui.resultLabel.text().startswith(f"已登记 {number}")
    assert previews == [(f"打印预览 — 访客单 {number}", f"访客单-{number}.pdf", previews[0][2])]
    assert previews[0][2].startswith(b"%PDF")
    assert (ui.phoneEdit.text(), ui.nameEdit.text(), register.room.room_id) == ("", "", None)
    assert register.focusWidget() is ui.phoneEdit
    assert ui.recentTable.item(0, 0).text() == number

    gate = InsideTab(ctx)
    _shown(qtbot, gate)
    assert gate.ui.table.rowCount() == 1
    assert gate.focusWidget() is gate.ui.signOutEdit
    QTest.keyClicks(gate.ui.signOutEdit, number.lower())
    QTest.keyClick(gate.ui.signOutEdit, Qt.Key.Key_Return)
    assert gate.ui.signOutResult.text() == f"已签离 {number} 王五（1-1-101）"
    assert visitors.inside_now(db, admin).rows == []
    assert gate.ui.table.rowCount() == 0 and gate.ui.countLabel.text() == "在场 0 批 0 人"

    # The same pass scanned again: told in red beside the field, no dialog.
    QTest.keyClicks(gate.ui.signOutEdit, number[2:])
    QTest.keyClick(gate.ui.signOutEdit, Qt.Key.Key_Return)
    assert "已于" in gate.ui.signOutResult.text()
    assert "#b3261e" in gate.ui.signOutResult.styleSheet()
    assert gate.ui.signOutEdit.selectedText() == number[2:]
    assert shown == []


def test_a_frequent_visitor_is_flagged_in_the_hint(db, admin, rooms, register) -> None:
    for _ in range(5):
        seed_visit(db, admin, rooms[1])
    QTest.keyClicks(register.ui.phoneEdit, PHONE)
    assert "30 天内已到访该户 5 次，可能是未登记的住户，请核实" in register.ui.returningLabel.text()
    register.ui.phoneEdit.setText("13900000000")
    assert register.ui.returningLabel.text() == ""


def test_watchlist_match_warns_and_cancel_saves_nothing(
    db, admin, rooms, register, watch_answers, previews
) -> None:
    watchlist.add_watch(
        db,
        admin,
        watchlist.WatchInput("多次上门推销", clock.today() + timedelta(days=30), phone=PHONE),
    )
    fill_valid(register, rooms[0])
    register.register()
    assert "电话与黑名单相符：多次上门推销" in watch_answers["texts"][0]
    assert watch_answers["buttons"] == ["仍然登记", "取消"]
    assert visitors.inside_now(db, admin).rows == []
    assert register.ui.nameEdit.text() == "赵六"  # the form stays as it was
    assert "未登记" in register.ui.resultLabel.text()

    watch_answers["answer"] = "仍然登记"
    register.register()
    rows = visitors.inside_now(db, admin).rows
    assert len(rows) == 1 and rows[0].watch_hit
    assert len(previews) == 1


@pytest.mark.parametrize(
    ("spoil", "field", "message"),
    [
        (lambda tab: tab.ui.plateEdit.setText("ABC"), "plateEdit", "车牌号"),
        (lambda tab: tab.ui.nameEdit.clear(), "nameEdit", "访客姓名"),
        (lambda tab: tab.ui.confirmedByEdit.clear(), "confirmedByEdit", "确认人"),
        (lambda tab: tab.ui.phoneEdit.setText("12345"), "phoneEdit", "访客电话"),
        (lambda tab: tab.room.clear_room(), "room", "到访房屋"),
    ],
)
def test_a_validation_error_focuses_its_field_and_saves_nothing(
    db, admin, rooms, register, shown, previews, spoil, field, message
) -> None:
    fill_valid(register, rooms[0])
    spoil(register)
    QTest.keyClick(register.ui.noteEdit, Qt.Key.Key_Return)  # Enter in the last field
    assert [(kind, title) for kind, title, _text in shown] == [("warning", "登记访客")]
    assert shown[0][2].startswith(f"{message}：")
    widget = register.room if field == "room" else getattr(register.ui, field)
    assert register.focusWidget() is widget
    assert visitors.inside_now(db, admin).rows == []
    assert previews == []


def hours_ahead(tab: RegisterTab) -> float:
    return (tab.ui.leaveEdit.dateTime().toPython() - clock.wall_now()).total_seconds() / 3600


def test_purpose_keys_and_the_usual_stay_until_the_clerk_edits_it(register) -> None:
    ui = register.ui
    ui.purposeCombo.setFocus()
    QTest.keyClick(ui.purposeCombo, Qt.Key.Key_4)
    assert ui.purposeCombo.currentData() == Purpose.REPAIR.value
    assert hours_ahead(register) == pytest.approx(2, abs=0.05)
    QTest.keyClick(ui.purposeCombo, Qt.Key.Key_2)  # at once, not "42"
    assert ui.purposeCombo.currentData() == Purpose.DELIVERY.value
    assert hours_ahead(register) == pytest.approx(0.5, abs=0.05)

    mine = ui.leaveEdit.dateTime().addSecs(3600 * 5)
    ui.leaveEdit.setDateTime(mine)  # the clerk's own time stays
    QTest.keyClick(ui.purposeCombo, Qt.Key.Key_1)
    assert ui.leaveEdit.dateTime() == mine
    QTest.keyClick(ui.purposeCombo, Qt.Key.Key_Escape)  # 清空 forgets it
    assert ui.purposeCombo.currentIndex() == 0
    assert hours_ahead(register) == pytest.approx(3, abs=0.05)

    ui.confirmCombo.setCurrentIndex(ui.confirmCombo.findData(Confirmation.ESCORTED.value))
    assert not ui.confirmedByEdit.isEnabled()


def test_a_booking_code_and_enter_registers_and_prints(
    db, admin, rooms, register, previews, shown
) -> None:
    booking = visitor_bookings.create_booking(
        db,
        admin,
        visitor_bookings.BookingInput(
            rooms[2], "钱七", "13700001111", clock.today(), time(0, 0), time(23, 59), "业主 孙八"
        ),
    )
    register.ui.bookingEdit.setFocus()
    QTest.keyClicks(register.ui.bookingEdit, booking.code)
    QTest.keyClick(register.ui.bookingEdit, Qt.Key.Key_Return)
    assert shown == []
    [row] = visitors.inside_now(db, admin).rows
    assert (row.visitor, row.room_id, row.confirmation) == ("钱七", rooms[2], Confirmation.BOOKING)
    assert register.ui.bookingEdit.text() == ""
    assert previews and previews[0][1] == f"访客单-{row.number}.pdf"

    QTest.keyClicks(register.ui.bookingEdit, booking.code)  # used already
    QTest.keyClick(register.ui.bookingEdit, Qt.Key.Key_Return)
    assert "已到访" in shown[0][2]
    assert register.focusWidget() is register.ui.bookingEdit
    assert len(visitors.inside_now(db, admin).rows) == 1


def test_where_documents_are_required_a_booking_takes_the_number_then_enter(
    db, admin, rooms, register, previews, shown
) -> None:
    set_visitor_settings(db, admin, VisitorSettings(require_id=True))
    register.refresh()
    booking = visitor_bookings.create_booking(
        db,
        admin,
        visitor_bookings.BookingInput(
            rooms[2], "钱七", "13700001111", clock.today(), time(0, 0), time(23, 59), "业主 孙八"
        ),
    )
    register.ui.bookingEdit.setFocus()
    QTest.keyClicks(register.ui.bookingEdit, booking.code)
    QTest.keyClick(register.ui.bookingEdit, Qt.Key.Key_Return)
    assert visitors.inside_now(db, admin).rows == []
    assert "请填写证件号码" in register.ui.resultLabel.text()
    assert register.focusWidget() is register.ui.idNumberEdit
    QTest.keyClicks(register.ui.idNumberEdit, "110101199003074514")
    QTest.keyClick(register.ui.idNumberEdit, Qt.Key.Key_Return)
    [row] = visitors.inside_now(db, admin).rows
    assert row.confirmation == Confirmation.BOOKING and row.id_text.endswith("4514")
    assert shown == []


def test_printing_can_be_switched_off(db, admin, rooms, register, previews) -> None:
    register.ui.printCheck.setChecked(False)
    fill_valid(register, rooms[0])
    register.register()
    assert len(visitors.inside_now(db, admin).rows) == 1
    assert previews == []
    assert register.ui.printCheck.isChecked() is False  # the clerk's choice stays


def test_the_board_marks_overdue_and_stale_and_keeps_the_selection(
    db, admin, rooms, inside, register, monkeypatch, previews
) -> None:
    now = clock.now()
    seed_visit(db, admin, rooms[0], visitor_phone="13900000001")
    late = visitors.register_visit(
        db,
        admin,
        VisitInput(rooms[1], "迟走", "13900000002", confirmed_by="业主", expected_leave_at=now),
        now=now - timedelta(minutes=2),
    )
    stale = visitors.register_visit(
        db,
        admin,
        VisitInput(rooms[2], "昨客", "13900000003", confirmed_by="业主"),
        now=now - timedelta(days=1),
    )
    inside.refresh()
    table = inside.ui.table
    assert table.rowCount() == 3
    assert table.item(0, 0).text() == stale.number  # oldest first
    assert table.item(0, 9).text() == "跨日未签离"
    assert table.item(0, 0).background().color().name() == PINK
    late_row = next(i for i in range(3) if table.item(i, 0).text() == late.number)
    assert table.item(late_row, 9).text() == "超时未离"
    assert table.item(late_row, 0).background().color().name() == AMBER
    assert not inside.ui.staleBanner.isHidden()
    assert inside.ui.staleBanner.text() == "有 1 位访客在之前的班次登记后未签离，请核实后签离"
    assert inside.ui.countLabel.text() == "在场 3 批 4 人"
    register.refresh()
    status = register.ui.statusLabel.text()
    assert "在场 3 批 4 人 · 超时 1 · 跨日未签离 1" in status and "#b3261e" in status

    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    inside.select_visit(late.id)
    inside.refresh()
    assert inside.selected_id() == late.id

    inside.reprint()
    assert previews[-1][1] == f"访客单-{late.number}.pdf"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", True)))
    inside.print_roll_call()
    assert previews[-1][0].startswith("打印预览 — 在场访客点名表 ")
    assert previews[-1][2].startswith(b"%PDF")

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    inside.sign_out_selected()
    assert late.id not in {r.id for r in visitors.inside_now(db, admin).rows}
    assert inside.ui.signOutResult.text() == f"已签离 {late.number} 迟走（1-1-102）"
    assert table.rowCount() == 2
    assert [r.state for r in visitors.inside_now(db, admin).rows].count(VisitState.STALE) == 1


def test_a_clerk_registers_and_the_id_fields_follow_the_setting(
    qtbot, db, admin, rooms, make_user, previews, shown
) -> None:
    clerk = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    screen = VisitorsScreen(clerk)
    qtbot.addWidget(screen)
    tabs = screen.ui.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles[:2] == ["登记", "在场访客"] and "黑名单" not in titles
    assert isinstance(screen.register, RegisterTab) and isinstance(screen.inside, InsideTab)
    tab, board = RegisterTab(clerk), InsideTab(clerk)
    _shown(qtbot, tab)
    qtbot.addWidget(board)
    assert not tab.ui.idNumberEdit.isVisibleTo(tab)
    assert not tab.ui.idTypeCaption.isVisibleTo(tab)
    assert tab.ui.idCheck.isVisibleTo(tab)  # the sight check is always there

    set_visitor_settings(db, admin, VisitorSettings(require_id=True))
    tab.refresh()
    assert tab.ui.idNumberEdit.isVisibleTo(tab) and tab.ui.idTypeCombo.isVisibleTo(tab)
    fill_valid(tab, rooms[0])
    tab.register()
    assert shown[0][2].startswith("证件号码：")
    assert tab.focusWidget() is tab.ui.idNumberEdit
    QTest.keyClicks(tab.ui.idNumberEdit, "110101199003074514")
    QTest.keyClick(tab.ui.idNumberEdit, Qt.Key.Key_Return, CTRL)
    [row] = visitors.inside_now(db, clerk.actor).rows
    assert row.id_text.startswith("居民身份证 110")
    assert row.registered_by == clerk.actor.display_name
    board.refresh()
    assert board.ui.table.rowCount() == 1


def test_typing_a_room_and_enter_picks_it_and_moves_on(rooms, register) -> None:
    register.room.setFocus()
    QTest.keyClicks(register.room, "1-1-102")
    QTest.keyClick(register.room, Qt.Key.Key_Return)
    assert register.room.room_id == rooms[1]
    assert register.focusWidget() is register.ui.confirmCombo


def test_tab_walks_the_form_in_order_and_passes_the_date_in_one_step(db, admin, register) -> None:
    set_visitor_settings(db, admin, VisitorSettings(require_id=True))
    register.refresh()
    ui = register.ui
    order = [
        ui.bookingEdit,
        ui.phoneEdit,
        ui.nameEdit,
        ui.partySpin,
        ui.plateEdit,
        ui.purposeCombo,
        register.room,
        ui.confirmCombo,
        ui.confirmedByEdit,
        ui.leaveEdit,
        ui.idTypeCombo,
        ui.idNumberEdit,
        ui.idCheck,
        ui.noteEdit,
        ui.printCheck,
        ui.registerButton,
    ]
    ui.bookingEdit.setFocus()
    walked = [QApplication.focusWidget()]
    for _ in order[1:]:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        walked.append(QApplication.focusWidget())
    assert walked == order
    ui.idTypeCombo.setFocus()
    QTest.keyClick(ui.idTypeCombo, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(ui.leaveEdit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is ui.confirmedByEdit


def test_the_roll_call_asks_for_the_assembly_point_and_prints_it(
    db, admin, rooms, inside, previews, monkeypatch
) -> None:
    seed_visit(db, admin, rooms[0])
    answers = iter([("东门广场", True), ("", False)])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: next(answers)))
    inside.print_roll_call()
    [(title, _name, pdf)] = previews
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "点名表" in title and "东门广场" in text and PHONE in text.replace(" ", "")
    inside.print_roll_call()  # cancelled: nothing printed
    assert len(previews) == 1


def test_confirm_visit_shows_the_hosts_numbers_for_the_call_audited_then_hides_them(
    qtbot, db, admin, rooms, make_user, previews
) -> None:
    """The gate clerk sees phones masked everywhere; F4 (确认来访) shows the household's
    whole numbers to call, audited (who saw whose numbers, for which visitor), and they
    are gone from the screen once the visit is registered or the room changes."""
    from frontdesk.domain.household import PersonKind
    from frontdesk.services.households import file as households
    from frontdesk.services.protection import audit

    for kind, name, phone, lives_here in (
        (PersonKind.EMERGENCY, "钱七", "13700003333", False),
        (PersonKind.OWNER, "张三", "13800001111", True),
        (PersonKind.TENANT, "李四", "13900002222", True),
    ):
        households.add_record(
            db,
            admin,
            rooms[0],
            households.PersonInput(kind, name, phone=phone, lives_here=lives_here),
        )
    clerk = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    tab = RegisterTab(clerk)
    _shown(qtbot, tab)
    ui = tab.ui
    assert not ui.hostPhoneLabel.isVisibleTo(tab)

    QTest.keyClick(ui.phoneEdit, Qt.Key.Key_F4)  # no room yet: says so, reveals nothing
    assert "请先输入到访房屋" in ui.resultLabel.text()
    assert tab.focusWidget() is tab.room
    before = audit.last_entry(db, admin)

    QTest.keyClicks(ui.phoneEdit, PHONE)
    commit(ui.nameEdit, "赵六")
    tab.room.setFocus()
    QTest.keyClicks(tab.room, "1-1-101")
    QTest.keyClick(tab.room, Qt.Key.Key_Return)
    QTest.keyClick(ui.confirmCombo, Qt.Key.Key_F4)
    shown_text = ui.hostPhoneLabel.text()
    assert ui.hostPhoneLabel.isVisibleTo(tab)
    assert shown_text.startswith("请致电确认来访")
    assert (
        "业主 张三" in shown_text and "租户 李四" in shown_text and "紧急联系人 钱七" in shown_text
    )
    positions = [shown_text.index(p) for p in ("138 0000 1111", "139 0000 2222", "137 0000 3333")]
    assert positions == sorted(positions)  # the owner living there first, then the tenant
    assert tab.focusWidget() is ui.confirmedByEdit  # next: who answered

    entry = audit.last_entry(db, admin)
    assert entry is not None and before is not None and entry.id == before.id + 1
    assert (entry.username, entry.action, entry.entity) == (clerk.actor.username, "reveal", "room")
    assert entry.entity_id == str(rooms[0])
    assert (
        entry.summary == "确认来访：查看「1-1-101」业主、租户、紧急联系人的完整电话以致电确认访客"
    )
    assert entry.changes["phone"] == ["138****1111", "139****2222", "137****3333"]
    assert entry.changes["visitor_phone"] == "139****5678"
    assert "赵六" not in str(entry.changes) and "13800001111" not in str(entry.changes)

    commit(ui.confirmedByEdit, "业主 张三")
    QTest.keyClick(ui.confirmedByEdit, Qt.Key.Key_Return, CTRL)
    [visit] = visitors.inside_now(db, admin).rows
    assert visit.confirmation_text == "业主张三电话确认"
    assert not ui.hostPhoneLabel.isVisibleTo(tab) and ui.hostPhoneLabel.text() == ""

    fill_valid(tab, rooms[0])
    tab.call_host()
    assert "138 0000 1111" in ui.hostPhoneLabel.text()
    tab.room.set_room(rooms[1], "1-1-102")  # another room: the numbers go
    assert not ui.hostPhoneLabel.isVisibleTo(tab) and ui.hostPhoneLabel.text() == ""
    tab.call_host()  # nobody there has a phone on file: nothing revealed, nothing audited
    assert "该户没有登记电话" in ui.hostPhoneLabel.text()
    last = audit.last_entry(db, admin)
    assert last is not None and last.summary.startswith("确认来访：查看「1-1-101」")
