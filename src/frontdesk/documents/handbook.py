"""业主手册: the owner handbook as an A5 booklet (or two pages to a sheet of A4).

The same booklet serves other guides (the 装修指南) under another `title`.
A cover (logo, community, title, edition, company), a 目录 with each section's page,
then each section on a new page. Pages are numbered as the PDF counts them — the
cover is page 1 but shows no number — so the 目录, the footer and a PDF viewer agree.
The body is plain text: paragraphs separated by blank lines, a line starting with
"- " an item of a bulleted list; other line breaks are kept.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from frontdesk.documents.base import INK, RULE, Letterhead, escape, register_font, style
from frontdesk.documents.linebreak import (  # noqa: F401  (re-exported)
    NO_LINE_END,
    NO_LINE_START,
    Paragraph,
    TextParagraph,
    break_lines,
)

TITLE = "业主手册"
TOC_TITLE = "目录"
PAGE = A5
SIDE_MM = 15
TOP_MM = 20  # room for the running header
BOTTOM_MM = 18  # room for the page number
ACCENT = colors.HexColor("#2f6f62")
GREY = colors.HexColor("#52606d")
BODY_SIZE = 10.5
IDEOGRAPHIC_SPACE = "\u00a0" * 4  # no-break spaces are a quarter em wide in the font
_BLANK_LINE = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class HandbookSection:
    title: str  # 一、欢迎入住
    body: str  # plain text; blank lines between paragraphs; "- " starts a bullet item


def handbook_pdf(
    head: Letterhead, sections: Sequence[HandbookSection], *, edition: str, title: str = TITLE
) -> bytes:
    """The booklet as PDF bytes; `edition` is printed on the cover (2026年版), `title`
    on the cover, above every page and in the PDF's metadata (业主手册, 装修指南)."""
    register_font()
    buffer = io.BytesIO()
    doc = _Booklet(buffer, head, edition, title)
    story: list[Flowable] = [
        *_cover(head, edition, title),
        NextPageTemplate("body"),
        PageBreak(),
        _SectionTitle(TOC_TITLE, "toc", listed=False),
    ]
    if sections:
        story.append(_contents())
    else:
        story.append(TextParagraph("（暂无内容）", _body_style()))
    for index, section in enumerate(sections, start=1):
        story += [PageBreak(), _SectionTitle(section.title, f"section-{index}")]
        story += _section_body(section.body)
    doc.multiBuild(story)
    return buffer.getvalue()


def _section_body(text: str) -> list[Flowable]:
    """Paragraphs (first line indented two characters) and bulleted items. A line break
    inside a paragraph starts a new line, indented like a paragraph of its own."""
    body = _body_style()
    bullet = style(
        "bullet",
        BODY_SIZE,
        leading=BODY_SIZE * 1.7,
        leftIndent=BODY_SIZE * 3.1,
        bulletIndent=BODY_SIZE * 2,
        bulletFontName=body.fontName,
        spaceAfter=2,
    )
    flowables: list[Flowable] = []
    for block in _BLANK_LINE.split(text.strip()):
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("- "):
                item = _text(line[2:].strip())
                flowables.append(TextParagraph(item, bullet, bulletText="•"))
            elif line:
                flowables.append(TextParagraph(_text(line), body))
        if flowables:
            flowables.append(Spacer(0, 3))
    return flowables


def _text(line: str) -> str:
    """Paragraph markup for a line of plain text; the ideographic space (电话　地址),
    which a Paragraph collapses like any other, stays as wide."""
    return escape(line).replace("　", IDEOGRAPHIC_SPACE)


def _body_style() -> ParagraphStyle:
    return style(
        "body",
        BODY_SIZE,
        leading=BODY_SIZE * 1.75,
        firstLineIndent=BODY_SIZE * 2,
        alignment=TA_LEFT,
        spaceAfter=4,
    )


def _cover(head: Letterhead, edition: str, title: str) -> list[Flowable]:
    centred = {"alignment": TA_CENTER}
    story: list[Flowable] = [Spacer(0, 22 * mm)]
    if head.logo_png:
        story += [
            Image(io.BytesIO(head.logo_png), 24 * mm, 24 * mm, kind="proportional"),
            Spacer(0, 8 * mm),
        ]
    else:
        story.append(Spacer(0, 16 * mm))
    story += [
        Paragraph(escape(head.community_name), style("cover_name", 24, leading=32, **centred)),
        Spacer(0, 6 * mm),
        HRFlowable(width="40%", thickness=1.2, color=ACCENT, spaceAfter=7 * mm),
        Paragraph(
            "&nbsp;&nbsp;".join(escape(char) for char in title),
            style("cover_title", 30, leading=38, textColor=ACCENT, **centred),
        ),
        HRFlowable(width="40%", thickness=1.2, color=ACCENT, spaceBefore=7 * mm),
        Spacer(0, 6 * mm),
        Paragraph(escape(edition), style("cover_edition", 13, textColor=GREY, **centred)),
    ]
    return story


def _contents() -> TableOfContents:
    toc = TableOfContents(dotsMinLevel=0, rightColumnWidth=0)
    toc.levelStyles = [
        style(
            "toc0",
            11,
            leading=17,
            rightIndent=30,
            leftIndent=0,
            firstLineIndent=0,
            spaceBefore=4,
        )
    ]
    return toc


class _SectionTitle(Paragraph):
    """A section's heading: listed in the 目录 and in the PDF's bookmarks."""

    def __init__(self, title: str, key: str, *, listed: bool = True) -> None:
        heading = style(
            "section_title",
            15,
            leading=21,
            textColor=ACCENT,
            spaceAfter=2 * mm,
            alignment=TA_LEFT if listed else TA_CENTER,
        )
        super().__init__(escape(title), heading)
        self.title = title
        self.key = key
        self.listed = listed
        self.keepWithNext = True

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, 0)

    def wrap(self, width: float, height: float) -> tuple[float, float]:
        w, h = super().wrap(width, height)
        return w, h + 3 * mm  # the rule below

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
        super().drawOn(canvas, x, y + 3 * mm, _sW)
        canvas.saveState()
        canvas.setStrokeColor(ACCENT if self.listed else RULE)
        canvas.setLineWidth(0.8)
        canvas.line(x, y + 1.5 * mm, x + self.width, y + 1.5 * mm)
        canvas.restoreState()


class _Booklet(BaseDocTemplate):  # type: ignore[misc]  # reportlab ships no types
    def __init__(self, buffer: io.BytesIO, head: Letterhead, edition: str, title: str) -> None:
        super().__init__(
            buffer,
            pagesize=PAGE,
            leftMargin=SIDE_MM * mm,
            rightMargin=SIDE_MM * mm,
            topMargin=TOP_MM * mm,
            bottomMargin=BOTTOM_MM * mm,
            title=f"{head.community_name}{title}（{edition}）" if edition else title,
            author=head.issuer,
            creator="FrontDesk 物业前台",
        )
        self.head = head
        self.booklet_title = title
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="text")
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame], onPage=self._cover_page),
                PageTemplate("body", [frame], onPage=self._body_page),
            ]
        )

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _SectionTitle) and flowable.listed:
            text = escape(flowable.title)
            self.notify("TOCEntry", (0, text, self.page, flowable.key))

    def _cover_page(self, canvas: Canvas, _doc: Any) -> None:
        """The company, and its address and telephone, at the foot of the cover."""
        width, _height = PAGE
        head = self.head
        lines = [(head.issuer, 12.0, INK)]
        contact = "　".join(
            part
            for part in (
                head.address,
                f"服务电话：{head.service_phone}" if head.service_phone else "",
            )
            if part
        )
        if contact:
            lines.append((contact, 9.0, GREY))
        canvas.saveState()
        y = 24 * mm
        for text, size, color in lines:
            fitted = _fit(text, width - 2 * SIDE_MM * mm, size)
            canvas.setFont(self._font(), fitted)
            canvas.setFillColor(color)
            canvas.drawCentredString(width / 2, y, text)
            y -= size * 1.7
        canvas.restoreState()

    def _body_page(self, canvas: Canvas, _doc: Any) -> None:
        """The community's name above, the page number below."""
        width, height = PAGE
        left, right = SIDE_MM * mm, width - SIDE_MM * mm
        top = height - 12 * mm
        canvas.saveState()
        canvas.setFont(self._font(), 8.5)
        canvas.setFillColor(GREY)
        canvas.drawString(left, top, self.head.community_name)
        canvas.drawRightString(right, top, self.booklet_title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, top - 2 * mm, right, top - 2 * mm)
        canvas.setFont(self._font(), 9)
        canvas.drawCentredString(width / 2, 10 * mm, f"第 {canvas.getPageNumber()} 页")
        canvas.restoreState()

    @staticmethod
    def _font() -> str:
        return register_font()


def _fit(text: str, width: float, size: float) -> float:
    """The size (at most `size`) at which the text fits on one line of `width`."""
    natural = stringWidth(text, register_font(), size)
    return size if natural <= width else size * width / natural
