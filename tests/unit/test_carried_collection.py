"""收缴率 with 期初欠费 carried over from the old system (数据导入): the rates are of
this system's own bills; what the month collected on carried-over bills and what is
still open of them are shown apart, on the screen's figures, the PDF and the workbook."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontdesk import printouts
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, collection, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.protection.money_checks import money_problems
from tests.unit import carried_fixtures as carried
from tests.unit.fee_fixtures import TODAY, Community, make_community

NOV = Period(2026, 11)
MARCH = Period(2026, 3)
# November's own bills: 物业费 223.75 × 2 and 111.88 (handed over mid-month), 垃圾费
# 10.00 × 2 and 5.00.
NOV_BILLED = 2 * 22375 + 11188 + 2 * 1000 + 500


@pytest.fixture
def town(db: Database, admin: Actor, make_user) -> Community:
    """March carried over for 1-1-101 (物业费 196.90 collected in November, 垃圾费 10.00
    still open); November billed here."""
    town = make_community(db, admin)
    batch = carried.import_batch(db, admin)
    service = carried.carried_bill(db, admin, batch, town.occupied, town.service, MARCH, 19690)
    carried.carried_bill(db, admin, batch, town.occupied, town.rubbish, MARCH, 1000)
    billing.run_billing(db, admin, NOV, today=TODAY)
    cashier = make_user(Role.CASHIER)
    payments.post_payment(
        db,
        cashier,
        PaymentRequest(town.occupied, ((service, 19690),), (TenderInput(PayMethod.CASH, 19690),)),
        TODAY,
    )
    return town


def test_the_rate_is_of_our_own_bills_and_carried_arrears_are_apart(db, admin, town) -> None:
    figures = collection.collection_figures(db, admin, NOV)
    assert figures.total.billed_fen == NOV_BILLED  # November's bills only
    assert figures.total.collected_fen == 0
    assert figures.carried_collected_fen == 19690
    assert figures.carried_open_fen == 1000
    assert figures.this_year_arrears_fen == figures.prior_years_arrears_fen == 0
    assert all(not problems for problems, _passed in money_problems(db))  # tallies agree


def test_a_month_of_carried_over_bills_only_has_no_rate(db, admin, town) -> None:
    march = collection.collection_figures(db, admin, MARCH)
    assert march.by_item == [] and march.by_building == []
    assert march.total.billed_fen == 0


def test_the_monthly_reports_arrears_collected_include_the_carried_over(db, admin, town) -> None:
    with db.read() as session:
        assert collection.arrears_collected(session, [NOV]) == {NOV: 19690}
        totals = collection.own_totals(session, [MARCH, NOV])
    assert totals[MARCH].billed_fen == 0
    assert totals[NOV].billed_fen == NOV_BILLED


def test_the_printed_report_shows_the_carried_over_apart(db, admin, town) -> None:
    pdf = printouts.collection_report(db, admin, NOV).pdf
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = text.replace("\n", "").replace(" ", "")
    assert "期初结转欠费（原系统，数据导入）196.90" in text
    assert "尚欠10.00元" in text
    book = load_workbook(io.BytesIO(printouts.collection_report_excel(db, admin, NOV)))
    rows = [
        [c for c in row if c is not None] for row in book["清欠情况"].iter_rows(values_only=True)
    ]
    assert ["期初结转欠费（原系统，数据导入）", 196.9] in rows
    assert any("尚欠 10.00 元" in str(row[0]) for row in rows if row)


def test_an_office_without_an_import_sees_no_carried_over_line(db, admin) -> None:
    make_community(db, admin)
    billing.run_billing(db, admin, NOV, today=TODAY)
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(printouts.collection_report(db, admin, NOV).pdf)).pages
    )
    assert "期初结转" not in text
