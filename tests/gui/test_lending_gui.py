"""物品借用 by keyboard: choose the item, the household (Enter picks it), the borrower and
phone (Enter moves on), Enter in 备注 lends; a bad phone is named beside the form and
nothing is lent; the return is confirmed and listed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from frontdesk.gui.screens.counter.lending_tab import LendingTab
from frontdesk.services import lending
from frontdesk.services.households import structure
from tests.gui.test_household_file import _type_hanzi


def _tab(qtbot, ctx) -> LendingTab:
    building = structure.create_building(
        ctx.db, ctx.actor, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    assert structure.room_ids(ctx.db, ctx.actor, structure.RoomFilter(building_id=building.id))
    lending.save_item(ctx.db, ctx.actor, lending.ItemInput("雨伞", 5, 1))
    tab = LendingTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    tab.activateWindow()  # Esc is the tab's shortcut: its window must be the active one
    qtbot.waitUntil(tab.isActiveWindow)
    return tab


def _fill(tab: LendingTab, phone: str) -> None:
    ui = tab.ui
    QTest.keyClick(ui.quantitySpin, Qt.Key.Key_Up)  # 2
    tab.room.setFocus()
    QTest.keyClicks(tab.room, "1-1-101")
    QTest.keyClick(tab.room, Qt.Key.Key_Return)
    assert tab.focusWidget() is ui.borrowerEdit
    _type_hanzi(ui.borrowerEdit, "张三")
    QTest.keyClick(ui.borrowerEdit, Qt.Key.Key_Return)
    assert tab.focusWidget() is ui.phoneEdit
    QTest.keyClicks(ui.phoneEdit, phone)
    QTest.keyClick(ui.phoneEdit, Qt.Key.Key_Return)
    assert tab.focusWidget() is ui.noteEdit
    QTest.keyClick(ui.noteEdit, Qt.Key.Key_Return)


def test_lending_by_keyboard_and_a_bad_phone_lends_nothing(qtbot, ctx) -> None:
    tab = _tab(qtbot, ctx)
    assert tab.ui.itemCombo.currentText() == "雨伞（可借 5/5，1 天）"
    _fill(tab, "12")
    assert tab.ui.resultLabel.text().startswith("借用人电话：")
    assert lending.list_loans(ctx.db, ctx.actor) == []
    tab.ui.phoneEdit.clear()
    QTest.keyClicks(tab.ui.phoneEdit, "13812345678")
    QTest.keyClick(tab.ui.noteEdit, Qt.Key.Key_Return)
    assert tab.ui.resultLabel.text().startswith("已借出 雨伞 ×2 给 1-1-101 张三，应还 ")
    (row,) = lending.list_loans(ctx.db, ctx.actor)
    assert (row.quantity, row.phone) == (2, "138****5678")
    assert tab.ui.table.rowCount() == 1 and tab.ui.borrowerEdit.text() == ""
    assert tab.ui.itemCombo.currentText() == "雨伞（可借 3/5，1 天）"


def test_a_return_is_confirmed_then_listed(qtbot, ctx, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = _tab(qtbot, ctx)
    _fill(tab, "13812345678")
    asked: list[str] = []
    monkeypatch.setattr(
        "frontdesk.gui.screens.counter.lending_tab.confirm",
        lambda _parent, _title, text: asked.append(text) or True,
    )
    tab.ui.table.selectRow(0)
    tab.ui.returnButton.click()
    assert asked == ["1-1-101 张三 借的 雨伞 ×2 已归还？"]
    assert tab.ui.resultLabel.text() == "已归还 雨伞 ×2（1-1-101 张三）"
    assert tab.ui.table.rowCount() == 0 and lending.list_loans(ctx.db, ctx.actor) == []


def test_esc_and_the_clear_button_empty_the_form(qtbot, ctx) -> None:
    tab = _tab(qtbot, ctx)
    for clear in (
        lambda: QTest.keyClick(tab.ui.borrowerEdit, Qt.Key.Key_Escape),
        tab.ui.clearButton.click,
    ):
        _type_hanzi(tab.ui.borrowerEdit, "张三")
        QTest.keyClicks(tab.ui.phoneEdit, "138")
        clear()
        assert (tab.ui.borrowerEdit.text(), tab.ui.phoneEdit.text()) == ("", "")
        assert tab.focusWidget() is tab.ui.itemCombo
