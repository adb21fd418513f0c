"""The cash desk by keyboard, as issue 20 counted it: Ctrl+3 lands in the room field,
the shared room picker finds the household by name, pinyin or phone tail, 收至某月 and
Space/Shift choose the bills, Enter walks the form, and after a payment the counter
is neutral: nothing ticked, nothing in 现金, and cash nobody typed is asked about."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.screens.cashier.counter_tab import CounterTab
from frontdesk.gui.screens.cashier.screen import CashierScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.services.fees import billing, payments
from frontdesk.services.fees.journal import receipt_journal
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households.file import PersonInput
from tests.unit.fee_fixtures import Community, make_community

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier
KEY_NAMES = {
    Qt.Key.Key_Return: "Enter",
    Qt.Key.Key_Up: "↑",
    Qt.Key.Key_Down: "↓",
    Qt.Key.Key_Space: "Space",
    Qt.Key.Key_F9: "F9",
    Qt.Key.Key_Escape: "Esc",
}


@pytest.fixture
def town(db, admin) -> Community:
    """1-1-101 (陈远洋) owes last month's and this month's 物业服务费 and 垃圾费."""
    community = make_community(db, admin)
    this_month = Period.of(clock.today())
    billing.run_billing(db, admin, this_month.shifted(-1))
    billing.run_billing(db, admin, this_month)
    households.add_record(
        db, admin, community.occupied, PersonInput(PersonKind.OWNER, "陈远洋", phone="13912345678")
    )
    return community


@pytest.fixture
def cashier(db, town, make_user) -> AppContext:
    return AppContext(db, make_user(Role.CASHIER), TaskRunner(wait=True))


@pytest.fixture
def window(qtbot, cashier) -> MainWindow:
    window = MainWindow(cashier)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


class Keyboard:
    """Presses keys where a real keyboard sends them (an open popup, else the widget
    with the focus) and writes down each press."""

    def __init__(self) -> None:
        self.pressed: list[str] = []

    @staticmethod
    def target() -> QWidget:
        widget = QApplication.activePopupWidget() or QApplication.focusWidget()
        assert widget is not None, "no widget has the keyboard"
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NONE) -> None:
        QTest.keyClick(self.target(), key, modifier)
        prefix = {CTRL: "Ctrl+", ALT: "Alt+", SHIFT: "Shift+"}.get(modifier, "")
        self.pressed.append(prefix + (KEY_NAMES.get(key) or chr(key.value)))

    def type(self, text: str) -> None:
        for char in text:
            QTest.keyClick(self.target(), char)
            self.pressed.append(char)


def plain(fen: int) -> str:
    """An amount as the cashier types it (and 现金 shows it): 1234.50."""
    return format_yuan(fen, grouping=False)


def counter_of(window: MainWindow) -> CounterTab:
    screen = window.area_screen("cashier")
    assert isinstance(screen, CashierScreen) and screen.counter is not None
    screen.counter.preview_receipts = False  # the receipt preview is another test's
    return screen.counter


def ticks(counter: CounterTab) -> list[bool]:
    table = counter.ui.billsTable
    return [table.item(r, 0).checkState() == Qt.CheckState.Checked for r in range(table.rowCount())]


def activate(qtbot, window: QWidget) -> None:
    """The window has the keyboard again, as a desktop gives it back when a box closes
    (the offscreen platform does not)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def answer_next_box(key: Qt.Key, seen: list[str]) -> None:
    """Press `key` in the next modal box once it is up, noting its text."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        QTest.keyClick(box, key)

    QTimer.singleShot(0, answer)


def test_two_bills_by_wechat_and_cash_by_keyboard_alone(window, cashier, town) -> None:
    """The issue's count: 29 presses and clicks. Now: Ctrl+3, the owner's initials,
    Enter, Alt+M and ↑ (收至 last month: its two bills), Alt+2 and the WeChat amount,
    Enter (on to 实收现金), the cash handed over, Enter posts."""
    keys = Keyboard()
    keys.press(Qt.Key.Key_3, CTRL)
    counter = counter_of(window)
    assert keys.target() is counter.room
    keys.type("cyy")  # 陈远洋
    keys.press(Qt.Key.Key_Return)
    assert counter.view is not None and counter.view.room_id == town.occupied
    assert ticks(counter) == [True, True, True, True]  # chosen: every bill
    keys.press(Qt.Key.Key_M, ALT)
    keys.press(Qt.Key.Key_Up)  # 收至 last month
    assert ticks(counter) == [True, True, False, False]
    due = counter.due_fen()
    keys.press(Qt.Key.Key_2, ALT)
    assert keys.target() is counter.ui.wechatEdit
    keys.type("100")
    keys.press(Qt.Key.Key_Return)
    assert keys.target() is counter.ui.tenderedEdit
    assert counter.ui.cashEdit.text() == plain(due - 10000)
    keys.type("200")
    keys.press(Qt.Key.Key_Return)

    journal = receipt_journal(cashier.db, cashier.actor)
    assert len(journal) == 1 and journal[0].total_fen == due
    assert "微信 100.00" in journal[0].methods and "现金" in journal[0].methods
    assert counter.ui.billsTable.rowCount() == 2  # this month's two are left
    # fmt: off
    assert keys.pressed == [
        "Ctrl+3", "c", "y", "y", "Enter", "Alt+M", "↑", "Alt+2", "1", "0", "0", "Enter",
        "2", "0", "0", "Enter",
    ]
    # fmt: on
    assert len(keys.pressed) == 16


def test_a_room_owing_just_the_two_bills_takes_fourteen_keys(window, cashier, town) -> None:
    view = payments.counter_view(cashier.db, cashier.actor, town.occupied)
    last_month = [(b.bill_id, b.outstanding_fen) for b in view.open_bills[:2]]
    payments.post_payment(
        cashier.db,
        cashier.actor,
        PaymentRequest(
            town.occupied,
            tuple(last_month),
            (TenderInput(PayMethod.WECHAT, sum(f for _, f in last_month)),),
        ),
    )
    keys = Keyboard()
    keys.press(Qt.Key.Key_3, CTRL)
    counter = counter_of(window)
    keys.type("cyy")
    keys.press(Qt.Key.Key_Return)
    assert ticks(counter) == [True, True]
    due = counter.due_fen()
    keys.press(Qt.Key.Key_2, ALT)
    keys.type("100")
    keys.press(Qt.Key.Key_Return)
    keys.type("200")
    keys.press(Qt.Key.Key_Return)
    journal = receipt_journal(cashier.db, cashier.actor)
    assert len(journal) == 2 and journal[0].total_fen == due
    assert counter.ui.billsTable.rowCount() == 0
    # fmt: off
    assert keys.pressed == [
        "Ctrl+3", "c", "y", "y", "Enter", "Alt+2", "1", "0", "0", "Enter", "2", "0", "0", "Enter",
    ]
    # fmt: on


@pytest.mark.answers_modal("确认收取现金")
def test_after_a_payment_the_counter_is_neutral_and_untyped_cash_is_asked_about(
    qtbot, window, cashier, town, shown
) -> None:
    keys = Keyboard()
    keys.press(Qt.Key.Key_3, CTRL)
    counter = counter_of(window)
    ui = counter.ui
    keys.type("1-1-101")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_M, ALT)
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_2, ALT)
    keys.type(plain(counter.due_fen()))  # all by WeChat: no cash at all
    keys.press(Qt.Key.Key_Return)  # nothing left for cash: Enter posts
    assert len(receipt_journal(cashier.db, cashier.actor)) == 1

    # Neutral: the two bills left are shown unticked, nothing due and nothing in 现金.
    assert ticks(counter) == [False, False] and counter.due_fen() == 0
    assert [ui.billsTable.item(r, 7).text() for r in range(2)] == ["", ""]
    assert ui.cashEdit.text() == "" and ui.wechatEdit.text() == ""
    assert ui.dueLabel.text() == "应收合计 ¥0.00"
    assert "已收款" in ui.roomInfo.text() and "回车再收本户其余账单" in ui.roomInfo.text()
    assert keys.target() is counter.room

    keys.press(Qt.Key.Key_F9)  # a stray F9 takes nothing
    assert "没有要收的款项" in shown[-1][2]
    assert len(receipt_journal(cashier.db, cashier.actor)) == 1

    keys.press(Qt.Key.Key_Return)  # the room chosen again: what is left, all ticked
    assert ticks(counter) == [True, True]
    left = sum(b.outstanding_fen for b in counter.view.open_bills)
    assert ui.cashEdit.text() == plain(left) and keys.target() is ui.tenderedEdit

    asked: list[str] = []
    answer_next_box(Qt.Key.Key_Return, asked)  # Enter is 取消: a stray Enter takes nothing
    keys.press(Qt.Key.Key_F9)
    amount = f"¥{format_yuan(left)}"
    assert asked and amount in asked[-1] and "现金" in asked[-1]
    assert len(receipt_journal(cashier.db, cashier.actor)) == 1
    activate(qtbot, window)
    assert keys.target() is ui.tenderedEdit

    answer_next_box(Qt.Key.Key_Y, asked)  # 收取现金 (Y)
    keys.press(Qt.Key.Key_Return)
    journal = receipt_journal(cashier.db, cashier.actor)
    assert len(asked) == 2 and len(journal) == 2
    assert journal[0].total_fen == left and journal[0].methods.startswith("现金")


def test_cash_typed_by_the_cashier_posts_without_asking(window, cashier, town) -> None:
    keys = Keyboard()
    keys.press(Qt.Key.Key_3, CTRL)
    counter = counter_of(window)
    counter.open_room(town.occupied)
    keys.type(plain(counter.due_fen()))  # exactly the cash, in 实收现金
    keys.press(Qt.Key.Key_Return)
    assert len(receipt_journal(cashier.db, cashier.actor)) == 1  # no box was up to answer


def test_pay_through_a_month_and_space_and_shift_choose_bills(qtbot, window, town) -> None:
    keys = Keyboard()
    keys.press(Qt.Key.Key_3, CTRL)
    counter = counter_of(window)
    ui, table = counter.ui, counter.ui.billsTable
    counter.open_room(town.occupied)
    this_month = Period.of(clock.today())
    combo = ui.throughCombo
    assert [combo.itemData(i) for i in range(combo.count())] == [
        str(this_month.shifted(-1)),
        str(this_month),
    ]
    assert combo.currentIndex() == 1 and combo.currentText().startswith(this_month.label)
    assert combo.itemText(0).startswith(f"{this_month.shifted(-1).label}（2 笔 ¥")
    keys.press(Qt.Key.Key_M, ALT)
    keys.press(Qt.Key.Key_Up)
    assert ticks(counter) == [True, True, False, False]
    month_fen = sum(b.outstanding_fen for b in counter.view.open_bills[:2])
    assert counter.due_fen() == month_fen and ui.cashEdit.text() == plain(month_fen)
    assert [table.item(r, 7).text() != "" for r in range(4)] == [True, True, False, False]

    table.setFocus()
    table.setCurrentCell(2, 3)
    keys.press(Qt.Key.Key_Space)  # ticks the current bill, whatever cell is current
    assert ticks(counter) == [True, True, True, False]
    assert combo.currentIndex() == -1 and combo.currentText() == ""  # not a whole month
    keys.press(Qt.Key.Key_Space)
    assert ticks(counter) == [True, True, False, False]
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_Space)  # untick the first: the anchor of a range
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Space, SHIFT)  # first to fourth take its state: all unticked
    assert ticks(counter) == [False, False, False, False] and counter.due_fen() == 0

    # Shift+click: from the anchor (still the first) to the row clicked.
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_Space)  # tick the first
    tick = table.visualItemRect(table.item(2, 0)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, SHIFT, tick)
    assert ticks(counter) == [True, True, True, False]
    keys.press(Qt.Key.Key_Return)  # Enter in the bills walks on to 实收现金
    assert keys.target() is ui.tenderedEdit


@pytest.mark.parametrize("query", ["cyy", "chenyuanyang", "5678"])
def test_the_counter_room_field_is_the_shared_picker(window, town, query) -> None:
    keys = Keyboard()
    keys.press(Qt.Key.Key_3, CTRL)
    counter = counter_of(window)
    assert isinstance(counter.room, RoomPicker) and keys.target() is counter.room
    keys.type(query)
    assert [hit.room_id for hit in counter.room.hits][:1] == [town.occupied]
    keys.press(Qt.Key.Key_Return)
    assert counter.view is not None and counter.view.room_id == town.occupied
    assert counter.ui.payerEdit.text() == "陈远洋"


def test_ctrl_3_puts_the_cursor_in_the_room_field_from_anywhere(qtbot, window, town) -> None:
    keys = Keyboard()
    window.ui.searchEdit.setFocus()
    keys.press(Qt.Key.Key_3, CTRL)
    assert window.ui.screenTitle.text() == "收费"
    counter = counter_of(window)
    assert keys.target() is counter.room
    counter.open_room(town.occupied)  # the cursor moves on to 实收现金
    screen = window.area_screen("cashier")
    assert isinstance(screen, CashierScreen)
    screen.show_tab("收据")
    keys.press(Qt.Key.Key_1, CTRL)
    keys.press(Qt.Key.Key_3, CTRL)  # back at the cash desk, the room field selected
    assert screen.ui.tabs.currentWidget() is counter and keys.target() is counter.room
    assert counter.room.selectedText() == counter.room.text() == "1-1-101"


def test_a_room_opened_elsewhere_is_chosen_so_its_bills_are_ticked(window, cashier, town) -> None:
    """The grid or the household file send the cashier to a room: a choice, all ticked."""
    window.enter_area("cashier")
    screen = window.area_screen("cashier")
    assert isinstance(screen, CashierScreen)
    screen.open_room(town.occupied)
    counter = counter_of(window)
    assert ticks(counter) == [True, True, True, True]
    view = payments.counter_view(cashier.db, cashier.actor, town.occupied)
    assert counter.due_fen() == sum(b.outstanding_fen for b in view.open_bills)
    assert Keyboard.target() is counter.ui.tenderedEdit
