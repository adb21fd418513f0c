"""钥匙托管 by keyboard: a key's tag typed + Enter lends it when it is in the cabinet (Enter
moves through the lending form, Enter in 备注 lends) and takes it back when it is out;
a tag that matches nothing is said beside the field, and nothing opens."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from frontdesk.domain import clock
from frontdesk.domain.key_custody import KeyScope, KeyState
from frontdesk.gui.screens.counter.keys_tab import KeysTab
from frontdesk.services import key_custody
from frontdesk.services.households import structure
from tests.gui.test_household_file import _in_dialog, _type_hanzi


def _key(ctx) -> str:
    building = structure.create_building(
        ctx.db, ctx.actor, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    room = structure.room_ids(ctx.db, ctx.actor, structure.RoomFilter(building_id=building.id))[0]
    today: date = clock.today()
    data = key_custody.KeyInput(
        room_id=room,
        description="入户门钥匙 2 把",
        authorised_by="张三",
        scopes=frozenset({KeyScope.REPAIR, KeyScope.VIEWING}),
        authorised_on=today,
        expires_on=today + timedelta(days=90),
    )
    return key_custody.receive_key(ctx.db, ctx.actor, data).tag


def _scan(tab: KeysTab, text: str) -> None:
    tab.ui.tagEdit.setFocus()
    QTest.keyClicks(tab.ui.tagEdit, text)
    QTest.keyClick(tab.ui.tagEdit, Qt.Key.Key_Return)


@pytest.mark.answers_modal("借出钥匙")
def test_a_key_is_lent_and_returned_by_keyboard(qtbot, ctx) -> None:
    tag = _key(ctx)
    tab = KeysTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    assert tab.ui.table.rowCount() == 1

    def lend(dialog: QWidget) -> None:
        ui = dialog.ui  # type: ignore[attr-defined]
        assert dialog.focusWidget() is ui.borrowerEdit
        assert [ui.scopeCombo.itemText(i) for i in range(ui.scopeCombo.count())] == [
            "维修",
            "看房",
        ]
        _type_hanzi(ui.borrowerEdit, "李师傅")
        QTest.keyClick(ui.borrowerEdit, Qt.Key.Key_Return)
        assert dialog.focusWidget() is ui.phoneEdit
        QTest.keyClicks(ui.phoneEdit, "139 1234 5678")
        for _ in range(5):  # 电话, 单位, 事由, 关联事项, 应还时间: Enter moves on
            QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
        assert dialog.focusWidget() is ui.noteEdit
        QTest.keyClick(ui.noteEdit, Qt.Key.Key_Return)

    seen = _in_dialog(qtbot, lend)
    _scan(tab, "1")
    assert seen and not seen[0].isVisible()
    assert tab.ui.resultLabel.text().startswith(f"已借出 {tag}（1-1-101）给 李师傅，应还 ")
    assert tab.selected().state == KeyState.OUT and tab.selected().borrower == "李师傅"
    assert tab.ui.tagEdit.text() == "" and tab.focusWidget() is tab.ui.tagEdit
    lent = key_custody.keys_out(ctx.db, ctx.actor)
    assert [(r.tag, r.borrower, r.phone, r.scope) for r in lent] == [
        (tag, "李师傅", "139****5678", KeyScope.REPAIR)
    ]

    _scan(tab, tag.lower())
    assert tab.ui.resultLabel.text() == f"已归还 {tag}（1-1-101），借用人 李师傅"
    assert tab.selected().state == KeyState.HELD
    assert key_custody.keys_out(ctx.db, ctx.actor) == []


def test_a_tag_that_matches_nothing_is_said_beside_the_field(qtbot, ctx) -> None:
    _key(ctx)
    tab = KeysTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    _scan(tab, "K-0099")
    assert tab.ui.resultLabel.text() == "没有编号为 K-0099 的托管钥匙。"
    assert "#b3261e" in tab.ui.resultLabel.styleSheet()
    assert tab.ui.tagEdit.selectedText() == "K-0099"  # the next scan replaces it
    _scan(tab, "1-1-101")
    assert tab.ui.resultLabel.text().startswith("钥匙编号：“1-1-101”不是钥匙编号")
