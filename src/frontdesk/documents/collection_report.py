"""收缴率报表: for one period, billed against collected by building and fee item.

收缴率 = 实收 ÷ (应收 − 减免), shown as a percent with one decimal (rounded half up
from the integer fen) and '—' where nothing is due. Rows below the work plan's
target are shaded. The workbook holds the same tables, money in yuan as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from frontdesk.documents.base import (
    A4_PORTRAIT,
    SHADE,
    Letterhead,
    cell_styles,
    content_width,
    escape,
    grid_table,
    letterhead_block,
    render,
    style,
    title_style,
)
from frontdesk.documents.cash_report import (
    GAP,
    heading,
    set_widths,
    signature_lines,
    title_row,
    workbook_bytes,
    write_table,
)
from frontdesk.documents.linebreak import Paragraph
from frontdesk.domain.money import format_yuan


@dataclass(frozen=True)
class CollectionRow:
    name: str  # building or fee item
    billed_fen: int
    collected_fen: int
    reduced_fen: int

    @property
    def outstanding_fen(self) -> int:
        return self.billed_fen - self.collected_fen - self.reduced_fen


@dataclass(frozen=True)
class OtherBlock:
    """Money that is not the office's income (代收代缴, 公共维修资金, 押金 …): its rows
    and their subtotal, printed apart from and below the 物业收入 合计."""

    kind: str  # 代收代缴
    rows: tuple[CollectionRow, ...]
    subtotal: CollectionRow


@dataclass(frozen=True)
class CollectionReport:
    period: str  # 2026年11月
    as_of: str  # 统计截至 2026-11-25
    by_building: tuple[CollectionRow, ...]  # 物业收入 only
    by_item: tuple[CollectionRow, ...]  # 物业收入 items only
    total: CollectionRow  # 合计（物业收入）
    arrears_collected: tuple[tuple[str, int], ...]  # (本年往月欠费, fen), (往年欠费, fen)
    target_rate: float  # 0.98, from the work plan
    printed_by: str
    others: tuple[OtherBlock, ...] = ()  # never part of `total`
    # The 物业收入 total's 减免 split: on the bills when raised, and granted since.
    reduced_at_billing_fen: int = 0
    reduced_later_fen: int = 0
    # 期初欠费 carried over from the old system (数据导入), still open: shown apart,
    # never in the rates (the period's collected part is a row of `arrears_collected`).
    carried_open_fen: int | None = None  # None: nothing was ever carried over


def carried_note(report: CollectionReport) -> str:
    """The sentence under 清欠情况 on an office that carried arrears over."""
    if report.carried_open_fen is None:
        return ""
    return (
        f"{CARRIED_ROW}不计入以上各期应收和收缴率，单独列示；"
        f"截至统计时点尚欠 {format_yuan(report.carried_open_fen)} 元。"
    )


TITLE = "收缴率报表"
HEADER = ("应收（元）", "减免（元）", "实收（元）", "未收（元）", "收缴率")
BELOW_TARGET = colors.HexColor("#fdecea")
GREY = colors.HexColor("#52606d")
DEFINITIONS = (
    "应收为本期账单原额（减免前）；减免含开单时的减免（如空置房）和此后批准的减免；"
    "实收为截至统计时点已收到的金额（已扣除作废）；未收 = 应收 − 减免 − 实收；"
    "收缴率 = 实收 ÷（应收 − 减免）。"
)
CARRIED_ROW = "期初结转欠费（原系统，数据导入）"
SEPARATE_NOTE = (
    "以上代收代缴款项（水电等）、公共维修资金和押金不是物业收入，单独列示，"
    "不计入物业收入合计和物业服务费收缴率。"
)


def rate_text(row: CollectionRow) -> str:
    """'97.6%' rounded half up from the fen; '—' when nothing is due."""
    rate = rate_decimal(row)
    return "—" if rate is None else f"{rate * 100:.1f}%"


def rate_decimal(row: CollectionRow) -> Decimal | None:
    """The rate as a Decimal fraction to three places, i.e. one decimal of a percent."""
    base = row.billed_fen - row.reduced_fen
    if base <= 0:
        return None
    return (Decimal(row.collected_fen) / Decimal(base)).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )


def below_target(row: CollectionRow, target: float) -> bool:
    rate = rate_decimal(row)
    return rate is not None and rate < Decimal(str(target))


def reductions_text(report: CollectionReport) -> str:
    """Where the 物业收入 减免 comes from, in one sentence."""
    return (
        f"本期物业收入减免 {format_yuan(report.total.reduced_fen)} 元，其中开单时减免"
        f"（空置房等）{format_yuan(report.reduced_at_billing_fen)} 元，"
        f"开单后收款时或经主管批准减免 {format_yuan(report.reduced_later_fen)} 元。"
    )


def collection_report_pdf(
    letterhead: Letterhead, report: CollectionReport, printed_at: datetime
) -> bytes:
    """The period's 收缴率 on A4: by building, by fee item, the money held for others
    apart, arrears collected."""
    width = content_width(A4_PORTRAIT)
    target = f"{Decimal(str(report.target_rate)) * 100:.1f}%"
    note = style("note", 8.5, textColor=GREY)
    story: list[Flowable] = [
        letterhead_block(letterhead, width),
        Spacer(0, 4 * mm),
        Paragraph(TITLE, title_style()),
        Paragraph(
            f"所属期间：{escape(report.period)}{GAP}{escape(report.as_of)}{GAP}"
            f"目标收缴率：{target}{GAP}制表人：{escape(report.printed_by)}",
            style("meta", 9.5),
        ),
        Spacer(0, 1 * mm),
        Paragraph(f"口径：{DEFINITIONS}", note),
        Spacer(0, 1 * mm),
        KeepTogether(
            [
                heading("一、物业收入按楼栋"),
                _rate_table("楼栋", report.by_building, report, width),
            ]
        ),
        Spacer(0, 2 * mm),
        KeepTogether(
            [
                heading("二、物业收入按收费项目"),
                _rate_table("收费项目", report.by_item, report, width),
                Spacer(0, 1 * mm),
                Paragraph(f"{reductions_text(report)}底色标注的行收缴率低于目标 {target}。", note),
            ]
        ),
    ]
    number = 3
    if report.others:
        story += [
            Spacer(0, 2 * mm),
            KeepTogether(
                [
                    heading(f"{NUMBERS[number]}、代收代缴及其他款项（不计入物业收入合计）"),
                    _others_table(report, width),
                    Spacer(0, 1 * mm),
                    Paragraph(SEPARATE_NOTE, note),
                ]
            ),
        ]
        number += 1
    story += [
        Spacer(0, 2 * mm),
        KeepTogether(
            [
                heading(f"{NUMBERS[number]}、清欠情况（本期收回的以前各期物业收入欠费）"),
                _arrears_table(report, width),
                *_carried_lines(report, note),
                Spacer(0, 12 * mm),
                signature_lines(("制表", "复核", "负责人"), width),
            ]
        ),
    ]
    return render(
        story,
        title=f"{TITLE} {report.period}",
        author=letterhead.issuer,
        pagesize=A4_PORTRAIT,
        printed_at=printed_at,
    )


NUMBERS = "〇一二三四五"


def _money_cells(row: CollectionRow) -> list[Any]:
    _cell, right = cell_styles(9.5)
    return [
        *(
            Paragraph(format_yuan(fen), right)
            for fen in (row.billed_fen, row.reduced_fen, row.collected_fen, row.outstanding_fen)
        ),
        Paragraph(rate_text(row), right),
    ]


def _widths(width: float) -> list[float]:
    name_w = width * 0.24
    rate_w = width * 0.12
    money_w = (width - name_w - rate_w) / 4
    return [name_w, *([money_w] * 4), rate_w]


def _rate_table(
    name: str, rows: Sequence[CollectionRow], report: CollectionReport, width: float
) -> Table:
    cell, _right = cell_styles(9.5)
    body: list[list[Any]] = [[name, *HEADER]]
    for row in [*rows, _total_of(report)]:
        body.append([Paragraph(escape(row.name), cell), *_money_cells(row)])
    table = grid_table(body, _widths(width), total_row=True)
    commands = [
        ("BACKGROUND", (0, index), (-1, index), BELOW_TARGET)
        for index, row in enumerate(rows, start=1)
        if below_target(row, report.target_rate)
    ]
    if commands:
        table.setStyle(TableStyle(commands))
    return table


def _others_table(report: CollectionReport, width: float) -> Table:
    cell, _right = cell_styles(9.5)
    body: list[list[Any]] = [["收费项目", *HEADER]]
    subtotals: list[int] = []
    for block in report.others:
        for row in block.rows:
            body.append([Paragraph(escape(row.name), cell), *_money_cells(row)])
        body.append([Paragraph(escape(block.subtotal.name), cell), *_money_cells(block.subtotal)])
        subtotals.append(len(body) - 1)
    table = grid_table(body, _widths(width))
    table.setStyle(TableStyle([("BACKGROUND", (0, i), (-1, i), SHADE) for i in subtotals]))
    return table


def _total_of(report: CollectionReport) -> CollectionRow:
    """The office's own income: 代收 and 维修资金 rows are never summed in."""
    total = report.total
    return CollectionRow(
        "合计（物业收入）", total.billed_fen, total.collected_fen, total.reduced_fen
    )


def _carried_lines(report: CollectionReport, note: Any) -> list[Flowable]:
    text = carried_note(report)
    return [Spacer(0, 1 * mm), Paragraph(text, note)] if text else []


def _arrears_table(report: CollectionReport, width: float) -> Table:
    cell, right = cell_styles(9.5)
    rows: list[list[Any]] = [["项目", "收回金额（元）"]]
    rows += [
        [Paragraph(escape(name), cell), Paragraph(format_yuan(fen), right)]
        for name, fen in report.arrears_collected
    ]
    rows.append(
        ["合计", Paragraph(format_yuan(sum(f for _n, f in report.arrears_collected)), right)]
    )
    return grid_table(rows, [width * 0.72, width * 0.28], total_row=True)


# -- the workbook ------------------------------------------------------------------------


def collection_report_xlsx(report: CollectionReport) -> bytes:
    """Sheets 按楼栋, 按收费项目 (物业收入), 代收及其他 (apart from the 合计) and 清欠情况;
    money in yuan (0.00), 收缴率 as 0.0%."""
    book = Workbook()
    first = book.active
    first.title = "按楼栋"
    _rate_sheet(first, "楼栋", report.by_building, report)
    _rate_sheet(book.create_sheet("按收费项目"), "收费项目", report.by_item, report)
    if report.others:
        _others_sheet(book.create_sheet("代收及其他"), report)
    arrears = book.create_sheet("清欠情况")
    title_row(arrears, f"{TITLE}　{report.period}　清欠情况", 2)
    write_table(
        arrears,
        ["项目", "收回金额（元）"],
        [list(entry) for entry in report.arrears_collected],
        money_columns=(1,),
        total=["合计", sum(fen for _n, fen in report.arrears_collected)],
        start_row=3,
    )
    if report.carried_open_fen is not None:
        arrears.cell(arrears.max_row + 1, 1, carried_note(report))
    set_widths(arrears, [24, 16])
    return workbook_bytes(book)


def _values(row: CollectionRow) -> list[Any]:
    rate = rate_decimal(row)
    return [
        row.name,
        row.billed_fen,
        row.reduced_fen,
        row.collected_fen,
        row.outstanding_fen,
        rate if rate is not None else "—",
    ]


def _rate_sheet(
    sheet: Worksheet, name: str, rows: Sequence[CollectionRow], report: CollectionReport
) -> None:
    title_row(sheet, f"{TITLE}　{report.period}　{report.as_of}", 6)
    total = _total_of(report)
    next_row = write_table(
        sheet,
        [name, *HEADER],
        [_values(row) for row in rows],
        money_columns=(1, 2, 3, 4),
        total=_values(total),
        start_row=3,
    )
    highlight = PatternFill("solid", fgColor="FDECEA")
    for offset, row in enumerate([*rows, total], start=4):
        sheet.cell(offset, 6).number_format = "0.0%"
        if row is not total and below_target(row, report.target_rate):
            for column in range(1, 7):
                sheet.cell(offset, column).fill = highlight
    target = Decimal(str(report.target_rate))
    sheet.cell(next_row, 1, "目标收缴率")
    sheet.cell(next_row, 2, target).number_format = "0.0%"
    sheet.cell(next_row + 1, 1, f"口径：{DEFINITIONS}")
    sheet.cell(next_row + 2, 1, reductions_text(report))
    sheet.cell(next_row + 3, 1, f"制表人：{report.printed_by}")
    set_widths(sheet, [22, 15, 13, 15, 15, 10])
    sheet.freeze_panes = "B4"


def _others_sheet(sheet: Worksheet, report: CollectionReport) -> None:
    title_row(sheet, f"{TITLE}　{report.period}　代收代缴及其他款项（不计入物业收入合计）", 6)
    row_number = 3
    for block in report.others:
        row_number = write_table(
            sheet,
            ["收费项目", *HEADER],
            [_values(row) for row in block.rows],
            money_columns=(1, 2, 3, 4),
            total=_values(block.subtotal),
            start_row=row_number,
        )
        for line in range(row_number - len(block.rows) - 1, row_number):
            sheet.cell(line, 6).number_format = "0.0%"
    sheet.cell(row_number, 1, SEPARATE_NOTE)
    set_widths(sheet, [26, 15, 13, 15, 15, 10])
