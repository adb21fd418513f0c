"""Carried-over figures (数据导入) at the counter and in the household file: 期初欠费
marked wherever bills are seen and collected like any bill; 期初预存 spendable; neither
takes a receipt number or enters a day's takings; the old system's payment lines kept
read-only and found by year or month."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.onboarding.paid_history import history_matches, months_in
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.database import Database
from frontdesk.services.fees import account, billing, cash_close, journal, payments, receipts
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from tests.unit import carried_fixtures as carried
from tests.unit.fee_fixtures import TODAY, Community, make_community

MARCH = Period(2026, 3)


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    town = make_community(db, admin)
    batch = carried.import_batch(db, admin)
    carried.carried_bill(db, admin, batch, town.occupied, town.service, MARCH, 19690)
    carried.carried_bill(db, admin, batch, town.occupied, town.rubbish, MARCH, 1000)
    carried.carried_prepaid(db, admin, batch, town.vacant, 50000)
    return town


@pytest.fixture
def cashier(make_user) -> Actor:
    return make_user(Role.CASHIER)


def test_a_carried_over_bill_is_marked_at_the_counter(db, cashier, town) -> None:
    view = payments.counter_view(db, cashier, town.occupied, TODAY)
    service = next(b for b in view.open_bills if b.fee_item == "物业服务费")
    assert service.carried_over
    assert service.period_label == "期初欠费 2026年3月"
    assert service.month_label == "2026年3月"


def test_carried_over_figures_take_no_receipt_and_no_takings(db, cashier, town) -> None:
    assert journal.receipt_journal(db, cashier, day=TODAY) == []
    assert cash_close.open_takings(db, cashier, TODAY).empty
    day = cash_close.day_totals(db, cashier, TODAY)
    assert day.total_fen == 0 and day.by_item == [] and day.auto_drawn_fen == 0


def test_collecting_a_carried_over_bill_prints_it_as_such(db, cashier, town) -> None:
    view = payments.counter_view(db, cashier, town.occupied, TODAY)
    request = PaymentRequest(
        town.occupied,
        tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
        (TenderInput(PayMethod.CASH, 20690, 20690),),
    )
    posted = payments.post_payment(db, cashier, request, TODAY)
    assert posted.receipt_no == "SJ00000001"  # the first number: the import took none
    printed = receipts.receipt_view(db, cashier, posted.receipt_no)
    assert [(i.item, i.period, i.quantity, i.note) for i in printed.items] == [
        ("物业服务费", "2026年3月", "", "期初欠费（原系统结转）"),
        ("生活垃圾处理费", "2026年3月", "", "期初欠费（原系统结转）"),
    ]
    assert cash_close.open_takings(db, cashier, TODAY).cash_expected_fen == 20690
    assert payments.counter_view(db, cashier, town.occupied, TODAY).open_bills == []


def test_carried_over_prepaid_pays_at_the_counter_without_new_money(db, cashier, town) -> None:
    assert payments.counter_view(db, cashier, town.vacant, TODAY).prepaid_fen == 50000
    assert account.household_account(db, cashier, town.vacant).prepaid_fen == 50000


def test_the_arrears_list_says_how_much_was_carried_over(db, admin, town) -> None:
    report = arrears.arrears_report(db, admin, arrears.ArrearsFilter(), TODAY)
    (row,) = report.rows
    assert row.room_id == town.occupied
    assert row.total_fen == row.carried_over_fen == 20690
    assert all(item.carried_over for item in row.items)


def test_the_old_systems_payments_are_history_newest_first(db, admin, town) -> None:
    batch = carried.import_batch(db, admin, "缴费记录.xlsx")
    for period, paid_on in (("2025年3月", date(2025, 3, 8)), ("2025-04", date(2025, 5, 2))):
        carried.imported_payment(
            db,
            admin,
            batch,
            town.vacant,
            item="物业费",
            period=period,
            fen=19690,
            paid_on=paid_on,
            receipt_no="0012345",
        )
    held = carried.opening_deposit(db, admin, batch, town.vacant, 300000, date(2025, 6, 1))
    file = account.household_account(db, admin, town.vacant)
    assert [h.period for h in file.history] == ["2025-04", "2025年3月"]
    assert file.history[0].receipt_no == "0012345"
    (deposit,) = file.opening_deposits
    assert (deposit.deposit_id, deposit.held_fen) == (held, 300000)
    assert deposit.label == "装修押金（原系统 2025-06-01 收取）"
    assert file.outstanding_fen == 0  # history is not owed, nor counted as paid here


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", True),
        ("2025", True),
        ("2024", False),
        ("2025年3月", True),
        ("2025-03", True),
        ("202503", True),
        ("2025.3", True),
        ("2025年4月", True),  # paid during April, for March
        ("2025年5月", False),
    ],
)
def test_a_cashier_finds_last_march_however_it_is_typed(query: str, found: bool) -> None:
    assert history_matches("2025年3月", date(2025, 4, 2), query) is found


def test_a_range_of_months_holds_the_months_between() -> None:
    assert months_in("2025-01至2025-03") == [Period(2025, 1), Period(2025, 3)]
    assert history_matches("2025-01至2025-03", None, "2025年2月")
    assert not history_matches("2025-01至2025-03", None, "2025年4月")
    assert months_in("20250301") == []  # a day, not a month


def test_the_first_run_draws_carried_over_prepaid_like_any_prepaid(db, admin, town) -> None:
    result = billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    assert result.prepaid_rooms == 1
    vacant = payments.counter_view(db, admin, town.vacant, TODAY)
    assert vacant.open_bills == []
    assert vacant.prepaid_fen == 50000 - result.prepaid_drawn_fen
    day = cash_close.day_totals(db, admin, TODAY)
    assert day.total_fen == 0 and day.auto_drawn_rooms == 1  # no counter money
    assert journal.receipt_journal(db, admin, day=TODAY) == []


FORMS = ("{y}年{m}月", "{y}-{m:02d}", "{y}/{m}", "{y}.{m}", "{y}{m:02d}", "{y}年{m:02d}月")


@given(
    st.integers(2000, 2099),
    st.integers(1, 12),
    st.sampled_from(FORMS),
    st.sampled_from(FORMS),
    st.integers(1, 11),
)
def test_a_month_is_found_whichever_way_either_side_wrote_it(
    year: int, month: int, written: str, typed: str, shift: int
) -> None:
    period = written.format(y=year, m=month)
    assert history_matches(period, None, typed.format(y=year, m=month))
    other = Period(year, month).shifted(shift)
    assert not history_matches(period, None, typed.format(y=other.year, m=other.month))
