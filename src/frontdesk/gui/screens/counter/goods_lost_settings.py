"""物品放行与失物招领设置 (a role that edits the community's settings): how long goods
passes keep the applicants' details, how long a found item is kept before the police
or disposal, how long finders' and claimants' details are kept."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from frontdesk.domain import goods_passes as pass_rules
from frontdesk.domain import lost_property as lost_rules
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_goods_lost_settings_dialog_ui import Ui_GoodsLostSettingsDialog
from frontdesk.gui.ops import Op
from frontdesk.services import goods_passes, lost_property
from frontdesk.services.goods_passes import GoodsPassSettings
from frontdesk.services.lost_property import LostPropertySettings


class GoodsLostSettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_GoodsLostSettingsDialog()
        ui.setupUi(self)
        ui.passRetentionSpin.setRange(*pass_rules.RETENTION_RANGE)
        ui.keepSpin.setRange(*lost_rules.KEEP_RANGE)
        ui.lostRetentionSpin.setRange(*lost_rules.RETENTION_RANGE)
        buttons = ui.buttons
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存(&S)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        ui.passRetentionSpin.setValue(goods_passes.goods_pass_settings(ctx.db).retention_days)
        lost = lost_property.lost_property_settings(ctx.db)
        ui.keepSpin.setValue(lost.keep_days)
        ui.lostRetentionSpin.setValue(lost.retention_days)

    def save(self) -> None:
        ctx, ui = self.ctx, self.ui
        passes = GoodsPassSettings(ui.passRetentionSpin.value())
        lost = LostPropertySettings(ui.keepSpin.value(), ui.lostRetentionSpin.value())

        def both() -> None:
            goods_passes.set_goods_pass_settings(ctx.db, ctx.actor, passes)
            lost_property.set_lost_property_settings(ctx.db, ctx.actor, lost)

        Op(self, ctx.tasks, both, title="物品放行与失物招领设置").fields(
            {
                "放行条信息保存天数": ui.passRetentionSpin,
                "失物保管天数": ui.keepSpin,
                "失物招领信息保存天数": ui.lostRetentionSpin,
            }
        ).inline(ui.errorLabel).success(lambda _saved: self.accept()).run()

    @classmethod
    def edit(cls, ctx: AppContext, parent: QWidget) -> bool:
        """True when the settings were saved."""
        return cls(ctx, parent).exec() == QDialog.DialogCode.Accepted
