"""Every area of the main window fits the commonest counter screen, 1366×768 less the
taskbar and the title bar; the check names what is too big when one does not."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.gui.context import AppContext
from frontdesk.gui.fit import COUNTER_SCREEN, cut_off, oversize, usable, window_minimum
from frontdesk.gui.main_window import AREAS, MainWindow
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding

ROOM = usable(COUNTER_SCREEN)


def test_the_usable_area_of_a_1366_by_768_screen() -> None:
    assert (ROOM.width(), ROOM.height()) == (1366, 698)


@pytest.mark.parametrize("screen", [COUNTER_SCREEN, QSize(1280, 768)], ids=["1366", "1280"])
def test_every_area_and_tab_of_the_main_window_fits(qtbot, ctx: AppContext, screen: QSize) -> None:
    """At 1280 px too: the household file's tabs all show beside the rooms list."""
    room = usable(screen)
    structure.create_building(ctx.db, ctx.actor, NewBuilding("1", "", 6, 2, 2, "89.5"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(room)
    window.show()
    window.open_hit(window.update_search("1-1-101")[0])
    qtbot.waitUntil(lambda: window.area_screen("households").selected_room() is not None)
    for area in AREAS:
        screen = window.show_area(area.key)
        tabs = screen.findChild(QTabWidget)
        for index in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(index)
            qtbot.wait(1)
            needed = window_minimum(window)
            assert needed.width() <= room.width() and needed.height() <= room.height(), (
                area.key,
                index,
                oversize(window, room),
            )
            assert cut_off(window) == [], (area.key, index)


def test_a_widget_too_wide_is_named(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("短"))
    spin = QSpinBox(objectName="maxDaysSpin")
    spin.setMinimumWidth(1500)
    layout.addWidget(spin)
    problems = oversize(window, ROOM, opened=False)
    assert len(problems) == 1
    assert "最小宽度" in problems[0] and "maxDaysSpin" in problems[0]
    assert oversize(window, QSize(1600, 900), opened=False) == []


def test_a_check_box_whose_words_are_cut_is_named(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    box = QCheckBox("承重墙拆改（物业不能审批）")
    layout.addWidget(box)
    window.show()
    assert cut_off(window) == []
    box.setFixedWidth(box.sizeHint().width() - 20)  # as a grid column squeezes it
    problems = cut_off(window)
    assert len(problems) == 1 and "承重墙拆改（物业不能审批）" in problems[0]


def test_a_table_keeps_its_columns_within_its_width(qtbot) -> None:
    table = QTableWidget()
    qtbot.addWidget(table)
    set_headers(table, ["房号", "说明", "金额", "状态"])
    table.resize(360, 200)
    table.show()
    fill_rows(table, [("1-1-101", "很长的说明" * 12, "1,234.50", "已缴")] * 3)
    qtbot.wait(1)
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert cut_off(table) == []
    table.resize(1400, 200)  # wider: the columns grow back to their contents
    qtbot.wait(1)
    assert table.columnWidth(1) > 400


def test_the_main_window_opens_maximised_on_the_screens_available_area(
    qtbot, ctx: AppContext
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_on_screen()
    assert window.isMaximized()
    area = window.screen().availableGeometry()
    assert window.pos() == area.topLeft()
