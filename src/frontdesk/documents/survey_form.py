"""满意度调查问卷: one numbered A4 form per sampled household.

The owner ticks one box per service area and may write a few lines; the office types
the form back by the number in its top right corner. The form names the room, never a
person: the answers belong to the household. The boxes are drawn, not typed, so they
print the same whatever the font holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from frontdesk.documents.base import (
    A4_PORTRAIT,
    FONT,
    INK,
    RULE,
    SHADE,
    Letterhead,
    content_width,
    escape,
    letterhead_block,
    render,
    style,
)

SCALE = ("非常满意", "满意", "一般", "不满意", "非常不满意")  # as the owner reads it
OPEN_LINES = 5


@dataclass(frozen=True)
class SurveyForm:
    number: str  # MY001-0012
    place: str  # 3栋2单元1201室


@dataclass(frozen=True)
class SurveyForms:
    survey_name: str
    period: str
    dimensions: tuple[str, ...]  # 客服接待, 工程维修 …
    question: str  # the open question; "" for none
    forms: tuple[SurveyForm, ...]
    return_to: str  # where the form goes back: 物业服务中心前台或您的管家


class TickBox(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """An empty square to tick."""

    def __init__(self, side: float = 4.2 * mm) -> None:
        super().__init__()
        self.side = side
        self.width = side
        self.height = side

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.side, self.side)


def _scores(dimensions: Sequence[str], width: float) -> Table:
    head = style("scale_head", 9.5, alignment=TA_CENTER)
    first = 46 * mm
    rest = (width - first) / len(SCALE)
    rows: list[list[Any]] = [
        [Paragraph("服务项目", head), *(Paragraph(label, head) for label in SCALE)]
    ]
    for label in dimensions:
        rows.append([Paragraph(escape(label), style("dimension", 11)), *(TickBox() for _ in SCALE)])
    table = Table(rows, colWidths=[first, *([rest] * len(SCALE))], rowHeights=[9 * mm] * len(rows))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 1), (-1, -1), "CENTER"),
                ("FONT", (0, 0), (-1, -1), FONT, 10),
            ]
        )
    )
    return table


def _lines(width: float, count: int) -> Table:
    table = Table([[""]] * count, colWidths=[width], rowHeights=[9 * mm] * count)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE)]))
    return table


def _form(head: Letterhead, data: SurveyForms, form: SurveyForm, width: float) -> list[Flowable]:
    number = Paragraph(
        f"问卷编号 <font size=14><b>{escape(form.number)}</b></font>",
        style("number", 10, alignment=TA_RIGHT),
    )
    title = escape(data.survey_name)
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(1, 2 * mm),
        number,
        Spacer(1, 3 * mm),
        Paragraph(title, style("form_title", 17, alignment=TA_CENTER, leading=24)),
        Paragraph(
            f"{escape(data.period)}　·　{escape(form.place)}",
            style("form_sub", 11, alignment=TA_CENTER, leading=18),
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            "尊敬的业主：<br/>"
            "　　为了解您对我们服务的评价，请在每个服务项目后您认为合适的方框内打“√”"
            "（每项只选一个）。本问卷只记录房号，不记录姓名，您的意见将用于改进服务，"
            "评为“不满意”或“非常不满意”的项目，我们会安排专人回访处理。",
            style("intro", 10.5, leading=17),
        ),
        Spacer(1, 4 * mm),
        _scores(data.dimensions, width),
    ]
    if data.question:
        story += [
            Spacer(1, 6 * mm),
            Paragraph(escape(data.question), style("question", 11)),
            _lines(width, OPEN_LINES),
        ]
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            f"填好后请交回{escape(data.return_to)}。感谢您的支持！",
            style("return", 10.5),
        ),
        Spacer(1, 3 * mm),
        Paragraph(
            "<font color='#52606d'>以下由物业填写：回收日期 ________　录入人 ________　"
            f"录入时请输入问卷编号 {escape(form.number)}</font>",
            style("office", 9),
        ),
    ]
    return story


def survey_forms_pdf(
    head: Letterhead, data: SurveyForms, printed_at: datetime, author: str
) -> bytes:
    """One page per household, in form-number order."""
    width = content_width(A4_PORTRAIT)
    story: list[Flowable] = []
    for index, form in enumerate(data.forms):
        if index:
            story.append(PageBreak())
        story += _form(head, data, form, width)
    return render(
        story,
        title=f"{data.survey_name} 调查问卷",
        author=author,
        pagesize=A4_PORTRAIT,
        printed_at=printed_at,
        numbered=False,
    )
