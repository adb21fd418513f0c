"""收据, 收费日报 and 收缴率报表 as printed: pages, paper sizes, the words a clerk checks."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import ContentStream, FloatObject
from reportlab.pdfbase.pdfmetrics import stringWidth

from frontdesk.documents.base import FONT, Letterhead, register_font
from frontdesk.documents.cash_report import (
    CashierDay,
    DailyReport,
    MethodLine,
    VoidLine,
    daily_report_pdf,
    daily_report_xlsx,
)
from frontdesk.documents.collection_report import (
    CollectionReport,
    CollectionRow,
    OtherBlock,
    collection_report_pdf,
    collection_report_xlsx,
)
from frontdesk.documents.receipt import ReceiptDoc, ReceiptLine, receipt_pdf
from frontdesk.domain.fees import RECEIPT_COPIES, Paper
from frontdesk.domain.money import to_words

EVENING = datetime(2026, 11, 25, 18, 30)
HEAD = Letterhead("锦绣华庭", "杭州锦绣物业服务有限公司", "幸福路 8 号", "0571-88886666")
MM = 72 / 25.4
SIZES_MM = {
    Paper.A4: (210, 297),
    Paper.A5: (210, 148),
    Paper.FORM_241x93: (241, 93),
    Paper.FORM_241x140: (241, 140),
}
LINES = (
    ReceiptLine("物业服务费", "2026年11月", "89.50㎡", "2.20", 19690),
    ReceiptLine("公共能耗分摊", "2026年11月", "1户", "12.00", 1200, "空置房按七成收取"),
    ReceiptLine("水费", "2026年10月", "12.00吨", "3.5500", 4260, "代收"),
    ReceiptLine("公共维修资金", "", "", "", 500000, "公共维修资金"),
)


def receipt(lines: tuple[ReceiptLine, ...] = LINES, **changes: object) -> ReceiptDoc:
    total = sum(line.amount_fen for line in lines)
    fields: dict[str, object] = {
        "title": "收款收据",
        "number": "SJ00000012",
        "issued_on": "2026年11月25日",
        "issued_at": "2026-11-25 14:03",
        "payer": "张三",
        "room": "3-2-1201（3栋2单元1201室）",
        "lines": lines,
        "total_fen": total,
        "total_words": to_words(total),
        "methods": "现金 200.00（实收 300.00，找零 100.00）；微信 96.90",
        "cashier": "王小红",
        "copies": RECEIPT_COPIES,
        "remark": "预存余额 120.00 元",
    }
    fields.update(changes)
    return ReceiptDoc(**fields)  # type: ignore[arg-type]


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def compact(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("paper", list(Paper))
def test_every_paper_has_its_exact_page_size(paper: Paper) -> None:
    reader = PdfReader(io.BytesIO(receipt_pdf(HEAD, receipt(), paper)))
    width_mm, height_mm = SIZES_MM[paper]
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width_mm * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height_mm * MM, abs=0.5)


def test_the_dot_matrix_form_is_241_by_93_mm_in_points() -> None:
    page = PdfReader(io.BytesIO(receipt_pdf(HEAD, receipt(), Paper.FORM_241x93))).pages[0]
    assert float(page.mediabox.width) == pytest.approx(683.15, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(263.62, abs=0.01)


@pytest.mark.parametrize("paper", [Paper.A5, Paper.FORM_241x93, Paper.FORM_241x140])
def test_one_page_per_copy_each_labelled_with_the_receipt_on_it(paper: Paper) -> None:
    pages = pages_of(receipt_pdf(HEAD, receipt(), paper))
    assert len(pages) == 3
    for copy, text in zip(RECEIPT_COPIES, pages, strict=True):
        assert copy in text
        assert all(other not in text for other in RECEIPT_COPIES if other != copy)
        assert "SJ00000012" in text
        assert "收款收据" in text and "锦绣华庭" in text and "杭州锦绣物业服务有限公司" in text
        assert "人民币伍仟贰佰伍拾壹元伍角" in compact(text)
        assert "¥5,251.50" in text and "5,000.00" in text and "196.90" in text
        assert "交款人：张三" in text and "3栋2单元1201室" in text
        assert "收款人：王小红" in text and "收款单位（盖章）" in text
        assert "空置房按七成收取" in text and "预存余额 120.00 元" in text


def test_a4_puts_three_short_copies_on_one_sheet() -> None:
    pages = pages_of(receipt_pdf(HEAD, receipt(), Paper.A4))
    assert len(pages) == 1
    assert all(copy in pages[0] for copy in RECEIPT_COPIES)
    assert pages[0].count("SJ00000012") == 3


def test_a4_gives_a_longer_receipt_half_a_sheet_per_copy() -> None:
    pages = pages_of(receipt_pdf(HEAD, receipt(LINES * 3), Paper.A4))
    assert len(pages) == 2  # 存根联 and 客户联 on the first sheet, 记账联 on the second
    assert "存根联" in pages[0] and "客户联" in pages[0] and "记账联" in pages[1]


def test_a4_with_one_copy_is_one_page() -> None:
    assert len(pages_of(receipt_pdf(HEAD, receipt(copies=("客户联",)), Paper.A4))) == 1


def test_six_lines_fit_the_small_form() -> None:
    six = (*LINES, *LINES[:2])
    assert (
        len(pages_of(receipt_pdf(HEAD, receipt(six, copies=("客户联",)), Paper.FORM_241x93))) == 1
    )


def test_ten_lines_on_the_small_form_continue_on_a_second_page_of_the_same_copy() -> None:
    ten = tuple(
        ReceiptLine(f"收费项目{n:02d}", "2026年11月", "1户", "10.00", 1000) for n in range(1, 11)
    )
    pages = pages_of(receipt_pdf(HEAD, receipt(ten, copies=("客户联",)), Paper.FORM_241x93))
    assert len(pages) == 2
    first, last = pages
    assert "续下页" in first and "续页" in last
    assert "客户联" in first and "客户联" in last and "第 1/2 页" in first
    shown = [n for n in range(1, 11) if any(f"收费项目{n:02d}" in page for page in pages)]
    assert shown == list(range(1, 11))  # no line lost between the pages
    assert "¥100.00" in last and "¥100.00" not in first  # the totals close the copy
    assert "收款单位（盖章）" in last


def test_a_reprint_says_so() -> None:
    assert "补打" not in pages_of(receipt_pdf(HEAD, receipt(), Paper.A5))[0]
    for text in pages_of(
        receipt_pdf(HEAD, receipt(print_no=2, printed_at="2026-11-26 10:03"), Paper.A5)
    ):
        assert "补打" in text


def test_a_voided_receipt_is_stamped_and_says_why() -> None:
    assert "作废" not in "".join(pages_of(receipt_pdf(HEAD, receipt(), Paper.FORM_241x93)))
    voided = receipt(voided="作废：2026-11-25 收费员甲，原因：金额录入错误")
    for text in pages_of(receipt_pdf(HEAD, voided, Paper.FORM_241x93)):
        assert "作废" in compact(text)
        assert "金额录入错误" in text


def test_a_receipt_never_calls_itself_an_invoice() -> None:
    text = "".join(pages_of(receipt_pdf(HEAD, receipt(), Paper.A4)))
    assert "发票" not in text and "税" not in text
    noted = receipt(invoice="已开发票 No.12345678（2026-11-30）")
    assert "已开发票 No.12345678" in pages_of(receipt_pdf(HEAD, noted, Paper.A5))[0]


def test_form_number_and_a_long_remark_are_printed_whole() -> None:
    remark = "本次缴费含全年物业服务费，按缴费政策享受九五折优惠，预存余额将于下期账单自动抵扣" * 2
    doc = receipt(form_number="0012345", remark=remark, copies=("客户联",))
    text = compact("".join(pages_of(receipt_pdf(HEAD, doc, Paper.FORM_241x93))))
    assert "表单号：0012345" in text
    assert compact(remark) in text


def test_a_refund_voucher_names_who_received_the_money() -> None:
    doc = receipt(title="退款凭证", number="TK00000003", copies=("客户联",))
    text = pages_of(receipt_pdf(HEAD, doc, Paper.A5))[0]
    assert "退款凭证" in text and "TK00000003" in text
    assert "领款人：张三" in text and "经办人：王小红" in text


# -- what an auditor and a dot-matrix printer check -------------------------------------

TRACTOR_MM = 12.7
FILLS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
COLOURS = {b"rg", b"RG", b"g", b"G", b"k", b"K", b"sc", b"scn", b"SC", b"SCN"}


@dataclass(frozen=True)
class Run:
    """A piece of text as printed: where it starts, how big, how wide."""

    x: float
    y: float
    size: float
    text: str

    @property
    def right(self) -> float:
        return self.x + stringWidth(self.text, FONT, self.size)


@dataclass(frozen=True)
class Marks:
    runs: list[Run]
    points: list[tuple[float, float]]  # every path point (lines, boxes), page space
    boxes: list[tuple[float, float, float, float]]  # rectangles: x, y, width, height
    colours: set[tuple[bytes, tuple[float, ...]]]
    fills: int  # filled paths (shading)


def _times(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def marks_of(pdf: bytes, index: int) -> Marks:
    """Text runs measured through pypdf's visitor; paths, colours and fills read from
    the content stream with the graphics state's matrix."""
    register_font()
    page = PdfReader(io.BytesIO(pdf)).pages[index]
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            m = _times([float(v) for v in tm], [float(v) for v in cm])
            runs.append(Run(m[4], m[5], size * math.hypot(m[0], m[1]), text.strip()))

    page.extract_text(visitor_text=visit)
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    points: list[tuple[float, float]] = []
    boxes: list[tuple[float, float, float, float]] = []
    colours: set[tuple[bytes, tuple[float, ...]]] = set()
    fills = 0

    def at(x: float, y: float) -> tuple[float, float]:
        return (x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5])

    for args, op in ContentStream(page.get_contents(), page.pdf).operations:
        values = [float(a) for a in args if isinstance(a, int | float | FloatObject)]
        if op == b"q":
            stack.append(list(ctm))
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _times(values, ctm)
        elif op in (b"m", b"l"):
            points.append(at(*values))
        elif op == b"c":
            points += [at(*values[i : i + 2]) for i in (0, 2, 4)]
        elif op == b"re":
            x, y, w, h = values
            corners = [at(x, y), at(x + w, y + h)]
            points += corners
            boxes.append(
                (*corners[0], corners[1][0] - corners[0][0], corners[1][1] - corners[0][1])
            )
        elif op in COLOURS:
            colours.add((op, tuple(values)))
        elif op in FILLS:
            fills += 1
    return Marks(runs, points, boxes, colours, fills)


def every_page(pdf: bytes) -> list[Marks]:
    return [marks_of(pdf, n) for n in range(len(PdfReader(io.BytesIO(pdf)).pages))]


LONG = tuple(
    ReceiptLine(f"收费项目{n:02d}", "2026年11月", "1户", "10.00", 1000) for n in range(1, 11)
)
REFUND = {
    "title": "退款凭证",
    "number": "TK00000003",
    "lines": (ReceiptLine("退装修押金", "", "", "", 300000, "装修竣工验收合格"),),
    "total_fen": 300000,
    "total_words": to_words(300000),
    "methods": "转账退付 3,000.00",
    "payee_account": "户名：张三　开户行：中国工商银行滨江支行　账号：6222 **** 0123",
    "refund_of": "SJ00000012（2026年10月3日）；装修押金 装修编号 ZX2610-0003",
}
FORM_CASES = {
    "three copies": receipt(),
    "ten lines": receipt(LONG),
    "voided": receipt(voided="作废：2026-11-25 收费员甲，原因：金额录入错误"),
    "reprint": receipt(print_no=3, printed_at="2026-11-26 10:03", form_number="0012345"),
    "refund": receipt(**REFUND),
    "carbonless": receipt(carbonless=True, breakdown="代收代缴 42.60 元（代收水费 42.60 元）"),
}


@pytest.mark.parametrize("paper", [Paper.FORM_241x93, Paper.FORM_241x140])
@pytest.mark.parametrize("case", list(FORM_CASES))
def test_a_dot_matrix_form_prints_between_the_tractor_strips_at_9_pt_in_black(
    paper: Paper, case: str
) -> None:
    """Measured from the PDF: every character and every rule at least 12.7 mm from
    the side edges and on the form, no text under 9 pt, black ink only, no shading."""
    pdf = receipt_pdf(HEAD, FORM_CASES[case], paper)
    width_mm, height_mm = SIZES_MM[paper]
    left, right = TRACTOR_MM * MM, (width_mm - TRACTOR_MM) * MM
    for marks in every_page(pdf):
        assert marks.runs and marks.points
        for run in marks.runs:
            if "作" in run.text and run.size > 40:  # the tilted 作废 stamp: its box is checked
                continue
            assert run.size >= 9 - 0.01, run
            assert left <= run.x and run.right <= right + 0.5, run
            assert 0 <= run.y <= height_mm * MM, run
        for x, y in marks.points:
            assert left - 0.01 <= x <= right + 0.01, (x, y)
            assert 0 <= y <= height_mm * MM
        assert marks.fills == 0
        assert {values for _op, values in marks.colours} <= {(0.0, 0.0, 0.0), (0.0,)}


def test_a4_and_a5_keep_their_colour_and_shading() -> None:
    """Sheet paper is not a ribbon: the red number and the shaded header stay."""
    marks = marks_of(receipt_pdf(HEAD, receipt(), Paper.A5), 0)
    assert marks.fills > 0
    assert any(values != (0.0, 0.0, 0.0) for _op, values in marks.colours)


@pytest.mark.parametrize("paper", list(Paper))
def test_the_seal_box_holds_a_40_mm_seal_and_no_figure(paper: Paper) -> None:
    """A box at least 44 mm square beside the body (a 40 mm round 财务专用章 with room
    around it); no amount, date or number printed inside it."""
    pdf = receipt_pdf(HEAD, receipt(copies=("客户联",)), paper)
    marks = marks_of(pdf, 0)
    seals = [b for b in marks.boxes if b[2] >= 44 * MM - 0.5 and b[3] >= 44 * MM - 0.5]
    assert len(seals) == 1, marks.boxes
    x, y, w, h = seals[0]
    inside = [r for r in marks.runs if x <= r.x <= x + w and y <= r.y <= y + h]
    assert [r.text for r in inside] == ["收款单位（盖章）"]
    for run in marks.runs:  # nothing runs into it from the left either
        if run not in inside and y <= run.y <= y + h:
            assert run.right <= x + 0.5, run


def test_a_receipt_subtotals_what_is_not_income_and_has_both_signature_lines() -> None:
    doc = receipt(
        breakdown="代收代缴 42.60 元（代收水费 42.60 元）；押金 3,000.00 元",
        copies=("客户联",),
    )
    text = compact(pages_of(receipt_pdf(HEAD, doc, Paper.FORM_241x140))[0])
    assert "其中代收代缴42.60元（代收水费42.60元）；押金3,000.00元" in text
    assert "收款人：王小红" in text and "交款人签字：" in text
    assert "12.00吨" in text and "89.50㎡" in text and "1户" in text


def test_a_reprint_says_which_print_it_is_and_when() -> None:
    assert "补打" not in pages_of(receipt_pdf(HEAD, receipt(), Paper.A5))[0]
    doc = receipt(print_no=2, printed_at="2026-11-26 10:03")
    for text in pages_of(receipt_pdf(HEAD, doc, Paper.FORM_241x93)):
        assert "补打第2次打印2026-11-2610:03" in compact(text)


def test_carbonless_forms_print_one_impression_with_no_copy_label() -> None:
    """The plies are the copies: one page, no 存根联/客户联/记账联 on it."""
    pages = pages_of(receipt_pdf(HEAD, receipt(carbonless=True), Paper.FORM_241x93))
    assert len(pages) == 1
    assert not any(copy in pages[0] for copy in RECEIPT_COPIES)
    assert "SJ00000012" in pages[0] and "¥5,251.50" in pages[0]
    plain = pages_of(receipt_pdf(HEAD, receipt(), Paper.FORM_241x93))
    assert len(plain) == 3  # plain paper: one page per 联, each labelled


def test_a_refund_voucher_names_the_payee_the_account_and_what_it_refunds() -> None:
    doc = receipt(**REFUND, copies=("记账联",))
    text = compact(pages_of(receipt_pdf(HEAD, doc, Paper.A5))[0])
    assert "领款人：张三" in text and "经办人：王小红" in text
    assert "经办人签字：" in text and "审批人签字：" in text and "领款人签字：" in text
    assert "户名：张三" in text and "开户行：中国工商银行滨江支行" in text
    assert "账号：6222****0123" in text
    assert "原收据SJ00000012（2026年10月3日）；装修押金装修编号ZX2610-0003" in text
    assert "退款单位（盖章）" in text


# -- 收费日报 ------------------------------------------------------------------------------


def daily() -> DailyReport:
    first = CashierDay(
        "王小红",
        (MethodLine("现金", 128450, 0, 5000), MethodLine("微信", 110000, 12000, 0)),
        28,
        "SJ00000012",
        "SJ00000040",
        (VoidLine("SJ00000015", 8000, ""), VoidLine("SJ00000021", 4000, "11月24日")),
        5000,
        123450,
        124450,
        "2026-11-25 17:45",
    )
    second = CashierDay(
        "李明",
        (MethodLine("现金", 30000, 0, 0),),
        3,
        "SJ00000041",
        "SJ00000043",
        (),
        0,
        30000,
        29000,
        "",
    )
    third = CashierDay(
        "赵敏",
        (MethodLine("微信", 19690, 0, 0),),
        1,
        "SJ00000044",
        "SJ00000044",
        (),
        0,
        0,
        None,
        "",
    )
    by_item = (
        ("物业服务费", "物业收入", 150000),
        ("水费", "代收代缴", 21140),
        ("公共维修资金", "公共维修资金", 50000),
        ("装修押金", "押金", 50000),
    )
    by_collection = (
        ("物业收入", 150000),
        ("代收代缴", 21140),
        ("公共维修资金", 50000),
        ("押金", 50000),
    )
    total = 271140
    return DailyReport(
        "2026年11月25日",
        (first, second, third),
        by_item,
        by_collection,
        total,
        to_words(total),
        "王小红",
    )


def test_the_daily_report_shows_each_cashier_and_the_day_total() -> None:
    text = "\n".join(pages_of(daily_report_pdf(HEAD, daily(), EVENING)))
    assert "收费日报" in text and "2026年11月25日" in text
    for expected in (
        "王小红",
        "李明",
        "SJ00000012 至 SJ00000040",
        "SJ00000015 ¥80.00、SJ00000021 ¥40.00（11月24日收款）",
        "长款 10.00",
        "短款 10.00",
        "未日结",
        "未清点",
        "2026-11-25 17:45",
        "1,234.50",
        "物业收入",
        "代收代缴",
        "公共维修资金",
        "押金",
        "¥2,711.40",
        "收费员：",
        "复核：",
        "财务：",
    ):
        assert expected in text, expected
    assert "人民币贰仟柒佰壹拾壹元肆角" in compact(text)


def test_the_daily_workbook_holds_the_money_as_yuan_numbers() -> None:
    book = load_workbook(io.BytesIO(daily_report_xlsx(daily())))
    assert book.sheetnames == ["收费员", "收款方式", "收费项目"]
    methods = [[c.value for c in row] for row in book["收款方式"].iter_rows(min_row=4)]
    wechat = next(r for r in methods if r[:2] == ["王小红", "微信"])
    assert [float(v) for v in wechat[2:]] == [1100.0, 120.0, 0.0, 980.0]
    cashiers = book["收费员"]
    rows = {row[0].value: row for row in cashiers.iter_rows() if row[0].value}
    header = [cell.value for cell in rows["收费员"]]
    cash = header.index("现金")
    assert rows["王小红"][cash].value == pytest.approx(1234.5)
    assert rows["合计"][cash].value == pytest.approx(1534.5)
    assert rows["合计"][cash].number_format == "0.00"
    assert rows["合计"][cash].font.b and rows["收费员"][0].font.b
    difference = header.index("长短款（长+ 短−）")
    assert rows["王小红"][difference].value == pytest.approx(10)
    assert rows["李明"][difference].value == pytest.approx(-10)
    assert rows["赵敏"][difference].value is None
    items = book["收费项目"]
    values = [[cell.value for cell in row] for row in items.iter_rows()]
    assert ["当日实收合计", Decimal("2711.40"), "人民币贰仟柒佰壹拾壹元肆角"] == [
        values[-3][0],
        Decimal(str(values[-3][1])),
        values[-3][2],
    ]
    assert cashiers.column_dimensions["A"].width >= 10


# -- 收缴率报表 ----------------------------------------------------------------------------


def collection() -> CollectionReport:
    buildings = (
        CollectionRow("1栋", 2112000, 2080000, 12000),
        CollectionRow("2栋", 1056000, 950000, 0),
        CollectionRow("商铺", 0, 0, 0),
    )
    items = (
        CollectionRow("物业服务费", 2800000, 2700000, 12000),
        CollectionRow("生活垃圾处理费", 368000, 330000, 0),
    )
    water = CollectionRow("水费", 91000, 80000, 0)
    total = CollectionRow("合计", 3168000, 3030000, 12000)
    others = (OtherBlock("代收代缴", (water,), replace(water, name="小计（代收代缴）")),)
    return CollectionReport(
        "2026年11月",
        "统计截至 2026-11-25",
        buildings,
        items,
        total,
        (("本年往月欠费", 123400), ("往年欠费", 56700)),
        0.98,
        "张主管",
        others,
    )


def test_the_collection_report_shows_rates_totals_and_arrears() -> None:
    pages = pages_of(collection_report_pdf(HEAD, collection(), EVENING))
    text = "\n".join(pages)
    assert len(pages) == 1
    for expected in (
        "收缴率报表",
        "2026年11月",
        "统计截至 2026-11-25",
        "目标收缴率：98.0%",
        "99.0%",  # 1栋: 20,800 ÷ 21,000
        "90.0%",  # 2栋
        "—",  # 商铺: nothing due
        "96.0%",  # 合计: 30,300 ÷ 31,560
        "31,680.00",
        "1,260.00",  # 未收 of 1栋 + 2栋
        "本年往月欠费",
        "1,801.00",
        "公共维修资金",
        "代收",
    ):
        assert expected in text, expected


def test_the_collection_workbook_has_numbers_and_percent_rates() -> None:
    book = load_workbook(io.BytesIO(collection_report_xlsx(collection())))
    sheet = book["按楼栋"]
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert rows["合计（物业收入）"][1].value == pytest.approx(31680)
    assert rows["合计（物业收入）"][1].number_format == "0.00"
    assert rows["1栋"][5].value == pytest.approx(0.99)
    assert rows["1栋"][5].number_format == "0.0%"
    assert rows["商铺"][5].value == "—"
    assert rows["2栋"][0].fill.fgColor.rgb.endswith("FDECEA")  # below the 98% target
    assert rows["1栋"][0].fill.fgColor.rgb != rows["2栋"][0].fill.fgColor.rgb
    assert "按收费项目" in book.sheetnames and "清欠情况" in book.sheetnames
