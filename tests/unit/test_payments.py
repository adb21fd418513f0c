"""Taking money: postings, receipts, voids, refunds, reductions, closes, reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from frontdesk import printouts
from frontdesk.domain.fees import FeeMethod, Paper, PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.services.database import Database
from frontdesk.services.fees import (
    billing,
    cash_close,
    charges,
    collection,
    journal,
    payments,
    receipts,
    refunds,
    voids,
)
from frontdesk.services.fees import items as fees
from frontdesk.services.fees.payments import (
    PaymentRequest,
    ReductionInput,
    TenderInput,
)
from frontdesk.services.fees.refunds import DeductionInput, RefundRequest
from tests.unit.fee_fixtures import TODAY, Community, make_community


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    return community


@pytest.fixture
def cashier(make_user) -> Actor:
    return make_user(Role.CASHIER)


def pay_all(
    db: Database, actor: Actor, room_id: int, *tenders: TenderInput
) -> payments.PostedPayment:
    view = payments.counter_view(db, actor, room_id, TODAY)
    request = PaymentRequest(
        room_id, tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills), tenders
    )
    return payments.post_payment(db, actor, request, TODAY)


def owed(db: Database, actor: Actor, room_id: int) -> int:
    return sum(
        b.outstanding_fen for b in payments.counter_view(db, actor, room_id, TODAY).open_bills
    )


def test_mixed_methods_with_change_settle_the_bills(db, cashier, town) -> None:
    assert owed(db, cashier, town.occupied) == 2 * (22375 + 1000)
    posted = pay_all(
        db,
        cashier,
        town.occupied,
        TenderInput(PayMethod.CASH, 26750, 30000),
        TenderInput(PayMethod.WECHAT, 20000),
    )
    assert posted.receipt_no == "SJ00000001"
    assert posted.change_fen == 3250
    assert owed(db, cashier, town.occupied) == 0
    view = receipts.receipt_view(db, cashier, posted.receipt_no)
    assert view.total_fen == 46750
    assert "现金 267.50（实收 300.00，找零 32.50）" in view.methods
    assert [i.period for i in view.items][:2] == ["2026年10月", "2026年10月"]


def test_tenders_must_add_up_to_what_is_charged(db, cashier, town) -> None:
    with pytest.raises(ValidationError, match="收款金额"):
        pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 100))
    with pytest.raises(ValidationError, match="实收现金"):
        pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750, 40000))
    assert journal.receipt_journal(db, cashier, day=TODAY) == []


def test_paying_more_than_a_bill_owes_names_the_bill(db, cashier, town) -> None:
    bill = payments.counter_view(db, cashier, town.occupied, TODAY).open_bills[0]
    request = PaymentRequest(
        town.occupied,
        ((bill.bill_id, bill.outstanding_fen + 1),),
        (TenderInput(PayMethod.CASH, bill.outstanding_fen + 1),),
    )
    with pytest.raises(ValidationError, match="2026年10月物业服务费收款金额"):
        payments.post_payment(db, cashier, request, TODAY)


def test_a_bill_paid_at_another_counter_fails_cleanly(db, cashier, admin, town) -> None:
    bill = payments.counter_view(db, cashier, town.occupied, TODAY).open_bills[0]
    request = PaymentRequest(
        town.occupied,
        ((bill.bill_id, bill.outstanding_fen),),
        (TenderInput(PayMethod.CASH, bill.outstanding_fen),),
    )
    payments.post_payment(db, admin, request, TODAY)
    with pytest.raises(UserError, match="已经结清"):
        payments.post_payment(db, cashier, request, TODAY)
    assert len(journal.receipt_journal(db, cashier, day=TODAY)) == 1


def test_partial_payment_leaves_the_rest_owing(db, cashier, town) -> None:
    bill = payments.counter_view(db, cashier, town.occupied, TODAY).open_bills[0]
    request = PaymentRequest(
        town.occupied, ((bill.bill_id, 10000),), (TenderInput(PayMethod.CASH, 10000),)
    )
    payments.post_payment(db, cashier, request, TODAY)
    after = payments.counter_view(db, cashier, town.occupied, TODAY).open_bills[0]
    assert after.bill_id == bill.bill_id and after.outstanding_fen == bill.outstanding_fen - 10000


def test_paying_a_year_ahead_bills_and_settles_future_months(db, cashier, admin, town) -> None:
    pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    drafts = payments.advance_quote(db, cashier, town.occupied, 12, TODAY)
    assert [str(d.period) for d in drafts[::2]][:2] == ["2026-12", "2027-01"]
    total = sum(d.due_fen for d in drafts)
    assert total == 12 * (22375 + 1000)
    request = PaymentRequest(
        town.occupied,
        (),
        (TenderInput(PayMethod.TRANSFER, total),),
        advance_months=12,
        advance_total_fen=total,
    )
    payments.post_payment(db, cashier, request, TODAY)
    view = payments.counter_view(db, cashier, town.occupied, TODAY)
    assert view.paid_through == Period(2027, 11)
    assert view.next_period == Period(2027, 12)
    # The December run finds the bills already there and creates none for this room.
    december = billing.run_billing(db, admin, Period(2026, 12), today=TODAY)
    assert "1-1-101" not in {row.room_code for row in december.rows}


def test_a_changed_advance_quote_is_refused(db, cashier, town) -> None:
    request = PaymentRequest(
        town.occupied,
        (),
        (TenderInput(PayMethod.CASH, 1000),),
        advance_months=1,
        advance_total_fen=1000,
    )
    with pytest.raises(UserError, match="预交金额已变化"):
        payments.post_payment(db, cashier, request, TODAY)


def test_reductions_need_the_permission_and_a_reason(db, cashier, admin, town) -> None:
    bill = payments.counter_view(db, cashier, town.occupied, TODAY).open_bills[0]
    reduction = ReductionInput(bill.bill_id, 5000, "业主家中困难，经理批准")
    request = PaymentRequest(
        town.occupied,
        ((bill.bill_id, bill.outstanding_fen - 5000),),
        (TenderInput(PayMethod.CASH, bill.outstanding_fen - 5000),),
        reductions=(reduction,),
    )
    with pytest.raises(PermissionDenied):
        payments.post_payment(db, cashier, request, TODAY)
    no_reason = PaymentRequest(
        request.room_id,
        request.allocations,
        request.tenders,
        reductions=(ReductionInput(bill.bill_id, 5000, " "),),
    )
    with pytest.raises(ValidationError, match="减免原因"):
        payments.post_payment(db, admin, no_reason, TODAY)
    posted = payments.post_payment(db, admin, request, TODAY)
    line = payments.counter_view(db, admin, town.occupied, TODAY).open_bills[0]
    assert line.bill_id != bill.bill_id  # the reduced bill is settled
    item = receipts.receipt_view(db, admin, posted.receipt_no).items[0]
    assert "减免 50.00：业主家中困难，经理批准" in item.note


def test_a_cashier_voids_own_receipt_the_same_day_only(db, cashier, make_user, town) -> None:
    posted = pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    other = make_user(Role.CASHIER, "cashier2")
    with pytest.raises(PermissionDenied):
        voids.void_receipt(db, other, posted.receipt_no, "收错户", TODAY)
    with pytest.raises(PermissionDenied):
        voids.void_receipt(db, cashier, posted.receipt_no, "收错户", TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="作废原因"):
        voids.void_receipt(db, cashier, posted.receipt_no, "", TODAY)
    voids.void_receipt(db, cashier, posted.receipt_no, "收错户", TODAY)
    assert owed(db, cashier, town.occupied) == 46750
    assert "作废" in receipts.receipt_view(db, cashier, posted.receipt_no).voided
    with pytest.raises(UserError, match="已经作废"):
        voids.void_receipt(db, cashier, posted.receipt_no, "再次", TODAY)


def test_after_day_close_the_cashier_can_neither_post_nor_void(db, cashier, admin, town) -> None:
    posted = pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    cash_close.close_cash(db, cashier, "day", 46750, today=TODAY)
    with pytest.raises(UserError, match="已经日结"):
        pay_all(
            db, cashier, town.vacant, TenderInput(PayMethod.CASH, owed(db, cashier, town.vacant))
        )
    with pytest.raises(UserError, match="已经日结"):
        voids.void_receipt(db, cashier, posted.receipt_no, "收错户", TODAY)
    voids.void_receipt(db, admin, posted.receipt_no, "主管核实收错户", TODAY)  # a supervisor may


def test_prepaid_void_is_refused_once_the_money_was_used(db, cashier, admin, town) -> None:
    deposit = payments.post_payment(
        db,
        cashier,
        PaymentRequest(town.occupied, (), (TenderInput(PayMethod.CASH, 50000),), prepaid_fen=50000),
        TODAY,
    )
    pay_all(db, cashier, town.occupied, TenderInput(PayMethod.PREPAID, 46750))
    with pytest.raises(UserError, match="已被使用"):
        voids.void_receipt(db, cashier, deposit.receipt_no, "存错户", TODAY)


def test_refunds_of_prepaid_and_deposit_less_deductions(db, cashier, admin, town) -> None:
    payments.post_payment(
        db,
        cashier,
        PaymentRequest(town.occupied, (), (TenderInput(PayMethod.CASH, 20000),), prepaid_fen=20000),
        TODAY,
    )
    with pytest.raises(ValidationError, match="退款金额"):
        refunds.post_refund(
            db,
            cashier,
            RefundRequest(town.occupied, PayMethod.CASH, "业主搬离", "张三", amount_fen=20001),
            TODAY,
        )
    refund = refunds.post_refund(
        db,
        cashier,
        RefundRequest(town.occupied, PayMethod.CASH, "业主搬离", "张三", amount_fen=20000),
        TODAY,
    )
    assert refund.receipt_no == "TK00000001"
    assert payments.counter_view(db, cashier, town.occupied, TODAY).prepaid_fen == 0
    deposit_bill = charge_deposit(db, admin, town)
    with pytest.raises(ValidationError, match="扣款原因"):
        refunds.post_refund(
            db,
            cashier,
            RefundRequest(
                town.occupied,
                PayMethod.TRANSFER,
                "验收合格",
                "张三",
                deposit_bill_id=deposit_bill,
                account_name="张三",
                bank="中国工商银行滨江支行",
                account_no="6222 0212 3456 7890",
                deductions=(DeductionInput(20000, ""),),
            ),
            TODAY,
        )
    back = refunds.post_refund(
        db,
        cashier,
        RefundRequest(
            town.occupied,
            PayMethod.TRANSFER,
            "验收合格",
            "张三",
            deposit_bill_id=deposit_bill,
            account_name="张三",
            bank="中国工商银行滨江支行",
            account_no="6222 0212 3456 7890",
            deductions=(DeductionInput(20000, "楼道墙面污损修复"),),
        ),
        TODAY,
    )
    assert back.amount_fen == 300000 - 20000
    view = receipts.receipt_view(db, cashier, back.receipt_no)
    assert [i.amount_fen for i in view.items] == [300000, -20000]
    with pytest.raises(UserError, match="没有可退"):
        refunds.post_refund(
            db,
            cashier,
            RefundRequest(
                town.occupied, PayMethod.CASH, "再退", "张三", deposit_bill_id=deposit_bill
            ),
            TODAY,
        )


def charge_deposit(db: Database, admin: Actor, town: Community) -> int:
    """A renovation deposit charged at the counter and paid."""
    bill_id = charges.add_charge(db, admin, town.occupied, town.deposit, today=TODAY)
    payments.post_payment(
        db,
        admin,
        PaymentRequest(town.occupied, ((bill_id, 300000),), (TenderInput(PayMethod.CARD, 300000),)),
        TODAY,
    )
    return bill_id


def test_one_off_charges_at_their_price_or_the_typed_amount(db, cashier, admin, town) -> None:
    card = fees.add_fee_item(db, admin, "门禁卡工本费", "其他收费", FeeMethod.ONE_OFF)
    with pytest.raises(ValidationError, match="金额"):
        charges.add_charge(db, cashier, town.occupied, card, 2, today=TODAY)
    fees.add_price_plan(db, admin, card, 200000, date(2020, 1, 1))
    bill_id = charges.add_charge(
        db, cashier, town.occupied, card, 2, note="补办门禁卡", today=TODAY
    )
    line = next(
        b
        for b in payments.counter_view(db, cashier, town.occupied, TODAY).open_bills
        if b.bill_id == bill_id
    )
    assert (line.due_fen, line.period, line.description) == (4000, None, "补办门禁卡")
    assert line.period_label == "2026年11月25日"
    with pytest.raises(ValidationError, match="收费项目"):
        charges.add_charge(db, cashier, town.occupied, town.service, today=TODAY)
    with pytest.raises(ValidationError, match="数量"):
        charges.add_charge(db, cashier, town.occupied, card, 0, today=TODAY)


def test_close_counts_cash_against_what_is_expected(db, cashier, town) -> None:
    pay_all(
        db,
        cashier,
        town.occupied,
        TenderInput(PayMethod.CASH, 40000, 50000),
        TenderInput(PayMethod.ALIPAY, 6750),
    )
    takings = cash_close.open_takings(db, cashier, TODAY)
    assert takings.cash_expected_fen == 40000
    assert takings.by_method == {PayMethod.CASH: 40000, PayMethod.ALIPAY: 6750}
    with pytest.raises(ValidationError, match="说明"):
        cash_close.close_cash(db, cashier, "shift", 39900, today=TODAY)
    closed = cash_close.close_cash(db, cashier, "shift", 39900, "找零少收一元", today=TODAY)
    assert closed.difference_fen == -100
    assert cash_close.open_takings(db, cashier, TODAY).by_method == {}


def test_day_totals_agree_with_the_cashiers(db, cashier, admin, town) -> None:
    first = pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    pay_all(db, admin, town.vacant, TenderInput(PayMethod.WECHAT, owed(db, admin, town.vacant)))
    voids.void_receipt(db, cashier, first.receipt_no, "收错户", TODAY)
    totals = cash_close.day_totals(db, admin, TODAY)
    assert totals.total_fen == sum(row.takings.counter_total_fen for row in totals.cashiers)
    assert totals.total_fen == owed_before_vacant(town)
    mine = next(r for r in totals.cashiers if r.takings.cashier == cashier.display_name)
    assert mine.takings.voided == [first.receipt_no]


def owed_before_vacant(town: Community) -> int:
    # Two months of 物业费 at 70 % plus 垃圾费: (22375 − 6713 + 1000) × 2.
    return (22375 - 6713 + 1000) * 2


def test_collection_rate_counts_what_was_paid_for_the_period(db, cashier, admin, town) -> None:
    pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    figures = collection.collection_figures(db, admin, Period(2026, 11))
    total = figures.total
    # 应收 is gross; the room handed over on the 16th pays half of both monthly items.
    assert total.billed_fen == (22375 + 1000) + (22375 + 1000) + (11188 + 500)
    assert total.reduced_fen == 6713  # the vacant room's 30 %, taken off when billed
    assert total.collected_fen == 22375 + 1000
    assert total.outstanding_fen == (22375 - 6713 + 1000) + (11188 + 500)


def test_only_a_logged_print_makes_the_next_one_a_reprint(db, cashier, town) -> None:
    posted = pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    assert b"%PDF" in printouts.receipt(db, cashier, posted.receipt_no, Paper.FORM_241x93).pdf
    assert receipts.receipt_view(db, cashier, posted.receipt_no).prints == 0  # a preview only
    printouts.log_receipt_print(db, cashier, posted.receipt_no)
    assert receipts.receipt_view(db, cashier, posted.receipt_no).prints == 1


def test_an_invoice_is_recorded_once_and_blocks_the_void(db, cashier, town) -> None:
    posted = pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    receipts.record_invoice(db, cashier, posted.receipt_no, "12345678", date(2026, 11, 30))
    with pytest.raises(UserError, match="不能重复开票"):
        receipts.record_invoice(db, cashier, posted.receipt_no, "87654321", date(2026, 11, 30))
    assert "已开发票 No.12345678" in receipts.receipt_view(db, cashier, posted.receipt_no).invoice
    with pytest.raises(UserError, match="已开具发票"):
        voids.void_receipt(db, cashier, posted.receipt_no, "收错户", TODAY)


def test_a_refunded_deposit_cannot_be_voided_back(db, cashier, admin, town) -> None:
    bill_id = charge_deposit(db, admin, town)
    paid = journal.receipt_journal(db, admin, room_id=town.occupied)[0].number
    back = refunds.post_refund(
        db,
        cashier,
        RefundRequest(town.occupied, PayMethod.CASH, "验收合格", "张三", deposit_bill_id=bill_id),
        TODAY,
    )
    with pytest.raises(UserError, match="已经退还"):
        voids.void_receipt(db, admin, paid, "收错", TODAY)
    with pytest.raises(UserError, match="不能登记发票"):
        receipts.record_invoice(db, cashier, back.receipt_no, "555", TODAY)


def test_a_whole_deposit_can_be_kept_and_prepaid_refunds_take_no_deductions(
    db, cashier, admin, town
) -> None:
    bill_id = charge_deposit(db, admin, town)
    kept = refunds.post_refund(
        db,
        cashier,
        RefundRequest(
            town.occupied,
            PayMethod.CASH,
            "违规拆改，押金全部扣除",
            "张三",
            deposit_bill_id=bill_id,
            deductions=(DeductionInput(300000, "恢复承重墙原状"),),
        ),
        TODAY,
    )
    assert kept.amount_fen == 0
    with pytest.raises(ValidationError, match="退预存款不能扣款"):
        refunds.post_refund(
            db,
            cashier,
            RefundRequest(
                town.occupied,
                PayMethod.CASH,
                "退预存",
                "张三",
                amount_fen=100,
                deductions=(DeductionInput(10, "手续费"),),
            ),
            TODAY,
        )


def test_duplicate_reductions_and_spoiled_forms_are_refused(db, admin, town) -> None:
    bill = payments.counter_view(db, admin, town.occupied, TODAY).open_bills[0]
    twice = PaymentRequest(
        town.occupied,
        (),
        (),
        reductions=(
            ReductionInput(bill.bill_id, 100, "甲"),
            ReductionInput(bill.bill_id, 100, "乙"),
        ),
    )
    with pytest.raises(ValidationError, match="减免"):
        payments.post_payment(db, admin, twice, TODAY)
    receipts.record_spoiled_form(db, admin, "0099", "卡纸")
    used = PaymentRequest(
        town.occupied,
        ((bill.bill_id, 100),),
        (TenderInput(PayMethod.CASH, 100),),
        form_number="0099",
    )
    with pytest.raises(ValidationError, match="已登记为废票"):
        payments.post_payment(db, admin, used, TODAY)


def test_the_system_account_takes_no_money(db, town) -> None:
    from frontdesk.domain.roles import SYSTEM

    with pytest.raises(PermissionDenied, match="系统账户"):
        pay_all(db, SYSTEM, town.occupied, TenderInput(PayMethod.CASH, 46750))


def test_a_day_with_a_shift_close_reports_both_counts(db, cashier, admin, town) -> None:
    pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    cash_close.close_cash(db, cashier, "shift", 46750, today=TODAY)
    due = owed(db, cashier, town.vacant)
    pay_all(db, cashier, town.vacant, TenderInput(PayMethod.CASH, due))
    cash_close.close_cash(db, cashier, "day", due, today=TODAY)
    row = cash_close.day_totals(db, admin, TODAY).cashiers[0]
    assert row.takings.cash_expected_fen == 46750 + due
    assert row.cash_counted_fen == 46750 + due  # no false 短款
    assert row.closed_at is not None


def test_a_spoiled_form_and_a_used_form_number(db, cashier, town) -> None:
    view = payments.counter_view(db, cashier, town.occupied, TODAY)
    request = PaymentRequest(
        town.occupied,
        tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
        (TenderInput(PayMethod.CASH, 46750),),
        form_number="0012345",
    )
    payments.post_payment(db, cashier, request, TODAY)
    with pytest.raises(ValidationError, match="已用于一张收据"):
        receipts.record_spoiled_form(db, cashier, "0012345", "卡纸")
    receipts.record_spoiled_form(db, cashier, "0012346", "卡纸")
    with pytest.raises(ValidationError, match="已登记为废票"):
        receipts.record_spoiled_form(db, cashier, "0012346", "卡纸")


def test_posted_money_rows_cannot_be_changed_in_the_database(db, cashier, town) -> None:
    import sqlalchemy

    pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    with (
        pytest.raises(sqlalchemy.exc.IntegrityError, match="append-only"),
        db.engine.begin() as connection,
    ):
        connection.execute(sqlalchemy.text("UPDATE payment SET total_fen = 1"))


# -- what the receipt and the refund voucher say ------------------------------------


def test_a_receipt_keeps_the_deposit_apart_with_its_terms_and_units_on_every_line(
    db, cashier, town
) -> None:
    charges.add_charge(db, cashier, town.occupied, town.deposit, today=TODAY)
    posted = pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 346750))
    view = receipts.receipt_view(db, cashier, posted.receipt_no)
    quantities = {(item.item, item.quantity) for item in view.items}
    assert ("物业服务费", "89.50㎡") in quantities and ("生活垃圾处理费", "1户") in quantities
    assert ("装修押金", "1户") in quantities
    [deposit] = [item for item in view.items if item.item == "装修押金"]
    assert deposit.note == "押金（可退）"
    terms = "押金 3,000.00 元（装修押金 3,000.00 元，验收合格后凭本收据无息退还）"
    assert view.breakdown == terms
    doc = printouts.receipt_doc(view, ("客户联",))
    assert doc.breakdown == terms and doc.print_no == 1 and not doc.reprint


def test_the_breakdown_names_each_item_collected_on_behalf() -> None:
    from frontdesk.domain.fees import Collection
    from frontdesk.services.fees.receipts import ReceiptItem, breakdown_text

    items = [
        ReceiptItem("物业服务费", "2026年11月", "89.50㎡", "2.50", 22375, "", Collection.OWN),
        ReceiptItem("水费", "2026年11月", "12.00吨", "3.55", 4260, "", Collection.ON_BEHALF),
        ReceiptItem("电费", "2026年11月", "100.00度", "0.60", 6000, "", Collection.ON_BEHALF),
        ReceiptItem("水费", "2026年10月", "10.00吨", "3.55", 3550, "", Collection.ON_BEHALF),
        ReceiptItem("预存款", "", "", "", 10000, "可抵扣以后各期费用"),
    ]
    assert breakdown_text(items) == ("代收代缴 138.10 元（代收水费 78.10 元，代收电费 60.00 元）")


def test_each_print_is_counted_and_a_reprint_says_which_and_when(db, cashier, town) -> None:
    from datetime import datetime

    posted = pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    printouts.log_receipt_print(db, cashier, posted.receipt_no)
    printouts.log_receipt_print(db, cashier, posted.receipt_no)
    view = receipts.receipt_view(db, cashier, posted.receipt_no)
    assert view.prints == 2 and view.last_printed_at is not None
    at = datetime(2026, 11, 26, 10, 3).astimezone()
    doc = printouts.receipt_doc(view, ("客户联",), now=at)
    assert (doc.print_no, doc.printed_at, doc.reprint) == (3, "2026-11-26 10:03", True)


def _prepaid(db, cashier, town, amount: int = 50000) -> str:
    request = PaymentRequest(
        town.occupied, (), (TenderInput(PayMethod.CASH, amount),), prepaid_fen=amount
    )
    return payments.post_payment(db, cashier, request, TODAY).receipt_no


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"payee": "  "}, "领款人"),
        ({"method": PayMethod.TRANSFER, "account_name": ""}, "户名"),
        ({"method": PayMethod.TRANSFER, "bank": ""}, "开户行"),
        ({"method": PayMethod.TRANSFER, "account_no": ""}, "账号"),
        ({"method": PayMethod.TRANSFER, "account_no": "6222-abc"}, "账号"),
    ],
)
def test_a_refund_without_its_payee_or_a_transfer_without_its_account_is_refused(
    db, cashier, town, changes, field
) -> None:
    _prepaid(db, cashier, town)
    whole = {
        "payee": "周新",
        "method": PayMethod.CASH,
        "account_name": "周新",
        "bank": "中国工商银行滨江支行",
        "account_no": "6222021234567890123",
    }
    values = {**whole, **changes}
    request = RefundRequest(
        town.occupied, values.pop("method"), "业主搬离", amount_fen=10000, **values
    )
    before = journal.receipt_journal(db, cashier, room_id=town.occupied)
    with pytest.raises(ValidationError) as caught:
        refunds.post_refund(db, cashier, request, TODAY)
    assert caught.value.field == field
    assert journal.receipt_journal(db, cashier, room_id=town.occupied) == before


def test_a_refund_voucher_names_the_receipts_it_pays_back_and_masks_the_account(
    db, cashier, admin, town
) -> None:
    from sqlalchemy import select

    from frontdesk.db.models import AuditEntry

    first = _prepaid(db, cashier, town, 30000)
    second = _prepaid(db, cashier, town, 20000)
    request = RefundRequest(
        town.occupied,
        PayMethod.TRANSFER,
        "业主搬离，退还预存",
        "周新",
        amount_fen=25000,
        account_name="周新",
        bank="中国工商银行滨江支行",
        account_no="6222 0212 3456 7890 123",
    )
    refund = refunds.post_refund(db, cashier, request, TODAY)
    view = receipts.receipt_view(db, cashier, refund.receipt_no)
    # 250.00 is more than the latest 200.00: both receipts it comes from are named.
    assert [r.number for r in view.refunded] == [first, second]
    issued = receipts.receipt_view(db, cashier, first).issued_at.astimezone().date()
    assert view.refunded[0].issued_on == issued
    assert view.payer == "周新"
    assert view.payee_account == "户名：周新　开户行：中国工商银行滨江支行　账号：6222 **** 0123"
    doc = printouts.receipt_doc(view, ("记账联",))
    assert first in doc.refund_of and second in doc.refund_of
    # masked on screen; whole on the voucher, which finance transfers and ticks by
    assert doc.payee_account.endswith("账号：6222021234567890123")
    with db.read() as session:
        logged = " ".join(session.scalars(select(AuditEntry.changes)))
    assert "6222021234567890123" not in logged and "6222 **** 0123" in logged


def test_a_deposit_refund_names_the_receipt_that_took_the_deposit(db, cashier, town) -> None:
    bill = charges.add_charge(db, cashier, town.occupied, town.deposit, today=TODAY)
    taken = payments.post_payment(
        db,
        cashier,
        PaymentRequest(town.occupied, ((bill, 300000),), (TenderInput(PayMethod.CASH, 300000),)),
        TODAY,
    )
    refund = refunds.post_refund(
        db,
        cashier,
        RefundRequest(town.occupied, PayMethod.CASH, "验收合格", "周新", deposit_bill_id=bill),
        TODAY,
    )
    view = receipts.receipt_view(db, cashier, refund.receipt_no)
    issued = receipts.receipt_view(db, cashier, taken.receipt_no).issued_at.astimezone().date()
    assert [(r.number, r.issued_on) for r in view.refunded] == [(taken.receipt_no, issued)]
    assert view.payee_account == ""  # cash: no account kept


def test_the_carbonless_setting_prints_one_impression_without_a_copy_label(
    db, admin, cashier, town
) -> None:
    import io

    from pypdf import PdfReader

    posted = pay_all(db, cashier, town.occupied, TenderInput(PayMethod.CASH, 46750))
    three = ("存根联", "客户联", "记账联")
    settings = receipts.ReceiptSettings(Paper.FORM_241x93, three)
    receipts.set_receipt_settings(db, admin, settings)
    plain = PdfReader(io.BytesIO(printouts.receipt(db, cashier, posted.receipt_no).pdf))
    assert len(plain.pages) == 3
    receipts.set_receipt_settings(
        db, admin, receipts.ReceiptSettings(Paper.FORM_241x93, three, True)
    )
    carbon = PdfReader(io.BytesIO(printouts.receipt(db, cashier, posted.receipt_no).pdf))
    assert len(carbon.pages) == 1
    text = carbon.pages[0].extract_text()
    assert posted.receipt_no in text and not any(copy in text for copy in three)
