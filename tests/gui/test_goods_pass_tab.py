"""物品放行: a pass issued by keyboard alone and previewed, then let out once at the gate
by scanning its number; the second scan is refused beside the field, no dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.domain.goods_passes import PassState
from frontdesk.gui.screens.counter.goods_pass_tab import GoodsPassTab
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.services import goods_passes
from frontdesk.services.households import structure

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def rooms(db, admin) -> list[int]:
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    seen: list[tuple[str, bytes]] = []

    def fake_exec(dialog: PdfPreviewDialog) -> int:
        seen.append((dialog.windowTitle(), dialog.pdf))
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return seen


@pytest.fixture
def tab(qtbot, ctx, rooms) -> GoodsPassTab:
    widget = GoodsPassTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def commit(widget: QWidget, text: str) -> None:
    """Hanzi arrive from the input method as a commit, not as key presses."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_a_pass_issued_by_keyboard_and_let_out_once(
    qtbot, db, admin, rooms, tab, previews, shown
) -> None:
    ui = tab.ui
    assert tab.focusWidget() is tab.room
    QTest.keyClicks(tab.room, "1-1-101")
    QTest.keyClick(tab.room, Qt.Key.Key_Return)
    assert tab.room.room_id == rooms[0]
    assert tab.focusWidget() is ui.applicantCombo
    QTest.keyClick(ui.applicantCombo, Qt.Key.Key_Tab)
    commit(ui.nameEdit, "张三")
    QTest.keyClick(ui.nameEdit, Qt.Key.Key_Return)
    assert tab.focusWidget() is ui.phoneEdit
    QTest.keyClicks(ui.phoneEdit, "13912345678")
    QTest.keyClick(ui.phoneEdit, Qt.Key.Key_Return)
    # an owner applies: the consent fields are passed over
    assert tab.focusWidget() is ui.itemsEdit
    commit(ui.itemsEdit, "冰箱 1 台\n沙发 1 张")
    QTest.keyClick(ui.itemsEdit, Qt.Key.Key_Return, CTRL)

    assert shown == []
    (row,) = goods_passes.open_passes(db, admin)
    assert (row.room_id, row.applicant_name, row.items) == (
        rooms[0],
        "张三",
        ("冰箱 1 台", "沙发 1 张"),
    )
    assert ui.resultLabel.text() == f"已开具 {row.number}（1-1-101）"
    assert previews[0][0] == f"打印预览 — 物品放行条 {row.number}"
    assert previews[0][1].startswith(b"%PDF")
    assert (tab.room.room_id, ui.nameEdit.text(), ui.itemsEdit.toPlainText()) == (None, "", "")
    assert ui.table.rowCount() == 1 and ui.table.item(0, 0).text() == row.number

    ui.gateEdit.setFocus()
    QTest.keyClicks(ui.gateEdit, row.number.lower())
    QTest.keyClick(ui.gateEdit, Qt.Key.Key_Return)
    assert ui.gateResult.text() == f"放行 {row.number}（1-1-101）：冰箱 1 台、沙发 1 张"
    assert goods_passes.find_pass(db, admin, row.number).state == PassState.USED
    assert ui.gateEdit.text() == ""

    QTest.keyClicks(ui.gateEdit, row.number)
    QTest.keyClick(ui.gateEdit, Qt.Key.Key_Return)
    assert "不能再次使用" in ui.gateResult.text()
    assert shown == []
    assert tab.focusWidget() is ui.gateEdit


def test_a_tenant_without_consent_is_stopped_at_the_field(qtbot, db, admin, rooms, tab) -> None:
    ui = tab.ui
    tab.room.set_room(rooms[0], "1-1-101")
    ui.applicantCombo.setCurrentIndex(ui.applicantCombo.findData("tenant"))
    assert ui.consentCombo.isEnabled()
    ui.nameEdit.setText("李四")
    ui.phoneEdit.setText("13912345678")
    ui.itemsEdit.setPlainText("冰箱 1 台")
    ui.issueButton.click()
    assert "业主如何同意" in ui.resultLabel.text()
    assert tab.focusWidget() is ui.consentCombo
    assert goods_passes.open_passes(db, admin) == []
