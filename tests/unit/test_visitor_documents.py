"""访客单 and 在场访客点名表 as printed: paper sizes, what is on them, nothing off the edge."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfbase.pdfmetrics import stringWidth

from frontdesk.documents.base import FONT, Letterhead, register_font
from frontdesk.documents.visitor_pass import (
    RollCallLine,
    VisitorPassDoc,
    roll_call_pdf,
    visitor_pass_pdf,
)
from frontdesk.domain.visitors import PassPaper

MM = 72 / 25.4
HEAD = Letterhead("锦绣华庭", "杭州锦绣物业服务有限公司", "幸福路 8 号", "0571-88886666")
PAGE_WIDTH_MM = {PassPaper.ROLL_80: 80, PassPaper.ROLL_58: 58, PassPaper.A6: 105}
MARGIN_MM = {PassPaper.ROLL_80: 3, PassPaper.ROLL_58: 3, PassPaper.A6: 4}  # least margin
LEAST_QR_MM = {PassPaper.ROLL_80: 28, PassPaper.ROLL_58: 22, PassPaper.A6: 28}
PASS = VisitorPassDoc(
    number="FK2611250003",
    place="3栋2单元1201室",
    visitor="王五",
    phone="138****5678",
    party_size=2,
    plate="浙A·12345",
    purpose="探亲访友",
    confirmation="电话确认（业主 张三）",
    arrived_at="2026-11-25 14:03",
    valid_until="2026-11-25 17:03",
    clerk="前台 李四",
)
LONG_PLACE = "12栋3单元2803室（东区沿湖一侧，从北门进入后左转第二个入口）"
LONG_NOTE = "随行人员携带大型工具箱三个、梯子一架，已告知业主需在晚六点前离场；" * 3
ALERT_RGB = (0xFD / 255, 0xEC / 255, 0xEA / 255)  # cash_report.ALERT, the shaded rows


# -- reading the PDF back --------------------------------------------------------------


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with line breaks and spaces removed, so wrapped values read whole."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Run:
    """One line of text as drawn: where it starts and ends, in points."""

    text: str
    x: float
    right: float
    y: float
    size: float


def runs_of(pdf: bytes) -> list[Run]:
    """Every drawn line of the first page. pypdf reports the pieces of one line in
    different sizes (单号 FK…) at the line's start, so they are joined into one run."""
    register_font()
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    pieces: list[tuple[tuple[float, ...], str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            pieces.append((tuple(cm) + tuple(tm), text.rstrip("\n"), size))

    page.extract_text(visitor_text=visit)
    runs: list[Run] = []
    for key, text, size in pieces:
        x, y = key[4] + key[10], key[5] + key[11]
        width = stringWidth(text, FONT, size)
        if runs and (runs[-1].x, runs[-1].y) == (x, y):
            last = runs.pop()
            runs.append(Run(last.text + text, x, last.right + width, y, min(last.size, size)))
        else:
            runs.append(Run(text, x, x + width, y, size))
    return runs


@dataclass(frozen=True)
class Fill:
    rgb: tuple[float, ...]
    x0: float
    y0: float
    x1: float
    y1: float


def filled_rects(pdf: bytes, page_index: int = 0) -> list[Fill]:
    """Filled rectangles in page coordinates: QR modules and shaded table cells."""
    reader = PdfReader(io.BytesIO(pdf))
    stream = ContentStream(reader.pages[page_index].get_contents(), reader)
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack: list[tuple[float, ...]] = []
    rgb: tuple[float, ...] = (0.0, 0.0, 0.0)
    pending: list[tuple[float, float, float, float]] = []
    fills: list[Fill] = []
    for operands, operator in stream.operations:
        op = operator.decode()
        values = [float(value) for value in operands] if op in NUMERIC else []
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = multiply(values, ctm)
        elif op == "rg":
            rgb = tuple(values)
        elif op == "re":
            x, y, w, h = values
            (ax, ay), (bx, by) = apply(ctm, x, y), apply(ctm, x + w, y + h)
            pending.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        elif op in ("f", "f*", "F", "B", "B*", "b", "b*"):
            fills += [Fill(rgb, *box) for box in pending]
            pending = []
        elif op in ("n", "S", "s"):
            pending = []
    return fills


NUMERIC = {"cm", "rg", "re"}  # the operators whose operands are read here


def multiply(m: list[float], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def qr_box(pdf: bytes) -> tuple[float, float, float, float]:
    """The extent of the black modules: the QR symbol, its finder patterns at 3 corners."""
    black = [fill for fill in filled_rects(pdf) if fill.rgb == (0.0, 0.0, 0.0)]
    assert black, "no QR modules drawn"
    return (
        min(fill.x0 for fill in black),
        min(fill.y0 for fill in black),
        max(fill.x1 for fill in black),
        max(fill.y1 for fill in black),
    )


# -- 访客单 -------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", list(PassPaper))
def test_the_pass_is_one_page_as_wide_as_the_paper(paper: PassPaper) -> None:
    reader = PdfReader(io.BytesIO(visitor_pass_pdf(HEAD, PASS, paper)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(PAGE_WIDTH_MM[paper] * MM, abs=0.5)
    if paper is PassPaper.A6:
        assert float(box.height) == pytest.approx(148 * MM, abs=0.5)


@pytest.mark.parametrize("paper", [PassPaper.ROLL_80, PassPaper.ROLL_58])
def test_a_roll_ends_just_below_the_content_where_the_printer_cuts(paper: PassPaper) -> None:
    short = visitor_pass_pdf(HEAD, PASS, paper)
    longer = visitor_pass_pdf(HEAD, replace(PASS, note=LONG_NOTE), paper)
    for pdf in (short, longer):
        lowest = min(run.y for run in runs_of(pdf))
        assert 2 * MM < lowest < 8 * MM  # the footer's baseline, a margin above the cut
    height = float(PdfReader(io.BytesIO(longer)).pages[0].mediabox.height)
    assert height > float(PdfReader(io.BytesIO(short)).pages[0].mediabox.height) + 20 * MM


@pytest.mark.parametrize("paper", list(PassPaper))
def test_the_pass_shows_what_the_gate_checks(paper: PassPaper) -> None:
    text = pages_of(visitor_pass_pdf(HEAD, PASS, paper))[0]
    body = flat(text)
    assert "锦绣华庭" in text and flat("访 客 单") in body
    assert "FK2611250003" in text
    for label, value in [
        ("到访房屋", "3栋2单元1201室"),
        ("访客", "王五"),
        ("电话", "138****5678"),
        ("人数", "2人"),
        ("车牌", "浙A·12345"),
        ("事由", "探亲访友"),
        ("确认方式", "电话确认（业主张三）"),
        ("到达时间", "2026-11-2514:03"),
        ("有效期至", "2026-11-2517:03"),
        ("登记人", "前台李四"),
    ]:
        assert f"{label}：{value}" in body
    assert "请妥善保管，离开时交回门岗签离" in text and "服务电话：0571-88886666" in text


def test_a_visitor_on_foot_has_no_plate_row_and_a_note_is_printed() -> None:
    text = pages_of(
        visitor_pass_pdf(HEAD, replace(PASS, plate="", note="携带宠物犬一只"), PassPaper.ROLL_80)
    )[0]
    assert "车牌" not in text
    assert "备注：携带宠物犬一只" in flat(text)
    without = pages_of(visitor_pass_pdf(Letterhead("锦绣华庭"), PASS, PassPaper.ROLL_80))[0]
    assert "备注" not in without and "服务电话" not in without


def test_the_valid_until_time_is_printed_larger_than_the_other_values() -> None:
    runs = runs_of(visitor_pass_pdf(HEAD, PASS, PassPaper.ROLL_58))
    valid = next(run for run in runs if run.text == "2026-11-25 17:03")
    arrived = next(run for run in runs if run.text == "2026-11-25 14:03")
    assert valid.size >= arrived.size + 2


@pytest.mark.parametrize("paper", list(PassPaper))
def test_a_long_place_and_note_wrap_inside_the_margins(paper: PassPaper) -> None:
    doc = replace(PASS, place=LONG_PLACE, note=LONG_NOTE, confirmation="电话确认（业主 欧阳娜娜）")
    pdf = visitor_pass_pdf(HEAD, doc, paper)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    width = PAGE_WIDTH_MM[paper] * MM
    margin = MARGIN_MM[paper] * MM
    runs = runs_of(pdf)
    for run in runs:
        assert run.x >= margin - 0.5, run
        assert run.right <= width - margin + 0.5, run
    body = flat("".join(run.text for run in runs))
    assert flat(LONG_PLACE) in body and flat(LONG_NOTE) in body  # wrapped, not cut short


def test_on_58_mm_every_value_stays_legible() -> None:
    doc = replace(PASS, place=LONG_PLACE, note=LONG_NOTE)
    assert min(run.size for run in runs_of(visitor_pass_pdf(HEAD, doc, PassPaper.ROLL_58))) >= 8


@pytest.mark.parametrize("paper", list(PassPaper))
def test_the_qr_code_is_square_big_enough_and_on_the_page(paper: PassPaper) -> None:
    pdf = visitor_pass_pdf(HEAD, replace(PASS, note=LONG_NOTE), paper)
    x0, y0, x1, y1 = qr_box(pdf)
    assert (x1 - x0) == pytest.approx(y1 - y0, abs=0.05)
    assert x1 - x0 >= LEAST_QR_MM[paper] * MM
    width = PAGE_WIDTH_MM[paper] * MM
    assert x0 >= MARGIN_MM[paper] * MM and x1 <= width - MARGIN_MM[paper] * MM
    assert (x0 + x1) / 2 == pytest.approx(width / 2, abs=1)  # centred


def test_markup_in_a_value_is_printed_not_interpreted() -> None:
    text = pages_of(visitor_pass_pdf(HEAD, replace(PASS, visitor="<王五> & 家人"), PassPaper.A6))[0]
    assert "<王五> & 家人" in text


# -- 在场访客点名表 ------------------------------------------------------------------------

HEADER = (
    "序号",
    "访客单号",
    "访客",
    "电话",
    "人数",
    "到访房屋",
    "事由",
    "到达",
    "预计离开",
    "状态",
    "清点",
)
STATES = ("在场", "在场", "超时未离", "在场", "跨日未签离")


def roll(count: int) -> list[RollCallLine]:
    return [
        RollCallLine(
            number=f"FK26112{n:05d}",
            visitor=("王五", "欧阳娜娜", "李四")[n % 3],
            phone="138****5678",
            party_size=1 + n % 4,
            place=LONG_PLACE if n % 7 == 0 else f"{1 + n % 9}栋2单元1201室",
            purpose=("探亲访友", "装修施工", "快递外卖")[n % 3],
            arrived_at="2026-11-25 14:03",
            expected_leave="2026-11-25 17:03",
            state=STATES[n % 5],
        )
        for n in range(count)
    ]


def test_a_long_roll_call_repeats_the_header_and_numbers_every_page() -> None:
    lines = roll(120)
    pdf = roll_call_pdf(HEAD, lines, "2026-11-25 15:20", "前台 李四")
    reader = PdfReader(io.BytesIO(pdf))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(297 * MM, abs=0.5)
    pages = pages_of(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert all(label in page for label in HEADER), number
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page
    everything = flat("".join(pages))
    assert all(line.number in everything for line in lines)  # no row lost at a page break
    assert "清点人：" in pages[-1] and "时间：" in pages[-1]


def test_the_roll_call_totals_groups_and_people() -> None:
    lines = roll(120)
    people = sum(line.party_size for line in lines)
    assert people == 300  # party sizes 1, 2, 3, 4 repeated
    text = pages_of(roll_call_pdf(HEAD, lines, "2026-11-25 15:20", "前台 李四"))[0]
    assert "在场访客点名表（消防疏散/应急清点用）" in flat(text)
    assert f"在场访客 120 批，共 {people} 人" in text
    assert "超时未离 24 批" in text and "跨日未签离 24 批" in text
    assert "打印时间：2026-11-25 15:20" in text and "打印人：前台 李四" in text


def test_only_the_groups_not_simply_inside_are_shaded() -> None:
    pdf = roll_call_pdf(HEAD, roll(5), "2026-11-25 15:20", "前台 李四")
    shaded = [fill for fill in filled_rects(pdf) if fill.rgb == pytest.approx(ALERT_RGB, abs=0.005)]
    rows = {round(fill.y0) for fill in shaded}
    assert len(rows) == 2  # rows 3 (超时未离) and 5 (跨日未签离)


def test_an_empty_roll_call_is_one_page_saying_so() -> None:
    pdf = roll_call_pdf(HEAD, [], "2026-11-25 15:20", "前台 李四")
    pages = pages_of(pdf)
    assert len(pages) == 1
    assert "当前无在场访客" in pages[0]
    assert "在场访客 0 批，共 0 人" in pages[0]
    assert "清点人：" in pages[0]
