"""The global search popup and the shared RoomPicker (issue 20, section 2): every hit in
sight, a "还有 N 条" line that lists the rest, and a butler's own buildings first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from frontdesk.domain.household import PersonKind
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.file import PersonInput
from frontdesk.services.households.structure import NewBuilding

# 17 households whose owners' names start zhang: more than the 7 rows a completer shows
NAMES = "张伟 张芳 张敏 张静 张丽 张强 张磊 张军 张洋 张勇 张艳 张杰 张娟 张涛 张明 张超 张秀英"


@pytest.fixture
def community(ctx: AppContext) -> dict[str, int]:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("3", "", 12, 2, 2, "89.5"))
    structure.create_building(ctx.db, ctx.actor, NewBuilding("5", "", 3, 1, 2, "89.5"))
    rooms = {
        row.code: row.id
        for row in structure.room_rows(ctx.db, ctx.actor, structure.room_ids(ctx.db, ctx.actor))
    }
    unit = [code for code in rooms if code.startswith("3-1-")]
    for code, name in zip(unit, NAMES.split(), strict=False):
        households.add_record(ctx.db, ctx.actor, rooms[code], PersonInput(PersonKind.OWNER, name))
    return rooms


def open_window(qtbot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    return window


def all_rows_in_sight(popup: QAbstractItemView) -> bool:
    model = popup.model()
    last = popup.visualRect(model.index(model.rowCount() - 1, 0))
    return popup.isVisible() and popup.viewport().rect().contains(last)


def row_texts(popup: QAbstractItemView) -> list[str]:
    model = popup.model()
    return [model.index(i, 0).data() for i in range(model.rowCount())]


def test_the_popup_shows_all_seventeen_hits(qtbot, ctx, community) -> None:
    window = open_window(qtbot, ctx)
    edit = window.ui.searchEdit
    edit.setFocus()
    qtbot.keyClicks(edit, "zhang")
    popup = window._completer.popup()
    assert len(window._hits) == 17
    assert popup.model().rowCount() == 17  # no "more" line: there is nothing more
    assert all_rows_in_sight(popup)
    assert not popup.verticalScrollBar().isVisible()


def test_more_than_the_first_twenty_says_how_many_and_lists_them(qtbot, ctx, community) -> None:
    window = open_window(qtbot, ctx)
    edit = window.ui.searchEdit
    edit.setFocus()
    qtbot.keyClicks(edit, "3-1")  # the unit: 24 rooms
    popup = window._completer.popup()
    texts = row_texts(popup)
    assert len(texts) == 21 and texts[-1] == "…… 还有 4 条，选此行显示全部"
    assert [h.title for h in window._hits[:3]] == ["3-1-101", "3-1-102", "3-1-201"]
    assert all_rows_in_sight(popup)
    popup.setCurrentIndex(popup.model().index(20, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window._hits) == 24)
    assert window.recent == []  # choosing the line opened nothing
    assert popup.isVisible() and popup.model().rowCount() == 24
    assert popup.currentIndex().row() == 20  # the first one not listed before
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert window.recent[0].title == "3-1-1102"  # 3-1-1101 was the 21st
    assert window._hits[-1].title == "3-1-1202"


def test_the_popup_puts_a_butlers_own_buildings_first(qtbot, ctx, community, make_user) -> None:
    butler = make_user(Role.BUTLER, "guanjia")
    fifth = next(b for b in structure.list_buildings(ctx.db, ctx.actor) if b.code == "5")
    households.assign_butler(ctx.db, ctx.actor, fifth.id, butler.user_id)
    households.add_record(
        ctx.db, ctx.actor, community["5-1-201"], PersonInput(PersonKind.OWNER, "张伟")
    )
    clerk_window = open_window(qtbot, ctx)
    assert [h.title for h in clerk_window.update_search("张伟")] == ["3-1-101", "5-1-201"]
    window = open_window(qtbot, AppContext(ctx.db, butler, TaskRunner(wait=True)))
    assert [h.title for h in window.update_search("张伟")] == ["5-1-201", "3-1-101"]

    picker = RoomPicker(AppContext(ctx.db, butler, TaskRunner(wait=True)))
    qtbot.addWidget(picker)
    picker.show()
    picker.setFocus()
    qtbot.keyClicks(picker, "zhangw")
    assert [h.room_code for h in picker.hits] == ["5-1-201", "3-1-101"]
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    assert picker.room_id == community["5-1-201"]


def test_the_room_picker_shows_every_hit_it_lists(qtbot, ctx, community) -> None:
    picker = RoomPicker(ctx)
    qtbot.addWidget(picker)
    picker.show()
    picker.setFocus()
    qtbot.keyClicks(picker, "3-1-1")  # 101, 102, 1001 … 1202: 8 rooms
    popup = picker._completer.popup()
    assert len(picker.hits) == 8 and all_rows_in_sight(popup)
    picker.clear()
    qtbot.keyClicks(picker, "zhang")
    assert len(picker.hits) == 12 and all_rows_in_sight(popup)
