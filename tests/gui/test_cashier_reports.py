"""The screens that show the daily report's and the collection report's figures show
them as the paper does: by method 收款/作废/退款/净额 and 未日结; 应收 gross with its 减免,
and 代收 water below the 物业收入 合计."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QTableWidget

from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.cashier.close_tab import CloseTab
from frontdesk.gui.screens.cashier.collection_tab import CollectionTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.fees import billing, cash_close, meters, payments, refunds, voids
from frontdesk.services.fees.meters import ReadingInput
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.fees.refunds import RefundRequest
from tests.unit.fee_fixtures import Community, make_community


def cells(table: QTableWidget) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def yuan(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@pytest.fixture
def town(db, admin) -> Community:
    community = make_community(db, admin)
    period = Period.of(clock.today())
    meters.save_readings(
        db, admin, community.water, period, [ReadingInput(community.occupied, 100000, 101250)]
    )
    billing.run_billing(db, admin, period)
    return community


def pay(db, actor, room: int, *tenders: TenderInput, prepaid: int = 0) -> str:
    view = payments.counter_view(db, actor, room)
    bills = () if prepaid else tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    request = PaymentRequest(room, bills, tenders, prepaid_fen=prepaid)
    return payments.post_payment(db, actor, request).receipt_no


def test_the_close_tab_shows_each_method_as_the_daily_report(
    qtbot, db, make_user, town: Community
) -> None:
    cashier = make_user(Role.CASHIER)
    owed = sum(
        b.outstanding_fen for b in payments.counter_view(db, cashier, town.vacant).open_bills
    )
    wrong = pay(db, cashier, town.vacant, TenderInput(PayMethod.WECHAT, owed))
    voids.void_receipt(db, cashier, wrong, "收款方式选错")
    pay(db, cashier, town.vacant, TenderInput(PayMethod.CASH, owed))
    pay(db, cashier, town.unsold, TenderInput(PayMethod.WECHAT, 30000), prepaid=30000)
    refunds.post_refund(
        db,
        cashier,
        RefundRequest(town.unsold, PayMethod.WECHAT, "业主要求退回", "业主本人", 10000),
    )
    tab = CloseTab(AppContext(db, cashier, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    tab.refresh()
    yuan = f"{owed / 100:,.2f}"
    wechat = ["微信", f"{(owed + 30000) / 100:,.2f}", yuan, "100.00", "200.00"]
    for table in (tab.ui.methodsTable, tab.ui.dayMethodsTable):
        rows = cells(table)
        assert wechat in rows
        assert ["现金", yuan, "0.00", "0.00", yuan] in rows
        assert rows[-1][0].startswith("合计")
    assert "未日结" in tab.ui.dayStatusLabel.text()
    assert f"{wrong} ¥{yuan}" in cells(tab.ui.dayTable)[0][3]
    assert f"{wrong} ¥{yuan}" in tab.ui.shiftSummary.text()


def test_the_collection_tab_keeps_water_below_the_own_total(
    qtbot, db, admin, town: Community
) -> None:
    tab = CollectionTab(AppContext(db, admin, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    tab.refresh()
    rows = cells(tab.ui.itemTable)
    names = [row[0] for row in rows]
    total = names.index("合计（物业收入）")
    assert names.index("水费") > total
    assert names[-1] == "小计（代收代缴）"
    service = rows[names.index("物业服务费")]
    # 应收 gross; the vacant room's 30 % off is 减免; each row adds up.
    assert service[2] != "0.00"
    for row in rows:
        billed, reduced, collected, outstanding = (yuan(v) for v in row[1:5])
        assert billed - reduced - collected == outstanding
    own = rows[total]
    water = rows[names.index("水费")]
    parts = [rows[names.index(n)] for n in names[:total]]
    assert sum(yuan(r[1]) for r in parts) == yuan(own[1])
    assert water[1] == "51.25"  # 12.5 吨 at 4.10, not in the 合计
    assert "减免" in tab.ui.summaryLabel.text()


def test_an_empty_shift_is_not_a_zero_receipt_line(qtbot, db, make_user, town) -> None:
    """Before any payment: said in words, no 收据 0 张 and no 合计 of nothing."""
    cashier = make_user(Role.CASHIER)
    tab = CloseTab(AppContext(db, cashier, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    tab.refresh()
    summary = tab.ui.shiftSummary.text()
    assert "还没有收款" in summary and "0 张" not in summary
    assert tab.ui.methodsTable.rowCount() == 0


def test_the_close_tab_says_what_prepaid_draws_are(qtbot, db, admin, make_user, town) -> None:
    """预存抵扣 is no method line: the shift and the day say it moved no money, and
    the billing run's draws (no receipt) are named too."""
    cashier = make_user(Role.CASHIER)
    pay(db, cashier, town.occupied, TenderInput(PayMethod.WECHAT, 200000), prepaid=200000)
    view = payments.counter_view(db, cashier, town.occupied)
    owed = sum(b.outstanding_fen for b in view.open_bills)
    bills = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    request = PaymentRequest(town.occupied, bills, (TenderInput(PayMethod.PREPAID, owed),))
    payments.post_payment(db, cashier, request)
    billing.run_billing(db, admin, Period.of(clock.today()).shifted(1))
    drawn = cash_close.day_totals(db, admin, clock.today()).auto_drawn_fen
    assert drawn > 0

    tab = CloseTab(AppContext(db, cashier, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    tab.refresh()
    summary = tab.ui.shiftSummary.text()
    assert "收据 <b>2</b> 张" in summary
    assert f"预存抵扣：收款时抵扣 ¥{owed / 100:,.2f}（已开收据）" in summary
    assert "不是新收的钱" in summary
    assert [row[0] for row in cells(tab.ui.methodsTable)] == ["微信", "合计"]
    day = tab.ui.dayStatusLabel.text()
    assert f"账单生成时自动抵扣 ¥{drawn / 100:,.2f}（1 户，不开收据）" in day
