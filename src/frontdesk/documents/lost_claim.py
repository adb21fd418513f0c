"""失物认领单: an A5 sheet the claimant signs when an item found is handed over; the
office keeps it with the register. The claimant's phone and ID number are masked."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from frontdesk.documents.base import (
    Letterhead,
    content_width,
    escape,
    letterhead_block,
    register_font,
    render,
    style,
)
from frontdesk.documents.cash_report import signature_lines
from frontdesk.documents.goods_pass import MARGIN_MM, labelled_table
from frontdesk.documents.linebreak import Paragraph

TITLE = "失物认领单"
PLEDGE = (
    "本人确认上述物品为本人所有，已当面查验并领回，物品完好。如有冒领，由本人承担全部法律责任。"
)


@dataclass(frozen=True)
class LostClaimDoc:
    number: str
    category: str
    description: str
    found: str  # 2026-11-25 08:00 3 栋大堂
    claimant: str
    phone: str  # masked
    id_text: str  # 查验身份证件 110***********4514
    claimed_at: str
    handed_by: str


def lost_claim_pdf(head: Letterhead, doc: LostClaimDoc) -> bytes:
    register_font()
    width = content_width(A5, MARGIN_MM)
    rows = [
        ("登记号", escape(doc.number)),
        ("物品", escape(f"{doc.category}：{doc.description}")),
        ("拾获", escape(doc.found)),
        ("认领人", escape(f"{doc.claimant}　电话 {doc.phone}")),
        ("身份核验", escape(doc.id_text)),
        ("领取时间", escape(doc.claimed_at)),
        ("经办人", escape(doc.handed_by)),
    ]
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(1, 4 * mm),
        Paragraph(TITLE, style("lc_title", 20, alignment=TA_CENTER, leading=26)),
        Spacer(1, 4 * mm),
        labelled_table(rows, width, boxed="物品"),
        Spacer(1, 4 * mm),
        Paragraph(escape(PLEDGE), style("lc_pledge", 10)),
        Spacer(1, 10 * mm),
        signature_lines(("认领人", "日期"), width),
        Spacer(1, 4 * mm),
        signature_lines(("经办人", "日期"), width),
    ]
    return render(
        story,
        title=f"{TITLE} {doc.number}",
        author=head.issuer,
        pagesize=A5,
        margins_mm=MARGIN_MM,
        numbered=False,
    )
