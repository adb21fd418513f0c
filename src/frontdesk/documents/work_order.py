"""派工单 and 维修回执: the one sheet of a work order (工单) the worker takes to the job.

The top of the sheet is what the desk knows: the number, the kind and category, how
urgent, who took it (首问负责人) and how it came in, the place, the contact with the
whole phone number (the worker calls ahead), the problem, the appointment, the
promises (到场时限, 完工时限) and whether the repair is paid. Below it the worker
fills in 到场时间, 完工时间, 处理结果, the materials used and the fee, and the owner
ticks a rating and signs. Printed after completion the same sheet is the 维修回执: the
recorded values stand where the blanks were.

Two papers: A5 portrait, the size of a clipboard, and an 80 mm roll from the counter's
receipt printer (thermal or dot-matrix), as long as the content. Both are printed in
pure black with no grey fills (a thermal head dithers grey, a ribbon smudges it), and
every value is a wrapping paragraph in the bundled CJK font, so nothing is clipped. An
A5 sheet whose problem description is too long for one page first takes smaller type,
then runs on to a second page, numbered, with the worker's and the owner's part kept
together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Spacer, Table, TableStyle

from frontdesk.documents.base import (
    FONT,
    Letterhead,
    PageSize,
    escape,
    register_font,
    render,
    render_unpadded,
    style,
)
from frontdesk.documents.linebreak import Paragraph
from frontdesk.domain.money import format_yuan, to_words
from frontdesk.domain.service_desk_paper import WorkOrderPaper

DISPATCH_TITLE = "派工单"
RECEIPT_TITLE = "维修回执"
REPAIR_KIND = "报修"
RATINGS = ("非常满意", "满意", "一般", "不满意")
FREE_REPAIR = "无偿维修，不收费"
FREE_SERVICE = "不收费"  # a complaint, an enquiry: no repair, no fee
PAID_REPAIR = "有偿维修"
NO_MATERIALS = "未使用材料"
PRIVACY_NOTE = "本单载有联系人完整电话，仅供本次上门联系使用，不得外传；完工后交回服务中心。"
FEEDBACK = "对本次服务有意见或建议，请致电服务中心"

BLACK = colors.black
A5_PORTRAIT: PageSize = A5
ROLL_WIDTH = 80 * mm
FRAME_PADDING = 12  # pt, both sides: render()'s frame pads each side by 6 pt


@dataclass(frozen=True)
class WorkPlace:
    """A room (its code and address) or a public place (building, floor, area)."""

    room_code: str = ""  # 3-2-1201; '' for a public place
    address: str = ""  # 3栋2单元1201室
    building: str = ""  # 5栋
    floor: str = ""  # 1层
    area: str = ""  # 电梯厅

    @property
    def text(self) -> str:
        if self.room_code and self.address:
            return f"{self.room_code}（{self.address}）"
        if self.room_code or self.address:
            return self.room_code or self.address
        public = " ".join(part for part in (self.building, self.floor, self.area) if part)
        return f"公共区域 {public}" if public else ""


@dataclass(frozen=True)
class MaterialLine:
    name: str  # 单把水龙头（铜）
    quantity: str  # with its unit: 1 个, 2.5 米
    amount_fen: int


@dataclass(frozen=True)
class WorkDone:
    """What the worker recorded, printed in the blanks of a 维修回执."""

    arrived_at: str  # 2026-12-07 09:35
    finished_at: str
    result: str  # 处理结果
    worker: str  # 工程部 王建国
    materials: tuple[MaterialLine, ...] = ()
    labour_fen: int = 0
    fee_fen: int = 0  # what the household is charged; 0 for free work
    receipt_number: str = ""  # the receipt the fee was collected on, when it was
    rating: str = ""  # one of RATINGS once the owner's rating is recorded
    owner_comment: str = ""

    @property
    def materials_fen(self) -> int:
        return sum(line.amount_fen for line in self.materials)


@dataclass(frozen=True)
class WorkOrderSheet:
    number: str  # GD-2612-0001
    kind: str  # 报修 / 投诉 …
    category: str  # 水电
    urgency: str  # 紧急 / 普通
    taken_at: str  # 2026-12-07 09:12
    taken_by: str  # 首问负责人: 前台 李四
    channel: str  # 来电
    place: WorkPlace
    contact_name: str
    contact_phone: str  # whole: the worker calls ahead
    description: str
    appointment: str  # 2026-12-07 14:00–16:00, or '' when none was made
    arrive_by: str  # the promises, as due times
    finish_by: str
    dispatched_to: str  # 工程部 王建国, or a team
    dispatched_at: str
    paid: bool  # 有偿维修
    price_note: str = ""  # 按《有偿维修价目表》收费：人工费 30 元/次，材料按价目表
    done: WorkDone | None = None  # set when printed after completion: the 维修回执
    printed_at: str = ""  # 2026-12-07 09:16, at the foot of the sheet

    @property
    def title(self) -> str:
        return self.receipt_heading if self.done else DISPATCH_TITLE

    @property
    def repair(self) -> bool:
        return self.kind == REPAIR_KIND

    @property
    def receipt_heading(self) -> str:
        """维修回执 for a repair, 处理回执 for work on a complaint or a suggestion."""
        return RECEIPT_TITLE if self.repair else "处理回执"

    @property
    def free_text(self) -> str:
        return FREE_REPAIR if self.repair else FREE_SERVICE

    @property
    def worker_word(self) -> str:
        return "维修人员" if self.repair else "处理人员"


# -- scales -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    """Type sizes and spacing for one paper."""

    margin: float  # mm, each side
    text: float  # values, pt
    label: float  # labels, pt
    small: float  # notes, pt
    title: float
    line: float  # mm, a line to write on by hand
    gap: float  # pt, between sections
    result_lines: int  # lines to write the 处理结果 on
    material_rows: int  # blank rows for materials
    columns: int  # facts side by side


# A5 falls back to smaller type and fewer blank lines when a long description would
# otherwise push the owner's part onto a second page. A roll grows instead.
A5_SCALES = (
    _Scale(7, 10, 9, 8, 17, 8, 4, 3, 2, 2),
    _Scale(7, 9.5, 8.5, 7.5, 15, 7.5, 3, 3, 2, 2),
    _Scale(7, 9, 8, 7.5, 14, 7, 2.5, 3, 2, 2),
    _Scale(7, 9, 8, 7.5, 14, 7, 2, 2, 2, 2),
)
ROLL_SCALE = _Scale(4, 10, 9, 8, 15, 8, 4, 4, 3, 1)


def work_order_pdf(letterhead: Letterhead, sheet: WorkOrderSheet, paper: WorkOrderPaper) -> bytes:
    """The 派工单 (or, with `sheet.done`, the 维修回执) on the paper given."""
    register_font()
    title = f"{sheet.title} {sheet.number}"
    if paper is WorkOrderPaper.ROLL_80:
        scale = ROLL_SCALE
        margin = scale.margin * mm
        inner = ROLL_WIDTH - 2 * margin
        desk, filled_in = _story(letterhead, sheet, scale, inner)
        story = desk + filled_in
        # The measured height is never less than what the frame uses; 1 mm absorbs rounding.
        height = _story_height(story, inner) + 2 * margin + 1 * mm
        return render_unpadded(
            story, (ROLL_WIDTH, height), margin, title=title, author=letterhead.issuer
        )
    page_w, page_h = A5_PORTRAIT
    for scale in A5_SCALES:
        margin = scale.margin * mm
        inner = page_w - 2 * margin
        desk, filled_in = _story(letterhead, sheet, scale, inner)
        story = desk + filled_in
        if _story_height(story, inner) <= page_h - 2 * margin:
            return render_unpadded(
                story, A5_PORTRAIT, margin, title=title, author=letterhead.issuer
            )
    # Too long for one sheet even in the smallest type: numbered pages.
    scale = A5_SCALES[0]
    inner = page_w - 2 * scale.margin * mm - FRAME_PADDING
    desk, filled_in = _story(letterhead, sheet, scale, inner)
    continued = Paragraph(
        f"{escape(title)}（续）", _style("wo_continued", scale.label, alignment=TA_RIGHT)
    )
    return render(
        [*desk, KeepTogether([continued, Spacer(0, scale.gap), *filled_in])],
        title=title,
        author=letterhead.issuer,
        pagesize=A5_PORTRAIT,
        margins_mm=scale.margin,
    )


def _story_height(story: Sequence[Flowable], width: float) -> float:
    """The height a frame uses for the story, counting every space (the frame drops
    the first one, so this is an upper bound)."""
    total = 0.0
    for flowable in story:
        _w, height = flowable.wrap(width, 10_000 * mm)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _story(
    head: Letterhead, sheet: WorkOrderSheet, scale: _Scale, width: float
) -> tuple[list[Flowable], list[Flowable]]:
    """The desk's part, and the worker's and the owner's part, which goes on one page."""
    desk = [
        *_heading(head, sheet, scale, width),
        Spacer(0, scale.gap),
        _facts(sheet, scale, width),
        Spacer(0, scale.gap),
    ]
    filled_in = [
        *_section(f"{sheet.receipt_heading}（{sheet.worker_word}填写）", scale, width),
        *_worker_part(sheet, scale, width),
        Spacer(0, scale.gap),
        *_section("业主（报修人）确认" if sheet.repair else "业主确认", scale, width),
        *_owner_part(sheet, scale, width),
        Spacer(0, scale.gap),
        _rule(dashed=True),
        Spacer(0, scale.gap * 0.6),
        *_footer(head, sheet, scale),
    ]
    return desk, filled_in


# -- pieces -------------------------------------------------------------------------------


def _style(name: str, size: float, **extra: Any) -> ParagraphStyle:
    return style(name, size, textColor=BLACK, leading=size * 1.3, **extra)


def _heading(
    head: Letterhead, sheet: WorkOrderSheet, scale: _Scale, width: float
) -> list[Flowable]:
    """The office (community, company, service phone), then the title with the number
    and the urgency: on one row on A5, one under the other on the roll."""
    centre = _style("wo_office", scale.text + 1.5, alignment=TA_CENTER)
    small = _style("wo_issuer", scale.small, alignment=TA_CENTER)
    lines: list[Flowable] = [Paragraph(escape(head.community_name), centre)]
    contact = "　".join(
        part
        for part in (
            escape(head.issuer) if head.company_name else "",
            f"服务电话：{escape(head.service_phone)}" if head.service_phone else "",
        )
        if part
    )
    if contact:
        lines.append(Paragraph(contact, small))
    # A Paragraph collapses the ideographic space, so the title is spaced with &nbsp;.
    title = Paragraph(
        "&nbsp;&nbsp;".join(sheet.title), _style("wo_title", scale.title, alignment=TA_CENTER)
    )
    if scale.columns > 1:
        return [*lines, Spacer(0, scale.gap * 0.5), _title_row(sheet, title, scale, width)]
    return [
        *lines,
        Spacer(0, scale.gap * 0.6),
        title,
        Spacer(0, scale.gap * 0.6),
        _number_row(sheet, scale, width),
    ]


def _urgency_box(sheet: WorkOrderSheet, scale: _Scale) -> tuple[Paragraph, float]:
    """The urgency, boxed, and the width of its box."""
    size = scale.text + 2
    box = Paragraph(escape(sheet.urgency), _style("wo_urgency", size, alignment=TA_CENTER))
    return box, stringWidth(sheet.urgency, FONT, size) + 10


def _number(sheet: WorkOrderSheet, scale: _Scale, room: float) -> Paragraph:
    """编号 GD-2612-0001, as large as fits `room` on one line: the worker quotes it."""
    label = "编号 "
    room -= stringWidth(label, FONT, scale.label) + 4
    size = min(scale.text + 3, room / max(stringWidth(sheet.number, FONT, 1), 1))
    return Paragraph(
        f"<font size={scale.label}>{label}</font>{escape(sheet.number)}",
        _style("wo_number", size),
    )


def _title_row(sheet: WorkOrderSheet, title: Paragraph, scale: _Scale, width: float) -> Table:
    """编号 at the left, the title in the middle, the urgency boxed at the right."""
    box, box_w = _urgency_box(sheet, scale)
    side = width * 0.34
    right = Table([[box]], colWidths=[box_w], hAlign="RIGHT")
    right.setStyle(_box_style())
    table = Table(
        [[_number(sheet, scale, side), title, right]],
        colWidths=[side, width - 2 * side, side],
    )
    table.setStyle(_bare_style())
    table.setStyle(TableStyle([("ALIGN", (2, 0), (2, 0), "RIGHT")]))
    return table


def _number_row(sheet: WorkOrderSheet, scale: _Scale, width: float) -> Table:
    """编号 beside the urgency, boxed: the worker sees both first."""
    box, box_w = _urgency_box(sheet, scale)
    table = Table([[_number(sheet, scale, width - box_w), box]], colWidths=[width - box_w, box_w])
    table.setStyle(_bare_style())
    table.setStyle(TableStyle([("BOX", (1, 0), (1, 0), 1.2, BLACK), *_box_style().getCommands()]))
    return table


def _bare_style() -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )


def _box_style() -> TableStyle:
    return TableStyle(
        [
            ("BOX", (-1, 0), (-1, 0), 1.2, BLACK),
            ("LEFTPADDING", (-1, 0), (-1, 0), 2),
            ("RIGHTPADDING", (-1, 0), (-1, 0), 2),
            ("TOPPADDING", (-1, 0), (-1, 0), 2),
            ("BOTTOMPADDING", (-1, 0), (-1, 0), 3),
        ]
    )


@dataclass(frozen=True)
class _Fact:
    label: str
    value: str
    wide: bool = False  # across the whole sheet on A5
    large: bool = False  # what the worker reads on the way: the place and the phone
    block: bool = False  # on the roll, under its label across the strip: the description


def _fact_list(sheet: WorkOrderSheet) -> list[_Fact]:
    kind = " · ".join(part for part in (sheet.kind, sheet.category) if part)
    promise = "{} 前"
    return [
        _Fact("类型", kind),
        _Fact("来源渠道", sheet.channel),
        _Fact("受理时间", sheet.taken_at),
        _Fact("首问负责人", sheet.taken_by),
        _Fact("派给", sheet.dispatched_to),
        _Fact("派单时间", sheet.dispatched_at),
        _Fact("地点", sheet.place.text, wide=True, large=True),
        _Fact("联系人", sheet.contact_name),
        _Fact("联系电话", sheet.contact_phone, large=True),
        _Fact("问题描述", sheet.description, wide=True, block=True),
        _Fact("预约时间", sheet.appointment or "未预约"),
        _Fact("收费", PAID_REPAIR if sheet.paid else sheet.free_text),
        *(
            [_Fact("到场时限", promise.format(sheet.arrive_by) if sheet.arrive_by else "")]
            if sheet.repair
            else []
        ),
        _Fact(
            "完工时限" if sheet.repair else "处理期限",
            promise.format(sheet.finish_by) if sheet.finish_by else "",
        ),
    ]


def _facts(sheet: WorkOrderSheet, scale: _Scale, width: float) -> Table:
    """The desk's facts in a ruled grid: two pairs a row on A5 (the long ones across),
    one a row on the roll. An empty value shows as —."""
    facts = _fact_list(sheet)
    label_style = _style("wo_label", scale.label)
    label_w = stringWidth("首问负责人", FONT, scale.label) + 6
    columns = scale.columns
    value_w = width / columns - label_w

    def value(fact: _Fact) -> Paragraph:
        size = scale.text + 1.5 if fact.large else scale.text
        return Paragraph(escape(fact.value) or "—", _style("wo_value", size))

    rows: list[list[Any]] = []
    spans: list[int] = []
    large: list[int] = []  # rows in larger type: their labels centred beside the value
    pending: list[_Fact] = []

    def flush() -> None:
        if not pending:
            return
        row: list[Any] = []
        for fact in pending:
            row += [Paragraph(fact.label, label_style), value(fact)]
        if any(fact.large for fact in pending):
            large.append(len(rows))
        if len(pending) < columns:
            spans.append(len(rows))
            row += [""] * (2 * (columns - len(pending)))
        rows.append(row)
        pending.clear()

    for fact in facts:
        if fact.block and columns == 1:
            spans += [len(rows), len(rows) + 1]
            rows += [[Paragraph(fact.label, label_style), ""], [value(fact), ""]]
        elif fact.wide and columns > 1:
            flush()
            pending.append(fact)
            flush()
        else:
            pending.append(fact)
            if len(pending) == columns:
                flush()
    flush()
    # A description longer than a page splits inside its row instead of failing.
    table = Table(rows, colWidths=[label_w, value_w] * columns, splitInRow=1)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.6, BLACK),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("SPAN", (0 if columns == 1 else 1, row), (-1, row)) for row in spans]
    commands += [("VALIGN", (0, row), (-1, row), "MIDDLE") for row in large]
    table.setStyle(TableStyle(commands))
    return table


def _section(text: str, scale: _Scale, width: float) -> list[Flowable]:
    """A section heading over a solid rule."""
    return [
        Paragraph(text, _style("wo_section", scale.text + 1)),
        Spacer(0, 1),
        _rule(),
        Spacer(0, scale.gap * 0.5),
    ]


def _rule(*, dashed: bool = False) -> Flowable:
    return HRFlowable(
        width="100%",
        thickness=0.6 if dashed else 0.9,
        color=BLACK,
        dash=(2, 2) if dashed else None,
        spaceAfter=0,
        spaceBefore=0,
    )


def _line_fields(
    fields: Sequence[tuple[str, str]], scale: _Scale, width: float, per_row: int
) -> Table:
    """'到场时间：________' fields, `per_row` a row: a line to write on, or the recorded
    value on the line. A blank row is tall enough to write in by hand."""
    label_style = _style("wo_field_label", scale.label)
    value_style = _style("wo_field_value", scale.text)
    share = width / per_row
    gap = 4 * mm if per_row > 1 else 0
    rows: list[list[Any]] = []
    heights: list[float | None] = []
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    label_w = max(stringWidth(f"{label}：", FONT, scale.label) for label, _v in fields) + 2
    widths = ([label_w, share - label_w - gap] + ([gap] if gap else [])) * per_row
    step = 3 if gap else 2
    for start in range(0, len(fields), per_row):
        chunk = fields[start : start + per_row]
        row: list[Any] = []
        for index, (label, text) in enumerate(chunk):
            row += [Paragraph(f"{label}：", label_style), Paragraph(escape(text), value_style)]
            row += [""] if gap else []
            line_row = len(rows)
            commands.append(
                (
                    "LINEBELOW",
                    (index * step + 1, line_row),
                    (index * step + 1, line_row),
                    0.7,
                    BLACK,
                )
            )
        row += [""] * (len(widths) - len(row))
        rows.append(row)
        heights.append(None if any(text for _l, text in chunk) else scale.line * mm)
    table = Table(rows, colWidths=widths, rowHeights=heights)
    table.setStyle(TableStyle(commands))
    return table


def _write_box(label: str, text: str, lines: int, scale: _Scale, width: float) -> Table:
    """处理结果 and the like: the recorded text under its label, or `lines` ruled
    lines to write on, the label at the start of the first."""
    label_style = _style("wo_box_label", scale.label)
    if text:
        cell = Paragraph(
            f"<font size={scale.label}>{label}：</font>{escape(text)}",
            _style("wo_box_text", scale.text),
        )
        table = Table([[cell]], colWidths=[width])
        rows = 1
    else:
        table = Table(
            [[Paragraph(f"{label}：", label_style)]] + [[""] for _ in range(lines - 1)],
            colWidths=[width],
            rowHeights=[scale.line * mm] * lines,
        )
        rows = lines
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                *[("LINEBELOW", (0, row), (0, row), 0.7, BLACK) for row in range(rows)],
            ]
        )
    )
    return table


def _materials(done: WorkDone | None, scale: _Scale, width: float) -> Table:
    """使用材料: name, quantity, amount in yuan; blank rows to fill in, or the recorded
    lines and their total."""
    cell = _style("wo_cell", scale.label)
    right = _style("wo_cell_right", scale.label, alignment=TA_RIGHT)
    amount_w = stringWidth("金额（元）", FONT, scale.label) + 8
    quantity_w = stringWidth("数量/单位", FONT, scale.label) + 8
    widths = [width - amount_w - quantity_w, quantity_w, amount_w]
    rows: list[list[Any]] = [
        [Paragraph("使用材料", cell), Paragraph("数量", cell), Paragraph("金额（元）", right)]
    ]
    heights: list[float | None] = [None]
    spans: list[int] = []
    if done is None:
        for _ in range(scale.material_rows):
            rows.append(["", "", ""])
            heights.append(scale.line * mm)
    elif not done.materials:
        spans.append(len(rows))
        rows.append([Paragraph(NO_MATERIALS, cell), "", ""])
        heights.append(None)
    else:
        for line in done.materials:
            rows.append(
                [
                    Paragraph(escape(line.name), cell),
                    Paragraph(escape(line.quantity), cell),
                    Paragraph(format_yuan(line.amount_fen), right),
                ]
            )
            heights.append(None)
        rows.append(
            [Paragraph("材料费合计", cell), "", Paragraph(format_yuan(done.materials_fen), right)]
        )
        heights.append(None)
    table = Table(rows, colWidths=widths, rowHeights=heights)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.6, BLACK),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [("SPAN", (0, row), (-1, row)) for row in spans]
    table.setStyle(TableStyle(commands))
    return table


def _fee_lines(sheet: WorkOrderSheet, scale: _Scale, width: float) -> list[Flowable]:
    """人工费, 材料费 and the charge for a paid repair (blank, or recorded with the
    charge in words and its receipt); a line saying so for a free one."""
    done = sheet.done
    if not sheet.paid:
        return [Paragraph(f"费用：{sheet.free_text}", _style("wo_fee_free", scale.label))]
    per_row = 3 if scale.columns > 1 else 1
    note: list[Flowable] = []
    if sheet.price_note:
        prices = _style("wo_prices", scale.small, spaceBefore=2)
        note = [Paragraph(f"收费标准：{escape(sheet.price_note)}", prices)]
    if done is None:
        fields = [("人工费（元）", ""), ("材料费（元）", ""), ("合计（元）", "")]
        return [_line_fields(fields, scale, width, per_row), *note]
    fields = [
        ("人工费（元）", format_yuan(done.labour_fen)),
        ("材料费（元）", format_yuan(done.materials_fen)),
        ("合计（元）", format_yuan(done.fee_fen)),
    ]
    charge = f"收费合计：{to_words(done.fee_fen)}（¥{format_yuan(done.fee_fen)}）"
    if done.receipt_number:
        charge += f"，收据号 {escape(done.receipt_number)}"
    return [
        _line_fields(fields, scale, width, per_row),
        Spacer(0, 2),
        Paragraph(charge, _style("wo_fee_words", scale.label)),
        *note,
    ]


def _worker_part(sheet: WorkOrderSheet, scale: _Scale, width: float) -> list[Flowable]:
    done = sheet.done
    per_row = 2 if scale.columns > 1 else 1
    times = [
        ("到场时间", done.arrived_at if done else ""),
        ("完工时间", done.finished_at if done else ""),
    ]
    signature = [(f"{sheet.worker_word}签字", "")]
    if done and done.worker:
        signature = [(sheet.worker_word, done.worker), ("签字", "")]
    if not sheet.repair:  # a complaint or an enquiry is answered: no visit, no materials
        handled = [("处理时间", done.finished_at if done else ""), *signature]
        return [
            _write_box("处理结果", done.result if done else "", scale.result_lines, scale, width),
            Spacer(0, scale.gap * 0.5),
            _line_fields(handled, scale, width, per_row),
        ]
    return [
        _line_fields(times, scale, width, per_row),
        Spacer(0, scale.gap * 0.5),
        _write_box("处理结果", done.result if done else "", scale.result_lines, scale, width),
        Spacer(0, scale.gap),
        _materials(done, scale, width),
        Spacer(0, scale.gap * 0.5),
        *_fee_lines(sheet, scale, width),
        _line_fields(signature, scale, width, len(signature) if per_row > 1 else 1),
    ]


class _TickBox(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """A square to tick, with the tick in it when `ticked` (text, so it reads back)."""

    def __init__(self, side: float, ticked: bool) -> None:
        super().__init__()
        self.side = side
        self.ticked = ticked

    def wrap(self, _width: float, _height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.8)
        canvas.setStrokeColor(BLACK)
        canvas.rect(0, 0, self.side, self.side, stroke=1, fill=0)
        if self.ticked:
            canvas.setFont(FONT, self.side * 1.05)
            canvas.setFillColor(BLACK)
            canvas.drawCentredString(self.side / 2, self.side * 0.13, "✔")


def _rating(done: WorkDone | None, scale: _Scale, width: float) -> Table:
    """服务评价 with a box before each of 非常满意/满意/一般/不满意: four in a row on
    A5, two on the roll. The recorded rating, if any, is ticked."""
    label = "服务评价："
    label_style = _style("wo_rating_label", scale.label)
    option = _style("wo_rating", scale.text)
    side = scale.text * 1.1
    per_row = 4 if scale.columns > 1 else 2
    label_w = stringWidth(label, FONT, scale.label) + 2
    share = (width - label_w) / per_row
    rows: list[list[Any]] = []
    for start in range(0, len(RATINGS), per_row):
        row: list[Any] = [Paragraph(label, label_style) if not start else ""]
        for rating in RATINGS[start : start + per_row]:
            ticked = done is not None and done.rating == rating
            row += [_TickBox(side, ticked), Paragraph(rating, option)]
        rows.append(row)
    box_w = side + 4
    table = Table(rows, colWidths=[label_w] + [box_w, share - box_w] * per_row)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _owner_part(sheet: WorkOrderSheet, scale: _Scale, width: float) -> list[Flowable]:
    done = sheet.done
    per_row = 2 if scale.columns > 1 else 1
    comment = done.owner_comment if done else ""
    return [
        _rating(done, scale, width),
        _write_box("意见或建议", comment, 1 if per_row > 1 else 2, scale, width),
        _line_fields((("业主签字", ""), ("日期", "")), scale, width, per_row),
    ]


def _footer(head: Letterhead, sheet: WorkOrderSheet, scale: _Scale) -> list[Flowable]:
    """Where to call with a complaint about the work, what the phone number is for, and
    when this copy was printed."""
    small = _style("wo_footer", scale.small, alignment=TA_CENTER)
    lines: list[Flowable] = []
    if head.service_phone:
        lines.append(Paragraph(f"{FEEDBACK}：{escape(head.service_phone)}", small))
    lines.append(Paragraph(PRIVACY_NOTE, small))
    if sheet.printed_at:
        lines.append(Paragraph(f"打印时间：{escape(sheet.printed_at)}", small))
    return lines
