"""派工单 and 维修回执 as printed: what the worker and the owner read on them, on A5 and
on an 80 mm roll, blank for dispatch and filled after completion; nothing off the page."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfbase.pdfmetrics import stringWidth

from frontdesk.documents.base import FONT, Letterhead, register_font
from frontdesk.documents.work_order import (
    RATINGS,
    MaterialLine,
    WorkDone,
    WorkOrderSheet,
    WorkPlace,
    work_order_pdf,
)
from frontdesk.domain.service_desk_paper import WorkOrderPaper

MM = 72 / 25.4
HEAD = Letterhead("锦绣华庭", "杭州锦绣物业服务有限公司", "幸福路 8 号", "0571-88886666")
SHEET = WorkOrderSheet(
    number="GD-2612-0001",
    kind="报修",
    category="水电",
    urgency="紧急",
    taken_at="2026-12-07 09:12",
    taken_by="前台 李四",
    channel="来电",
    place=WorkPlace("3-2-1201", "3栋2单元1201室"),
    contact_name="张三",
    contact_phone="13812345678",
    description="厨房水龙头根部漏水，水已流到橱柜里，业主已关闭厨房角阀。",
    appointment="2026-12-07 14:00–16:00",
    arrive_by="2026-12-07 09:42",
    finish_by="2026-12-08 09:12",
    dispatched_to="工程部 王建国",
    dispatched_at="2026-12-07 09:15",
    paid=True,
    price_note="按《有偿维修价目表》收费：人工费 30 元/次，材料按价目表另计",
)
DONE = WorkDone(
    arrived_at="2026-12-07 09:35",
    finished_at="2026-12-07 10:20",
    result="更换厨房单把水龙头一个及软管两根，试水无渗漏，已清理现场。",
    worker="工程部 王建国",
    materials=(
        MaterialLine("单把水龙头（铜）", "1 个", 4550),
        MaterialLine("不锈钢编织软管 50 厘米", "2 根", 1600),
    ),
    labour_fen=3000,
    fee_fen=9150,
    receipt_number="SJ00000123",
    rating="满意",
    owner_comment="师傅准时，处理干净。",
)
LONG = "卫生间吊顶持续滴水，楼上1301室疑似地漏或防水层渗漏，已联系楼上业主下午在家配合查看；" * 12
PAGE_MM = {WorkOrderPaper.A5: (148, 210), WorkOrderPaper.ROLL_80: (80, None)}
LEAST_MARGIN_MM = {WorkOrderPaper.A5: 6, WorkOrderPaper.ROLL_80: 3}


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def without_page_numbers(pages: list[str]) -> str:
    return re.sub(r"第\d+页/共\d+页", "", flat("".join(pages)))


def flat(text: str) -> str:
    """Text with line breaks and spaces removed, so wrapped values read whole."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Run:
    text: str
    x: float
    right: float
    y: float


def runs_of(pdf: bytes, page_index: int = 0) -> list[Run]:
    """Every drawn line of text on a page, with where it starts and ends in points.
    pypdf may report one line in pieces at the line's start; they are joined."""
    register_font()
    page = PdfReader(io.BytesIO(pdf)).pages[page_index]
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        shown = text.rstrip("\n")
        width = stringWidth(shown, FONT, size)
        if runs and (runs[-1].x, runs[-1].y) == (x, y):
            last = runs.pop()
            runs.append(Run(last.text + shown, x, last.right + width, y))
        else:
            runs.append(Run(shown, x, x + width, y))

    page.extract_text(visitor_text=visit)
    return runs


def colours_of(pdf: bytes) -> set[tuple[str, tuple[float, ...]]]:
    """Every fill and stroke colour set on every page."""
    reader = PdfReader(io.BytesIO(pdf))
    found: set[tuple[str, tuple[float, ...]]] = set()
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            op = operator.decode()
            if op in ("rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN"):
                found.add((op, tuple(float(value) for value in operands)))
    return found


def assert_inside_the_page(pdf: bytes, paper: WorkOrderPaper) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    margin = LEAST_MARGIN_MM[paper] * MM
    for index, page in enumerate(reader.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        runs = runs_of(pdf, index)
        assert runs
        for run in runs:
            assert run.x >= margin - 0.5, run
            assert run.right <= width - margin + 0.5, run
            assert margin - 0.5 <= run.y <= height - margin, run


# -- the paper ----------------------------------------------------------------------------


@pytest.mark.parametrize("done", [None, DONE], ids=["派工单", "维修回执"])
@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_one_page_of_the_paper_chosen(paper: WorkOrderPaper, done: WorkDone | None) -> None:
    reader = PdfReader(io.BytesIO(work_order_pdf(HEAD, replace(SHEET, done=done), paper)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    width_mm, height_mm = PAGE_MM[paper]
    assert float(box.width) == pytest.approx(width_mm * MM, abs=0.5)
    if height_mm is not None:
        assert float(box.height) == pytest.approx(height_mm * MM, abs=0.5)
    else:  # a roll is as long as its content: the desk's facts and room to write
        assert 200 * MM < float(box.height) < 500 * MM


@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_the_worker_reads_the_whole_order(paper: WorkOrderPaper) -> None:
    text = pages_of(work_order_pdf(HEAD, SHEET, paper))[0]
    body = flat(text)
    assert flat("派 工 单") in body
    for value in (
        "锦绣华庭",
        "0571-88886666",
        "GD-2612-0001",
        "报修·水电",
        "紧急",
        "来电",
        "2026-12-0709:12",
        "前台李四",
        "工程部王建国",
        "2026-12-0709:15",
        "3-2-1201（3栋2单元1201室）",
        "张三",
        "13812345678",  # whole: the worker calls ahead
        flat(SHEET.description),
        "2026-12-0714:00–16:00",
        "2026-12-0709:42前",
        "2026-12-0809:12前",
        "有偿维修",
        flat(SHEET.price_note),
    ):
        assert value in body, value
    for label in ("首问负责人", "到场时限", "完工时限", "预约时间", "派单时间", "来源渠道"):
        assert label in body, label


@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_the_blank_sheet_has_room_for_the_worker_and_the_owner(paper: WorkOrderPaper) -> None:
    body = flat(pages_of(work_order_pdf(HEAD, SHEET, paper))[0])
    for label in (
        "维修回执（维修人员填写）",
        "到场时间：",
        "完工时间：",
        "处理结果：",
        "使用材料",
        "数量",
        "金额（元）",
        "人工费（元）：",
        "材料费（元）：",
        "合计（元）：",
        "维修人员签字：",
        "业主（报修人）确认",
        "服务评价：",
        "业主签字：",
        "日期：",
    ):
        assert label in body, label
    assert all(rating in body for rating in RATINGS)
    assert "✔" not in body  # nothing ticked before the owner has
    assert "打印时间" not in body
    assert "材料费合计" not in body and "收据号" not in body


@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_the_receipt_shows_what_was_recorded_in_yuan(paper: WorkOrderPaper) -> None:
    text = pages_of(work_order_pdf(HEAD, replace(SHEET, done=DONE), paper))[0]
    body = flat(text)
    assert flat("维 修 回 执") in body
    for value in (
        "到场时间：2026-12-0709:35",
        "完工时间：2026-12-0710:20",
        flat(DONE.result),
        "单把水龙头（铜）",
        "1个",
        "不锈钢编织软管50厘米",
        "2根",
        "45.50",
        "16.00",
        "材料费合计61.50",
        "人工费（元）：30.00",
        "材料费（元）：61.50",
        "合计（元）：91.50",
        "人民币玖拾壹元伍角",
        "¥91.50",
        "收据号SJ00000123",
        "维修人员：工程部王建国",
        "意见或建议：师傅准时，处理干净。",
    ):
        assert value in body, value
    # The recorded rating is ticked: exactly one tick, before 满意 (not 非常满意).
    assert body.count("✔") == 1
    assert re.search(r"✔\s*满意", text) and not re.search(r"✔\s*非常满意", text)


@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_a_free_repair_asks_no_fee(paper: WorkOrderPaper) -> None:
    free = replace(SHEET, paid=False, price_note="")
    for done in (None, replace(DONE, labour_fen=0, fee_fen=0, receipt_number="")):
        body = flat(pages_of(work_order_pdf(HEAD, replace(free, done=done), paper))[0])
        assert "无偿维修，不收费" in body
        assert "有偿维修" not in body and "人工费" not in body and "合计（元）" not in body


@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_a_complaint_at_a_public_place(paper: WorkOrderPaper) -> None:
    complaint = replace(
        SHEET,
        kind="投诉",
        category="噪音",
        urgency="普通",
        place=WorkPlace(building="5栋", floor="1层", area="电梯厅"),
        paid=False,
        appointment="",
    )
    body = flat(pages_of(work_order_pdf(HEAD, complaint, paper))[0])
    assert "公共区域5栋1层电梯厅" in body
    assert "投诉·噪音" in body and "普通" in body and "未预约" in body
    assert "处理回执（处理人员填写）" in body and "处理人员签字：" in body
    assert "不收费" in body and "维修" not in body
    assert "处理期限" in body and "完工时限" not in body and "到场时限" not in body
    assert "处理时间：" in body and "到场时间" not in body and "使用材料" not in body
    handled = flat(pages_of(work_order_pdf(HEAD, replace(complaint, done=DONE), paper))[0])
    assert "处理回执" in handled and "维修回执" not in handled  # its title too


# -- wrapping, margins, ink ---------------------------------------------------------------


@pytest.mark.parametrize("done", [None, DONE], ids=["派工单", "维修回执"])
@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_nothing_is_clipped(paper: WorkOrderPaper, done: WorkDone | None) -> None:
    long_done = done and replace(done, result=LONG[:200], owner_comment=LONG[:90])
    for sheet in (
        replace(SHEET, done=done),
        replace(
            SHEET, done=long_done, description=LONG[:300], dispatched_to="工程部水电组 王建国" * 3
        ),
    ):
        assert_inside_the_page(work_order_pdf(HEAD, sheet, paper), paper)


@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_a_long_description_wraps_and_is_printed_whole(paper: WorkOrderPaper) -> None:
    pdf = work_order_pdf(HEAD, replace(SHEET, description=LONG), paper)
    pages = pages_of(pdf)
    assert flat(LONG) in flat("".join(pages))
    description_lines = [run for run in runs_of(pdf) if run.text[:2] in LONG]
    assert len(description_lines) >= 6  # wrapped, not run off the edge
    assert_inside_the_page(pdf, paper)


def test_a_few_lines_of_description_still_fit_one_a5_sheet() -> None:
    pdf = work_order_pdf(HEAD, replace(SHEET, description=LONG[:180]), WorkOrderPaper.A5)
    assert len(pages_of(pdf)) == 1


def test_an_a5_sheet_too_long_for_one_page_runs_on_numbered() -> None:
    """The worker's and the owner's part stay together on the next page, under the number."""
    pdf = work_order_pdf(HEAD, replace(SHEET, description=LONG), WorkOrderPaper.A5)
    pages = [flat(page) for page in pages_of(pdf)]
    assert len(pages) == 2
    assert "第1页/共2页" in pages[0] and "第2页/共2页" in pages[1]
    assert "派工单GD-2612-0001（续）" in pages[1]
    for label in ("到场时间：", "处理结果：", "服务评价：", "业主签字："):
        assert label in pages[1] and label not in pages[0], label
    assert_inside_the_page(pdf, WorkOrderPaper.A5)


def test_a_roll_grows_with_the_description() -> None:
    short = work_order_pdf(HEAD, SHEET, WorkOrderPaper.ROLL_80)
    longer = work_order_pdf(HEAD, replace(SHEET, description=LONG), WorkOrderPaper.ROLL_80)
    heights = [
        float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height) for pdf in (short, longer)
    ]
    assert heights[1] > heights[0] + 40 * MM
    for pdf in (short, longer):  # the footer ends just above where the printer cuts
        assert min(run.y for run in runs_of(pdf)) < 10 * MM


@pytest.mark.parametrize("done", [None, DONE], ids=["派工单", "维修回执"])
@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_printed_in_black_only(paper: WorkOrderPaper, done: WorkDone | None) -> None:
    """A thermal head dithers grey and a ribbon smudges it: every colour set is black."""
    colours = colours_of(work_order_pdf(HEAD, replace(SHEET, done=done), paper))
    assert colours
    for op, values in colours:
        black = (1.0,) if op in ("k", "K") else ()
        assert values in ((0.0,), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0), black), (op, values)


@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_the_print_time_at_the_foot(paper: WorkOrderPaper) -> None:
    sheet = replace(SHEET, printed_at="2026-12-07 09:16")
    runs = runs_of(work_order_pdf(HEAD, sheet, paper))
    stamp = [run for run in runs if "打印时间" in run.text]
    assert [flat(run.text) for run in stamp] == ["打印时间：2026-12-0709:16"]
    assert stamp[0].y == min(run.y for run in runs)  # the last line


def test_paper_values_are_the_command_line_choices() -> None:
    assert [paper.value for paper in WorkOrderPaper] == ["a5", "80mm"]
    assert WorkOrderPaper("80mm").label == "80 毫米小票"


@pytest.mark.parametrize("paper", list(WorkOrderPaper))
def test_a_description_longer_than_a_page_is_printed_whole(paper: WorkOrderPaper) -> None:
    pdf = work_order_pdf(HEAD, replace(SHEET, description=LONG * 3), paper)
    assert flat(LONG * 3) in without_page_numbers(pages_of(pdf))
    assert_inside_the_page(pdf, paper)
