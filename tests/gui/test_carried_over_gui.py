"""What an import (数据导入) brought, on screen: the old system's payment lines on the
household's 账单 tab (read-only, marked 导入, found by year or month from the keyboard),
the deposits it held with the account and in the refund dialog, 期初欠费 marked."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.cashier.collection_tab import CollectionTab
from frontdesk.gui.screens.cashier.refund_dialog import RefundDialog
from frontdesk.gui.screens.household.account_tab import HISTORY_COLUMNS, AccountTab
from frontdesk.services import households
from frontdesk.services.fees import account, billing, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from tests.unit import carried_fixtures as carried
from tests.unit.fee_fixtures import TODAY, Community, make_community

NOV = Period(2026, 11)

LINES = (  # (period as the old system wrote it, paid on, fen)
    ("2025年3月", date(2025, 3, 6), 19690),
    ("2025年4月", date(2025, 4, 3), 19690),
    ("2026年2月", date(2026, 2, 9), 22375),
)


@pytest.fixture
def town(ctx: AppContext) -> Community:
    db, admin = ctx.db, ctx.actor
    town = make_community(db, admin)
    batch = carried.import_batch(db, admin)
    for period, paid_on, fen in LINES:
        carried.imported_payment(
            db,
            admin,
            batch,
            town.occupied,
            item="物业费",
            period=period,
            fen=fen,
            paid_on=paid_on,
            receipt_no=f"No.{paid_on:%m%d}",
        )
    carried.carried_bill(db, admin, batch, town.occupied, town.service, Period(2026, 3), 22375)
    carried.opening_deposit(db, admin, batch, town.occupied, 300000, date(2025, 6, 1))
    return town


def _tab(qtbot, ctx: AppContext, room: int) -> AccountTab:
    tab = AccountTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1000, 620)
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    tab.open_room(room, households.open_file(ctx.db, ctx.actor, room))
    return tab


def _column(tab: AccountTab, table: str, name: str, columns: tuple[str, ...]) -> list[str]:
    widget = getattr(tab.ui, table)
    index = columns.index(name)
    return [widget.item(row, index).text() for row in range(widget.rowCount())]


def test_the_old_systems_payments_are_found_by_keyboard(qtbot, ctx, town) -> None:
    tab = _tab(qtbot, ctx, town.occupied)
    ui = tab.ui
    assert not ui.historyTable.isVisible()  # the receipts are shown first
    QTest.keyClick(tab, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # 原系统缴费记录(&H)
    assert ui.lowerTabs.currentWidget() is ui.historyPage and ui.historyTable.isVisible()
    assert ui.historyTable.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert _column(tab, "historyTable", "期间", HISTORY_COLUMNS) == [
        "2026年2月",
        "2025年4月",
        "2025年3月",
    ]
    assert set(_column(tab, "historyTable", "来源", HISTORY_COLUMNS)) == {"导入"}
    QTest.keyClick(tab, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # 查找(&F)
    assert ui.historyFilterEdit.hasFocus()
    QTest.keyClicks(ui.historyFilterEdit, "2025-03")  # "did I pay last March?"
    assert _column(tab, "historyTable", "缴费日期", HISTORY_COLUMNS) == ["2025-03-06"]
    assert _column(tab, "historyTable", "收据号", HISTORY_COLUMNS) == ["No.0306"]
    ui.historyFilterEdit.clear()
    QTest.keyClicks(ui.historyFilterEdit, "2025")
    assert len(_column(tab, "historyTable", "期间", HISTORY_COLUMNS)) == 2


def test_carried_arrears_and_the_deposit_held_show_with_the_account(qtbot, ctx, town) -> None:
    tab = _tab(qtbot, ctx, town.occupied)
    summary = tab.ui.summaryLabel.text()
    assert "装修押金（原系统 2025-06-01 收取） ¥3,000.00" in summary
    periods = [tab.ui.billsTable.item(row, 0).text() for row in range(tab.ui.billsTable.rowCount())]
    assert periods == ["期初欠费 2026年3月"]


def test_a_household_without_an_import_sees_no_history(qtbot, ctx, town) -> None:
    tab = _tab(qtbot, ctx, town.vacant)
    tabs = tab.ui.lowerTabs
    assert [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)] == ["收据(&E)"]
    QTest.keyClick(tab, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert not tab.ui.historyTable.isVisible()


def test_the_refund_dialog_returns_a_deposit_the_old_system_held(qtbot, ctx, town) -> None:
    dialog = RefundDialog(ctx, town.occupied, "1-1-101")
    qtbot.addWidget(dialog)
    ui = dialog.ui
    ui.kindCombo.setCurrentIndex(1)
    assert ui.kindCombo.currentText() == "退装修押金（原系统 2025-06-01 收取）（可退 ¥3,000.00）"
    assert ui.amountEdit.fen() == 300000 and not ui.amountEdit.isEnabled()
    ui.payeeEdit.setText("张三")
    dialog.accept()
    assert dialog.posted is not None and dialog.posted.amount_fen == 300000
    assert account.household_account(ctx.db, ctx.actor, town.occupied).opening_deposits == []


def test_the_collection_tab_shows_carried_arrears_apart(qtbot, ctx) -> None:
    db, admin = ctx.db, ctx.actor
    town = make_community(db, admin)
    batch = carried.import_batch(db, admin)
    march = Period(2026, 3)
    bill = carried.carried_bill(db, admin, batch, town.occupied, town.service, march, 19690)
    carried.carried_bill(db, admin, batch, town.occupied, town.rubbish, march, 1000)
    billing.run_billing(db, admin, NOV, today=TODAY)
    payments.post_payment(
        db,
        admin,
        PaymentRequest(town.occupied, ((bill, 19690),), (TenderInput(PayMethod.CASH, 19690),)),
        TODAY,
    )
    tab = CollectionTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    summary = tab.ui.summaryLabel.text()
    assert "期初结转欠费（原系统，不计入收缴率）本月收回 ¥196.90，尚欠 ¥10.00" in summary
    names = [tab.ui.itemTable.item(row, 0).text() for row in range(tab.ui.itemTable.rowCount())]
    assert "合计（物业收入）" in names and not any("期初" in name for name in names)
