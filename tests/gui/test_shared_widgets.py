"""The shared pieces screens are built from: the tabbed screen, the saving dialog, the
unsaved-edits editor and choosing a table's row, each on a small stand-in instead of a
real screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.errors import UserError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.messages import Unsaved
from frontdesk.gui.widgets.saving_dialog import SavingDialog
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.gui.widgets.tables import select_row
from frontdesk.gui.widgets.unsaved_editor import UnsavedEditor


class Counting(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.refreshed = 0

    def refresh(self) -> None:
        self.refreshed += 1


def test_a_tabbed_screen_skips_missing_tabs_and_reloads_the_one_shown(qtbot) -> None:
    screen = TabbedScreen()
    qtbot.addWidget(screen)
    first, second, keeps_state = Counting(), Counting(), QWidget()
    tabs = QTabWidget(screen)
    screen.add_tabs(tabs, (("甲", first), ("乙", None), ("丙", keeps_state), ("丁", second)))
    assert screen.tab_titles() == ["甲", "丙", "丁"]
    assert first.refreshed == 0  # nothing loads until the screen is shown
    screen.refresh()
    assert first.refreshed == 1
    screen.show_tab("丁")
    assert (first.refreshed, second.refreshed) == (1, 1)
    assert screen.show_tab("丙") is keeps_state  # a tab without refresh keeps its state
    screen.refresh()
    assert (first.refreshed, second.refreshed) == (1, 1)
    with pytest.raises(KeyError):
        screen.show_tab("乙")


class Form(SavingDialog):
    def __init__(self, ctx: AppContext, problem: Exception | None, with_label: bool) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.name = QLineEdit("张三", self)
        layout.addWidget(self.name)
        if with_label:
            self.error_label = QLabel(self)
            layout.addWidget(self.error_label)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout.addWidget(box)
        self.box = box
        self.fields = {"姓名": self.name}
        self.problem = problem
        self.name_buttons(box, "登记")

    def save(self) -> Callable[[], object]:
        problem = self.problem
        if isinstance(problem, ValidationError):
            raise problem  # found reading the form, before anything is saved

        def call() -> object:  # the service, on the worker thread
            if problem is not None:
                raise problem
            return 42

        return call


def test_a_saving_dialog_closes_with_what_it_saved(qtbot, ctx) -> None:
    dialog = Form(ctx, None, with_label=True)
    qtbot.addWidget(dialog)
    assert dialog.box.button(QDialogButtonBox.StandardButton.Save).text() == "登记"
    assert dialog.box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.saved_id == 42


def test_a_refusal_goes_under_the_form_with_the_cursor_in_its_field(qtbot, ctx) -> None:
    dialog = Form(ctx, ValidationError("姓名", "不能为空"), with_label=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label is not None and dialog.error_label.text() == "姓名：不能为空"
    assert dialog.focusWidget() is dialog.name and dialog.name.selectedText() == "张三"


def test_without_an_error_label_the_refusal_is_a_message(qtbot, shown, ctx) -> None:
    dialog = Form(ctx, UserError("另一台电脑已修改"), with_label=False)
    qtbot.addWidget(dialog)
    dialog.problem_title = "登记未保存"
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert shown == [("warning", "登记未保存", "另一台电脑已修改")]


class Editor(UnsavedEditor):
    def __init__(self, answer: Unsaved, saves: bool) -> None:
        super().__init__()
        self.edited, self.answer, self.saves, self.asked = True, answer, saves, 0

    def dirty(self) -> bool:
        return self.edited

    def ask_about_edits(self) -> Unsaved:
        self.asked += 1
        return self.answer

    def save_edits(self) -> bool:
        self.edited = not self.saves
        return self.saves


@pytest.mark.parametrize(
    ("answer", "saves", "may_leave"),
    [
        (Unsaved.CANCEL, True, False),
        (Unsaved.DISCARD, False, True),
        (Unsaved.SAVE, True, True),
        (Unsaved.SAVE, False, False),  # the save was refused: stay
    ],
)
def test_leaving_unsaved_edits_asks_first(
    qtbot, answer: Unsaved, saves: bool, may_leave: bool
) -> None:
    editor = Editor(answer, saves)
    qtbot.addWidget(editor)
    label = QLabel(editor)
    editor.show_dirty(label)
    assert label.text() == "有未保存的修改"
    assert editor.leave_ok() is may_leave and editor.asked == 1
    editor.edited = False
    assert editor.leave_ok() and editor.asked == 1  # nothing unsaved: no question
    editor.show_dirty(label)
    assert label.text() == ""


def test_a_row_chosen_by_the_program_stays_chosen_with_ctrl_held(qtbot) -> None:
    table = QTableWidget(3, 2)
    qtbot.addWidget(table)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    select_row(table, 1)
    # A key typed with Ctrl leaves the application believing Ctrl is still down:
    # `selectRow` would now toggle row 1 off; choosing it again must keep it chosen.
    QTest.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.ControlModifier
    select_row(table, 1)
    assert [i.row() for i in table.selectionModel().selectedRows()] == [1]
    select_row(table, 2)
    assert [i.row() for i in table.selectionModel().selectedRows()] == [2]
