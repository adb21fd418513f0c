"""The page 设置 › 打印 sends to check a printer and its paper: a frame 3 mm inside the
paper's edges and a few lines saying what was chosen. When the frame prints whole
and the Chinese is clear, the printer, the paper and the font are right."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer

from frontdesk.documents.base import PageSize, escape, register_font, render_unpadded, style
from frontdesk.documents.linebreak import Paragraph
from frontdesk.documents.receipt import page_size as receipt_page_size
from frontdesk.documents.visitor_pass import A6_HEIGHT, PAPER_WIDTH_MM
from frontdesk.domain.fees import Paper
from frontdesk.domain.visitors import PassPaper

TITLE = "打印测试页"
FRAME_INSET = 3 * mm
ROLL_HEIGHT = 60 * mm  # a test on a roll need not waste more


def paper_size(paper: StrEnum) -> PageSize:
    """The page of a receipt paper or a visitor pass paper (a roll: a short piece)."""
    if isinstance(paper, Paper):
        return receipt_page_size(paper)
    if isinstance(paper, PassPaper):
        height = A6_HEIGHT if paper is PassPaper.A6 else ROLL_HEIGHT
        return (PAPER_WIDTH_MM[paper] * mm, height)
    raise ValueError(paper)


def print_check_pdf(size: PageSize, lines: Sequence[str]) -> bytes:
    """One page of `size`: the frame and the title, then `lines`."""
    register_font()
    width, height = size
    small = width < 100 * mm
    text = style("check", 8 if small else 10.5, leading=11 if small else 15)
    story: list[Flowable] = [
        Paragraph(TITLE, style("check-title", 11 if small else 15, leading=16 if small else 21)),
        Spacer(0, 2 * mm),
        *(Paragraph(escape(line), text) for line in lines),
    ]

    def frame(canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.8)
        inset = FRAME_INSET
        canvas.rect(inset, inset, width - 2 * inset, height - 2 * inset)
        canvas.restoreState()

    return render_unpadded(
        story, size, FRAME_INSET + 3 * mm, title=TITLE, author="FrontDesk", on_page=frame
    )
