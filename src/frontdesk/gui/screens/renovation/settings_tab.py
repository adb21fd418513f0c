"""装修设置: the longest period an application may ask for and the working hours the
permit prints (supervisors; others read them)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.renovation_settings_tab_ui import Ui_RenovationSettingsTab
from frontdesk.gui.ops import Op
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation.applications import RenovationSettings


class RenovationSettingsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_RenovationSettingsTab()
        ui.setupUi(self)
        can = ctx.can(Permission.APPROVE_RENOVATIONS)
        ui.maxDaysSpin.setReadOnly(not can)
        ui.hoursEdit.setReadOnly(not can)
        ui.saveButton.setVisible(can)
        ui.saveButton.clicked.connect(self.save)

    def refresh(self) -> None:
        settings = renovations.renovation_settings(self.ctx.db)
        self.ui.maxDaysSpin.setValue(settings.max_days)
        self.ui.hoursEdit.setText(settings.working_hours)
        self.ui.hoursEdit.setCursorPosition(0)
        self.ui.savedLabel.clear()

    def save(self) -> bool:
        settings = RenovationSettings(self.ui.maxDaysSpin.value(), self.ui.hoursEdit.text())
        ctx = self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda: renovations.set_renovation_settings(ctx.db, ctx.actor, settings),
                title="装修设置未保存",
            )
            .success(lambda _: self.ui.savedLabel.setText("已保存"))
            .now()
        )
