"""退款: 预存 paid back, or a deposit returned less itemised deductions (one taken
here, or one the old system held when the office moved: 数据导入)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTableWidgetItem, QWidget

from frontdesk.domain.fees import COUNTER_METHODS, PayMethod
from frontdesk.domain.money import MoneyFormatError, format_yuan, parse_yuan
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_refund_dialog_ui import Ui_RefundDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.widgets.tables import set_headers
from frontdesk.services.fees import refunds
from frontdesk.services.fees.account import household_account
from frontdesk.services.fees.refunds import DeductionInput, PostedRefund, RefundRequest

DEPOSIT_REASON = "装修验收合格，退还押金"
BILL, OPENING = "bill:", "opening:"


class RefundDialog(QDialog):
    def __init__(
        self, ctx: AppContext, room_id: int, room_code: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.room_id = ctx, room_id
        self.posted: PostedRefund | None = None
        self.ui = ui = Ui_RefundDialog()
        ui.setupUi(self)
        ui.amountEdit.field = "退款金额"
        account = household_account(ctx.db, ctx.actor, room_id)
        ui.roomLabel.setText(f"{room_code}　预存余额 ¥{format_yuan(account.prepaid_fen)}")
        ui.kindCombo.addItem("退预存款", None)
        # Keyed "bill:<id>" (taken here) or "opening:<id>" (the old system's).
        self.held = {f"{BILL}{d.bill_id}": d.held_fen for d in account.deposits}
        self.held |= {f"{OPENING}{d.deposit_id}": d.held_fen for d in account.opening_deposits}
        names = [f"退{d.fee_item}" for d in account.deposits]
        names += [f"退{d.label}" for d in account.opening_deposits]
        for (key, held), name in zip(self.held.items(), names, strict=True):
            ui.kindCombo.addItem(f"{name}（可退 ¥{format_yuan(held)}）", key)
        for method in COUNTER_METHODS:
            ui.methodCombo.addItem(method.label, method)
        ui.methodCombo.currentIndexChanged.connect(lambda _i: self._method_changed())
        self.fields: dict[str, QWidget] = {
            "领款人": ui.payeeEdit,
            "户名": ui.accountNameEdit,
            "开户行": ui.bankEdit,
            "账号": ui.accountNoEdit,
            "退款原因": ui.reasonEdit,
            "退款金额": ui.amountEdit,
        }
        set_headers(ui.deductionsTable, ("扣款金额（元）", "原因"))
        ui.kindCombo.currentIndexChanged.connect(self._kind_changed)
        ui.addDeductionButton.clicked.connect(self._add_row)
        ui.removeDeductionButton.clicked.connect(
            lambda: ui.deductionsTable.removeRow(ui.deductionsTable.currentRow())
        )
        ui.deductionsTable.itemChanged.connect(lambda _i: self._show_net())
        ui.buttons.accepted.connect(self.accept)
        ui.buttons.rejected.connect(self.reject)
        self._kind_changed()
        self._method_changed()

    def _method_changed(self) -> None:
        """户名, 开户行 and 账号 are asked for a transfer only (and then required)."""
        transfer = self.ui.methodCombo.currentData() == PayMethod.TRANSFER
        ui = self.ui
        for caption, edit in (
            (ui.accountNameCaption, ui.accountNameEdit),
            (ui.bankCaption, ui.bankEdit),
            (ui.accountNoCaption, ui.accountNoEdit),
        ):
            caption.setVisible(transfer)
            edit.setVisible(transfer)
        if transfer and not ui.accountNameEdit.text():
            ui.accountNameEdit.setText(ui.payeeEdit.text().strip())

    def _deposit(self) -> str | None:
        """The deposit chosen (its key in `held`), None for 预存."""
        data = self.ui.kindCombo.currentData()
        return str(data) if data is not None else None

    def _deposit_id(self, prefix: str) -> int | None:
        key = self._deposit()
        return int(key.removeprefix(prefix)) if key and key.startswith(prefix) else None

    def _kind_changed(self) -> None:
        deposit = self._deposit()
        ui = self.ui
        ui.amountEdit.setEnabled(deposit is None)
        for widget in (ui.deductionsTable, ui.addDeductionButton, ui.removeDeductionButton):
            widget.setEnabled(deposit is not None)
        if deposit is not None:
            ui.amountEdit.set_fen(self.held[deposit])
            ui.reasonEdit.setText(DEPOSIT_REASON)
        else:
            ui.amountEdit.clear()
            if ui.reasonEdit.text() == DEPOSIT_REASON:
                ui.reasonEdit.clear()
            ui.deductionsTable.setRowCount(0)
        self._show_net()

    def _add_row(self) -> None:
        table = self.ui.deductionsTable
        table.insertRow(table.rowCount())
        table.setItem(table.rowCount() - 1, 0, QTableWidgetItem(""))
        table.setItem(table.rowCount() - 1, 1, QTableWidgetItem(""))
        table.setCurrentCell(table.rowCount() - 1, 0)

    def deductions(self) -> tuple[DeductionInput, ...]:
        found = []
        table = self.ui.deductionsTable
        for row in range(table.rowCount()):
            amount = (cell(table, row, 0).text() if table.item(row, 0) else "").strip()
            reason = cell(table, row, 1).text() if table.item(row, 1) else ""
            if not amount and not reason.strip():
                continue
            try:
                fen = parse_yuan(amount)
            except MoneyFormatError as exc:
                raise ValidationError(
                    f"第 {row + 1} 项扣款金额", f"“{amount[:20]}”{exc.problem}"
                ) from None
            found.append(DeductionInput(fen, reason))
        return tuple(found)

    def _show_net(self) -> None:
        deposit = self._deposit()
        if deposit is None:
            self.ui.netLabel.setText("")
            return
        try:
            deducted = sum(d.amount_fen for d in self.deductions())
        except ValidationError as exc:
            self.ui.netLabel.setText(exc.message)
            return
        self.ui.netLabel.setText(f"实退 ¥{format_yuan(self.held[deposit] - deducted)}")

    def accept(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda request: refunds.post_refund(ctx.db, ctx.actor, request),
            given=self.request,
            title="退款未完成",
        ).fields(self.fields).success(self._posted).run()

    def request(self) -> RefundRequest:
        ui = self.ui
        deposit = self._deposit()
        return RefundRequest(
            room_id=self.room_id,
            method=PayMethod(ui.methodCombo.currentData()),
            reason=ui.reasonEdit.text(),
            payee=ui.payeeEdit.text(),
            amount_fen=ui.amountEdit.fen() if deposit is None else 0,
            deposit_bill_id=self._deposit_id(BILL),
            opening_deposit_id=self._deposit_id(OPENING),
            deductions=self.deductions() if deposit is not None else (),
            account_name=ui.accountNameEdit.text(),
            bank=ui.bankEdit.text(),
            account_no=ui.accountNoEdit.text(),
        )

    def _posted(self, posted: PostedRefund) -> None:
        self.posted = posted
        super().accept()
