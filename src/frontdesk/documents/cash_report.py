"""收费日报: one day's takings per cashier, receipts issued and voided, cash counted.

The PDF (A4) and the workbook carry the same figures: the workbook has a sheet
收费员 (one row per cashier, a column per payment method) and a sheet 收费项目
(by fee item, then by kind of collection). Money in the workbook is a number in
yuan made from the integer fen with Decimal, formatted 0.00.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from frontdesk.documents.base import (
    A4_PORTRAIT,
    FONT,
    INK,
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
from frontdesk.documents.linebreak import Paragraph
from frontdesk.domain.money import FEN_PER_YUAN, format_yuan
from frontdesk.domain.spreadsheet import keep_as_text


@dataclass(frozen=True)
class MethodLine:
    """One payment method: what was taken, voided and refunded, and the net that is
    ticked against the bank, WeChat or Alipay statement of the day."""

    method: str  # 现金, 微信 …
    taken_fen: int
    voided_fen: int
    refunded_fen: int

    @property
    def net_fen(self) -> int:
        return self.taken_fen - self.voided_fen - self.refunded_fen


@dataclass(frozen=True)
class VoidLine:
    number: str  # SJ00000015
    amount_fen: int
    taken_on: str  # '' when taken the same day, else '11月24日'


@dataclass(frozen=True)
class CashierDay:
    cashier: str
    methods: tuple[MethodLine, ...]
    receipts: int
    first_receipt: str
    last_receipt: str
    voided: tuple[VoidLine, ...]  # receipts voided this day
    refunds_fen: int
    cash_expected_fen: int
    cash_counted_fen: int | None  # None: not closed yet
    closed_at: str  # '' when not closed
    # 预存抵扣: bills paid from the household's 预存 (in the receipts, not in `methods`).
    prepaid_fen: int = 0

    @property
    def by_method(self) -> tuple[tuple[str, int], ...]:
        """(method, net) for each method."""
        return tuple((line.method, line.net_fen) for line in self.methods)


@dataclass(frozen=True)
class DailyReport:
    day: str  # 2026年11月25日
    cashiers: tuple[CashierDay, ...]
    by_item: tuple[tuple[str, str, int], ...]  # (fee item, collection label, fen)
    by_collection: tuple[tuple[str, int], ...]  # (物业收入/代收代缴/公共维修资金/押金, fen)
    total_fen: int
    total_words: str
    printed_by: str
    # Every cashier of the day has done the 日结: only then may it be filed as the day's.
    closed: bool = False
    # Where the audit log stood when this was printed ("审计日志：第 12345 条，链首 k3f9a2…c2d1"):
    # filed on paper, it is an anchor no editor of the database can reach.
    audit_anchor: str = ""
    # 预存 the billing run drew for rooms with a balance: no cashier, no receipt.
    auto_drawn_fen: int = 0
    auto_drawn_rooms: int = 0

    @property
    def prepaid_fen(self) -> int:
        return sum(c.prepaid_fen for c in self.cashiers)


TITLE = "收费日报"
OPEN_MARK = "未日结"
OPEN_BANNER = "未日结 · 仅供核对，不得作为当日收费日报归档"
SHEET_CASHIERS = "收费员"
SHEET_ITEMS = "收费项目"
SHEET_METHODS = "收款方式"
MONEY_FORMAT = "0.00"
GREY = colors.HexColor("#52606d")
ALERT = colors.HexColor("#fdecea")
WATERMARK = colors.HexColor("#d9d9d9")
GAP = "&nbsp;" * 6  # a Paragraph collapses the ideographic space like any other
METHOD_HEADER = ("收款方式", "收款（元）", "作废（元）", "退款（元）", "净额（元）")
RECONCILE_NOTE = "净额 = 收款 − 作废 − 退款；每行净额与当日银行、微信、支付宝对账单核对。"
PREPAID_MEANS = "从业主预存款中扣抵，不是新收的钱，不计入收款合计，也不与对账单核对"


def prepaid_text(counter_fen: int, auto_fen: int = 0, auto_rooms: int = 0) -> str:
    """预存抵扣 said as what it is, or "" when there was none: bills paid from the
    household's 预存 at the counter (their receipts were issued) or by the billing run
    (no receipt), money that was not handed over that day."""
    parts = []
    if counter_fen:
        parts.append(f"收款时抵扣 ¥{format_yuan(counter_fen)}（已开收据）")
    if auto_fen:
        parts.append(f"账单生成时自动抵扣 ¥{format_yuan(auto_fen)}（{auto_rooms} 户，不开收据）")
    return f"预存抵扣：{'；'.join(parts)}。{PREPAID_MEANS}。" if parts else ""


def report_title(report: DailyReport) -> str:
    return TITLE if report.closed else f"{TITLE}（{OPEN_MARK}）"


def _open_day_marks(canvas: Canvas, doc: Any) -> None:
    """On every page of a day not closed: 未日结 across the page behind the figures."""
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.setFont(FONT, 110)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, -40, OPEN_MARK)
    canvas.restoreState()


def daily_report_pdf(letterhead: Letterhead, report: DailyReport, printed_at: datetime) -> bytes:
    """The day's report on A4: each cashier's takings, then by method, fee item and kind."""
    width = content_width(A4_PORTRAIT)
    story: list[Flowable] = [letterhead_block(letterhead, width)]
    if not report.closed:
        story += [Spacer(0, 2 * mm), _open_banner(width)]
    story += [
        Spacer(0, 4 * mm),
        Paragraph(report_title(report), title_style()),
        Paragraph(
            f"收费日期：{escape(report.day)}{GAP}"
            f"收费员 {len(report.cashiers)} 人{GAP}"
            f"收据 {sum(c.receipts for c in report.cashiers)} 张{GAP}"
            f"制表人：{escape(report.printed_by)}",
            style("meta", 9.5),
        ),
        Spacer(0, 2 * mm),
        heading("一、收费员收款"),
    ]
    if not report.cashiers:
        story.append(Paragraph("当日无收款。", style("none", 9.5)))
    for cashier in report.cashiers:
        story += [KeepTogether(_cashier_block(cashier, width)), Spacer(0, 3 * mm)]
    story += [
        KeepTogether(
            [
                heading("二、按收款方式（与对账单核对）"),
                _method_table(day_lines(report), width),
                Spacer(0, 1 * mm),
                Paragraph(RECONCILE_NOTE, style("note", 8.5, textColor=GREY)),
                *_prepaid_note(report),
            ]
        ),
        Spacer(0, 2 * mm),
        KeepTogether([heading("三、按收费项目"), _item_table(report, width)]),
        Spacer(0, 2 * mm),
        KeepTogether(
            [
                heading("四、按款项性质"),
                _collection_table(report, width),
                Spacer(0, 1 * mm),
                Paragraph(
                    "注：代收代缴、公共维修资金、押金与物业收入分开列示，不计入物业收入。",
                    style("note", 8.5, textColor=GREY),
                ),
            ]
        ),
        Spacer(0, 3 * mm),
        KeepTogether(
            [
                _grand_total(report, width),
                *_anchor_note(report),
                Spacer(0, 14 * mm),
                signature_lines(("收费员", "复核", "财务"), width),
            ]
        ),
    ]
    return render(
        story,
        title=f"{report_title(report)} {report.day}",
        author=letterhead.issuer,
        pagesize=A4_PORTRAIT,
        printed_at=printed_at,
        on_page=None if report.closed else _open_day_marks,
    )


def _prepaid_note(report: DailyReport) -> list[Flowable]:
    text = prepaid_text(report.prepaid_fen, report.auto_drawn_fen, report.auto_drawn_rooms)
    return [Paragraph(escape(text), style("prepaid", 8.5, textColor=GREY))] if text else []


def _anchor_note(report: DailyReport) -> list[Flowable]:
    if not report.audit_anchor:
        return []
    text = f"{escape(report.audit_anchor)}（打印时；审计时可与系统中的审计日志核对）"
    return [Spacer(0, 2 * mm), Paragraph(text, style("anchor", 8.5, textColor=GREY))]


def _open_banner(width: float) -> Table:
    banner = Table(
        [[Paragraph(OPEN_BANNER, style("open", 13, leading=17, alignment=TA_CENTER))]],
        colWidths=[width],
    )
    banner.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.6, INK),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return banner


def heading(text: str) -> Flowable:
    return Paragraph(text, style("heading", 11.5, spaceBefore=2 * mm, spaceAfter=1.5 * mm))


def signature_lines(roles: Sequence[str], width: float) -> Flowable:
    """'收费员：________　复核：________' spread over the width, lines to sign on."""
    each = width / len(roles)
    label_w = 16 * mm
    cells: list[str] = []
    widths: list[float] = []
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 10.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]
    for index, role in enumerate(roles):
        cells += [f"{role}：", "", ""]
        widths += [label_w, each - label_w - 8 * mm, 8 * mm]
        commands.append(("LINEBELOW", (3 * index + 1, 0), (3 * index + 1, 0), 0.6, INK))
    table = Table([cells], colWidths=widths, rowHeights=[8 * mm])
    table.setStyle(TableStyle(commands))
    return table


def cash_difference(cashier: CashierDay) -> str:
    """'长款 12.00' / '短款 3.50' / '无差额' / '未日结' for counted against expected cash."""
    if cashier.cash_counted_fen is None:
        return "未日结"
    difference = cashier.cash_counted_fen - cashier.cash_expected_fen
    if difference > 0:
        return f"长款 {format_yuan(difference)}"
    if difference < 0:
        return f"短款 {format_yuan(-difference)}"
    return "无差额"


def voided_text(voided: Sequence[VoidLine]) -> str:
    """'SJ00000015 ¥120.00、SJ00000021 ¥80.00（11月24日收款）；共 2 张 ¥200.00' or '无'."""
    if not voided:
        return "无"
    parts = [
        f"{line.number} ¥{format_yuan(line.amount_fen)}"
        + (f"（{line.taken_on}收款）" if line.taken_on else "")
        for line in voided
    ]
    total = format_yuan(sum(line.amount_fen for line in voided))
    return f"{'、'.join(parts)}；共 {len(voided)} 张 ¥{total}"


def _cashier_block(cashier: CashierDay, width: float) -> list[Flowable]:
    cell, right = cell_styles(9.5)
    closed = f"已日结（{escape(cashier.closed_at)}）" if cashier.closed_at else OPEN_MARK
    receipts = (
        f"{escape(cashier.first_receipt)} 至 {escape(cashier.last_receipt)}"
        if cashier.first_receipt
        else "—"
    )
    counted = (
        format_yuan(cashier.cash_counted_fen) if cashier.cash_counted_fen is not None else "未清点"
    )
    rows: list[list[Any]] = [
        [Paragraph(f"收费员：{escape(cashier.cashier)}{GAP}{closed}", cell), "", "", ""],
        ["收据张数", f"{cashier.receipts} 张", "收据号段", Paragraph(receipts, cell)],
        ["作废收据", Paragraph(escape(voided_text(cashier.voided)), cell), "", ""],
    ]
    if cashier.prepaid_fen:
        said = f"¥{format_yuan(cashier.prepaid_fen)}：{PREPAID_MEANS}"
        rows.append(["预存抵扣", Paragraph(escape(said), cell), "", ""])
    label_w = width * 0.17
    value_w = (width - 2 * label_w) / 2
    head = grid_table(rows, [label_w, value_w, label_w, value_w], header_rows=0)
    head.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                *(("SPAN", (1, row), (-1, row)) for row in range(2, len(rows))),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("BACKGROUND", (0, 1), (0, -1), SHADE),
                ("BACKGROUND", (2, 1), (2, 1), SHADE),
            ]
        )
    )
    cash = grid_table(
        [
            [
                "应有现金",
                Paragraph(format_yuan(cashier.cash_expected_fen), right),
                "实点现金",
                Paragraph(counted, right),
            ],
            [
                "现金长短款",
                Paragraph(cash_difference(cashier), right),
                "日结时间",
                Paragraph(escape(cashier.closed_at) or OPEN_MARK, right),
            ],
        ],
        [label_w, value_w, label_w, value_w],
        header_rows=0,
    )
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("BACKGROUND", (2, 0), (2, -1), SHADE),
    ]
    counted_fen = cashier.cash_counted_fen
    if counted_fen is not None and counted_fen != cashier.cash_expected_fen:
        commands.append(("BACKGROUND", (1, -1), (1, -1), ALERT))
    cash.setStyle(TableStyle(commands))
    return [head, _method_table(cashier.methods, width), cash]


def _method_table(lines: Sequence[MethodLine], width: float) -> Table:
    cell, right = cell_styles(9.5)
    rows: list[list[Any]] = [list(METHOD_HEADER)]
    total = MethodLine(
        "合计",
        sum(line.taken_fen for line in lines),
        sum(line.voided_fen for line in lines),
        sum(line.refunded_fen for line in lines),
    )
    for line in [*lines, total]:
        rows.append(
            [
                Paragraph(escape(line.method), cell),
                *(
                    Paragraph(format_yuan(fen), right)
                    for fen in (line.taken_fen, line.voided_fen, line.refunded_fen, line.net_fen)
                ),
            ]
        )
    name_w = width * 0.2
    return grid_table(rows, [name_w, *([(width - name_w) / 4] * 4)], total_row=True)


def day_lines(report: DailyReport) -> list[MethodLine]:
    """Each payment method over all cashiers, in the order they first appear."""
    totals: dict[str, list[int]] = {}
    for cashier in report.cashiers:
        for line in cashier.methods:
            sums = totals.setdefault(line.method, [0, 0, 0])
            sums[0] += line.taken_fen
            sums[1] += line.voided_fen
            sums[2] += line.refunded_fen
    return [MethodLine(method, *sums) for method, sums in totals.items()]


def day_methods(report: DailyReport) -> list[tuple[str, int]]:
    """Each payment method's net over all cashiers, in the order they first appear."""
    return [(line.method, line.net_fen) for line in day_lines(report)]


def _item_table(report: DailyReport, width: float) -> Table:
    cell, right = cell_styles(9.5)
    rows: list[list[Any]] = [["收费项目", "款项性质", "金额（元）"]]
    for item, kind, fen in report.by_item:
        rows.append(
            [
                Paragraph(escape(item), cell),
                Paragraph(escape(kind), cell),
                Paragraph(format_yuan(fen), right),
            ]
        )
    rows.append(["合计", "", Paragraph(format_yuan(sum(f for _i, _k, f in report.by_item)), right)])
    return grid_table(rows, [width * 0.45, width * 0.27, width * 0.28], total_row=True)


def _collection_table(report: DailyReport, width: float) -> Table:
    _cell, right = cell_styles(9.5)
    rows: list[list[Any]] = [["款项性质", "金额（元）"]]
    for kind, fen in report.by_collection:
        rows.append([kind, Paragraph(format_yuan(fen), right)])
    rows.append(["合计", Paragraph(format_yuan(sum(f for _k, f in report.by_collection)), right)])
    return grid_table(rows, [width * 0.72, width * 0.28], total_row=True)


def _grand_total(report: DailyReport, width: float) -> Table:
    cell = style("grand", 11, leading=15)
    rows = [
        [
            Paragraph("当日实收合计", cell),
            Paragraph(escape(report.total_words), cell),
            Paragraph(
                format_yuan(report.total_fen, symbol=True),
                style("grand_fig", 12, alignment=TA_RIGHT),
            ),
        ]
    ]
    table = grid_table(rows, [width * 0.2, width * 0.52, width * 0.28], header_rows=0)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.1, INK),
                ("BACKGROUND", (0, 0), (0, 0), SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


# -- the workbook ------------------------------------------------------------------------


def yuan(fen: int) -> Decimal:
    """Integer fen as an exact Decimal number of yuan for a spreadsheet cell."""
    return Decimal(fen) / FEN_PER_YUAN


def write_table(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    money_columns: Sequence[int] = (),
    total: Sequence[Any] | None = None,
    start_row: int | None = None,
) -> int:
    """Write a bold header, rows and an optional bold totals row; return the next free row.

    Cells in `money_columns` (0-based) are fen and are written as Decimal yuan, 0.00."""
    bold = Font(bold=True)
    shade = PatternFill("solid", fgColor="EEF1F4")
    row_number = start_row if start_row is not None else sheet.max_row + 1
    for column, text in enumerate(header, start=1):
        cell = sheet.cell(row_number, column, text)
        cell.font = bold
        cell.fill = shade
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = [*rows, *([total] if total is not None else [])]
    for offset, values in enumerate(body, start=1):
        is_total = total is not None and offset == len(body)
        for column, value in enumerate(values, start=1):
            money = column - 1 in money_columns and isinstance(value, int)
            cell = sheet.cell(row_number + offset, column, yuan(value) if money else value)
            keep_as_text(cell)  # a name typed as =1+1 is shown, never run
            if money:
                cell.number_format = MONEY_FORMAT
            if is_total:
                cell.font = bold
    return row_number + len(body) + 1


def set_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for column, chars in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = chars


def title_row(sheet: Worksheet, text: str, span: int) -> None:
    keep_as_text(sheet.cell(1, 1, text)).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(span, 1))


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def daily_report_xlsx(report: DailyReport) -> bytes:
    """The same report as a workbook: sheets 收费员, 收款方式 and 收费项目, money in yuan."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_CASHIERS
    methods = [method for method, _fen in day_methods(report)]
    header = [
        "收费员",
        "收据张数",
        "起始收据号",
        "截止收据号",
        "作废收据",
        *methods,
        "收款合计",
        "退款",
        "应有现金",
        "实点现金",
        "长短款（长+ 短−）",
        "日结时间",
    ]
    first_money = 5
    money_columns = range(first_money, first_money + len(methods) + 5)
    rows: list[list[Any]] = []
    for cashier in report.cashiers:
        amounts = dict(cashier.by_method)
        counted = cashier.cash_counted_fen
        rows.append(
            [
                cashier.cashier,
                cashier.receipts,
                cashier.first_receipt,
                cashier.last_receipt,
                voided_text(cashier.voided),
                *(amounts.get(method, 0) for method in methods),
                sum(amounts.values()),
                cashier.refunds_fen,
                cashier.cash_expected_fen,
                counted,
                counted - cashier.cash_expected_fen if counted is not None else None,
                cashier.closed_at or OPEN_MARK,
            ]
        )
    total = [
        "合计",
        sum(c.receipts for c in report.cashiers),
        "",
        "",
        "",
        *(sum(dict(c.by_method).get(m, 0) for c in report.cashiers) for m in methods),
        sum(fen for c in report.cashiers for _m, fen in c.by_method),
        sum(c.refunds_fen for c in report.cashiers),
        sum(c.cash_expected_fen for c in report.cashiers),
        None,
        None,
        "",
    ]
    title_row(sheet, f"{report_title(report)}　{report.day}", len(header))
    next_row = write_table(
        sheet, header, rows, money_columns=money_columns, total=total, start_row=3
    )
    if not report.closed:
        sheet.cell(next_row, 1, OPEN_BANNER).font = Font(bold=True)
        next_row += 1
    prepaid = prepaid_text(report.prepaid_fen, report.auto_drawn_fen, report.auto_drawn_rooms)
    if prepaid:
        sheet.cell(next_row, 1, prepaid)
    set_widths(sheet, [12, 10, 15, 15, 30, *([12] * len(methods)), 13, 11, 12, 12, 14, 18])
    sheet.freeze_panes = "B4"

    by_method = book.create_sheet(SHEET_METHODS)
    title_row(by_method, f"{report_title(report)}　{report.day}　按收款方式", 6)
    method_rows = [
        [cashier.cashier, *_method_values(line)]
        for cashier in report.cashiers
        for line in cashier.methods
    ]
    day = day_lines(report)
    next_row = write_table(
        by_method,
        ["收费员", *METHOD_HEADER],
        [*method_rows, *(["全天", *_method_values(line)] for line in day)],
        money_columns=(2, 3, 4, 5),
        total=[
            "合计",
            "",
            sum(line.taken_fen for line in day),
            sum(line.voided_fen for line in day),
            sum(line.refunded_fen for line in day),
            sum(line.net_fen for line in day),
        ],
        start_row=3,
    )
    by_method.cell(next_row, 1, RECONCILE_NOTE)
    set_widths(by_method, [12, 12, 14, 14, 14, 14])

    items = book.create_sheet(SHEET_ITEMS)
    title_row(items, f"{report_title(report)}　{report.day}　按收费项目", 3)
    next_row = write_table(
        items,
        ["收费项目", "款项性质", "金额（元）"],
        [list(entry) for entry in report.by_item],
        money_columns=(2,),
        total=["合计", "", sum(fen for _i, _k, fen in report.by_item)],
        start_row=3,
    )
    next_row = write_table(
        items,
        ["款项性质", "金额（元）"],
        [list(entry) for entry in report.by_collection],
        money_columns=(1,),
        total=["合计", sum(fen for _k, fen in report.by_collection)],
        start_row=next_row + 1,
    )
    items.cell(next_row + 1, 1, "当日实收合计").font = Font(bold=True)
    grand = items.cell(next_row + 1, 2, yuan(report.total_fen))
    grand.number_format = MONEY_FORMAT
    grand.font = Font(bold=True)
    items.cell(next_row + 1, 3, report.total_words)
    items.cell(next_row + 2, 1, "代收代缴、公共维修资金、押金与物业收入分开列示，不计入物业收入。")
    items.cell(next_row + 3, 1, f"制表人：{report.printed_by}")
    set_widths(items, [26, 16, 30])
    return workbook_bytes(book)


def _method_values(line: MethodLine) -> list[Any]:
    return [line.method, line.taken_fen, line.voided_fen, line.refunded_fen, line.net_fen]
