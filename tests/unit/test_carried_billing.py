"""已缴至 (数据导入): billing makes no bill for a month the old system was paid for."""

from __future__ import annotations

import pytest

from frontdesk.db.models import Room
from frontdesk.domain.certificates import CertificateKind
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.services.certificates import issuing
from frontdesk.services.certificates.issuing import CertificateRequest
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, grid, payments
from frontdesk.services.households import file as households
from tests.unit.carried_fixtures import carried_bill, import_batch, paid_through
from tests.unit.fee_fixtures import TODAY, Community, make_community

NOV = Period(2026, 11)


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    town = make_community(db, admin)
    batch = import_batch(db, admin)
    # 1-1-101 paid its 物业费 through December in the old system, 垃圾费 through October.
    paid_through(db, admin, batch, town.occupied, town.service, Period(2026, 12))
    paid_through(db, admin, batch, town.occupied, town.rubbish, Period(2026, 10))
    return town


def billed(db: Database, admin: Actor, room_id: int) -> set[tuple[str, str | None]]:
    view = payments.counter_view(db, admin, room_id, TODAY)
    return {(line.fee_item, line.period) for line in view.open_bills}


def test_a_run_skips_the_months_the_old_system_was_paid_for(db, admin, town) -> None:
    preview = billing.run_billing(db, admin, NOV, dry_run=True, today=TODAY)
    assert preview.paid_in_old_system == 1
    assert ("1-1-101", "物业服务费") not in {(r.room_code, r.fee_item) for r in preview.rows}
    result = billing.run_billing(db, admin, NOV, today=TODAY)
    assert result.bills == preview.bills == 5  # six less the one paid in the old system
    assert result.paid_in_old_system == 1
    assert billed(db, admin, town.occupied) == {("生活垃圾处理费", "2026-11")}
    assert ("物业服务费", "2026-11") in billed(db, admin, town.vacant)


def test_the_paid_through_month_itself_is_skipped_and_no_later(db, admin, town) -> None:
    billing.run_billing(db, admin, NOV, today=TODAY)
    december = billing.run_billing(db, admin, Period(2026, 12), today=TODAY)
    assert december.paid_in_old_system == 1
    assert billed(db, admin, town.occupied) == {
        ("生活垃圾处理费", "2026-11")
    }  # December is not owed yet on the 25th of November
    assert ("1-1-101", "生活垃圾处理费") in {(r.room_code, r.fee_item) for r in december.rows}


def test_a_room_brought_up_to_date_skips_the_paid_months_too(db, admin, town) -> None:
    with db.read() as session:
        december = billing.room_drafts(session, town.occupied, Period(2026, 12))
        january = billing.room_drafts(session, town.occupied, Period(2027, 1))
    assert [d.fee_item_id for d in december] == [town.rubbish]
    assert sorted(d.fee_item_id for d in january) == sorted([town.service, town.rubbish])


def test_paying_ahead_starts_after_the_old_systems_months(db, admin, town) -> None:
    billing.run_billing(db, admin, NOV, today=TODAY)
    quote = payments.advance_quote(db, admin, town.occupied, 2, TODAY)
    service = [line.period for line in quote if line.fee_item_id == town.service]
    assert service == [Period(2027, 1)]  # December was paid in the old system


def test_the_counter_says_paid_through_the_old_systems_month(db, admin, town) -> None:
    batch = import_batch(db, admin, "已缴至.xlsx")
    paid_through(db, admin, batch, town.vacant, town.service, Period(2027, 2))
    paid_through(db, admin, batch, town.vacant, town.rubbish, Period(2027, 1))
    view = payments.counter_view(db, admin, town.vacant, TODAY)
    assert view.paid_through == Period(2027, 1)  # every item paid through January
    assert view.next_period == Period(2027, 2)


def test_the_item_paid_least_far_decides_the_month_owed_next(db, admin, town) -> None:
    billing.run_billing(db, admin, NOV, today=TODAY)
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    assert [(b.fee_item, b.period) for b in view.open_bills] == [("生活垃圾处理费", "2026-11")]
    assert view.paid_through == Period(2026, 10)  # 垃圾费 was paid through October only
    assert view.next_period == NOV


def test_an_open_carried_over_bill_before_it_is_still_owed(db, admin, town) -> None:
    batch = import_batch(db, admin, "欠费.xlsx")
    carried_bill(db, admin, batch, town.occupied, town.rubbish, Period(2026, 9), 1000)
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    assert view.paid_through is None
    assert view.next_period == NOV


def test_the_fee_grid_counts_the_old_systems_paid_through_month(db, admin, town) -> None:
    batch = import_batch(db, admin, "已缴至.xlsx")
    for item in (town.service, town.rubbish):
        paid_through(db, admin, batch, town.vacant, item, Period(2027, 3))
    with db.read() as session:
        building = session.get_one(Room, town.vacant).building_id
    states = {s.room_id: s for s in grid.building_fee_states(db, admin, building, TODAY)}
    occupied = states[town.occupied]  # not billed here yet, paid in the old system
    assert (occupied.state, occupied.paid_through) == (grid.FeeState.PAID, Period(2026, 10))
    vacant = states[town.vacant]
    assert (vacant.state, vacant.paid_through) == (grid.FeeState.VACANT, Period(2027, 3))
    assert states[town.new].paid_through is None


def test_a_paid_up_certificate_counts_the_old_systems_month(db, admin, town) -> None:
    households.add_record(
        db,
        admin,
        town.occupied,
        households.PersonInput(PersonKind.OWNER, "张三", Relation.SELF),
    )
    request = CertificateRequest(CertificateKind.PAID_UP, town.occupied, "办理房屋过户")
    draft = issuing.draft_certificate(db, admin, request, TODAY)
    assert "已缴纳至2026年10月" in "".join(draft.paragraphs)  # 垃圾费 paid least far
