"""钥匙托管与物品借用设置 (a role that edits the community's settings): how long the key
register keeps the names of who borrowed or took back a key, and how long the lending
register keeps its borrowers' names and phones."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from frontdesk.domain import key_custody as key_rules
from frontdesk.domain import lending as lending_rules
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_key_lending_settings_dialog_ui import (
    Ui_KeyLendingSettingsDialog,
)
from frontdesk.gui.ops import Op
from frontdesk.services import key_custody, lending
from frontdesk.services.key_custody import KeySettings
from frontdesk.services.lending import LendingSettings


class KeyLendingSettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_KeyLendingSettingsDialog()
        ui.setupUi(self)
        ui.keyRetentionSpin.setRange(*key_rules.RETENTION_RANGE)
        ui.lendingRetentionSpin.setRange(*lending_rules.RETENTION_RANGE)
        buttons = ui.buttons
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存(&S)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        ui.keyRetentionSpin.setValue(key_custody.key_settings(ctx.db).retention_days)
        ui.lendingRetentionSpin.setValue(lending.lending_settings(ctx.db).retention_days)

    def save(self) -> None:
        ctx, ui = self.ctx, self.ui
        keys = KeySettings(ui.keyRetentionSpin.value())
        loans = LendingSettings(ui.lendingRetentionSpin.value())

        def both() -> None:
            # both checked before either is written: nothing half-saved
            key_rules.check_retention_days(keys.retention_days)
            lending_rules.check_retention_days(loans.retention_days)
            key_custody.set_key_settings(ctx.db, ctx.actor, keys)
            lending.set_lending_settings(ctx.db, ctx.actor, loans)

        Op(self, ctx.tasks, both, title="钥匙托管与物品借用设置").fields(
            {
                "钥匙借用记录保存天数": ui.keyRetentionSpin,
                "物品借用记录保存天数": ui.lendingRetentionSpin,
            }
        ).inline(ui.errorLabel).success(lambda _saved: self.accept()).run()

    @classmethod
    def edit(cls, ctx: AppContext, parent: QWidget) -> bool:
        """True when the settings were saved."""
        return cls(ctx, parent).exec() == QDialog.DialogCode.Accepted
