"""收款: open a room, see its open bills oldest first (all ticked), pay all or some,
months ahead or into 预存, with one or several methods; F9 posts and prints.

Keyboard flow: type the room, Enter; type the cash handed over, Enter posts.
The cash field fills itself with whatever the other methods leave unpaid.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QTableWidgetItem,
    QWidget,
)

from frontdesk import printouts
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.issued import Printout
from frontdesk.domain.money import MoneyFormatError, format_yuan, parse_yuan
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, UserError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_counter_tab_ui import Ui_CounterTab
from frontdesk.gui.messages import show_error
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.services.fees import payments
from frontdesk.services.fees.ledger import BillLine
from frontdesk.services.fees.payments import (
    CounterView,
    PaymentRequest,
    ReductionInput,
    TenderInput,
)
from frontdesk.services.households import structure

COLUMNS = ("收", "项目", "期间", "说明", "应收", "已收/减免", "尚欠", "本次收", "减免")
PAY_COLUMN, REDUCE_COLUMN = 7, 8
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def money_field(edit: QLineEdit, label: str) -> int:
    """Fen typed in a field ('' is zero); a bad amount names the field."""
    text = edit.text().strip()
    if not text:
        return 0
    try:
        fen = parse_yuan(text)
    except MoneyFormatError as exc:
        raise ValidationError(label, f"“{text[:20]}”{exc.problem}") from None
    if fen < 0:
        raise ValidationError(label, "不能为负数")
    return fen


@dataclass
class Reduction:
    amount_fen: int
    reason: str


def preview_receipt(parent: QWidget, ctx: AppContext, printout: Printout) -> None:
    """The receipt in the preview; printing or saving it logs the print (the next is 补打)."""
    number = printout.issue.reference
    show_printout(
        ctx,
        printout,
        parent,
        after_output=lambda: printouts.log_receipt_print(ctx.db, ctx.actor, number),
    )


class CounterTab(QWidget):
    """Signals: posted(receipt_no)."""

    posted = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_CounterTab()
        ui.setupUi(self)
        self.view: CounterView | None = None
        self.reductions: dict[int, Reduction] = {}
        self.advance_fen = 0
        self.preview_receipts = True  # tests switch the modal preview off
        self.last_pdf: bytes | None = None
        self._filling = False
        self.methods: dict[PayMethod, tuple[QLineEdit, str]] = {
            PayMethod.WECHAT: (ui.wechatEdit, "微信"),
            PayMethod.ALIPAY: (ui.alipayEdit, "支付宝"),
            PayMethod.CARD: (ui.cardEdit, "银行卡"),
            PayMethod.TRANSFER: (ui.transferEdit, "转账"),
            PayMethod.PREPAID: (ui.prepaidDrawEdit, "预存抵扣"),
        }
        table = ui.billsTable
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.itemChanged.connect(self._bill_changed)
        ui.roomEdit.returnPressed.connect(self.open_typed_room)
        ui.openButton.clicked.connect(self.open_typed_room)
        ui.advanceSpin.valueChanged.connect(self._advance_changed)
        ui.prepaidEdit.textEdited.connect(lambda _t: self._recalculate())
        for edit, _label in self.methods.values():
            edit.textEdited.connect(lambda _t: self._recalculate())
        ui.cashEdit.textEdited.connect(lambda _t: self._show_change())
        ui.tenderedEdit.textEdited.connect(lambda _t: self._show_change())
        ui.tenderedEdit.returnPressed.connect(self._tendered_entered)
        ui.cashEdit.returnPressed.connect(self._tendered_entered)
        ui.postButton.clicked.connect(self.post)
        ui.reduceButton.clicked.connect(self.reduce_selected)
        ui.reduceButton.setVisible(ctx.can(Permission.GRANT_REDUCTIONS))
        ui.refundButton.clicked.connect(self.refund)
        ui.chargeButton.clicked.connect(self.charge)
        ui.chargeButton.setVisible(ctx.can(Permission.TAKE_PAYMENTS))
        ui.refundButton.setVisible(ctx.can(Permission.ISSUE_REFUNDS))
        QShortcut(QKeySequence(Qt.Key.Key_F9), self).activated.connect(self.post)
        may_take = ctx.can(Permission.TAKE_PAYMENTS)
        ui.postButton.setEnabled(may_take)
        if not may_take:
            ui.postButton.setToolTip("当前角色只能查看账单，不能收款")
        self._clear()

    # opening a room ---------------------------------------------------------
    def open_typed_room(self) -> None:
        text = self.ui.roomEdit.text().strip()
        if not text:
            return
        try:
            room_id = structure.find_room_id(self.ctx.db, self.ctx.actor, text)
        except FrontDeskError as exc:
            show_error(self, exc, "打开房屋")
            return
        self.open_room(room_id)

    def open_room(self, room_id: int) -> None:
        try:
            self.view = payments.counter_view(self.ctx.db, self.ctx.actor, room_id)
        except FrontDeskError as exc:
            show_error(self, exc, "打开房屋")
            return
        self.reductions.clear()
        self.ui.roomEdit.setText(self.view.room_code)
        self._reset_inputs()
        self.ui.payerEdit.setText(self.view.owners[0] if self.view.owners else "")
        self._fill_bills(self.view.open_bills)
        self._show_room_info()
        self._recalculate()
        self.ui.tenderedEdit.setFocus()

    def _show_room_info(self) -> None:
        view = self.view
        assert view is not None
        through = view.paid_through.label if view.paid_through else "—"
        owing = sum(b.outstanding_fen for b in view.open_bills)
        parts = [
            f"<b>{view.room_code}</b>",
            f"已缴至：{through}",
            f"欠费：<span style='color:#b3261e'>{format_yuan(owing)}</span> 元"
            if owing
            else "无欠费",
            f"预存余额：{format_yuan(view.prepaid_fen)} 元",
            f"下次应缴：{view.next_period.label}",
        ]
        self.ui.roomInfo.setText("　　".join(parts))
        self.ui.prepaidDrawEdit.setPlaceholderText(
            f"可用 {format_yuan(view.prepaid_fen)}" if view.prepaid_fen else "无预存"
        )
        self.ui.prepaidDrawEdit.setEnabled(view.prepaid_fen > 0)

    def _fill_bills(self, bills: list[BillLine]) -> None:
        table = self.ui.billsTable
        self._filling = True
        table.setRowCount(len(bills))
        for row, bill in enumerate(bills):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Checked)
            tick.setData(Qt.ItemDataRole.UserRole, bill.bill_id)
            table.setItem(row, 0, tick)
            cells = (
                bill.fee_item,
                bill.period_label,
                " ".join(filter(None, [bill.description, bill.rule_reduction_reason])),
                format_yuan(bill.due_fen),
                format_yuan(bill.paid_fen + bill.reduced_fen),
                format_yuan(bill.outstanding_fen),
                format_yuan(bill.outstanding_fen),
                "",
            )
            for column, text in enumerate(cells, 1):
                item = QTableWidgetItem(text)
                if column != PAY_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column >= 4:
                    item.setTextAlignment(RIGHT)
                table.setItem(row, column, item)
        self._filling = False

    def _bill_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() not in (0, PAY_COLUMN):
            return
        if item.column() == 0 and item.checkState() != Qt.CheckState.Checked:
            self._drop_reduction(item.row())
        self._recalculate()

    def _drop_reduction(self, row: int) -> None:
        bill_id = int(self.ui.billsTable.item(row, 0).data(Qt.ItemDataRole.UserRole))
        if self.reductions.pop(bill_id, None) is not None:
            table = self.ui.billsTable
            self._filling = True
            table.item(row, REDUCE_COLUMN).setText("")
            table.item(row, PAY_COLUMN).setText(table.item(row, 6).text().replace(",", ""))
            self._filling = False

    # totals --------------------------------------------------------------
    def allocations(self) -> list[tuple[int, int]]:
        """(bill_id, fen) of the ticked bills, as typed in 本次收."""
        found = []
        table = self.ui.billsTable
        for row in range(table.rowCount()):
            tick = table.item(row, 0)
            if tick.checkState() != Qt.CheckState.Checked:
                continue
            bill_id = int(tick.data(Qt.ItemDataRole.UserRole))
            text = table.item(row, PAY_COLUMN).text().strip()
            what = f"{table.item(row, 2).text()}{table.item(row, 1).text()}本次收"
            try:
                fen = parse_yuan(text) if text else 0
            except MoneyFormatError as exc:
                raise ValidationError(what, f"“{text[:20]}”{exc.problem}") from None
            if fen > 0:
                found.append((bill_id, fen))
        return found

    def due_fen(self) -> int:
        return (
            sum(fen for _, fen in self.allocations())
            + self.advance_fen
            + money_field(self.ui.prepaidEdit, "存入预存")
        )

    def _recalculate(self) -> None:
        """Cash takes whatever the other methods leave of the amount due."""
        try:
            due = self.due_fen()
            others = sum(money_field(edit, label) for edit, label in self.methods.values())
        except ValidationError as exc:
            self.ui.dueLabel.setText(exc.message)
            return
        self.ui.dueLabel.setText(f"应收合计 ¥{format_yuan(due)}")
        cash = max(due - others, 0)
        self.ui.cashEdit.setText(format_yuan(cash, grouping=False) if cash else "")
        self._show_change()

    def _show_change(self) -> None:
        try:
            cash = money_field(self.ui.cashEdit, "现金")
            tendered = money_field(self.ui.tenderedEdit, "实收现金")
        except ValidationError:
            self.ui.changeLabel.setText("")
            return
        if tendered and tendered >= cash:
            self.ui.changeLabel.setText(f"找零 ¥{format_yuan(tendered - cash)}")
        elif tendered:
            self.ui.changeLabel.setText(f"还差 ¥{format_yuan(cash - tendered)}")
        else:
            self.ui.changeLabel.setText("")

    def _advance_changed(self, months: int) -> None:
        self.advance_fen = 0
        self.ui.advanceLabel.setText("")
        if self.view is None or months == 0:
            self._recalculate()
            return
        try:
            drafts = payments.advance_quote(self.ctx.db, self.ctx.actor, self.view.room_id, months)
        except FrontDeskError as exc:
            show_error(self, exc, "预交")
            return
        self.advance_fen = sum(d.due_fen for d in drafts)
        if drafts:
            first, last = drafts[0].period, drafts[-1].period
            self.ui.advanceLabel.setText(
                f"{first.label}至{last.label}，{len(drafts)} 笔，¥{format_yuan(self.advance_fen)}"
            )
        else:
            self.ui.advanceLabel.setText("没有可预交的月度费用")
        self._recalculate()

    # reductions ----------------------------------------------------------
    def reduce_selected(self) -> None:
        row = self.ui.billsTable.currentRow()
        if row < 0:
            show_error(self, ValidationError("减免", "请先选中要减免的账单"))
            return
        bill_id = int(self.ui.billsTable.item(row, 0).data(Qt.ItemDataRole.UserRole))
        amount, ok = QInputDialog.getText(self, "减免", "减免金额（元）：")
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "减免", "减免原因（必填）：")
        if not ok:
            return
        self.set_reduction(row, bill_id, amount, reason)

    def set_reduction(self, row: int, bill_id: int, amount: str, reason: str) -> None:
        try:
            fen = parse_yuan(amount)
        except MoneyFormatError as exc:
            show_error(self, ValidationError("减免金额", f"“{amount[:20]}”{exc.problem}"))
            return
        if not reason.strip():
            show_error(self, ValidationError("减免原因", "减免必须写明原因"))
            return
        self.ui.billsTable.item(row, 0).setCheckState(Qt.CheckState.Checked)
        self.reductions[bill_id] = Reduction(fen, reason.strip())
        table = self.ui.billsTable
        outstanding = parse_yuan(table.item(row, 6).text())
        self._filling = True
        table.item(row, PAY_COLUMN).setText(format_yuan(max(outstanding - fen, 0), grouping=False))
        table.item(row, REDUCE_COLUMN).setText(f"{format_yuan(fen)}（{reason.strip()}）")
        self._filling = False
        self._recalculate()

    # posting -------------------------------------------------------------
    def request(self) -> PaymentRequest:
        assert self.view is not None
        ui = self.ui
        cash = money_field(ui.cashEdit, "现金")
        tendered = money_field(ui.tenderedEdit, "实收现金") or None
        tenders = []
        if cash:
            tenders.append(TenderInput(PayMethod.CASH, cash, tendered))
        elif tendered:
            raise ValidationError("实收现金", "没有现金应收，不需要填写实收现金")
        reference = ui.referenceEdit.text()
        for method, (edit, label) in self.methods.items():
            fen = money_field(edit, label)
            if fen:
                tenders.append(TenderInput(method, fen, None, reference))
        return PaymentRequest(
            room_id=self.view.room_id,
            allocations=tuple(self.allocations()),
            tenders=tuple(tenders),
            reductions=tuple(
                ReductionInput(bill_id, r.amount_fen, r.reason)
                for bill_id, r in self.reductions.items()
            ),
            advance_months=ui.advanceSpin.value(),
            advance_total_fen=self.advance_fen,
            prepaid_fen=money_field(ui.prepaidEdit, "存入预存"),
            payer=ui.payerEdit.text(),
            note=ui.noteEdit.text(),
            form_number=ui.formEdit.text(),
        )

    def _tendered_entered(self) -> None:
        """Enter posts once the cash handed over is typed; on an empty field it first fills
        in the exact cash (a second Enter posts), so two stray Enters never take money."""
        ui = self.ui
        if ui.cashEdit.text().strip() and not ui.tenderedEdit.text().strip():
            ui.tenderedEdit.setText(ui.cashEdit.text())
            self._show_change()
            ui.tenderedEdit.setFocus()
            ui.tenderedEdit.selectAll()
            return
        self.post()

    def post(self) -> None:
        if self.view is None:
            self.ui.roomEdit.setFocus()
            return
        if not self.ctx.can(Permission.TAKE_PAYMENTS):
            return
        try:
            posted = payments.post_payment(self.ctx.db, self.ctx.actor, self.request())
        except FrontDeskError as exc:
            show_error(self, exc, "收款未完成")
            if isinstance(exc, UserError) and not isinstance(exc, ValidationError):
                self.open_room(self.view.room_id)  # another counter changed the bills
            return
        self._after_post(posted)

    def _after_post(self, posted: payments.PostedPayment) -> None:
        room_id = self.view.room_id if self.view else None
        change = f"，找零 ¥{format_yuan(posted.change_fen)}" if posted.change_fen else ""
        message = f"已收款 ¥{format_yuan(posted.total_fen)}{change}，收据 {posted.receipt_no}"
        self.posted.emit(posted.receipt_no)
        self.print_receipt(posted.receipt_no)
        if room_id is not None:
            self.open_room(room_id)
        self.ui.roomInfo.setText(
            f"<b style='color:#1b7f3b'>{message}</b>　　{self.ui.roomInfo.text()}"
        )
        self.ui.roomEdit.setFocus()
        self.ui.roomEdit.selectAll()

    def print_receipt(self, number: str) -> None:
        try:
            printout = printouts.receipt(self.ctx.db, self.ctx.actor, number)
        except FrontDeskError as exc:
            show_error(self, exc, "打印收据")
            return
        self.last_pdf = printout.pdf
        if self.preview_receipts:
            preview_receipt(self, self.ctx, printout)

    def charge(self) -> None:
        from frontdesk.gui.screens.cashier.charge_dialog import ChargeDialog

        if self.view is None:
            show_error(self, ValidationError("房号", "请先打开要收费的房屋"))
            return
        if ChargeDialog(self.ctx, self.view.room_id, self.view.room_code, self).exec():
            self.open_room(self.view.room_id)

    def refund(self) -> None:
        from frontdesk.gui.screens.cashier.refund_dialog import RefundDialog

        if self.view is None:
            show_error(self, ValidationError("房号", "请先打开要退款的房屋"))
            return
        dialog = RefundDialog(self.ctx, self.view.room_id, self.view.room_code, self)
        if dialog.exec() and dialog.posted is not None:
            self.print_receipt(dialog.posted.receipt_no)
            self.open_room(self.view.room_id)

    # state ---------------------------------------------------------------
    def _reset_inputs(self) -> None:
        ui = self.ui
        for edit in (
            ui.cashEdit,
            ui.tenderedEdit,
            ui.prepaidEdit,
            ui.payerEdit,
            ui.noteEdit,
            ui.formEdit,
            ui.referenceEdit,
            *(e for e, _ in self.methods.values()),
        ):
            edit.clear()
        ui.advanceSpin.blockSignals(True)
        ui.advanceSpin.setValue(0)
        ui.advanceSpin.blockSignals(False)
        self.advance_fen = 0
        ui.advanceLabel.setText("")
        ui.changeLabel.setText("")

    def _clear(self) -> None:
        self.ui.roomInfo.setText("输入房号后回车，或在“楼栋收费状况”中点选房屋。")
        self.ui.dueLabel.setText("")
        self.ui.billsTable.setRowCount(0)
