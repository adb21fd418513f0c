"""收据 and 退款凭证: one receipt, on A4, A5 or a dot-matrix continuous form.

A receipt is a 收据, never made to look like a 发票: no tax columns, no 发票 wording
unless the invoice note itself says one was issued. Each copy the settings ask for
(存根联/客户联/记账联) is printed on its own, labelled at the top right; a reprint
carries a red 补打 mark and a voided receipt a large 作废 stamp across it with the
void text in the grid.

Paper and layout:

* 241×93 and 241×140 毫米连续纸, A5 横向: the page is exactly the form, 5-6 mm
  margins, no page-number footer, one page per copy. A copy whose lines do not fit
  continues on further pages of the same copy (标题注“续页”, 页脚注“续下页”); the totals,
  收款方式, 备注 and the 盖章 box are on its last page.
* A4: the sheet is cut into equal slots along dashed cut lines and each copy takes a
  slot, in order. The slot is a third of the sheet (210×99 mm, about the size of the
  241×93 form) when every copy fits one, else a half (an A5 landscape), else a whole
  page with continuation pages. So the usual three-part receipt with a few lines is
  one A4 sheet, torn into 存根联/客户联/记账联; a long one uses as few sheets as still
  keep each copy readable.

Every cell is a wrapping paragraph in the bundled CJK font, so nothing is clipped.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table, TableStyle

from frontdesk.documents.base import (
    A4_PORTRAIT,
    A5_LANDSCAPE,
    FONT,
    INK,
    RECEIPT_HALF,
    RECEIPT_THIRD,
    RULE,
    SHADE,
    Letterhead,
    PageSize,
    escape,
    register_font,
    style,
)
from frontdesk.documents.linebreak import Paragraph
from frontdesk.domain.fees import Paper
from frontdesk.domain.money import format_yuan


@dataclass(frozen=True)
class ReceiptLine:
    item: str  # 物业服务费
    period: str  # 2026年11月 / 2026年11月16日起 / '' for 预存
    quantity: str  # '89.50㎡' / '1户' / '12.00吨' / ''
    unit_price: str  # '2.20' / ''
    amount_fen: int
    note: str = ""  # 空置房按七成收取 / 代收 / 公共维修资金 / 减免：…


@dataclass(frozen=True)
class ReceiptDoc:
    title: str  # 收款收据 / 退款凭证
    number: str  # SJ00000012
    issued_on: str  # 2026年11月25日
    issued_at: str  # 2026-11-25 14:03
    payer: str
    room: str  # 3-2-1201（3栋2单元1201室）
    lines: tuple[ReceiptLine, ...]
    total_fen: int
    total_words: str  # 人民币壹佰玖拾陆元玖角整
    methods: str  # 现金 200.00（实收 300.00，找零 100.00）；微信 96.90
    cashier: str
    copies: tuple[str, ...]  # ("存根联", "客户联", "记账联") or a subset
    reprint: bool = False  # 补打
    voided: str = ""  # '' or '作废：2026-11-25 收费员甲，原因…'
    form_number: str = ""  # pre-printed form number
    invoice: str = ""  # '已开发票 No.12345678（2026-11-30）'
    remark: str = ""  # payment note, 预存余额 after posting, deductions of a refund


CONTINUED = "（续页）"
RED = colors.HexColor("#c0392b")
GREY = colors.HexColor("#52606d")


@dataclass(frozen=True)
class _Scale:
    """Type sizes and spacing for one size of receipt."""

    font: float  # body text, pt
    title: float
    number: float
    pad: float  # cell padding above and below, pt
    seal: float  # least height of the 收款单位（盖章） box, pt
    stamp: float  # 作废 stamp, pt


COMPACT = _Scale(font=8, title=15, number=11, pad=1.4, seal=15 * mm, stamp=60)
NORMAL = _Scale(font=9.5, title=17, number=12.5, pad=2.4, seal=22 * mm, stamp=80)
LARGE = _Scale(font=10.5, title=20, number=14, pad=3.2, seal=28 * mm, stamp=110)

# Fractions of the grid width: 项目, 所属期间, 数量, 单价, 金额, 备注.
COLUMNS = (0.18, 0.19, 0.10, 0.10, 0.13, 0.30)
HEADER = ("项目", "所属期间", "数量", "单价（元）", "金额（元）", "备注")


RECEIPT_LABELS = {
    "payer": "交款人",
    "methods": "收款方式",
    "cashier": "收款人",
    "seal": "收款单位",
    "time": "收款时间",
}
REFUND_LABELS = {
    "payer": "领款人",
    "methods": "退款方式",
    "cashier": "经办人",
    "seal": "退款单位",
    "time": "办理时间",
}


@dataclass(frozen=True)
class _Box:
    x: float
    y: float  # bottom
    width: float
    height: float


@dataclass(frozen=True)
class _Part:
    """One page (or A4 slot) of one copy: lines[start:end], totals if last."""

    copy: str
    start: int
    end: int
    last: bool
    index: int  # 1-based page within the copy
    count: int  # pages of this copy


def receipt_pdf(letterhead: Letterhead, doc: ReceiptDoc, paper: Paper) -> bytes:
    """The receipt as a PDF: each copy on its own page (A4: its own slot of a sheet)."""
    register_font()
    buffer = io.BytesIO()
    pagesize = _page_size(paper)
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(f"{doc.title} {doc.number}")
    canvas.setAuthor(letterhead.issuer)
    canvas.setCreator("FrontDesk 物业前台")
    layout = _Layout(letterhead, doc)
    copies = doc.copies or ("客户联",)
    if paper is Paper.A4:
        _draw_a4(canvas, layout, copies)
    else:
        margin = 8 * mm if paper is Paper.A5 else (5 if paper is Paper.FORM_241x93 else 6) * mm
        scale = COMPACT if paper is Paper.FORM_241x93 else NORMAL
        box = _Box(margin, margin, pagesize[0] - 2 * margin, pagesize[1] - 2 * margin)
        for copy in copies:
            for part in layout.parts(copy, scale, box):
                layout.draw(canvas, part, scale, box)
                canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _page_size(paper: Paper) -> PageSize:
    return {
        Paper.A4: A4_PORTRAIT,
        Paper.A5: A5_LANDSCAPE,
        Paper.FORM_241x93: RECEIPT_THIRD,
        Paper.FORM_241x140: RECEIPT_HALF,
    }[paper]


def _draw_a4(canvas: Canvas, layout: _Layout, copies: Sequence[str]) -> None:
    """Thirds if every copy fits one, else halves, else whole pages."""
    page_w, page_h = A4_PORTRAIT
    margin = 6 * mm
    for slots, scale in ((3, COMPACT), (2, NORMAL), (1, LARGE)):
        slot_h = page_h / slots
        box_margin = margin if slots > 1 else 12 * mm
        box = _Box(box_margin, box_margin, page_w - 2 * box_margin, slot_h - 2 * box_margin)
        parts = [part for copy in copies for part in layout.parts(copy, scale, box)]
        if slots == 1 or len(parts) == len(copies):
            break
    for number, part in enumerate(parts):
        slot = number % slots
        if number and slot == 0:
            canvas.showPage()
        if slot == 0 and slots > 1:
            _cut_lines(canvas, slots)
        top = page_h - slot * slot_h
        placed = _Box(box.x, top - slot_h + box_margin, box.width, box.height)
        layout.draw(canvas, part, scale, placed)
    canvas.showPage()


def _cut_lines(canvas: Canvas, slots: int) -> None:
    page_w, page_h = A4_PORTRAIT
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    for n in range(1, slots):
        y = page_h * n / slots
        canvas.line(0, y, page_w, y)
    canvas.restoreState()


class _Layout:
    """Builds and places the flowables of one receipt copy inside a box."""

    def __init__(self, head: Letterhead, doc: ReceiptDoc) -> None:
        self.head = head
        self.doc = doc
        # On a 退款凭证 the money goes the other way: the owner receives it.
        self.labels = REFUND_LABELS if doc.title.startswith("退款") else RECEIPT_LABELS

    # -- splitting the lines over pages -------------------------------------------------

    def parts(self, copy: str, scale: _Scale, box: _Box) -> list[_Part]:
        """Pages of one copy: as many lines on each as fit, the totals on the last."""
        total = len(self.doc.lines)
        fits = self._fitter(scale, box)
        bounds: list[tuple[int, int, bool]] = []
        start = 0
        while True:
            if start == total or fits(start, total, True):
                bounds.append((start, total, True))  # the totals alone may overflow: print
                break
            # Keep at least one line for the page with the totals.
            end = total - 1 if total - start > 1 else total
            while end > start + 1 and not fits(start, end, False):
                end -= 1
            bounds.append((start, end, False))
            start = end
        count = len(bounds)
        return [
            _Part(copy, first, end, last, index, count)
            for index, (first, end, last) in enumerate(bounds, start=1)
        ]

    def _fitter(self, scale: _Scale, box: _Box) -> Callable[[int, int, bool], bool]:
        """Whether lines[start:end] (and the totals if last) fit the box.

        Measures every row once: a table is as tall as its rows, and a row as tall as its
        tallest cell, so a page's height is a sum. The header is measured as on a
        continuation page, which is never shorter than the first."""
        total = len(self.doc.lines)
        width, height = box.width, box.height
        header, meta, grid, signature = self.flowables(
            _Part("存根联", 0, total, True, 2, 2), scale, width
        )
        grid.wrap(width, height)
        rows: list[float] = list(grid._rowHeights)
        tail = self._grid(_Part("存根联", 0, 0, False, 2, 2), scale, width)
        tail.wrap(width, height)
        fixed = header.wrap(width, height)[1] + meta.wrap(width, height)[1] + rows[0]
        closing = sum(rows[total + 1 :]) + signature.wrap(width, height)[1]
        continued = float(tail._rowHeights[-1])
        prefix = [0.0]
        for row in rows[1 : total + 1]:
            prefix.append(prefix[-1] + row)

        def fits(start: int, end: int, last: bool) -> bool:
            used = fixed + prefix[end] - prefix[start] + (closing if last else continued)
            return bool(used <= height + 0.01)

        return fits

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, canvas: Canvas, part: _Part, scale: _Scale, box: _Box) -> None:
        flowables = self.flowables(part, scale, box.width)
        y = box.y + box.height
        for flowable in flowables:
            _w, height = flowable.wrapOn(canvas, box.width, box.height)
            y -= height
            flowable.drawOn(canvas, box.x, y)
        if self.doc.reprint:
            self._reprint_mark(canvas, part, scale, box)
        if self.doc.voided:
            _void_stamp(canvas, scale, box.x + box.width / 2, (box.y + box.height + y) / 2)

    def _reprint_mark(self, canvas: Canvas, part: _Part, scale: _Scale, box: _Box) -> None:
        """A red boxed 补打 just right of the centred title."""
        size = scale.font + 2
        text = "补打"
        text_w = stringWidth(text, FONT, size)
        title_w = stringWidth(self.doc.title, FONT, scale.title)
        if part.index > 1:
            title_w += stringWidth(CONTINUED, FONT, scale.font + 1)
        x = box.x + box.width / 2 + title_w / 2 + 3 * mm
        y = box.y + box.height - scale.title * 1.05
        canvas.saveState()
        canvas.setStrokeColor(RED)
        canvas.setFillColor(RED)
        canvas.setLineWidth(1)
        canvas.roundRect(x, y - 2.5, text_w + 6, size + 4, 2, stroke=1, fill=0)
        canvas.setFont(FONT, size)
        canvas.drawString(x + 3, y, text)
        canvas.restoreState()

    def flowables(self, part: _Part, scale: _Scale, width: float) -> list[Flowable]:
        return [
            self._header(part, scale, width),
            self._meta(scale, width),
            self._grid(part, scale, width),
            *([self._signature(scale, width)] if part.last else []),
        ]

    def _header(self, part: _Part, scale: _Scale, width: float) -> Flowable:
        doc, head = self.doc, self.head
        left_lines = [f"<font size={scale.font + 2.5}>{escape(head.community_name)}</font>"]
        left_lines.append(f"<font color='#52606d'>{escape(head.issuer)}</font>")
        if head.service_phone:
            left_lines.append(
                f"<font color='#52606d'>服务电话：{escape(head.service_phone)}</font>"
            )
        left = Paragraph("<br/>".join(left_lines), _style(scale.font - 0.5))
        title = escape(doc.title)
        if part.index > 1:
            title += f"<font size={scale.font + 1}>{CONTINUED}</font>"
        center = Paragraph(
            title, _style(scale.title, alignment=TA_CENTER, leading=scale.title * 1.2)
        )
        number = Paragraph(
            f"<font color='#52606d' size={scale.font}>编号</font> {escape(doc.number)}",
            _style(scale.number, alignment=TA_RIGHT, textColor=RED),
        )
        label_text = escape(part.copy)
        if part.count > 1:
            label_text += (
                f"<font size={scale.font - 1}>&nbsp;&nbsp;第 {part.index}/{part.count} 页</font>"
            )
        label_size = scale.font + 1.5
        label_w = stringWidth(part.copy, FONT, label_size) + 8
        if part.count > 1:
            label_w += stringWidth("  第 9/9 页", FONT, scale.font - 1)
        label = Table(
            [[Paragraph(label_text, _style(label_size, alignment=TA_CENTER, textColor=RED))]],
            colWidths=[label_w],
            hAlign="RIGHT",
        )
        label.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.8, RED),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        table = Table(
            [[left, center, [number, label]]],
            colWidths=[width * 0.36, width * 0.28, width * 0.36],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (2, 0), (2, 0), "RIGHT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), scale.pad + 2),
                ]
            )
        )
        return table

    def _meta(self, scale: _Scale, width: float) -> Flowable:
        doc = self.doc
        size = scale.font + 0.5
        cells = [
            Paragraph(f"{self.labels['payer']}：{escape(doc.payer)}", _style(size)),
            Paragraph(f"房号：{escape(doc.room)}", _style(size)),
            Paragraph(f"日期：{escape(doc.issued_on)}", _style(size, alignment=TA_RIGHT)),
        ]
        table = Table([cells], colWidths=[width * 0.32, width * 0.43, width * 0.25])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), scale.pad + 0.5),
                ]
            )
        )
        return table

    def _grid(self, part: _Part, scale: _Scale, width: float) -> Flowable:
        doc = self.doc
        cell = _style(scale.font)
        right = _style(scale.font, alignment=TA_RIGHT)
        centre = _style(scale.font, alignment=TA_CENTER)
        rows: list[list[object]] = [[Paragraph(text, centre) for text in HEADER]]
        for line in doc.lines[part.start : part.end]:
            rows.append(
                [
                    Paragraph(escape(line.item), cell),
                    Paragraph(escape(line.period), cell),
                    Paragraph(escape(line.quantity), right),
                    Paragraph(escape(line.unit_price), right),
                    Paragraph(format_yuan(line.amount_fen), right),
                    Paragraph(escape(line.note), cell),
                ]
            )
        commands: list[tuple[object, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.6, INK),
            ("BOX", (0, 0), (-1, -1), 1.1, INK),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), scale.pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), scale.pad + 0.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        col_widths = [width * f for f in COLUMNS]
        if not part.last:
            rows.append([Paragraph("（续下页）", centre), "", "", "", "", ""])
            commands.append(("SPAN", (0, -1), (-1, -1)))
            return _table(rows, col_widths, commands)
        label = _style(scale.font, alignment=TA_CENTER)
        total = _style(scale.font + 1.5, alignment=TA_RIGHT)
        notes = "；".join(
            escape(text.strip().rstrip("。；;")) for text in (doc.remark, doc.invoice) if text
        )
        seal = Paragraph(f"{self.labels['seal']}（盖章）", _style(scale.font - 0.5, textColor=GREY))
        first = len(rows)
        rows += [
            [
                Paragraph("合计（大写）", label),
                Paragraph(escape(doc.total_words), _style(scale.font + 1)),
                "",
                "",
                Paragraph(format_yuan(doc.total_fen, symbol=True), total),
                seal,
            ],
            [
                Paragraph(self.labels["methods"], label),
                Paragraph(escape(doc.methods), cell),
                "",
                "",
                "",
                "",
            ],
            [Paragraph("备注", label), Paragraph(notes, cell), "", "", "", ""],
        ]
        if doc.voided:
            rows.append(
                [
                    Paragraph("作废说明", _style(scale.font, alignment=TA_CENTER, textColor=RED)),
                    Paragraph(escape(doc.voided), _style(scale.font, textColor=RED)),
                    "",
                    "",
                    "",
                    "",
                ]
            )
        commands += [
            ("SPAN", (1, first), (3, first)),
            ("SPAN", (5, first), (5, -1)),
            ("VALIGN", (5, first), (5, -1), "TOP"),
            ("LINEABOVE", (0, first), (-1, first), 1.1, INK),
            ("BACKGROUND", (0, first), (0, -1), SHADE),
        ]
        for row in range(first + 1, len(rows)):
            commands.append(("SPAN", (1, row), (4, row)))
        table = _table(rows, col_widths, commands)
        # Leave room for the seal: stretch the 备注 row if the bottom rows are too short.
        table.wrap(width, 10_000)
        heights = list(table._rowHeights)
        short = scale.seal - sum(heights[first:])
        if short > 0:
            heights[first + 2] += short
            table = _table(rows, col_widths, commands, heights)
        return table

    def _signature(self, scale: _Scale, width: float) -> Flowable:
        doc = self.doc
        size = scale.font + 0.5
        cells = [
            Paragraph(f"{self.labels['cashier']}：{escape(doc.cashier)}", _style(size)),
            Paragraph(
                f"{self.labels['time']}：{escape(doc.issued_at)}", _style(size, alignment=TA_CENTER)
            ),
            Paragraph(
                f"表单号：{escape(doc.form_number)}" if doc.form_number else "",
                _style(size, alignment=TA_RIGHT),
            ),
        ]
        table = Table([cells], colWidths=[width * 0.34, width * 0.33, width * 0.33])
        table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), scale.pad + 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table


def _table(
    rows: list[list[object]],
    widths: list[float],
    commands: list[tuple[object, ...]],
    heights: list[float] | None = None,
) -> Table:
    table = Table(rows, colWidths=widths, rowHeights=heights)
    table.setStyle(TableStyle(commands))
    return table


def _style(size: float, **extra: object) -> ParagraphStyle:
    options: dict[str, object] = {"leading": size * 1.28}
    options.update(extra)
    return style(f"receipt{size}", size, **options)


def _void_stamp(canvas: Canvas, scale: _Scale, x: float, y: float) -> None:
    """A large red 作废 centred on (x, y), tilted, the lines still readable beneath."""
    size = scale.stamp
    text = "作　废"
    text_w = stringWidth(text, FONT, size)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.rotate(18)
    canvas.setFillColor(RED, alpha=0.28)
    canvas.setStrokeColor(RED, alpha=0.45)
    canvas.setLineWidth(2.5)
    pad = size * 0.22
    canvas.roundRect(
        -text_w / 2 - pad, -size * 0.42 - pad, text_w + 2 * pad, size + 2 * pad * 0.6, 6
    )
    canvas.setFont(FONT, size)
    canvas.drawCentredString(0, -size * 0.3, text)
    canvas.restoreState()
