"""物业工作月报 on a small community where every figure is counted by hand: the
收缴率 of the month, the month before and the same month last year; the on-time rates
and the callbacks' 满意率; the butlers' contact rate; an empty month; the year adding
its months up; the satisfaction survey's 满意度 in a month and a year, with and without
a survey; the paper (KPI labels, 达标/未达标, pages, nothing clipped) and the
workbook."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontdesk.documents.base import Letterhead
from frontdesk.documents.monthly_report import (
    Chart,
    ConcernBlock,
    CountRow,
    KpiRow,
    MonthlyReport,
    Section,
    monthly_report_pdf,
    monthly_report_xlsx,
)
from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import CareCategory
from frontdesk.domain.issued import DocKind
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.service_desk import Channel, Kind, Team, Urgency
from frontdesk.domain.service_report import Rate
from frontdesk.errors import PermissionDenied
from frontdesk.printouts.monthly_report import monthly_report, monthly_report_excel
from frontdesk.services import service_desk as desk
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, collection, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.figures import monthly_figures, yearly_figures
from frontdesk.services.households import butler_contacts, care, file, structure
from frontdesk.services.households.file import CareInput
from frontdesk.services.service_desk import CallbackInput, OrderInput
from tests.unit.fee_fixtures import Community, make_community
from tests.unit.survey_fixtures import make_estate, surveyed
from tests.unit.test_work_order_document import runs_of

NOV = Period(2026, 11)
OCT = Period(2026, 10)
NOV_2025 = Period(2025, 11)
TODAY = date(2026, 11, 25)
START = datetime(2026, 11, 25, 9, 0).astimezone()
pytestmark = pytest.mark.clock(START)
HEAD = Letterhead("锦绣华庭", "杭州锦绣物业服务有限公司", "幸福路 8 号", "0571-88886666")


def at(minutes: float) -> datetime:
    instant = START + timedelta(minutes=minutes)
    clock.freeze(instant)
    return instant


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    community = make_community(db, admin)
    for period in (NOV_2025, OCT, NOV):
        billing.run_billing(db, admin, period, today=TODAY)
    return community


def pay_all(db: Database, admin: Actor, room: int, period: Period) -> int:
    """Pay the room's own-income bills of `period` in full; the fen paid."""
    bills = [
        b
        for b in payments.counter_view(db, admin, room, TODAY).open_bills
        if b.period == str(period) and b.fee_item != "水费"
    ]
    total = sum(b.outstanding_fen for b in bills)
    request = PaymentRequest(
        room,
        tuple((b.bill_id, b.outstanding_fen) for b in bills),
        (TenderInput(PayMethod.CASH, total),),
    )
    payments.post_payment(db, admin, request, TODAY)
    return total


def test_collection_rate_this_month_the_month_before_and_last_year(
    db: Database, admin: Actor, town: Community
) -> None:
    # November 2026: 1-1-101 and the vacant 1-1-102 a whole month (物业费 89.50 m² × 2.50 =
    # 223.75, 垃圾费 10.00), the vacant one's 物业费 at 70 % (67.13 off), 1-1-201 from the
    # 16th (half: 111.88 + 5.00). Due: 2 × 233.75 − 67.13 + 116.88 = 517.25.
    paid = pay_all(db, admin, town.occupied, NOV)
    assert paid == 22375 + 1000
    # October 2026: 101 and 102 only (201 not yet handed over): 2 × 233.75 − 67.13 = 400.37,
    # 101 paid: 233.75.
    pay_all(db, admin, town.occupied, OCT)
    # November 2025, at 2.20 a m²: 196.90 + 10.00 each, 102's 物业费 at 70 % (59.07 off):
    # 2 × 206.90 − 59.07 = 354.73, nothing paid.
    figures = monthly_figures(db, admin, NOV)
    assert figures.this.collection == Rate(23375, 51725)
    assert figures.before.collection == Rate(23375, 40037)
    assert figures.last_year is not None and figures.last_year.collection == Rate(0, 35473)
    # older arrears brought in during November: October's 233.75, paid on the 25th
    assert figures.this.arrears_collected_fen == 23375
    kpi = next(k for k in figures.kpis if k.name == "物业费收缴率")
    assert kpi.target == Fraction(98, 100) and kpi.money
    assert kpi.this.text == "45.2%" and kpi.met is False  # 233.75 / 517.25
    assert kpi.before.text == "58.4%" and kpi.last_year.text == "0.0%"  # type: ignore[union-attr]
    # the collection report's own figures, read for all the months at once
    with db.read() as session:
        totals = collection.own_totals(session, [NOV_2025, OCT, NOV])
        arrears = collection.arrears_collected(session, [NOV_2025, OCT, NOV])
    for period in (NOV_2025, OCT, NOV):
        report = collection.collection_figures(db, admin, period)
        assert totals[period] == report.total
        assert arrears[period] == report.this_year_arrears_fen + report.prior_years_arrears_fen
    # Owing on the 25th, each bill by its own age: 1-1-102's October (233.75 − 67.13 =
    # 166.62) one month overdue; November 2025 of 101 (206.90) and 102 (147.83) twelve.
    assert [(a.households, a.owed_fen) for a in figures.arrears_by_age] == [
        (1, 16662),
        (0, 0),
        (2, 20690 + 14783),
        (0, 0),
        (0, 0),
    ]
    # the trend holds twelve months ending with November, the earlier ones empty
    assert [m.label for m in figures.trend][-3:] == ["2026年9月", "2026年10月", "2026年11月"]
    assert len(figures.trend) == 12 and not figures.trend[0].has_data


def _orders(db: Database, admin: Actor, estate: Community) -> None:
    """In November: two urgent repairs (one on site in 20 minutes, one in 49 and called
    back 2/5/5, which reopens it), a complaint answered in 30 minutes, called back 5/4/4."""
    plumber = desk.save_staff(db, admin, desk.StaffInput("王师傅", Team.ENGINEERING, "13900001111"))
    water = desk.category_id(db, "水电")
    noise = desk.category_id(db, "噪音")

    def take(kind: Kind, category: int, minutes: float) -> int:
        at(minutes)
        data = OrderInput(
            kind=kind,
            channel=Channel.PHONE,
            category_id=category,
            description="厨房水龙头漏水" if kind.is_repair else "楼上夜间噪音",
            urgency=Urgency.URGENT,
            room_id=estate.occupied,
            caller_phone="13812345678",
        )
        order = desk.take_order(db, admin, data).order_id
        desk.dispatch(db, admin, order, staff_id=plumber)
        return order

    fast = take(Kind.REPAIR_HOME, water, 0)
    slow = take(Kind.REPAIR_HOME, water, 1)
    heard = take(Kind.COMPLAINT, noise, 2)
    at(20)
    desk.arrive(db, admin, fast)
    at(32)
    desk.finish(db, admin, heard, "已约谈，夜间停工")
    at(40)
    desk.finish(db, admin, fast, "更换阀芯")
    at(45)
    desk.callback(db, admin, heard, CallbackInput(5, 4, 4))
    at(50)
    desk.arrive(db, admin, slow)
    at(60)
    desk.finish(db, admin, slow, "紧固接头")
    desk.callback(db, admin, slow, CallbackInput(2, 5, 5))  # reopens it


def test_on_time_rates_and_satisfaction_come_from_the_service_report(
    db: Database, admin: Actor, town: Community
) -> None:
    _orders(db, admin, town)
    figures = monthly_figures(db, admin, NOV, now=at(120))
    this = figures.this
    assert this.orders == 3
    assert this.urgent_arrival.rate == Rate(1, 2)  # 20 minutes on time; 49 late, reopened
    assert this.complaint_on_time.rate == Rate(1, 1)
    assert this.satisfied == Rate(1, 2)  # 5/4/4 satisfied, 2/5/5 not
    assert this.complaint_satisfied == Rate(1, 1)
    kpis = {k.name: k for k in figures.kpis}
    assert kpis["投诉处理及时率"].met is True
    assert kpis["投诉处理满意度"].met is True
    assert kpis["回访满意率"].met is False  # 50 % < 95 %
    assert kpis["紧急报修到场及时率"].this == Rate(1, 2) and kpis["紧急报修到场及时率"].met is None
    assert kpis["工单总数"].this == 3 and kpis["工单总数"].before == 0
    # the unsatisfied callback is an exception, with its latest step
    unsatisfied = next(g for g in figures.concerns if g.title == "不满意的回访")
    assert [c.what[:9] for c in unsatisfied.concerns] == ["评分 2/5/5："]
    assert "回访" in unsatisfied.concerns[0].step
    assert figures.by_kind == {"报修（户内）": 2, "投诉": 1}


def test_exceptions_are_the_periods_late_orders_with_their_latest_step(
    db: Database, admin: Actor, town: Community
) -> None:
    _orders(db, admin, town)  # November's: the reopened repair is late again
    at(7 * 24 * 60)  # 2 December
    december = desk.take_order(
        db,
        admin,
        OrderInput(
            kind=Kind.REPAIR_HOME,
            channel=Channel.PHONE,
            category_id=desk.category_id(db, "水电"),
            description="卫生间漏水",
            urgency=Urgency.URGENT,
            room_id=town.vacant,
            caller_phone="13812345678",
        ),
    ).number
    now = at(8 * 24 * 60)  # 3 December: both late
    november = monthly_figures(db, admin, NOV, now=now).concerns[0]
    assert november.title == "超时未办结的工单"
    # the repair finished and never called back, the one reopened by its callback
    steps = {c.step for c in november.concerns}
    assert steps == {
        "2026-11-25 完工（管理员）：更换阀芯",
        "2026-11-25 重新打开（管理员）：回访不满意，重新处理",
    }
    assert december not in {c.reference for c in november.concerns}
    later = monthly_figures(db, admin, NOV.shifted(1), now=now).concerns[0]
    assert december in {c.reference for c in later.concerns} and len(later.concerns) == 3


def test_the_butlers_contact_rate_is_the_lived_in_homes_reached(
    db: Database, admin: Actor, make_user, town: Community
) -> None:
    butler = make_user(Role.BUTLER)
    assert butler.user_id is not None
    building = 1
    file.assign_butler(db, admin, building, butler.user_id)
    # lived in: 1-1-101 (occupied) and 1-1-201 (handed over); 102 vacant, 202 unsold
    for day in (date(2026, 11, 3), date(2026, 11, 20)):  # twice, one household
        butler_contacts.record_contact(
            db, butler, town.occupied, butler_contacts.ContactInput(day, "电话", "征求意见")
        )
    # a 关怀探访 of 1-1-201's 王奶奶 (weekly, last seen 10 days ago) is a contact too
    file.add_record(
        db,
        butler,
        town.new,
        CareInput("王奶奶", CareCategory.ALONE, "独居", 7, TODAY - timedelta(days=10)),
    )
    (due,) = care.visits_due(db, butler, TODAY)
    care.record_visit(db, butler, due.care_id, TODAY, "身体尚好")
    figures = monthly_figures(db, admin, NOV)
    assert figures.this.coverage == Rate(2, 2) and figures.this.contacts == 3
    assert figures.this.care_visits == 1 and figures.before.care_visits == 0
    assert figures.before.coverage == Rate(0, 2)
    kpi = next(k for k in figures.kpis if k.name == "管家联系覆盖率")
    assert kpi.target == Fraction(10, 100) and kpi.met is True


def test_an_empty_month_says_so_and_draws_no_chart(db: Database, admin: Actor) -> None:
    figures = monthly_figures(db, admin, NOV)
    assert not figures.has_data
    assert all(k.met is None for k in figures.kpis)
    printout = monthly_report(db, admin, NOV)
    assert printout.issue.kind == DocKind.WORK_REPORT
    assert printout.issue.title == "物业工作月报 2026年11月"
    pages = PdfReader(io.BytesIO(printout.pdf)).pages
    text = "".join("".join(page.extract_text().split()) for page in pages)
    assert "2026年11月没有任何记录" in text and "不出图表和指标" in text
    assert "二、图表" not in text and "达标" not in text
    assert len(pages) == 2  # the statement, and the exceptions page (无)
    assert "超时未办结的工单（0项）：无。" in text


def test_the_year_adds_its_months_up(db: Database, admin: Actor, town: Community) -> None:
    pay_all(db, admin, town.occupied, NOV)
    year = yearly_figures(db, admin, 2026)
    assert year.label == "2026年1—11月" and year.before_label == "2025年1—11月"
    assert year.last_year is None and len(year.trend) == 11
    # October's 400.37 and November's 517.25 due, November's 233.75 paid
    assert year.this.collection == Rate(23375, 40037 + 51725)
    assert year.before.collection == Rate(0, 35473)
    assert all(k.last_year is None for k in year.kpis)
    pdf = monthly_report(db, admin, year=2026).pdf
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "年度工作总结（数据）" in text and "本年（2026年1—11月）" in text
    assert "去年同月" not in text


def test_a_clerk_may_not_read_the_money(db: Database, make_user) -> None:
    with pytest.raises(PermissionDenied):
        monthly_figures(db, make_user(Role.CLERK), NOV)


# -- the paper -------------------------------------------------------------------------

LONG = "业主反映楼上夜间装修噪音严重影响休息，多次沟通无果，要求物业上门制止并书面答复" * 3

REPORT = MonthlyReport(
    community="锦绣华庭",
    title="物业工作月报",
    period="2026年11月",
    columns=("本月（2026年11月）", "上月（2026年10月）", "去年同月（2025年11月）"),
    as_of="统计截至 2026-12-01 09:00",
    has_data=True,
    kpis=(
        KpiRow("物业费收缴率", "96.1%", "97.3%", "92.0%", "≥ 98.0%", "未达标"),
        KpiRow("投诉处理及时率", "100.0%（8/8）", "100.0%（7/7）", "无数据", "100%", "达标"),
        KpiRow("工单总数", "41", "36", "无数据", "—", "—"),
    ),
    charts=(
        Chart(
            "物业费收缴率（近 12 个月）",
            tuple(f"2026-{m}" for m in range(1, 13)),
            (("收缴率", (None, *(90.0 + m / 2 for m in range(1, 12)))),),
            "%",
            target=98.0,
            target_label="目标 98.0%",
        ),
        Chart(
            "及时率（近 12 个月）",
            ("2026-10", "2026-11"),
            (("报修到场", (80.0, 90.0)), ("投诉处理", (100.0, None))),
            "%",
            lines=True,
        ),
    ),
    sections=(Section("入伙", (CountRow("办理入伙交房（户）", "2", "0", "无数据"),)),),
    concerns=(
        ConcernBlock(
            "超时未办结的工单",
            tuple(
                (f"GD-2611-{n:04d}", LONG[:60], "受理 2026-11-30 22:00", LONG) for n in range(1, 26)
            ),
        ),
        ConcernBlock("逾期未答复的投诉", ()),
    ),
    notes=("收缴率 = 实收 ÷（应收 − 减免）。",),
    prepared_by="王主管",
)


def test_the_paper_shows_the_kpis_against_the_targets_and_nothing_is_clipped() -> None:
    pdf = monthly_report_pdf(HEAD, REPORT, datetime(2026, 12, 1, 9, 0))
    reader = PdfReader(io.BytesIO(pdf))
    pages = ["".join(page.extract_text().split()) for page in reader.pages]
    text = "".join(pages)
    for label in ("物业费收缴率", "投诉处理及时率", "工单总数", "去年同月（2025年11月）"):
        assert label in pages[0]
    assert "未达标" in pages[0] and "达标" in pages[0].replace("未达标", "")
    assert "物业费收缴率（近12个月）" in text and "目标98.0%" in text
    assert "超时未办结的工单（25项）" in text and "另有5项未列出，见Excel报表。" in text
    assert "逾期未答复的投诉（0项）：无。" in text
    total = len(reader.pages)
    assert re.search(rf"第1页/共{total}页", pages[0])
    assert total >= 4  # the KPI page, the charts, the work, the exceptions
    for index, page in enumerate(reader.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for run in runs_of(pdf, index):
            assert run.x >= 20 and run.right <= width - 20, run
            assert 20 <= run.y <= height - 20, run


def test_the_workbook_holds_the_same_tables_and_keeps_formulas_as_text() -> None:
    hostile = replace(
        REPORT,
        concerns=(ConcernBlock("不满意的回访", (("=1+1", "=HYPERLINK(1)", "", "@x"),)),),
    )
    book = load_workbook(io.BytesIO(monthly_report_xlsx(hostile)))
    assert book.sheetnames == ["主要指标", "图表数据", "各项工作", "异常情况"]
    kpis = [[c.value for c in row] for row in book["主要指标"].iter_rows(min_row=4, max_row=7)]
    assert kpis[0] == ["指标", *REPORT.columns, "目标", "结果"]
    assert kpis[1] == ["物业费收缴率", "96.1%", "97.3%", "92.0%", "≥ 98.0%", "未达标"]
    concern = book["异常情况"].cell(4, 2)
    assert concern.value == "=1+1" and concern.data_type == "s"
    assert book["图表数据"].cell(5, 1).value == "2026-1"


def test_the_printout_and_the_workbook_from_the_database(
    db: Database, admin: Actor, town: Community
) -> None:
    pay_all(db, admin, town.occupied, NOV)
    book = load_workbook(io.BytesIO(monthly_report_excel(db, admin, NOV)))
    row = next(
        [c.value for c in r] for r in book["主要指标"].iter_rows() if r[0].value == "物业费收缴率"
    )
    assert row[1:] == ["45.2%", "0.0%", "0.0%", "≥ 98.0%", "未达标"]


# -- 满意度（问卷调查）: the satisfaction survey's line ----------------------------------

MAY_ANSWERS = datetime(2026, 5, 12, 15, 0).astimezone()
NOV_ANSWERS = datetime(2026, 11, 10, 15, 0).astimezone()


def survey_line(figures) -> object:
    return next(k for k in figures.kpis if k.name == "满意度（问卷调查）")


def report_text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_months_survey_is_its_satisfaction_line_and_chart(db: Database, admin: Actor) -> None:
    make_estate(db, admin)
    surveyed(db, admin, "四季度满意度调查", NOV_ANSWERS)
    clock.freeze(START)
    figures = monthly_figures(db, admin, NOV)
    kpi = survey_line(figures)
    names = [k.name for k in figures.kpis]
    assert names[:3] == ["物业费收缴率", "满意度（问卷调查）", "回访满意率"]  # both kept
    # 客服接待 5 of 6 and 工程维修 4 of 6 satisfied: 9 of the 12 scores, 6 households
    assert kpi.this.in_period and kpi.this.rate == Rate(9, 12)
    assert kpi.target == Fraction(95, 100) and kpi.met is False
    assert kpi.before is None and kpi.last_year is None  # October, November 2025: none
    assert figures.has_data  # the survey is the month's work even with nothing else

    text = report_text(monthly_report(db, admin, NOV).pdf)
    # the margin by households: 1.96·sqrt(0.75·0.25/6)·sqrt((20−6)/(20−1)) = 29.7%
    assert "满意度（问卷调查）75.0%（±29.7%，6户）本期无调查本期无调查≥95.0%未达标" in text
    assert "本期为：四季度满意度调查（答卷2026年11月）" in text
    assert "满意度（按维度）：四季度满意度调查，6户答卷" in text
    assert "客服接待83.3%±25.6%" in text and "工程维修66.7%±32.4%" in text

    book = load_workbook(io.BytesIO(monthly_report_excel(db, admin, NOV)))
    row = next([c.value for c in r] for r in book["主要指标"].iter_rows() if r[0].value == kpi.name)
    assert row[1:] == ["75.0%（±29.7%，6 户）", "本期无调查", "本期无调查", "≥ 95.0%", "未达标"]
    data = [[c.value for c in r] for r in book["图表数据"].iter_rows()]
    assert ["客服接待", 83.3, 25.6] in [r[:3] for r in data]


def test_a_month_without_a_survey_shows_the_latest_before_it_or_none(
    db: Database, admin: Actor
) -> None:
    estate = make_estate(db, admin)
    surveyed(db, admin, "二季度满意度调查", MAY_ANSWERS)
    clock.freeze(START)
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=estate.one))[0]
    order = OrderInput(  # November has work, and no survey
        kind=Kind.REPAIR_HOME,
        channel=Channel.PHONE,
        category_id=desk.category_id(db, "水电"),
        description="卫生间漏水",
        urgency=Urgency.URGENT,
        room_id=room,
    )
    desk.take_order(db, admin, order)
    kpi = survey_line(monthly_figures(db, admin, NOV))
    assert not kpi.this.in_period and kpi.this.results.name == "二季度满意度调查"
    assert kpi.met is None  # an earlier period's figure is not this month's verdict
    text = report_text(monthly_report(db, admin, NOV).pdf)
    assert "满意度（问卷调查）本期无调查；此前最近一次（2026年5月）：75.0%（±29.7%，6户）" in text
    assert "此前最近一次为：二季度满意度调查（答卷2026年5月）" in text
    assert "满意度（按维度）" not in text  # no chart of an earlier survey
    april = survey_line(monthly_figures(db, admin, Period(2026, 4)))
    assert april.this is None and april.met is None  # nothing before: never a made-up number
    book = load_workbook(io.BytesIO(monthly_report_excel(db, admin, Period(2026, 4))))
    row = next(
        [c.value for c in r] for r in book["主要指标"].iter_rows() if r[0].value == april.name
    )
    assert row[1] == "本期无调查" and row[-1] == "—"


def test_the_year_shows_its_last_survey_and_lists_them_all(db: Database, admin: Actor) -> None:
    make_estate(db, admin)
    surveyed(db, admin, "二季度满意度调查", MAY_ANSWERS)
    surveyed(db, admin, "四季度满意度调查", NOV_ANSWERS)
    clock.freeze(START)
    year = yearly_figures(db, admin, 2026)
    kpi = survey_line(year)
    assert kpi.this.results.name == "四季度满意度调查" and kpi.this.in_period
    assert [f.results.name for f in year.surveys] == ["四季度满意度调查", "二季度满意度调查"]
    assert kpi.before is None and kpi.met is False
    text = report_text(monthly_report(db, admin, year=2026).pdf)
    assert "满意度（问卷调查）取本年答卷最晚的一次调查（本年各次调查见下）" in text
    assert (
        "本年的满意度调查：二季度满意度调查（2026年5月）75.0%（±29.7%，6户）；"
        "四季度满意度调查（2026年11月）75.0%（±29.7%，6户）。" in text
    )
    earlier = survey_line(yearly_figures(db, admin, 2025))
    assert earlier.this is None  # no survey in or before 2025
