"""The cashier's counter: a mixed-method payment typed at the keyboard, then voided."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.cashier import counter_tab
from frontdesk.gui.screens.cashier.counter_tab import CounterTab
from frontdesk.gui.screens.cashier.grid_tab import GridTab
from frontdesk.gui.screens.cashier.receipts_tab import ReceiptsTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.fees import billing, charges, payments, receipts
from frontdesk.services.fees.journal import receipt_journal
from tests.unit.fee_fixtures import Community, make_community


@pytest.fixture
def town(db, admin) -> Community:
    # The counter works on the real today: bill the current month.
    community = make_community(db, admin)
    billing.run_billing(db, admin, Period.of(clock.today()))
    return community


@pytest.fixture
def cashier_ctx(db, town, make_user) -> AppContext:
    return AppContext(db, make_user(Role.CASHIER), TaskRunner(wait=True))


@pytest.fixture
def counter(qtbot, cashier_ctx) -> CounterTab:
    tab = CounterTab(cashier_ctx)
    tab.preview_receipts = False
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_mixed_payment_by_keyboard_then_void(
    qtbot, counter, cashier_ctx, town, monkeypatch
) -> None:
    ui = counter.ui
    QTest.keyClicks(ui.roomEdit, "1-1-101")
    QTest.keyClick(ui.roomEdit, Qt.Key.Key_Return)
    assert ui.billsTable.rowCount() == 2  # 物业服务费 and 垃圾费 of this month, both ticked
    due = counter.due_fen()
    assert ui.dueLabel.text().endswith(f"{due / 100:,.2f}")
    QTest.keyClicks(ui.wechatEdit, "100")
    # Cash takes whatever WeChat leaves; the customer hands over a round sum.
    assert ui.cashEdit.text() == f"{(due - 10000) / 100:.2f}"
    QTest.keyClicks(ui.tenderedEdit, "300")
    assert ui.changeLabel.text() == f"找零 ¥{(30000 - (due - 10000)) / 100:,.2f}"
    QTest.keyClick(ui.tenderedEdit, Qt.Key.Key_Return)
    journal = receipt_journal(cashier_ctx.db, cashier_ctx.actor)
    assert len(journal) == 1
    number = journal[0].number
    assert "微信 100.00" in journal[0].methods and "现金" in journal[0].methods
    assert counter.last_pdf is not None and counter.last_pdf.startswith(b"%PDF")
    assert ui.billsTable.rowCount() == 0  # nothing left to pay
    assert "已收款" in ui.roomInfo.text()

    receipts_tab = ReceiptsTab(cashier_ctx)
    qtbot.addWidget(receipts_tab)
    receipts_tab.refresh()
    select_row(receipts_tab.ui.table, 0)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("收错户", True)))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    receipts_tab.void()
    assert receipts_tab.ui.table.item(0, 7).text() == "作废"
    view = payments.counter_view(cashier_ctx.db, cashier_ctx.actor, town.occupied)
    assert sum(b.outstanding_fen for b in view.open_bills) == due
    assert number in receipts_tab.ui.table.item(0, 0).text()


def test_a_bad_amount_names_the_field_and_posts_nothing(
    qtbot, counter, cashier_ctx, town, shown
) -> None:
    counter.open_room(town.occupied)
    counter.ui.wechatEdit.setText("12.345")
    counter.post()
    assert shown and "微信" in shown[-1][2] and "不是有效金额" in shown[-1][2]
    assert receipt_journal(cashier_ctx.db, cashier_ctx.actor) == []


def test_paying_only_some_bills(qtbot, counter, cashier_ctx, town, monkeypatch) -> None:
    asked: list[int] = []

    def confirm(_parent, fen: int) -> bool:
        asked.append(fen)
        return True

    monkeypatch.setattr(counter_tab, "confirm_cash", confirm)
    counter.open_room(town.occupied)
    table = counter.ui.billsTable
    table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)
    first = table.item(0, 7).text()
    assert counter.ui.cashEdit.text() == first and table.item(1, 7).text() == ""
    counter.post()  # the cash part was filled in, not typed: asked first
    assert [f"{fen / 100:.2f}" for fen in asked] == [first]
    assert counter.ui.billsTable.rowCount() == 1


def test_the_grid_opens_a_room_at_the_counter(qtbot, cashier_ctx) -> None:
    grid = GridTab(cashier_ctx)
    qtbot.addWidget(grid)
    grid.refresh()
    cells = [
        grid.ui.grid.item(r, c)
        for r in range(grid.ui.grid.rowCount())
        for c in range(grid.ui.grid.columnCount())
        if grid.ui.grid.item(r, c) is not None
    ]
    owing = [c for c in cells if "欠" in c.text()]
    assert len(owing) == 3  # occupied, vacant (70 %) and the new room owe; unsold does not
    with qtbot.waitSignal(grid.room_chosen) as chosen:
        grid.ui.grid.cellDoubleClicked.emit(owing[0].row(), owing[0].column())
    assert chosen.args[0] == owing[0].data(Qt.ItemDataRole.UserRole)


def test_a_one_off_charge_joins_the_open_bills(qtbot, counter, cashier_ctx, town) -> None:
    from frontdesk.gui.screens.cashier.charge_dialog import ChargeDialog

    counter.open_room(town.occupied)
    before = counter.ui.billsTable.rowCount()
    dialog = ChargeDialog(cashier_ctx, town.occupied, "1-1-101", counter)
    qtbot.addWidget(dialog)
    dialog.ui.itemCombo.setCurrentIndex(dialog.ui.itemCombo.findText("装修押金"))
    assert dialog.ui.amountEdit.text() == "3000.00" and dialog.ui.amountEdit.isReadOnly()
    dialog.accept()
    assert dialog.bill_id is not None
    counter.open_room(town.occupied)
    assert counter.ui.billsTable.rowCount() == before + 1
    assert counter.due_fen() > 300000


def test_a_deposit_is_refunded_less_a_deduction(qtbot, counter, cashier_ctx, town) -> None:
    from PySide6.QtWidgets import QTableWidgetItem

    from frontdesk.domain.fees import PayMethod
    from frontdesk.gui.screens.cashier.refund_dialog import RefundDialog
    from frontdesk.services.fees.payments import PaymentRequest, TenderInput

    bill_id = charges.add_charge(cashier_ctx.db, cashier_ctx.actor, town.occupied, town.deposit)
    payments.post_payment(
        cashier_ctx.db,
        cashier_ctx.actor,
        PaymentRequest(town.occupied, ((bill_id, 300000),), (TenderInput(PayMethod.CASH, 300000),)),
    )
    dialog = RefundDialog(cashier_ctx, town.occupied, "1-1-101")
    qtbot.addWidget(dialog)
    dialog.ui.kindCombo.setCurrentIndex(1)  # 退装修押金（可退 ¥3,000.00）
    assert "装修押金" in dialog.ui.kindCombo.currentText()
    dialog.ui.addDeductionButton.click()
    dialog.ui.deductionsTable.setItem(0, 0, QTableWidgetItem("200"))
    dialog.ui.deductionsTable.setItem(0, 1, QTableWidgetItem("楼道墙面污损修复"))
    assert dialog.ui.netLabel.text() == "实退 ¥2,800.00"
    dialog.ui.payeeEdit.setText("张三")
    dialog.accept()
    assert dialog.posted is not None and dialog.posted.amount_fen == 280000
    assert dialog.posted.receipt_no.startswith("TK")


def test_a_refund_names_its_payee_and_a_transfer_its_account(
    qtbot, cashier_ctx, town, shown
) -> None:
    """No 领款人, or a transfer missing 户名/开户行/账号: refused, naming the field and
    putting the cursor in it; the voucher then shows the account masked."""
    from frontdesk.domain.fees import PayMethod
    from frontdesk.gui.screens.cashier.refund_dialog import RefundDialog
    from frontdesk.services.fees.payments import PaymentRequest, TenderInput

    payments.post_payment(
        cashier_ctx.db,
        cashier_ctx.actor,
        PaymentRequest(town.occupied, (), (TenderInput(PayMethod.CASH, 50000),), prepaid_fen=50000),
    )
    dialog = RefundDialog(cashier_ctx, town.occupied, "1-1-101")
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui
    assert ui.payeeCaption.text().startswith("领款人")
    assert not ui.accountNoEdit.isVisible()  # cash: no account asked
    ui.amountEdit.setText("100")
    ui.reasonEdit.setText("业主搬离，退还预存")
    dialog.accept()
    assert dialog.posted is None and "领款人" in shown[-1][2]
    assert dialog.focusWidget() is ui.payeeEdit
    ui.payeeEdit.setText("张三")
    ui.methodCombo.setCurrentIndex(ui.methodCombo.findData(PayMethod.TRANSFER))
    assert ui.accountNoEdit.isVisible() and ui.accountNameEdit.text() == "张三"
    ui.bankEdit.setText("中国工商银行滨江支行")
    dialog.accept()
    assert dialog.posted is None and "账号" in shown[-1][2]
    assert dialog.focusWidget() is ui.accountNoEdit
    ui.accountNoEdit.setText("6222 0212 3456 7890 123")
    dialog.accept()
    assert dialog.posted is not None
    view = receipts.receipt_view(cashier_ctx.db, cashier_ctx.actor, dialog.posted.receipt_no)
    assert view.payer == "张三"
    assert "6222 **** 0123" in view.payee_account and "02123456" not in view.payee_account
