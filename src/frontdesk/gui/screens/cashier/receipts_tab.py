"""收据: the day's receipts; reprint (补打), void with a reason, record the 发票 the
finance office issued for one, and log a spoiled pre-printed form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QInputDialog, QWidget

from frontdesk import printouts
from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.fees import Paper
from frontdesk.domain.issued import Printout
from frontdesk.domain.money import format_yuan
from frontdesk.domain.roles import Permission
from frontdesk.errors import ValidationError
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_receipts_tab_ui import Ui_ReceiptsTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell, qdate
from frontdesk.gui.screens.cashier.counter_tab import send_receipt
from frontdesk.gui.widgets.tables import fill_rows, select_row, set_headers
from frontdesk.services.fees import receipts, voids
from frontdesk.services.fees.journal import JournalRow, receipt_journal
from frontdesk.services.fees.receipts import ReceiptView

COLUMNS = ("收据号", "时间", "房号", "交款人", "金额", "收款方式", "收款人", "状态")


def qdate_to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReceiptsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_ReceiptsTab()
        ui.setupUi(self)
        self.rows: list[JournalRow] = []
        self.preview_receipts = True
        self.last_pdf: bytes | None = None
        set_headers(ui.table, COLUMNS)
        ui.dayEdit.setDate(qdate(clock.today()))
        ui.dayEdit.dateChanged.connect(lambda _d: self.refresh())
        ui.numberEdit.returnPressed.connect(self.find_number)
        ui.reprintButton.clicked.connect(self.reprint)
        printing.add_preview_key(self, lambda: self.reprint(preview=True), ui.reprintButton)
        ui.voidButton.clicked.connect(self.void)
        ui.invoiceButton.clicked.connect(self.record_invoice)
        ui.spoiledButton.clicked.connect(self.record_spoiled)
        may_take = ctx.can(Permission.TAKE_PAYMENTS)
        for button in (ui.voidButton, ui.invoiceButton, ui.spoiledButton):
            button.setEnabled(may_take)

    def refresh(self, then: Callable[[], object] | None = None) -> None:
        """Read the day's receipts off the GUI thread, then `then()`."""
        day, ctx = qdate_to_date(self.ui.dayEdit.date()), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: receipt_journal(ctx.db, ctx.actor, day=day),
            title="收据",
        ).success(lambda rows: self._listed(rows, then)).run()

    def _listed(self, rows: list[JournalRow], then: Callable[[], object] | None) -> None:
        self.rows = rows
        self._show()
        if then is not None:
            then()

    def _show(self) -> None:
        fill_rows(
            self.ui.table,
            [
                (
                    r.number,
                    local_time(r.issued_at, seconds=False),
                    r.room.split("（")[0],
                    r.payer,
                    ("-" if r.is_refund else "") + format_yuan(r.total_fen),
                    r.methods,
                    r.cashier,
                    "退款" if r.is_refund else ("作废" if r.voided else "正常"),
                )
                for r in self.rows
            ],
        )
        for row, journal in enumerate(self.rows):
            if journal.voided:
                for column in range(self.ui.table.columnCount()):
                    cell(self.ui.table, row, column).setForeground(QBrush(QColor("#9aa5b1")))
            cell(self.ui.table, row, 4).setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        taken = sum(r.total_fen for r in self.rows if not r.voided and not r.is_refund)
        self.ui.countLabel.setText(f"共 {len(self.rows)} 张，有效收款 ¥{format_yuan(taken)}")

    def show_receipt(self, number: str) -> None:
        """The receipt `number` found as if typed (another screen asks by navigation)."""
        self.ui.numberEdit.setText(number)
        self.find_number()

    def find_number(self) -> None:
        text = self.ui.numberEdit.text().strip()
        if not text or self._select_number(text):
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: receipts.receipt_view(ctx.db, ctx.actor, text),
            title="查找收据",
        ).success(lambda view: self._found(view, text)).run()

    def _select_number(self, text: str) -> bool:
        for row, journal in enumerate(self.rows):
            if journal.number == text.upper():
                select_row(self.ui.table, row)
                return True
        return False

    def _found(self, view: ReceiptView, text: str) -> None:
        """Show the receipt's day, then select it there."""
        edit = self.ui.dayEdit
        edit.blockSignals(True)
        edit.setDate(qdate(view.issued_at.astimezone().date()))
        edit.blockSignals(False)
        self.refresh(then=lambda: self._select_number(text))

    def selected(self) -> JournalRow | None:
        row = self.ui.table.currentRow()
        if row < 0 or row >= len(self.rows):
            report_error(self, ValidationError("收据", "请先在列表中选中一张收据"))
            return None
        return self.rows[row]

    def reprint(self, *, preview: bool = False) -> None:
        """补打 the selected receipt: straight to the printer when this PC says so, else
        (or with `preview`, PREVIEW_KEY) in the preview."""
        journal = self.selected()
        if journal is None:
            return
        ctx, number, paper = self.ctx, journal.number, printing.receipt_paper()
        Op(
            self,
            ctx.tasks,
            lambda: printouts.receipt(ctx.db, ctx.actor, number, paper),
            title="补打收据",
        ).success(lambda printout: self._reprinted(printout, paper, preview)).run()

    def _reprinted(self, printout: Printout, paper: Paper | None, preview: bool) -> None:
        self.last_pdf = printout.pdf
        if self.preview_receipts:
            send_receipt(self, self.ctx, printout, paper, preview)

    def void(self) -> None:
        journal = self.selected()
        if journal is None:
            return
        reason, ok = QInputDialog.getText(
            self, "作废收据", f"作废 {journal.number}（¥{format_yuan(journal.total_fen)}）的原因："
        )
        if ok:
            self.void_number(journal.number, reason)

    def void_number(self, number: str, reason: str) -> None:
        if not confirm(
            self, "作废收据", f"确定作废收据 {number}？作废后不能恢复，所收款项将冲回。"
        ):
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: voids.void_receipt(ctx.db, ctx.actor, number, reason),
            title="作废未完成",
        ).success(lambda _: self.refresh()).run()

    def record_invoice(self) -> None:
        journal = self.selected()
        if journal is None:
            return
        number, ok = QInputDialog.getText(self, "登记发票", f"收据 {journal.number} 的发票号码：")
        if not ok:
            return
        ctx, receipt, today = self.ctx, journal.number, clock.today()
        Op(
            self,
            ctx.tasks,
            lambda: receipts.record_invoice(ctx.db, ctx.actor, receipt, number, today),
            title="登记发票",
        ).run()

    def record_spoiled(self) -> None:
        number, ok = QInputDialog.getText(self, "登记废票", "作废的空白票据号：")
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "登记废票", "原因（如卡纸、打印错位）：")
        if not ok:
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: receipts.record_spoiled_form(ctx.db, ctx.actor, number, reason),
            title="登记废票",
        ).run()
