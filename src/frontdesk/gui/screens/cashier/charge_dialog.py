"""临时收费: a one-off charge or a deposit added to the room's bills, then paid as usual."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from frontdesk.domain.fees import FeeMethod
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_charge_dialog_ui import Ui_ChargeDialog
from frontdesk.gui.ops import Op, report_error
from frontdesk.services.fees import charges
from frontdesk.services.fees import items as fees


class ChargeDialog(QDialog):
    def __init__(
        self, ctx: AppContext, room_id: int, room_code: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.room_id = ctx, room_id
        self.bill_id: int | None = None
        self.ui = ui = Ui_ChargeDialog()
        ui.setupUi(self)
        ui.amountEdit.field = "金额"
        ui.roomLabel.setText(room_code)
        for item in fees.list_fee_items(ctx.db, active_only=True):
            if item.method in (FeeMethod.ONE_OFF, FeeMethod.DEPOSIT):
                ui.itemCombo.addItem(item.name, item.id)
        ui.itemCombo.currentIndexChanged.connect(lambda _i: self._quote())
        ui.quantitySpin.valueChanged.connect(lambda _v: self._quote())
        ui.buttons.accepted.connect(self.accept)
        ui.buttons.rejected.connect(self.reject)
        self._quote()

    def _quote(self) -> None:
        ui = self.ui
        if ui.itemCombo.currentData() is None:
            ui.hintLabel.setText("没有一次性收费项目，请主管在“收费标准”中添加。")
            return
        try:
            quote = charges.quote_charge(
                self.ctx.db,
                self.ctx.actor,
                self.room_id,
                int(ui.itemCombo.currentData()),
                ui.quantitySpin.value(),
                amount_fen=1,
            )
        except FrontDeskError as exc:
            ui.hintLabel.setText(exc.message)
            return
        priced = quote.unit_price is not None
        ui.amountEdit.setReadOnly(priced)
        if priced:
            ui.amountEdit.set_fen(quote.amount_fen)
            ui.hintLabel.setText("按收费标准计算；加入后在收款页与其他账单一起收取。")
        else:
            ui.amountEdit.clear()
            ui.hintLabel.setText("该项目没有收费标准，请按实际填写金额。")

    def accept(self) -> None:
        ui = self.ui
        if ui.itemCombo.currentData() is None:
            report_error(self, ValidationError("收费项目", "请选择收费项目"), "临时收费")
            return
        ctx, room_id, item_id = self.ctx, self.room_id, int(ui.itemCombo.currentData())
        quantity, note = ui.quantitySpin.value(), ui.noteEdit.text()
        Op(
            self,
            ctx.tasks,
            lambda amount: charges.add_charge(
                ctx.db, ctx.actor, room_id, item_id, quantity, amount_fen=amount or None, note=note
            ),
            given=ui.amountEdit.fen,
            title="临时收费",
        ).fields({"金额": ui.amountEdit}).success(self._added).run()

    def _added(self, bill_id: int) -> None:
        self.bill_id = bill_id
        super().accept()
