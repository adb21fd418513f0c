"""快递代收设置 (a role that edits the community's settings): the couriers offered, after
how many days a waiting parcel is listed as overdue, how long names are kept."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from frontdesk.domain.parcels import OVERDUE_RANGE, RETENTION_RANGE
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_parcel_settings_dialog_ui import Ui_ParcelSettingsDialog
from frontdesk.gui.ops import Op
from frontdesk.services.parcels import settings as parcel_settings
from frontdesk.services.parcels.settings import ParcelSettings


class ParcelSettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_ParcelSettingsDialog()
        ui.setupUi(self)
        ui.overdueSpin.setRange(*OVERDUE_RANGE)
        ui.retentionSpin.setRange(*RETENTION_RANGE)
        buttons = ui.buttons
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存(&S)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        current = parcel_settings.parcel_settings(ctx.db)
        ui.couriersEdit.setPlainText("\n".join(current.couriers))
        ui.overdueSpin.setValue(current.overdue_days)
        ui.retentionSpin.setValue(current.retention_days)

    def wanted(self) -> ParcelSettings:
        ui = self.ui
        return ParcelSettings(
            tuple(ui.couriersEdit.toPlainText().splitlines()),
            ui.overdueSpin.value(),
            ui.retentionSpin.value(),
        )

    def save(self) -> None:
        ctx, wanted = self.ctx, self.wanted()
        Op(
            self,
            ctx.tasks,
            lambda: parcel_settings.set_parcel_settings(ctx.db, ctx.actor, wanted),
            title="快递代收设置",
        ).fields(
            {
                "快递公司": self.ui.couriersEdit,
                "超期天数": self.ui.overdueSpin,
                "保存天数": self.ui.retentionSpin,
            }
        ).inline(self.ui.errorLabel).success(lambda _saved: self.accept()).run()

    @classmethod
    def edit(cls, ctx: AppContext, parent: QWidget) -> bool:
        """True when the settings were saved."""
        return cls(ctx, parent).exec() == QDialog.DialogCode.Accepted
