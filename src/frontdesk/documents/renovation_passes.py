"""装修出入证: the workers' passes, cards of 85.6 × 54 mm, eight to an A4 sheet with
cut marks, each with a QR code of its number for the gate."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Frame,
    KeepInFrame,
    Spacer,
    Table,
)

from frontdesk.documents.base import (
    A4_PORTRAIT,
    FONT,
    Letterhead,
    escape,
    register_font,
    style,
)
from frontdesk.documents.linebreak import Paragraph, TextParagraph

PASS_TITLE = "装修出入证"
BLACK = colors.black
GREY = colors.HexColor("#52606d")


@dataclass(frozen=True)
class WorkerPass:
    pass_no: str
    name: str
    trade: str  # 水电工 / 泥瓦工 …
    phone: str  # masked
    id_number: str  # masked
    valid_until: str
    room_code: str
    contractor: str
    photo_box: bool = True


# -- 装修出入证 ---------------------------------------------------------------------------------

CARD_W = 85.6 * mm
CARD_H = 54 * mm
COLUMNS, ROWS = 2, 4
PASSES_PER_PAGE = COLUMNS * ROWS
GUTTER_X = 10 * mm
GUTTER_Y = 9 * mm
CUT_MARK = 3 * mm  # each mark's length, outside the card
BAND_H = 8.5 * mm  # the dark band on top of a card
PAD = 2.5 * mm


def passes_pdf(head: Letterhead, passes: Sequence[WorkerPass]) -> bytes:
    """装修出入证 cards, eight to an A4 sheet in two columns, with marks to cut along."""
    register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4_PORTRAIT)
    canvas.setTitle(f"{PASS_TITLE}（{len(passes)} 张）")
    canvas.setAuthor(head.issuer)
    canvas.setCreator("FrontDesk 物业前台")
    page_w, page_h = A4_PORTRAIT
    left = (page_w - COLUMNS * CARD_W - (COLUMNS - 1) * GUTTER_X) / 2
    top = page_h - (page_h - ROWS * CARD_H - (ROWS - 1) * GUTTER_Y) / 2
    pages = max(1, math.ceil(len(passes) / PASSES_PER_PAGE))
    for page in range(pages):
        batch = passes[page * PASSES_PER_PAGE : (page + 1) * PASSES_PER_PAGE]
        _sheet_notes(canvas, head, page + 1, pages, top)
        if not batch:
            canvas.setFont(FONT, 12)
            canvas.drawCentredString(page_w / 2, page_h / 2, "（无出入证）")
        for index, worker in enumerate(batch):
            column, row = index % COLUMNS, index // COLUMNS
            x = left + column * (CARD_W + GUTTER_X)
            y = top - (row + 1) * CARD_H - row * GUTTER_Y
            _cut_marks(canvas, x, y)
            _card(canvas, head, worker, x, y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _sheet_notes(canvas: Canvas, head: Letterhead, page: int, pages: int, top: float) -> None:
    page_w, _page_h = A4_PORTRAIT
    canvas.saveState()
    canvas.setFont(FONT, 8.5)
    canvas.setFillColor(GREY)
    canvas.drawCentredString(
        page_w / 2,
        top + 8 * mm,
        f"{head.community_name} 装修人员出入证　沿裁切线剪下，过塑后发放",
    )
    if pages > 1:
        canvas.drawCentredString(page_w / 2, 10 * mm, f"第 {page} 页 / 共 {pages} 页")
    canvas.restoreState()


def _cut_marks(canvas: Canvas, x: float, y: float) -> None:
    """Short hairlines continuing each edge past every corner, in the margins and gutters."""
    gap = 1 * mm
    canvas.saveState()
    canvas.setStrokeColor(BLACK)
    canvas.setLineWidth(0.3)
    for cx, dx in ((x, -1), (x + CARD_W, 1)):
        for cy, dy in ((y, -1), (y + CARD_H, 1)):
            canvas.line(cx + dx * gap, cy, cx + dx * (gap + CUT_MARK), cy)
            canvas.line(cx, cy + dy * gap, cx, cy + dy * (gap + CUT_MARK))
    canvas.restoreState()


def _card(canvas: Canvas, head: Letterhead, worker: WorkerPass, x: float, y: float) -> None:
    canvas.saveState()
    # A faint outline, in case the marks are cut off on a printer with wide margins.
    canvas.setStrokeColor(colors.HexColor("#c0c7cf"))
    canvas.setLineWidth(0.25)
    canvas.rect(x, y, CARD_W, CARD_H)
    # The band: community name and 装修出入证, white on black.
    band_y = y + CARD_H - BAND_H
    canvas.setFillColor(BLACK)
    canvas.rect(x, band_y, CARD_W, BAND_H, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    title_size = 13.0
    title_w = stringWidth(PASS_TITLE, FONT, title_size)
    canvas.setFont(FONT, title_size)
    canvas.drawRightString(x + CARD_W - PAD, band_y + (BAND_H - title_size * 0.75) / 2, PASS_TITLE)
    room = CARD_W - 3 * PAD - title_w
    name_size = min(8.5, room / max(stringWidth(head.community_name, FONT, 1), 1))
    canvas.setFont(FONT, name_size)
    canvas.drawString(x + PAD, band_y + (BAND_H - name_size * 0.75) / 2, head.community_name)
    canvas.restoreState()

    body_top = band_y - 2 * mm
    column_w = 21 * mm
    qr_side = 15 * mm
    if worker.photo_box:
        photo_h = CARD_H - BAND_H - 2 * mm - qr_side - 1.5 * mm - 1.5 * mm
        _photo_box(canvas, x + PAD, body_top - photo_h, column_w, photo_h)
        _qr(canvas, worker.pass_no, x + PAD + (column_w - qr_side) / 2, y + 1.5 * mm, qr_side)
    else:
        big_qr = column_w
        _qr(canvas, worker.pass_no, x + PAD, body_top - big_qr, big_qr)

    text_x = x + PAD + column_w + 2.5 * mm
    text_w = x + CARD_W - PAD - text_x
    text_h = body_top - (y + 1.5 * mm)
    frame = Frame(
        text_x,
        y + 1.5 * mm,
        text_w,
        text_h,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        showBoundary=0,
    )
    fitted = KeepInFrame(text_w, text_h, _card_story(worker, text_w), mode="shrink")
    frame.addFromList([fitted], canvas)


def _card_story(worker: WorkerPass, width: float) -> list[Flowable]:
    def card_style(name: str, size: float, **extra: Any) -> ParagraphStyle:
        options: dict[str, Any] = {"textColor": BLACK, "leading": size * 1.28}
        options.update(extra)
        return style(name, size, **options)

    small = card_style("card_small", 7.8)
    number_size = min(15.0, width / max(stringWidth(worker.pass_no, FONT, 1), 1))
    identity = [
        TextParagraph(f"{label} {escape(value)}", small)
        for label, value in (("电话", worker.phone), ("身份证", worker.id_number))
        if value
    ]
    valid = Table(
        [[Paragraph(f"有效期至 {escape(worker.valid_until)}", card_style("card_valid", 12))]],
        colWidths=[width],
        style=[
            ("BOX", (0, 0), (-1, -1), 1.2, BLACK),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ],
    )
    return [
        Paragraph(escape(worker.pass_no), card_style("card_no", number_size)),
        Spacer(0, 1),
        Paragraph(
            f"<font size=7.5>姓名</font> {escape(worker.name)}　"
            f"<font size=7.5>工种</font> {escape(worker.trade)}",
            card_style("card_name", 11),
        ),
        Paragraph(
            f"<font size=7.5>房号</font> {escape(worker.room_code)}", card_style("card_room", 11)
        ),
        TextParagraph(f"施工单位 {escape(worker.contractor)}", small),
        *identity,
        Spacer(0, 2),
        valid,
    ]


def _photo_box(canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(BLACK)
    canvas.setLineWidth(0.5)
    canvas.setDash(2, 1.5)
    canvas.rect(x, y, width, height)
    canvas.setDash()
    canvas.setFillColor(GREY)
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(x + width / 2, y + height / 2 - 3, "照片")
    canvas.restoreState()


def _qr(canvas: Canvas, value: str, x: float, y: float, side: float) -> None:
    widget = QrCodeWidget(value, barLevel="M", barBorder=2)
    widget.barWidth = widget.barHeight = side
    drawing = Drawing(side, side)
    drawing.add(widget)
    drawing.drawOn(canvas, x, y)
