"""访客单 and 在场访客点名表.

The 访客单 is handed to the visitor at the gate and handed back when they leave. It is
printed on an 80 or 58 mm thermal roll (the page is exactly as long as the content, as
the printer cuts after it) or on an A6 sheet, in pure black: thermal heads dither grey.
A QR code of the pass number lets the gate sign the visitor out with a scanner or a
phone camera.

The 在场访客点名表 lists every visitor still inside, on A4 landscape, for a fire drill or
an emergency head count: a 清点 box per group to tick at the assembly point, overdue and
stale visits shaded, the header repeated on every page.

Every value is a wrapping paragraph in the bundled CJK font, so nothing is clipped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from frontdesk.documents.base import (
    A4_LANDSCAPE,
    FONT,
    Letterhead,
    cell_styles,
    content_width,
    escape,
    grid_table,
    letterhead_block,
    register_font,
    render,
    render_unpadded,
    style,
    title_style,
)
from frontdesk.documents.cash_report import ALERT, GAP, signature_lines
from frontdesk.documents.linebreak import Paragraph
from frontdesk.domain.visitors import PassPaper

PASS_TITLE = "访客单"
PASS_FOOTER = "请妥善保管，离开时交回门岗签离"
ROLL_CALL_TITLE = "在场访客点名表"
ROLL_CALL_PURPOSE = "（消防疏散/应急清点用）"
INSIDE = "在场"
EMPTY_ROLL = "当前无在场访客"

BLACK = colors.black
ALERT_INK = "#a1301c"  # the state of an overdue or stale group, on an ALERT row


@dataclass(frozen=True)
class VisitorPassDoc:
    number: str  # pass number, FK2611250003
    place: str  # household visited, 3栋2单元1201室
    visitor: str
    phone: str  # already masked, 138****5678
    party_size: int
    plate: str  # '' when on foot
    purpose: str  # 探亲访友
    confirmation: str  # 电话确认（业主 张三） / 预约 / 业主陪同
    arrived_at: str  # 2026-11-25 14:03
    valid_until: str  # 2026-11-25 17:03
    clerk: str  # 前台 李四
    note: str = ""


@dataclass(frozen=True)
class RollCallLine:
    number: str
    visitor: str
    phone: str  # whole: the sheet is for phoning whoever is missing
    party_size: int
    place: str
    purpose: str
    arrived_at: str  # 11-25 14:03
    expected_leave: str
    state: str  # 在场 / 超时未离 / 跨日未签离
    host: str = ""  # the household visited: who to call (业主 张三)
    host_phone: str = ""  # whole


# -- 访客单 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PassScale:
    """Type sizes and spacing for one paper."""

    margin: float  # mm, each side
    text: float  # values, pt
    label: float  # row labels and small print, pt
    title: float
    number: float  # the pass number, shrunk to fit one line if need be
    qr: float  # mm, least side of the QR symbol itself (quiet zone excluded)
    gap: float  # pt, between blocks


# A 58 mm roll keeps values at 9 pt, still read at arm's length, and a 24 mm QR code.
# Roll printers print 48 mm of a 58 mm roll and 72 mm of an 80 mm one: the margins
# keep everything inside that even when the driver prints at actual size.
PASS_SCALES: dict[PassPaper, tuple[_PassScale, ...]] = {
    PassPaper.ROLL_58: (_PassScale(5, 9, 8, 13, 16, 24, 3),),
    PassPaper.ROLL_80: (_PassScale(4, 10.5, 9, 15, 19, 30, 4),),
    # A6 is a fixed sheet: a pass with a very long note falls back to smaller type.
    PassPaper.A6: (
        _PassScale(6, 11, 9.5, 17, 20, 32, 5),
        _PassScale(5, 10, 9, 15, 18, 30, 4),
        _PassScale(5, 9, 8, 14, 16, 28, 3),
        _PassScale(4, 8, 8, 12, 14, 28, 2),
    ),
}
PAPER_WIDTH_MM = {PassPaper.ROLL_80: 80, PassPaper.ROLL_58: 58, PassPaper.A6: 105}
A6_HEIGHT = 148 * mm
# A thermal head prints 8 dots per mm (203 dpi): QR modules of whole dots print evenly.
DOT = 0.125 * mm
QR_QUIET_MODULES = 4  # the quiet zone the QR standard asks for
BOX_INSET = 2  # pt, inside the box around 有效期至


def visitor_pass_pdf(letterhead: Letterhead, doc: VisitorPassDoc, paper: PassPaper) -> bytes:
    """The pass on one page as wide as the paper; on a roll, exactly as long as it needs."""
    register_font()
    width = PAPER_WIDTH_MM[paper] * mm
    scale, story, height = _fit_pass(letterhead, doc, paper, width)
    margin = scale.margin * mm
    # The measured height is never less than what the frame uses; 1 mm absorbs rounding.
    page_h = A6_HEIGHT if paper is PassPaper.A6 else height + 2 * margin + 1 * mm
    return render_unpadded(
        story,
        (width, page_h),
        margin,
        title=f"{PASS_TITLE} {doc.number}",
        author=letterhead.issuer,
    )


def _fit_pass(
    head: Letterhead, doc: VisitorPassDoc, paper: PassPaper, width: float
) -> tuple[_PassScale, list[Flowable], float]:
    """The largest scale whose story fits the page (a roll always fits: it grows)."""
    scales = PASS_SCALES[paper]
    for scale in scales:
        inner = width - 2 * scale.margin * mm
        story = _pass_story(head, doc, scale, inner)
        height = _story_height(story, inner)
        if paper is not PassPaper.A6 or height <= A6_HEIGHT - 2 * scale.margin * mm:
            break
    return scale, story, height


def _story_height(story: Sequence[Flowable], width: float) -> float:
    """The height a frame uses for the story, counting every space (the frame drops
    the first one, so this is an upper bound)."""
    total = 0.0
    for flowable in story:
        _w, height = flowable.wrap(width, 10_000 * mm)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _pass_style(name: str, size: float, **extra: Any) -> ParagraphStyle:
    return style(name, size, textColor=BLACK, leading=size * 1.3, **extra)


def _para(text: str, para_style: ParagraphStyle, width: float) -> Paragraph:
    """A paragraph that stays inside `width`. The line breaking never hangs a mark past
    a line's end, except where a line holds nothing it may be broken at (a name
    followed by a run of ），。); on a 3 mm roll margin that would print off the
    paper, so such a paragraph wraps one character narrower."""
    paragraph = Paragraph(text, para_style)
    paragraph.wrap(width, 10_000 * mm)
    if all(_spare(line) >= -0.01 for line in paragraph.blPara.lines):
        return paragraph
    inset = para_style.fontSize
    left = inset if para_style.alignment == TA_CENTER else 0  # keep centred text centred
    return Paragraph(
        text,
        ParagraphStyle(f"{para_style.name}_inset", para_style, rightIndent=inset, leftIndent=left),
    )


def _spare(line: Any) -> float:
    """Room left at the end of a wrapped line: negative when a mark hangs past it. A
    one-style paragraph's lines are (spare, words) tuples, a mixed one's FragLines."""
    return float(line[0] if isinstance(line, tuple) else line.extraSpace)


def _pass_story(
    head: Letterhead, doc: VisitorPassDoc, scale: _PassScale, width: float
) -> list[Flowable]:
    return [
        *_pass_heading(head, scale, width),
        _pass_number(doc.number, scale, width),
        Spacer(0, scale.gap * 0.5),
        qr_code(doc.number, scale.qr * mm),
        Spacer(0, scale.gap * 0.5),
        _dashed_rule(),
        Spacer(0, scale.gap),
        _pass_rows(doc, scale, width),
        Spacer(0, scale.gap),
        _dashed_rule(),
        Spacer(0, scale.gap),
        *_pass_footer(head, scale, width),
    ]


def _pass_heading(head: Letterhead, scale: _PassScale, width: float) -> list[Flowable]:
    """Community name, the company when there is one, and 访 客 单 spaced out."""
    community = _pass_style("community", scale.text + 1.5, alignment=TA_CENTER)
    lines: list[Flowable] = [_para(escape(head.community_name), community, width)]
    if head.company_name:
        issuer = _pass_style("issuer", scale.label, alignment=TA_CENTER)
        lines.append(_para(escape(head.issuer), issuer, width))
    # A Paragraph collapses the ideographic space, so the title is spaced with &nbsp;.
    title = "&nbsp;&nbsp;".join(PASS_TITLE)
    title_para = Paragraph(title, _pass_style("pass_title", scale.title, alignment=TA_CENTER))
    return [
        *lines,
        Spacer(0, scale.gap * 0.6),
        title_para,
        Spacer(0, scale.gap * 0.6),
    ]


def _pass_number(number: str, scale: _PassScale, width: float) -> Flowable:
    """The number on one line, as large as fits: the gate reads it when the QR will not."""
    label = "单号 "
    room = width - stringWidth(label, FONT, scale.label)
    size = min(scale.number, room / max(stringWidth(number, FONT, 1), 1))
    text = f"<font size={scale.label}>{label}</font>{escape(number)}"
    return Paragraph(text, _pass_style("pass_number", size, alignment=TA_CENTER))


def qr_code(value: str, symbol: float) -> Drawing:
    """The QR code with its quiet zone, centred; the symbol at least `symbol` wide."""
    widget = QrCodeWidget(value, barLevel="M", barBorder=QR_QUIET_MODULES)
    widget.qr.make()
    modules = widget.qr.getModuleCount()
    module = math.ceil(symbol / modules / DOT) * DOT  # round up to whole printer dots
    side = module * (modules + 2 * QR_QUIET_MODULES)
    widget.barWidth = widget.barHeight = side
    drawing = Drawing(side, side)
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing


def _dashed_rule() -> Flowable:
    return HRFlowable(width="100%", thickness=0.6, color=BLACK, dash=(2, 2), spaceAfter=0)


def _pass_rows(doc: VisitorPassDoc, scale: _PassScale, width: float) -> Table:
    """Label : value rows; values wrap. 有效期至 is larger and boxed: the gate checks it."""
    rows = _row_values(doc)
    # The widest label, plus the inset the boxed 有效期至 row gives its label.
    label_w = stringWidth("确认方式：", FONT, scale.label) + BOX_INSET + 1
    value_w = width - label_w
    label_style = _pass_style("pass_label", scale.label)
    cells: list[list[Paragraph]] = []
    for label, value in rows:
        valid = label == "有效期至"
        size = _valid_size(value, scale, value_w) if valid else scale.text
        room = value_w - (BOX_INSET if valid else 0)
        cells.append(
            [
                Paragraph(f"{label}：", label_style),
                _para(escape(value), _pass_style("pass_value", size), room),
            ]
        )
    table = Table(cells, colWidths=[label_w, value_w])
    table.setStyle(TableStyle(_row_commands([label for label, _v in rows])))
    return table


def _row_values(doc: VisitorPassDoc) -> list[tuple[str, str]]:
    return [
        ("到访房屋", doc.place),
        ("访客", doc.visitor),
        ("电话", doc.phone),
        ("人数", f"{doc.party_size} 人"),
        *([("车牌", doc.plate)] if doc.plate.strip() else []),
        ("事由", doc.purpose),
        ("确认方式", doc.confirmation),
        ("到达时间", doc.arrived_at),
        ("有效期至", doc.valid_until),
        ("登记人", doc.clerk),
        *([("备注", doc.note)] if doc.note.strip() else []),
    ]


def _valid_size(value: str, scale: _PassScale, width: float) -> float:
    """Up to 3 pt larger than the other values, but on one line when that fits."""
    fits = (width - BOX_INSET - 2) / max(float(stringWidth(value, FONT, 1)), 1.0)
    return max(scale.text, min(scale.text + 3, fits))


def _row_commands(labels: Sequence[str]) -> list[tuple[Any, ...]]:
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
    ]
    if "有效期至" in labels:
        row = list(labels).index("有效期至")
        commands += [
            ("VALIGN", (0, row), (-1, row), "MIDDLE"),
            ("BOX", (0, row), (-1, row), 0.9, BLACK),
            ("LEFTPADDING", (0, row), (0, row), BOX_INSET),
            ("RIGHTPADDING", (-1, row), (-1, row), BOX_INSET),
            ("TOPPADDING", (0, row), (-1, row), 2.5),
            ("BOTTOMPADDING", (0, row), (-1, row), 3),
        ]
    return commands


def _pass_footer(head: Letterhead, scale: _PassScale, width: float) -> list[Flowable]:
    footer = _pass_style("pass_footer", scale.label, alignment=TA_CENTER)
    lines: list[Flowable] = [_para(PASS_FOOTER, footer, width)]
    if head.service_phone:
        lines.append(_para(f"服务电话：{escape(head.service_phone)}", footer, width))
    return lines


# -- 在场访客点名表 ------------------------------------------------------------------------

ROLL_CALL_HEADER = (
    "序号",
    "访客单号",
    "访客",
    "访客电话",
    "人数",
    "到访房屋",
    "被访住户",
    "住户电话",
    "事由",
    "到达",
    "预计离开",
    "状态",
    "清点",
)
# mm; 到访房屋 takes what is left. A whole mobile number (13812345678) fits one line.
ROLL_CALL_WIDTHS = (9, 27, 20, 27, 9, 0, 23, 27, 19, 16, 16, 21, 11)
ROLL_CALL_DESTROY = (
    "本表载有访客和住户的完整电话，仅供应急清点时联系未到人员；"
    "演练或应急处置结束后由清点人收回销毁，不得复印、拍照或外传。"
)
FRAME_PADDING = 12  # pt, both sides: SimpleDocTemplate's frame pads each side by 6 pt
CELL_SIZE = 9.5
TICK_SIDE = 4.5 * mm


class _TickBox(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """An empty square to tick at the assembly point."""

    def __init__(self, side: float) -> None:
        super().__init__()
        self.side = side
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.setStrokeColor(colors.black)
        self.canv.rect(0, 0, self.side, self.side, stroke=1, fill=0)


def roll_call_pdf(
    letterhead: Letterhead,
    lines: Sequence[RollCallLine],
    printed_at: str,
    printed_by: str,
    assembly_point: str = "",
) -> bytes:
    """Everyone still inside, for a head count at the assembly point, with the whole
    phone numbers of the visitor and of the household visited to call whoever is
    missing; '当前无在场访客' when nobody is. `assembly_point` empty: a line to write it."""
    width = content_width(A4_LANDSCAPE) - FRAME_PADDING
    story: list[Flowable] = [
        letterhead_block(letterhead, width),
        Spacer(0, 3 * mm),
        Paragraph(
            f"{ROLL_CALL_TITLE}<font size=12>{ROLL_CALL_PURPOSE}</font>",
            title_style(17),
        ),
        Paragraph(
            f"打印时间：{escape(printed_at)}{GAP}打印人：{escape(printed_by)}",
            style("roll_meta", 9.5),
        ),
        Paragraph(_totals(lines), style("roll_totals", 11.5, spaceBefore=1 * mm)),
        Spacer(0, 2 * mm),
        _count_boxes(lines, assembly_point, width),
        Spacer(0, 3 * mm),
        _roll_table(lines, width) if lines else _nobody(),
        KeepTogether(
            [
                Spacer(0, 3 * mm),
                Paragraph(ROLL_CALL_DESTROY, style("roll_destroy", 10, leading=14)),
                Spacer(0, 4 * mm),
                _signature(width),
            ]
        ),
    ]
    return render(
        story,
        title=ROLL_CALL_TITLE,
        author=letterhead.issuer,
        pagesize=A4_LANDSCAPE,
        numbered=True,
    )


def _totals(lines: Sequence[RollCallLine]) -> str:
    """在场访客 N 批，共 M 人, and how many of the groups are overdue or stale."""
    people = sum(line.party_size for line in lines)
    text = f"在场访客 {len(lines)} 批，共 {people} 人"
    flagged: dict[str, int] = {}
    for line in lines:
        if line.state != INSIDE:
            flagged[line.state] = flagged.get(line.state, 0) + 1
    if flagged:
        parts = "、".join(f"{escape(state)} {count} 批" for state, count in flagged.items())
        text += f"（其中 {parts}）"
    return text


def _count_boxes(lines: Sequence[RollCallLine], assembly_point: str, width: float) -> Flowable:
    """集合点 and the count at it: 应到 (the visitors inside), 已清点 and 未找到 to
    fill in by hand, as the head count goes."""
    expected = sum(line.party_size for line in lines)
    point = escape(assembly_point) if assembly_point else ""
    cells = [
        ["集合点：", point, "应到：", f"{expected} 人", "已清点：", "人", "未找到：", "人"],
    ]
    label = 20 * mm
    count = 24 * mm
    widths = [label, width - 3 * (label + count) - count, label, count]
    widths += [label, count, label, count]
    table = Table(cells, colWidths=widths, rowHeights=[9 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 11.5),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("ALIGN", (1, 0), (1, 0), "LEFT"),
                ("ALIGN", (3, 0), (3, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
                ("LINEBELOW", (3, 0), (3, 0), 0.6, colors.black),
                ("LINEBELOW", (5, 0), (5, 0), 0.6, colors.black),
                ("LINEBELOW", (7, 0), (7, 0), 0.6, colors.black),
            ]
        )
    )
    return table


def _nobody() -> Flowable:
    empty = style("roll_empty", 14, alignment=TA_CENTER, spaceBefore=12 * mm, spaceAfter=6 * mm)
    return Paragraph(EMPTY_ROLL, empty)


def _roll_table(lines: Sequence[RollCallLine], width: float) -> Table:
    widths = [w * mm for w in ROLL_CALL_WIDTHS]
    widths[ROLL_CALL_HEADER.index("到访房屋")] = width - sum(widths)
    left, _right = cell_styles(CELL_SIZE)
    centre = style("roll_centre", CELL_SIZE, leading=CELL_SIZE * 1.3, alignment=TA_CENTER)
    rows: list[list[Any]] = [list(ROLL_CALL_HEADER)]
    for index, line in enumerate(lines, start=1):
        rows.append(_roll_cells(index, line, left, centre))
    table = grid_table(rows, widths)
    table.setStyle(TableStyle(_roll_commands(lines)))
    return table


def _roll_cells(
    index: int, line: RollCallLine, left: ParagraphStyle, centre: ParagraphStyle
) -> list[Any]:
    state = escape(line.state)
    if line.state != INSIDE:
        state = f"<font color='{ALERT_INK}'>{state}</font>"
    return [
        Paragraph(str(index), centre),
        Paragraph(escape(line.number), left),
        Paragraph(escape(line.visitor), left),
        Paragraph(escape(line.phone), left),
        Paragraph(str(line.party_size), centre),
        Paragraph(escape(line.place), left),
        Paragraph(escape(line.host), left),
        Paragraph(escape(line.host_phone), left),
        Paragraph(escape(line.purpose), left),
        Paragraph(escape(line.arrived_at), left),
        Paragraph(escape(line.expected_leave), left),
        Paragraph(state, centre),
        _TickBox(TICK_SIDE),
    ]


def _roll_commands(lines: Sequence[RollCallLine]) -> list[tuple[Any, ...]]:
    # Rows tall enough to tick by hand, standing at the assembly point.
    commands: list[tuple[Any, ...]] = [
        ("TOPPADDING", (0, 1), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
        ("ALIGN", (-1, 1), (-1, -1), "CENTER"),
    ]
    for row, line in enumerate(lines, start=1):
        if line.state != INSIDE:
            commands.append(("BACKGROUND", (0, row), (-1, row), ALERT))
    return commands


def _signature(width: float) -> Flowable:
    """清点人：______　时间：______ at the right, where a form is signed."""
    lines = signature_lines(("清点人", "时间"), width * 0.6)
    lines.hAlign = "RIGHT"
    return lines
