"""Deposits the old system held (数据导入) are returned through the refund flow: held
is the amount less what was refunded; the 退款凭证 says where the deposit was taken.
A receipt paying a carried-over bill prints it as 期初欠费."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from frontdesk import printouts
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import UserError, ValidationError
from frontdesk.services.database import Database
from frontdesk.services.fees import account, cash_close, payments, receipts, refunds
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.fees.refunds import DeductionInput, RefundRequest
from frontdesk.services.protection.money_checks import money_problems
from tests.unit import carried_fixtures as carried
from tests.unit.fee_fixtures import TODAY, make_community

TAKEN_ON = date(2025, 6, 1)


@pytest.fixture
def cashier(make_user) -> Actor:
    return make_user(Role.CASHIER)


@pytest.fixture
def held(db: Database, admin: Actor) -> tuple[int, int]:
    """(room, opening deposit) of ¥3,000 the old system took on 2025-06-01."""
    town = make_community(db, admin)
    batch = carried.import_batch(db, admin)
    deposit = carried.opening_deposit(db, admin, batch, town.occupied, 300000, TAKEN_ON)
    return town.occupied, deposit


def refund_of(room: int, deposit: int, *deductions: DeductionInput) -> RefundRequest:
    return RefundRequest(
        room,
        PayMethod.CASH,
        "装修验收合格",
        "张三",
        opening_deposit_id=deposit,
        deductions=deductions,
    )


def test_an_opening_deposit_is_refunded_less_deductions(db, cashier, held) -> None:
    room, deposit = held
    posted = refunds.post_refund(
        db, cashier, refund_of(room, deposit, DeductionInput(20000, "损坏公共墙面")), TODAY
    )
    assert posted.receipt_no == "TK00000001"
    assert posted.amount_fen == 280000
    view = receipts.receipt_view(db, cashier, posted.receipt_no)
    assert [(i.item, i.amount_fen) for i in view.items] == [
        ("退装修押金", 300000),
        ("扣款", -20000),
    ]
    assert view.refunded == ()  # no receipt of ours took it
    assert view.opening_deposit == "原系统收取的装修押金（数据导入，2025年6月1日收取）"
    doc = printouts.receipt_doc(view, ("存根联",))
    assert doc.refund_of == view.opening_deposit
    pdf = printouts.receipt(db, cashier, posted.receipt_no).pdf
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\n", "")
    assert "原系统收取的装修押金（数据导入" in text
    assert account.household_account(db, cashier, room).opening_deposits == []
    takings = cash_close.open_takings(db, cashier, TODAY)
    assert takings.refunds_fen == 280000
    assert all(not problems for problems, _passed in money_problems(db))


def test_an_opening_deposit_is_refunded_once(db, cashier, held) -> None:
    room, deposit = held
    refunds.post_refund(db, cashier, refund_of(room, deposit), TODAY)
    with pytest.raises(UserError, match="没有可退的金额"):
        refunds.post_refund(db, cashier, refund_of(room, deposit), TODAY)


def test_one_refund_returns_one_deposit(db, cashier, held) -> None:
    room, deposit = held
    both = RefundRequest(
        room, PayMethod.CASH, "验收合格", "张三", deposit_bill_id=1, opening_deposit_id=deposit
    )
    with pytest.raises(ValidationError, match="押金"):
        refunds.post_refund(db, cashier, both, TODAY)


def test_another_rooms_opening_deposit_is_not_found(db, cashier, held) -> None:
    room, deposit = held
    with pytest.raises(UserError, match="找不到"):
        refunds.post_refund(db, cashier, refund_of(room + 1, deposit), TODAY)


def test_a_receipt_paying_a_carried_over_bill_prints_it(db, admin, cashier) -> None:
    town = make_community(db, admin)
    batch = carried.import_batch(db, admin)
    carried.carried_bill(db, admin, batch, town.occupied, town.service, Period(2026, 3), 19690)
    view = payments.counter_view(db, cashier, town.occupied, TODAY)
    (bill,) = view.open_bills
    posted = payments.post_payment(
        db,
        cashier,
        PaymentRequest(
            town.occupied, ((bill.bill_id, 19690),), (TenderInput(PayMethod.CASH, 19690),)
        ),
        TODAY,
    )
    pdf = printouts.receipt(db, cashier, posted.receipt_no).pdf
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "期初欠费" in text and "2026年3月" in text and "物业服务费" in text
    assert "196.90" in text
