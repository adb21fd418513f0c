"""登记催缴: a call, a visit, a message or a notice served, with what the owner said."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.arrears import Channel
from frontdesk.domain.money import format_yuan
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_reminder_dialog_ui import Ui_ReminderDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.arrears.listing import ArrearsRow, ReminderInput


class ReminderDialog(QDialog):
    def __init__(self, ctx: AppContext, row: ArrearsRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.reminder_id: int | None = None
        self.ui = ui = Ui_ReminderDialog()
        ui.setupUi(self)
        ui.roomLabel.setText(
            f"{row.room_code}　{row.owner or '（未登记业主）'}　"
            f"欠费 ¥{format_yuan(row.total_fen)}（{row.months} 个月）"
        )
        for channel in Channel:
            ui.channelCombo.addItem(channel.value, channel.value)
        today = qdate(clock.today())
        ui.promisedEdit.setMinimumDate(today)
        ui.promisedEdit.setDate(today.addDays(7))
        ui.promisedCheck.toggled.connect(ui.promisedEdit.setEnabled)
        ui.channelCombo.currentIndexChanged.connect(lambda _i: self._hint())
        ui.buttons.accepted.connect(self.accept)
        ui.buttons.rejected.connect(self.reject)
        self._hint()

    def _hint(self) -> None:
        channel = Channel(self.ui.channelCombo.currentData())
        self.ui.hintLabel.setText(
            "书面送达、挂号信属书面催告，可中断诉讼时效：请在“结果”中写明签收人或挂号信单号，"
            "并留存凭证。打印的催缴通知请在“送达登记”中登记送达。"
            if channel.written
            else "电话、上门、短信、微信、张贴不中断诉讼时效；欠费较久的请书面催告。"
        )

    def chosen(self) -> ReminderInput:
        ui = self.ui
        promised = None
        if ui.promisedCheck.isChecked():
            value = ui.promisedEdit.date()
            promised = date(value.year(), value.month(), value.day())
        return ReminderInput(
            self.row.room_id,
            Channel(ui.channelCombo.currentData()),
            ui.outcomeEdit.text().strip(),
            promised,
        )

    def accept(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda chosen: arrears.log_reminder(ctx.db, ctx.actor, chosen),
            given=self.chosen,
            title="登记催缴",
        ).success(self._logged).run()

    def _logged(self, reminder_id: int) -> None:
        self.reminder_id = reminder_id
        super().accept()
