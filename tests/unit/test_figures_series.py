"""The charts' series on a community small enough to check every number by hand:
收缴率 by month and building, arrears by age, work orders by category with their
及时率, butler coverage against 10%, visitors by hour and weekday; and their sheets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from frontdesk.domain import clock
from frontdesk.domain.arrears import AgingBucket
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.service_desk import Channel, Kind, Team, Urgency
from frontdesk.domain.service_report import Rate
from frontdesk.errors import PermissionDenied
from frontdesk.services import service_desk as desk
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, meters, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.figures import series
from frontdesk.services.households import butler_contacts
from frontdesk.services.households import file as households
from frontdesk.services.households.butler_contacts import ContactInput
from frontdesk.services.service_desk import OrderInput
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors.register import VisitInput
from tests.unit.fee_fixtures import make_community
from tests.unit.figure_fixtures import (
    FEE,
    JUNE,
    NOVEMBER,
    OCTOBER,
    TODAY,
    Town,
    make_town,
    pay_town,
)

pytestmark = pytest.mark.clock("2026-11-25T10:00")


@pytest.fixture
def town(db: Database, admin: Actor) -> Town:
    return make_town(db, admin)


@pytest.fixture
def paid(db: Database, admin: Actor, town: Town) -> Town:
    return pay_town(db, admin, town)


def test_collection_by_month_and_building_is_the_reports_rate(
    db: Database, admin: Actor, paid: Town
) -> None:
    found = series.collection_series(db, admin)
    assert found.periods[0] == Period(2025, 12) and found.periods[-1] == NOVEMBER
    assert len(found.periods) == 12 and found.target == Fraction(98, 100)
    rates = {p.period: p.rate for p in found.whole}
    # June and October: 1栋 100.00 of 200.00, 2栋 100.00 of 100.00 -> 200 of 300
    assert rates[JUNE] == rates[OCTOBER] == Fraction(2, 3)
    # November: 1栋 100.00 of 200.00, 2栋 50.00 of 100.00 -> 150 of 300
    assert rates[NOVEMBER] == Fraction(1, 2)
    assert rates[Period(2026, 7)] is None  # no bills: no rate, not 0%
    assert list(found.by_building) == ["1栋", "2栋"]
    one = {p.period: p for p in found.points("1栋")}
    two = {p.period: p for p in found.points("2栋")}
    assert (one[JUNE].due_fen, one[JUNE].collected_fen) == (2 * FEE, FEE)
    assert one[NOVEMBER].rate == Fraction(1, 2)
    assert two[OCTOBER].rate == 1 and two[NOVEMBER].rate == Fraction(1, 2)
    # the charts' percent: one decimal, half up (2/3 = 66.666… → 66.7)
    assert series.percent(found.whole[-1].rate) == 50
    assert str(series.percent(rates[JUNE])) == "66.7"
    # the collection report of one month says the same
    from frontdesk.services.fees import collection

    report = collection.collection_figures(db, admin, NOVEMBER).total
    assert Fraction(report.collected_fen, report.billed_fen - report.reduced_fen) == Fraction(1, 2)


def test_collection_counts_reductions_out_of_what_is_due_and_leaves_out_water(
    db: Database, admin: Actor
) -> None:
    """收缴率 = 实收 ÷ (应收 − 减免), the property's own income only, on the fee tests'
    community (tests/unit/fee_fixtures.py): 物业费 89.50 m² × 2.50 = 223.75 and 垃圾费
    10.00 a month; 1-1-102 空置 pays 物业费 at 70% (67.13 off); 1-1-201 handed over on
    the 16th pays half of November (111.88 + 5.00); 1-1-202 unsold, not billed."""
    town = make_community(db, admin)
    meters.save_readings(  # 代收水费 is billed but is no income of the property
        db, admin, town.water, OCTOBER, [meters.ReadingInput(town.occupied, 0, 10_000)], TODAY
    )
    for period in (OCTOBER, NOVEMBER):
        billing.run_billing(db, admin, period, today=TODAY)
    own = {
        b.bill_id: b.outstanding_fen
        for b in payments.counter_view(db, admin, town.occupied, TODAY).open_bills
        if b.fee_item != "水费"
    }
    request = PaymentRequest(
        town.occupied,
        tuple(own.items()),
        (TenderInput(PayMethod.CASH, sum(own.values())),),
    )
    payments.post_payment(db, admin, request, TODAY)  # 1-1-101: October and November
    left = payments.counter_view(db, admin, town.occupied, TODAY).open_bills
    assert [(b.fee_item, b.period) for b in left] == [("水费", str(OCTOBER))]  # not paid
    rates = {p.period: p.rate for p in series.collection_series(db, admin).whole}
    # October: 101 and 102 (201 not handed over yet): 2 × 233.75 − 67.13 = 400.37 due,
    # 233.75 paid. November: 2 × 233.75 − 67.13 + 116.88 = 517.25 due, 233.75 paid.
    assert rates[OCTOBER] == Fraction(23375, 40037)
    assert rates[NOVEMBER] == Fraction(23375, 51725)
    assert str(series.percent(rates[NOVEMBER])) == "45.2"


def test_arrears_by_age_ages_each_open_bill_by_its_own_month(
    db: Database, admin: Actor, paid: Town
) -> None:
    found = series.arrears_by_age(db, admin)
    # 1-1-102 owes June and October (100.00 each): October one month back, June five;
    # the household counts in both ages. 2-1-101's November half is this month's, not
    # overdue yet.
    assert [(bar.bucket, bar.households, bar.owed_fen) for bar in found.whole] == [
        (AgingBucket.UP_TO_3, 1, FEE),
        (AgingBucket.UP_TO_6, 1, FEE),
        (AgingBucket.UP_TO_12, 0, 0),
        (AgingBucket.UP_TO_24, 0, 0),
        (AgingBucket.OVER_24, 0, 0),
    ]
    assert list(found.by_building) == ["1栋"]
    assert sum(bar.households for bar in found.bars("2栋")) == 0
    title, head, rows, _ = found.sheet()
    assert title == "欠费账龄" and head[0] == "楼栋"
    assert next(iter(rows))[:6] == ["全小区", 1, 1, 0, 0, 0]
    assert next(iter(rows))[6:11] == [Decimal("100.00"), Decimal("100.00"), 0, 0, 0]
    assert rows[-1][0].endswith(series.AGE_RULE)


def test_butler_coverage_is_distinct_homes_reached_over_lived_in_homes(
    db: Database, admin: Actor, make_user, town: Town
) -> None:
    butler = make_user(Role.BUTLER)
    households.assign_butler(db, admin, town.one, butler.user_id)
    contact = ContactInput(TODAY, "电话", "日常回访")
    butler_contacts.record_contact(db, butler, town.a, contact)
    butler_contacts.record_contact(db, butler, town.a, contact)  # the same home twice
    found = series.butler_coverage(db, admin, NOVEMBER)
    # 1栋's lived-in homes: 101 and 102 (201, 202 unsold); one reached
    assert [(bar.butler, bar.households, bar.contacted) for bar in found.bars] == [("管家甲", 2, 1)]
    assert found.bars[0].rate == Fraction(1, 2) and found.target == Fraction(1, 10)
    assert series.butler_coverage(db, butler, OCTOBER).bars[0].contacted == 0
    with pytest.raises(PermissionDenied):
        series.butler_coverage(db, make_user(Role.CASHIER), NOVEMBER)


def test_visitors_by_hour_and_weekday_over_the_last_90_days(
    db: Database, admin: Actor, town: Town
) -> None:
    def visit(at: datetime) -> None:
        data = VisitInput(town.a, "李四", "13912345678", confirmed_by="业主 张三")
        visitors.register_visit(db, admin, data, now=at.astimezone())

    visit(datetime(2026, 11, 25, 8, 30))  # Wednesday 8 时
    visit(datetime(2026, 11, 25, 8, 50))  # Wednesday 8 时
    visit(datetime(2026, 11, 23, 14, 10))  # Monday 14 时
    visit(datetime(2026, 8, 28, 0, 5))  # the window's first day (a Friday), 0 时
    visit(datetime(2026, 8, 27, 23, 55))  # the day before: left out
    found = series.visitor_times(db, admin)
    assert (found.first_day, found.last_day) == (date(2026, 8, 28), TODAY)
    assert found.visits == 4
    hours = dict(enumerate(found.by_hour))
    assert (hours[8], hours[14], hours[0], hours[23]) == (2, 1, 1, 0)
    assert found.by_weekday == (1, 0, 2, 0, 1, 0, 0)  # Monday first
    assert found.grid[2][8] == 2 and found.grid[4][0] == 1
    _, head, rows, _ = found.sheet()
    assert head[0] == "星期" and list(rows)[7][0] == "合计"
    with pytest.raises(PermissionDenied):
        series.visitor_times(db, Actor(None, "x", "x", Role.CASHIER))


START = datetime(2026, 11, 10, 9, 0).astimezone()


def at(minutes: float) -> datetime:
    instant = START + timedelta(minutes=minutes)
    clock.freeze(instant)
    return instant


@pytest.mark.clock(START)
def test_orders_by_category_with_their_on_time_rates(
    db: Database, admin: Actor, town: Town
) -> None:
    plumber = desk.save_staff(db, admin, desk.StaffInput("王师傅", Team.ENGINEERING, "13900001111"))
    water, noise = desk.category_id(db, "水电"), desk.category_id(db, "噪音")

    def take(minutes: float, kind: Kind, category: int) -> int:
        at(minutes)
        data = OrderInput(
            kind, Channel.PHONE, category, "问题", urgency=Urgency.URGENT, room_id=town.a
        )
        order = desk.take_order(db, admin, data).order_id
        desk.dispatch(db, admin, order, staff_id=plumber)
        return order

    # 水电 (urgent: finished within 4 hours): late, on time, not due yet
    late = take(0, Kind.REPAIR_HOME, water)
    at(10)
    desk.arrive(db, admin, late)
    on_time = take(280, Kind.REPAIR_HOME, water)
    at(290)
    desk.arrive(db, admin, on_time)
    at(300)
    desk.finish(db, admin, late, "修好")  # 5 hours after it was taken
    desk.finish(db, admin, on_time, "修好")  # 20 minutes after
    take(295, Kind.REPAIR_HOME, water)
    # 噪音 (complaints answered within 24 hours): one answered, one not due yet
    answered = take(296, Kind.COMPLAINT, noise)
    at(305)
    desk.finish(db, admin, answered, "已答复")
    take(306, Kind.COMPLAINT, noise)

    found = series.orders_by_category(db, admin, NOVEMBER, now=at(310))
    assert [(b.category, b.orders, b.on_time, b.pending) for b in found.bars] == [
        ("水电", 3, Rate(1, 2), 1),
        ("噪音", 2, Rate(1, 1), 1),
    ]
    assert found.total.orders == 5 and found.total.on_time == Rate(2, 3)
    _, head, rows, _ = found.sheet()
    assert head[:5] == ["类别", "工单数", "及时完成", "已到期", "及时率（%）"]
    assert [list(row)[:5] for row in rows][:3] == [
        ["水电", 3, 1, 2, 50],
        ["噪音", 2, 1, 1, 100],
        ["合计", 5, 2, 3, Decimal("66.7")],  # 2 of the 3 due on time
    ]
    assert series.orders_by_category(db, admin, OCTOBER, now=at(310)).bars == ()


def test_a_clerk_sees_no_finance_figures(db: Database, make_user, town: Town) -> None:
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied):
        series.collection_series(db, clerk)
    with pytest.raises(PermissionDenied):
        series.arrears_by_age(db, clerk)
