"""装修 papers for one room: 装修申请表, 装修许可证, 整改通知, 竣工验收单 (the workers'
passes are in `renovation_passes`).

The application, the notice and the acceptance are A4 forms in the 入伙 house style
(letterhead, title, a grid of facts, lines to sign), numbered within each paper. The
permit is posted on the door of the flat: one A4 page of large black type, read from
two metres away in a stairwell.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
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
    content_width,
    escape,
    grid_table,
    register_font,
    render_unpadded,
    style,
)
from frontdesk.documents.linebreak import Paragraph, TextParagraph
from frontdesk.documents.movein import build_papers, heading, signature_row, subheading

APPLICATION_TITLE = "装修申请表"
PERMIT_TITLE = "装修许可证"
NOTICE_TITLE = "整改通知"
STOP_NOTICE_TITLE = "停工整改通知"
ACCEPTANCE_TITLE = "竣工验收单"

MARGIN_MM = 15
GREY = colors.HexColor("#52606d")
FAILED = colors.HexColor("#fbe9e7")  # an inspection node that did not pass
BLACK = colors.black
TICK = "✔"

UNDERTAKING = (
    "本人承诺：严格遵守《装修指南》及《装修管理服务协议》的各项规定，督促施工单位文明施工；"
    "不拆改房屋承重墙、梁、柱、楼板等承重结构，不在承重墙上开凿门窗洞口；不改变房屋外立面，"
    "不擅自封闭阳台、改动外窗及空调机位；不改动燃气管道、公共上下水立管、烟道及消防设施；"
    "卫生间、厨房等防水部位改动后重做防水并做闭水试验；在规定时间内施工，装修垃圾袋装后"
    "运至指定地点；如因装修给他人或公共部位造成损失，由本人承担赔偿责任。"
)


@dataclass(frozen=True)
class RenovationDoc:
    number: str  # ZX2611-0003
    room_code: str  # 5-1-1202
    place: str  # 5栋1单元1202室
    owners: tuple[str, ...]
    applicant: str  # 张三（业主） / 李四（租户，已授权）
    applicant_phone: str  # masked by the caller
    contractor: str  # the company
    contractor_person: str
    contractor_phone: str
    licence_no: str
    starts_on: str  # 2026-12-01
    ends_on: str  # 2027-02-28 (after extensions)
    scope: tuple[str, ...]  # 水电改造, 防水, 地面 …
    working_hours: str  # 工作日 8:00–12:00、14:00–18:00；周末及法定节假日不得进行有噪声的施工
    status: str  # 已发许可证 …
    permit_no: str  # '' until issued
    deposit_text: str  # 装修押金 3000.00 元（收据 SJ00000123）, or ''
    fees_text: str  # 装修管理费 5.00 元/平方米 …；垃圾清运费 300.00 元, or ''


@dataclass(frozen=True)
class InspectionLine:
    node: str  # 水电隐蔽工程 / 防水闭水试验 …
    inspected_on: str
    result: str  # 合格 / 不合格
    note: str
    deadline: str  # for a failed node: put right by, or ''


# -- 装修申请表 ---------------------------------------------------------------------------------


def application_pdf(
    head: Letterhead,
    doc: RenovationDoc,
    documents: Sequence[str],
    *,
    all_scopes: Sequence[str] = (),
) -> bytes:
    """装修申请表: the room, the applicant and the contractor, the planned period, every
    scope with the chosen ones ticked, the papers attached, the owner's undertaking,
    and room to sign and to write the office's opinion."""
    width = content_width(A4_PORTRAIT, MARGIN_MM)
    story: list[Flowable] = [
        *heading(head, APPLICATION_TITLE, width),
        _number_line(doc, width, "一、房屋及申请人"),
        _facts(
            (
                ("房号", doc.room_code),
                ("房屋坐落", doc.place),
                ("业主", "、".join(doc.owners)),
                ("申请人", doc.applicant),
                ("联系电话", doc.applicant_phone),
                ("办理状态", doc.status),
            ),
            width,
        ),
        subheading("二、施工单位"),
        _facts(
            (
                ("施工单位", doc.contractor),
                ("资质证书编号", doc.licence_no),
                ("现场负责人", doc.contractor_person),
                ("联系电话", doc.contractor_phone),
            ),
            width,
        ),
        subheading("三、装修期限及项目"),
        _facts(
            (
                ("计划工期", _period(doc)),
                ("施工时间", doc.working_hours),
                *_money_facts(doc),
            ),
            width,
            columns=1,
        ),
        Spacer(0, 2 * mm),
        _scope_checklist(doc.scope, all_scopes, width),
        subheading("四、随附资料"),
        _document_list(documents, width),
        Spacer(0, 2 * mm),
        KeepTogether(
            [
                subheading("业主承诺"),
                TextParagraph(
                    UNDERTAKING, style("undertaking", 10, leading=16, firstLineIndent=20)
                ),
                Spacer(0, 7 * mm),
                signature_row(("申请人", "施工单位负责人", "日期"), width),
            ]
        ),
        Spacer(0, 4 * mm),
        KeepTogether([_opinion_box(width)]),
    ]
    return build_papers([story], head, f"{APPLICATION_TITLE} {doc.room_code}")


def _money_facts(doc: RenovationDoc) -> list[tuple[str, str]]:
    return [
        (label, text.strip())
        for label, text in (("押金", doc.deposit_text), ("费用", doc.fees_text))
        if text.strip()
    ]


def _document_list(documents: Sequence[str], width: float) -> Table:
    """The papers attached, numbered, two a row (one a row when a name is long)."""
    item = style("item", 10, leading=14, leftIndent=14, firstLineIndent=-14)
    cells: list[Any] = [
        TextParagraph(f"{number}.&nbsp;{escape(name)}", item)
        for number, name in enumerate(documents, start=1)
    ] or [Paragraph("（无）", item)]
    half = width / 2 - 8
    columns = 2 if all(stringWidth(name, FONT, 10) + 20 <= half for name in documents) else 1
    if columns == 2:
        # Numbered down the first column, then down the second.
        rows_needed = math.ceil(len(cells) / 2)
        left, right = cells[:rows_needed], cells[rows_needed:]
        right += [""] * (rows_needed - len(right))
        rows = [[a, b] for a, b in zip(left, right, strict=True)]
    else:
        rows = [[cell] for cell in cells]
    return Table(
        rows,
        colWidths=[width / columns] * columns,
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ],
    )


def _scope_checklist(chosen: Sequence[str], all_scopes: Sequence[str], width: float) -> Table:
    """Every scope the office lists, four a row, a ticked box before the chosen ones;
    a chosen scope the list does not have comes at the end, ticked."""
    picked = set(chosen)
    names = list(dict.fromkeys([*all_scopes, *chosen]))
    cell = style("scope", 10, leading=13)
    columns = 4
    cells: list[Any] = [
        Table(
            [[_CheckBox(name in picked), Paragraph(escape(name), cell)]],
            colWidths=[5.5 * mm, width / columns - 5.5 * mm - 4],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ],
        )
        for name in names
    ]
    if not cells:
        cells = [Paragraph("（未列装修项目）", cell)]
    while len(cells) % columns:
        cells.append("")
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    label = Paragraph("装修项目（打 ✔ 者为本次申请项目）", style("scope_label", 9.5, leading=13))
    table = Table(
        [[label, "", "", ""], *rows],
        colWidths=[width / columns] * columns,
        style=[
            ("SPAN", (0, 0), (-1, 0)),
            ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 1), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 3),
        ],
    )
    return table


class _CheckBox(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """A square, with a tick in it when `ticked` (the tick is text, so it can be read back)."""

    side = 3.6 * mm

    def __init__(self, ticked: bool) -> None:
        super().__init__()
        self.ticked = ticked

    def wrap(self, _width: float, _height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.7)
        canvas.setStrokeColor(INK)
        canvas.rect(0, 0, self.side, self.side, stroke=1, fill=0)
        if self.ticked:
            size = self.side * 1.05
            canvas.setFont(FONT, size)
            canvas.setFillColor(INK)
            canvas.drawCentredString(self.side / 2, self.side * 0.13, TICK)


def _opinion_box(width: float) -> Table:
    """物业审核意见: a box to write in, with the reviewer and the date at its foot."""
    cell = style("opinion", 10.5, leading=15)
    foot = signature_row(("审核人", "日期"), width * 0.6)
    foot.hAlign = "RIGHT"
    table = Table(
        [[Paragraph("物业审核意见：", cell)], [Spacer(0, 10 * mm)], [foot]],
        colWidths=[width],
        style=[
            ("BOX", (0, 0), (-1, -1), 0.8, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ],
    )
    return table


# -- 装修许可证 ---------------------------------------------------------------------------------

PERMIT_MARGIN = 18 * mm
PERMIT_BORDER = 8 * mm  # the heavy frame, this far inside the paper's edge
PERMIT_LEAST_SCALE = 0.35


def permit_pdf(
    head: Letterhead, doc: RenovationDoc, office_phone: str, *, issued_on: str = ""
) -> bytes:
    """装修许可证 for the door: large black type on white, one A4 page. `issued_on`
    (2026年11月28日) is printed beside the issuer; left empty, a line to write it on."""
    register_font()
    width = A4_PORTRAIT[0] - 2 * PERMIT_MARGIN
    height = A4_PORTRAIT[1] - 2 * PERMIT_MARGIN
    # Very long values (a contractor's name, dozens of scopes) set everything smaller,
    # laid out again at the full width, until the page holds it.
    scale = 1.0
    story = _permit_story(head, doc, office_phone, issued_on, width, scale)
    while scale > PERMIT_LEAST_SCALE and _story_height(story, width) > height:
        scale = max(PERMIT_LEAST_SCALE, scale * 0.92)
        story = _permit_story(head, doc, office_phone, issued_on, width, scale)
    return render_unpadded(
        story,
        A4_PORTRAIT,
        PERMIT_MARGIN,
        title=f"{PERMIT_TITLE} {doc.permit_no or doc.number} {doc.room_code}",
        author=head.issuer,
        on_page=_permit_border,
    )


def _story_height(story: Sequence[Flowable], width: float) -> float:
    total = 0.0
    for flowable in story:
        _w, height = flowable.wrap(width, 10_000 * mm)
        total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _permit_story(
    head: Letterhead,
    doc: RenovationDoc,
    office_phone: str,
    issued_on: str,
    width: float,
    scale: float,
) -> list[Flowable]:
    """The permit with every size, space and padding multiplied by `scale`."""

    def big(name: str, size: float, **extra: Any) -> ParagraphStyle:
        options: dict[str, Any] = {"textColor": BLACK, "leading": size * 1.25 * scale}
        options.update(extra)
        return style(name, size * scale, **options)

    def gap(millimetres: float) -> Spacer:
        return Spacer(0, millimetres * mm * scale)

    centred = {"alignment": TA_CENTER}
    permit_no = doc.permit_no or "（尚未发证）"
    label_w = stringWidth("现场负责人", FONT, 16 * scale) + 14
    label = big("permit_label", 16)
    value = big("permit_value", 21)
    rows = [
        ("施工期限", _period(doc)),
        ("施工单位", doc.contractor),
        ("现场负责人", _person(doc)),
        ("装修项目", "、".join(doc.scope)),
    ]
    facts = Table(
        [
            [Paragraph(name, label), TextParagraph(escape(text) or "—", value)]
            for name, text in rows
        ],
        colWidths=[label_w, width - label_w],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.8, BLACK),
            ("TOPPADDING", (0, 0), (-1, -1), 8 * scale),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 9 * scale),
            # Labels are smaller than values: down a little, to share the first baseline.
            ("TOPPADDING", (0, 0), (0, -1), 12 * scale),
            ("LEFTPADDING", (0, 0), (0, -1), 2),
        ],
    )
    white = {"textColor": colors.white, **centred}
    hours = Table(
        [
            [Paragraph("允许施工时间", big("hours_label", 17, **white))],
            [TextParagraph(escape(doc.working_hours) or "—", big("hours", 25, leading=35 * scale))],
        ],
        colWidths=[width],
        style=[
            ("BOX", (0, 0), (-1, -1), 3, BLACK),
            ("BACKGROUND", (0, 0), (-1, 0), BLACK),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 1), (-1, 1), 8 * scale),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 12 * scale),
        ],
    )
    phone = office_phone or head.service_phone
    blank = "&nbsp;" * 8 + "年" + "&nbsp;" * 6 + "月" + "&nbsp;" * 6 + "日"
    date = escape(issued_on) if issued_on else blank
    story: list[Flowable] = [
        gap(4),
        Paragraph(escape(head.community_name), big("permit_community", 22, **centred)),
        gap(3),
        Paragraph(PERMIT_TITLE, big("permit_title", 66, leading=80 * scale, **centred)),
        Paragraph(f"许可证号：{escape(permit_no)}", big("permit_no", 18, **centred)),
        gap(6),
        Paragraph(escape(doc.room_code), big("permit_room", 66, leading=76 * scale, **centred)),
        Paragraph(escape(doc.place), big("permit_place", 22, **centred)),
        gap(8),
        facts,
        gap(9),
        hours,
        gap(9),
    ]
    if phone:
        story.append(
            Paragraph(
                f"噪声扰民、违规施工请拨打：<font size={24 * scale:.1f}>{escape(phone)}</font>",
                big("complaint", 16, leading=30 * scale, **centred),
            )
        )
    story += [
        gap(6),
        Paragraph(
            f"发证单位：{escape(head.issuer)}（盖章）", big("issuer", 15, alignment=TA_RIGHT)
        ),
        Paragraph(f"发证日期：{date}", big("issued_on", 15, alignment=TA_RIGHT)),
        gap(3),
        Paragraph(
            "本证须张贴于户门外显著位置，施工结束前不得撕毁、遮挡。",
            big("permit_note", 12, **centred),
        ),
    ]
    return story


def _permit_border(canvas: Canvas, _doc: Any) -> None:
    width, height = A4_PORTRAIT
    canvas.saveState()
    canvas.setStrokeColor(BLACK)
    canvas.setLineWidth(3)
    canvas.rect(PERMIT_BORDER, PERMIT_BORDER, width - 2 * PERMIT_BORDER, height - 2 * PERMIT_BORDER)
    canvas.setLineWidth(0.8)
    inner = PERMIT_BORDER + 1.8 * mm
    canvas.rect(inner, inner, width - 2 * inner, height - 2 * inner)
    canvas.restoreState()


# -- 整改通知 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rectification:
    """One 整改通知 as served: its own number and the day it was issued."""

    notice_no: str  # ZG2612-0001
    issued_on: str  # 2026-12-15
    problems: Sequence[str]
    deadline: str
    stop_work: bool


def rectification_pdf(
    head: Letterhead,
    doc: RenovationDoc,
    *,
    issued_on: str,
    problems: Sequence[str],
    deadline: str,
    stop_work: bool,
    notice_no: str = "",
) -> bytes:
    """One 整改通知 (停工整改通知 when the work must stop now)."""
    notice = Rectification(notice_no, issued_on, problems, deadline, stop_work)
    return rectifications_pdf(head, doc, [notice])


def rectifications_pdf(
    head: Letterhead, doc: RenovationDoc, notices: Sequence[Rectification]
) -> bytes:
    """The notices of a renovation, each on its own page(s) under its own number."""
    parts = [_rectification_story(head, doc, notice) for notice in notices]
    stopped = any(notice.stop_work for notice in notices)
    title = STOP_NOTICE_TITLE if stopped else NOTICE_TITLE
    return build_papers(parts, head, f"{title} {doc.room_code}")


def _rectification_story(
    head: Letterhead, doc: RenovationDoc, notice: Rectification
) -> list[Flowable]:
    """整改通知 (停工整改通知 when the work must stop now): the problems found, numbered,
    the deadline, what happens next, and lines to sign for it."""
    issued_on, problems, deadline = notice.issued_on, notice.problems, notice.deadline
    stop_work = notice.stop_work
    title = STOP_NOTICE_TITLE if stop_work else NOTICE_TITLE
    width = content_width(A4_PORTRAIT, MARGIN_MM)
    letter = style("notice", 11, leading=20, firstLineIndent=22)
    plain = style("notice_plain", 11, leading=20)
    item = style("problem", 11, leading=19, leftIndent=24, firstLineIndent=-16)
    owners = "、".join(escape(name) for name in doc.owners if name)
    addressee = f"{owners}业主" if owners else "业主"
    if doc.contractor:
        addressee += f"、{escape(doc.contractor)}"
    found = (
        f"经物业服务中心检查，{escape(doc.place)}（房号 {escape(doc.room_code)}）"
        "的装修施工存在以下问题："
    )
    if stop_work:
        order = (
            f"上述问题违反《装修管理服务协议》及《装修指南》的规定，请自接到本通知之时起<u>立即停止施工</u>，"
            f"并于 <u>{escape(deadline)}</u> 前整改完毕。整改完毕后请通知物业服务中心复查，"
            "经复查合格后方可恢复施工。"
        )
    else:
        order = (
            f"上述问题违反《装修管理服务协议》及《装修指南》的规定，请于 <u>{escape(deadline)}</u> "
            "前整改完毕，整改完毕后请通知物业服务中心复查。"
        )
    consequence = (
        "逾期未整改或经复查仍不合格的，物业服务中心将按《装修管理服务协议》的约定从装修押金中"
        "扣除相应费用，造成损失的由责任人赔偿；涉及房屋安全或违法建设的，将报告有关行政主管部门处理。"
        "如有疑问，请与物业服务中心联系"
    )
    phone = f"（电话：{escape(head.service_phone)}）。" if head.service_phone else "。"
    story: list[Flowable] = [
        *heading(head, title, width),
        _number_line(doc, width, number=notice.notice_no),
        _facts(
            (
                ("房号", doc.room_code),
                ("房屋坐落", doc.place),
                ("业主", "、".join(doc.owners)),
                ("装修编号", doc.number),
                ("装修许可证号", doc.permit_no),
                ("施工单位", doc.contractor),
                ("现场负责人", _person(doc)),
            ),
            width,
        ),
        Spacer(0, 5 * mm),
        Paragraph(f"{addressee}：", plain),
        Spacer(0, 1 * mm),
        TextParagraph(found, letter),
        Spacer(0, 1 * mm),
    ]
    if problems:
        story += [
            TextParagraph(f"{number}.&nbsp;{escape(problem)}", item)
            for number, problem in enumerate(problems, start=1)
        ]
    else:
        story.append(Paragraph("（见现场检查记录）", item))
    story += [
        Spacer(0, 2 * mm),
        Paragraph(order, letter),
        TextParagraph(escape(consequence) + phone, letter),
        Spacer(0, 8 * mm),
        KeepTogether(
            [
                Paragraph(
                    f"{escape(head.community_name)}物业服务中心（盖章）",
                    style("issuer", 11, alignment=TA_RIGHT),
                ),
                Spacer(0, 2 * mm),
                Paragraph(escape(issued_on), style("issued", 11, alignment=TA_RIGHT)),
                Spacer(0, 12 * mm),
                Paragraph("签收：本通知已收到，将按期整改。", plain),
                Spacer(0, 6 * mm),
                signature_row(("业主签收", "施工单位签收", "签收日期"), width),
            ]
        ),
    ]
    return story


# -- 竣工验收单 ---------------------------------------------------------------------------------


def acceptance_pdf(
    head: Letterhead,
    doc: RenovationDoc,
    inspections: Sequence[InspectionLine],
    *,
    accepted_on: str,
    result: str,
    deductions: Sequence[tuple[str, str]],
) -> bytes:
    """竣工验收单: the node inspections, the completion check and what is deducted from
    the deposit. A deduction is (reason, amount in yuan as text: 200.00)."""
    width = content_width(A4_PORTRAIT, MARGIN_MM)
    cell = style("cell", 9.5, leading=13)
    centred = style("cell_centre", 9.5, leading=13, alignment=TA_CENTER)
    right = style("cell_right", 9.5, leading=13, alignment=TA_RIGHT)
    text = style("text", 10.5, leading=17)
    story: list[Flowable] = [
        *heading(head, ACCEPTANCE_TITLE, width),
        _number_line(doc, width),
        _facts(
            (
                ("房号", doc.room_code),
                ("房屋坐落", doc.place),
                ("业主", "、".join(doc.owners)),
                ("装修许可证号", doc.permit_no),
                ("施工单位", doc.contractor),
                ("现场负责人", _person(doc)),
                ("施工期限", _period(doc)),
                ("装修项目", "、".join(doc.scope)),
                ("装修押金", doc.deposit_text),
            ),
            width,
        ),
        subheading("一、节点检查记录"),
    ]
    rows: list[list[Any]] = [["序号", "检查节点", "检查日期", "结果", "情况说明", "整改期限"]]
    failed: list[int] = []
    for number, line in enumerate(inspections, start=1):
        if line.result and line.result != "合格":
            failed.append(number)
        rows.append(
            [
                Paragraph(str(number), centred),
                TextParagraph(escape(line.node), cell),
                Paragraph(escape(line.inspected_on), centred),
                Paragraph(escape(line.result), centred),
                TextParagraph(escape(line.note), cell),
                Paragraph(escape(line.deadline) or "—", centred),
            ]
        )
    if not inspections:
        rows.append(["", Paragraph("（无节点检查记录）", cell), "", "", "", ""])
    fractions = (0.07, 0.2, 0.14, 0.09, 0.36, 0.14)
    table = grid_table(rows, [width * f for f in fractions])
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, row), (-1, row), FAILED) for row in failed
    ]
    if not inspections:
        commands.append(("SPAN", (1, 1), (-1, 1)))
    table.setStyle(TableStyle(commands))
    story += [table, subheading("二、竣工验收")]
    verdict = Table(
        [
            [
                Paragraph(f"验收日期：{escape(accepted_on) or '—'}", text),
                Paragraph(
                    f"验收结论：<font size=14>{escape(result) or '—'}</font>",
                    style("verdict", 12.5, leading=18),
                ),
            ]
        ],
        colWidths=[width * 0.4, width * 0.6],
        style=[
            ("BOX", (0, 0), (-1, -1), 1, INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )
    story += [verdict, subheading("三、押金扣除")]
    total = _total(amount for _reason, amount in deductions)
    money_rows: list[list[Any]] = [["序号", "扣除事由", "金额（元）"]]
    for number, (reason, amount) in enumerate(deductions, start=1):
        money_rows.append(
            [
                Paragraph(str(number), centred),
                TextParagraph(escape(reason), cell),
                Paragraph(escape(amount), right),
            ]
        )
    if not deductions:
        money_rows.append(["", Paragraph("无扣除", cell), Paragraph("0.00", right)])
    money_rows.append(["", Paragraph("合计", cell), Paragraph(f"{total:,.2f}", right)])
    story.append(grid_table(money_rows, [width * 0.07, width * 0.68, width * 0.25], total_row=True))
    refund = (
        f"装修押金扣除上述款项合计 {total:,.2f} 元后，余额按《装修管理服务协议》约定无息退还。"
        if doc.deposit_text
        else f"上述扣除款项合计 {total:,.2f} 元。"
    )
    story += [
        Spacer(0, 2 * mm),
        TextParagraph(refund, style("refund", 10, leading=16, textColor=GREY)),
        Spacer(0, 12 * mm),
        signature_row(("业主", "施工单位", "验收人员", "日期"), width),
    ]
    return build_papers([story], head, f"{ACCEPTANCE_TITLE} {doc.room_code}")


def _total(amounts: Iterable[str]) -> Decimal:
    """The sum of amounts written as text (1,200.00 / 200.00元); ValueError on others."""
    total = Decimal("0")
    for amount in amounts:
        cleaned = str(amount).replace(",", "").replace("，", "").removesuffix("元").strip()
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"扣除金额不是数字：{amount!r}") from None
        if not value.is_finite():
            raise ValueError(f"扣除金额不是数字：{amount!r}")
        total += value
    return total.quantize(Decimal("0.01"))


# -- shared pieces ------------------------------------------------------------------------------


def _number_line(
    doc: RenovationDoc, width: float, section: str = "", *, number: str = ""
) -> Flowable:
    """编号 (the renovation's, or the paper's own `number`) at the right, above the
    facts; beside the first section's heading if any."""
    line = Paragraph(
        f"编号：{escape(number or doc.number)}",
        style("number", 9.5, alignment=TA_RIGHT, textColor=GREY, spaceAfter=1.5 * mm),
    )
    if not section:
        return line
    return Table(
        [[subheading(section), line]],
        colWidths=[width * 0.6, width * 0.4],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ],
    )


def _period(doc: RenovationDoc) -> str:
    if doc.starts_on or doc.ends_on:
        return f"{doc.starts_on or '—'} 至 {doc.ends_on or '—'}"
    return ""


def _person(doc: RenovationDoc) -> str:
    return " ".join(part for part in (doc.contractor_person, doc.contractor_phone) if part)


def _facts(facts: Sequence[tuple[str, str]], width: float, *, columns: int = 2) -> Table:
    """label：value cells, `columns` a row; an empty value shows as —."""
    cell = style("fact", 9.5, leading=13)
    cells: list[Any] = [
        TextParagraph(f"{label}：{escape(value) if value else '—'}", cell) for label, value in facts
    ]
    while len(cells) % columns:
        cells.append("")
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    return grid_table(rows, [width / columns] * columns, header_rows=0)
