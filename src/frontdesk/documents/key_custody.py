"""The key register's papers. 钥匙退还确认单: a held key handed back to its owner, with
what the office did with it while it held it (every lending), signed by whoever takes
it back and by the clerk; one A4 page, the office keeps the signed copy. 托管钥匙清单:
every key in the cabinet or lent out, for a check of the cabinet (A4 landscape)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from frontdesk.documents.base import (
    A4_LANDSCAPE,
    A4_PORTRAIT,
    Letterhead,
    content_width,
    escape,
    grid_table,
    letterhead_block,
    render,
    style,
    title_style,
)
from frontdesk.documents.linebreak import Paragraph
from frontdesk.documents.movein import signature_row

TITLE = "钥匙退还确认单"
MAX_LENDINGS = 20


@dataclass(frozen=True)
class KeyReturnLine:
    out_at: str
    purpose: str  # 维修 GD-2612-0001
    borrower: str  # 李师傅（维修班）
    returned_at: str


@dataclass(frozen=True)
class KeyReturnDoc:
    tag: str
    room_code: str
    place: str
    description: str
    authorised_by: str
    scopes: str
    authorised: str  # 2026-09-01 至 2026-12-31
    received_at: str
    released_at: str
    released_to: str
    clerk: str
    lendings: tuple[KeyReturnLine, ...]


def key_return_pdf(head: Letterhead, doc: KeyReturnDoc, printed_at: datetime) -> bytes:
    width = content_width(A4_PORTRAIT)
    facts = [
        [f"房屋：{escape(doc.room_code)}　{escape(doc.place)}", f"钥匙编号：{escape(doc.tag)}"],
        [f"钥匙：{escape(doc.description)}", f"授权人：{escape(doc.authorised_by)}"],
        [f"授权范围：{escape(doc.scopes)}", f"授权期限：{escape(doc.authorised)}"],
        [f"收存时间：{escape(doc.received_at)}", f"退还时间：{escape(doc.released_at)}"],
        [f"领回人：{escape(doc.released_to)}", f"经办人：{escape(doc.clerk)}"],
    ]
    cell = style("cell", 9, leading=12)
    fact_rows = [[Paragraph(text, cell) for text in row] for row in facts]
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(0, 5 * mm),
        Paragraph(TITLE, title_style(18)),
        grid_table(fact_rows, [width * 0.55, width * 0.45], header_rows=0),
        Spacer(0, 4 * mm),
        Paragraph(f"托管期间借用记录（共 {len(doc.lendings)} 次）", style("section", 11)),
        Spacer(0, 1.5 * mm),
        *_lendings(doc.lendings, width),
        Spacer(0, 5 * mm),
        Paragraph(
            "本人已领回上述钥匙，钥匙及数量无误；托管期间的借用记录已阅知。"
            "本确认单签字后，物业服务中心不再保管该户钥匙，原授权书同时终止。",
            style("statement", 10.5),
        ),
        Spacer(0, 10 * mm),
        signature_row(("领回人签字", "经办人签字", "日期"), width),
    ]
    return render(story, title=f"{TITLE} {doc.tag}", author=head.issuer, printed_at=printed_at)


def _lendings(lines: tuple[KeyReturnLine, ...], width: float) -> list[Flowable]:
    if not lines:
        return [Paragraph("托管期间未借出。", style("none", 9.5))]
    cell = style("cell", 9, leading=12)
    shown = lines[:MAX_LENDINGS]
    rows: list[list[object]] = [["借出时间", "事由", "借用人", "归还时间"]]
    rows += [
        [Paragraph(escape(v), cell) for v in (x.out_at, x.purpose, x.borrower, x.returned_at)]
        for x in shown
    ]
    widths = [width * 0.22, width * 0.3, width * 0.26, width * 0.22]
    flowables: list[Flowable] = [grid_table(rows, widths)]
    if len(lines) > MAX_LENDINGS:
        more = f"另有较早的 {len(lines) - MAX_LENDINGS} 次借用未列出，可在前台登记中查询。"
        flowables.append(Paragraph(more, style("more", 8.5)))
    return flowables


LIST_TITLE = "托管钥匙清单"
LIST_HEAD = (
    "钥匙编号",
    "房屋",
    "钥匙",
    "存放位置",
    "授权范围",
    "授权截止",
    "状态",
    "借用人",
    "应还时间",
)
LIST_WIDTHS = (0.08, 0.09, 0.2, 0.07, 0.12, 0.09, 0.08, 0.12, 0.15)


def key_list_pdf(
    head: Letterhead, rows: list[tuple[str, ...]], overdue: set[int], printed_at: datetime
) -> bytes:
    """`rows` in LIST_HEAD order; the rows numbered in `overdue` are printed red."""
    width = content_width(A4_LANDSCAPE)
    cell = style("cell", 8.5, leading=11)
    late = style("late", 8.5, leading=11, textColor="#b42318")
    body = [
        [Paragraph(escape(v), late if i in overdue else cell) for v in row]
        for i, row in enumerate(rows)
    ]
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(0, 3 * mm),
        Paragraph(f"{LIST_TITLE}（共 {len(rows)} 把，逾期 {len(overdue)} 把）", title_style(15)),
        grid_table([list(LIST_HEAD), *body], [f * width for f in LIST_WIDTHS]),
    ]
    return render(
        story,
        title=LIST_TITLE,
        author=head.issuer,
        pagesize=A4_LANDSCAPE,
        printed_at=printed_at,
    )
