"""收据, 收费日报 and 收缴率报表 as printed: pages, paper sizes, the words a clerk checks."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from frontdesk.documents.base import Letterhead
from frontdesk.documents.cash_report import (
    CashierDay,
    DailyReport,
    daily_report_pdf,
    daily_report_xlsx,
)
from frontdesk.documents.collection_report import (
    CollectionReport,
    CollectionRow,
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


# -- 收费日报 ------------------------------------------------------------------------------


def daily() -> DailyReport:
    first = CashierDay(
        "王小红",
        (("现金", 123450), ("微信", 98000)),
        28,
        "SJ00000012",
        "SJ00000040",
        ("SJ00000015", "SJ00000021"),
        5000,
        123450,
        124450,
        "2026-11-25 17:45",
    )
    second = CashierDay(
        "李明", (("现金", 30000),), 3, "SJ00000041", "SJ00000043", (), 0, 30000, 29000, ""
    )
    third = CashierDay(
        "赵敏", (("微信", 19690),), 1, "SJ00000044", "SJ00000044", (), 0, 0, None, ""
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
        "SJ00000015、SJ00000021",
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
    assert book.sheetnames == ["收费员", "收费项目"]
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
        CollectionRow("水费（代收）", 368000, 330000, 0),
    )
    total = CollectionRow("合计", 3168000, 3030000, 12000)
    return CollectionReport(
        "2026年11月",
        "统计截至 2026-11-25",
        buildings,
        items,
        total,
        (("本年往月欠费", 123400), ("往年欠费", 56700)),
        0.98,
        "张主管",
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
