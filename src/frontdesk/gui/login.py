"""Sign-in, first-run and idle-unlock dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QWidget

from frontdesk.domain.roles import Actor
from frontdesk.errors import FrontDeskError
from frontdesk.gui.forms.first_run_ui import Ui_FirstRunDialog
from frontdesk.gui.forms.login_ui import Ui_LoginDialog
from frontdesk.services import community, users
from frontdesk.services.database import Database


class LoginDialog(QDialog):
    """Asks for user name and password until the service accepts them.

    In unlock mode the user name is fixed; the Cancel button becomes 切换用户.
    """

    SWITCH_USER = 2

    def __init__(self, db: Database, parent: QWidget | None = None, locked: Actor | None = None):
        super().__init__(parent)
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.db = db
        self.actor: Actor | None = None
        self._locked = locked
        buttons = self.ui.buttonBox
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self._try_login)
        buttons.rejected.connect(self.reject)
        try:
            self.ui.communityLabel.setText(community.get_community(db).name)
        except FrontDeskError:
            self.ui.communityLabel.clear()
        if locked is not None:
            self._as_unlock(locked)

    def _as_unlock(self, locked: Actor) -> None:
        self.setWindowTitle("物业前台 — 已锁定")
        self.ui.titleLabel.setText("屏幕已锁定")
        self.ui.usernameEdit.setText(locked.username)
        self.ui.usernameEdit.setEnabled(False)
        self.ui.messageLabel.setText(f"{locked.display_name}，长时间无操作，请输入密码继续。")
        switch = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
        switch.setText("切换用户")
        self.ui.buttonBox.rejected.disconnect()
        self.ui.buttonBox.rejected.connect(lambda: self.done(self.SWITCH_USER))
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("解锁")
        self.ui.passwordEdit.setFocus()

    def _try_login(self) -> None:
        username, password = self.ui.usernameEdit.text(), self.ui.passwordEdit.text()
        if not username.strip():
            self._fail("请输入用户名。", self.ui.usernameEdit)
            return
        try:
            self.actor = users.login(self.db, username, password)
        except FrontDeskError as exc:
            self._fail(exc.message, self.ui.passwordEdit)
            return
        self.accept()

    def _fail(self, message: str, focus: QLineEdit) -> None:
        self.ui.messageLabel.setText(message)
        self.ui.passwordEdit.clear()
        focus.setFocus()

    def reject(self) -> None:
        # Escape in unlock mode must not unlock the window behind it.
        if self._locked is not None:
            return
        super().reject()


class FirstRunDialog(QDialog):
    """Community name and the administrator account, the very first time."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_FirstRunDialog()
        self.ui.setupUi(self)
        self.db = db
        self.actor: Actor | None = None
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("完成设置")
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)

    def _submit(self) -> None:
        ui = self.ui
        data = users.FirstRunInput(
            ui.communityEdit.text(),
            ui.usernameEdit.text(),
            ui.displayNameEdit.text(),
            ui.passwordEdit.text(),
            ui.passwordAgainEdit.text(),
        )
        try:
            self.actor = users.initialize(self.db, data)
        except FrontDeskError as exc:
            ui.messageLabel.setText(exc.message)
            return
        self.accept()


def ask_actor(db: Database) -> Actor | None:
    """First run when needed, otherwise sign-in; None when the user gave up."""
    dialog: LoginDialog | FirstRunDialog = (
        FirstRunDialog(db) if users.setup_needed(db) else LoginDialog(db)
    )
    return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None
