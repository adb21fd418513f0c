"""快递代收标签: the 80 × 60 mm label stuck on a parcel as it goes on the shelf.

The pick-up code is printed as large as the paper allows: the clerk finds the parcel
by it at a glance, and the resident reads it out. The label sits on an open shelf, so
it names the room and the recipient's surname only, never a phone; the courier and
the tracking number's last digits tell two parcels of one household apart. Pure black
on a thermal roll, every line shrunk to fit its width rather than clipped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from frontdesk.documents.base import FONT, Letterhead, register_font

LABEL_TITLE = "快递代收"
LABEL_SIZE = (80 * mm, 60 * mm)
MARGIN = 4 * mm  # a roll printer prints 72 mm of an 80 mm roll
FOOTER = "凭取件码到服务中心前台取件"


@dataclass(frozen=True)
class ParcelLabelDoc:
    number: str  # KD2611250001
    code: str  # 6 digits
    room: str  # 3-2-1201
    recipient: str  # masked: 张*
    courier: str
    tracking_tail: str  # …9012
    shelf: str
    received_at: str  # 2026-11-25 10:00


def _fit(text: str, size: float, width: float) -> float:
    """`size`, or less so that `text` fits `width`."""
    return min(size, width / max(float(stringWidth(text, FONT, 1)), 1.0))


def _line(
    canvas: Canvas,
    text: str,
    size: float,
    y: float,
    width: float,
    align: str = "left",
    *,
    heavy: bool = False,
) -> None:
    """One line of text in `width` from the left margin, aligned; `heavy`: filled and
    stroked, as the font has no bold face."""
    size = _fit(text, size, width)
    spare = width - stringWidth(text, FONT, size)
    x = MARGIN + {"left": 0.0, "centre": spare / 2, "right": spare}[align]
    line = canvas.beginText(x, y)
    line.setFont(FONT, size)
    line.setTextRenderMode(2 if heavy else 0)
    line.textOut(text)
    canvas.saveState()  # the render mode outlives the text object: keep it to this line
    canvas.setLineWidth(0.6)
    canvas.drawText(line)
    canvas.restoreState()


def parcel_label_pdf(letterhead: Letterhead, doc: ParcelLabelDoc) -> bytes:
    register_font()
    buffer = io.BytesIO()
    page_w, page_h = LABEL_SIZE
    width = page_w - 2 * MARGIN
    canvas = Canvas(buffer, pagesize=LABEL_SIZE, invariant=1)
    canvas.setTitle(f"{LABEL_TITLE}标签 {doc.number}")
    canvas.setAuthor(letterhead.issuer)
    canvas.setCreator("FrontDesk 物业前台")
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    top = page_h - MARGIN
    _line(canvas, f"{letterhead.community_name} · {LABEL_TITLE}", 9, top - 8, width, "centre")
    _line(canvas, "取件码", 9, top - 20, width)
    _line(canvas, f"{doc.code[:3]} {doc.code[3:]}", 44, top - 58, width, "centre", heavy=True)
    _line(canvas, doc.room, 20, top - 83, width * 0.7, heavy=True)
    _line(canvas, doc.recipient, 20, top - 83, width, "right", heavy=True)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 91, MARGIN + width, top - 91)
    _line(canvas, f"{doc.courier} {doc.tracking_tail}", 11, top - 106, width * 0.6)
    _shelf(canvas, doc.shelf, top - 109, width)
    _line(canvas, f"{doc.received_at} 收　{doc.number}", 8.5, top - 123, width)
    _line(canvas, FOOTER, 8, MARGIN + 1, width, "centre")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _shelf(canvas: Canvas, shelf: str, y: float, width: float) -> None:
    """货架 A3 in a box at the right: where the parcel goes, read as it is shelved."""
    text = f"货架 {shelf}"
    size = _fit(text, 14, width * 0.38)
    box_w = stringWidth(text, FONT, size) + 6
    left = MARGIN + width - box_w
    canvas.setLineWidth(0.9)
    canvas.rect(left, y - 3, box_w, size + 5, stroke=1, fill=0)
    canvas.setFont(FONT, size)
    canvas.drawString(left + 3, y, text)
