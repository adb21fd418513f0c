"""The household file's tabs by keyboard: Alt+1 … Alt+=, Alt+` and Ctrl+PgUp/PgDn, from
anywhere in the file, whatever widget has the focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.screens.household.file_dialog import FileDialog
from frontdesk.gui.screens.household.screen import RoomsScreen
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
TITLES = [
    "概况",
    "账单",
    "成员",
    "车辆/车位",
    "宠物",
    "关怀",
    "附件",
    "管家联系",
    "入伙",
    "装修",
    "访客",
    "工单",
    "历史",
]


@pytest.fixture
def rooms(qtbot, ctx: AppContext) -> RoomsScreen:
    """The 户档案 area of the real window (with the tabs other areas add), a file open."""
    structure.create_building(ctx.db, ctx.actor, NewBuilding("3", "", 12, 2, 2, "89.5"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    screen = window.show_area("households")
    assert isinstance(screen, RoomsScreen)
    screen.open_room(structure.find_room_id(ctx.db, ctx.actor, "3-1-1201"))
    assert screen.file_view.file is not None
    return screen


def _titles(screen: RoomsScreen) -> list[str]:
    tabs = screen.file_view.ui.tabs
    return [tabs.tabText(i) for i in range(tabs.count())]


def _current(screen: RoomsScreen) -> str:
    tabs = screen.file_view.ui.tabs
    return tabs.tabText(tabs.currentIndex())


def _press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier) -> None:
    """A key pressed wherever the focus is now, as a clerk presses it."""
    focus = QApplication.focusWidget()
    assert isinstance(focus, QWidget)
    qtbot.keyClick(focus, key, modifier)


def test_every_tab_says_its_key_in_its_tooltip(rooms: RoomsScreen) -> None:
    assert _titles(rooms) == TITLES
    tabs = rooms.file_view.ui.tabs
    tips = [tabs.tabToolTip(i).splitlines() for i in range(tabs.count())]
    assert [tip[0] for tip in tips] == [
        f"{title}（Alt+{key}）" for title, key in zip(TITLES, "1234567890-=`", strict=True)
    ]
    assert {tip[1] for tip in tips} == {"Ctrl+PgUp / Ctrl+PgDn：上一个 / 下一个选项卡"}


@pytest.mark.parametrize(
    ("key", "title"),
    [
        (Qt.Key.Key_3, "成员"),
        (Qt.Key.Key_0, "装修"),
        (Qt.Key.Key_Equal, "工单"),
        (Qt.Key.Key_QuoteLeft, "历史"),
    ],
)
def test_alt_and_a_top_row_key_open_that_tab_from_the_room_list(
    qtbot, rooms: RoomsScreen, key: Qt.Key, title: str
) -> None:
    rooms.ui.roomTable.setFocus()
    _press(qtbot, key, ALT)
    assert _current(rooms) == title
    page = rooms.file_view.ui.tabs.currentWidget()
    assert page.isAncestorOf(QApplication.focusWidget())  # the keyboard is in the tab


def test_alt_3_puts_the_keyboard_in_the_members_list(qtbot, rooms: RoomsScreen) -> None:
    rooms.ui.roomTable.setFocus()
    _press(qtbot, Qt.Key.Key_3, ALT)
    assert QApplication.focusWidget() is rooms.file_view.members.ui.table


def test_ctrl_page_keys_move_between_tabs_from_a_text_box_and_a_table(
    qtbot, rooms: RoomsScreen
) -> None:
    view = rooms.file_view
    view.ui.notesEdit.setFocus()  # a text box that would take PgDn for itself
    _press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert _current(rooms) == "账单"
    _press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert _current(rooms) == "成员"
    view.members.ui.table.setFocus()  # a table that would page itself
    _press(qtbot, Qt.Key.Key_PageUp, CTRL)
    assert _current(rooms) == "账单"


def test_ctrl_page_keys_go_round_from_the_first_tab_to_the_last(qtbot, rooms) -> None:
    rooms.ui.roomTable.setFocus()
    _press(qtbot, Qt.Key.Key_1, ALT)
    assert _current(rooms) == "概况"
    _press(qtbot, Qt.Key.Key_PageUp, CTRL)
    assert _current(rooms) == "历史"
    rooms.file_view.ui.historyTree.setFocus()
    _press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert _current(rooms) == "概况"


def test_the_keys_do_nothing_while_no_file_is_open(qtbot, rooms: RoomsScreen) -> None:
    view = rooms.file_view
    view.ui.tabs.setCurrentIndex(0)
    view.clear()
    rooms.ui.roomTable.setFocus()
    _press(qtbot, Qt.Key.Key_3, ALT)
    _press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert view.ui.tabs.currentIndex() == 0


def test_the_file_in_a_window_of_its_own_has_the_keys_too(qtbot, ctx: AppContext) -> None:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("3", "", 12, 2, 2, "89.5"))
    dialog = FileDialog(ctx, structure.find_room_id(ctx.db, ctx.actor, "3-1-1201"))
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    tabs = dialog.view.ui.tabs
    assert tabs.tabText(tabs.currentIndex()) == "成员"
    dialog.view.members.ui.table.setFocus()
    _press(qtbot, Qt.Key.Key_6, ALT)
    assert tabs.tabText(tabs.currentIndex()) == "历史"
    _press(qtbot, Qt.Key.Key_7, ALT)  # there is no seventh tab here
    assert tabs.tabText(tabs.currentIndex()) == "历史"
    _press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert tabs.tabText(tabs.currentIndex()) == "概况"
