"""收款: open a room, see its open bills oldest first (all ticked), pay all or some,
months ahead or into 预存, with one or several methods; F9 posts and prints.

Keyboard flow (Enter walks the form): Ctrl+3 puts the cursor in the room field; type
the room, a name, its pinyin or a phone tail, Enter; type the cash handed over,
Enter posts. Another method first: Alt+2 (微信) … type its amount, Enter goes on to
实收现金 while cash is still due (and posts when nothing is). Bills: 收至(Alt+M)
picks a month with the arrow keys; in the table Space ticks or unticks a bill,
Shift+Space or Shift+click a range, Enter goes on to 实收现金.

The cash field fills itself with whatever the other methods leave unpaid, so a post
whose cash the cashier never typed asks first, naming the amount. After a payment
the room shows again neutral: its remaining bills unticked, nothing due, until the
cashier chooses (Enter in the room field ticks them all again).

The payment being typed lives in a CounterDraft (counter_model, no Qt): this tab
draws it and forwards every edit to it.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QTableWidgetItem,
    QWidget,
)

from frontdesk import printouts
from frontdesk.domain.fees import Paper, PayMethod
from frontdesk.domain.issued import Printout
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, UserError, ValidationError
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_counter_tab_ui import Ui_CounterTab
from frontdesk.gui.messages import show_error
from frontdesk.gui.printing import PrintKind
from frontdesk.gui.screens.cashier.counter_model import (
    CASH,
    OTHER_METHODS,
    PREPAID_IN,
    TENDERED,
    CounterDraft,
)
from frontdesk.gui.widgets.colours import GREEN, RED
from frontdesk.gui.widgets.money_edit import MoneyEdit
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import CounterView, PaymentRequest
from frontdesk.services.households import structure

COLUMNS = ("收", "项目", "期间", "说明", "应收", "已收/减免", "尚欠", "本次收", "减免")
PAY_COLUMN, REDUCE_COLUMN = 7, 8
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
SHIFT_CLICK = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
)


def confirm_cash(parent: QWidget, cash_fen: int) -> bool:
    """Asked before posting cash that the cashier never typed (the program filled it
    in); 取消 is the default, so a stray Enter or F9 takes nothing."""
    amount = format_yuan(cash_fen)
    text = f"确认已收到现金 ¥{amount}？\n（现金按应收余额自动补足，没有输入实收现金）"
    box = QMessageBox(QMessageBox.Icon.Question, "确认收取现金", text, parent=parent)
    take = box.addButton(f"收取现金 ¥{amount}(&Y)", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is take


def send_receipt(
    parent: QWidget, ctx: AppContext, printout: Printout, paper: Paper | None, preview: bool
) -> None:
    """The receipt (rendered on `paper`) straight to this PC's receipt printer, or in the
    preview; printing or saving it logs the print (the next is 补打)."""
    number = printout.issue.reference
    printing.send(
        ctx,
        printout,
        parent,
        PrintKind.RECEIPT,
        after_output=lambda: printouts.log_receipt_print(ctx.db, ctx.actor, number, paper),
        preview=preview,
    )


class CounterTab(QWidget):
    """Signals: posted(receipt_no)."""

    posted = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_CounterTab()
        ui.setupUi(self)
        self.draft = CounterDraft()
        self.preview_receipts = True  # tests switch the modal preview off
        self.last_pdf: bytes | None = None
        self.last_receipt_no: str | None = None
        self.neutral = False  # the room shown again after a payment, nothing chosen
        self._filling = False
        self.amount_edits: dict[str, MoneyEdit] = {
            PREPAID_IN: ui.prepaidEdit,
            CASH: ui.cashEdit,
            TENDERED: ui.tenderedEdit,
            PayMethod.WECHAT.label: ui.wechatEdit,
            PayMethod.ALIPAY.label: ui.alipayEdit,
            PayMethod.CARD.label: ui.cardEdit,
            PayMethod.TRANSFER.label: ui.transferEdit,
            PayMethod.PREPAID.label: ui.prepaidDrawEdit,
        }
        for field, edit in self.amount_edits.items():
            edit.field = field
            # textEdited (the clerk typed) comes before textChanged (any change, a
            # program's too): the draft takes the text from either.
            edit.textChanged.connect(lambda text, f=field: self.draft.type_amount(f, text))
            edit.textEdited.connect(lambda text, f=field: self._amount_typed(f, text))
        for method in OTHER_METHODS:  # Enter walks on to 实收现金 (or posts: no cash due)
            self.amount_edits[method.label].returnPressed.connect(self._method_entered)
        ui.prepaidEdit.returnPressed.connect(self._method_entered)
        table = ui.billsTable
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.itemChanged.connect(self._bill_changed)
        table.installEventFilter(self)
        table.viewport().installEventFilter(self)
        ui.throughCombo.currentIndexChanged.connect(self._through_chosen)
        ui.throughCombo.installEventFilter(self)
        self.room = RoomPicker.in_place_of(ctx, ui.roomEdit)
        ui.roomEdit = self.room  # the form's name for the room field stays true
        QWidget.setTabOrder(self.room, table)
        self.room.room_chosen.connect(self.open_room)
        self.room.nothing_found.connect(self._open_room_code)
        self.room.returnPressed.connect(self._room_entered)  # after the picker's own pick
        ui.openButton.clicked.connect(self.open_typed_room)
        ui.advanceSpin.valueChanged.connect(self._advance_changed)
        # Enter in 现金 or 实收现金 posts (asking first when the cashier typed no cash).
        ui.tenderedEdit.returnPressed.connect(self.post)
        ui.cashEdit.returnPressed.connect(self.post)
        ui.postButton.clicked.connect(self.post)
        ui.reduceButton.clicked.connect(self.reduce_selected)
        ui.reduceButton.setVisible(ctx.can(Permission.GRANT_REDUCTIONS))
        ui.refundButton.clicked.connect(self.refund)
        ui.chargeButton.clicked.connect(self.charge)
        ui.chargeButton.setVisible(ctx.can(Permission.TAKE_PAYMENTS))
        ui.refundButton.setVisible(ctx.can(Permission.ISSUE_REFUNDS))
        QShortcut(QKeySequence(Qt.Key.Key_F9), self).activated.connect(self.post)
        printing.add_preview_key(self, self.preview_last_receipt)
        may_take = ctx.can(Permission.TAKE_PAYMENTS)
        ui.postButton.setEnabled(may_take)
        if not may_take:
            ui.postButton.setToolTip("当前角色只能查看账单，不能收款")
        self._clear()

    @property
    def view(self) -> CounterView | None:
        """The room open at the counter, as the service gave it."""
        return self.draft.view

    def focus_first_field(self) -> None:
        """The room field, its text selected (Ctrl+3 lands here)."""
        self.room.setFocus()
        self.room.selectAll()

    # opening a room ---------------------------------------------------------
    def _room_entered(self) -> None:
        """Enter in the room field: a room shown neutral after a payment is chosen again
        (its bills all ticked); a room already chosen walks on to the payment."""
        view = self.draft.view
        if view is None or self.room.room_id != view.room_id:
            return
        if self.neutral:
            self.open_room(view.room_id)
        else:
            self._focus_tendered()

    def open_typed_room(self) -> None:
        """打开: the room shown again, or the best household for what is typed."""
        if self.room.room_id is not None:
            self.open_room(self.room.room_id)
        else:
            self.room.choose_first()

    def _open_room_code(self, text: str) -> None:
        """No household matches: a full room code may still name a room (a shop, an
        unsold flat); otherwise say what is wrong with it."""
        try:
            room_id = structure.find_room_id(self.ctx.db, self.ctx.actor, text)
        except FrontDeskError as exc:
            show_error(self, exc, "打开房屋")
            return
        self.open_room(room_id)

    def open_room(self, room_id: int, *, neutral: bool = False) -> None:
        """Show a room's open bills: chosen by the cashier, all ticked and the cursor in
        实收现金; `neutral` (shown again after a payment), none ticked and the cursor
        left in the room field."""
        try:
            view = payments.counter_view(self.ctx.db, self.ctx.actor, room_id)
        except FrontDeskError as exc:
            show_error(self, exc, "打开房屋")
            return
        self.draft.open(view, choose_all=not neutral)
        self.neutral = neutral
        self.room.show_room(view.room_id, view.room_code)
        self._reset_inputs()
        self.ui.payerEdit.setText(view.owners[0] if view.owners else "")
        self._fill_bills()
        self._show_room_info(view)
        self._recalculate()
        if neutral:
            self.focus_first_field()
        else:
            self._focus_tendered()

    def _show_room_info(self, view: CounterView) -> None:
        through = view.paid_through.label if view.paid_through else "—"
        owing = sum(b.outstanding_fen for b in view.open_bills)
        parts = [
            f"<b>{view.room_code}</b>",
            f"已缴至：{through}",
            f"欠费：<span style='color:{RED}'>{format_yuan(owing)}</span> 元"
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

    def _fill_bills(self) -> None:
        table = self.ui.billsTable
        self._filling = True
        table.setRowCount(len(self.draft.bills))
        combo = self.ui.throughCombo
        combo.blockSignals(True)
        combo.clear()
        for month in self.draft.months():
            combo.addItem(self.draft.through_text(month), str(month))
        combo.blockSignals(False)
        for row, line in enumerate(self.draft.bills):
            bill = line.bill
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setData(Qt.ItemDataRole.UserRole, bill.bill_id)
            table.setItem(row, 0, tick)
            cells = (
                bill.fee_item,
                bill.period_label,
                " ".join(filter(None, [bill.description, bill.rule_reduction_reason])),
                format_yuan(bill.due_fen),
                format_yuan(bill.paid_fen + bill.reduced_fen),
                format_yuan(bill.outstanding_fen),
                "",
                "",
            )
            for column, text in enumerate(cells, 1):
                item = QTableWidgetItem(text)
                if column != PAY_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if column >= 4:
                    item.setTextAlignment(RIGHT)
                table.setItem(row, column, item)
        self._draw_bills()
        self._filling = False

    def _draw_bills(self) -> None:
        """Every bill's tick, 本次收 and 减免, and the month 收至 shows for them."""
        for row in range(len(self.draft.bills)):
            self._draw_bill(row)
        through = self.draft.through_month()
        combo = self.ui.throughCombo
        combo.blockSignals(True)
        combo.setCurrentIndex(combo.findData(str(through)) if through else -1)
        combo.blockSignals(False)

    def _draw_bill(self, row: int) -> None:
        """The draft's tick, 本次收 and 减免 of one bill (the other cells never change)."""
        line, table = self.draft.bills[row], self.ui.billsTable
        filling, self._filling = self._filling, True
        checked = Qt.CheckState.Checked if line.chosen else Qt.CheckState.Unchecked
        tick, pay, reduce = (table.item(row, c) for c in (0, PAY_COLUMN, REDUCE_COLUMN))
        assert tick is not None and pay is not None and reduce is not None
        tick.setCheckState(checked)
        pay.setText(line.shown_pay_text)
        reduce.setText(self.draft.reduction_text(row))
        self._filling = filling

    def _bill_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row = item.row()
        if item.column() == 0:
            self.draft.set_chosen(row, item.checkState() == Qt.CheckState.Checked)
        elif item.column() == PAY_COLUMN:
            self.draft.set_pay_text(row, item.text())
        else:
            return
        self._bills_chosen()

    def _bills_chosen(self) -> None:
        """The ticks changed: the cashier has chosen, whatever the room showed before."""
        self.neutral = False
        self._draw_bills()
        self._recalculate()

    def toggle_bill(self, row: int) -> None:
        """Space: tick or untick the bill."""
        if 0 <= row < len(self.draft.bills):
            self.draft.toggle(row)
            self._bills_chosen()

    def tick_range(self, row: int) -> None:
        """Shift+Space or Shift+click: the bills from the last one ticked or unticked to
        this one take its state."""
        if 0 <= row < len(self.draft.bills):
            self.draft.set_range(row)
            self._bills_chosen()

    def _through_chosen(self, index: int) -> None:
        """收至某月: the bills up to and including the month chosen, none after it."""
        month = self.ui.throughCombo.itemData(index)
        if month is None:
            return
        self.draft.pay_through(Period.parse(month))
        self._bills_chosen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        table = self.ui.billsTable
        if event.type() == QEvent.Type.KeyPress and watched in (table, self.ui.throughCombo):
            key = cast(QKeyEvent, event)
            if key.key() in ENTER_KEYS:
                self._focus_tendered()
                return True
            if watched is table and key.key() == Qt.Key.Key_Space:
                shift = bool(key.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                row = table.currentRow()
                if shift:
                    self.tick_range(row)
                else:
                    self.toggle_bill(row)
                return True
        elif watched is table.viewport() and event.type() in SHIFT_CLICK:
            mouse = cast(QMouseEvent, event)
            if mouse.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                row = table.rowAt(mouse.position().toPoint().y())
                if event.type() == QEvent.Type.MouseButtonPress and row >= 0:
                    table.setCurrentCell(row, 0)
                    self.tick_range(row)
                return True  # nor does the tick's own click toggle it
        return super().eventFilter(watched, event)

    # totals --------------------------------------------------------------
    def allocations(self) -> list[tuple[int, int]]:
        """(bill_id, fen) of the ticked bills, as typed in 本次收."""
        return self.draft.allocations()

    def due_fen(self) -> int:
        return self.draft.due_fen()

    def _amount_typed(self, field: str, text: str) -> None:
        self.neutral = False  # the cashier is putting a payment together
        self.draft.type_amount(field, text, by_hand=True)
        if field in (CASH, TENDERED):
            self.ui.changeLabel.setText(self.draft.change_text())
        else:
            self._recalculate()

    def _recalculate(self) -> None:
        """Cash takes whatever the other methods leave of the amount due."""
        self.ui.dueLabel.setText(self.draft.recalculate())
        self.ui.cashEdit.setText(self.draft.amounts[CASH])
        self.ui.changeLabel.setText(self.draft.change_text())

    def _advance_changed(self, months: int) -> None:
        self.draft.set_advance(months)
        self.ui.advanceLabel.setText("")
        view = self.draft.view
        if view is None or months == 0:
            self._recalculate()
            return
        try:
            lines = payments.advance_quote(self.ctx.db, self.ctx.actor, view.room_id, months)
        except FrontDeskError as exc:
            show_error(self, exc, "预交")
            return
        self.draft.set_advance(months, lines)
        self.ui.advanceLabel.setText(self.draft.advance_text())
        self.neutral = False
        self._recalculate()

    # reductions ----------------------------------------------------------
    def reduce_selected(self) -> None:
        row = self.ui.billsTable.currentRow()
        if row < 0:
            show_error(self, ValidationError("减免", "请先选中要减免的账单"))
            return
        amount, ok = QInputDialog.getText(self, "减免", "减免金额（元）：")
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "减免", "减免原因（必填）：")
        if not ok:
            return
        self.set_reduction(row, amount, reason)

    def set_reduction(self, row: int, amount: str, reason: str) -> None:
        try:
            self.draft.set_reduction(row, amount, reason)
        except ValidationError as exc:
            show_error(self, exc)
            return
        self._bills_chosen()

    # posting -------------------------------------------------------------
    def request(self) -> PaymentRequest:
        ui = self.ui
        return self.draft.to_request(
            payer=ui.payerEdit.text(),
            note=ui.noteEdit.text(),
            form_number=ui.formEdit.text(),
            reference=ui.referenceEdit.text(),
        )

    def _focus_tendered(self) -> None:
        self.ui.tenderedEdit.setFocus()
        self.ui.tenderedEdit.selectAll()

    def _method_entered(self) -> None:
        """Enter in a method other than cash: on to 实收现金 while cash is still due;
        with nothing left for cash, post."""
        self._recalculate()
        if self.draft.amounts[CASH].strip():
            self._focus_tendered()
        else:
            self.post()

    def post(self) -> None:
        """Post the payment; cash the cashier never typed is confirmed first."""
        if self.view is None:
            self.ui.roomEdit.setFocus()
            return
        if not self.ctx.can(Permission.TAKE_PAYMENTS):
            return
        try:
            request = self.request()
        except ValidationError as exc:
            show_error(self, exc, "收款未完成")
            return
        cash = self.draft.unconfirmed_cash_fen()
        if cash and not confirm_cash(self, cash):
            self._focus_tendered()
            return
        try:
            posted = payments.post_payment(self.ctx.db, self.ctx.actor, request)
        except FrontDeskError as exc:
            show_error(self, exc, "收款未完成")
            if isinstance(exc, UserError) and not isinstance(exc, ValidationError):
                # another counter changed the bills: shown afresh, for the cashier to choose
                self.open_room(self.view.room_id, neutral=True)
            return
        self._after_post(posted)

    def _after_post(self, posted: payments.PostedPayment) -> None:
        room_id = self.view.room_id if self.view else None
        change = f"，找零 ¥{format_yuan(posted.change_fen)}" if posted.change_fen else ""
        message = f"已收款 ¥{format_yuan(posted.total_fen)}{change}，收据 {posted.receipt_no}"
        self.posted.emit(posted.receipt_no)
        self.print_receipt(posted.receipt_no)
        if room_id is not None:
            # Neutral: what is left is shown unticked, nothing due, nothing in 现金.
            self.open_room(room_id, neutral=True)
        if self.draft.bills:
            message += "；回车再收本户其余账单"
        self.ui.roomInfo.setText(
            f"<b style='color:{GREEN}'>{message}</b>　　{self.ui.roomInfo.text()}"
        )
        self.focus_first_field()

    def print_receipt(self, number: str, *, preview: bool = False) -> None:
        """Print the receipt (straight to the printer when this PC says so) or preview it."""
        paper = printing.receipt_paper()
        try:
            printout = printouts.receipt(self.ctx.db, self.ctx.actor, number, paper)
        except FrontDeskError as exc:
            show_error(self, exc, "打印收据")
            return
        self.last_pdf = printout.pdf
        self.last_receipt_no = number
        if self.preview_receipts:
            send_receipt(self, self.ctx, printout, paper, preview)

    def preview_last_receipt(self) -> None:
        """The receipt just posted in the preview (补打 once it has been printed)."""
        if self.last_receipt_no is not None:
            self.print_receipt(self.last_receipt_no, preview=True)

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
            self.open_room(self.view.room_id, neutral=True)

    # state ---------------------------------------------------------------
    def _reset_inputs(self) -> None:
        ui = self.ui
        for edit in (
            *self.amount_edits.values(),
            ui.payerEdit,
            ui.noteEdit,
            ui.formEdit,
            ui.referenceEdit,
        ):
            edit.clear()
        ui.advanceSpin.blockSignals(True)
        ui.advanceSpin.setValue(0)
        ui.advanceSpin.blockSignals(False)
        ui.advanceLabel.setText("")
        ui.changeLabel.setText("")

    def _clear(self) -> None:
        self.ui.roomInfo.setText(
            "输入房号、姓名、拼音或电话尾号后回车，或在“楼栋收费状况”中点选房屋。"
        )
        self.ui.dueLabel.setText("")
        self.ui.billsTable.setRowCount(0)
