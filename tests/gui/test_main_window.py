"""The shell: navigation, shortcuts, global search, status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import AREAS, MainWindow
from frontdesk.gui.screens.household.screen import RoomsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding


@pytest.fixture
def window(qtbot, ctx: AppContext) -> MainWindow:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("3", "", 12, 2, 2, "89.5"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def test_all_areas_are_listed_in_chinese(window: MainWindow) -> None:
    nav = window.ui.navList
    titles = [nav.item(i).text() for i in range(nav.count())]
    assert titles == [
        "今日工作",
        "户档案",
        "访客",
        "前台登记",
        "收费",
        "催缴",
        "入伙",
        "装修",
        "通知",
        "报表",
        "客服",
        "设置",
    ]
    enabled = [window.area_enabled(a.key) for a in AREAS]
    assert enabled == [True] * 12


def test_starts_on_today_and_switches_by_click_and_shortcut(qtbot, window: MainWindow) -> None:
    assert window.ui.screenTitle.text() == "今日工作"
    window.ui.navList.setCurrentRow(9)
    assert window.ui.screenTitle.text() == "报表"
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.screenTitle.text() == "客服"
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.screenTitle.text() == "设置"
    assert window.ui.navList.currentRow() == 11
    # 前台登记 has its own key, so the numbered areas keep theirs.
    qtbot.keyClick(window, Qt.Key.Key_F7)
    assert window.ui.screenTitle.text() == "前台登记"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.screenTitle.text() == "户档案"
    qtbot.keyClick(window, Qt.Key.Key_QuoteLeft, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.screenTitle.text() == "今日工作"


@pytest.fixture
def about(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the 关于 box would have shown."""
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda _p, _t, text: texts.append(text)))
    return texts


def test_status_bar_names_user_role_community_and_connection(
    window: MainWindow, ctx: AppContext, about: list[str]
) -> None:
    assert window.user_label.text() == "当前用户：管理员（系统管理员）"
    assert window.db_label.text() == "测试小区　本机数据库已连接"
    # The one who looks after the file finds where it lies: a tooltip, and 关于.
    path = str(ctx.db.engine.url.database)
    assert path in window.db_label.toolTip()
    window.ui.aboutAction.trigger()
    assert path in about[-1]


def test_a_clerk_sees_the_community_not_the_database_file(
    qtbot, ctx: AppContext, make_user, about: list[str]
) -> None:
    window = MainWindow(AppContext(ctx.db, make_user(Role.CLERK), TaskRunner(wait=True)))
    qtbot.addWidget(window)
    window.show()
    path = str(ctx.db.engine.url.database)
    texts = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert "测试小区　本机数据库已连接" in texts
    assert not any(path in t or ".sqlite" in t for t in texts)
    assert not window.db_label.toolTip()
    window.ui.aboutAction.trigger()
    assert about and path not in about[-1]


@pytest.mark.clock("2027-03-01T09:00")
def test_a_set_clock_is_shown_in_red_on_the_status_bar(window: MainWindow) -> None:
    # The suite always runs on a set clock; a counter PC never should without seeing it.
    assert window.clock_label.text() == "日期已设定为 2027-03-01（非当前日期）"
    assert window.clock_label.isVisible()
    assert window.windowTitle() == "物业前台 — 测试小区"


def test_ctrl_f_and_f3_focus_the_search_field(qtbot, window: MainWindow) -> None:
    window.ui.navList.setFocus()
    for key, modifier in (
        (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_F3, Qt.KeyboardModifier.NoModifier),
    ):
        window.activateWindow()
        window.ui.stack.setFocus()
        qtbot.keyClick(window, key, modifier)
        assert window.ui.searchEdit.hasFocus()


def test_typing_a_room_code_and_enter_opens_the_room(qtbot, window: MainWindow) -> None:
    edit = window.ui.searchEdit
    edit.setFocus()
    # Hanzi arrive from the input method as a commit, not as key presses.
    commit = QInputMethodEvent()
    commit.setCommitString("3栋2单元1102")
    QApplication.sendEvent(edit, commit)
    assert [h.title for h in window._hits] == ["3-2-1102"]
    window._completer.popup().hide()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    screen = window.area_screen("households")
    assert isinstance(screen, RoomsScreen)
    qtbot.waitUntil(lambda: screen.selected_room() is not None)
    room = screen.selected_room()
    assert room is not None and room.code == "3-2-1102"
    assert screen.file_view.ui.codeLabel.text() == "3-2-1102"


def test_search_opens_a_room_hidden_by_the_current_filter(qtbot, window: MainWindow) -> None:
    screen = window.show_area("households")
    assert isinstance(screen, RoomsScreen)
    screen.ui.statusCombo.setCurrentIndex(3)  # 已入住: nothing matches yet
    assert screen.model.rowCount() == 0
    window.open_hit(window.update_search("3-1-101")[0])
    qtbot.waitUntil(lambda: screen.selected_room() is not None)
    assert screen.selected_room().code == "3-1-101"  # type: ignore[union-attr]
    assert screen.ui.statusCombo.currentIndex() == 0


def test_a_clerk_cannot_open_settings_tabs_they_lack_but_sees_settings(
    qtbot, db, make_user
) -> None:
    clerk = make_user(Role.CLERK)
    window = MainWindow(AppContext(db, clerk, TaskRunner(wait=True)))
    qtbot.addWidget(window)
    assert window.area_enabled("households")
    assert window.area_enabled("settings")
    assert window.user_label.text() == "当前用户：前台甲（前台）"


def test_the_bills_tab_takes_the_cashier_to_the_room(qtbot, window: MainWindow, ctx) -> None:
    from frontdesk.gui.screens.cashier.screen import CashierScreen
    from frontdesk.gui.screens.household.screen import RoomsScreen
    from frontdesk.services.households import structure

    building = structure.create_building(
        ctx.db, ctx.actor, structure.NewBuilding("1", "1栋", 1, 1, 1, "89.50")
    )
    room_id = structure.room_ids(ctx.db, ctx.actor, structure.RoomFilter(building.id))[0]
    rooms = window.show_area("households")
    assert isinstance(rooms, RoomsScreen)
    rooms.refresh()
    rooms.open_room(room_id)
    assert rooms.account_tab is not None
    rooms.account_tab.ui.payButton.click()
    cashier = window.area_screen("cashier")
    assert isinstance(cashier, CashierScreen)
    assert window.ui.screenTitle.text() == "收费"
    assert cashier.counter is not None and cashier.counter.view is not None
    assert cashier.counter.view.room_id == room_id


def test_a_clerk_has_no_cashier_area(qtbot, ctx, make_user) -> None:
    from frontdesk.domain.roles import Role
    from frontdesk.gui.context import AppContext
    from frontdesk.gui.tasks import TaskRunner

    clerk = MainWindow(AppContext(ctx.db, make_user(Role.CLERK), TaskRunner(wait=True)))
    qtbot.addWidget(clerk)
    assert not clerk.area_enabled("cashier")
    assert clerk.area_enabled("visitors")
