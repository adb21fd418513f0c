"""收缴率报表 as an auditor reads it: 应收 is the bills' gross, 减免 holds the reductions
made on the bill (空置房) and those granted later, and every row adds up:
应收 − 减免 − 实收 = 未收. Money held for others (代收 water) is listed below the
物业收入 合计 and never summed into it."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from frontdesk import printouts
from frontdesk.documents.base import Letterhead
from frontdesk.documents.collection_report import (
    CollectionReport,
    CollectionRow,
    OtherBlock,
    collection_report_pdf,
)
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, collection, meters, payments
from frontdesk.services.fees.meters import ReadingInput
from frontdesk.services.fees.payments import PaymentRequest, ReductionInput, TenderInput
from tests.unit.fee_fixtures import TODAY, Community, make_community

NOV = Period(2026, 11)
HEAD = Letterhead("锦绣华庭", "杭州锦绣物业服务有限公司", "幸福路 8 号", "0571-88886666")
EVENING = datetime(2026, 11, 25, 18, 30)
MONEY = re.compile(r"^-?[\d,]+\.\d\d$")


def lines_of(pdf: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return [line.strip() for line in text.splitlines() if line.strip()]


def fen(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


def printed_rows(lines: list[str]) -> dict[str, list[tuple[int, int, int, int, str]]]:
    """Each printed table row: its name and its 应收, 减免, 实收, 未收, 收缴率 cells."""
    rows: dict[str, list[tuple[int, int, int, int, str]]] = {}
    for index, name in enumerate(lines[:-5]):
        cells = lines[index + 1 : index + 6]
        is_row = not MONEY.match(name) and all(MONEY.match(c) for c in cells[:4])
        if is_row and (cells[4].endswith("%") or cells[4] == "—"):
            billed, reduced, collected, outstanding = (fen(c) for c in cells[:4])
            rows.setdefault(name, []).append((billed, reduced, collected, outstanding, cells[4]))
    return rows


def rate_of(billed: int, reduced: int, collected: int) -> str:
    if billed - reduced <= 0:
        return "—"
    rate = (Decimal(collected) / Decimal(billed - reduced)).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )
    return f"{rate * 100:.1f}%"


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    meters.save_readings(
        db,
        admin,
        community.water,
        NOV,
        [
            ReadingInput(community.occupied, 100000, 101250),
            ReadingInput(community.vacant, 50000, 50200),
        ],
        TODAY,
    )
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    billing.run_billing(db, admin, NOV, today=TODAY)
    return community


def test_reductions_on_the_bill_and_later_are_in_the_column_and_rows_add_up(
    db: Database, admin: Actor, make_user, town: Community
) -> None:
    cashier = make_user(Role.CASHIER)
    # The vacant room's November 物业费 was raised at 70 %: 22,375 less 6,713 on the bill.
    vacant = payments.counter_view(db, cashier, town.vacant, TODAY).open_bills
    service = next(b for b in vacant if b.period == "2026-11" and b.fee_item == "物业服务费")
    assert service.outstanding_fen == 22375 - 6713
    # At the counter a supervisor's further 10.00 off, and 100.00 paid of the rest.
    request = PaymentRequest(
        town.vacant,
        ((service.bill_id, 10000),),
        (TenderInput(PayMethod.CASH, 10000),),
        reductions=(ReductionInput(service.bill_id, 1000, "电梯停运补偿"),),
    )
    payments.post_payment(db, admin, request, TODAY)
    # The occupied room pays everything of November, water included.
    occupied = payments.counter_view(db, cashier, town.occupied, TODAY).open_bills
    november = [b for b in occupied if b.period == "2026-11"]
    total = sum(b.outstanding_fen for b in november)
    request = PaymentRequest(
        town.occupied,
        tuple((b.bill_id, b.outstanding_fen) for b in november),
        (TenderInput(PayMethod.WECHAT, total),),
    )
    payments.post_payment(db, cashier, request, TODAY)

    figures = collection.collection_figures(db, admin, NOV)
    own = figures.total
    # 应收 gross: 101 and 102 a whole month, 201 from the 16th (half), both items.
    assert own.billed_fen == 2 * (22375 + 1000) + (11188 + 500)
    assert own.reduced_at_billing_fen == 6713
    assert own.reduced_later_fen == 1000
    assert own.collected_fen == (22375 + 1000) + 10000
    # 未收 is what the counter still asks for, room by room.
    still_owed = sum(
        b.outstanding_fen
        for room in (town.occupied, town.vacant, town.new)
        for b in payments.counter_view(db, cashier, room, TODAY).open_bills
        if b.period == "2026-11" and b.fee_item != "水费"
    )
    assert own.outstanding_fen == still_owed
    water = next(line for line in figures.by_item if line.name == "水费")
    assert water.billed_fen == 5125 + 820  # 12.5 吨 and 2 吨 at 4.10
    assert water.collected_fen == 5125
    assert water not in figures.own_items

    lines = lines_of(printouts.collection_report(db, admin, NOV).pdf)
    rows = printed_rows(lines)
    for name, printed in rows.items():
        for billed, reduced, collected, outstanding, rate in printed:
            assert billed - reduced - collected == outstanding, name
            assert rate == rate_of(billed, reduced, collected), name
    total_rows = rows["合计（物业收入）"]
    assert len(total_rows) == 2  # under the buildings and under the items, the same
    assert all(
        row[:4] == (own.billed_fen, 6713 + 1000, own.collected_fen, own.outstanding_fen)
        for row in total_rows
    )
    assert rows["物业服务费"][0][1] == 7713
    # Water sits below the 合计 in its own block with its own subtotal.
    text = "\n".join(lines)
    block = text.index("代收代缴及其他款项（不计入物业收入合计）")
    assert text.rindex("合计（物业收入）") < block < text.index("\n水费\n")
    assert rows["小计（代收代缴）"][0][:4] == (5945, 0, 5125, 820)
    assert "开单时减免（空置房等）67.13 元" in text.replace("\n", "")
    assert "收缴率 = 实收 ÷（应收 − 减免）" in text.replace("\n", "")


amounts = st.integers(min_value=0, max_value=50_000_000)


@st.composite
def report_rows(draw: st.DrawFn) -> CollectionRow:
    billed = draw(amounts)
    reduced = draw(st.integers(min_value=0, max_value=billed))
    collected = draw(st.integers(min_value=0, max_value=billed - reduced))
    return CollectionRow(draw(st.sampled_from("1234567")) + "栋", billed, collected, reduced)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(report_rows(), min_size=1, max_size=6, unique_by=lambda r: r.name), report_rows())
def test_every_printed_row_adds_up(buildings: list[CollectionRow], water: CollectionRow) -> None:
    total = CollectionRow(
        "合计",
        sum(r.billed_fen for r in buildings),
        sum(r.collected_fen for r in buildings),
        sum(r.reduced_fen for r in buildings),
    )
    water = CollectionRow("水费", water.billed_fen, water.collected_fen, water.reduced_fen)
    report = CollectionReport(
        "2026年11月",
        "统计截至 2026-11-25",
        tuple(buildings),
        (CollectionRow("物业服务费", total.billed_fen, total.collected_fen, total.reduced_fen),),
        total,
        (("本年往月欠费", 0), ("往年欠费", 0)),
        0.98,
        "张主管",
        (OtherBlock("代收代缴", (water,), CollectionRow("小计（代收代缴）", *_figures(water))),),
        total.reduced_fen,
        0,
    )
    rows = printed_rows(lines_of(collection_report_pdf(HEAD, report, EVENING)))
    for building in buildings:
        (printed,) = rows[building.name]
        assert printed[:4] == (
            building.billed_fen,
            building.reduced_fen,
            building.collected_fen,
            building.billed_fen - building.reduced_fen - building.collected_fen,
        )
        assert printed[4] == rate_of(*printed[:3])
    for total_row in rows["合计（物业收入）"]:
        assert total_row[:3] == (total.billed_fen, total.reduced_fen, total.collected_fen)
        assert total_row[0] - total_row[1] - total_row[2] == total_row[3]
    assert rows["水费"][0][0] == water.billed_fen


def _figures(row: CollectionRow) -> tuple[int, int, int]:
    return row.billed_fen, row.collected_fen, row.reduced_fen
