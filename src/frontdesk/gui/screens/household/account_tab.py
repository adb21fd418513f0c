"""账单 tab of the household file: every bill with what is paid and owed, the
receipts, the 预存 balance and deposits held; 去收款 opens the cashier on this room.
An office that moved from another system also sees that system's payment lines
(数据导入, read-only, found by year or month) and the deposits it held."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.money import format_yuan
from frontdesk.domain.onboarding.paid_history import history_matches
from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_account_tab_ui import Ui_AccountTab
from frontdesk.gui.navigation import Counter
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.fees import account
from frontdesk.services.fees.account import HouseholdAccount
from frontdesk.services.fees.ledger import BillLine
from frontdesk.services.households.file import HouseholdFile

BILL_COLUMNS = ("期间", "项目", "说明", "应收", "已收", "减免", "尚欠", "状态")
RECEIPT_COLUMNS = ("收据号", "时间", "金额", "收款方式", "收款人", "状态")
HISTORY_COLUMNS = ("缴费日期", "项目", "期间", "金额", "收款人", "收据号", "来源")
OWING = QColor("#b3261e")


def bill_state(line: BillLine) -> str:
    if line.outstanding_fen <= 0:
        return "已缴清"
    if line.paid_fen or line.reduced_fen:
        return "部分缴纳"
    return "未缴"


class AccountTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_AccountTab()
        ui.setupUi(self)
        self.room_id: int | None = None
        self.account: HouseholdAccount | None = None
        set_headers(ui.billsTable, BILL_COLUMNS, stretch=BILL_COLUMNS.index("说明"))
        set_headers(ui.receiptsTable, RECEIPT_COLUMNS, stretch=RECEIPT_COLUMNS.index("收款方式"))
        set_headers(ui.historyTable, HISTORY_COLUMNS, stretch=HISTORY_COLUMNS.index("项目"))
        ui.openOnlyCheck.toggled.connect(lambda _on: self._show())
        ui.historyFilterEdit.textChanged.connect(lambda _text: self._show_history())
        ui.payButton.clicked.connect(self._pay)
        ui.payButton.setVisible(ctx.can(Permission.VIEW_FINANCE))

    def open_room(self, room_id: int, file: HouseholdFile) -> None:
        self.room_id = room_id
        self.account = account.household_account(self.ctx.db, self.ctx.actor, room_id)
        self._show()

    def _show(self) -> None:
        account = self.account
        if account is None:
            return
        deposits = "、".join(
            [f"{d.fee_item} ¥{format_yuan(d.held_fen)}" for d in account.deposits]
            + [f"{d.label} ¥{format_yuan(d.held_fen)}" for d in account.opening_deposits]
        )
        owing = account.outstanding_fen
        self.ui.summaryLabel.setText(
            "　".join(
                filter(
                    None,
                    [
                        f"<b style='color:#b3261e'>欠费 ¥{format_yuan(owing)}</b>"
                        if owing
                        else "<b style='color:#1b7f3b'>无欠费</b>",
                        f"预存余额 ¥{format_yuan(account.prepaid_fen)}",
                        f"押金 {deposits}" if deposits else "",
                        f"共 {len(account.bills)} 笔账单",
                    ],
                )
            )
        )
        bills = [
            b for b in account.bills if not self.ui.openOnlyCheck.isChecked() or b.outstanding_fen
        ]
        fill_rows(
            self.ui.billsTable,
            [
                (
                    b.period_label,
                    b.fee_item,
                    " ".join(filter(None, [b.description, b.rule_reduction_reason])),
                    format_yuan(b.due_fen),
                    format_yuan(b.paid_fen),
                    format_yuan(b.reduced_fen) if b.reduced_fen else "",
                    format_yuan(b.outstanding_fen),
                    bill_state(b),
                )
                for b in bills
            ],
        )
        for row, bill in enumerate(bills):
            if bill.outstanding_fen > 0:
                cell(self.ui.billsTable, row, 7).setForeground(QBrush(OWING))
            for column in (3, 4, 5, 6):
                cell(self.ui.billsTable, row, column).setTextAlignment(
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
        fill_rows(
            self.ui.receiptsTable,
            [
                (
                    r.number,
                    local_time(r.issued_at, seconds=False),
                    ("-" if r.is_refund else "") + format_yuan(r.total_fen),
                    r.methods,
                    r.cashier,
                    "退款" if r.is_refund else ("作废" if r.voided else "正常"),
                )
                for r in account.receipts
            ],
        )
        self._show_history()

    def _show_history(self) -> None:
        """The old system's payment lines, shown only where an import brought some."""
        account, ui = self.account, self.ui
        lines = account.history if account else []
        ui.lowerTabs.setTabVisible(ui.lowerTabs.indexOf(ui.historyPage), bool(lines))
        query = ui.historyFilterEdit.text()
        found = [h for h in lines if history_matches(h.period, h.paid_on, query)]
        fill_rows(
            ui.historyTable,
            [
                (
                    f"{h.paid_on:%Y-%m-%d}" if h.paid_on else "",
                    h.fee_item,
                    h.period,
                    format_yuan(h.amount_fen),
                    h.cashier,
                    h.receipt_no,
                    "导入",
                )
                for h in found
            ],
        )
        amount = HISTORY_COLUMNS.index("金额")
        for row in range(len(found)):
            cell(ui.historyTable, row, amount).setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )

    def _pay(self) -> None:
        if self.room_id is not None:
            self.ctx.navigator.go(Counter(self.room_id))
