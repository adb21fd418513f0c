"""入伙 papers for one room: 入伙通知书, 入伙手续办理清单, 验房记录表, 钥匙移交确认单.

Each is an A4 page (more when the lists are long) with the letterhead on top; the
four can also go out as one PDF (`movein_set_pdf`), each starting on a new page.
Page numbers count within each paper — the papers are signed and filed separately —
and only a paper of more than one page shows them (第 x 页 / 共 y 页).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from frontdesk.documents.base import (
    A4_PORTRAIT,
    FONT,
    INK,
    SHADE,
    Letterhead,
    NumberedCanvas,
    cell_styles,
    content_width,
    escape,
    grid_table,
    letterhead_block,
    register_font,
    style,
    title_style,
)
from frontdesk.documents.linebreak import Paragraph, TextParagraph

INVITATION_TITLE = "入伙通知书"
CHECKLIST_TITLE = "入伙手续办理清单"
INSPECTION_TITLE = "验房记录表"
KEYS_TITLE = "钥匙移交确认单"
SET_TITLE = "入伙资料"

MARGIN_MM = 15
GREY = colors.HexColor("#52606d")
REQUIRED = "★"
RECHECK_NOTE = (
    "说明：上述问题由责任单位在整改期限内完成整改，整改完成后物业服务中心将通知业主共同复验；"
    "复验合格的项目由业主签字确认后关闭，未通过的重新安排整改。整改期间需要入户的，"
    "将提前与业主预约时间。"
)
LATER_NOTE = (
    "说明：入住后如发现房屋质量问题，请在保修期内向物业服务中心报修，由物业服务中心"
    "通知责任单位整改，整改完成后与业主共同复验。"
)


@dataclass(frozen=True)
class MoveInRoom:
    room_code: str  # 5-1-1202
    place: str  # 5栋1单元1202室
    owners: tuple[str, ...]
    area_m2: str  # 89.50
    batch: str  # 2026年12月 5-8栋集中交付, or ''
    appointment: str  # 2026-12-05 09:30, or ''


@dataclass(frozen=True)
class ChecklistStep:
    title: str  # 核验购房合同或不动产权证
    detail: str  # what was recorded; '' when not done
    done_by: str  # 前台 李四, or ''
    done_at: str  # 2026-12-05 10:02, or ''
    required: bool


OVERDUE_INK = "#b3261e"


@dataclass(frozen=True)
class DefectLine:
    number: int
    area: str  # 客厅 / 卧室 / 厨房 / 卫生间 / 阳台 …
    kind: str  # 墙面 / 地面 / 门窗 / 水电 / 防水 …
    description: str
    responsible: str  # 施工单位 / 开发商 …
    deadline: str  # 2026-12-20
    status: str  # 待整改 / 待复验 / 已关闭
    overdue_days: int = 0  # past its deadline and not put right: marked as on screen


@dataclass(frozen=True)
class KeyLine:
    kind: str  # 入户门钥匙 / 单元门禁卡 / 信报箱钥匙 …
    count: int
    numbers: str  # card numbers, '' for keys


@dataclass(frozen=True)
class Invitation:
    """What the 入伙通知书 says besides the room: as `invitation_pdf` takes it."""

    office_hours: str  # 每日 8:30-17:30（节假日照常）
    documents_to_bring: tuple[str, ...]
    fees_text: str  # the first fees to prepare; lines separated by \n
    issued_on: str  # 2026年11月20日


# -- the four papers -----------------------------------------------------------------------


def invitation_pdf(
    head: Letterhead,
    room: MoveInRoom,
    *,
    office_hours: str,
    documents_to_bring: Sequence[str],
    fees_text: str,
    issued_on: str,
) -> bytes:
    """入伙通知书: the letter inviting the buyer to come and take the home over."""
    invitation = Invitation(office_hours, tuple(documents_to_bring), fees_text, issued_on)
    return build_papers(
        [_invitation(head, room, invitation)], head, f"{INVITATION_TITLE} {room.room_code}"
    )


def checklist_pdf(head: Letterhead, room: MoveInRoom, steps: Sequence[ChecklistStep]) -> bytes:
    """入伙手续办理清单: each step, what was recorded, by whom and when, a box to sign."""
    return build_papers(
        [_checklist(head, room, steps)], head, f"{CHECKLIST_TITLE} {room.room_code}"
    )


def inspection_pdf(
    head: Letterhead,
    room: MoveInRoom,
    inspected_on: str,
    inspector: str,
    defects: Sequence[DefectLine],
) -> bytes:
    """验房记录表: the defects found at the handover inspection, to be put right."""
    story = _inspection(head, room, inspected_on, inspector, defects)
    return build_papers([story], head, f"{INSPECTION_TITLE} {room.room_code}")


def key_handover_pdf(
    head: Letterhead, room: MoveInRoom, keys: Sequence[KeyLine], handed_on: str
) -> bytes:
    """钥匙移交确认单: the keys and cards the owner counted and took."""
    return build_papers(
        [_keys(head, room, keys, handed_on)], head, f"{KEYS_TITLE} {room.room_code}"
    )


def movein_set_pdf(
    head: Letterhead,
    room: MoveInRoom,
    *,
    invitation: Invitation,
    steps: Sequence[ChecklistStep],
    inspected_on: str,
    inspector: str,
    defects: Sequence[DefectLine],
    keys: Sequence[KeyLine],
    handed_on: str,
) -> bytes:
    """The four papers in one PDF, in the order they are used, each on a new page."""
    parts = [
        _invitation(head, room, invitation),
        _checklist(head, room, steps),
        _inspection(head, room, inspected_on, inspector, defects),
        _keys(head, room, keys, handed_on),
    ]
    return build_papers(parts, head, f"{SET_TITLE} {room.room_code}")


# -- what is on each paper -------------------------------------------------------------------


def _invitation(head: Letterhead, room: MoveInRoom, invitation: Invitation) -> list[Flowable]:
    width = content_width(A4_PORTRAIT, MARGIN_MM)
    body = style("letter", 11, leading=20, firstLineIndent=22)
    plain = style("letter_plain", 11, leading=20)
    owners = "、".join(escape(name) for name in room.owners if name)
    area = f"（建筑面积 {escape(room.area_m2)} 平方米）" if room.area_m2 else ""
    welcome = (
        f"您好！恭喜您成为{escape(head.community_name)}的业主。您购买的"
        f"{escape(room.place)}{area}已具备交付条件，现诚邀您前来办理入伙手续。"
    )
    if room.batch:
        welcome += f"本次交付为：{escape(room.batch)}。"
    story: list[Flowable] = [
        *heading(head, INVITATION_TITLE, width),
        Paragraph(f"尊敬的{owners}业主：" if owners else "尊敬的业主：", plain),
        Spacer(0, 1 * mm),
        TextParagraph(welcome, body),
        Spacer(0, 3 * mm),
        _invitation_facts(head, room, invitation, width),
        Spacer(0, 4 * mm),
    ]
    numbers = iter("一二")
    if invitation.documents_to_bring:
        item = style("item", 10.5, leading=17, leftIndent=22, firstLineIndent=-14)
        story.append(subheading(f"{next(numbers)}、请携带以下资料"))
        story += [
            TextParagraph(f"{number}.&nbsp;{escape(text)}", item)
            for number, text in enumerate(invitation.documents_to_bring, start=1)
        ]
        story.append(Spacer(0, 3 * mm))
    fees = [line.strip() for line in invitation.fees_text.splitlines() if line.strip()]
    if fees:
        fee_style = style("fees", 10.5, leading=17, leftIndent=8)
        story.append(subheading(f"{next(numbers)}、请预备以下费用"))
        story += [TextParagraph(escape(line), fee_style) for line in fees]
        story.append(Spacer(0, 3 * mm))
    phone = f"（电话：{escape(head.service_phone)}）" if head.service_phone else ""
    story += [
        Spacer(0, 1 * mm),
        TextParagraph(
            "如您不能按约定时间前来，或需委托他人代为办理，请提前与物业服务中心联系"
            f"{phone}。我们期待您的到来，欢迎您回家！",
            body,
        ),
        Spacer(0, 10 * mm),
        KeepTogether(
            [
                Paragraph(escape(head.issuer), style("issuer", 11, alignment=TA_RIGHT)),
                Spacer(0, 2 * mm),
                Paragraph(
                    escape(invitation.issued_on) or "　　　　年　　月　　日",
                    style("issued", 11, alignment=TA_RIGHT),
                ),
            ]
        ),
    ]
    return story


def _invitation_facts(
    head: Letterhead, room: MoveInRoom, invitation: Invitation, width: float
) -> Flowable:
    cell = style("fact", 10.5, leading=15)
    when = (
        f"{escape(room.appointment)}（已为您预约）"
        if room.appointment
        else "请致电物业服务中心预约办理时间"
    )
    where = f"{escape(head.community_name)}物业服务中心"
    if head.address:
        where += f"（{escape(head.address)}）"
    facts = [
        ("办理时间", when),
        ("办理地点", where),
        ("办公时间", escape(invitation.office_hours)),
        ("联系电话", escape(head.service_phone)),
    ]
    rows = [[Paragraph(label, cell), Paragraph(value, cell)] for label, value in facts if value]
    table = grid_table(rows, [width * 0.18, width * 0.82], header_rows=0)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _checklist(
    head: Letterhead, room: MoveInRoom, steps: Sequence[ChecklistStep]
) -> list[Flowable]:
    width = content_width(A4_PORTRAIT, MARGIN_MM)
    cell = style("cell", 9.5, leading=13)
    centred = style("cell_centre", 9.5, leading=13, alignment=TA_CENTER)
    rows: list[list[Any]] = [["序号", "办理事项", "办理情况", "经办人", "时间", "业主确认"]]
    for number, step in enumerate(steps, start=1):
        mark = f"{REQUIRED}&nbsp;" if step.required else ""
        rows.append(
            [
                Paragraph(str(number), centred),
                TextParagraph(mark + escape(step.title), cell),
                TextParagraph(escape(step.detail), cell),
                Paragraph(escape(step.done_by), cell),
                Paragraph(escape(step.done_at).replace(" ", "<br/>", 1), centred),
                Spacer(0, 9 * mm),  # the box the owner signs in
            ]
        )
    if not steps:
        rows.append(["", Paragraph("（未设置办理事项）", cell), "", "", "", ""])
    fractions = (0.06, 0.28, 0.30, 0.11, 0.12, 0.13)
    table = grid_table(rows, [width * f for f in fractions])
    table.setStyle(TableStyle([("SPAN", (1, 1), (-1, 1))] if not steps else []))
    required = sum(step.required for step in steps)
    done = sum(bool(step.done_at) for step in steps)
    note = style("note", 9, textColor=GREY)
    return [
        *heading(head, CHECKLIST_TITLE, width),
        _room_facts(room, width),
        Spacer(0, 4 * mm),
        table,
        Spacer(0, 2 * mm),
        Paragraph(
            f"共 {len(steps)} 项，其中必办 {required} 项（标 {REQUIRED} 者），已办理 {done} 项。"
            "请业主逐项核对后在“业主确认”栏签字。",
            note,
        ),
        Spacer(0, 12 * mm),
        signature_row(("业主签字", "经办人签字", "日期"), width),
    ]


def _defect_state(defect: DefectLine) -> str:
    """The state, and 超期 N 天 under it in red, as the defects screen lists it."""
    state = escape(defect.status)
    if defect.overdue_days:
        state += f"<br/><font color='{OVERDUE_INK}'>超期 {defect.overdue_days} 天</font>"
    return state


def _inspection(
    head: Letterhead,
    room: MoveInRoom,
    inspected_on: str,
    inspector: str,
    defects: Sequence[DefectLine],
) -> list[Flowable]:
    width = content_width(A4_PORTRAIT, MARGIN_MM)
    story: list[Flowable] = [
        *heading(head, INSPECTION_TITLE, width),
        _room_facts(room, width, (("验房日期", inspected_on), ("验房人员", inspector))),
        Spacer(0, 4 * mm),
    ]
    text = style("text", 10.5, leading=17)
    if not defects and not inspected_on:
        # Not inspected yet: a form to fill in by hand on the day, never "no problems".
        return [*story, *_blank_inspection(width, text)]
    if defects:
        cell, _right = cell_styles(9.5)
        centred = style("cell_centre", 9.5, leading=12.5, alignment=TA_CENTER)
        rows: list[list[Any]] = [
            ["序号", "部位", "类别", "问题描述", "责任单位", "整改期限", "状态"]
        ]
        for defect in defects:
            rows.append(
                [
                    Paragraph(str(defect.number), centred),
                    Paragraph(escape(defect.area), cell),
                    Paragraph(escape(defect.kind), cell),
                    TextParagraph(escape(defect.description), cell),
                    TextParagraph(escape(defect.responsible), cell),
                    Paragraph(escape(defect.deadline), centred),
                    Paragraph(_defect_state(defect), centred),
                ]
            )
        fractions = (0.06, 0.1, 0.09, 0.36, 0.13, 0.13, 0.13)
        story.append(grid_table(rows, [width * f for f in fractions]))
        counts = Counter(defect.status for defect in defects if defect.status)
        by_status = "，".join(f"{status} {count} 项" for status, count in counts.items())
        overdue = sum(1 for defect in defects if defect.overdue_days)
        if overdue:
            by_status += f"，其中已超期 {overdue} 项"
        summary = f"共 {len(defects)} 项" + (f"（{escape(by_status)}）" if by_status else "") + "。"
    else:
        summary = "经查验未发现问题。"
    story += [
        Spacer(0, 2 * mm),
        Paragraph(summary, text),
        Spacer(0, 2 * mm),
        TextParagraph(
            RECHECK_NOTE if defects else LATER_NOTE,
            style("note", 9.5, leading=15, textColor=GREY),
        ),
        Spacer(0, 12 * mm),
        signature_row(("业主", "验房人员", "工程人员", "日期"), width),
    ]
    return story


BLANK_DEFECT_ROWS = 10


def _blank_inspection(width: float, text: ParagraphStyle) -> list[Flowable]:
    rows: list[list[Any]] = [["序号", "部位", "类别", "问题描述", "责任单位", "整改期限", "状态"]]
    rows += [[str(n), "", "", "", "", "", ""] for n in range(1, BLANK_DEFECT_ROWS + 1)]
    fractions = (0.06, 0.1, 0.09, 0.38, 0.13, 0.13, 0.11)
    # Room to write by hand: every blank row as tall as a line of handwriting.
    heights = [None, *([10 * mm] * BLANK_DEFECT_ROWS)]
    table = grid_table(rows, [width * f for f in fractions], row_heights=heights)
    table.setStyle([("ALIGN", (0, 1), (0, -1), "CENTER")])
    return [
        table,
        Spacer(0, 2 * mm),
        Paragraph("验房时逐项填写；未发现问题的，请在上表注明“经查验未发现问题”。", text),
        Spacer(0, 12 * mm),
        signature_row(("业主", "验房人员", "工程人员", "日期"), width),
    ]


def _keys(
    head: Letterhead, room: MoveInRoom, keys: Sequence[KeyLine], handed_on: str
) -> list[Flowable]:
    width = content_width(A4_PORTRAIT, MARGIN_MM)
    cell = style("cell", 10, leading=14)
    centred = style("cell_centre", 10, leading=14, alignment=TA_CENTER)
    rows: list[list[Any]] = [["钥匙/门卡类别", "数量", "卡号"]]
    for key in keys:
        rows.append(
            [
                Paragraph(escape(key.kind), cell),
                Paragraph(str(key.count), centred),
                TextParagraph(escape(key.numbers) or "—", cell),
            ]
        )
    if not keys:
        rows.append([Paragraph("（无）", cell), "", ""])
    rows.append([Paragraph("合计", cell), Paragraph(str(sum(k.count for k in keys)), centred), ""])
    table = grid_table(rows, [width * 0.32, width * 0.14, width * 0.54], total_row=True)
    table.setStyle(
        TableStyle([("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    )
    return [
        *heading(head, KEYS_TITLE, width),
        _room_facts(room, width, (("移交日期", handed_on),)),
        Spacer(0, 4 * mm),
        table,
        Spacer(0, 5 * mm),
        TextParagraph(
            "业主已当面清点上述钥匙及门卡，确认数量无误、均可正常使用。自即日起由业主负责保管，"
            "如有遗失，请及时到物业服务中心办理挂失或补办。",
            style("confirm", 11, leading=20, firstLineIndent=22),
        ),
        Spacer(0, 14 * mm),
        signature_row(("业主签字", "移交人", "日期"), width),
    ]


# -- shared pieces ------------------------------------------------------------------------------


def heading(head: Letterhead, title: str, width: float) -> list[Flowable]:
    return [
        _PartStart(),
        letterhead_block(head, width),
        Spacer(0, 5 * mm),
        Paragraph(title, title_style()),
    ]


def subheading(text: str) -> Flowable:
    return Paragraph(text, style("subheading", 11.5, spaceBefore=1 * mm, spaceAfter=1.5 * mm))


def _room_facts(room: MoveInRoom, width: float, extra: Sequence[tuple[str, str]] = ()) -> Flowable:
    """房号 · 坐落 · 业主 · 面积 · 批次 (and the paper's own date and people), two a row."""
    cell = style("fact", 9.5, leading=13)
    facts: list[tuple[str, str]] = [
        ("房号", room.room_code),
        ("房屋坐落", room.place),
        ("业主", "、".join(room.owners)),
        ("建筑面积", f"{room.area_m2} ㎡" if room.area_m2 else ""),
    ]
    if room.batch:
        facts.append(("交付批次", room.batch))
    facts += extra
    cells: list[Flowable | str] = [
        Paragraph(f"{label}：{escape(value) if value else '—'}", cell) for label, value in facts
    ]
    if len(cells) % 2:
        cells.append("")
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    return grid_table(rows, [width / 2, width / 2], header_rows=0)


def signature_row(roles: Sequence[str], width: float, size: float = 10.5) -> Flowable:
    """'业主签字：________　经办人签字：________' spread over the width: each label as wide
    as it needs, the rest of its share a line to sign on."""
    register_font()
    each = width / len(roles)
    gap = 6 * mm
    cells: list[str] = []
    widths: list[float] = []
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]
    for index, role in enumerate(roles):
        label = f"{role}："
        label_w = stringWidth(label, FONT, size) + 1
        cells += [label, "", ""]
        widths += [label_w, each - label_w - gap, gap]
        commands.append(("LINEBELOW", (3 * index + 1, 0), (3 * index + 1, 0), 0.6, INK))
    table = Table([cells], colWidths=widths, rowHeights=[8 * mm])
    table.setStyle(TableStyle(commands))
    return table


class _PartStart(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """Marks the page a paper starts on, so its pages are numbered by themselves."""

    def wrap(self, _width: float, _height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        canvas.movein_part = getattr(canvas, "movein_part", 0) + 1


class _PartCanvas(NumberedCanvas):
    """第 x 页 / 共 y 页 within each paper, on the papers longer than a page."""

    movein_part = 0

    def save(self) -> None:
        totals = Counter(state.get("movein_part", 0) for state in self._pages)
        seen: Counter[int] = Counter()
        for state in self._pages:
            self.__dict__.update(state)
            part = self.movein_part
            seen[part] += 1
            if totals[part] > 1:
                self._page_number(seen[part], totals[part])
            Canvas.showPage(self)
        Canvas.save(self)

    def _page_number(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(GREY)
        self.drawCentredString(width / 2, 10 * mm, f"第 {number} 页 / 共 {total} 页")
        self.restoreState()


def build_papers(parts: Sequence[list[Flowable]], head: Letterhead, title: str) -> bytes:
    register_font()
    story: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            story.append(PageBreak())
        story += part
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4_PORTRAIT,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=MARGIN_MM * mm,
        bottomMargin=(MARGIN_MM + 5) * mm,
        title=title,
        author=head.issuer,
        creator="FrontDesk 物业前台",
    )
    doc.build(story, canvasmaker=_PartCanvas)
    return buffer.getvalue()
