"""登记送达: how and when one or several printed notices reached the households, with
the evidence (签收人 and relation, or the 挂号信/EMS number). A delivered 催缴通知单 or
催告函 restarts the limitation clock from the day entered."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.reminders import DeliveryMethod
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_delivery_dialog_ui import Ui_DeliveryDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.reminders import DeliveryInput, NoticeRow

RELATIONS = ("本人", "配偶", "子女", "父母", "其他亲属", "租户", "同住人")


class DeliveryDialog(QDialog):
    def __init__(
        self, ctx: AppContext, notices: list[NoticeRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notices = notices
        self.recorded = 0
        self.ui = ui = Ui_DeliveryDialog()
        ui.setupUi(self)
        first = notices[0]
        more = f"等 {len(notices)} 份" if len(notices) > 1 else ""
        ui.noticesLabel.setText(f"{first.title} {first.number}（{first.room_code}）{more}")
        written = any(n.level >= 2 for n in notices)
        for method in DeliveryMethod:
            if written and not method.evidence:
                continue  # a written demand needs evidence of receipt
            ui.methodCombo.addItem(method.value, method.value)
        ui.relationCombo.addItems(RELATIONS)
        today = qdate(clock.today())
        ui.dateEdit.setMaximumDate(today)
        ui.dateEdit.setMinimumDate(qdate(min(n.printed_on for n in notices)))
        ui.dateEdit.setDate(today)
        ui.methodCombo.currentIndexChanged.connect(lambda _i: self._method_changed())
        ui.buttons.accepted.connect(self.accept)
        ui.buttons.rejected.connect(self.reject)
        self._method_changed()

    @property
    def method(self) -> DeliveryMethod:
        return DeliveryMethod(self.ui.methodCombo.currentData())

    def _method_changed(self) -> None:
        ui, method = self.ui, self.method
        for widget in (ui.signerEdit, ui.relationCombo, ui.signerCaption, ui.relationCaption):
            widget.setEnabled(method.needs_signer)
        ui.trackingEdit.setEnabled(method.needs_tracking)
        ui.trackingCaption.setEnabled(method.needs_tracking)
        ui.hintLabel.setText(
            "请将送达回执上的签收人、与业主关系和签收日期照实填写，回执原件存档。"
            if method.needs_signer
            else "填写邮寄凭证上的单号，送达日期为妥投日期；凭证和妥投查询截图存档。"
            if method.needs_tracking
            else "投递信箱无签收凭证，只用于温馨提示，不作为书面催告。"
        )

    def chosen(self) -> DeliveryInput:
        ui, method = self.ui, self.method
        value = ui.dateEdit.date()
        return DeliveryInput(
            method,
            date(value.year(), value.month(), value.day()),
            ui.signerEdit.text() if method.needs_signer else "",
            ui.relationCombo.currentText() if method.needs_signer else "",
            ui.trackingEdit.text() if method.needs_tracking else "",
        )

    def accept(self) -> None:
        ctx, ids = self.ctx, [n.reminder_id for n in self.notices]
        Op(
            self,
            ctx.tasks,
            lambda chosen: reminders.record_delivery(ctx.db, ctx.actor, ids, chosen),
            given=self.chosen,
            title="登记送达",
        ).success(self._recorded).run()

    def _recorded(self, recorded: int) -> None:
        self.recorded = recorded
        super().accept()
