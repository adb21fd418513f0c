"""催缴 notices in three levels: 温馨提示, 催缴通知单, 催告函 (a written demand with a
deadline). Thousands go into one PDF, one per page; a 温馨提示 may go two per A4 with
a cut line. A 催缴通知单 or 催告函 carries a tear-off 送达回执 and always has its page.

The wording never threatens to cut water, power, gas or heating: Civil Code art. 944
forbids collecting property fees that way (`forbidden_phrases` guards the text).

Each notice is drawn straight on the canvas (no platypus): the paragraphs are broken
into lines here, with the usual Chinese rules (no line starts with 。，、 etc., numbers
stay whole), so a batch of thousands renders in a few seconds. A notice always fits
its page or half page: the table of unpaid items shows at most `MAX_ROWS` lines (fewer
if the wording is long) and sums the rest in one 其余 N 项 row, so the total stays exact.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from frontdesk.documents.base import (
    A4_PORTRAIT,
    FONT,
    INK,
    RULE,
    SHADE,
    Letterhead,
    register_font,
)
from frontdesk.documents.linebreak import break_text
from frontdesk.domain.money import format_yuan


@dataclass(frozen=True)
class ReminderLine:
    item: str  # 物业服务费
    periods: str  # 2025年12月至2026年3月
    amount_fen: int


@dataclass(frozen=True)
class ReminderNotice:
    level: int  # 1 温馨提示, 2 催缴通知单, 3 催告函
    number: str  # CJ-2026-000123: the notice's own number (kept with the stored copy)
    addressee: str  # 3栋2单元1201室 张三 业主
    room: str  # 3-2-1201
    lines: tuple[ReminderLine, ...]
    total_fen: int
    total_words: str  # 人民币…
    late_fee_fen: int  # 0 when the community charges none
    oldest_period: str  # 2025年12月
    deadline: str  # 2026年12月10日 ('' for level 1)
    issued_on: str  # 2026年11月25日
    title: str  # 温馨提示 / 催缴通知单 / 催告函 (as the supervisor worded it)
    body: str  # placeholders filled; paragraphs separated by \n
    closing: str  # contact, what to do if already paid
    payment: str = ""  # how to pay: the counter, its hours, the transfer account
    on_behalf: tuple[ReminderLine, ...] = ()  # 代收 water, power: apart, not demanded
    on_behalf_fen: int = 0

    @property
    def receipt(self) -> bool:
        """A 催缴通知单 or 催告函 carries a tear-off 送达回执."""
        return self.level >= 2


# -- paper and type --------------------------------------------------------------------

PAGE_W, PAGE_H = A4_PORTRAIT
MAX_ROWS = 8  # rows of the unpaid-items table; past that the rest is summed in one row
PROGRESS_EVERY = 50

GREY = colors.HexColor("#52606d")
RED = colors.HexColor("#b3261e")
GENTLE = colors.HexColor("#2f6f62")  # the 温馨提示's softer colour
GENTLE_SHADE = colors.HexColor("#eef5f2")
DEADLINE_SHADE = colors.HexColor("#fbf3e4")


@dataclass(frozen=True)
class _Scale:
    """Type sizes and spacing for one size of notice (pt)."""

    body: float
    leading: float  # body line height
    title: float
    head: float  # the community's name
    small: float  # letterhead contact, number and date
    cell: float
    row: float  # table row height
    gap: float  # space between blocks
    para: float  # extra space after a paragraph
    seal: float  # least height of the signature block (room for the stamp)
    compact: bool  # number and date beside the title; signature beside the closing


# A whole A4 page is a letter; the tighter steps are for long wording or many items.
PAGE_SCALES = (
    _Scale(11.5, 21, 24, 15, 9.5, 10.5, 22, 13, 4, 80, compact=False),
    _Scale(11, 18.5, 22, 14, 9, 10, 19, 10, 3, 70, compact=False),
    _Scale(10.5, 16, 20, 13, 9, 9.5, 17, 8, 2, 0, compact=True),
)
# Half an A4 sheet, 210 × 148.5 mm.
HALF_SCALES = (
    _Scale(9.5, 14.5, 17, 11.5, 8, 9, 15, 6, 1.5, 0, compact=True),
    _Scale(9, 13, 16, 11, 7.5, 8.5, 13.5, 4.5, 1, 0, compact=True),
    _Scale(8.5, 11.5, 15, 10.5, 7, 8, 12, 3, 0.5, 0, compact=True),
)


@dataclass(frozen=True)
class _Box:
    x: float
    y: float  # bottom
    width: float
    height: float


# A block of a notice: its height, and how to draw it with its top at y.
_Block = tuple[float, Callable[["_Pen", float], None]]


class _Pen:
    """Writes text, rules and boxes straight into the page's content stream.

    reportlab's text objects format every number and colour in pure Python; for a
    batch of thousands of notices that is most of the time, so the few operators a
    notice needs are written here. Text goes through the font's own subset encoding,
    exactly as reportlab's text objects do it."""

    def __init__(self, canvas: Canvas) -> None:
        register_font()
        self.canvas = canvas
        self.font = pdfmetrics.getFont(FONT)
        self.doc = canvas._doc  # the font's subsets are kept per document
        face = self.font.face
        self._glyph_widths = face.charWidths
        self._default_width = face.defaultWidth
        self._widths: dict[str, float] = {}
        self._names: dict[int, str] = {}
        self._colors: dict[int, str] = {}

    # -- measuring ---------------------------------------------------------------------

    def width(self, text: str, size: float) -> float:
        widths = self._widths
        total = 0.0
        for char in text:
            value = widths.get(char)
            if value is None:
                value = self._glyph_widths.get(ord(char), self._default_width) / 1000
                widths[char] = value
            total += value
        return total * size

    def fit(self, text: str, width: float, size: float, least: float = 6) -> float:
        """The size (at most `size`) at which the text fits on one line of `width`."""
        natural = self.width(text, size)
        return size if natural <= width else max(least, size * width / natural)

    def squeeze(self, text: str, width: float, size: float, least: float = 6) -> tuple[str, float]:
        """Text and size for one line of `width`: smaller type, down to `least`, then
        cut short with …"""
        fitted = self.fit(text, width, size, least)
        if self.width(text, fitted) <= width + 0.01:
            return text, fitted
        while text and self.width(text + "…", fitted) > width:
            text = text[:-1]
        return text + "…", fitted

    def lines(self, text: str, width: float, size: float, indent: str = "") -> list[str]:
        """One paragraph in lines no wider than `width`, by the one routine (禁则); a
        line broken at a full-width space (地点…　电话…) is followed by one indented
        like the first."""
        lines: list[str] = []
        rest = indent + text.strip()
        while rest:
            broken = break_text(rest, [width], lambda c: self.width(c, size))
            soft = next((n for n, line in enumerate(broken[:-1]) if line.endswith("　")), None)
            if soft is None or not indent:
                return lines + [line.rstrip() for line in broken]
            lines += [line.rstrip() for line in broken[: soft + 1]]
            rest = indent + "".join(broken[soft + 1 :])
        return lines

    # -- drawing -----------------------------------------------------------------------

    def _color(self, color: colors.Color) -> str:
        key = id(color)
        known = self._colors.get(key)
        if known is None:
            known = self._colors[key] = f"{color.red:.3f} {color.green:.3f} {color.blue:.3f}"
        return known

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        color: colors.Color = INK,
        *,
        bold: bool = False,
        space: float = 0.0,
    ) -> None:
        """One line with its baseline at y; `bold` also strokes the glyphs (the bundled
        font has no bold face), `space` is added between characters (justifying)."""
        rgb = self._color(color)
        parts = [f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {rgb} rg"]
        if bold:
            parts.append(f"{rgb} RG {size * 0.035:.2f} w 2 Tr")
        if space:
            parts.append(f"{space:.3f} Tc")
        names = self._names
        font_size = f"{size:.2f} Tf"
        for subset, codes in self.font.splitString(text, self.doc):
            name = names.get(subset)
            if name is None:
                name = names[subset] = self.font.getSubsetInternalName(subset, self.doc)
            parts.append(f"{name} {font_size} ({escapePDF(codes)}) Tj")
        parts.append("ET")
        operators = " ".join(parts)
        if bold or space:  # render mode and spacing outlive ET: keep them inside q … Q
            operators = f"q {operators} Q"
        self.canvas.addLiteral(operators)

    def centred(self, x: float, y: float, text: str, size: float, **style: Any) -> None:
        self.text(x - self.width(text, size) / 2, y, text, size, **style)

    def right(self, x: float, y: float, text: str, size: float, **style: Any) -> None:
        self.text(x - self.width(text, size), y, text, size, **style)

    def rules(
        self,
        segments: list[tuple[float, float, float, float]],
        color: colors.Color,
        width: float,
    ) -> None:
        path = " ".join(f"{a:.2f} {b:.2f} m {c:.2f} {d:.2f} l" for a, b, c, d in segments)
        self.canvas.addLiteral(f"q {self._color(color)} RG {width:.2f} w {path} S Q")

    def box(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        *,
        fill: colors.Color | None = None,
        stroke: colors.Color | None = None,
        line: float = 0.5,
    ) -> None:
        ops = [f"q {x:.2f} {y:.2f} {width:.2f} {height:.2f} re"]
        if fill is not None:
            ops.insert(1, f"{self._color(fill)} rg")
        if stroke is not None:
            ops.insert(1, f"{self._color(stroke)} RG {line:.2f} w")
        paint = "B" if fill is not None and stroke is not None else "f" if fill else "S"
        self.canvas.addLiteral(f"{' '.join(ops)} {paint} Q")


# -- the document ----------------------------------------------------------------------


def reminders_pdf(
    letterhead: Letterhead,
    notices: list[ReminderNotice],
    two_per_page: bool,
    on_progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """All the notices in one PDF: one per A4 page, or two per A4 (top and bottom half,
    a dashed cut line between). `on_progress(done, total)` is called every 50 notices
    and at the end; an exception it raises (a cancel) propagates and nothing is built.

    Each notice's lines must add up to its total (ValueError otherwise); its late fee
    is printed apart, not counted in the total."""
    if not notices:
        raise ValueError("没有要打印的催缴通知")
    for notice in notices:
        listed = sum(line.amount_fen for line in notice.lines)
        if listed != notice.total_fen:
            raise ValueError(
                f"催缴通知 {notice.number}：明细合计 {format_yuan(listed)} "
                f"与总额 {format_yuan(notice.total_fen)} 不符"
            )
        if sum(line.amount_fen for line in notice.on_behalf) != notice.on_behalf_fen:
            raise ValueError(f"催缴通知 {notice.number}：代收明细与代收合计不符")
        if two_per_page and notice.receipt:
            raise ValueError(f"{notice.title}附送达回执，须一页一份，不能两份印在一页")
    register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4_PORTRAIT, pageCompression=1)
    canvas.setTitle(f"催缴通知（{len(notices)} 份）")
    canvas.setAuthor(letterhead.issuer)
    canvas.setCreator("FrontDesk 物业前台")
    pen = _Pen(canvas)
    painter = _Painter(letterhead, pen)
    total = len(notices)
    scales = HALF_SCALES if two_per_page else PAGE_SCALES
    for done, (notice, box) in enumerate(zip(notices, _boxes(two_per_page), strict=False), 1):
        if two_per_page and done % 2 == 1:
            _cut_line(pen)
        painter.draw(notice, box, scales)
        if not two_per_page or done % 2 == 0 or done == total:
            canvas.showPage()
        if on_progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            on_progress(done, total)
    canvas.save()
    return buffer.getvalue()


def _boxes(two_per_page: bool) -> Iterator[_Box]:
    """Where each notice goes, in turn: the whole page, or the top then bottom half."""
    if not two_per_page:
        side, top, bottom = 22 * mm, 18 * mm, 16 * mm
        box = _Box(side, bottom, PAGE_W - 2 * side, PAGE_H - top - bottom)
        while True:
            yield box
    half = PAGE_H / 2
    side, edge = 14 * mm, 9 * mm
    upper = _Box(side, half + edge, PAGE_W - 2 * side, half - 2 * edge)
    lower = _Box(side, edge, PAGE_W - 2 * side, half - 2 * edge)
    while True:
        yield upper
        yield lower


def _cut_line(pen: _Pen) -> None:
    """A dashed line across the middle of the sheet, labelled at the right."""
    y = PAGE_H / 2
    label, size = "沿虚线裁开", 6.5
    label_w = pen.width(label, size)
    end = PAGE_W - 9 * mm - label_w - 3
    pen.canvas.addLiteral("q [4 3] 0 d")
    pen.rules([(0, y, end, y), (PAGE_W - 9 * mm + 3, y, PAGE_W, y)], RULE, 0.5)
    pen.canvas.addLiteral("Q")
    pen.text(end + 3, y - size * 0.36, label, size, RULE)


class _Painter:
    """Lays out and draws one notice inside a box."""

    def __init__(self, head: Letterhead, pen: _Pen) -> None:
        self.head = head
        self.pen = pen
        self.logo = ImageReader(io.BytesIO(head.logo_png)) if head.logo_png else None
        # the notice speaks as the company: its name and seal sign it
        self.seal_lines = [f"{head.issuer}（盖章）"]

    def draw(self, notice: ReminderNotice, box: _Box, scales: tuple[_Scale, ...]) -> None:
        """In the largest type that shows every item (up to MAX_ROWS); failing that, the
        type that shows the most; failing even one row, the tightest with all summed.
        A level 2 or 3 notice keeps the foot of its box for the tear-off 送达回执."""
        receipt: _Box | None = None
        if notice.receipt:
            tall = self._receipt_height(scales[0])
            receipt = _Box(box.x, box.y, box.width, tall)
            box = _Box(box.x, box.y + tall, box.width, box.height - tall)
        best: tuple[int, list[_Block]] | None = None
        for scale in scales:
            laid = self._blocks(notice, box, scale)
            if laid is None:
                continue
            shown, blocks, complete = laid
            if complete:
                best = (shown, blocks)
                break
            if best is None or shown > best[0]:
                best = (shown, blocks)
        if best is None:
            forced = self._blocks(notice, box, scales[-1], force=True)
            assert forced is not None
            best = (forced[0], forced[1])
        blocks = best[1]
        # On a half sheet, space left over goes between the parts (below the title),
        # so the notice fills its half; a letter keeps its space at the foot.
        spare = box.height - sum(height for height, _paint in blocks) - blocks[0][0]
        joins = len(blocks) - 3
        extra = min(spare / joins, scales[0].gap) if scales[0].compact and joins > 0 else 0.0
        y = box.y + box.height
        for index, (height, paint) in enumerate(blocks):
            paint(self.pen, y)
            y -= height + (extra if index >= 2 else 0.0)
        if receipt is not None:  # drawn last: read after the notice it acknowledges
            self._receipt(notice, receipt, scales[0])
        if notice.level == 1:  # a letter's border hugs the text; a half sheet's fills it
            bottom = box.y if scales[0].compact else max(box.y, y + extra - blocks[0][0])
            self._frame(_Box(box.x, bottom, box.width, box.y + box.height - bottom))

    # -- layout ------------------------------------------------------------------------

    def _blocks(
        self, notice: ReminderNotice, box: _Box, scale: _Scale, force: bool = False
    ) -> tuple[int, list[_Block], bool] | None:
        """(items shown, blocks top to bottom, whether every item up to MAX_ROWS is
        shown), or None when not even two table rows fit."""
        level = notice.level
        pad = 3 * mm if level == 1 else 0.0  # inside the 温馨提示's border
        width = box.width - 2 * pad
        left = box.x + pad
        before = [
            self._letterhead(left, width, scale, level),
            self._title(notice, left, width, scale),
            self._addressee(notice, left, width, scale),
            *self._paragraphs(notice.body, left, width, scale),
        ]
        after: list[_Block] = []
        if notice.late_fee_fen > 0:
            after.append(self._late_fee(notice, left, width, scale))
        if level >= 2 and notice.deadline:
            after.append(self._deadline(notice, left, width, scale))
        if notice.on_behalf:
            after.append(self._on_behalf(notice, left, width, scale))
        if notice.payment:
            after.extend(self._paragraphs(notice.payment, left, width, scale, indent=""))
        after.append(self._closing(notice, left, width, scale))
        used = sum(height for height, _paint in before + after) + 2 * pad
        rows = min(MAX_ROWS, int((box.height - used - scale.gap) // scale.row) - 2)
        count = len(notice.lines)
        if count <= rows:
            shown = count
        elif rows >= 2 or force:
            shown = max(0, rows - 1)  # one row goes to 其余 N 项
        else:
            return None
        table = self._table(notice, left, width, scale, shown)
        room = box.height - used - scale.gap
        planned = shown
        while table[0] > room + scale.gap and shown > 0:  # wrapped periods took more
            shown -= 1
            table = self._table(notice, left, width, scale, shown)
        if table[0] > room + scale.gap and not force:
            return None
        blocks = [(pad, _nothing), *before, table, *after]
        return shown, blocks, shown == planned and rows >= min(count, MAX_ROWS)

    def _frame(self, box: _Box) -> None:
        """The 温馨提示 sits in a soft rounded border."""
        canvas = self.pen.canvas
        canvas.saveState()
        canvas.setStrokeColor(GENTLE)
        canvas.setLineWidth(0.8)
        out = 2 * mm
        canvas.roundRect(
            box.x - out, box.y - out, box.width + 2 * out, box.height + 2 * out, 4 * mm
        )
        canvas.restoreState()

    def _letterhead(self, left: float, width: float, scale: _Scale, level: int) -> _Block:
        """Logo, the community's name, company · address · telephone, and a rule: red
        and double on a 催告函, as on an office's letter paper."""
        head, pen = self.head, self.pen
        logo = scale.head * 2.6 if self.logo is not None else 0.0
        contact = "　".join(
            part
            for part in (
                head.company_name,
                head.address,
                f"服务电话：{head.service_phone}" if head.service_phone else "",
            )
            if part
        )
        x = left + (logo + 2 * mm if logo else 0)
        contact, contact_size = pen.squeeze(contact, left + width - x, scale.small)
        name, name_size = pen.squeeze(head.community_name, left + width - x, scale.head)
        text_h = scale.head * 1.25 + (scale.small * 1.5 if contact else 0)
        top_h = max(text_h, logo)
        rule_gap = scale.small * 0.9
        height = top_h + rule_gap + (3.5 if level == 3 else 1) + scale.gap

        def paint(pen: _Pen, top: float) -> None:
            if self.logo is not None:
                pen.canvas.drawImage(
                    self.logo,
                    left,
                    top - logo,
                    logo,
                    logo,
                    preserveAspectRatio=True,
                    anchor="c",
                    mask="auto",
                )
            name_color = GENTLE if level == 1 else INK
            pen.text(x, top - scale.head, name, name_size, name_color)
            if contact:
                base = top - scale.head * 1.25 - scale.small * 1.15
                pen.text(x, base, contact, contact_size, GREY)
            y = top - top_h - rule_gap
            end = left + width
            if level == 3:
                pen.rules([(left, y, end, y)], RED, 1.6)
                pen.rules([(left, y - 3, end, y - 3)], RED, 0.5)
            else:
                pen.rules([(left, y, end, y)], GENTLE if level == 1 else INK, 0.6)

        return height, paint

    def _title(self, notice: ReminderNotice, left: float, width: float, scale: _Scale) -> _Block:
        """The title, large and spaced out (催　告　函); the number and date below it,
        or, when space is short, on either side of it."""
        pen = self.pen
        title = notice.title
        # Number and date beside the title when it is short enough, else below it.
        beside = scale.compact and pen.width(title, scale.title * 0.8) <= width * 0.5
        room = width * (0.5 if beside else 0.9)
        title, size = pen.squeeze(title, room, scale.title, least=scale.body)
        spacing = size * (0.6 if len(title) <= 3 else 0.3 if len(title) <= 5 else 0)
        title_w = pen.width(title, size) + spacing * (len(title) - 1)
        if title_w > room:
            spacing = 0.0
            title_w = pen.width(title, size)
        meta = scale.small
        if beside:
            height = size * 1.2 + scale.gap * 0.9
        else:
            height = size * 1.15 + scale.gap * 0.6 + meta * 1.3 + scale.gap * 0.7
        color = GENTLE if notice.level == 1 else INK
        number = f"编号：{notice.number}"
        date = f"日期：{notice.issued_on}"

        def paint(pen: _Pen, top: float) -> None:
            base = top - size
            x = left + (width - title_w) / 2
            pen.text(x, base, title, size, color, bold=notice.level >= 2, space=spacing)
            if not beside:
                base = base - size * 0.15 - scale.gap * 0.6 - meta
            pen.text(left, base, number, meta, GREY)
            pen.right(left + width, base, date, meta, color=GREY)

        return height, paint

    def _addressee(
        self, notice: ReminderNotice, left: float, width: float, scale: _Scale
    ) -> _Block:
        text = f"尊敬的{notice.addressee}：" if notice.level < 3 else f"{notice.addressee}："
        text, size = self.pen.squeeze(text, width, scale.body + 0.5)
        bold = notice.level == 3

        def paint(pen: _Pen, top: float) -> None:
            pen.text(left, top - size * 1.05, text, size, INK, bold=bold)

        return scale.leading + scale.para, paint

    def _paragraphs(
        self, text: str, left: float, width: float, scale: _Scale, indent: str = "　　"
    ) -> list[_Block]:
        """Each paragraph justified, its first line indented two characters."""
        blocks: list[_Block] = []
        for paragraph in text.split("\n"):
            if paragraph.strip():
                lines = self.pen.lines(paragraph, width, scale.body, indent=indent)
                height = len(lines) * scale.leading + scale.para
                blocks.append((height, self._paint_lines(lines, left, width, scale)))
        return blocks

    def _paint_lines(
        self, lines: list[str], left: float, width: float, scale: _Scale
    ) -> Callable[[_Pen, float], None]:
        size = scale.body

        def paint(pen: _Pen, top: float) -> None:
            base = top - size * 1.05 - (scale.leading - size * 1.2) / 2
            last = len(lines) - 1
            for index, line in enumerate(lines):
                text = line.lstrip("　")  # the indent is not stretched with the line
                indent = size * (len(line) - len(text))
                space = 0.0
                if index < last and len(text) > 1:  # justify all but the last line
                    slack = width - indent - pen.width(text, size)
                    if 0 < slack < size * 2:
                        space = slack / (len(text) - 1)
                pen.text(left + indent, base, text, size, INK, space=space)
                base -= scale.leading

        return paint

    def _table(
        self, notice: ReminderNotice, left: float, width: float, scale: _Scale, rows: int
    ) -> _Block:
        """项目 / 所属期间 / 金额（元）: `rows` lines, the rest summed in one row, the
        total in words and figures."""
        shown, rest = notice.lines[:rows], notice.lines[rows:]
        body = [(line.item, line.periods, format_yuan(line.amount_fen)) for line in shown]
        if rest:
            body.append(
                (
                    f"其余 {len(rest)} 项" if shown else f"共 {len(rest)} 项",
                    "明细可到物业服务中心查询",
                    format_yuan(sum(line.amount_fen for line in rest)),
                )
            )
        total = ("合　计", notice.total_words, format_yuan(notice.total_fen, symbol=True))
        shade = GENTLE_SHADE if notice.level == 1 else SHADE
        return self._grid(body, total, shade, left, width, scale)

    def _grid(
        self,
        body: list[tuple[str, str, str]],
        total: tuple[str, str, str],
        shade: colors.Color,
        left: float,
        width: float,
        scale: _Scale,
    ) -> _Block:
        """A table of three columns; a long 所属期间 wraps onto more lines of its row."""
        x1 = left + width * 0.25
        x2 = left + width * 0.76
        x3 = left + width
        size = scale.cell
        inset = 2.2 * mm
        row = scale.row
        pen = self.pen
        wrapped = [pen.lines(periods, x2 - x1 - 2 * inset, size) or [""] for _, periods, _ in body]
        step = size * 1.3
        heights = [row, *(max(row, len(lines) * step + (row - step)) for lines in wrapped), row]
        table_h = sum(heights)
        height = table_h + scale.gap

        def paint(pen: _Pen, top: float) -> None:
            top -= scale.gap * 0.45
            bottom = top - table_h
            pen.box(left, top - row, width, row, fill=shade)
            pen.box(left, bottom, width, row, fill=shade)
            grid = []
            y = top
            for part in heights[:-1]:
                y -= part
                grid.append((left, y, x3, y))
            grid += [(x1, top, x1, bottom), (x2, top, x2, bottom)]
            pen.rules(grid, RULE, 0.5)
            pen.box(left, bottom, width, table_h, stroke=INK, line=0.9)
            drop = row / 2 + size * 0.36

            def cell(text: str, start: float, end: float, y: float, align: str, bold: bool) -> None:
                text, text_size = pen.squeeze(text, end - start - 2 * inset, size)
                if align == "c":
                    pen.centred((start + end) / 2, y, text, text_size, bold=bold)
                elif align == "r":
                    pen.right(end - inset, y, text, text_size, bold=bold)
                else:
                    pen.text(start + inset, y, text, text_size, bold=bold)

            y = top
            cell("项目", left, x1, y - drop, "c", False)
            cell("所属期间", x1, x2, y - drop, "c", False)
            cell("金额（元）", x2, x3, y - drop, "c", False)
            y -= row
            for (item, _periods, amount), lines, tall in zip(
                body, wrapped, heights[1:], strict=False
            ):
                middle = y - tall / 2
                cell(item, left, x1, middle - size * 0.36, "l", False)
                first = middle + (len(lines) - 1) * step / 2 - size * 0.36
                for index, line in enumerate(lines):
                    pen.text(x1 + inset, first - index * step, line, size)
                cell(amount, x2, x3, middle - size * 0.36, "r", False)
                y -= tall
            cell(total[0], left, x1, y - drop, "c", True)
            cell(total[1], x1, x2, y - drop, "l", True)
            cell(total[2], x2, x3, y - drop, "r", True)

        return height, paint

    def _on_behalf(
        self, notice: ReminderNotice, left: float, width: float, scale: _Scale
    ) -> _Block:
        """代收 water and power, apart: not the property fee the notice demands."""
        demand = {1: "提示", 2: "通知催缴"}.get(notice.level, "函催告")
        note = (
            "另：以下为本公司代供水、供电等单位收取的费用，单独列示，不属于上述物业服务费"
            f"等费用，不属于本{demand}的范围，请一并缴纳。"
        )
        lines = self.pen.lines(note, width, scale.body)
        note_h = len(lines) * scale.leading
        body = [
            (line.item, line.periods, format_yuan(line.amount_fen)) for line in notice.on_behalf
        ]
        total = ("代收小计", "", format_yuan(notice.on_behalf_fen, symbol=True))
        table_h, table = self._grid(body, total, SHADE, left, width, scale)
        text = self._paint_lines(lines, left, width, scale)

        def paint(pen: _Pen, top: float) -> None:
            text(pen, top - scale.gap * 0.5)
            table(pen, top - scale.gap * 0.5 - note_h)

        return note_h + table_h + scale.gap * 0.5, paint

    # -- the tear-off 送达回执 -------------------------------------------------------------

    @staticmethod
    def _receipt_height(scale: _Scale) -> float:
        return scale.small * 2.6 + scale.body * 2.2 + scale.small * 1.8 + 3 * scale.row * 1.15

    def _receipt(self, notice: ReminderNotice, box: _Box, scale: _Scale) -> None:
        """Below a dashed cut line: what was served on whom, and the boxes the server
        fills in (签收人, 与业主关系, 签收日期, 送达方式, 挂号信/EMS 单号, 送达人)."""
        pen = self.pen
        top = box.y + box.height
        small, size = scale.small, scale.cell
        # the cut line, labelled
        y = top - small * 1.0
        label = "沿此虚线剪下，回执由送达人收回存档"
        label_w = pen.width(label, small)
        middle = box.x + box.width / 2
        pen.canvas.addLiteral("q [4 3] 0 d")
        pen.rules(
            [
                (box.x, y, middle - label_w / 2 - 3, y),
                (middle + label_w / 2 + 3, y, box.x + box.width, y),
            ],
            INK,
            0.6,
        )
        pen.canvas.addLiteral("Q")
        pen.centred(middle, y - small * 0.36, label, small, color=INK)
        y -= small * 1.6 + scale.body * 1.2
        pen.centred(middle, y, "送　达　回　执", scale.body + 1, bold=True)
        y -= scale.body * 1.0
        who = f"文书：《{notice.title}》　编号：{notice.number}　受送达人：{notice.addressee}"
        who, who_size = pen.squeeze(who, box.width, small)
        y -= small * 1.2
        pen.text(box.x, y, who, who_size)
        y -= small * 0.6
        row = scale.row * 1.15
        cells = [
            ("签收人", "", "与业主关系", ""),
            ("签收日期", "　　　年　　月　　日", "送达方式", "□当面签收　□挂号信　□EMS"),
            ("挂号信/EMS单号", "", "送达人", ""),
        ]
        widths = (0.16, 0.34, 0.14, 0.36)
        xs = [box.x]
        for part in widths:
            xs.append(xs[-1] + box.width * part)
        bottom = y - 3 * row
        grid = [(box.x, y - i * row, box.x + box.width, y - i * row) for i in range(1, 3)]
        grid += [(x, y, x, bottom) for x in xs[1:-1]]
        pen.rules(grid, INK, 0.5)
        pen.box(box.x, bottom, box.width, 3 * row, stroke=INK, line=0.8)
        for index, texts in enumerate(cells):
            base = y - index * row - row / 2 - size * 0.36
            for column, text in enumerate(texts):
                if not text:
                    continue
                start, end = xs[column], xs[column + 1]
                text, text_size = pen.squeeze(text, end - start - 4, size)
                if column % 2 == 0:
                    pen.centred((start + end) / 2, base, text, text_size)
                else:
                    pen.text(start + 2 * mm, base, text, text_size)

    def _late_fee(self, notice: ReminderNotice, left: float, width: float, scale: _Scale) -> _Block:
        text = (
            "另：按《物业服务合同》约定，逾期应付滞纳金 "
            f"{format_yuan(notice.late_fee_fen, symbol=True)}，未计入上表合计。"
        )
        lines = self.pen.lines(text, width, scale.body)
        return len(lines) * scale.leading + scale.para, self._paint_lines(lines, left, width, scale)

    def _deadline(self, notice: ReminderNotice, left: float, width: float, scale: _Scale) -> _Block:
        """The date to pay by, bold, on a light band (red on a 催告函)."""
        text = f"缴费期限：请于 {notice.deadline} 前缴清上述费用"
        text, size = self.pen.squeeze(text, width - 4 * mm, scale.body + 1)
        band = size * 2.0
        color = RED if notice.level == 3 else INK

        def paint(pen: _Pen, top: float) -> None:
            y = top - scale.gap * 0.3
            pen.box(left, y - band, width, band, fill=DEADLINE_SHADE, stroke=color, line=0.6)
            pen.text(left + 2 * mm, y - band / 2 - size * 0.36, text, size, color, bold=True)

        return band + scale.gap * 0.8, paint

    def _closing(self, notice: ReminderNotice, left: float, width: float, scale: _Scale) -> _Block:
        """The closing paragraphs, and at the right 公司 / 物业服务中心（盖章）/ date: below
        them on a letter, beside them when space is short."""
        pen = self.pen
        size = scale.body
        most = width * (0.45 if scale.compact else 0.7)
        signature = [pen.squeeze(line, most, size) for line in self.seal_lines]
        signature.append((notice.issued_on, size))
        step = size * 1.55
        sig_w = max(pen.width(line, line_size) for line, line_size in signature)
        sig_h = len(signature) * step
        text_w = width - sig_w - 8 * mm if scale.compact else width
        paragraphs = [
            pen.lines(part, text_w, size, indent="　　")
            for part in notice.closing.split("\n")
            if part.strip()
        ]
        text_h = sum(len(lines) * scale.leading + scale.para for lines in paragraphs)
        if scale.compact:
            height = scale.gap + max(text_h, sig_h)
        else:
            height = scale.gap + text_h + max(scale.seal, sig_h + scale.gap)

        def paint(pen: _Pen, top: float) -> None:
            y = top - scale.gap
            for lines in paragraphs:
                self._paint_lines(lines, left, text_w, scale)(pen, y)
                y -= len(lines) * scale.leading + scale.para
            if scale.compact:  # the date level with the last line of the closing
                base = top - scale.gap - max(text_h, sig_h) + step - size * 1.1
                base += (len(signature) - 1) * step
            else:
                base = y - scale.gap - size
            centre = left + width - 2 * mm - sig_w / 2
            for line, line_size in signature:
                pen.centred(centre, base, line, line_size)
                base -= step

        return height, paint


def _nothing(pen: _Pen, top: float) -> None:
    """A spacer."""
