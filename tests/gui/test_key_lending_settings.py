"""钥匙托管与物品借用设置: reached from both tabs by whoever edits the community's
settings (a clerk sees no button), both retention periods typed and saved by keyboard
and audited, a bad one named beside the form with nothing saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QSpinBox
from sqlalchemy import select

from frontdesk.db.models import AuditEntry
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.counter.key_lending_settings import KeyLendingSettingsDialog
from frontdesk.gui.screens.counter.keys_tab import KeysTab
from frontdesk.gui.screens.counter.lending_tab import LendingTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import key_custody, lending


def _retype(spin: QSpinBox, text: str) -> None:
    QTest.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(spin, text)


@pytest.mark.parametrize("tab_class", [KeysTab, LendingTab])
def test_both_tabs_open_the_dialog_for_an_administrator(qtbot, ctx, monkeypatch, tab_class) -> None:
    opened: list[QDialog] = []
    monkeypatch.setattr(KeyLendingSettingsDialog, "exec", lambda self: opened.append(self) or 0)
    tab = tab_class(ctx)
    qtbot.addWidget(tab)
    assert not tab.ui.settingsButton.isHidden()
    tab.ui.settingsButton.click()
    assert [type(d) for d in opened] == [KeyLendingSettingsDialog]


def test_both_periods_are_saved_by_keyboard_and_audited(qtbot, ctx, db) -> None:
    dialog = KeyLendingSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    ui = dialog.ui
    assert (ui.keyRetentionSpin.value(), ui.lendingRetentionSpin.value()) == (365, 180)
    ui.keyRetentionSpin.setFocus()
    _retype(ui.keyRetentionSpin, "400")
    QTest.keyClick(ui.keyRetentionSpin, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is ui.lendingRetentionSpin
    _retype(ui.lendingRetentionSpin, "90")
    QTest.keyClick(ui.lendingRetentionSpin, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert key_custody.key_settings(db).retention_days == 400
    assert lending.lending_settings(db).retention_days == 90
    with db.read() as session:
        logged = " ".join(f"{e.summary} {e.changes}" for e in session.scalars(select(AuditEntry)))
    assert "钥匙托管设置" in logged and "物品借用设置" in logged


def test_a_bad_period_is_named_and_nothing_is_saved(qtbot, ctx, db) -> None:
    dialog = KeyLendingSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.ui.keyRetentionSpin.setValue(500)
    dialog.ui.lendingRetentionSpin.setRange(0, 9999)  # as if the form let 10 through
    dialog.ui.lendingRetentionSpin.setValue(10)
    dialog.save()
    assert dialog.ui.errorLabel.text() == "物品借用记录保存天数：应在 30 到 3650 天之间"
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert key_custody.key_settings(db).retention_days == 365
    assert lending.lending_settings(db).retention_days == 180


def test_a_clerk_sees_no_settings_button(qtbot, db, make_user) -> None:
    clerk = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    for tab in (KeysTab(clerk), LendingTab(clerk)):
        qtbot.addWidget(tab)
        assert tab.ui.settingsButton.isHidden()
