"""Mnemonics (the underlined letters pressed with Alt) and shortcuts: no key of a window
means two things at once, on any screen or dialog."""

from __future__ import annotations

import inspect
import pkgutil
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import frontdesk.gui
from frontdesk.demo import DEMO_PASSWORD, build_demo
from frontdesk.demo.reminders import add_demo_reminders
from frontdesk.domain.roles import Actor, Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import AREAS, MainWindow
from frontdesk.gui.mnemonics import (
    Collision,
    collision_text,
    collisions,
    dead_mnemonics,
    key_problems,
    mnemonic,
)
from frontdesk.gui.selftest import _Shots
from frontdesk.gui.selftest_dialogs import every_dialog
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import users
from frontdesk.services.database import Database, open_at
from frontdesk.services.households import structure

# the check itself ---------------------------------------------------------------------


def _keys(found: list[Collision]) -> list[tuple[str, ...]]:
    """(key, the two texts in alphabetical order) for each collision, sorted."""
    return sorted((c.key, *sorted((c.first, c.second))) for c in found)


def _window(qtbot) -> tuple[QMainWindow, QVBoxLayout]:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setWindowTitle("收银台")
    window.menuBar().addMenu("系统(&S)")
    central = QWidget()
    window.setCentralWidget(central)
    return window, QVBoxLayout(central)


def test_mnemonic_reads_the_letter_after_the_ampersand() -> None:
    assert mnemonic("实收现金(&S)") == "Alt+S"
    assert mnemonic("现金(&1)") == "Alt+1"
    assert mnemonic("水&&电") == ""
    assert mnemonic("保存") == ""


def test_a_buddy_label_sharing_the_menu_bars_letter_collides(qtbot) -> None:
    window, layout = _window(qtbot)
    label = QLabel("实收现金(&S)")
    edit = QLineEdit()
    label.setBuddy(edit)
    layout.addWidget(label)
    layout.addWidget(edit)
    found = collisions(window)
    assert _keys(found) == [("Alt+S", "实收现金(&S)", "菜单“系统(&S)”")]
    assert collision_text(found[0]) == ("收银台：Alt+S 同时属于 菜单“系统(&S)” 和 实收现金(&S)")


def test_a_label_without_a_buddy_has_no_key_to_clash(qtbot) -> None:
    window, layout = _window(qtbot)
    layout.addWidget(QLabel("说明(&S)"))
    assert collisions(window) == []


def test_pages_of_one_stack_may_share_a_letter_but_not_with_the_window_around(qtbot) -> None:
    window, layout = _window(qtbot)
    tabs = QTabWidget()
    layout.addWidget(tabs)
    for title, button in (("收款", "打印(&P)"), ("退款", "打印(&P)")):
        page = QWidget()
        QVBoxLayout(page).addWidget(QPushButton(button))
        tabs.addTab(page, title)
    assert collisions(window) == []

    layout.addWidget(QPushButton("预览(&P)"))
    found = _keys(collisions(window))
    assert found == [("Alt+P", "打印(&P)", "预览(&P)"), ("Alt+P", "打印(&P)", "预览(&P)")]


def test_hidden_and_disabled_widgets_count_as_they_may_show(qtbot) -> None:
    window, layout = _window(qtbot)
    button = QPushButton("签离(&S)")
    button.hide()
    layout.addWidget(button)
    assert _keys(collisions(window)) == [("Alt+S", "签离(&S)", "菜单“系统(&S)”")]


def test_group_boxes_tab_titles_and_alt_shortcuts_count(qtbot) -> None:
    window, layout = _window(qtbot)
    layout.addWidget(QGroupBox("收款方式(&F)"))
    layout.addWidget(QPushButton("付款(&F)"))
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "成员(&1)")
    layout.addWidget(tabs)
    shortcut = QShortcut(QKeySequence("Alt+1"), window)
    shortcut.setWhatsThis("第 1 个选项卡")
    assert _keys(collisions(window)) == [
        ("Alt+1", "第 1 个选项卡", "选项卡“成员(&1)”"),
        ("Alt+F", "付款(&F)", "收款方式(&F)"),
    ]


def test_a_buttons_shortcut_replacing_its_mnemonic_is_what_counts(qtbot) -> None:
    window, layout = _window(qtbot)
    button = QPushButton("保存(&S)")
    button.setShortcut(QKeySequence("Ctrl+S"))  # Alt+S no longer presses it
    layout.addWidget(button)
    assert collisions(window) == []


def test_shortcuts_waiting_for_the_focus_in_different_widgets_do_not_clash(qtbot) -> None:
    window, layout = _window(qtbot)
    first, second = QLineEdit(), QLineEdit()
    layout.addWidget(first)
    layout.addWidget(second)
    for edit in (first, second):
        QShortcut(QKeySequence("Ins"), edit).setContext(Qt.ShortcutContext.WidgetShortcut)
    assert collisions(window) == []
    QShortcut(QKeySequence("Ins"), window)  # for the whole window: clashes with both
    assert len(collisions(window)) == 2


def test_a_dialog_is_a_window_of_its_own(qtbot) -> None:
    window, _layout = _window(qtbot)
    dialog = QDialog(window)
    QVBoxLayout(dialog).addWidget(QPushButton("保存(&S)"))
    assert collisions(window) == []
    assert collisions(dialog) == []


def test_the_items_of_a_menu_are_checked_among_themselves(qtbot) -> None:
    window, _layout = _window(qtbot)
    menu = window.menuBar().findChild(QMenu)
    assert menu is not None
    menu.addAction("锁定(&L)")
    menu.addAction("退出登录(&L)")
    assert _keys(collisions(window)) == [("Alt+L", "退出登录(&L)", "锁定(&L)")]


def test_a_menu_items_shortcut_works_with_the_menu_closed_and_counts_once(qtbot) -> None:
    window, layout = _window(qtbot)
    menu = window.menuBar().findChild(QMenu)
    assert menu is not None
    lock = menu.addAction("锁定(&L)")
    lock.setShortcut(QKeySequence("Ctrl+L"))
    window.addAction(lock)  # the same action, also on the window
    assert collisions(window) == []
    button = QPushButton("列表")
    button.setShortcut(QKeySequence("Ctrl+L"))
    layout.addWidget(button)
    assert _keys(collisions(window)) == [("Ctrl+L", "“锁定(&L)”的快捷键", "列表")]


def test_an_underlined_letter_that_does_nothing_is_found(qtbot) -> None:
    window, layout = _window(qtbot)
    layout.addWidget(QLabel("工人电话(&P)"))  # no buddy: Alt+P goes nowhere
    layout.addWidget(QLabel("<span>&nbsp;黄底：超时未离&nbsp;</span>"))  # rich text: no key
    button = QPushButton("打印(&R)")
    button.setShortcut(QKeySequence("F9"))
    layout.addWidget(button)
    assert dead_mnemonics(window) == [
        "收银台：“工人电话(&P)”显示了 Alt+P，但标签没有对应的输入框",
        "收银台：“打印(&R)”显示了 Alt+R，实际快捷键却是 F9",
    ]


def test_the_selftest_fails_on_a_collision_once_however_often_shot(qtbot, tmp_path: Path) -> None:
    window, layout = _window(qtbot)
    layout.addWidget(QPushButton("搜索(&S)"))
    shots = _Shots(None)
    shots.take("counter", lambda: window)
    shots.take("counter-again", lambda: window)
    clash = "收银台：Alt+S 同时属于 菜单“系统(&S)” 和 搜索(&S)"
    assert shots.failures == [f"counter: 快捷键：{clash}"]


# the program's windows ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A small demo community: every dialog has something to show."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    build_demo(path, households=60, seed=7)
    db = open_at(path)
    add_demo_reminders(db)
    yield db
    db.dispose()


@pytest.fixture
def demo_ctx(demo: Database) -> AppContext:
    return AppContext(demo, Actor(None, "selftest", "自检", Role.ADMIN), TaskRunner(wait=True))


@pytest.fixture
def main_window(qtbot, demo_ctx: AppContext) -> MainWindow:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


def _room(ctx: AppContext) -> int:
    return structure.find_room_id(ctx.db, ctx.actor, "1-1-1201")


def test_the_main_window_with_every_area_and_tab_has_no_collision(
    main_window: MainWindow, demo_ctx: AppContext
) -> None:
    main_window.open_hit(main_window.update_search("1-1-1201")[0])
    QApplication.processEvents()
    for area in AREAS:
        screen = main_window.show_area(area.key)
        assert screen is not None
        tabs = screen.findChild(QTabWidget)
        for index in range(tabs.count() if tabs is not None else 0):
            tabs.setCurrentIndex(index)  # a tab fills in its texts when shown
    assert key_problems(main_window) == []


@pytest.mark.parametrize("username", ["zhuguan", "qiantai", "shoufei", "guanjia"])
def test_each_roles_window_has_no_collision(qtbot, demo: Database, username: str) -> None:
    """Roles see other tabs and buttons: each window is checked as that role has it."""
    ctx = AppContext(demo, users.login(demo, username, DEMO_PASSWORD), TaskRunner(wait=True))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    for area in AREAS:
        screen = window.show_area(area.key)
        tabs = screen.findChild(QTabWidget) if screen is not None else None
        for index in range(tabs.count() if tabs is not None else 0):
            tabs.setCurrentIndex(index)
    assert key_problems(window) == []


def _made_elsewhere(ctx: AppContext, room_id: int) -> list[tuple[str, Callable[[], QWidget]]]:
    """The dialogs the selftest shows beside their screens."""
    from frontdesk.gui.connect_dialog import ConnectDatabaseDialog
    from frontdesk.gui.data_key_dialog import DataKeyDialog
    from frontdesk.gui.login import FirstRunDialog, LoginDialog
    from frontdesk.gui.screens.admin.import_wizard import ImportWizard
    from frontdesk.gui.screens.cashier.refund_dialog import RefundDialog
    from frontdesk.gui.screens.household.attachments_tab import AttachmentDialog
    from frontdesk.gui.screens.household.contacts_tab import ContactDialog
    from frontdesk.gui.screens.household.screen import BuildingDialog, RoomDialog
    from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
    from frontdesk.printouts import room_summary
    from frontdesk.services.households import file as households
    from frontdesk.services.protection.data_key import KeyState

    db, actor = ctx.db, ctx.actor
    file = households.open_file(db, actor, room_id)
    room = structure.room_rows(db, actor, [room_id])[0]
    return [
        ("login", lambda: LoginDialog(db)),
        ("first-run", lambda: FirstRunDialog(db)),
        ("data-key", lambda: DataKeyDialog(db, KeyState.NEEDS_RECOVERY)),
        ("connect-database", lambda: ConnectDatabaseDialog(db.location, Path("frontdesk.sqlite"))),
        ("building", lambda: BuildingDialog()),
        ("room", lambda: RoomDialog(room)),
        ("import", lambda: ImportWizard(ctx)),
        ("attachment", lambda: AttachmentDialog(Path("房产证.pdf"))),
        ("contact", lambda: ContactDialog(ctx, file)),
        ("refund", lambda: RefundDialog(ctx, room_id, room.code)),
        ("pdf", lambda: PdfPreviewDialog(room_summary(db, actor).pdf, "房屋统计表", "x.pdf")),
    ]


def _dialog_classes() -> set[type]:
    """Every dialog class of the GUI that is not only a base of others."""
    found: set[type] = set()
    for module in pkgutil.walk_packages(frontdesk.gui.__path__, "frontdesk.gui."):
        if ".forms." in module.name or module.name.endswith(".forms"):
            continue
        for _name, value in inspect.getmembers(import_module(module.name), inspect.isclass):
            if issubclass(value, QDialog) and value.__module__.startswith("frontdesk.gui"):
                found.add(value)
    return {c for c in found if not any(o is not c and issubclass(o, c) for o in found)}


def test_every_dialog_is_shown_by_the_selftest_and_has_no_collision(
    qtbot, demo_ctx: AppContext
) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    room_id = _room(demo_ctx)
    made: set[type] = set()
    clashes: list[str] = []
    for name, make in _made_elsewhere(demo_ctx, room_id) + every_dialog(demo_ctx, room_id, holder):
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        made.add(type(dialog))
        clashes += [f"{name}: {problem}" for problem in key_problems(dialog)]
        dialog.hide()
    assert clashes == []
    classes = _dialog_classes()
    assert {"DefectDialog", "LoginDialog", "StepDialog"} <= {c.__name__ for c in classes}
    assert sorted(c.__name__ for c in classes - made) == []


# what the clerk presses ---------------------------------------------------------------


def test_alt_s_at_the_counter_goes_to_the_cash_handed_over(qtbot, main_window) -> None:
    from frontdesk.gui.screens.cashier.screen import CashierScreen

    screen = main_window.show_area("cashier")
    assert isinstance(screen, CashierScreen) and screen.counter is not None
    counter = screen.counter
    counter.ui.roomEdit.setFocus()
    qtbot.keyClick(main_window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is counter.ui.tenderedEdit
    assert QApplication.activePopupWidget() is None  # no 系统 menu opened


def test_alt_s_among_the_visitors_inside_goes_to_sign_out(qtbot, main_window) -> None:
    from frontdesk.gui.screens.visitors.screen import VisitorsScreen

    screen = main_window.show_area("visitors")
    assert isinstance(screen, VisitorsScreen)
    screen.show_tab("在场访客")
    screen.inside.ui.table.setFocus()
    qtbot.keyClick(main_window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is screen.inside.ui.signOutEdit
    assert QApplication.activePopupWidget() is None


def test_alt_x_opens_the_system_menu(qtbot, main_window) -> None:
    main_window.show_area("visitors")
    qtbot.keyClick(main_window, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    popup = QApplication.activePopupWidget()
    assert isinstance(popup, QMenu) and popup.title() == "系统(&X)"
    popup.close()


def test_a_renovation_step_keeps_the_forms_keys_under_its_own_words(
    qtbot, demo_ctx: AppContext
) -> None:
    from frontdesk.gui.screens.renovation.dialogs import ActionDialog
    from frontdesk.services.renovation import views

    row = views.list_renovations(demo_ctx.db, demo_ctx.actor)[0]
    dialog = ActionDialog(demo_ctx, row, "violation")
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert [ui.dateCaption.text(), ui.deadlineCaption.text(), ui.noteCaption.text()] == [
        "发现日期(&D)",
        "整改期限(&T)",
        "违规情况(&O)",
    ]
    assert "违规情况" in dialog.fields  # the field the service names, without the key
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is ui.deadlineEdit
