"""证明 as a property office issues it: on A4 under the letterhead, its number at the
top right, the title, the body indented two characters, 特此证明, the office and the
date at the right with the place of the seal (公章) and the seal itself where the
office keeps one; at the foot the verification strip: number, code, QR code and how a
bank or a school checks it with the office.

Plain data in, PDF bytes out."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import Image as PILImage
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, Spacer

from frontdesk.documents.base import (
    INK,
    RULE,
    Letterhead,
    cell_styles,
    escape,
    grid_table,
    letterhead_block,
    register_font,
    render_unpadded,
    style,
)
from frontdesk.documents.linebreak import Paragraph

MARGIN = 22 * mm
BODY = 14.0
SEAL_SIZE = 40 * mm  # a round office seal is 40–42 mm across
SEAL_PX = 240
QR_SIZE = 26 * mm
STRIP = 36 * mm  # the verification strip at the foot of the page
GREY = colors.HexColor("#52606d")


@dataclass(frozen=True)
class CertificateDoc:
    title: str  # 物业费结清证明
    number: str  # ZM2612070001
    code: str  # K7QM-3XPA, as printed
    paragraphs: tuple[str, ...]
    table: tuple[tuple[str, ...], ...] = ()  # header row first (居住证明's residents)
    after: tuple[str, ...] = ()
    purpose: str = ""  # 本证明仅用于…，他用无效。
    issuer: tuple[str, ...] = ()  # the signature, a line each
    issued_on: str = ""  # 2026年12月7日
    clerk: str = ""
    issued_at: str = ""  # 2026-12-07 10:12
    verify_hint: str = ""  # how to check it
    qr_text: str = ""
    seal_png: bytes | None = None


def certificate_pdf(head: Letterhead, doc: CertificateDoc) -> bytes:
    register_font()
    width = A4[0] - 2 * MARGIN
    body = style("body", BODY, leading=BODY * 2, firstLineIndent=BODY * 2)
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.2, color=INK, spaceAfter=3 * mm),
        Paragraph(f"编号：{escape(doc.number)}", style("number", 10.5, alignment=TA_RIGHT)),
        Spacer(1, 6 * mm),
        Paragraph(escape(_spaced(doc.title)), style("title", 24, alignment=TA_CENTER)),
        Spacer(1, 10 * mm),
    ]
    story += [Paragraph(escape(text), body) for text in doc.paragraphs]
    if doc.table:
        story += [Spacer(1, 2 * mm), _table(doc.table, width), Spacer(1, 4 * mm)]
    story += [Paragraph(escape(text), body) for text in doc.after]
    if doc.purpose:
        story.append(Paragraph(escape(doc.purpose), body))
    story += [
        Paragraph("特此证明。", body),
        Spacer(1, 12 * mm),
        _Signature([*doc.issuer, "（盖章）", doc.issued_on], doc.seal_png),
    ]

    def foot(canvas: Canvas, _doc: Any) -> None:
        _strip(canvas, doc)

    return render_unpadded(
        story,
        A4,
        MARGIN,
        title=f"{doc.title} {doc.number}",
        author=head.issuer,
        on_page=foot,
        bottom=MARGIN + STRIP + 4 * mm,  # a long list of residents runs on, not over it
    )


def _spaced(title: str) -> str:
    """A short title set out wide, as 证 明 and 居 住 证 明 are printed."""
    return " ".join(title) if len(title) <= 4 else title


def _table(rows: tuple[tuple[str, ...], ...], width: float) -> Flowable:
    left, _right = cell_styles(11)
    cells = [[Paragraph(escape(text), left) for text in row] for row in rows]
    fractions = (0.2, 0.22, 0.32, 0.26)
    return grid_table(cells, [width * f for f in fractions])


def _strip(canvas: Canvas, doc: CertificateDoc) -> None:
    """The verification strip: a rule, the QR code at the left, the words beside it."""
    font = register_font()
    left, right = MARGIN, A4[0] - MARGIN
    top = MARGIN + STRIP
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setDash(3, 2)
    canvas.line(left, top, right, top)
    canvas.setDash()
    if doc.qr_text:
        _draw_qr(canvas, doc.qr_text, left, top - QR_SIZE - 4 * mm)
    x = left + QR_SIZE + 6 * mm
    lines = [
        (f"证明编号：{doc.number}　　核验码：{doc.code}", 11.0, INK),
        (doc.verify_hint, 9.0, GREY),
        (f"经办人：{doc.clerk}　　开具时间：{doc.issued_at}", 9.0, GREY),
        ("本证明涂改无效，复印件无效。", 9.0, GREY),
    ]
    y = top - 8 * mm
    for text, size, ink in lines:
        if not text:
            continue
        canvas.setFont(font, size)
        canvas.setFillColor(ink)
        for part in _fit(text, font, size, right - x):
            canvas.drawString(x, y, part)
            y -= size * 1.5
        y -= 1.5 * mm
    canvas.restoreState()


def _draw_qr(canvas: Canvas, text: str, x: float, y: float) -> None:
    """The QR code, QR_SIZE square with its lower left corner at (x, y): each row's
    dark runs as one rectangle. Mask 0 always (any mask is a valid code): choosing the
    best of eight took 40 ms of a certificate's 50."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.version = code.calculate_version()
    code.makeImpl(False, 0)
    count = code.getModuleCount()
    step = QR_SIZE / count
    canvas.setFillColor(colors.black)
    for row in range(count):
        column = 0
        while column < count:
            if not code.isDark(row, column):
                column += 1
                continue
            start = column
            while column < count and code.isDark(row, column):
                column += 1
            top = y + QR_SIZE - row * step
            canvas.rect(x + start * step, top - step, (column - start) * step, step, 0, 1)


def _fit(text: str, font: str, size: float, width: float) -> list[str]:
    """The text in lines no wider than `width` (a hint may run over two)."""
    lines, line = [], ""
    for char in text:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


@lru_cache(maxsize=4)
def _seal_for_print(png: bytes) -> bytes:
    """The seal at SEAL_PX across: reportlab encodes an image's pixels in Python, and a
    600 px seal took 300 ms of each certificate; 240 px is 150 dpi at 40 mm."""
    with PILImage.open(io.BytesIO(png)) as image:
        if max(image.size) <= SEAL_PX:
            return png
        small = image.convert("RGBA").resize((SEAL_PX, SEAL_PX), PILImage.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG")
    return buffer.getvalue()


class _Signature(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """The issuing office, the seal's place and the date at the right, each line
    centred in a column that ends two characters from the margin; the seal, if the
    office keeps one, stamped over them."""

    def __init__(self, lines: list[str], seal_png: bytes | None) -> None:
        super().__init__()
        self.lines = [line for line in lines if line]
        self.seal = ImageReader(io.BytesIO(_seal_for_print(seal_png))) if seal_png else None
        self.step = BODY * 1.8

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = max(len(self.lines) * self.step, SEAL_SIZE * 0.9 if self.seal else 0.0)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        font = register_font()
        column = max(stringWidth(line, font, BODY) for line in self.lines)
        centre = self.width - BODY * 2 - column / 2
        top = (self.height + len(self.lines) * self.step) / 2
        canvas.saveState()
        canvas.setFont(font, BODY)
        canvas.setFillColor(INK)
        for index, line in enumerate(self.lines):
            canvas.drawCentredString(centre, top - BODY * 1.2 - index * self.step, line)
        canvas.restoreState()
        if self.seal is not None:
            canvas.drawImage(
                self.seal,
                centre - SEAL_SIZE / 2,
                self.height / 2 - SEAL_SIZE / 2,
                SEAL_SIZE,
                SEAL_SIZE,
                mask="auto",
            )
