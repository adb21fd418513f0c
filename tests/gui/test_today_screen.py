"""今日工作 as each role first sees it after sign-in: its own lines, and a click (or
Enter) on a line opens the list behind it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget

from frontdesk.domain.roles import Actor, Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.screens.today.screen import TEXT, TodayScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.visitors import register

MakeUser = Callable[..., Actor]


@pytest.fixture
def building(db: Database, admin: Actor) -> int:
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    return one.id


@pytest.fixture
def room(db: Database, admin: Actor, building: int) -> int:
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building))[0]


def _home(qtbot, db: Database, actor: Actor) -> tuple[MainWindow, TodayScreen]:
    window = MainWindow(AppContext(db, actor, TaskRunner(wait=True)))
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    assert window.ui.screenTitle.text() == "今日工作"
    screen = window.area_screen("today")
    assert isinstance(screen, TodayScreen)
    return window, screen


def _texts(screen: TodayScreen) -> list[str]:
    table = screen.ui.table
    return [table.item(i, TEXT).text() for i in range(table.rowCount())]


def _click(qtbot, screen: TodayScreen, text: str) -> None:
    row = _texts(screen).index(text)
    table = screen.ui.table
    rect = table.visualItemRect(table.item(row, TEXT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _shown(window: MainWindow) -> tuple[str, str]:
    tabs = window.ui.stack.currentWidget().findChild(QTabWidget)
    return window.ui.screenTitle.text(), tabs.tabText(tabs.currentIndex())


def test_the_clerk_opens_the_visitors_inside_from_home(
    qtbot, db: Database, room: int, make_user: MakeUser
) -> None:
    clerk = make_user(Role.CLERK)
    register.register_visit(
        db, clerk, register.VisitInput(room, "王五", "13900001111", confirmed_by="业主")
    )
    window, screen = _home(qtbot, db, clerk)
    texts = _texts(screen)
    assert texts[0] == "已超时工单 0 单"
    assert "在场访客 1 批 1 人" in texts
    assert not any("备份" in t or "本班" in t for t in texts)  # not a clerk's
    # A visit registered elsewhere (another counter's write comes the same way): the
    # home screen counts again on the main window's relay of the change.
    register.register_visit(
        db, clerk, register.VisitInput(room, "赵六", "13900002222", confirmed_by="业主")
    )
    qtbot.waitUntil(lambda: "在场访客 2 批 2 人" in _texts(screen))
    _click(qtbot, screen, "在场访客 2 批 2 人")
    assert _shown(window) == ("访客", "在场访客")


def test_the_home_screen_counts_again_every_minute_while_shown(
    qtbot, db: Database, room: int, make_user: MakeUser
) -> None:
    clerk = make_user(Role.CLERK)
    _window, screen = _home(qtbot, db, clerk)
    assert screen.timer.isActive() and screen.timer.interval() == 60_000
    db.on_change = None  # no relay: only the timer can bring the new visit in
    register.register_visit(
        db, clerk, register.VisitInput(room, "王五", "13900001111", confirmed_by="业主")
    )
    assert "在场访客 1 批 1 人" not in _texts(screen)
    screen.timer.timeout.emit()
    assert "在场访客 1 批 1 人" in _texts(screen)


def test_the_butler_opens_his_contacts_from_home_by_keyboard(
    qtbot, db: Database, admin: Actor, building: int, make_user: MakeUser
) -> None:
    butler = make_user(Role.BUTLER)
    households.assign_butler(db, admin, building, butler.user_id)
    window, screen = _home(qtbot, db, butler)
    texts = _texts(screen)
    quota = "本月已联系 0/0 户，已达标（10%）"
    assert quota in texts and "应探访的关怀对象 0 位，其中逾期 0 位" in texts
    assert not any("在场访客" in t for t in texts)
    table = screen.ui.table
    table.setFocus()
    table.setCurrentCell(texts.index(quota), TEXT)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert _shown(window) == ("报表", "管家工作")


def test_the_supervisor_sees_complaints_first_and_opens_the_backups(
    qtbot, db: Database, room: int, make_user: MakeUser
) -> None:
    window, screen = _home(qtbot, db, make_user(Role.SUPERVISOR))
    texts = _texts(screen)
    assert texts[0] == "逾期投诉 0 件，未督办 0 件"
    assert texts[-1] == "从未备份，请立即备份"
    _click(qtbot, screen, "从未备份，请立即备份")
    assert _shown(window) == ("设置", "备份与恢复")
    window.show_area("today")  # back home: the lines are counted again
    assert _texts(screen)[-1] == "从未备份，请立即备份"
