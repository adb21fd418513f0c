"""The counter's payment draft without a window: what is due, the cash part, the change
and the request handed to the service, from bills, ticks and typed amounts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.fees import Collection, FeeMethod, PayMethod
from frontdesk.domain.money import MAX_AMOUNT_FEN, format_yuan
from frontdesk.domain.periods import Period
from frontdesk.errors import ValidationError
from frontdesk.gui.screens.cashier.counter_model import (
    CASH,
    OTHER_METHODS,
    PREPAID_IN,
    TENDERED,
    CounterDraft,
)
from frontdesk.services.fees.ledger import BillLine
from frontdesk.services.fees.payments import AdvanceLine, CounterView

FEN = st.integers(min_value=1, max_value=MAX_AMOUNT_FEN // 100)
SOME_FEN = st.integers(min_value=0, max_value=MAX_AMOUNT_FEN // 100)


def bill(bill_id: int, due_fen: int, paid_fen: int = 0, month: int = 1) -> BillLine:
    return BillLine(
        bill_id=bill_id,
        fee_item_id=1,
        fee_item="物业服务费",
        method=FeeMethod.AREA_MONTHLY,
        collection=Collection.OWN,
        period=f"2026-{month:02d}",
        start_on=date(2026, month, 1),
        end_on=date(2026, month, 28),
        description="",
        quantity_x100=8950,
        unit_price=22000,
        amount_fen=due_fen,
        rule_reduction_fen=0,
        rule_reduction_reason="",
        due_fen=due_fen,
        paid_fen=paid_fen,
        reduced_fen=0,
    )


def room_view(bills: list[BillLine]) -> CounterView:
    return CounterView(
        room_id=7,
        room_code="1-1-101",
        open_bills=bills,
        prepaid_fen=0,
        paid_through=None,
        next_period=Period(2026, 2),
        owners=("张三",),
    )


def opened(*dues: int) -> CounterDraft:
    draft = CounterDraft()
    draft.open(room_view([bill(i + 1, fen, month=i % 12 + 1) for i, fen in enumerate(dues)]))
    return draft


def yuan(fen: int) -> str:
    return format_yuan(fen, grouping=False)


@given(
    dues=st.lists(FEN, min_size=1, max_size=6),
    ticks=st.lists(st.booleans(), min_size=6, max_size=6),
    prepaid=SOME_FEN,
    advance=st.lists(FEN, max_size=3),
)
def test_due_is_the_ticked_bills_the_months_ahead_and_the_prepaid(
    dues: list[int], ticks: list[bool], prepaid: int, advance: list[int]
) -> None:
    draft = opened(*dues)
    for index, chosen in enumerate(ticks[: len(dues)]):
        draft.set_chosen(index, chosen)
    draft.type_amount(PREPAID_IN, yuan(prepaid) if prepaid else "")
    draft.set_advance(
        len(advance),
        [AdvanceLine(Period(2027, m + 1), 1, fen, None, None) for m, fen in enumerate(advance)],
    )
    chosen = [fen for fen, tick in zip(dues, ticks, strict=False) if tick]
    expected = sum(chosen) + sum(advance) + prepaid
    assert draft.due_fen() == expected
    assert isinstance(draft.due_fen(), int)
    assert draft.recalculate() == f"应收合计 ¥{format_yuan(expected)}"
    assert draft.allocations() == [
        (i + 1, fen) for i, (fen, tick) in enumerate(zip(dues, ticks, strict=False)) if tick
    ]


@given(
    dues=st.lists(FEN, min_size=1, max_size=4),
    others=st.lists(SOME_FEN, min_size=len(OTHER_METHODS), max_size=len(OTHER_METHODS)),
    tendered=SOME_FEN,
)
def test_cash_takes_what_the_other_methods_leave_and_change_is_what_is_handed_back(
    dues: list[int], others: list[int], tendered: int
) -> None:
    draft = opened(*dues)
    for method, fen in zip(OTHER_METHODS, others, strict=True):
        draft.type_amount(method.label, yuan(fen) if fen else "")
    draft.recalculate()
    due = sum(dues)
    cash = max(due - sum(others), 0)
    assert draft.fen(CASH) == cash
    assert draft.amounts[CASH] == (yuan(cash) if cash else "")

    draft.type_amount(TENDERED, yuan(tendered) if tendered else "")
    if not tendered:
        assert draft.change_fen() is None and draft.change_text() == ""
    elif tendered >= cash:
        assert draft.change_fen() == tendered - cash
        assert draft.change_text() == f"找零 ¥{format_yuan(tendered - cash)}"
    else:
        assert draft.change_text() == f"还差 ¥{format_yuan(cash - tendered)}"

    if tendered and not cash:
        with pytest.raises(ValidationError) as refused:
            draft.to_request()
        assert refused.value.field == TENDERED
        return
    request = draft.to_request(payer="张三", reference="尾号1234")
    paid = sum(t.amount_fen for t in request.tenders)
    assert paid == cash + sum(others)
    assert request.charged_fen == due
    assert all(isinstance(t.amount_fen, int) and t.amount_fen > 0 for t in request.tenders)
    cash_tenders = [t for t in request.tenders if t.method == PayMethod.CASH]
    assert [t.tendered_fen for t in cash_tenders] == ([tendered or None] if cash else [])
    assert all(t.reference == "尾号1234" for t in request.tenders if t.method != PayMethod.CASH)


@given(due=FEN, reduced=FEN)
def test_a_reduction_lowers_the_bill_and_unticking_drops_it(due: int, reduced: int) -> None:
    draft = opened(due, 5000)
    draft.set_chosen(0, False)
    draft.set_reduction(0, format_yuan(reduced), "  空置困难户  ")
    assert draft.bills[0].chosen  # reducing a bill ticks it
    assert draft.bills[0].pay_text == yuan(max(due - reduced, 0))
    assert draft.reduction_text(0) == f"{format_yuan(reduced)}（空置困难户）"
    request = draft.to_request()
    assert [(r.bill_id, r.amount_fen, r.reason) for r in request.reductions] == [
        (1, reduced, "空置困难户")
    ]
    assert draft.due_fen() == max(due - reduced, 0) + 5000

    draft.set_chosen(0, False)
    assert draft.reduction_text(0) == "" and draft.to_request().reductions == ()
    draft.set_chosen(0, True)
    assert draft.due_fen() == due + 5000  # paid in full again


def test_paying_part_of_a_bill_as_typed() -> None:
    draft = opened(12000, 5000)
    draft.set_pay_text(0, "1,00")  # grouping commas are read the way parse_yuan reads them
    draft.set_pay_text(1, "")
    assert draft.allocations() == [(1, 10000)]
    assert draft.due_fen() == 10000


@pytest.mark.parametrize(
    ("field", "text", "named"),
    [
        ("微信", "12.345", "微信"),
        (PREPAID_IN, "-5", PREPAID_IN),
        (TENDERED, "abc", TENDERED),
    ],
)
def test_a_bad_amount_names_its_field(field: str, text: str, named: str) -> None:
    draft = opened(10000)
    draft.type_amount(field, text)
    with pytest.raises(ValidationError) as bad:
        draft.to_request()
    assert bad.value.field == named


def test_a_bad_bill_amount_names_the_bill_and_shows_in_place_of_the_total() -> None:
    draft = opened(10000)
    draft.set_pay_text(0, "十元")
    line = draft.recalculate()
    assert line.startswith("2026年1月物业服务费本次收：")
    assert "不是有效金额" in line
    assert draft.amounts[CASH] == ""  # the cash part is left as it was


@pytest.mark.parametrize(
    ("amount", "reason", "field"), [("1.234", "困难户", "减免金额"), ("10", "  ", "减免原因")]
)
def test_a_reduction_needs_money_and_a_reason(amount: str, reason: str, field: str) -> None:
    draft = opened(10000)
    with pytest.raises(ValidationError) as bad:
        draft.set_reduction(0, amount, reason)
    assert bad.value.field == field
    assert draft.reductions == {} and draft.bills[0].pay_text == "100.00"


def test_cash_the_program_filled_in_is_unconfirmed_until_the_cashier_types_it() -> None:
    draft = opened(23375)
    draft.recalculate()
    assert draft.amounts[CASH] == "233.75"
    assert draft.unconfirmed_cash_fen() == 23375  # nobody typed it: the counter asks
    draft.type_amount(TENDERED, "300")  # the program writing the field is not typing
    assert draft.unconfirmed_cash_fen() == 23375
    draft.type_amount(TENDERED, "300", by_hand=True)
    assert draft.unconfirmed_cash_fen() == 0 and draft.change_text() == "找零 ¥66.25"
    draft.type_amount(TENDERED, "", by_hand=True)
    assert draft.unconfirmed_cash_fen() == 23375
    draft.type_amount(CASH, "233.75", by_hand=True)  # typed in 现金 itself
    assert draft.unconfirmed_cash_fen() == 0
    draft.type_amount("微信", "100")
    draft.recalculate()  # the program puts another amount in 现金: ask again
    assert draft.amounts[CASH] == "133.75" and draft.unconfirmed_cash_fen() == 13375
    draft.type_amount("微信", "233.75")
    draft.recalculate()
    assert draft.amounts[CASH] == "" and draft.unconfirmed_cash_fen() == 0  # no cash at all


def test_a_room_opened_neutral_has_nothing_ticked_due_or_in_cash() -> None:
    draft = opened(23375, 1000)
    draft.type_amount(TENDERED, "500", by_hand=True)
    draft.open(room_view([line.bill for line in draft.bills]), choose_all=False)
    assert [line.chosen for line in draft.bills] == [False, False]
    assert [line.shown_pay_text for line in draft.bills] == ["", ""]
    assert draft.recalculate() == "应收合计 ¥0.00" and draft.amounts[CASH] == ""
    assert draft.amounts[TENDERED] == "" and draft.unconfirmed_cash_fen() == 0
    with pytest.raises(ValidationError) as refused:
        draft.to_request()
    assert refused.value.field == "账单" and "收至某月" in refused.value.message
    draft.toggle(1)  # Space on the second bill pays it in full
    assert draft.bills[1].shown_pay_text == "10.00" and draft.due_fen() == 1000
    draft.set_pay_text(0, "50")  # typing 本次收 ticks the bill
    assert draft.bills[0].chosen and draft.due_fen() == 6000


def monthly_bills(*months: int) -> list[BillLine]:
    """Two bills (物业服务费 ¥100, 垃圾费 ¥10) for each month given, oldest first."""
    lines: list[BillLine] = []
    for month in months:
        lines += [bill(len(lines) + 1, 10000, month=month), bill(len(lines) + 2, 1000, month=month)]
    return lines


def monthly(*months: int) -> CounterDraft:
    draft = CounterDraft()
    draft.open(room_view(monthly_bills(*months)))
    return draft


def ticks(draft: CounterDraft) -> list[bool]:
    return [line.chosen for line in draft.bills]


def test_pay_through_a_month_ticks_it_and_the_months_before_and_nothing_after() -> None:
    draft = monthly(8, 9, 10)
    assert draft.months() == [Period(2026, 8), Period(2026, 9), Period(2026, 10)]
    assert draft.through_month() == Period(2026, 10)  # opened with every bill ticked
    assert draft.through_text(Period(2026, 9)) == "2026年9月（4 笔 ¥220.00）"
    draft.pay_through(Period(2026, 9))
    assert ticks(draft) == [True, True, True, True, False, False]
    assert draft.due_fen() == 22000 and draft.through_month() == Period(2026, 9)
    assert [fen for _, fen in draft.to_request().allocations] == [10000, 1000, 10000, 1000]
    draft.pay_through(Period(2026, 8))
    assert ticks(draft) == [True, True, False, False, False, False]
    draft.toggle(1)  # no longer a run of whole months
    assert draft.through_month() is None
    draft.pay_through(Period(2026, 10))
    assert all(ticks(draft)) and draft.due_fen() == 33000


def test_a_one_off_charge_counts_in_the_month_it_was_charged() -> None:
    charge = replace(bill(9, 300000), period=None, start_on=date(2026, 9, 14))
    draft = CounterDraft()
    draft.open(room_view([*monthly_bills(9, 10), charge]))
    draft.pay_through(Period(2026, 9))
    assert ticks(draft) == [True, True, False, False, True]


def test_space_ticks_one_bill_and_shift_a_range_from_the_last_one() -> None:
    draft = monthly(7, 8, 9)
    draft.open(room_view([line.bill for line in draft.bills]), choose_all=False)
    draft.set_range(2)  # no bill touched yet: from the first
    assert ticks(draft) == [True, True, True, False, False, False]
    draft.toggle(4)  # Space on a bill not ticked ticks it
    assert ticks(draft) == [True, True, True, False, True, False]
    draft.toggle(1)  # the anchor is now 1, unticked
    draft.set_range(4)  # 1..4 take the anchor's state
    assert ticks(draft) == [True, False, False, False, False, False]
    draft.toggle(5)
    draft.set_range(3)  # backwards works too
    assert ticks(draft) == [True, False, False, True, True, True]
    assert draft.anchor == 5


@given(
    start=st.lists(st.booleans(), min_size=1, max_size=8),
    anchor=st.integers(0, 7),
    target=st.integers(0, 7),
)
def test_a_shift_range_sets_exactly_the_bills_between_anchor_and_target(
    start: list[bool], anchor: int, target: int
) -> None:
    draft = opened(*([1000] * len(start)))
    anchor, target = anchor % len(start), target % len(start)
    for index, chosen in enumerate(start):
        draft.set_chosen(index, chosen)
    draft.toggle(anchor)
    state = draft.bills[anchor].chosen
    before = ticks(draft)
    draft.set_range(target)
    low, high = sorted((anchor, target))
    assert ticks(draft) == [state if low <= i <= high else before[i] for i in range(len(start))]
    assert draft.due_fen() == 1000 * sum(ticks(draft))


def test_nothing_to_post_before_a_room_is_open() -> None:
    with pytest.raises(ValidationError) as refused:
        CounterDraft().to_request()
    assert refused.value.field == "房号"


def test_advance_months_are_described() -> None:
    draft = opened(10000)
    draft.set_advance(3)
    assert draft.advance_fen == 0 and draft.advance_text() == "没有可预交的月度费用"
    lines = [AdvanceLine(Period(2026, m), 1, 19690, None, None) for m in (3, 4)]
    draft.set_advance(2, lines)
    assert draft.advance_text() == "2026年3月至2026年4月，2 笔，¥393.80"
    assert draft.to_request().advance_months == 2
