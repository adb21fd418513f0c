"""The monthly billing run: who is billed, how much, never twice; meter readings."""

from __future__ import annotations

from datetime import date

import pytest

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.services import stats
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, meters, payments
from frontdesk.services.fees.meters import ReadingInput
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from tests.unit.fee_fixtures import TODAY, Community, make_community

NOV = Period(2026, 11)


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


def bills_of(db: Database, admin: Actor, room_id: int) -> dict[tuple[str, str | None], int]:
    view = payments.counter_view(db, admin, room_id, TODAY)
    return {(b.fee_item, b.period): b.due_fen for b in view.open_bills}


def test_a_month_bills_each_sold_room_at_its_price(db, admin, town) -> None:
    result = billing.run_billing(db, admin, NOV, today=TODAY)
    assert result.bills == 6  # three sold rooms × (物业费 + 垃圾费); the unsold room none
    occupied = bills_of(db, admin, town.occupied)
    assert occupied[("物业服务费", "2026-11")] == 22375  # 89.50 ㎡ × 2.50 (price from July)
    assert occupied[("生活垃圾处理费", "2026-11")] == 1000
    assert bills_of(db, admin, town.unsold) == {}


def test_the_price_in_force_on_the_period_applies(db, admin, town) -> None:
    billing.run_billing(db, admin, Period(2026, 6), today=TODAY)
    assert bills_of(db, admin, town.occupied)[("物业服务费", "2026-06")] == 19690  # 2.20


def test_a_vacant_room_gets_its_reduction_with_the_reason(db, admin, town) -> None:
    billing.run_billing(db, admin, NOV, today=TODAY)
    view = payments.counter_view(db, admin, town.vacant, TODAY)
    service = next(b for b in view.open_bills if b.fee_item == "物业服务费")
    assert service.amount_fen == 22375
    assert service.rule_reduction_fen == 6713  # 30 % of 223.75, rounded half up
    assert service.due_fen == 22375 - 6713
    assert service.rule_reduction_reason == "空置房物业服务费按七成收取"


def test_a_mid_month_handover_pays_from_its_handover_day(db, admin, town) -> None:
    billing.run_billing(db, admin, NOV, today=TODAY)
    bill = next(
        b
        for b in payments.counter_view(db, admin, town.new, TODAY).open_bills
        if b.fee_item == "物业服务费"
    )
    assert bill.start_on == date(2026, 11, 16)
    assert bill.due_fen == 11188  # 15 of 30 days of 223.75
    assert "11月16日起 15 天" in bill.description


def test_running_a_month_twice_creates_nothing_twice(db, admin, town) -> None:
    first = billing.run_billing(db, admin, NOV, today=TODAY)
    second = billing.run_billing(db, admin, NOV, today=TODAY)
    assert second.bills == 0
    assert second.already_billed == first.bills
    assert stats.counts(db)["bills"] == first.bills


def test_a_dry_run_shows_the_bills_and_writes_nothing(db, admin, town) -> None:
    preview = billing.run_billing(db, admin, NOV, dry_run=True, today=TODAY)
    assert preview.bills == 6
    assert {row.room_code for row in preview.rows} == {"1-1-101", "1-1-102", "1-1-201"}
    assert sum(i.due_fen for i in preview.by_item) == preview.total_fen
    assert stats.counts(db)["bills"] == 0


def test_billing_far_ahead_or_before_the_first_run_is_refused(db, admin, town) -> None:
    with pytest.raises(ValidationError, match="账期"):
        billing.run_billing(db, admin, Period(2027, 3), today=TODAY)
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    with pytest.raises(ValidationError, match="早于首次出账月份"):
        billing.run_billing(db, admin, Period(2024, 1), dry_run=True, today=TODAY)


def test_only_fee_managers_run_billing(db, admin, town, make_user) -> None:
    cashier = make_user(Role.CASHIER)
    with pytest.raises(PermissionDenied):
        billing.run_billing(db, cashier, NOV, today=TODAY)


def test_meter_readings_become_bills_and_lock(db, admin, town) -> None:
    meters.save_readings(
        db, admin, town.water, NOV, [ReadingInput(town.occupied, 100000, 101250)], TODAY
    )
    billing.run_billing(db, admin, NOV, today=TODAY)
    water = bills_of(db, admin, town.occupied)[("水费", "2026-11")]
    assert water == 5125  # 12.50 吨 × 4.10
    with pytest.raises(UserError, match="已出账"):
        meters.save_readings(
            db, admin, town.water, NOV, [ReadingInput(town.occupied, 100000, 101300)], TODAY
        )


def test_readings_far_above_usual_warn_and_below_the_last_are_refused(db, admin, town) -> None:
    for month, current in ((8, 101000), (9, 102000), (10, 103000)):
        previous = current - 1000
        meters.save_readings(
            db,
            admin,
            town.water,
            Period(2026, month),
            [ReadingInput(town.occupied, previous, current)],
            TODAY,
        )
    meters.save_readings(
        db, admin, town.water, NOV, [ReadingInput(town.occupied, 103000, 110000)], TODAY
    )
    building = next(iter(meters_buildings(db, admin)))
    row = next(
        r
        for r in meters.reading_grid(db, admin, town.water, NOV, building)
        if r.room_id == town.occupied
    )
    assert row.previous_x100 == 103000 and row.usual_x100 == 1000
    assert "7.0 倍" in row.warning
    with pytest.raises(ValidationError, match="1-1-101 本次读数：小于上次读数"):
        meters.save_readings(
            db, admin, town.water, NOV, [ReadingInput(town.occupied, 103000, 102000)], TODAY
        )


def meters_buildings(db: Database, admin: Actor) -> list[int]:
    from frontdesk.services.households import structure

    return [b.id for b in structure.list_buildings(db, admin)]


def test_prepaid_balance_pays_new_bills_in_the_run(db, admin, town) -> None:
    payments.post_payment(
        db,
        admin,
        PaymentRequest(
            town.occupied, (), (TenderInput(PayMethod.WECHAT, 30000),), prepaid_fen=30000
        ),
        TODAY,
    )
    result = billing.run_billing(db, admin, NOV, today=TODAY)
    assert result.prepaid_rooms == 1
    assert result.prepaid_drawn_fen == 22375 + 1000
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    assert view.open_bills == []
    assert view.prepaid_fen == 30000 - 23375
