"""客服服务月报: the month's work orders for the supervisor and the company, drawn from
plain data: the key figures against the plan's targets (达标/未达标), the counts by
kind, channel, category and building, satisfaction per aspect, the complaints'
categories and the places that repeat; each with the month before.

The workbook holds the same tables: counts as numbers, rates as fractions shown 0.0%
with their counts beside them, 无数据 where there was nothing to count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from frontdesk.documents.base import (
    A4_PORTRAIT,
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
from frontdesk.domain.service_report import NO_DATA, Average, Rate, percent_text, verdict
from frontdesk.domain.spreadsheet import keep_as_text

TITLE = "客服服务月报"
MISSED = colors.HexColor("#fdecea")
MET = colors.HexColor("#e8f5e9")
GREY = colors.HexColor("#52606d")
EMPTY = f"{NO_DATA}（本月和上月均无记录）。"
REPEATS_ON_PAPER = 25  # the places repeating most; the workbook lists them all


@dataclass(frozen=True)
class KeyFigure:
    """One figure of the month against the month before and, if the plan sets one,
    its target; a count (int), a rate or an average."""

    name: str
    this: Rate | Average | int
    before: Rate | Average | int
    target: Fraction | None = None
    pending: int = 0  # not due yet at the time of the report, left out of the rate


@dataclass(frozen=True)
class CountTable:
    title: str  # 按工单类型
    column: str  # 类型
    rows: tuple[tuple[str, int, int], ...]  # name, this month, the month before


@dataclass(frozen=True)
class ScoreLine:
    aspect: str  # 响应速度 … or 综合（三项均满意）
    average: tuple[Average, Average] | None  # this month, before (None: no average)
    satisfied: tuple[Rate, Rate]


@dataclass(frozen=True)
class ServiceReport:
    community: str
    period: str  # 2026年11月
    before: str  # 2026年10月
    as_of: str  # 统计截至 2026-12-07 10:00
    figures: tuple[KeyFigure, ...]
    counts: tuple[CountTable, ...]
    scores: tuple[ScoreLine, ...]
    complaint_scores: tuple[ScoreLine, ...]
    repeats: CountTable
    notes: tuple[str, ...]  # how each figure is counted
    prepared_by: str


def figure_text(value: Rate | Average | int) -> str:
    if isinstance(value, Rate):
        return value.text if value.base == 0 else f"{value.text}（{value.counts_text}）"
    if isinstance(value, Average):
        return value.text
    return str(value)


def target_text(target: Fraction | None) -> str:
    if target is None:
        return "—"
    return "100%" if target == 1 else f"≥ {percent_text(target)}"


def figure_verdict(figure: KeyFigure) -> str:
    if figure.target is None or not isinstance(figure.this, Rate):
        return "—"
    return verdict(figure.this.meets(figure.target))


def change_text(this: int, before: int) -> str:
    difference = this - before
    return f"+{difference}" if difference > 0 else str(difference)


# -- the PDF -------------------------------------------------------------------------


def service_report_pdf(
    letterhead: Letterhead, report: ServiceReport, printed_at: datetime
) -> bytes:
    width = content_width(A4_PORTRAIT)
    note = style("note", 8.5, textColor=GREY, leading=12)
    story: list[Flowable] = [
        letterhead_block(letterhead, width),
        Spacer(0, 4 * mm),
        Paragraph(f"{escape(report.community)}　{TITLE}", title_style()),
        Paragraph(
            f"统计月份：{escape(report.period)}{GAP}对比月份：{escape(report.before)}{GAP}"
            f"{escape(report.as_of)}{GAP}制表人：{escape(report.prepared_by)}",
            style("meta", 9.5),
        ),
        Spacer(0, 1 * mm),
        heading("一、主要指标"),
        _figures_table(report.figures, width),
        Spacer(0, 1 * mm),
        *[Paragraph(escape(line), note) for line in report.notes],
    ]
    number = 2
    for table in report.counts:
        story += [
            Spacer(0, 2 * mm),
            KeepTogether(
                [
                    heading(f"{NUMBERS[number]}、{table.title}"),
                    _count_table(table, report, width)
                    if table.rows
                    else Paragraph(EMPTY, style("body", 9.5)),
                ]
            ),
        ]
        number += 1
    for title, lines in (
        ("回访满意度", report.scores),
        ("投诉回访满意度", report.complaint_scores),
    ):
        story += [
            Spacer(0, 2 * mm),
            KeepTogether(
                [heading(f"{NUMBERS[number]}、{title}"), _score_table(lines, report, width)]
            ),
        ]
        number += 1
    repeats = report.repeats
    shown = replace(repeats, rows=repeats.rows[:REPEATS_ON_PAPER])
    more = len(repeats.rows) - len(shown.rows)
    story += [
        Spacer(0, 2 * mm),
        KeepTogether(
            [
                heading(f"{NUMBERS[number]}、{repeats.title}"),
                _count_table(shown, report, width)
                if repeats.rows
                else Paragraph("本月没有重复报修或投诉的位置。", style("body", 9.5)),
                *(
                    [Paragraph(f"另有 {more} 处重复较少的位置未列出，见 Excel 报表。", note)]
                    if more
                    else []
                ),
                Spacer(0, 12 * mm),
                signature_lines(("制表", "客服主管", "项目经理"), width),
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


NUMBERS = "〇一二三四五六七八九十"


def _figures_table(figures: Sequence[KeyFigure], width: float) -> Table:
    cell, right = cell_styles(9.5)
    body: list[list[Any]] = [["指标", "本月", "本月未到期", "上月", "目标", "结果"]]
    shades: list[tuple[Any, ...]] = []
    for index, figure in enumerate(figures, start=1):
        result = figure_verdict(figure)
        body.append(
            [
                Paragraph(escape(figure.name), cell),
                Paragraph(escape(figure_text(figure.this)), right),
                Paragraph(f"{figure.pending} 单" if figure.pending else "", right),
                Paragraph(escape(figure_text(figure.before)), right),
                Paragraph(target_text(figure.target), right),
                result,
            ]
        )
        if result in ("达标", "未达标"):
            shade = MET if result == "达标" else MISSED
            shades.append(("BACKGROUND", (5, index), (5, index), shade))
    widths = [0.24, 0.21, 0.12, 0.21, 0.11, 0.11]
    table = grid_table(body, [width * share for share in widths])
    table.setStyle(TableStyle([("ALIGN", (5, 1), (5, -1), "CENTER"), *shades]))
    return table


def _count_table(table: CountTable, report: ServiceReport, width: float) -> Table:
    cell, right = cell_styles(9.5)
    body: list[list[Any]] = [[table.column, report.period, report.before, "增减"]]
    for name, this, before in table.rows:
        body.append(
            [
                Paragraph(escape(name), cell),
                Paragraph(str(this), right),
                Paragraph(str(before), right),
                Paragraph(change_text(this, before), right),
            ]
        )
    return grid_table(body, [width * 0.46, width * 0.18, width * 0.18, width * 0.18])


def _score_table(lines: Sequence[ScoreLine], report: ServiceReport, width: float) -> Table:
    cell, right = cell_styles(9.5)
    body: list[list[Any]] = [["评价项目", "本月平均分", "上月平均分", "本月满意率", "上月满意率"]]
    for line in lines:
        averages = [a.text for a in line.average] if line.average is not None else ["—", "—"]
        body.append(
            [
                Paragraph(escape(line.aspect), cell),
                *(Paragraph(text, right) for text in averages),
                *(Paragraph(escape(figure_text(rate)), right) for rate in line.satisfied),
            ]
        )
    return grid_table(body, [width * 0.24, width * 0.15, width * 0.15, width * 0.23, width * 0.23])


# -- the workbook ------------------------------------------------------------------------


def service_report_xlsx(report: ServiceReport) -> bytes:
    """Sheets 主要指标, one per count table, 满意度 and 重复位置."""
    book = Workbook()
    first = book.active
    first.title = "主要指标"
    _figures_sheet(first, report)
    for table in report.counts:
        _count_sheet(book.create_sheet(table.title.removeprefix("按")), table, report)
    scores = book.create_sheet("满意度")
    title_row(scores, f"{TITLE}　{report.period}　回访满意度", 7)
    row = _score_rows(scores, "回访满意度", report.scores, report, 3)
    _score_rows(scores, "投诉回访满意度", report.complaint_scores, report, row)
    set_widths(scores, [22, 12, 12, 12, 10, 12, 10])
    _count_sheet(book.create_sheet("重复位置"), report.repeats, report)
    return workbook_bytes(book)


def _rate_cells(value: Rate | Average | int) -> list[Any]:
    """A figure as a number (a rate as its fraction, 0.0%) and its counts beside it."""
    if isinstance(value, Rate):
        fraction = value.value
        if fraction is None:
            return [NO_DATA, value.counts_text]
        exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
        return [exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP), value.counts_text]
    if isinstance(value, Average):
        fraction = value.value
        if fraction is None:
            return [NO_DATA, ""]
        exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
        return [exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), ""]
    return [value, ""]


def _percent_format(sheet: Worksheet, row: int, columns: Sequence[int]) -> None:
    for column in columns:
        cell = sheet.cell(row, column)
        if isinstance(cell.value, Decimal) and cell.value <= 1:
            cell.number_format = "0.0%"


def _figures_sheet(sheet: Worksheet, report: ServiceReport) -> None:
    title_row(sheet, f"{report.community}　{TITLE}　{report.period}　{report.as_of}", 8)
    rows = []
    for figure in report.figures:
        rows.append(
            [
                figure.name,
                *_rate_cells(figure.this),
                *_rate_cells(figure.before),
                target_text(figure.target),
                figure_verdict(figure),
                figure.pending,
            ]
        )
    next_row = write_table(
        sheet,
        ["指标", "本月", "本月计数", "上月", "上月计数", "目标", "结果", "未到期（单）"],
        rows,
        start_row=3,
    )
    missed = PatternFill("solid", fgColor="FDECEA")
    for offset, figure in enumerate(report.figures, start=4):
        if isinstance(figure.this, Rate):
            _percent_format(sheet, offset, (2, 4))
        if figure_verdict(figure) == "未达标":
            sheet.cell(offset, 7).fill = missed
    for index, line in enumerate((*report.notes, f"制表人：{report.prepared_by}")):
        keep_as_text(sheet.cell(next_row + index, 1, line))
    set_widths(sheet, [24, 10, 12, 10, 12, 10, 10, 12])
    sheet.freeze_panes = "B4"


def _count_sheet(sheet: Worksheet, table: CountTable, report: ServiceReport) -> None:
    title_row(sheet, f"{TITLE}　{report.period}　{table.title}", 4)
    next_row = write_table(
        sheet,
        [table.column, report.period, report.before, "增减"],
        [[name, this, before, this - before] for name, this, before in table.rows],
        start_row=3,
    )
    if not table.rows:
        sheet.cell(next_row, 1, NO_DATA)
    set_widths(sheet, [36, 12, 12, 10])


def _score_rows(
    sheet: Worksheet, title: str, lines: Sequence[ScoreLine], report: ServiceReport, row: int
) -> int:
    keep_as_text(sheet.cell(row, 1, title))
    rows = []
    for line in lines:
        averages = line.average
        rows.append(
            [
                line.aspect,
                *(_rate_cells(averages[0])[:1] if averages else ["—"]),
                *(_rate_cells(averages[1])[:1] if averages else ["—"]),
                *_rate_cells(line.satisfied[0]),
                *_rate_cells(line.satisfied[1]),
            ]
        )
    next_row = write_table(
        sheet,
        [
            "评价项目",
            "本月平均分",
            "上月平均分",
            "本月满意率",
            "本月计数",
            "上月满意率",
            "上月计数",
        ],
        rows,
        start_row=row + 1,
    )
    for offset in range(len(lines)):
        _percent_format(sheet, row + 2 + offset, (4, 6))
    return next_row + 1
