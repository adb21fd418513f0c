"""What every FrontDesk PDF shares: the bundled CJK font, paper sizes, styles, letterhead.

Documents take plain data (dataclasses) and return PDF bytes, so the GUI, the
command line and tests all print exactly the same thing.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from frontdesk.documents.linebreak import Paragraph
from frontdesk.paths import resource

FONT = "WenQuanYiMicroHei"
FONT_FILE = ("fonts", "wqy-microhei.ttc")

PageSize = tuple[float, float]
A4_PORTRAIT: PageSize = A4
A4_LANDSCAPE: PageSize = landscape(A4)
A5_LANDSCAPE: PageSize = landscape(A5)
# Continuous pin-fed receipt forms used by Chinese fee offices (241 mm wide).
RECEIPT_THIRD: PageSize = (241 * mm, 93 * mm)
RECEIPT_HALF: PageSize = (241 * mm, 140 * mm)

INK = colors.HexColor("#1f2933")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f4")

_font_lock = threading.Lock()


def register_font() -> str:
    """Register the bundled font once per process (documents render on worker threads)."""
    with _font_lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            path = resource(*FONT_FILE)
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    return FONT


@dataclass(frozen=True)
class Letterhead:
    """The issuing office, printed at the top of every document."""

    community_name: str
    company_name: str = ""
    address: str = ""
    service_phone: str = ""
    logo_png: bytes | None = None

    @property
    def issuer(self) -> str:
        return self.company_name or f"{self.community_name}物业服务中心"


def style(name: str, size: float = 10.5, **extra: Any) -> ParagraphStyle:
    """A paragraph style in the bundled font that breaks lines between any two hanzi."""
    register_font()
    options: dict[str, Any] = {
        "fontName": FONT,
        "fontSize": size,
        "leading": size * 1.45,
        "textColor": INK,
        "wordWrap": "CJK",
    }
    options.update(extra)
    return ParagraphStyle(name, **options)


def title_style(size: float = 18) -> ParagraphStyle:
    return style("title", size, alignment=TA_CENTER, spaceAfter=4 * mm)


def cell_styles(size: float = 9.5) -> tuple[ParagraphStyle, ParagraphStyle]:
    """Left- and right-aligned styles for table cells."""
    return style("cell", size, leading=size * 1.3), style(
        "cell_right", size, leading=size * 1.3, alignment=TA_RIGHT
    )


def letterhead_block(head: Letterhead, width: float) -> Flowable:
    """Logo (if any) beside the office name, address and service telephone."""
    lines = [f"<font size=13>{escape(head.community_name)}</font>"]
    contact = "　".join(
        part
        for part in (
            head.issuer if head.company_name else "",
            escape(head.address),
            f"服务电话：{escape(head.service_phone)}" if head.service_phone else "",
        )
        if part
    )
    if contact:
        lines.append(f"<font size=9 color='#52606d'>{contact}</font>")
    text = Paragraph("<br/>".join(lines), style("letterhead", 10, leading=15))
    if not head.logo_png:
        return text
    logo = Image(io.BytesIO(head.logo_png), 14 * mm, 14 * mm, kind="proportional")
    table = Table([[logo, text]], colWidths=[17 * mm, width - 17 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def escape(text: str) -> str:
    """Text for a reportlab Paragraph, which reads a small XML dialect."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def grid_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    total_row: bool = False,
    right_columns: Sequence[int] = (),
    row_heights: Sequence[float | None] | None = None,
) -> Table:
    """A ruled table with a shaded, repeated header and an optional bold totals row."""
    table = Table(
        list(rows),
        colWidths=list(widths),
        rowHeights=list(row_heights) if row_heights else None,
        repeatRows=header_rows,
    )
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 9.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ]
    for column in right_columns:
        commands.append(("ALIGN", (column, header_rows), (column, -1), "RIGHT"))
    if total_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), SHADE))
    table.setStyle(TableStyle(commands))
    return table


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no types
    """Adds '第 x 页 / 共 y 页' and the print time to every page once the total is known."""

    printed_at = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(colors.HexColor("#52606d"))
        self.drawCentredString(width / 2, 10 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
        if self.printed_at:
            self.drawRightString(width - 15 * mm, 10 * mm, f"打印时间：{self.printed_at}")
        self.restoreState()


def render_unpadded(
    story: list[Flowable],
    pagesize: PageSize,
    margin: float,
    *,
    title: str,
    author: str,
    on_page: Callable[[Canvas, Any], None] | None = None,
    bottom: float | None = None,
) -> bytes:
    """One frame with no padding and no footer: render()'s frame pads 6 pt a side, a
    quarter of a 58 mm roll's line, and a door permit or a pass wants no page number.
    `bottom` keeps the frame above what `on_page` draws at the foot (else `margin`)."""
    buffer = io.BytesIO()
    width, height = pagesize
    bottom = margin if bottom is None else bottom
    frame = Frame(
        margin,
        bottom,
        width - 2 * margin,
        height - margin - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="page",
    )
    page = (
        PageTemplate("page", [frame], onPage=on_page) if on_page else PageTemplate("page", [frame])
    )
    template = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        pageTemplates=[page],
        title=title,
        author=author,
        creator="FrontDesk 物业前台",
    )
    template.build(story)
    return buffer.getvalue()


def render(
    story: list[Flowable],
    *,
    title: str,
    author: str,
    pagesize: PageSize = A4_PORTRAIT,
    margins_mm: float = 15,
    printed_at: datetime | None = None,
    numbered: bool = True,
    on_page: Callable[[Canvas, Any], None] | None = None,
) -> bytes:
    """Lay out a story and return the PDF; `printed_at` is a local time for the footer."""
    register_font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margins_mm * mm,
        rightMargin=margins_mm * mm,
        topMargin=margins_mm * mm,
        bottomMargin=(margins_mm + 5) * mm if numbered else margins_mm * mm,
        title=title,
        author=author,
        creator="FrontDesk 物业前台",
    )
    stamp = printed_at.strftime("%Y-%m-%d %H:%M") if printed_at else ""
    canvas_class = type("StampedCanvas", (NumberedCanvas,), {"printed_at": stamp})
    kwargs: dict[str, Any] = {"canvasmaker": canvas_class} if numbered else {}
    if on_page is not None:
        kwargs["onFirstPage"] = on_page
        kwargs["onLaterPages"] = on_page
    doc.build(story, **kwargs)
    return buffer.getvalue()


def content_width(pagesize: PageSize, margins_mm: float = 15) -> float:
    return float(pagesize[0] - 2 * margins_mm * mm)
