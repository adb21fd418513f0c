"""At start, before sign-in: the key for ID numbers when this PC cannot open it unasked.

Three cases: a new database on a PC without a keyring (set a passphrase), a
database kept under a passphrase (type it), and a database whose key this PC has
never seen, e.g. a backup restored on a new PC (type the recovery code).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from frontdesk.errors import FrontDeskError
from frontdesk.gui.forms.data_key_ui import Ui_DataKeyDialog
from frontdesk.services.database import Database
from frontdesk.services.protection import data_key
from frontdesk.services.protection.data_key import NO_SECURE_STORE, KeyState

_EXPLANATIONS = {
    KeyState.NEEDS_NEW_PASSPHRASE: (
        f"{NO_SECURE_STORE}，无法替数据库保管证件号码的加密密钥。"
        "请设置一个口令（至少 8 个字符）：证件号码用它加密保护，以后每次启动程序时输入。"
        "请由主管妥善保管口令，并在“系统设置”中打印恢复码。"
    ),
    KeyState.NEEDS_PASSPHRASE: "本数据库的证件号码用口令加密保护。请输入口令。",
    KeyState.NEEDS_RECOVERY: (
        "本机没有这个数据库的密钥（例如在新电脑上恢复了备份，或本机安全存储中的密钥被清除）。"
        "请输入管理员保存的恢复码。"
    ),
}


class DataKeyDialog(QDialog):
    def __init__(self, db: Database, state: KeyState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_DataKeyDialog()
        self.ui.setupUi(self)
        self.db = db
        buttons = self.ui.buttonBox
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        self.ui.recoverButton.clicked.connect(lambda: self._show(KeyState.NEEDS_RECOVERY))
        self._show(state)

    def _show(self, state: KeyState) -> None:
        self.state = state
        ui = self.ui
        recovering = state == KeyState.NEEDS_RECOVERY
        new_passphrase = state == KeyState.NEEDS_NEW_PASSPHRASE or (
            recovering and not data_key.keyring_usable()
        )
        text = _EXPLANATIONS[state]
        if recovering and new_passphrase:
            text += f"{NO_SECURE_STORE}，请同时设置一个新口令，以后启动时输入。"
        ui.explanationLabel.setText(text)
        for widget in (ui.codeLabel, ui.codeEdit):
            widget.setVisible(recovering)
        for widget in (ui.passphraseLabel, ui.passphraseEdit):
            widget.setVisible(not recovering or new_passphrase)
        for widget in (ui.repeatLabel, ui.repeatEdit):
            widget.setVisible(new_passphrase)
        ui.passphraseLabel.setText("新口令(&P)" if new_passphrase else "口令(&P)")
        ui.recoverButton.setVisible(state == KeyState.NEEDS_PASSPHRASE)
        ui.messageLabel.clear()
        (ui.codeEdit if recovering else ui.passphraseEdit).setFocus()

    def _submit(self) -> None:
        ui = self.ui
        passphrase = ui.passphraseEdit.text() if ui.passphraseEdit.isVisibleTo(self) else None
        if ui.repeatEdit.isVisibleTo(self) and passphrase != ui.repeatEdit.text():
            ui.messageLabel.setText("两次输入的口令不一致。")
            ui.repeatEdit.clear()
            ui.repeatEdit.setFocus()
            return
        try:
            if self.state == KeyState.NEEDS_RECOVERY:
                data_key.recover(self.db, ui.codeEdit.text(), passphrase)
            else:
                data_key.unlock(self.db, passphrase or "")
        except FrontDeskError as exc:
            ui.messageLabel.setText(exc.message)
            ui.passphraseEdit.clear()
            ui.repeatEdit.clear()
            return
        self.accept()


def ensure_data_key(db: Database, parent: QWidget | None = None) -> bool:
    """True when ID numbers can be read and written; asks when it must."""
    state = data_key.unlock(db)
    if state == KeyState.READY:
        return True
    return DataKeyDialog(db, state, parent).exec() == QDialog.DialogCode.Accepted
