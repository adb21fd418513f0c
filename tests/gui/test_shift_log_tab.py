"""交接班 by keyboard: the outgoing clerk writes notes and hands over with Ctrl+Enter,
the incoming clerk types their user name, Enter, password, Enter and has taken the
shift; a wrong password takes nothing; the handover waiting is offered at sign-in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget

from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.shift_log import AckWay, EntryState
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.counter.shift_ack import ShiftAckDialog, offer_handover
from frontdesk.gui.screens.counter.shift_log_tab import BOOK_COLUMNS, ShiftLogTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database
from frontdesk.services.shift_log import book
from tests.conftest import STAFF_PASSWORD

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def clerks(make_user: Callable[..., Actor]) -> tuple[Actor, Actor]:
    return make_user(Role.CLERK, "qiantai"), make_user(Role.CLERK, "qiantai2")


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """QMessageBox.question answers Yes; the questions asked are kept."""
    questions: list[str] = []

    def yes(parent, title, text, *args, **kwargs):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    return questions


def shown_tab(qtbot, db: Database, actor: Actor) -> ShiftLogTab:
    tab = ShiftLogTab(AppContext(db, actor, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    tab.resize(1200, 640)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab)
    return tab


def typed(text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    QTest.keyClicks(widget, text)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    QTest.keyClick(widget, key, modifier)
    return widget


def book_column(tab: ShiftLogTab, name: str) -> list[str]:
    table, index = tab.ui.bookTable, BOOK_COLUMNS.index(name)
    return [table.item(r, index).text() for r in range(table.rowCount())]


def test_hand_over_and_take_over_by_keyboard(
    qtbot, db: Database, clerks: tuple[Actor, Actor], asked: list[str]
) -> None:
    outgoing, incoming = clerks
    tab = shown_tab(qtbot, db, outgoing)
    ui = tab.ui
    assert [ui.draftTable.item(r, 0).text() for r in range(ui.draftTable.rowCount())] == [
        "访客登记",
        "快递代收",
        "报事报修",
        "工单回访",
        "收费交班",
    ]
    assert not ui.userEdit.isEnabled()

    ui.notesEdit.setFocus()
    ui.notesEdit.insertPlainText("3栋电梯已报修，明早回访")  # as an input method commits it
    press(Qt.Key.Key_Return, CTRL)

    assert asked == ["交班后本条记录不能修改（补充请写补记）。确定交班？"]
    (entry,) = book.book_entries(db, outgoing, clock.today())
    assert (entry.notes, entry.state) == ("3栋电梯已报修，明早回访", EntryState.WAITING)
    assert ui.notesEdit.toPlainText() == ""
    assert QApplication.focusWidget() is ui.userEdit
    assert "等待接班人确认" in ui.waitingLabel.text()
    assert book_column(tab, "状态") == ["待接班确认"]

    typed("qiantai2")
    assert press(Qt.Key.Key_Return) is ui.userEdit
    assert QApplication.focusWidget() is ui.passwordEdit
    typed(STAFF_PASSWORD)
    press(Qt.Key.Key_Return)

    taken = book.get_entry(db, outgoing, entry.id)
    assert (taken.state, taken.acknowledged_by) == (EntryState.ACKNOWLEDGED, incoming.display_name)
    assert taken.ack_way == AckWay.COUNTER
    assert ui.ackResult.text() == f"{incoming.display_name} 已确认接班。"
    assert (ui.userEdit.text(), ui.passwordEdit.text()) == ("", "")
    assert book_column(tab, "状态") == ["已接班"]
    assert "3栋电梯已报修" in ui.entryView.toPlainText()
    assert ui.waitingLabel.text() == "没有待确认的交班。"


def test_a_wrong_password_takes_nothing_and_the_outgoing_clerk_cannot_sign(
    qtbot, db: Database, clerks: tuple[Actor, Actor]
) -> None:
    outgoing, _incoming = clerks
    entry = book.hand_over(db, outgoing, "")
    tab = shown_tab(qtbot, db, outgoing)
    ui = tab.ui

    ui.userEdit.setFocus()
    typed("qiantai2")
    press(Qt.Key.Key_Return)
    typed("not-the-password")
    press(Qt.Key.Key_Return)
    assert "用户名或密码错误" in ui.ackResult.text()
    assert ui.passwordEdit.text() == "" and QApplication.focusWidget() is ui.passwordEdit

    ui.userEdit.setText("qiantai")
    typed(STAFF_PASSWORD)
    press(Qt.Key.Key_Return)
    assert "交班人不能自己确认接班" in ui.ackResult.text()
    assert book.get_entry(db, outgoing, entry.id).state == EntryState.WAITING


def test_the_waiting_handover_is_offered_at_sign_in(
    qtbot, db: Database, clerks: tuple[Actor, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    outgoing, incoming = clerks
    entry = book.hand_over(db, outgoing, "钥匙柜已盘点")
    assert offer_handover(AppContext(db, outgoing, TaskRunner(wait=True)), None) is None

    def take(dialog: ShiftAckDialog) -> int:
        assert "钥匙柜已盘点" in dialog.ui.entryView.toPlainText()
        dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).click()
        return int(dialog.result())

    monkeypatch.setattr(ShiftAckDialog, "exec", take)
    taken = offer_handover(AppContext(db, incoming, TaskRunner(wait=True)), None)
    assert taken is not None and taken.id == entry.id
    assert (taken.acknowledged_by, taken.ack_way) == (incoming.display_name, AckWay.SIGN_IN)
    assert offer_handover(AppContext(db, incoming, TaskRunner(wait=True)), None) is None
