"""Dialogs that ask for account data; each `ask` returns the input or None.

Rules the dialog can check alone (both passwords equal, the password rule) are
shown inside the dialog, which stays open; everything else is decided by the
service after the dialog closes, and the caller may open it again pre-filled.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget

from frontdesk.domain.roles import Role
from frontdesk.errors import ValidationError
from frontdesk.gui.forms.admin_edit_user_dialog_ui import Ui_EditUserDialog
from frontdesk.gui.forms.admin_new_user_dialog_ui import Ui_NewUserDialog
from frontdesk.gui.forms.admin_password_dialog_ui import Ui_PasswordDialog
from frontdesk.services.users import NewUser, UserRow, check_password_rule

MISMATCH = "两次输入的密码不一致"


@dataclass(frozen=True)
class UserEdit:
    display_name: str
    role: Role
    active: bool


@dataclass(frozen=True)
class PasswordChange:
    old: str
    new: str
    again: str


def _name_buttons(box: QDialogButtonBox, ok: str) -> None:
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")


def _fill_roles(combo: QComboBox, selected: Role) -> None:
    for role in Role:
        combo.addItem(role.label, role)
    combo.setCurrentIndex(list(Role).index(selected))


class _CheckedDialog(QDialog):
    """Runs `check()` on OK; a ValidationError is shown in `error_label` and focuses its field."""

    error_label: QLabel

    def _fields(self) -> dict[str, QLineEdit]:
        return {}

    def check(self) -> None:
        """Raise ValidationError for what can be judged without the database."""

    def accept(self) -> None:
        try:
            self.check()
        except ValidationError as exc:
            self.error_label.setText(exc.message)
            field = self._fields().get(exc.field)
            if field is not None:
                field.setFocus()
                field.selectAll()
            return
        super().accept()


class NewUserDialog(_CheckedDialog):
    def __init__(self, parent: QWidget | None = None, previous: NewUser | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_NewUserDialog()
        self.ui.setupUi(self)
        self.error_label = self.ui.errorLabel
        _name_buttons(self.ui.buttonBox, "创建")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        _fill_roles(self.ui.roleCombo, previous.role if previous else Role.CLERK)
        if previous is not None:
            self.ui.usernameEdit.setText(previous.username)
            self.ui.nameEdit.setText(previous.display_name)
            self.ui.passwordEdit.setText(previous.password)
            self.ui.againEdit.setText(previous.password)

    def _fields(self) -> dict[str, QLineEdit]:
        return {"初始密码": self.ui.passwordEdit, "确认密码": self.ui.againEdit}

    def check(self) -> None:
        check_password_rule(self.ui.passwordEdit.text(), "初始密码")
        if self.ui.passwordEdit.text() != self.ui.againEdit.text():
            raise ValidationError("确认密码", MISMATCH)

    def value(self) -> NewUser:
        ui = self.ui
        return NewUser(
            ui.usernameEdit.text(),
            ui.nameEdit.text(),
            ui.roleCombo.currentData(),
            ui.passwordEdit.text(),
        )

    @classmethod
    def ask(cls, parent: QWidget, previous: NewUser | None = None) -> NewUser | None:
        dialog = cls(parent, previous)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class EditUserDialog(_CheckedDialog):
    def __init__(
        self, user: UserRow, parent: QWidget | None = None, previous: UserEdit | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_EditUserDialog()
        self.ui.setupUi(self)
        self.error_label = self.ui.errorLabel
        _name_buttons(self.ui.buttonBox, "保存")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        start = previous or UserEdit(user.display_name, user.role, user.active)
        self.ui.usernameValue.setText(user.username)
        self.ui.nameEdit.setText(start.display_name)
        _fill_roles(self.ui.roleCombo, start.role)
        self.ui.activeCheck.setChecked(start.active)

    def value(self) -> UserEdit:
        ui = self.ui
        return UserEdit(ui.nameEdit.text(), ui.roleCombo.currentData(), ui.activeCheck.isChecked())

    @classmethod
    def ask(
        cls, parent: QWidget, user: UserRow, previous: UserEdit | None = None
    ) -> UserEdit | None:
        dialog = cls(user, parent, previous)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class _PasswordDialog(_CheckedDialog):
    def __init__(self, parent: QWidget | None, *, with_old: bool) -> None:
        super().__init__(parent)
        self.ui = Ui_PasswordDialog()
        self.ui.setupUi(self)
        self.error_label = self.ui.errorLabel
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.old_edit: QLineEdit | None = self.ui.oldEdit
        if not with_old:
            self.ui.form.removeRow(0)  # deletes the 原密码 label and field
            self.old_edit = None

    def _fields(self) -> dict[str, QLineEdit]:
        fields = {"新密码": self.ui.newEdit, "确认密码": self.ui.againEdit}
        if self.old_edit is not None:
            fields["原密码"] = self.old_edit
        return fields

    def check(self) -> None:
        if self.old_edit is not None and not self.old_edit.text():
            raise ValidationError("原密码", "请输入")
        check_password_rule(self.ui.newEdit.text(), "新密码")
        if self.ui.newEdit.text() != self.ui.againEdit.text():
            raise ValidationError("确认密码", MISMATCH)


class ResetPasswordDialog(_PasswordDialog):
    """An administrator sets a new password for someone else (no old password)."""

    def __init__(self, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(parent, with_old=False)
        self.setWindowTitle("重置密码")
        _name_buttons(self.ui.buttonBox, "重置")
        self.ui.targetLabel.setText(f"为 {user.display_name}（{user.username}）设置新密码")
        self.ui.hintLabel.setText(
            "密码至少 8 位，须同时包含字母和数字。重置后账户的锁定也一并解除，"
            "请当面把新密码告诉本人，并提醒其登录后自行修改。"
        )

    def value(self) -> str:
        return self.ui.newEdit.text()

    @classmethod
    def ask(cls, parent: QWidget, user: UserRow) -> str | None:
        dialog = cls(user, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ChangePasswordDialog(_PasswordDialog):
    """The signed-in user changes their own password."""

    def __init__(self, parent: QWidget | None = None, previous: PasswordChange | None = None):
        super().__init__(parent, with_old=True)
        self.setWindowTitle("修改我的密码")
        _name_buttons(self.ui.buttonBox, "修改")
        self.ui.targetLabel.hide()
        if previous is not None:
            self.ui.oldEdit.setText(previous.old)
            self.ui.newEdit.setText(previous.new)
            self.ui.againEdit.setText(previous.again)

    def value(self) -> PasswordChange:
        ui = self.ui
        return PasswordChange(ui.oldEdit.text(), ui.newEdit.text(), ui.againEdit.text())

    @classmethod
    def ask(cls, parent: QWidget, previous: PasswordChange | None = None) -> PasswordChange | None:
        dialog = cls(parent, previous)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
