"""收费日报 as the cashier ticks it against the statements: for each payment method
收款 (gross), 作废, 退款 and 净额; voided receipts with their amounts; and a day not yet
closed cannot pass for the day's report."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontdesk import printouts
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, cash_close, payments, refunds, voids
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.fees.refunds import RefundRequest
from tests.unit.fee_fixtures import TODAY, Community, make_community

MONEY = re.compile(r"^-?[\d,]+\.\d\d$")


def lines_of(pdf: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return [line.strip() for line in text.splitlines() if line.strip()]


def fen(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


def method_rows(lines: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Every printed (method, 收款, 作废, 退款, 净额) row, in order."""
    rows = []
    for index, name in enumerate(lines[:-4]):
        cells = lines[index + 1 : index + 5]
        if name in ("现金", "微信", "支付宝", "银行卡", "转账", "合计") and all(
            MONEY.match(c) for c in cells
        ):
            taken, voided, refunded, net = (fen(c) for c in cells)
            rows.append((name, taken, voided, refunded, net))
    return rows


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    return community


def pay(db: Database, actor: Actor, room: int, *tenders: TenderInput, prepaid: int = 0) -> str:
    view = payments.counter_view(db, actor, room, TODAY)
    bills = () if prepaid else tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    request = PaymentRequest(room, bills, tenders, prepaid_fen=prepaid)
    return payments.post_payment(db, actor, request, TODAY).receipt_no


def test_each_method_shows_taken_voided_refunded_and_net_until_the_day_is_closed(
    db: Database, admin: Actor, make_user, town: Community
) -> None:
    cashier = make_user(Role.CASHIER)
    wrong = pay(db, cashier, town.occupied, TenderInput(PayMethod.WECHAT, 46750))
    voids.void_receipt(db, cashier, wrong, "收款方式选错", TODAY)
    pay(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750, 50000))
    pay(db, cashier, town.unsold, TenderInput(PayMethod.WECHAT, 30000), prepaid=30000)
    refund = RefundRequest(
        town.unsold, PayMethod.WECHAT, "业主要求退回", payee="业主本人", amount_fen=10000
    )
    refunds.post_refund(db, cashier, refund, TODAY)

    takings = cash_close.day_totals(db, admin, TODAY).cashiers[0].takings
    assert takings.taken_by_method == {PayMethod.WECHAT: 76750, PayMethod.CASH: 46750}
    assert takings.voided_by_method == {PayMethod.WECHAT: 46750}
    assert takings.refunded_by_method == {PayMethod.WECHAT: 10000}
    assert takings.by_method == {PayMethod.WECHAT: 20000, PayMethod.CASH: 46750}

    printout = printouts.daily_report(db, admin, TODAY)
    lines = lines_of(printout.pdf)
    text = "\n".join(lines)
    assert "收费日报（未日结）" in text
    assert "未日结 · 仅供核对，不得作为当日收费日报归档" in text
    assert "未日结" in printout.issue.title
    rows = method_rows(lines)
    # Once under the cashier, once for the whole day: the same lines.
    wechat = [r for r in rows if r[0] == "微信"]
    assert wechat == [("微信", 76750, 46750, 10000, 20000)] * 2
    assert [r for r in rows if r[0] == "现金"] == [("现金", 46750, 0, 0, 46750)] * 2
    for _name, taken, voided, refunded, net in rows:
        assert taken - voided - refunded == net
    assert [r for r in rows if r[0] == "合计"] == [("合计", 123500, 46750, 10000, 66750)] * 2
    assert f"{wrong} ¥467.50；共 1 张 ¥467.50" in text.replace("\n", "")

    book = load_workbook(io.BytesIO(printouts.daily_report_excel(db, admin, TODAY)))
    assert book["收费员"]["A1"].value.startswith("收费日报（未日结）")

    cash_close.close_cash(db, cashier, "day", 46750, today=TODAY)
    closed = printouts.daily_report(db, admin, TODAY)
    closed_text = "\n".join(lines_of(closed.pdf))
    assert "未日结" not in closed_text and "未日结" not in closed.issue.title
    assert "收费日报" in closed_text and "已日结" in closed_text


def test_a_day_with_a_cashier_still_open_is_not_closed(
    db: Database, admin: Actor, make_user, town: Community
) -> None:
    first = make_user(Role.CASHIER)
    second = make_user(Role.CASHIER, "cashier2")
    pay(db, first, town.occupied, TenderInput(PayMethod.CASH, 46750))
    pay(db, second, town.new, TenderInput(PayMethod.ALIPAY, 11188 + 500))
    cash_close.close_cash(db, first, "day", 46750, today=TODAY)
    assert not cash_close.day_totals(db, admin, TODAY).closed
    text = "\n".join(lines_of(printouts.daily_report(db, admin, TODAY).pdf))
    assert "收费日报（未日结）" in text
    cash_close.close_cash(db, second, "day", 0, today=TODAY)
    assert cash_close.day_totals(db, admin, TODAY).closed


def test_prepaid_draws_are_said_as_what_they_are_not_as_takings(
    db: Database, admin: Actor, make_user, town: Community
) -> None:
    """预存抵扣 moved no money: it is no method line and no 合计, and the report says
    what it is — drawn at the counter (its receipt issued) or by the billing run (none)."""
    cashier = make_user(Role.CASHIER)
    pay(db, cashier, town.occupied, TenderInput(PayMethod.WECHAT, 200000), prepaid=200000)
    view = payments.counter_view(db, cashier, town.occupied, TODAY)
    owed = sum(b.outstanding_fen for b in view.open_bills)
    bills = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    request = PaymentRequest(town.occupied, bills, (TenderInput(PayMethod.PREPAID, owed),))
    drawn_receipt = payments.post_payment(db, cashier, request, TODAY).receipt_no
    billing.run_billing(db, admin, Period(2026, 12), today=TODAY)

    totals = cash_close.day_totals(db, admin, TODAY)
    [row] = totals.cashiers
    assert row.takings.prepaid_drawn_fen == owed
    assert drawn_receipt in row.takings.receipts
    assert totals.auto_drawn_fen > 0 and totals.auto_drawn_rooms == 1
    auto = totals.auto_drawn_fen

    lines = lines_of(printouts.daily_report(db, admin, TODAY).pdf)
    text = "".join(lines)
    said = (
        f"预存抵扣：收款时抵扣 ¥{owed / 100:,.2f}（已开收据）；"
        f"账单生成时自动抵扣 ¥{auto / 100:,.2f}（1 户，不开收据）。"
        "从业主预存款中扣抵，不是新收的钱"
    )
    assert said in text
    rows = method_rows(lines)
    assert [r[0] for r in rows] == ["微信", "合计", "微信", "合计"]  # no 预存抵扣 line
    assert [r for r in rows if r[0] == "合计"] == [("合计", 200000, 0, 0, 200000)] * 2

    book = load_workbook(io.BytesIO(printouts.daily_report_excel(db, admin, TODAY)))
    notes = [c.value for c in book["收费员"]["A"] if isinstance(c.value, str)]
    assert any(n.startswith(said) for n in notes)
