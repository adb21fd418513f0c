"""收据 and 退款凭证: one receipt, on A4, A5 or a dot-matrix continuous form.

A receipt is a 收据, never made to look like a 发票: no tax columns, no 发票 wording
unless the invoice note itself says one was issued. Each copy the settings ask for
(存根联/客户联/记账联) is printed on its own, labelled at the top right; on multi-part
carbonless forms (多联无碳复写纸) one impression is printed with no 联 label, the plies
being the copies. A reprint says which print it is and when (补打　第2次打印　…); a
voided receipt carries a large 作废 stamp across it with the void text in the grid.

What an auditor checks is on the paper: 代收代缴 (water, electricity), 公共维修资金 and
押金 subtotalled apart from the office's income (其中：…), a deposit's terms, the unit of
every quantity, 交款人签字 and 收款人 lines, and beside the body a box at least 44 mm
square for the round 财务专用章, so the seal covers no figure. A 退款凭证 names the
领款人, the account a transfer went to, the receipt(s) it pays back and has lines for
经办人, 审批人 and 领款人签字.

Paper and layout:

* 241×93 and 241×140 毫米连续纸 (dot-matrix): the page is exactly the form; nothing is
  printed on the tractor strips (13.5 mm clear of each side edge), text is 9 pt or
  more, black only, no shaded fills. A copy whose lines do not fit continues on
  further pages of the same copy (标题注“续页”, 页脚注“续下页”); the totals, 收款方式,
  备注, signatures and the seal box are on its last page. A5 横向 likewise, in colour.
* A4: the sheet is cut into equal slots along dashed cut lines and each copy takes a
  slot, in order. The slot is a third of the sheet (210×99 mm, about the size of the
  241×93 form) when every copy fits one, else a half (an A5 landscape), else a whole
  page with continuation pages.

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
    quantity: str  # '89.50㎡' / '1户' / '12.00吨' / '1张' / ''
    unit_price: str  # '2.20' / ''
    amount_fen: int
    note: str = ""  # 空置房按七成收取 / 代收代缴 / 押金，验收合格后… / 减免：…


@dataclass(frozen=True)
class ReceiptDoc:
    title: str  # 收款收据 / 退款凭证
    number: str  # SJ00000012
    issued_on: str  # 2026年11月25日
    issued_at: str  # 2026-11-25 14:03
    payer: str  # 交款人; on a 退款凭证 the 领款人
    room: str  # 3-2-1201（3栋2单元1201室）
    lines: tuple[ReceiptLine, ...]
    total_fen: int
    total_words: str  # 人民币壹佰玖拾陆元玖角整
    methods: str  # 现金 200.00（实收 300.00，找零 100.00）；微信 96.90
    cashier: str
    copies: tuple[str, ...]  # ("存根联", "客户联", "记账联") or a subset
    print_no: int = 1  # which print of the receipt this is; the 2nd and later say 补打
    printed_at: str = ""  # when this print is made: 2026-11-25 10:03
    voided: str = ""  # '' or '作废：2026-11-25 收费员甲，原因…'
    form_number: str = ""  # pre-printed form number
    invoice: str = ""  # '已开发票 No.12345678（2026-11-30）'
    remark: str = ""  # payment note, 预存余额 after posting, deductions of a refund
    breakdown: str = ""  # 其中：代收代缴 95.00 元（代收水费 …）；押金 2,000.00 元
    refund_of: str = ""  # 退款凭证: SJ00000012（2026年11月3日）；装修 ZX2611-0003
    payee_account: str = ""  # 退款凭证 by transfer: 户名 / 开户行 / 账号, whole
    carbonless: bool = False  # 多联无碳复写纸: one impression, no 联 label

    @property
    def reprint(self) -> bool:
        return self.print_no > 1

    @property
    def is_refund(self) -> bool:
        return self.title.startswith("退款")


CONTINUED = "（续页）"
RED = colors.HexColor("#c0392b")
GREY = colors.HexColor("#52606d")
BLACK = colors.black

# The pin-feed strips of a 241 mm continuous form: nothing may be printed on them.
TRACTOR_STRIP = 12.7 * mm
FORM_SIDE_MARGIN = 13.5 * mm
# A 40 mm round 财务专用章 with 2 mm clear on every side: no figure lies under it.
SEAL_SIDE = 44 * mm
SEAL_GAP = 2 * mm
LEAST_FORM_TEXT = 9.0  # pt: a 9-pin head prints nothing smaller legibly


@dataclass(frozen=True)
class _Scale:
    """Type sizes, spacing and ink for one size of receipt."""

    font: float  # body text, pt
    title: float
    number: float
    pad: float  # cell padding above and below, pt
    stamp: float  # 作废 stamp, pt
    least: float = 0.0  # no text smaller than this
    mono: bool = False  # black only and no fills: a dot-matrix ribbon

    def size(self, delta: float = 0.0) -> float:
        return max(self.font + delta, self.least)

    def ink(self, colour: colors.Color) -> colors.Color:
        return BLACK if self.mono else colour


COMPACT = _Scale(font=8, title=15, number=11, pad=1.4, stamp=60)
NORMAL = _Scale(font=9.5, title=17, number=12.5, pad=2.4, stamp=80)
LARGE = _Scale(font=10.5, title=20, number=14, pad=3.2, stamp=110)
FORM_SMALL = _Scale(font=9, title=14, number=11, pad=0.9, stamp=60, least=9, mono=True)
FORM = _Scale(font=9.5, title=16, number=12, pad=1.8, stamp=80, least=9, mono=True)

# Fractions of the body width: 项目, 所属期间, 数量, 单价, 金额, 备注.
COLUMNS = (0.20, 0.17, 0.11, 0.11, 0.14, 0.27)
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
SIGN_HERE = "&nbsp;" * 22


@dataclass(frozen=True)
class _Box:
    x: float
    y: float  # bottom
    width: float
    height: float


@dataclass(frozen=True)
class _Part:
    """One page (or A4 slot) of one copy: lines[start:end], totals if last."""

    copy: str  # '' on carbonless forms: the plies are the copies
    start: int
    end: int
    last: bool
    index: int  # 1-based page within the copy
    count: int  # pages of this copy


def receipt_pdf(letterhead: Letterhead, doc: ReceiptDoc, paper: Paper) -> bytes:
    """The receipt as a PDF: each copy on its own page (A4: its own slot of a sheet);
    on carbonless forms one impression, the plies being the copies."""
    register_font()
    buffer = io.BytesIO()
    pagesize = page_size(paper)
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(f"{doc.title} {doc.number}")
    canvas.setAuthor(letterhead.issuer)
    canvas.setCreator("FrontDesk 物业前台")
    layout = _Layout(letterhead, doc)
    copies = ("",) if doc.carbonless else (doc.copies or ("客户联",))
    if paper is Paper.A4:
        _draw_a4(canvas, layout, copies)
    else:
        box, scale = form_box(paper)
        for copy in copies:
            for part in layout.parts(copy, scale, box):
                layout.draw(canvas, part, scale, box)
                canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def form_box(paper: Paper) -> tuple[_Box, _Scale]:
    """Where a single-sheet paper is printed on, and at which scale. The 241 mm forms
    keep clear of the tractor strips and print black at 9 pt or more."""
    width, height = page_size(paper)
    if paper is Paper.A5:
        side = end = 8 * mm
        scale = NORMAL
    else:
        side = FORM_SIDE_MARGIN
        end = (5 if paper is Paper.FORM_241x93 else 6) * mm
        scale = FORM_SMALL if paper is Paper.FORM_241x93 else FORM
    return _Box(side, end, width - 2 * side, height - 2 * end), scale


def page_size(paper: Paper) -> PageSize:
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
    """Builds and places the flowables of one receipt copy inside a box: the header
    across the top, the body (payer, grid, signatures) on the left and, on the last
    page, the seal box on the right beside it."""

    def __init__(self, head: Letterhead, doc: ReceiptDoc) -> None:
        self.head = head
        self.doc = doc
        # On a 退款凭证 the money goes the other way: the owner receives it.
        self.labels = REFUND_LABELS if doc.is_refund else RECEIPT_LABELS

    @staticmethod
    def body_width(box: _Box) -> float:
        return float(box.width - SEAL_SIDE - SEAL_GAP)

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
        """Whether lines[start:end] (and the totals and seal box if last) fit the box.

        Measures every row once: a table is as tall as its rows, and a row as tall as its
        tallest cell, so a page's height is a sum. The header is measured as on a
        continuation page, which is never shorter than the first."""
        total = len(self.doc.lines)
        width, height = box.width, box.height
        body = self.body_width(box)
        part = _Part("存根联", 0, total, True, 2, 2)
        header = self._header(part, scale, width)
        meta, grid = self._meta(scale, body), self._grid(part, scale, body)
        signature = self._signature(scale, body)
        grid.wrap(body, height)
        rows: list[float] = list(grid._rowHeights)
        tail = self._grid(_Part("存根联", 0, 0, False, 2, 2), scale, body)
        tail.wrap(body, height)
        top = header.wrap(width, height)[1]
        fixed = meta.wrap(body, height)[1] + rows[0]
        closing = sum(rows[total + 1 :]) + signature.wrap(body, height)[1]
        continued = float(tail._rowHeights[-1])
        prefix = [0.0]
        for row in rows[1 : total + 1]:
            prefix.append(prefix[-1] + row)

        def fits(start: int, end: int, last: bool) -> bool:
            used = fixed + prefix[end] - prefix[start] + (closing if last else continued)
            if last:
                used = max(used, SEAL_SIDE)
            return bool(top + used <= height + 0.01)

        return fits

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, canvas: Canvas, part: _Part, scale: _Scale, box: _Box) -> None:
        header = self._header(part, scale, box.width)
        top = box.y + box.height
        _w, height = header.wrapOn(canvas, box.width, box.height)
        header.drawOn(canvas, box.x, top - height)
        body_top = y = top - height
        body = self.body_width(box)
        flowables: list[Flowable] = [self._meta(scale, body), self._grid(part, scale, body)]
        if part.last:
            flowables.append(self._signature(scale, body))
        for flowable in flowables:
            _w, height = flowable.wrapOn(canvas, body, box.height)
            y -= height
            flowable.drawOn(canvas, box.x, y)
        if part.last:
            bottom = max(box.y, min(y, body_top - SEAL_SIDE))
            self._seal_box(canvas, scale, box.x + body + SEAL_GAP, bottom, body_top - bottom)
        if self.doc.voided:
            _void_stamp(canvas, scale, box.x + body / 2, (body_top + y) / 2)

    def _seal_box(self, canvas: Canvas, scale: _Scale, x: float, y: float, height: float) -> None:
        """The place for the 财务专用章: a ruled box at least 44 mm square, empty but for
        its caption, so the seal covers no figure."""
        canvas.saveState()
        canvas.setStrokeColor(scale.ink(INK))
        canvas.setLineWidth(0.6)
        canvas.rect(x, y, SEAL_SIDE, height, stroke=1, fill=0)
        canvas.setFillColor(scale.ink(GREY))
        size = scale.size(-0.5)
        canvas.setFont(FONT, size)
        canvas.drawCentredString(x + SEAL_SIDE / 2, y + height - size - 2, self._seal_caption())
        canvas.restoreState()

    def _seal_caption(self) -> str:
        return f"{self.labels['seal']}（盖章）"

    def _style(self, scale: _Scale, size: float, **extra: object) -> ParagraphStyle:
        colour = extra.pop("textColor", INK)
        assert isinstance(colour, colors.Color)
        return _style(max(size, scale.least), textColor=scale.ink(colour), **extra)

    def flowables(self, part: _Part, scale: _Scale, width: float) -> list[Flowable]:
        return [
            self._header(part, scale, width),
            self._meta(scale, width),
            self._grid(part, scale, width),
            *([self._signature(scale, width)] if part.last else []),
        ]

    def _header(self, part: _Part, scale: _Scale, width: float) -> Flowable:
        doc, head = self.doc, self.head
        grey = "#000000" if scale.mono else "#52606d"
        left_lines = [f"<font size={scale.size(2.5)}>{escape(head.community_name)}</font>"]
        left_lines.append(f"<font color='{grey}'>{escape(head.issuer)}</font>")
        if head.service_phone:
            left_lines.append(f"<font color='{grey}'>服务电话：{escape(head.service_phone)}</font>")
        left = Paragraph("<br/>".join(left_lines), self._style(scale, scale.size(-0.5)))
        title = escape(doc.title)
        if part.index > 1:
            title += f"<font size={scale.size(1)}>{CONTINUED}</font>"
        center = Paragraph(
            title,
            self._style(scale, scale.title, alignment=TA_CENTER, leading=scale.title * 1.2),
        )
        number = Paragraph(
            f"<font color='{grey}' size={scale.size()}>编号</font> {escape(doc.number)}",
            self._style(scale, scale.number, alignment=TA_RIGHT, textColor=RED),
        )
        right: list[Flowable] = [number]
        if part.copy:
            label_text = escape(part.copy)
            if part.count > 1:
                page = f"第 {part.index}/{part.count} 页"
                label_text += f"<font size={scale.size(-1)}>&nbsp;&nbsp;{page}</font>"
            right.append(self._boxed(scale, label_text, scale.size(1.5), width * 0.36))
        elif part.count > 1:
            right.append(
                Paragraph(
                    f"第 {part.index}/{part.count} 页",
                    self._style(scale, scale.size(-1), alignment=TA_RIGHT),
                )
            )
        if doc.reprint:
            right.append(self._boxed(scale, self.reprint_text(), scale.size(0), width * 0.36))
        table = Table(
            [[left, center, right]],
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

    def reprint_text(self) -> str:
        """补打　第2次打印　2026-11-25 10:03: which print this is and when it was made."""
        doc = self.doc
        when = f"　{escape(doc.printed_at)}" if doc.printed_at else ""
        return f"补打　第{doc.print_no}次打印{when}"

    def _boxed(self, scale: _Scale, text: str, size: float, room: float) -> Flowable:
        """A red-ruled label (联次, 补打) set flush right, as wide as its words."""
        plain = text.replace("&nbsp;", " ")
        for tag in ("</font>",):
            plain = plain.replace(tag, "")
        while "<font" in plain:
            start = plain.index("<font")
            plain = plain[:start] + plain[plain.index(">", start) + 1 :]
        text_w = min(stringWidth(plain, FONT, size) + 8, room)
        label = Table(
            [[Paragraph(text, self._style(scale, size, alignment=TA_CENTER, textColor=RED))]],
            colWidths=[text_w],
            hAlign="RIGHT",
        )
        label.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.8, scale.ink(RED)),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        return label

    def _meta(self, scale: _Scale, width: float) -> Flowable:
        doc = self.doc
        size = scale.size(0.5)
        cells = [
            Paragraph(f"{self.labels['payer']}：{escape(doc.payer)}", self._style(scale, size)),
            Paragraph(f"房号：{escape(doc.room)}", self._style(scale, size)),
            Paragraph(
                f"日期：{escape(doc.issued_on)}", self._style(scale, size, alignment=TA_RIGHT)
            ),
        ]
        table = Table([cells], colWidths=[width * 0.28, width * 0.44, width * 0.28])
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
        size = scale.size()
        cell = self._style(scale, size)
        right = self._style(scale, size, alignment=TA_RIGHT)
        centre = self._style(scale, size, alignment=TA_CENTER)
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
        ink = scale.ink(INK)
        commands: list[tuple[object, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.6, ink),
            ("BOX", (0, 0), (-1, -1), 1.1, ink),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), scale.pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), scale.pad + 0.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if not scale.mono:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
        col_widths = [width * f for f in COLUMNS]
        if not part.last:
            rows.append([Paragraph("（续下页）", centre), "", "", "", "", ""])
            commands.append(("SPAN", (0, -1), (-1, -1)))
            return _table(rows, col_widths, commands)
        label = self._style(scale, size, alignment=TA_CENTER)
        total = self._style(scale, scale.size(1.5), alignment=TA_RIGHT)
        notes = "；".join(
            escape(text.strip().rstrip("。；;")) for text in (doc.remark, doc.invoice) if text
        )
        first = len(rows)
        rows.append(
            [
                Paragraph("合计（大写）", label),
                Paragraph(escape(doc.total_words), self._style(scale, scale.size(1))),
                "",
                "",
                Paragraph(format_yuan(doc.total_fen, symbol=True), total),
                "",
            ]
        )
        closing = [
            ("其中", doc.breakdown),
            (self.labels["methods"], doc.methods),
            ("收款账户", doc.payee_account),
            ("原收据", doc.refund_of),
            ("备注", None),
        ]
        for caption, text in closing:
            if text is None:
                rows.append([Paragraph("备注", label), Paragraph(notes, cell), "", "", "", ""])
            elif text or caption == self.labels["methods"]:
                rows.append(
                    [Paragraph(caption, label), Paragraph(escape(text), cell), "", "", "", ""]
                )
        if doc.voided:
            rows.append(
                [
                    Paragraph(
                        "作废说明", self._style(scale, size, alignment=TA_CENTER, textColor=RED)
                    ),
                    Paragraph(escape(doc.voided), self._style(scale, size, textColor=RED)),
                    "",
                    "",
                    "",
                    "",
                ]
            )
        commands += [
            ("SPAN", (1, first), (3, first)),
            ("SPAN", (4, first), (5, first)),
            ("LINEABOVE", (0, first), (-1, first), 1.1, ink),
        ]
        if not scale.mono:
            commands.append(("BACKGROUND", (0, first), (0, -1), SHADE))
        for row in range(first + 1, len(rows)):
            commands.append(("SPAN", (1, row), (5, row)))
        return _table(rows, col_widths, commands)

    def _signature(self, scale: _Scale, width: float) -> Flowable:
        doc = self.doc
        size = scale.size(0.5)
        plain = self._style(scale, size)
        sign = f"<u>{SIGN_HERE}</u>"
        time = f"{self.labels['time']}：{escape(doc.issued_at)}"
        form = f"表单号：{escape(doc.form_number)}" if doc.form_number else ""
        if doc.is_refund:
            # Three people sign a refund: a second row keeps each line long enough to sign.
            rows = [
                [f"经办人签字：{sign}", f"审批人签字：{sign}", f"领款人签字：{sign}"],
                [f"{self.labels['cashier']}：{escape(doc.cashier)}", time, form],
            ]
            widths: tuple[float, ...] = (0.3, 0.35, 0.35)
        elif form:
            rows = [
                [
                    f"{self.labels['cashier']}：{escape(doc.cashier)}",
                    f"交款人签字：{sign}",
                    time,
                    form,
                ]
            ]
            widths = (0.2, 0.28, 0.32, 0.20)
        else:  # the form number's room goes to the signature, so its line never wraps
            rows = [
                [f"{self.labels['cashier']}：{escape(doc.cashier)}", f"交款人签字：{sign}", time]
            ]
            widths = (0.24, 0.38, 0.38)
        cells = [[Paragraph(text, plain) for text in row] for row in rows]
        table = Table(cells, colWidths=[width * w for w in widths])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), scale.pad + 3),
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
    colour = options.get("textColor", INK)
    return style(f"receipt{size}{colour}", size, **options)


def _void_stamp(canvas: Canvas, scale: _Scale, x: float, y: float) -> None:
    """A large 作废 centred on (x, y), tilted, the lines still readable beneath: red and
    translucent on sheet paper, outlined in black on a dot-matrix form."""
    size = scale.stamp
    text = "作　废"
    text_w = stringWidth(text, FONT, size)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.rotate(18)
    if scale.mono:
        canvas.setStrokeColor(BLACK)
        canvas.setFillColor(BLACK)
    else:
        canvas.setFillColor(RED, alpha=0.28)
        canvas.setStrokeColor(RED, alpha=0.45)
    canvas.setLineWidth(2.5 if not scale.mono else 1.2)
    pad = size * 0.22
    canvas.roundRect(
        -text_w / 2 - pad, -size * 0.42 - pad, text_w + 2 * pad, size + 2 * pad * 0.6, 6
    )
    text_object = canvas.beginText()
    text_object.setTextOrigin(-text_w / 2, -size * 0.3)
    text_object.setFont(FONT, size)
    if scale.mono:
        text_object.setTextRenderMode(1)  # outline only: no grey, the figures show through
    text_object.textOut(text)
    canvas.drawText(text_object)
    canvas.restoreState()
