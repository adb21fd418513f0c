"""Sign-in, first run and the idle lock, driven like a clerk would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from frontdesk.domain.roles import Role
from frontdesk.gui.idle import IdleWatcher
from frontdesk.gui.login import FirstRunDialog, LoginDialog
from frontdesk.services import community, users
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD


def _ok(dialog: QDialog, box: QDialogButtonBox) -> None:
    box.button(QDialogButtonBox.StandardButton.Ok).click()


def test_login_with_the_right_password(qtbot, db) -> None:
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ui.communityLabel.text() == "测试小区"
    qtbot.keyClicks(dialog.ui.usernameEdit, "admin")
    qtbot.keyClicks(dialog.ui.passwordEdit, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.ui.passwordEdit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.role is Role.ADMIN


def test_wrong_password_shows_why_and_clears_the_field(qtbot, db) -> None:
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.ui.usernameEdit.setText("admin")
    dialog.ui.passwordEdit.setText("nope")
    _ok(dialog, dialog.ui.buttonBox)
    assert dialog.actor is None
    assert dialog.ui.messageLabel.text() == "用户名或密码错误（再错 4 次将锁定 15 分钟）。"
    assert dialog.ui.passwordEdit.text() == ""


def test_empty_username(qtbot, db) -> None:
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    _ok(dialog, dialog.ui.buttonBox)
    assert dialog.ui.messageLabel.text() == "请输入用户名。"


def test_first_run_dialog_creates_the_administrator(qtbot, fresh_db) -> None:
    dialog = FirstRunDialog(fresh_db)
    qtbot.addWidget(dialog)
    ui = dialog.ui
    ui.communityEdit.setText("翠湖花园")
    ui.displayNameEdit.setText("王经理")
    ui.passwordEdit.setText("pass1234")
    ui.passwordAgainEdit.setText("pass9999")
    _ok(dialog, ui.buttonBox)
    assert ui.messageLabel.text() == "确认密码：两次输入的密码不一致"
    assert users.setup_needed(fresh_db)
    ui.passwordAgainEdit.setText("pass1234")
    _ok(dialog, ui.buttonBox)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert community.get_community(fresh_db).name == "翠湖花园"
    assert users.login(fresh_db, "admin", "pass1234").display_name == "王经理"


def test_unlock_dialog_keeps_the_user_and_cannot_be_escaped(qtbot, db, make_user) -> None:
    clerk = make_user(Role.CLERK)
    dialog = LoginDialog(db, locked=clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ui.usernameEdit.isEnabled()
    assert dialog.ui.usernameEdit.text() == clerk.username
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    dialog.ui.passwordEdit.setText(STAFF_PASSWORD)
    _ok(dialog, dialog.ui.buttonBox)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_unlock_dialog_offers_switch_user(qtbot, db, admin) -> None:
    dialog = LoginDialog(db, locked=admin)
    qtbot.addWidget(dialog)
    dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.result() == LoginDialog.SWITCH_USER


def test_idle_watcher_fires_after_the_set_minutes_without_input(qtbot) -> None:
    now = [1000.0]
    watcher = IdleWatcher(minutes=10, clock=lambda: now[0])
    fired = []
    watcher.idle.connect(lambda: fired.append(now[0]))
    now[0] += 9 * 60
    watcher.check()
    assert fired == []
    now[0] += 61
    watcher.check()
    assert len(fired) == 1
    watcher.check()  # stays locked: fires once until resumed
    assert len(fired) == 1
    watcher.resume()
    now[0] += 10 * 60
    watcher.check()
    assert len(fired) == 2
    watcher.stop()


def test_input_postpones_the_lock(qtbot) -> None:
    now = [0.0]
    watcher = IdleWatcher(minutes=1, clock=lambda: now[0])
    fired = []
    watcher.idle.connect(lambda: fired.append(True))
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    now[0] = 50.0
    qtbot.keyClick(dialog, Qt.Key.Key_A)
    now[0] = 100.0
    watcher.check()
    assert fired == []
    now[0] = 111.0
    watcher.check()
    assert fired == [True]
    watcher.stop()


def test_zero_minutes_never_locks(qtbot) -> None:
    now = [0.0]
    watcher = IdleWatcher(minutes=0, clock=lambda: now[0])
    fired = []
    watcher.idle.connect(lambda: fired.append(True))
    now[0] = 10**6
    watcher.check()
    assert fired == []
    watcher.stop()
