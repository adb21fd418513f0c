"""通知公告 as printed: a 张贴通知 for the lobby or a 业户信函 per household.

Plain data in, PDF bytes out. Each `NoticePage` starts on a new page: one per building
posted, or one per household in a mail merge. A long body runs on to the next page,
and the signature (office, date and seal) always stays with the body's last lines.
A lobby notice is read from two metres: large title, 16 pt body, wide line spacing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Spacer,
)

from frontdesk.documents.base import (
    INK,
    Letterhead,
    escape,
    letterhead_block,
    register_font,
    render_unpadded,
    style,
)
from frontdesk.documents.handbook import IDEOGRAPHIC_SPACE
from frontdesk.documents.linebreak import TextParagraph, break_lines
from frontdesk.domain.notices import NoticeMode

GREY = colors.HexColor("#52606d")
NUMBER_SIZE = 9
PROGRESS_EVERY = 50
SEAL_SIZE = 40 * mm  # a round office seal is 40–42 mm across
_BLANK_LINE = re.compile(r"\n\s*\n")
# Line breaks of body paragraphs by (text, style, bullet, widths), for one PDF.
_Breaks = dict[tuple[Any, ...], Any]


@dataclass(frozen=True)
class NoticePage:
    number: str  # printed small at the top right: TZ-2026-0012
    title: str  # 停水通知
    salutation: str  # with its colon: 尊敬的3栋全体业主、住户：
    body: str  # filled plain text: paragraphs separated by blank lines, "- " bullets
    issuer: str  # the signature; may run over lines: 某某物业服务有限公司\n春江花园物业服务中心
    issued_on: str  # 2026年11月25日
    addressee: str = ""  # letters only: 3栋2单元1201室, above the salutation


@dataclass(frozen=True)
class _Look:
    """Type sizes and spacing for one kind of notice (pt)."""

    margin: float
    title: float
    body: float
    leading: float
    title_space: float  # between the title and what follows


LOOKS = {
    NoticeMode.LOBBY: _Look(18 * mm, 38, 16, 16 * 1.7, 8 * mm),
    NoticeMode.LETTER: _Look(20 * mm, 20, 11.5, 11.5 * 1.85, 6 * mm),
}


# Lobby type sizes tried, largest first, for the notice to fit its sheet.
LOBBY_SCALES = (1.0, 0.92, 0.85, 0.78, 0.72)


def notice_pdf(
    head: Letterhead,
    pages: Sequence[NoticePage],
    mode: NoticeMode,
    seal_png: bytes | None = None,
) -> bytes:
    """Every page of the notice in one PDF, each starting a new sheet of A4; the seal
    (a PNG with a transparent background) is stamped over each signature."""
    return notice_document(head, pages, mode, seal_png)[0]


def notice_document(
    head: Letterhead,
    pages: Sequence[NoticePage],
    mode: NoticeMode,
    seal_png: bytes | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[bytes, list[int]]:
    """The PDF as notice_pdf draws it, and the page (from 1) each NoticePage starts on,
    for the register. `on_progress(done, total)` is called every 50 notices drawn and
    at the end; an exception it raises (a cancel) propagates and nothing is built."""
    if not pages:
        raise ValueError("没有要打印的通知")
    register_font()
    look = LOOKS[mode]
    width = A4[0] - 2 * look.margin
    seal = _Seal(seal_png) if seal_png else None
    letterhead = _Letterhead(head, width, [page.number for page in pages])
    styles = _styles(look)
    breaks: _Breaks = {}
    starts: list[int] = []
    story: list[Flowable] = []
    for index, page in enumerate(pages):
        if index:
            story.append(PageBreak())
        story.append(_Start(starts, len(pages), on_progress))
        if mode is NoticeMode.LOBBY:
            story += _fitted_page(letterhead, page, look, breaks, seal)
        else:
            story += _page(letterhead, page, look, styles, breaks, seal)
    pdf = render_unpadded(story, A4, look.margin, title=pages[0].title, author=head.issuer)
    return pdf, starts


def _fitted_page(
    letterhead: _Letterhead, page: NoticePage, look: _Look, breaks: _Breaks, seal: _Seal | None
) -> list[Flowable]:
    """A lobby notice is one sheet on a board: its type is set smaller, down to
    LOBBY_SCALES[-1], until the notice fits one page; a longer one still flows on."""
    width = A4[0] - 2 * look.margin
    room = A4[1] - 2 * look.margin
    for scale in LOBBY_SCALES:
        scaled = replace(
            look,
            title=look.title * scale,
            body=look.body * scale,
            leading=look.leading * scale,
            title_space=look.title_space * scale,
        )
        story = _page(letterhead, page, scaled, _styles(scaled), breaks, seal)
        if _height(story, width) <= room:
            break
    return story


def _height(story: list[Flowable], width: float) -> float:
    total = 0.0
    for flowable in story:
        if isinstance(flowable, KeepTogether):  # it measures itself only on a canvas
            total += _height(flowable._content, width)
            continue
        _width, height = flowable.wrap(width, A4[1] * 4)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _page(
    letterhead: _Letterhead,
    page: NoticePage,
    look: _Look,
    styles: dict[str, ParagraphStyle],
    breaks: _Breaks,
    seal: _Seal | None,
) -> list[Flowable]:
    story: list[Flowable] = [
        _Masthead(letterhead, page.number),
        HRFlowable(width="100%", thickness=0.8, color=INK, spaceBefore=2 * mm),
        Spacer(0, look.title_space),
        _Title(page.title, look.title),
        Spacer(0, look.title_space * 0.8),
    ]
    if page.addressee:
        story.append(TextParagraph(_markup(page.addressee), styles["flush"]))
    story.append(TextParagraph(_markup(page.salutation), styles["flush"]))
    body = _body(page.body, styles, breaks)
    signature = _Signature([*page.issuer.splitlines(), page.issued_on], look, seal)
    # The signature never stands alone on a page: it goes with the last paragraph.
    story += body[:-1]
    story.append(KeepTogether([*body[-1:], Spacer(0, look.leading * 0.6), signature]))
    return story


def _styles(look: _Look) -> dict[str, ParagraphStyle]:
    size, leading = look.body, look.leading
    # The size is in the names: shared line breaks are keyed by the style's name.
    return {
        "flush": style(f"notice_flush_{size:g}", size, leading=leading, alignment=TA_LEFT),
        "paragraph": style(
            f"notice_paragraph_{size:g}",
            size,
            leading=leading,
            firstLineIndent=size * 2,
            alignment=TA_LEFT,
        ),
        "bullet": style(
            f"notice_bullet_{size:g}",
            size,
            leading=leading,
            leftIndent=size * 3.1,
            bulletIndent=size * 2,
            bulletFontName=register_font(),
        ),
    }


def _body(text: str, styles: dict[str, ParagraphStyle], breaks: _Breaks) -> list[Flowable]:
    """Paragraphs with their first line indented two characters, "- " lines as bullets;
    a line break inside a paragraph starts a new, indented line. A blank line adds a
    third of a line of space."""
    flowables: list[Flowable] = []
    gap = styles["paragraph"].leading * 0.35
    for block in _BLANK_LINE.split(text.strip()):
        if flowables:
            flowables.append(Spacer(0, gap))
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("- "):
                item = _markup(line[2:].strip())
                flowables.append(_Paragraph(item, styles["bullet"], bulletText="•", breaks=breaks))
            elif line:
                flowables.append(_Paragraph(_markup(line), styles["paragraph"], breaks=breaks))
    return flowables or [Spacer(0, 0)]


def _markup(line: str) -> str:
    """Paragraph markup for plain text; an ideographic space stays as wide."""
    return escape(line).replace("　", IDEOGRAPHIC_SPACE)


class _Start(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """Draws nothing: notes the page a NoticePage starts on, and reports progress."""

    def __init__(
        self, starts: list[int], total: int, on_progress: Callable[[int, int], None] | None
    ) -> None:
        super().__init__()
        self.starts = starts
        self.total = total
        self.on_progress = on_progress

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self.starts.append(self.canv.getPageNumber())
        done = len(self.starts)
        if self.on_progress is not None and (done % PROGRESS_EVERY == 0 or done == self.total):
            self.on_progress(done, self.total)


class _Masthead(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """The office's letterhead at the left, the notice's number at the top right. The
    letterhead is laid out once for the whole PDF and drawn on every page."""

    def __init__(self, letterhead: _Letterhead, number: str) -> None:
        super().__init__()
        self.letterhead = letterhead
        self.number = f"编号：{number}" if number else ""

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.letterhead.height
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        self.letterhead.block.drawOn(canvas, 0, 0)
        canvas.saveState()
        canvas.setFont(register_font(), NUMBER_SIZE)
        canvas.setFillColor(GREY)
        canvas.drawRightString(self.width, self.height - NUMBER_SIZE, self.number)
        canvas.restoreState()


class _Letterhead:
    """letterhead_block laid out once, beside room for the longest number."""

    def __init__(self, head: Letterhead, width: float, numbers: Sequence[str]) -> None:
        font = register_font()
        room = max(stringWidth(f"编号：{number}", font, NUMBER_SIZE) for number in numbers)
        block_width = width - room - 4 * mm
        self.block = letterhead_block(head, block_width)
        _width, self.height = self.block.wrap(block_width, A4[1])


class _Paragraph(TextParagraph):
    """A body paragraph whose line breaks are shared by every letter of a mail merge:
    their bodies are mostly the same text, and breaking it is most of the work."""

    def __init__(
        self,
        text: str | None,
        paragraph_style: ParagraphStyle,
        *args: Any,
        breaks: _Breaks | None = None,
        **options: Any,
    ) -> None:
        # reportlab makes the two halves of a split with the Paragraph arguments only,
        # so they break their own lines (breaks is None).
        super().__init__(text, paragraph_style, *args, **options)
        self.breaks = breaks

    def breakLinesCJK(self, max_widths: Any) -> Any:  # reportlab's name
        if self.breaks is None:
            return super().breakLinesCJK(max_widths)
        # Safe to share: reportlab only reads a paragraph's lines once they are made.
        key = (self.text, self.style.name, self.bulletText, tuple(max_widths))
        if key not in self.breaks:
            self.breaks[key] = super().breakLinesCJK(max_widths)
        return self.breaks[key]


class _Title(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """The title, centred, in a heavy face (the bundled font has no bold: the glyphs
    are filled and stroked). A short title is spaced out (停 水 通 知); a long one is
    set smaller, down to two thirds of `size`, then broken over lines."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text = text.strip()
        self.size = size
        self.lines: list[str] = []
        self.spacing = 0.0
        self.font_size = size

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        font = register_font()
        natural = max(stringWidth(self.text, font, self.size), 1.0)
        fitted = self.size * available_width / natural
        self.font_size = max(self.size * 2 / 3, min(self.size, fitted))
        self.lines = self._balanced(available_width)
        self.spacing = self.font_size * 0.3 if len(self.text) <= 6 else 0.0
        self.width = available_width
        self.height = len(self.lines) * self.font_size * 1.3
        return self.width, self.height

    def _balanced(self, width: float) -> list[str]:
        """The title's lines, as even in length as the line count allows."""
        font = register_font()
        lines = [line for _room, line in break_lines(self.text, [width], font, self.font_size)]
        if len(lines) < 2:
            return lines
        even = stringWidth(self.text, font, self.font_size) / len(lines) + self.font_size
        evened = [line for _room, line in break_lines(self.text, [even], font, self.font_size)]
        return evened if len(evened) == len(lines) else lines

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(self.font_size * 0.03)
        baseline = self.height - self.font_size * 1.05
        for line in self.lines:
            spacing = self.spacing if len(self.lines) == 1 else 0.0
            line_width = stringWidth(line, register_font(), self.font_size)
            line_width += spacing * (len(line) - 1)
            text = canvas.beginText((self.width - line_width) / 2, baseline)
            text.setFont(register_font(), self.font_size)
            text.setCharSpace(spacing)
            text.setTextRenderMode(2)  # fill, then stroke: a bolder stroke
            text.textOut(line)
            canvas.drawText(text)
            baseline -= self.font_size * 1.3
        canvas.restoreState()


class _Seal:
    """The office's seal, stored in the PDF once and stamped on every page from there:
    embedding a 600 px PNG per letter would make a mail merge slow and huge."""

    FORM = "notice_seal"

    def __init__(self, png: bytes) -> None:
        self.image = ImageReader(io.BytesIO(png))

    def stamp(self, canvas: Canvas, centre_x: float, centre_y: float, size: float) -> None:
        if not canvas.hasForm(self.FORM):
            canvas.beginForm(self.FORM, lowerx=0, lowery=0, upperx=size, uppery=size)
            canvas.drawImage(self.image, 0, 0, size, size, mask="auto", preserveAspectRatio=True)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(centre_x - size / 2, centre_y - size / 2)
        canvas.doForm(self.FORM)
        canvas.restoreState()


class _Signature(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """The issuing office and the date at the right, each line centred in a column
    that ends two characters from the margin; the seal, if any, stamped over them."""

    def __init__(self, lines: list[str], look: _Look, seal: _Seal | None) -> None:
        super().__init__()
        self.lines = [line.strip() for line in lines if line.strip()]
        self.look = look
        self.seal = seal
        self.step = look.body * 1.7

    def wrap(self, available_width: float, _available_height: float) -> tuple[float, float]:
        text_height = len(self.lines) * self.step
        self.width = available_width
        self.height = max(text_height, SEAL_SIZE * 0.9 if self.seal else 0.0)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        font, size = register_font(), self.look.body
        column = max((stringWidth(line, font, size) for line in self.lines), default=0.0)
        column = min(column, self.width)
        right = max(column, self.width - size * 2)
        centre = right - column / 2
        text_height = len(self.lines) * self.step
        top = (self.height + text_height) / 2
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.setFillColor(INK)
        for index, line in enumerate(self.lines):
            canvas.drawCentredString(centre, top - size * 1.2 - index * self.step, line)
        canvas.restoreState()
        if self.seal is not None:
            self.seal.stamp(canvas, centre, self.height / 2, SEAL_SIZE)
