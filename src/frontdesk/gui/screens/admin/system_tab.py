"""系统: which database is open, the idle lock, receipt paper and copies, and changing
one's own password."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk import __version__
from frontdesk.domain.fees import RECEIPT_COPIES, Paper
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.admin_system_tab_ui import Ui_SystemTab
from frontdesk.gui.messages import show_error
from frontdesk.gui.screens.admin.user_dialogs import ChangePasswordDialog, PasswordChange
from frontdesk.services import community, receipts, users
from frontdesk.services.receipts import ReceiptSettings


def database_text(url: str) -> str:
    """A SQLite URL as the file path a person recognises; other URLs as they are."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            return url.removeprefix(prefix)
    return url


class SystemTab(QWidget):
    """Signals: idle_lock_changed(minutes) after the setting was saved."""

    idle_lock_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_SystemTab()
        self.ui.setupUi(self)
        ui = self.ui
        ui.databaseValue.setText(database_text(ctx.db.url))
        ui.versionValue.setText(__version__)
        actor = ctx.actor
        ui.userValue.setText(f"{actor.display_name}（{actor.username}），{actor.role.label}")
        self.editable = ctx.can(Permission.EDIT_COMMUNITY)
        ui.lockSpin.setEnabled(self.editable)
        ui.lockSaveButton.setVisible(self.editable)
        if not self.editable:
            ui.lockHint.setText(ui.lockHint.text() + "修改此项需要“修改小区设置”权限。")
        ui.lockSaveButton.clicked.connect(self.save_idle_lock)
        ui.lockSpin.valueChanged.connect(lambda _v: self._mark_lock_dirty())
        ui.changePasswordButton.clicked.connect(self.change_password)
        self._saved_minutes: int | None = None
        for paper in Paper:
            ui.paperCombo.addItem(paper.label, paper)
        self.copy_checks = dict(
            zip(RECEIPT_COPIES, (ui.stubCheck, ui.customerCheck, ui.bookCheck), strict=True)
        )
        for widget in (ui.paperCombo, *self.copy_checks.values()):
            widget.setEnabled(self.editable)
        ui.receiptSaveButton.setVisible(self.editable)
        ui.receiptSaveButton.clicked.connect(self.save_receipt_settings)

    def refresh(self) -> None:
        try:
            minutes = community.idle_lock_minutes(self.ctx.db)
        except FrontDeskError as exc:
            show_error(self, exc, "无法读取系统设置")
            return
        self._saved_minutes = minutes
        self.ui.lockSpin.setValue(minutes)
        self._mark_lock_dirty()
        settings = receipts.receipt_settings(self.ctx.db)
        self.ui.paperCombo.setCurrentIndex(list(Paper).index(settings.paper))
        for name, check in self.copy_checks.items():
            check.setChecked(name in settings.copies)

    def save_receipt_settings(self) -> bool:
        copies = tuple(name for name, check in self.copy_checks.items() if check.isChecked())
        settings = ReceiptSettings(Paper(self.ui.paperCombo.currentData()), copies)
        try:
            receipts.set_receipt_settings(self.ctx.db, self.ctx.actor, settings)
        except FrontDeskError as exc:
            show_error(self, exc, "无法保存收据设置")
            return False
        return True

    def _mark_lock_dirty(self) -> None:
        self.ui.lockSaveButton.setEnabled(self.ui.lockSpin.value() != self._saved_minutes)

    def save_idle_lock(self) -> bool:
        minutes = self.ui.lockSpin.value()
        try:
            community.set_idle_lock_minutes(self.ctx.db, self.ctx.actor, minutes)
        except FrontDeskError as exc:
            show_error(self, exc, "无法保存自动锁定时间")
            return False
        self._saved_minutes = minutes
        self._mark_lock_dirty()
        self.idle_lock_changed.emit(minutes)
        return True

    def change_password(self) -> bool:
        change: PasswordChange | None = None
        while (change := ChangePasswordDialog.ask(self, change)) is not None:
            try:
                users.change_own_password(
                    self.ctx.db, self.ctx.actor, change.old, change.new, change.again
                )
            except FrontDeskError as exc:
                show_error(self, exc, "无法修改密码")
                continue
            QMessageBox.information(self, "修改密码", "密码已修改，下次登录请使用新密码。")
            return True
        return False
