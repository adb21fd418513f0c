"""Enter in a room field picks the household and moves on to the next field; it never
presses the dialog's default button (which saved, or said the room was missing)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.movein.defect_dialogs import DefectDialog
from frontdesk.gui.screens.renovation.dialogs import ApplyDialog
from frontdesk.gui.screens.visitors.bookings_tab import BookingDialog
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding
from tests.gui.conftest import Shown

# Each dialog with a room field, and the field after it.
DIALOGS: list[tuple[str, Callable[[AppContext], QDialog], str]] = [
    ("defect", DefectDialog, "areaCombo"),
    ("booking", BookingDialog, "bookedByEdit"),
    ("renovation", ApplyDialog, "applicantEdit"),
]


@pytest.fixture
def rooms(ctx: AppContext) -> AppContext:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("5", "", 6, 2, 2, "89.5"))
    return ctx


def _shown(qtbot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def _picker(dialog: QDialog) -> RoomPicker:
    picker = dialog.room  # type: ignore[attr-defined]
    assert isinstance(picker, RoomPicker)
    return picker


def _next_field(dialog: QDialog, name: str) -> QWidget:
    field = getattr(dialog.ui, name)  # type: ignore[attr-defined]
    assert isinstance(field, QWidget)
    return field


@pytest.mark.parametrize(
    ("make", "after"), [(m, a) for _n, m, a in DIALOGS], ids=[n for n, *_ in DIALOGS]
)
def test_enter_picks_the_room_and_moves_on_without_saving(
    qtbot, rooms: AppContext, shown: Shown, make: Callable[[AppContext], QDialog], after: str
) -> None:
    dialog = _shown(qtbot, make(rooms))
    picker = _picker(dialog)
    picker.setFocus()
    QTest.keyClicks(picker, "5-1-101")
    QTest.keyClick(picker, Qt.Key.Key_Return)
    assert picker.room_id == structure.find_room_id(rooms.db, rooms.actor, "5-1-101")
    assert dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert shown == []  # no "请输入房号…" box
    assert QApplication.focusWidget() is _next_field(dialog, after)


@pytest.mark.parametrize("make", [m for _n, m, _a in DIALOGS], ids=[n for n, *_ in DIALOGS])
def test_enter_on_a_room_already_picked_only_moves_on(
    qtbot, rooms: AppContext, shown: Shown, make: Callable[[AppContext], QDialog]
) -> None:
    dialog = _shown(qtbot, make(rooms))
    picker = _picker(dialog)
    picker.set_room(structure.find_room_id(rooms.db, rooms.actor, "5-2-301"), "5-2-301")
    picker.setFocus()
    QTest.keyClick(picker, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert shown == []
    assert picker.text() == "5-2-301"


def test_enter_on_nothing_found_stays_in_the_field(qtbot, rooms: AppContext, shown) -> None:
    dialog = _shown(qtbot, DefectDialog(rooms))
    picker = _picker(dialog)
    picker.setFocus()
    QTest.keyClicks(picker, "9-9-909")
    QTest.keyClick(picker, Qt.Key.Key_Return)
    assert picker.room_id is None
    assert dialog.isVisible() and shown == []
    assert QApplication.focusWidget() is picker


def test_enter_in_the_list_takes_the_household_highlighted_there(qtbot, rooms) -> None:
    dialog = _shown(qtbot, DefectDialog(rooms))
    picker = _picker(dialog)
    chosen: list[int] = []
    picker.room_chosen.connect(chosen.append)
    picker.setFocus()
    QTest.keyClicks(picker, "5")
    commit = QInputMethodEvent()  # hanzi arrive from the input method
    commit.setCommitString("栋")
    QApplication.sendEvent(picker, commit)
    popup = QApplication.activePopupWidget()
    assert isinstance(popup, QAbstractItemView) and popup.model().rowCount() > 2
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    second = popup.currentIndex().data(Qt.ItemDataRole.DisplayRole).split()[0]
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert chosen == [structure.find_room_id(rooms.db, rooms.actor, second)]  # that one only
    assert dialog.isVisible() and not popup.isVisible()
    assert QApplication.focusWidget() is dialog.ui.areaCombo


def test_enter_in_the_list_with_nothing_highlighted_takes_the_best_hit_once(qtbot, rooms) -> None:
    dialog = _shown(qtbot, BookingDialog(rooms))
    picker = _picker(dialog)
    chosen: list[int] = []
    picker.room_chosen.connect(chosen.append)
    picker.setFocus()
    QTest.keyClicks(picker, "5-2-301")
    popup = QApplication.activePopupWidget()
    assert isinstance(popup, QAbstractItemView)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert chosen == [structure.find_room_id(rooms.db, rooms.actor, "5-2-301")]
    assert dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    assert QApplication.focusWidget() is dialog.ui.bookedByEdit
