"""The ID-number key in the GUI: the start-up dialog for a passphrase or a recovery
code, and the 系统 tab's key panel (where it is kept, printing the recovery code)."""

from __future__ import annotations

import keyring
import pytest
from pytestqt.qtbot import QtBot

from frontdesk.gui.context import AppContext
from frontdesk.gui.data_key_dialog import DataKeyDialog, ensure_data_key
from frontdesk.gui.screens.admin import system_tab as system_module
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.services.database import Database, open_at
from frontdesk.services.protection import data_key
from frontdesk.services.protection.data_key import KeyState
from tests.memory_keyring import MemoryKeyring


def _no_keyring() -> None:
    keyring.set_keyring(keyring.backends.null.Keyring())  # type: ignore[attr-defined]


def test_a_new_database_without_keyring_asks_for_a_passphrase_twice(
    qtbot: QtBot, tmp_path, monkeypatch, new_database_file
) -> None:
    monkeypatch.delenv("FRONTDESK_PASSPHRASE")
    _no_keyring()
    db = open_at(new_database_file(tmp_path / "new.sqlite"))
    try:
        dialog = DataKeyDialog(db, data_key.state(db))
        qtbot.addWidget(dialog)
        dialog.show()
        ui = dialog.ui
        assert "这台电脑不能使用安全存储（Windows 凭据管理器）" in ui.explanationLabel.text()
        assert ui.repeatEdit.isVisible() and not ui.codeEdit.isVisible()
        ui.passphraseEdit.setText("office-pass")
        ui.repeatEdit.setText("office-pas")
        dialog._submit()
        assert ui.messageLabel.text() == "两次输入的口令不一致。"
        assert db.cipher is None
        ui.passphraseEdit.setText("office-pass")
        ui.repeatEdit.setText("office-pass")
        dialog._submit()
        assert dialog.result() == DataKeyDialog.DialogCode.Accepted
        assert data_key.state(db) == KeyState.READY
    finally:
        db.dispose()


def test_a_restored_database_on_a_new_pc_takes_its_recovery_code(
    qtbot: QtBot, db: Database, admin
) -> None:
    code = data_key.recovery_code(db, admin)
    db.cipher = None
    keyring.set_keyring(MemoryKeyring())  # the new PC's empty keyring
    assert data_key.unlock(db) == KeyState.NEEDS_RECOVERY
    dialog = DataKeyDialog(db, KeyState.NEEDS_RECOVERY)
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui
    assert ui.codeEdit.isVisible() and not ui.repeatEdit.isVisible()
    ui.codeEdit.setText(code.replace("-", "")[:-4] + "AAAA")
    dialog._submit()
    assert "恢复码：校验不符" in ui.messageLabel.text()
    ui.codeEdit.setText(code)
    dialog._submit()
    assert dialog.result() == DataKeyDialog.DialogCode.Accepted
    assert db.cipher is not None


def test_a_forgotten_passphrase_switches_to_the_recovery_code(
    qtbot: QtBot, db: Database, admin
) -> None:
    data_key.set_passphrase(db, admin, "office-pass")
    db.cipher = None
    keyring.set_keyring(MemoryKeyring())
    dialog = DataKeyDialog(db, data_key.unlock(db))
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui
    assert dialog.state == KeyState.NEEDS_PASSPHRASE and not ui.codeEdit.isVisible()
    ui.passphraseEdit.setText("wrong-pass")
    dialog._submit()
    assert ui.messageLabel.text() == "口令不正确。"
    ui.recoverButton.click()
    assert ui.codeEdit.isVisible()


def test_nothing_is_asked_when_the_keyring_has_the_key(db: Database) -> None:
    db.cipher = None
    assert ensure_data_key(db)
    assert db.cipher is not None


def test_the_system_tab_shows_the_key_and_prints_the_code_unkept(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    tab = screen.show_tab("系统")
    assert isinstance(tab, system_module.SystemTab)
    tab.refresh()
    assert tab.ui.keyValue.text() == "已保存在本机安全存储（Windows 凭据管理器）"
    assert "尚未打印" in tab.ui.recoveryValue.text()
    previews: list[tuple[bytes, str]] = []
    monkeypatch.setattr(system_module, "confirm", lambda *_a: True)
    monkeypatch.setattr(
        system_module.PdfPreviewDialog,
        "exec",
        lambda self: previews.append((self.pdf, self.filename)) or 0,
    )
    tab.print_recovery_code()
    assert previews and previews[0][0].startswith(b"%PDF")
    assert "由 admin 打印" in tab.ui.recoveryValue.text()
    from frontdesk.services.notices import register as issued_documents

    assert issued_documents.list_issued(ctx.db, ctx.actor) == []  # never kept
