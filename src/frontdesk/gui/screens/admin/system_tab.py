"""系统: which database is open, the idle lock, receipt paper and copies, the ID-number
key (where it is kept, the recovery code, a passphrase), and one's own password."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from frontdesk import __version__
from frontdesk.domain.fees import RECEIPT_COPIES, Paper
from frontdesk.domain.roles import Permission
from frontdesk.gui.connect_dialog import ConnectDatabaseDialog
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.admin_system_tab_ui import Ui_SystemTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.admin.user_dialogs import ChangePasswordDialog, PasswordChange
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.printouts.recovery import recovery_sheet
from frontdesk.services import community, database, users
from frontdesk.services.fees import receipts
from frontdesk.services.fees.receipts import ReceiptSettings
from frontdesk.services.protection import data_key


class SystemTab(QWidget):
    """Signals: idle_lock_changed(minutes) after the setting was saved."""

    idle_lock_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_SystemTab()
        self.ui.setupUi(self)
        ui = self.ui
        ui.databaseValue.setText(ctx.db.place.replace("&", "&&"))  # a URL's & is no mnemonic
        ui.connectButton.setVisible(ctx.can(Permission.MANAGE_BACKUPS))
        ui.connectButton.clicked.connect(self.connect_other_database)
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
        for widget in (ui.paperCombo, ui.carbonlessCheck, *self.copy_checks.values()):
            widget.setEnabled(self.editable)
        # On carbonless forms the plies are the copies: the 联次 do not apply.
        ui.carbonlessCheck.toggled.connect(self._carbonless_toggled)
        ui.receiptSaveButton.setVisible(self.editable)
        ui.receiptSaveButton.clicked.connect(self.save_receipt_settings)
        keeper = ctx.can(Permission.MANAGE_USERS)
        ui.recoveryButton.setVisible(keeper)
        ui.passphraseButton.setVisible(keeper)
        ui.recoveryButton.clicked.connect(self.print_recovery_code)
        ui.passphraseButton.clicked.connect(self.ask_passphrase)

    def connect_other_database(self) -> None:
        """This PC opens another database (its file, or the office's server) from the next
        start; the connection is tried first, the password kept in the keyring."""
        dialog = ConnectDatabaseDialog(self.ctx.db.location, database.default_path(), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen, password = dialog.chosen, dialog.password
        Op(
            self,
            self.ctx.tasks,
            lambda: database.try_location(chosen, password),
            title="无法连接数据库",
        ).labelled("正在连接数据库…").success(
            lambda _none: QMessageBox.information(
                self,
                "连接数据库",
                f"已保存。下次启动物业前台时打开：\n{chosen.shown()}\n\n本次仍使用当前数据库。",
            )
        ).run()

    def refresh(self) -> None:
        db = self.ctx.db
        Op(
            self, self.ctx.tasks, lambda: community.idle_lock_minutes(db), title="无法读取系统设置"
        ).success(self._show).run()

    def _show(self, minutes: int) -> None:
        self._saved_minutes = minutes
        self.ui.lockSpin.setValue(minutes)
        self._mark_lock_dirty()
        settings = receipts.receipt_settings(self.ctx.db)
        self.ui.paperCombo.setCurrentIndex(list(Paper).index(settings.paper))
        for name, check in self.copy_checks.items():
            check.setChecked(name in settings.copies)
        self.ui.carbonlessCheck.setChecked(settings.carbonless)
        self._carbonless_toggled(settings.carbonless)
        self._show_key()

    def _carbonless_toggled(self, on: bool) -> None:
        for check in self.copy_checks.values():
            check.setEnabled(self.editable and not on)

    def _show_key(self) -> None:
        info = data_key.key_info(self.ctx.db)
        if info is None:
            self.ui.keyValue.setText("尚未启用")
            self.ui.recoveryValue.clear()
            return
        where = f"已保存在{data_key.SECURE_STORE}" if info.in_keyring else "未保存在本机安全存储"
        if info.has_passphrase:
            where += "；另有口令保护"
        self.ui.keyValue.setText(where)
        exported = info.recovery_exported_at
        self.ui.recoveryValue.setText(
            f"{exported.astimezone():%Y-%m-%d %H:%M} 由 {info.recovery_exported_by} 打印"
            if exported
            else "尚未打印：请尽快打印并妥善保管"
        )
        self.ui.recoveryValue.setStyleSheet("" if exported else "color: #b3261e;")

    def print_recovery_code(self) -> None:
        text = "恢复码就是证件号码的密钥。打印后请立即锁进保险柜；本次打印会记入审计日志。继续吗？"
        if not confirm(self, "打印恢复码", text):
            return
        ctx = self.ctx
        Op(
            self, ctx.tasks, lambda: recovery_sheet(ctx.db, ctx.actor), title="无法生成恢复码"
        ).success(self._show_recovery_sheet).run()

    def _show_recovery_sheet(self, pdf: bytes) -> None:
        # Not show_printout: the sheet must never be kept in the document register.
        PdfPreviewDialog(pdf, "证件号码密钥恢复码", "恢复码.pdf", self).exec()
        self._show_key()

    def ask_passphrase(self) -> bool:
        title = "设置口令"
        first, ok = QInputDialog.getText(
            self,
            title,
            "不能使用安全存储的电脑（另一台前台）用口令打开证件号码。\n新口令（至少 8 个字符）：",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return False
        again, ok = QInputDialog.getText(
            self, title, "再次输入新口令：", QLineEdit.EchoMode.Password
        )
        if not ok:
            return False
        if first != again:
            QMessageBox.warning(self, title, "两次输入的口令不一致，口令没有修改。")
            return False
        ctx = self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda: data_key.set_passphrase(ctx.db, ctx.actor, first),
                title="无法设置口令",
            )
            .success(lambda _: self._show_key())
            .now()
        )

    def save_receipt_settings(self) -> bool:
        copies = tuple(name for name, check in self.copy_checks.items() if check.isChecked())
        settings = ReceiptSettings(
            Paper(self.ui.paperCombo.currentData()), copies, self.ui.carbonlessCheck.isChecked()
        )
        ctx = self.ctx
        return Op(
            self,
            ctx.tasks,
            lambda: receipts.set_receipt_settings(ctx.db, ctx.actor, settings),
            title="无法保存收据设置",
        ).now()

    def _mark_lock_dirty(self) -> None:
        self.ui.lockSaveButton.setEnabled(self.ui.lockSpin.value() != self._saved_minutes)

    def save_idle_lock(self) -> bool:
        minutes, ctx = self.ui.lockSpin.value(), self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda: community.set_idle_lock_minutes(ctx.db, ctx.actor, minutes),
                title="无法保存自动锁定时间",
            )
            .success(lambda _: self._lock_saved(minutes))
            .now()
        )

    def _lock_saved(self, minutes: int) -> None:
        self._saved_minutes = minutes
        self._mark_lock_dirty()
        self.idle_lock_changed.emit(minutes)

    def change_password(self) -> bool:
        change: PasswordChange | None = None
        while (change := ChangePasswordDialog.ask(self, change)) is not None:
            ctx = self.ctx
            save = partial(
                users.change_own_password, ctx.db, ctx.actor, change.old, change.new, change.again
            )
            if Op(self, ctx.tasks, save, title="无法修改密码").now():
                QMessageBox.information(self, "修改密码", "密码已修改，下次登录请使用新密码。")
                return True
        return False
