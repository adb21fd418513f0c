"""The counter's room field is the shared RoomPicker: Enter opens the best household
for what is typed, a room opened from elsewhere shows in it, and a code that names no
room is explained."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.cashier.counter_tab import CounterTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.services.fees import billing
from tests.unit.fee_fixtures import Community, make_community


@pytest.fixture
def town(db, admin) -> Community:
    community = make_community(db, admin)
    billing.run_billing(db, admin, Period.of(clock.today()))
    return community


@pytest.fixture
def counter(qtbot, db, town, make_user) -> CounterTab:
    tab = CounterTab(AppContext(db, make_user(Role.CASHIER), TaskRunner()))
    tab.preview_receipts = False
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_enter_opens_the_typed_room_and_the_field_keeps_its_place(counter, town) -> None:
    ui = counter.ui
    assert isinstance(ui.roomEdit, RoomPicker) and ui.roomCaption.buddy() is ui.roomEdit
    assert ui.roomEdit.placeholderText() == "房号、姓名、拼音或电话尾号，回车打开"
    QTest.keyClicks(ui.roomEdit, "1-1-102")
    QTest.keyClick(ui.roomEdit, Qt.Key.Key_Return)
    assert counter.view is not None and counter.view.room_id == town.vacant
    assert ui.roomEdit.text() == "1-1-102"


def test_a_room_opened_from_the_grid_shows_in_the_field(counter, town) -> None:
    counter.open_room(town.new)
    assert counter.ui.roomEdit.text() == "1-1-201" and counter.room.room_id == town.new
    counter.ui.openButton.click()  # 打开 shows the same room again
    assert counter.view is not None and counter.view.room_id == town.new


def test_a_code_that_names_no_room_is_explained(counter, shown) -> None:
    QTest.keyClicks(counter.ui.roomEdit, "9-9-909")
    QTest.keyClick(counter.ui.roomEdit, Qt.Key.Key_Return)
    assert counter.view is None
    assert shown[-1][1] == "打开房屋" and "9-9-909" in shown[-1][2]
