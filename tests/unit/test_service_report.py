"""The month's service report: its rates on hand-made orders on a set clock (pauses,
a booked slot, orders across the month's end, orders not due yet, an unsatisfied
callback), the empty month (无数据, never a division by zero) and the paper."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontdesk.documents.base import Letterhead
from frontdesk.documents.service_report import (
    CountTable,
    KeyFigure,
    ServiceReport,
    service_report_pdf,
)
from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Channel, Kind, Team, Urgency
from frontdesk.domain.service_report import (
    COMPLAINT_ON_TIME_TARGET,
    SATISFIED_TARGET,
    Average,
    Rate,
    percent_text,
    verdict,
)
from frontdesk.errors import UserError
from frontdesk.printouts.service_report import service_report, service_report_excel
from frontdesk.services import service_desk as desk
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.service_desk import CallbackInput, OrderInput

# November's last evening: the clocks run over midnight into December
START = datetime(2026, 11, 30, 22, 0).astimezone()
NOVEMBER = Period(2026, 11)
pytestmark = pytest.mark.clock(START)


@dataclass(frozen=True)
class Estate:
    room: int  # 1-1-101
    other: int  # 1-1-102
    building: int
    plumber: int
    water: int
    noise: int


@pytest.fixture
def estate(db: Database, admin: Actor) -> Estate:
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=one.id))
    rooms = {row.code: row.id for row in structure.room_rows(db, admin, ids)}
    return Estate(
        room=rooms["1-1-101"],
        other=rooms["1-1-102"],
        building=one.id,
        plumber=desk.save_staff(
            db, admin, desk.StaffInput("王师傅", Team.ENGINEERING, "13900001111")
        ),
        water=desk.category_id(db, "水电"),
        noise=desk.category_id(db, "噪音"),
    )


def at(minutes: float) -> datetime:
    """START plus `minutes`, with the clock set there."""
    instant = START + timedelta(minutes=minutes)
    clock.freeze(instant)
    return instant


def repair(estate: Estate, **changes: object) -> OrderInput:
    values: dict[str, object] = {
        "kind": Kind.REPAIR_HOME,
        "channel": Channel.PHONE,
        "category_id": estate.water,
        "description": "厨房水龙头漏水",
        "urgency": Urgency.URGENT,
        "room_id": estate.room,
        "caller_phone": "13812345678",
    }
    values.update(changes)
    return OrderInput(**values)  # type: ignore[arg-type]


def complaint(estate: Estate, **changes: object) -> OrderInput:
    values: dict[str, object] = {
        "kind": Kind.COMPLAINT,
        "channel": Channel.VISIT,
        "category_id": estate.noise,
        "description": "楼上夜间装修噪音",
        "room_id": estate.other,
    }
    values.update(changes)
    return OrderInput(**values)  # type: ignore[arg-type]


def take(db: Database, admin: Actor, estate: Estate, data: OrderInput, minutes: float) -> int:
    """The order taken `minutes` after START and dispatched to the plumber."""
    at(minutes)
    order = desk.take_order(db, admin, data).order_id
    desk.dispatch(db, admin, order, staff_id=estate.plumber)
    return order


def test_rates_count_the_promises_with_pauses_left_out_and_wait_for_what_is_not_due(
    db: Database, admin: Actor, estate: Estate
) -> None:
    # A: urgent (on site within 30 minutes); paused an hour for the owner, on site at 80
    a = take(db, admin, estate, repair(estate), 0)
    at(5)
    desk.pause(db, admin, a, "业主不在家")
    at(65)
    desk.resume(db, admin, a)
    at(80)
    desk.arrive(db, admin, a)  # 80 minutes after taking it, 20 of them running
    at(100)
    desk.finish(db, admin, a, "更换阀芯")
    # B: urgent, on site after 49 minutes: late; finished within its 4 hours
    b = take(db, admin, estate, repair(estate, room_id=estate.other), 1)
    at(50)
    desk.arrive(db, admin, b)
    at(60)
    desk.finish(db, admin, b, "紧固接头")
    # C: ordinary (on site within 2 hours), not yet on site
    take(db, admin, estate, repair(estate, urgency=Urgency.NORMAL), 2)
    # D: a complaint answered in half an hour and called back satisfied (5, 4, 4)
    d = take(db, admin, estate, complaint(estate), 3)
    at(33)
    desk.finish(db, admin, d, "已约谈装修户，夜间停工")
    at(40)
    assert desk.callback(db, admin, d, CallbackInput(5, 4, 4))
    # E: taken after midnight: December's, not November's
    take(db, admin, estate, complaint(estate), 130)

    figures = desk.service_figures(db, admin, NOVEMBER, now=at(110))
    month = figures.this
    assert month.orders == 4
    assert month.by_kind == {"报修（户内）": 3, "投诉": 1}
    assert month.by_category == {"水电": 3, "噪音": 1}
    assert month.by_building == {"1栋": 4}
    assert month.by_channel == {"来电": 3, "来访": 1}
    assert month.by_complaint_category == {"噪音": 1}
    # A on time (the paused hour left out), B late, C not due yet
    assert (month.arrival.rate, month.arrival.pending) == (Rate(1, 2), 1)
    assert month.urgent_arrival.rate == Rate(1, 2) and month.urgent_arrival.pending == 0
    assert (month.completion.rate, month.completion.pending) == (Rate(2, 2), 1)
    assert (month.complaint_on_time.rate, month.complaint_on_time.pending) == (Rate(1, 1), 0)
    # A's and B's callbacks are not due for 24 hours; D's was made
    assert (month.callback.rate, month.callback.pending) == (Rate(1, 1), 2)
    assert month.satisfaction.averages == (Average(5, 1), Average(4, 1), Average(4, 1))
    assert month.satisfaction.satisfied == Rate(1, 1)
    assert month.complaint_satisfaction.satisfied == Rate(1, 1)
    assert month.repeats == {"1-1-101": 2, "1-1-102": 2}  # B and D; A and C
    assert figures.before.orders == 0

    # read later: C's two hours have passed (late); A's and B's callbacks are overdue
    later = desk.service_figures(db, admin, NOVEMBER, now=at(3 * 24 * 60)).this
    assert later.arrival.rate == Rate(1, 3) and later.arrival.pending == 0
    assert later.completion.rate == Rate(2, 3)
    assert later.callback.rate == Rate(1, 3)
    december = desk.service_figures(db, admin, NOVEMBER.shifted(1), now=at(3 * 24 * 60))
    assert december.this.orders == 1 and december.before.orders == 4


def test_an_arrival_within_a_booked_slot_is_on_time(
    db: Database, admin: Actor, estate: Estate
) -> None:
    slot = (START + timedelta(hours=12), START + timedelta(hours=14))
    data = repair(estate, urgency=Urgency.NORMAL, appointment_from=slot[0], appointment_to=slot[1])
    order = take(db, admin, estate, data, 0)
    at(12 * 60 + 110)  # 13 hours 50 minutes after it was taken, inside the slot
    desk.arrive(db, admin, order)
    month = desk.service_figures(db, admin, NOVEMBER).this
    assert month.arrival.rate == Rate(1, 1)


def test_satisfaction_counts_4_and_5_and_keeps_the_unsatisfied_callback_that_reopened(
    db: Database, admin: Actor, estate: Estate
) -> None:
    scores = [(5, 5, 4), (4, 3, 5), (2, 5, 5)]  # satisfied; 一般 on quality; 不满意
    for index, (speed, quality, attitude) in enumerate(scores):
        order = take(db, admin, estate, complaint(estate), index)
        at(index + 10)
        desk.finish(db, admin, order, "已答复")
        desk.callback(db, admin, order, CallbackInput(speed, quality, attitude))
    month = desk.service_figures(db, admin, NOVEMBER).this
    satisfaction = month.complaint_satisfaction
    assert satisfaction.satisfied == Rate(1, 3)
    assert satisfaction.aspect_satisfied == (Rate(2, 3), Rate(2, 3), Rate(3, 3))
    assert satisfaction.averages[0] == Average(11, 3) and satisfaction.averages[0].text == "3.7"
    assert month.reopened == 1
    assert month.callback.rate == Rate(3, 3)  # the reopened one was called back too
    assert not satisfaction.satisfied.meets(SATISFIED_TARGET)


def test_a_month_without_orders_reads_no_data_and_prints(
    db: Database, admin: Actor, estate: Estate
) -> None:
    figures = desk.service_figures(db, admin, NOVEMBER)
    month = figures.this
    assert month.orders == 0 and month.by_kind == {} and month.repeats == {}
    for rate in (month.arrival.rate, month.complaint_on_time.rate, month.satisfaction.satisfied):
        assert rate == Rate(0, 0) and rate.text == "无数据" and rate.meets(Fraction(1)) is None
    assert month.satisfaction.averages[0].text == "无数据"
    printout = service_report(db, admin, NOVEMBER)
    assert (
        printout.issue.title == "客服服务月报 2026年11月" and printout.issue.reference == "2026-11"
    )
    pdf = printout.pdf
    text = "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "客服服务月报" in text and "2026年11月" in text and "无数据" in text
    assert "本月没有重复报修或投诉的位置" in text and "无数据（本月和上月均无记录）。" in text


def test_the_paper_and_the_workbook_show_the_figures_against_the_targets(
    db: Database, admin: Actor, estate: Estate
) -> None:
    late = take(db, admin, estate, complaint(estate), 0)  # answered after 25 hours: late
    at(25 * 60)
    desk.finish(db, admin, late, "已答复")
    desk.callback(db, admin, late, CallbackInput(5, 5, 5))
    printout = service_report(db, admin, NOVEMBER)
    assert (
        printout.issue.title == "客服服务月报 2026年11月" and printout.issue.reference == "2026-11"
    )
    pdf = printout.pdf
    text = "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "投诉处理及时率" in text and "0.0%（0/1）" in text and "未达标" in text
    assert "100.0%（1/1）" in text and "达标" in text
    assert "三项评分" in text and "均为4分（满意）或5分（非常满意）" in text
    book = load_workbook(io.BytesIO(service_report_excel(db, admin, NOVEMBER)))
    assert book.sheetnames == [
        *("主要指标", "工单类型", "受理渠道", "类别（由多到少）", "投诉按类别（原因分析）"),
        *("楼栋", "满意度", "重复位置"),
    ]
    rows = {row[0]: row for row in book["主要指标"].iter_rows(min_row=4, values_only=True)}
    assert rows["工单总数"][1] == 1
    on_time = rows["投诉处理及时率"]
    assert on_time[1] == 0 and on_time[2] == "0/1" and on_time[3] == "无数据"
    assert on_time[5] == "100%" and on_time[6] == "未达标"
    assert rows["投诉处理满意度"][1] == 1 and rows["投诉处理满意度"][6] == "达标"
    kinds = list(book["工单类型"].iter_rows(min_row=4, values_only=True))
    assert kinds == [("投诉", 1, 0, 1), ("合计", 1, 0, 1)]
    assert rows["升级督办的投诉"][1] == 1  # answered after its deadline
    assert "升级督办的投诉" in text


def test_complaints_are_on_time_against_their_deadline_and_escalated_when_taken_up(
    db: Database, admin: Actor, estate: Estate
) -> None:
    # A: a deadline of 48 hours set at intake, answered after 30: on time (the
    # category's 24 hours would call it late)
    a = take(db, admin, estate, complaint(estate, deadline=START + timedelta(hours=48)), 0)
    # B: a deadline of 2 hours, answered after 1: on time
    b = take(db, admin, estate, complaint(estate, deadline=START + timedelta(hours=2)), 0)
    # C: overdue, taken up by a supervisor with a new deadline, answered by it: late
    c = take(db, admin, estate, complaint(estate, deadline=START + timedelta(hours=1)), 0)
    # D: the category's 24 hours, unanswered when read after 31: late (escalated)
    take(db, admin, estate, complaint(estate), 0)
    at(60)
    desk.reply(db, admin, b, "已处理")
    at(90)
    with pytest.raises(UserError, match="不能督办：该投诉尚未超过处理期限"):
        desk.supervise(db, admin, a, desk.Supervision("请跟进"))
    desk.supervise(
        db,
        admin,
        c,
        desk.Supervision(
            "请今天答复", deadline=START + timedelta(hours=5), deadline_reason="需协调"
        ),
    )
    at(4 * 60)
    desk.reply(db, admin, c, "已协调")
    at(30 * 60)
    desk.reply(db, admin, a, "已处理")
    month = desk.service_figures(db, admin, NOVEMBER, now=at(31 * 60)).this
    assert (month.complaint_on_time.rate, month.complaint_on_time.pending) == (Rate(2, 4), 0)
    assert month.complaints_escalated == 2


def test_rates_are_exact_and_round_half_up() -> None:
    assert Rate(2, 3).text == "66.7%" and Rate(1, 8).text == "12.5%"
    assert percent_text(Fraction(1, 2000)) == "0.1%"  # 0.05% rounds up
    assert Rate(19, 20).meets(SATISFIED_TARGET)  # exactly 95%
    assert not Rate(189, 199).meets(SATISFIED_TARGET)  # 94.97…%, printed 95.0%
    assert Rate(189, 199).text == "95.0%"
    assert Rate(0, 0).text == "无数据" and verdict(Rate(0, 0).meets(COMPLAINT_ON_TIME_TARGET)) == (
        "无数据"
    )
    assert verdict(Rate(3, 3).meets(COMPLAINT_ON_TIME_TARGET)) == "达标"
    assert Average(0, 0).text == "无数据" and Average(9, 2).text == "4.5"


def test_a_pause_after_the_arrival_does_not_rescue_a_late_arrival(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = take(db, admin, estate, repair(estate), 0)
    at(50)
    desk.arrive(db, admin, order)  # 50 minutes for a 30-minute promise: late
    at(55)
    desk.pause(db, admin, order, "等配件")
    at(115)
    desk.resume(db, admin, order)
    at(270)  # 4 h 30 after taking it, 3 h 30 of it running: within the 4 hours
    desk.finish(db, admin, order, "更换软管")
    month = desk.service_figures(db, admin, NOVEMBER).this
    assert month.arrival.rate == Rate(0, 1)
    assert month.completion.rate == Rate(1, 1)


def test_a_place_typed_like_a_formula_stays_text_in_the_workbook(
    db: Database, admin: Actor, estate: Estate
) -> None:
    place = "=HYPERLINK(1)"
    for minutes in (0, 10):
        at(minutes)
        desk.take_order(
            db,
            admin,
            repair(
                estate,
                kind=Kind.REPAIR_PUBLIC,
                room_id=None,
                urgency=Urgency.NORMAL,
                place=place,
            ),
        )
    book = load_workbook(io.BytesIO(service_report_excel(db, admin, NOVEMBER)))
    cell = book["重复位置"]["A4"]
    assert cell.value == f"{place}（水电）" and cell.data_type == "s"


def test_the_paper_lists_the_25_places_repeating_most_and_counts_the_rest() -> None:
    repeats = tuple((f"公区{n:02d}", 40 - n, 0) for n in range(35))
    report = ServiceReport(
        community="锦绣华庭",
        period="2026年11月",
        before="2026年10月",
        as_of="统计截至 2026-12-01 10:00",
        figures=(KeyFigure("工单总数", 70, 0),),
        counts=(),
        scores=(),
        complaint_scores=(),
        repeats=CountTable("重复发生的位置", "位置", repeats),
        notes=(),
        prepared_by="主管",
    )
    pdf = service_report_pdf(Letterhead("锦绣华庭"), report, START)
    text = "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "公区24" in text and "公区25" not in text
    assert "另有10处重复较少的位置未列出，见Excel报表。" in text
