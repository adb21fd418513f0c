"""物品放行条: an A5 sheet the resident carries to the gate with the goods.

The gate scans the QR code of the pass number (or types the number) in the program,
which lets the goods out once; the guard compares the items and the vehicle with the
sheet and signs it. The household's arrears are never printed here: the sheet travels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from frontdesk.documents.base import (
    FONT,
    INK,
    RULE,
    SHADE,
    Letterhead,
    content_width,
    escape,
    letterhead_block,
    register_font,
    render,
    style,
)
from frontdesk.documents.cash_report import signature_lines
from frontdesk.documents.linebreak import Paragraph
from frontdesk.documents.visitor_pass import qr_code

TITLE = "物品放行条"
MARGIN_MM = 12
QR_SIDE = 24 * mm
RULES = (
    "本放行条限所列物品、车辆和时间一次有效，门岗扫码核验后放行，逾期或再次使用无效。",
    "物品与所列不符的，门岗有权不予放行并通知服务中心核实。",
)


@dataclass(frozen=True)
class GoodsPassDoc:
    number: str
    place: str  # 3栋2单元1201室
    applicant: str  # 业主 张三 / 租户 李四
    phone: str  # masked
    consent: str  # 业主同意：电话确认（王五）; '' for an owner
    items: Sequence[str]
    plate: str
    window: str  # 2026-11-25 10:00 至 14:00
    issued_at: str
    issued_by: str
    note: str = ""
    state: str = ""  # 已作废 / 已放行 on a reprint; '' while open


def goods_pass_pdf(head: Letterhead, doc: GoodsPassDoc) -> bytes:
    register_font()
    width = content_width(A5, MARGIN_MM)
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(1, 3 * mm),
        _title(doc, width),
        Spacer(1, 3 * mm),
        _details(doc, width),
        Spacer(1, 3 * mm),
        *(Paragraph(f"{i}. {escape(rule)}", style("rule", 8.5)) for i, rule in enumerate(RULES, 1)),
        Spacer(1, 6 * mm),
        signature_lines(("申请人", "经办人"), width),
        Spacer(1, 4 * mm),
        signature_lines(("核验人", "放行时间"), width),
    ]
    return render(
        story,
        title=f"{TITLE} {doc.number}",
        author=head.issuer,
        pagesize=A5,
        margins_mm=MARGIN_MM,
        numbered=False,
    )


def _title(doc: GoodsPassDoc, width: float) -> Table:
    """The title and number on the left, the QR code of the number on the right."""
    title = TITLE + (f"（{doc.state}）" if doc.state else "")
    left = [
        Paragraph(escape(title), style("gp_title", 20, alignment=TA_CENTER, leading=26)),
        Spacer(1, 2 * mm),
        Paragraph(f"编号 {escape(doc.number)}", style("gp_no", 14, alignment=TA_CENTER)),
    ]
    table = Table(
        [[left, qr_code(doc.number, QR_SIDE * 0.7)]], colWidths=[width - QR_SIDE, QR_SIDE]
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _details(doc: GoodsPassDoc, width: float) -> Table:
    items = "<br/>".join(f"{i}. {escape(item)}" for i, item in enumerate(doc.items, 1))
    rows: list[tuple[str, str]] = [
        ("房屋", escape(doc.place)),
        ("申请人", escape(f"{doc.applicant}　电话 {doc.phone}" if doc.phone else doc.applicant)),
    ]
    if doc.consent:
        rows.append(("业主同意", escape(doc.consent)))
    rows += [
        ("放行物品", items),
        ("运输车辆", escape(doc.plate or "（未登记车辆）")),
        ("放行时间", f"<font size=13>{escape(doc.window)}</font>"),
        ("开具", escape(f"{doc.issued_by}　{doc.issued_at}")),
    ]
    if doc.note:
        rows.append(("备注", escape(doc.note)))
    return labelled_table(rows, width, boxed="放行时间")


def labelled_table(rows: Sequence[tuple[str, str]], width: float, boxed: str = "") -> Table:
    """Label | value rows (values are paragraph markup), the `boxed` row framed heavier."""
    cell = style("labelled_cell", 10.5, leading=14)
    label_w = 22 * mm
    table = Table(
        [[Paragraph(label, cell), Paragraph(value, cell)] for label, value in rows],
        colWidths=[label_w, width - label_w],
    )
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 10.5),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    boxed_rows = [i for i, (label, _) in enumerate(rows) if label == boxed]
    commands += [("BOX", (0, i), (-1, i), 1.4, INK) for i in boxed_rows]
    table.setStyle(TableStyle(commands))
    return table
