"""物业工作月报 (and 年度工作总结): the month's work for the company and the 业委会,
drawn from plain data: the KPI table against the plan's targets (达标/未达标) with the
month before and the same month last year; charts (reportlab graphics, vector, in the
bundled font) of collection, arrears by age, work orders and their on-time rates,
satisfaction and visitors; the month's work by area; and a page of exceptions, each
with what is being done.

A month with nothing recorded says so instead of drawing empty charts. The workbook
holds the same tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from frontdesk.documents.base import (
    A4_PORTRAIT,
    FONT,
    INK,
    RULE,
    Letterhead,
    cell_styles,
    content_width,
    escape,
    grid_table,
    letterhead_block,
    register_font,
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
from frontdesk.documents.service_report import MET, MISSED, NUMBERS
from frontdesk.domain.spreadsheet import keep_as_text

TITLE = "物业工作月报"
YEAR_TITLE = "年度工作总结（数据）"
GREY = colors.HexColor("#52606d")
TARGET_INK = colors.HexColor("#c0392b")
SERIES_COLOURS = (
    colors.HexColor("#2f6f9f"),
    colors.HexColor("#e08a2c"),
    colors.HexColor("#4f9a5b"),
    colors.HexColor("#8e5ea2"),
)
CHART_HEIGHT = 62 * mm
CONCERNS_ON_PAPER = 20  # per group; the workbook lists them all
MET_TEXT, MISSED_TEXT = "达标", "未达标"


@dataclass(frozen=True)
class KpiRow:
    """A KPI as printed: each column's text, the target, 达标/未达标 or —."""

    name: str
    this: str
    before: str
    last_year: str | None  # None in a year's summary
    target: str
    result: str


@dataclass(frozen=True)
class Chart:
    """A chart: bars or lines over the categories, values in `unit`; None is no data."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    unit: str  # %, 元, 单, 人次, 户
    lines: bool = False
    target: float | None = None  # drawn across as a dashed line
    target_label: str = ""
    # the first series' margins (± in the unit), drawn as intervals and written over them
    margins: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class CountRow:
    name: str
    this: str
    before: str
    last_year: str | None


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[CountRow, ...]
    note: str = ""


@dataclass(frozen=True)
class ConcernBlock:
    title: str
    rows: tuple[tuple[str, str, str, str], ...]  # 编号, 情况, 时间, 处理进展


@dataclass(frozen=True)
class MonthlyReport:
    community: str
    title: str  # 物业工作月报 / 年度工作总结（数据）
    period: str  # 2026年11月 / 2026年
    columns: tuple[str, ...]  # 本月 (2026年11月), 上月 …, 去年同月 … (two for a year)
    as_of: str  # 统计截至 2026-12-07 10:00
    has_data: bool
    kpis: tuple[KpiRow, ...]
    charts: tuple[Chart, ...]
    sections: tuple[Section, ...]
    concerns: tuple[ConcernBlock, ...]
    notes: tuple[str, ...]
    prepared_by: str


# -- the PDF -------------------------------------------------------------------------


def monthly_report_pdf(
    letterhead: Letterhead, report: MonthlyReport, printed_at: datetime
) -> bytes:
    register_font()
    width = content_width(A4_PORTRAIT)
    note = style("note", 8.5, textColor=GREY, leading=12)
    body = style("body", 10)
    story: list[Flowable] = [
        letterhead_block(letterhead, width),
        Spacer(0, 4 * mm),
        Paragraph(f"{escape(report.community)}　{escape(report.title)}", title_style()),
        Paragraph(
            f"统计期间：{escape(report.period)}{GAP}{escape(report.as_of)}{GAP}"
            f"制表人：{escape(report.prepared_by)}",
            style("meta", 9.5),
        ),
        Spacer(0, 1 * mm),
    ]
    if not report.has_data:
        story.append(
            Paragraph(
                f"{escape(report.period)}没有任何记录：没有开单收费、工单、访客、装修、入伙、"
                "发文或管家联系，因此不出图表和指标。请确认统计期间是否选对。",
                style("empty", 11, spaceBefore=6 * mm),
            )
        )
    else:
        story += [
            heading("一、主要指标（对照年度工作计划）"),
            _kpi_table(report, width),
            Spacer(0, 1 * mm),
            *[Paragraph(escape(line), note) for line in report.notes],
        ]
        story += [PageBreak(), heading("二、图表")]
        for chart in report.charts:
            story += [Spacer(0, 3 * mm), _chart(chart, width)]
        number = 3
        for section in report.sections:
            story += [
                KeepTogether(
                    [
                        heading(f"{NUMBERS[number]}、{escape(section.title)}"),
                        _section_table(section, report, width),
                        *([Paragraph(escape(section.note), note)] if section.note else []),
                    ]
                ),
                Spacer(0, 2 * mm),
            ]
            number += 1
    story += [PageBreak(), *_concern_page(report, width, body, note)]
    return render(
        story,
        title=f"{report.title} {report.period}",
        author=letterhead.issuer,
        pagesize=A4_PORTRAIT,
        printed_at=printed_at,
    )


def _kpi_table(report: MonthlyReport, width: float) -> Table:
    cell, right = cell_styles(9)
    header = ["指标", *report.columns, "目标", "结果"]
    body: list[list[Any]] = [[Paragraph(escape(h), cell) for h in header]]
    shades: list[tuple[Any, ...]] = []
    result_column = len(header) - 1
    for index, kpi in enumerate(report.kpis, start=1):
        values = [kpi.this, kpi.before, *([kpi.last_year] if kpi.last_year is not None else [])]
        body.append(
            [
                Paragraph(escape(kpi.name), cell),
                *(Paragraph(escape(v), right) for v in values),
                Paragraph(escape(kpi.target), right),
                kpi.result,
            ]
        )
        if kpi.result in (MET_TEXT, MISSED_TEXT):
            shade = MET if kpi.result == MET_TEXT else MISSED
            shades.append(("BACKGROUND", (result_column, index), (result_column, index), shade))
    value_columns = len(report.columns)
    first, target, result = 0.22, 0.10, 0.09
    each = (1 - first - target - result) / value_columns
    widths = [first, *([each] * value_columns), target, result]
    table = grid_table(body, [width * share for share in widths])
    table.setStyle(
        TableStyle([("ALIGN", (result_column, 1), (result_column, -1), "CENTER"), *shades])
    )
    return table


def _section_table(section: Section, report: MonthlyReport, width: float) -> Table:
    cell, right = cell_styles(9.5)
    body: list[list[Any]] = [["项目", *report.columns]]
    for row in section.rows:
        values = [row.this, row.before, *([row.last_year] if row.last_year is not None else [])]
        body.append(
            [Paragraph(escape(row.name), cell), *(Paragraph(escape(v), right) for v in values)]
        )
    each = 0.64 / len(report.columns)
    return grid_table(body, [width * 0.36, *([width * each] * len(report.columns))])


def _concern_page(report: MonthlyReport, width: float, body: Any, note: Any) -> list[Flowable]:
    cell, _ = cell_styles(8.5)
    story: list[Flowable] = [
        heading("异常情况及处理（截至统计时）"),
        Paragraph("以下为统计时仍待处理或本期出现的问题，每项列出最近一次处理进展。", note),
    ]
    for block in report.concerns:
        title = f"{escape(block.title)}（{len(block.rows)} 项）"
        if not block.rows:
            story += [Spacer(0, 2 * mm), Paragraph(f"{title}：无。", body)]
            continue
        shown = block.rows[:CONCERNS_ON_PAPER]
        rows: list[list[Any]] = [["编号/房号", "情况", "时间", "处理进展"]]
        rows += [[Paragraph(escape(text), cell) for text in row] for row in shown]
        story += [
            Spacer(0, 2 * mm),
            Paragraph(title, style("concern", 10.5, spaceAfter=1 * mm)),
            grid_table(rows, [width * share for share in (0.16, 0.27, 0.2, 0.37)]),
        ]
        if len(block.rows) > len(shown):
            more = len(block.rows) - len(shown)
            story.append(Paragraph(f"另有 {more} 项未列出，见 Excel 报表。", note))
    story += [Spacer(0, 14 * mm), signature_lines(("制表", "客服主管", "项目经理"), width)]
    return story


def _chart(chart: Chart, width: float) -> Drawing:
    """A titled bar or line chart with its legend and an optional dashed target line."""
    height = CHART_HEIGHT
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, chart.title, fontName=FONT, fontSize=10.5, fillColor=INK))
    values = [v for _, series in chart.series for v in series if v is not None]
    if not values:
        drawing.add(String(0, height - 30, "本期无数据。", fontName=FONT, fontSize=9.5))
        return drawing
    plot: VerticalBarChart | HorizontalLineChart = (
        HorizontalLineChart() if chart.lines else VerticalBarChart()
    )
    plot.x, plot.y = 42, 34
    plot.width = width - 60
    plot.height = height - 34 - 34
    plot.data = [tuple(v for v in series) for _, series in chart.series]
    top = max([*values, chart.target or 0])
    low = 0.0
    intervals = _intervals(chart)
    if chart.unit == "%":
        lows = [low for _, low, _ in intervals]
        low = max(0.0, min([*values, *lows, chart.target or 100]) - 10)
        low = float(int(low // 10 * 10))
        top = 100.0
    plot.valueAxis.valueMin = low
    plot.valueAxis.valueMax = _nice(top) if chart.unit != "%" else top
    plot.valueAxis.labels.fontName = FONT
    plot.valueAxis.labels.fontSize = 8
    plot.valueAxis.labelTextFormat = "%d%%" if chart.unit == "%" else _axis_format(top)
    plot.categoryAxis.categoryNames = _category_names(chart)
    plot.categoryAxis.labels.fontName = FONT
    plot.categoryAxis.labels.fontSize = 7.5
    plot.categoryAxis.labels.boxAnchor = "n"
    plot.categoryAxis.labels.textAnchor = "middle"  # a second line (the margins) centred
    for index in range(len(chart.series)):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        if chart.lines:
            plot.lines[index].strokeColor = colour
            plot.lines[index].strokeWidth = 1.5
            plot.lines[index].symbol = makeMarker("FilledCircle", size=3 + index)
            plot.lines[index].symbol.fillColor = colour
        else:
            plot.bars[index].fillColor = colour
            plot.bars[index].strokeColor = None
    drawing.add(plot)
    for index, interval_low, interval_high in intervals:
        _interval(drawing, plot, len(chart.categories), index, interval_low, interval_high)
    if chart.target is not None:
        span = plot.valueAxis.valueMax - plot.valueAxis.valueMin
        y = plot.y + (chart.target - plot.valueAxis.valueMin) / span * plot.height
        drawing.add(
            Line(
                plot.x,
                y,
                plot.x + plot.width,
                y,
                strokeColor=TARGET_INK,
                strokeWidth=1,
                strokeDashArray=[4, 3],
            )
        )
    drawing.add(
        String(0, height - 22, f"单位：{chart.unit}", fontName=FONT, fontSize=7.5, fillColor=GREY)
    )
    if chart.target is not None:
        drawing.add(
            String(
                60,
                height - 22,
                f"红色虚线：{chart.target_label}",
                fontName=FONT,
                fontSize=7.5,
                fillColor=TARGET_INK,
            )
        )
    if len(chart.series) > 1 or chart.series[0][0]:
        legend = Legend()
        legend.fontName = FONT
        legend.fontSize = 8
        legend.x, legend.y = width - 4, height - 4
        legend.alignment = "right"
        legend.boxAnchor = "ne"
        legend.columnMaximum = 1
        legend.deltax = 70
        legend.dx = legend.dy = 7
        legend.strokeColor = None
        legend.colorNamePairs = [
            (SERIES_COLOURS[i % len(SERIES_COLOURS)], name)
            for i, (name, _) in enumerate(chart.series)
        ]
        drawing.add(legend)
    drawing.add(Line(0, 1, width, 1, strokeColor=RULE, strokeWidth=0.3))
    return drawing


def _intervals(chart: Chart) -> list[tuple[int, float, float]]:
    """The first series' 95% intervals: (category, low, high), kept within 0–100%."""
    found = []
    for index, (value, margin) in enumerate(zip(chart.series[0][1], chart.margins, strict=False)):
        if value is not None and margin is not None:
            ceiling = 100.0 if chart.unit == "%" else value + margin
            found.append((index, max(value - margin, 0.0), min(value + margin, ceiling)))
    return found


def _category_names(chart: Chart) -> list[str]:
    """The categories; with margins, each with its value and margin on a second line."""
    if not chart.margins:
        return list(chart.categories)
    names = []
    for name, value, margin in zip(
        chart.categories, chart.series[0][1], chart.margins, strict=False
    ):
        shown = "" if value is None else f"{value:.1f}{chart.unit}"
        spread = "" if margin is None else f" ±{margin:.1f}{chart.unit}"
        names.append(f"{name}\n{shown}{spread}")
    return names


def _interval(
    drawing: Drawing, plot: VerticalBarChart, count: int, index: int, low: float, high: float
) -> None:
    """A vertical line with caps over the bar of category `index`, from `low` to `high`."""
    axis = plot.valueAxis
    span = axis.valueMax - axis.valueMin

    def y(value: float) -> float:
        value = min(max(value, axis.valueMin), axis.valueMax)
        return float(plot.y + (value - axis.valueMin) / span * plot.height)

    x = plot.x + (index + 0.5) * plot.width / count
    cap = min(6.0, plot.width / count / 6)
    for line in (
        (x, y(low), x, y(high)),
        (x - cap, y(low), x + cap, y(low)),
        (x - cap, y(high), x + cap, y(high)),
    ):
        drawing.add(Line(*line, strokeColor=INK, strokeWidth=0.9))


def _nice(top: float) -> float:
    """A round axis maximum just above `top`."""
    if top <= 0:
        return 1.0
    step = 1.0
    while step * 10 < top:
        step *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if step * factor >= top:
            return step * factor
    return step * 10


def _axis_format(top: float) -> str:
    return "%.1f" if top < 5 else "%d"


# -- the workbook --------------------------------------------------------------------


def monthly_report_xlsx(report: MonthlyReport) -> bytes:
    """Sheets 主要指标, 图表数据 (one table per chart), 各项工作 and 异常情况."""
    book = Workbook()
    sheet = book.active
    sheet.title = "主要指标"
    head = f"{report.community}　{report.title}　{report.period}　{report.as_of}"
    title_row(sheet, head, len(report.columns) + 3)
    if not report.has_data:
        keep_as_text(sheet.cell(3, 1, f"{report.period}没有任何记录。"))
    next_row = write_table(
        sheet,
        ["指标", *report.columns, "目标", "结果"],
        [
            [
                k.name,
                k.this,
                k.before,
                *([k.last_year] if k.last_year is not None else []),
                k.target,
                k.result,
            ]
            for k in report.kpis
        ],
        start_row=4,
    )
    missed = PatternFill("solid", fgColor="FDECEA")
    for offset, kpi in enumerate(report.kpis, start=5):
        if kpi.result == MISSED_TEXT:
            sheet.cell(offset, len(report.columns) + 3).fill = missed
    for index, line in enumerate((*report.notes, f"制表人：{report.prepared_by}")):
        keep_as_text(sheet.cell(next_row + index, 1, line))
    set_widths(sheet, [22, *([18] * len(report.columns)), 10, 10])
    sheet.freeze_panes = "B5"

    data = book.create_sheet("图表数据")
    title_row(data, f"{report.title}　{report.period}　图表数据", 6)
    row = 3
    for chart in report.charts:
        keep_as_text(data.cell(row, 1, f"{chart.title}（单位：{chart.unit}）"))
        margins = ["误差（±）"] if chart.margins else []
        row = (
            write_table(
                data,
                ["", *(name or chart.title for name, _ in chart.series), *margins],
                [
                    [
                        category,
                        *(series[i] for _, series in chart.series),
                        *([chart.margins[i]] if chart.margins else []),
                    ]
                    for i, category in enumerate(chart.categories)
                ],
                start_row=row + 1,
            )
            + 1
        )
    set_widths(data, [22, 16, 16, 16, 16])

    work = book.create_sheet("各项工作")
    title_row(work, f"{report.title}　{report.period}　各项工作", len(report.columns) + 1)
    row = 3
    for section in report.sections:
        keep_as_text(work.cell(row, 1, section.title))
        row = (
            write_table(
                work,
                ["项目", *report.columns],
                [
                    [r.name, r.this, r.before, *([r.last_year] if r.last_year is not None else [])]
                    for r in section.rows
                ],
                start_row=row + 1,
            )
            + 1
        )
    set_widths(work, [30, *([18] * len(report.columns))])

    concerns = book.create_sheet("异常情况")
    title_row(concerns, f"{report.title}　{report.period}　异常情况及处理", 5)
    rows: list[Sequence[str]] = []
    for block in report.concerns:
        rows += [[block.title, *row] for row in block.rows]
    write_table(concerns, ["类别", "编号/房号", "情况", "时间", "处理进展"], rows, start_row=3)
    set_widths(concerns, [22, 20, 40, 20, 60])
    return workbook_bytes(book)
