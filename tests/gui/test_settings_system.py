"""系统 tab: the open database, the idle lock, changing one's own password."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import AuthenticationFailed
from frontdesk.gui.connect_dialog import ConnectDatabaseDialog
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.screens.admin.system_tab import SystemTab
from frontdesk.gui.screens.admin.user_dialogs import ChangePasswordDialog, PasswordChange
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import community, database, users
from frontdesk.services.database import Database, FileLocation, ServerLocation
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD
from tests.gui.conftest import Shown


def system_tab(qtbot: QtBot, ctx: AppContext) -> tuple[SettingsScreen, SystemTab]:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    tab = screen.show_tab("系统")
    assert isinstance(tab, SystemTab)
    return screen, tab


def answers(monkeypatch: pytest.MonkeyPatch, *values: PasswordChange | None) -> list[tuple]:
    calls: list[tuple] = []
    queue: Iterator[PasswordChange | None] = iter(values)

    def ask(cls, parent, *args):
        calls.append(args)
        return next(queue)

    monkeypatch.setattr(ChangePasswordDialog, "ask", classmethod(ask))
    return calls


def test_shows_the_database_file_and_who_is_signed_in(
    qtbot: QtBot, ctx: AppContext, tmp_path
) -> None:
    _screen, tab = system_tab(qtbot, ctx)
    assert tab.ui.databaseValue.text() == str(tmp_path / "frontdesk.sqlite")
    assert tab.ui.userValue.text() == "管理员（admin），系统管理员"


def _answered(
    monkeypatch: pytest.MonkeyPatch, fill: Callable[[ConnectDatabaseDialog], None]
) -> None:
    def exec_(dialog: ConnectDatabaseDialog) -> int:
        fill(dialog)
        dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(ConnectDatabaseDialog, "exec", exec_)


def test_the_server_fields_name_a_server_database(qtbot: QtBot, tmp_path) -> None:
    dialog = ConnectDatabaseDialog(FileLocation(tmp_path / "a.sqlite"), tmp_path / "a.sqlite")
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert not ui.serverFields.isEnabled()
    ui.serverRadio.setChecked(True)
    ui.hostEdit.setText(" 192.168.1.20 ")
    ui.userEdit.setText("frontdesk")
    ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).click()
    assert ui.messageLabel.text() == "数据库名：不能为空"
    ui.databaseEdit.setText("jinxiu")
    ui.passwordEdit.setText("pw-1234")
    ui.tlsCombo.setCurrentIndex(ui.tlsCombo.findData("require"))
    ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen == ServerLocation(
        "frontdesk", "192.168.1.20", 5432, "jinxiu", (("sslmode", "require"),)
    )
    assert dialog.password == "pw-1234"


def test_another_database_file_is_tried_then_opened_from_the_next_start(
    qtbot: QtBot, ctx: AppContext, shown: Shown, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.sqlite"
    monkeypatch.setattr(database, "default_path", lambda: other)

    def pick_the_file(dialog: ConnectDatabaseDialog) -> None:
        assert dialog.ui.fileValue.text() == str(tmp_path / "frontdesk.sqlite")
        dialog.default_file = other
        dialog.ui.fileRadio.setChecked(True)

    _answered(monkeypatch, pick_the_file)
    _screen, tab = system_tab(qtbot, ctx)
    tab.ui.connectButton.click()
    assert other.exists()  # tried: opened once, so made
    assert database.chosen_location() == FileLocation(other)
    assert shown[-1][0:2] == ("information", "连接数据库")
    assert str(other) in shown[-1][2]
    assert tab.ui.databaseValue.text() == str(tmp_path / "frontdesk.sqlite")  # still this one


def test_an_unreachable_server_is_said_and_not_saved(
    qtbot: QtBot, ctx: AppContext, shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    def pick_a_closed_port(dialog: ConnectDatabaseDialog) -> None:
        ui = dialog.ui
        ui.serverRadio.setChecked(True)
        ui.hostEdit.setText("127.0.0.1")
        ui.portSpin.setValue(1)
        ui.databaseEdit.setText("jinxiu")
        ui.userEdit.setText("frontdesk")
        ui.passwordEdit.setText("pw-1234")

    _answered(monkeypatch, pick_a_closed_port)
    _screen, tab = system_tab(qtbot, ctx)
    tab.ui.connectButton.click()
    assert database.chosen_location() is None
    kind, title, text = shown[-1]
    assert (kind, title) == ("warning", "无法连接数据库")
    assert "无法连接服务器 127.0.0.1:1 上的数据库 jinxiu" in text
    assert "pw-1234" not in text


def test_idle_lock_minutes_are_saved(qtbot: QtBot, ctx: AppContext, shown: Shown) -> None:
    screen, tab = system_tab(qtbot, ctx)
    spin = tab.ui.lockSpin
    assert spin.value() == community.idle_lock_minutes(ctx.db)
    assert not tab.ui.lockSaveButton.isEnabled()  # nothing changed yet
    spin.setValue(25)
    assert tab.ui.lockSaveButton.isEnabled()
    with qtbot.waitSignal(screen.idle_lock_changed) as changed:
        qtbot.mouseClick(tab.ui.lockSaveButton, Qt.MouseButton.LeftButton)
    assert changed.args == [25]
    assert community.idle_lock_minutes(ctx.db) == 25
    assert not tab.ui.lockSaveButton.isEnabled()
    assert shown == []


def test_zero_means_never_lock(qtbot: QtBot, ctx: AppContext) -> None:
    _screen, tab = system_tab(qtbot, ctx)
    tab.ui.lockSpin.setValue(0)
    assert tab.ui.lockSpin.text() == "不锁定"
    assert tab.ui.lockSpin.maximum() == 240
    assert tab.save_idle_lock()
    assert community.idle_lock_minutes(ctx.db) == 0


def test_a_clerk_cannot_change_the_idle_lock(
    qtbot: QtBot, db: Database, make_user: Callable[[Role], Actor]
) -> None:
    clerk_ctx = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    _screen, tab = system_tab(qtbot, clerk_ctx)
    assert not tab.ui.lockSpin.isEnabled()
    assert not tab.ui.lockSaveButton.isVisible()
    assert "修改小区设置" in tab.ui.lockHint.text()


def test_change_password_dialog_checks_before_closing(qtbot: QtBot) -> None:
    dialog = ChangePasswordDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui
    ok = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(ui.newEdit, "better2024")
    qtbot.keyClicks(ui.againEdit, "better2024")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert ui.errorLabel.text() == "原密码：请输入"
    qtbot.keyClicks(ui.oldEdit, ADMIN_PASSWORD)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == PasswordChange(ADMIN_PASSWORD, "better2024", "better2024")


def test_a_clerk_changes_their_own_password(
    qtbot: QtBot,
    db: Database,
    make_user: Callable[[Role], Actor],
    monkeypatch: pytest.MonkeyPatch,
    shown: Shown,
) -> None:
    clerk_ctx = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    _screen, tab = system_tab(qtbot, clerk_ctx)
    answers(monkeypatch, PasswordChange(STAFF_PASSWORD, "better2024", "better2024"))
    tab.ui.changePasswordButton.click()
    assert shown == [("information", "修改密码", "密码已修改，下次登录请使用新密码。")]
    users.login(db, "clerk1", "better2024")
    with pytest.raises(AuthenticationFailed):
        users.login(db, "clerk1", STAFF_PASSWORD)


def test_a_wrong_old_password_changes_nothing(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    _screen, tab = system_tab(qtbot, ctx)
    wrong = PasswordChange("not-my-password1", "better2024", "better2024")
    calls = answers(monkeypatch, wrong, None)
    assert tab.change_password() is False
    assert shown == [("warning", "无法修改密码", "原密码：不正确")]
    assert calls == [(None,), (wrong,)]
    users.login(ctx.db, "admin", ADMIN_PASSWORD)


def test_receipt_paper_and_copies_are_saved(qtbot, ctx) -> None:
    from frontdesk.domain.fees import Paper
    from frontdesk.gui.screens.admin.system_tab import SystemTab
    from frontdesk.services.fees import receipts

    tab = SystemTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.ui.paperCombo.setCurrentIndex(list(Paper).index(Paper.FORM_241x93))
    tab.ui.stubCheck.setChecked(True)
    tab.ui.customerCheck.setChecked(True)
    tab.ui.bookCheck.setChecked(False)
    assert tab.save_receipt_settings()
    saved = receipts.receipt_settings(ctx.db)
    assert saved.paper == Paper.FORM_241x93
    assert saved.copies == ("存根联", "客户联")


def test_a_receipt_needs_at_least_one_copy(qtbot, ctx, shown) -> None:
    from frontdesk.gui.screens.admin.system_tab import SystemTab

    tab = SystemTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    for check in tab.copy_checks.values():
        check.setChecked(False)
    assert not tab.save_receipt_settings()
    assert "收据联次" in shown[-1][2]


def test_carbonless_forms_are_a_setting_beside_the_paper_and_copies(qtbot, ctx) -> None:
    """Ticked: one impression per receipt (the 联次 boxes no longer apply); the receipt
    then prints once with no 联 label. Unticked again: one page per 联 as before."""
    from frontdesk.domain.fees import Paper
    from frontdesk.gui.screens.admin.system_tab import SystemTab
    from frontdesk.services.fees import receipts

    tab = SystemTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert not tab.ui.carbonlessCheck.isChecked()
    tab.ui.paperCombo.setCurrentIndex(list(Paper).index(Paper.FORM_241x140))
    tab.ui.carbonlessCheck.setChecked(True)
    assert not tab.ui.stubCheck.isEnabled()
    assert tab.save_receipt_settings()
    saved = receipts.receipt_settings(ctx.db)
    assert saved.carbonless and saved.paper == Paper.FORM_241x140
    again = SystemTab(ctx)
    qtbot.addWidget(again)
    again.refresh()
    assert again.ui.carbonlessCheck.isChecked()
    again.ui.carbonlessCheck.setChecked(False)
    assert again.ui.stubCheck.isEnabled()
    assert again.save_receipt_settings()
    assert not receipts.receipt_settings(ctx.db).carbonless
