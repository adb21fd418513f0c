"""失物招领: an item recorded by keyboard, claimed through the dialog (the 认领单 is
previewed to sign), and a second claim refused with nothing changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.domain.lost_property import ItemState
from frontdesk.gui.screens.counter.lost_property_tab import LostClaimDialog, LostPropertyTab
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.services import lost_property


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def fake_exec(dialog: PdfPreviewDialog) -> int:
        seen.append(dialog.windowTitle())
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", fake_exec)
    return seen


@pytest.fixture
def tab(qtbot, ctx) -> LostPropertyTab:
    widget = LostPropertyTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def commit(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def claim_as(monkeypatch: pytest.MonkeyPatch, name: str, seen: list[LostClaimDialog]) -> None:
    """The claim dialog filled in and confirmed as a clerk would."""

    def fake_exec(dialog: LostClaimDialog) -> int:
        seen.append(dialog)
        dialog.ui.nameEdit.setText(name)
        dialog.ui.phoneEdit.setText("13912345678")
        dialog.ui.checkCombo.setCurrentIndex(dialog.ui.checkCombo.findData("description"))
        dialog.ui.signedCheck.setChecked(True)
        dialog.ui.buttonBox.accepted.emit()
        return 0

    monkeypatch.setattr(LostClaimDialog, "exec", fake_exec)


def test_an_item_recorded_by_keyboard_then_claimed_once(
    qtbot, db, admin, tab, previews, shown, monkeypatch
) -> None:
    ui = tab.ui
    assert tab.focusWidget() is ui.categoryCombo
    QTest.keyClick(ui.categoryCombo, Qt.Key.Key_Tab)
    commit(ui.descriptionEdit, "黑色钥匙串")
    QTest.keyClick(ui.descriptionEdit, Qt.Key.Key_Return)
    assert tab.focusWidget() is ui.foundAtEdit
    QTest.keyClick(ui.foundAtEdit, Qt.Key.Key_Return)
    assert tab.focusWidget() is ui.placeEdit
    commit(ui.placeEdit, "3 栋大堂")
    QTest.keyClick(ui.placeEdit, Qt.Key.Key_Return)
    QTest.keyClick(ui.finderEdit, Qt.Key.Key_Return)
    QTest.keyClick(ui.finderPhoneEdit, Qt.Key.Key_Return)
    assert tab.focusWidget() is ui.keptEdit
    commit(ui.keptEdit, "前台抽屉 A1")
    QTest.keyClick(ui.keptEdit, Qt.Key.Key_Return)

    (row,) = lost_property.list_items(db, admin)
    assert (row.description, row.found_place, row.kept_place) == (
        "黑色钥匙串",
        "3 栋大堂",
        "前台抽屉 A1",
    )
    assert ui.resultLabel.text().startswith(f"已登记 {row.number}")
    assert ui.table.rowCount() == 1 and ui.descriptionEdit.text() == ""

    dialogs: list[LostClaimDialog] = []
    claim_as(monkeypatch, "张三", dialogs)
    ui.table.selectRow(0)
    ui.claimButton.click()
    claimed = lost_property.find_item(db, admin, row.number)
    assert claimed.state == ItemState.CLAIMED and claimed.claimant == "张三"
    assert previews == [f"打印预览 — 失物认领单 {row.number}"]
    assert shown == []

    ui.table.selectRow(0)
    ui.claimButton.click()
    assert dialogs[-1].claimed is None
    assert [kind for kind, _title, text in shown if "不能再次办理" in text] == ["warning"]
    assert lost_property.find_item(db, admin, row.number).claimant == "张三"


def test_the_settings_of_both_registers_are_saved_together(qtbot, ctx, db, admin) -> None:
    from frontdesk.gui.screens.counter.goods_lost_settings import GoodsLostSettingsDialog
    from frontdesk.services import goods_passes

    dialog = GoodsLostSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert (dialog.ui.keepSpin.value(), dialog.ui.passRetentionSpin.value()) == (30, 365)
    dialog.ui.passRetentionSpin.setValue(200)
    dialog.ui.keepSpin.setValue(60)
    dialog.ui.lostRetentionSpin.setValue(400)
    dialog.save()
    assert goods_passes.goods_pass_settings(db).retention_days == 200
    settings = lost_property.lost_property_settings(db)
    assert (settings.keep_days, settings.retention_days) == (60, 400)
