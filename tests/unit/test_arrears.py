"""Arrears: aging, filters, the reminder log, broken promises, the limitation watch
and late-fee arithmetic."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.arrears import (
    AgingBucket,
    Channel,
    LateFeeTerms,
    bucket_for,
    late_fee,
    limitation_warning,
    months_overdue,
    prescribes_on,
)
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied, ValidationError
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.arrears.listing import ArrearsFilter, ReminderInput
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, payments, voids
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from tests.unit.fee_fixtures import TODAY, Community, make_community


@pytest.mark.parametrize(
    ("months", "bucket"),
    [
        (0, AgingBucket.UP_TO_3),
        (3, AgingBucket.UP_TO_3),
        (4, AgingBucket.UP_TO_6),
        (12, AgingBucket.UP_TO_12),
        (13, AgingBucket.UP_TO_24),
        (25, AgingBucket.OVER_24),
    ],
)
def test_aging_buckets(months: int, bucket: AgingBucket) -> None:
    assert bucket_for(months) == bucket


def test_months_overdue_counts_from_the_oldest_unpaid_month() -> None:
    assert months_overdue(Period(2026, 10), date(2026, 11, 1)) == 1
    assert months_overdue(Period(2025, 11), date(2026, 11, 30)) == 12
    assert months_overdue(Period(2026, 11), date(2026, 11, 30)) == 0


def test_a_written_demand_restarts_the_limitation_clock() -> None:
    due = date(2023, 12, 31)
    assert prescribes_on(due, None) == date(2026, 12, 31)
    assert "将于 2026-12-31 届满" in limitation_warning(due, None, date(2026, 11, 25))
    assert limitation_warning(due, date(2025, 6, 1), date(2026, 11, 25)) == ""
    assert "已超过三年" in limitation_warning(date(2023, 1, 31), None, date(2026, 11, 25))
    assert prescribes_on(date(2024, 2, 29), None) == date(2027, 2, 28)


def test_late_fees_are_off_by_default_and_follow_rate_grace_and_cap() -> None:
    due = date(2026, 10, 31)
    assert late_fee(100000, due, date(2026, 11, 30), LateFeeTerms()) == 0
    terms = LateFeeTerms(enabled=True, per_day_per_10000=5, grace_days=10, cap_percent=10)
    assert late_fee(100000, due, date(2026, 11, 10), terms) == 0  # within grace
    assert late_fee(100000, due, date(2026, 11, 30), terms) == 1000  # 20 days × 0.05 %
    assert late_fee(100000, due, date(2030, 1, 1), terms) == 10000  # capped at 10 %


@given(
    principal=st.integers(1, 10**9),
    days=st.integers(0, 3000),
    rate=st.integers(1, 30),
    cap=st.integers(1, 100),
)
def test_late_fee_is_never_negative_nor_above_its_cap(
    principal: int, days: int, rate: int, cap: int
) -> None:
    terms = LateFeeTerms(enabled=True, per_day_per_10000=rate, cap_percent=cap)
    fee = late_fee(
        principal, date(2020, 1, 1), date.fromordinal(date(2020, 1, 1).toordinal() + days), terms
    )
    assert 0 <= fee <= (principal * cap * 2 + 100) // 200


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    for month in (8, 9, 10, 11):
        billing.run_billing(db, admin, Period(2026, month), today=TODAY)
    return community


def test_the_list_shows_who_owes_for_past_months(db, admin, town) -> None:
    report = arrears.arrears_report(db, admin, today=TODAY)
    rows = {r.room_code: r for r in report.rows}
    occupied = rows["1-1-101"]
    assert occupied.months == 3  # August, September, October; November is not overdue yet
    assert occupied.oldest_period == "2026年8月"
    assert occupied.by_item == {"物业服务费": 3 * 22375, "生活垃圾处理费": 3 * 1000}
    assert occupied.total_fen == sum(occupied.by_item.values())
    assert occupied.bucket == AgingBucket.UP_TO_3
    assert "1-1-201" not in rows  # handed over in November: nothing overdue
    assert report.total_fen == sum(r.total_fen for r in report.rows)


def test_paying_clears_a_household_from_the_list(db, admin, town) -> None:
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    total = sum(b.outstanding_fen for b in view.open_bills)
    payments.post_payment(
        db,
        admin,
        PaymentRequest(
            town.occupied,
            tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
            (TenderInput(PayMethod.CASH, total),),
        ),
        TODAY,
    )
    rooms = {r.room_code for r in arrears.arrears_report(db, admin, today=TODAY).rows}
    assert "1-1-101" not in rooms and "1-1-102" in rooms


def test_filters_by_amount_and_months(db, admin, town) -> None:
    everyone = arrears.arrears_report(db, admin, today=TODAY).rows
    big = arrears.arrears_report(db, admin, ArrearsFilter(min_fen=60000), today=TODAY).rows
    assert {r.room_code for r in big} == {r.room_code for r in everyone if r.total_fen >= 60000}
    assert arrears.arrears_report(db, admin, ArrearsFilter(min_months=4), today=TODAY).rows == []


def test_a_promise_not_kept_puts_the_household_on_the_follow_up_list(db, admin, town) -> None:
    arrears.log_reminder(
        db,
        admin,
        ReminderInput(town.occupied, Channel.PHONE, "答应月底交清", date(2026, 11, 28)),
        TODAY,
    )
    assert arrears.follow_ups(db, admin, TODAY) == []
    late = arrears.follow_ups(db, admin, date(2026, 12, 2))
    assert [r.room_code for r in late] == ["1-1-101"]
    assert late[0].last_reminder.endswith("电话：答应月底交清")
    log = arrears.reminder_log(db, admin, town.occupied)
    assert log[0].owed_fen == 3 * (22375 + 1000)
    with pytest.raises(ValidationError, match="承诺缴费日期"):
        arrears.log_reminder(
            db, admin, ReminderInput(town.occupied, Channel.PHONE, "", date(2026, 1, 1)), TODAY
        )


def test_a_registered_letter_counts_as_a_written_demand(db, admin, town) -> None:
    with pytest.raises(ValidationError, match="送达凭证"):
        arrears.log_reminder(
            db, admin, ReminderInput(town.occupied, Channel.REGISTERED_MAIL, " "), TODAY
        )
    arrears.log_reminder(
        db,
        admin,
        ReminderInput(town.occupied, Channel.REGISTERED_MAIL, "催告函已寄出，单号 XA1234"),
        TODAY,
    )
    row = next(
        r for r in arrears.arrears_report(db, admin, today=TODAY).rows if r.room_id == town.occupied
    )
    assert row.last_written_on is not None


def test_a_butler_sees_and_logs_only_their_buildings(db, admin, town, make_user) -> None:
    butler = make_user(Role.BUTLER)
    assert arrears.arrears_report(db, butler, today=TODAY).rows == []  # no building assigned
    with pytest.raises(PermissionDenied):
        arrears.log_reminder(db, butler, ReminderInput(town.occupied, Channel.VISIT), TODAY)


def test_late_fees_show_when_enabled_and_go_when_waived(db, admin, town) -> None:
    arrears.set_late_fee_terms(db, admin, LateFeeTerms(enabled=True, per_day_per_10000=5))
    row = next(
        r for r in arrears.arrears_report(db, admin, today=TODAY).rows if r.room_id == town.occupied
    )
    assert row.late_fee_fen > 0
    arrears.waive_late_fees(db, admin, town.occupied, "经理批准免收滞纳金", TODAY)
    row = next(
        r for r in arrears.arrears_report(db, admin, today=TODAY).rows if r.room_id == town.occupied
    )
    assert row.late_fee_fen == 0
    with pytest.raises(ValidationError, match="日费率"):
        arrears.set_late_fee_terms(db, admin, LateFeeTerms(enabled=True, per_day_per_10000=99))


def test_the_supervisor_sees_totals_by_building_and_butler(db, admin, town) -> None:
    report = arrears.arrears_report(db, admin, today=TODAY)
    [(building, households, fen)] = report.by_building()
    assert (building, households, fen) == ("1栋", len(report.rows), report.total_fen)
    assert report.by_butler() == [("未分配", len(report.rows), report.total_fen)]


def test_late_fees_are_itemised_by_bill(db, admin, town) -> None:
    arrears.set_late_fee_terms(db, admin, LateFeeTerms(enabled=True, per_day_per_10000=5))
    row = next(
        r for r in arrears.arrears_report(db, admin, today=TODAY).rows if r.room_id == town.occupied
    )
    assert row.late_fees[0][0] == "物业服务费 2026年8月"
    assert sum(fen for _, fen in row.late_fees) == row.late_fee_fen
    # August's 223.75 unpaid 86 days after 31 August at 0.05 % a day: 9.62.
    assert row.late_fees[0][1] == late_fee(22375, date(2026, 8, 31), TODAY, LateFeeTerms(True, 5))


def _open_amounts_disagreeing(db: Database) -> int:
    """Bills whose bill_open row differs from the sums it stands for."""
    from sqlalchemy import text

    with db.read() as session:
        return int(
            session.execute(
                text(
                    "SELECT count(*) FROM bill b LEFT JOIN bill_open o ON o.bill_id = b.id "
                    "WHERE o.open_fen IS NULL OR o.open_fen != b.due_fen"
                    " - COALESCE((SELECT SUM(amount_fen) FROM allocation a"
                    " WHERE a.bill_id = b.id), 0)"
                    " - COALESCE((SELECT SUM(amount_fen) FROM reduction r"
                    " WHERE r.bill_id = b.id), 0)"
                )
            ).scalar_one()
        )


def test_bill_open_agrees_with_the_ledger_after_a_demo_load_and_a_void(tmp_path) -> None:
    from frontdesk.demo import build_demo
    from frontdesk.services import users
    from frontdesk.services.database import open_at
    from frontdesk.services.fees import receipts

    build_demo(tmp_path / "d.sqlite", households=150, seed=3)
    db = open_at(tmp_path / "d.sqlite")
    cashier = users.login(db, "shoufei", "demo1234")
    assert _open_amounts_disagreeing(db) == 0  # rebuilt after the bulk load
    room_id = arrears.arrears_report(db, cashier).rows[0].room_id
    view = payments.counter_view(db, cashier, room_id)
    total = sum(b.outstanding_fen for b in view.open_bills)
    posted = payments.post_payment(
        db,
        cashier,
        PaymentRequest(
            room_id,
            tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
            (TenderInput(PayMethod.CASH, total),),
        ),
    )
    assert room_id not in {r.room_id for r in arrears.arrears_report(db, cashier).rows}
    voids.void_receipt(db, cashier, posted.receipt_no, "收错户")
    assert room_id in {r.room_id for r in arrears.arrears_report(db, cashier).rows}
    assert _open_amounts_disagreeing(db) == 0
    assert receipts.receipt_view(db, cashier, posted.receipt_no).voided
    db.dispose()


def test_water_is_owed_from_the_month_after_it_is_billed(db, admin) -> None:
    from frontdesk.services.fees import meters

    town = make_community(db, admin)
    october = Period(2026, 10)
    reading = meters.ReadingInput(town.occupied, 10_000, 22_000)
    meters.save_readings(db, admin, town.water, october, [reading], date(2026, 10, 31))
    billing.run_billing(db, admin, october, today=date(2026, 11, 1))

    def water_owed(today: date) -> list[str]:
        rows = arrears.arrears_report(db, admin, today=today).rows
        return [i.fee_item for r in rows for i in r.items if i.fee_item == "水费"]

    assert water_owed(date(2026, 11, 25)) == []  # billed this month: not late yet
    assert water_owed(date(2026, 12, 1)) == ["水费"]
