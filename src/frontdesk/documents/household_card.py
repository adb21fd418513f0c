"""户档案卡: one household's file on one A4 page, as masked as the printing user sees it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from frontdesk.documents.base import (
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

TITLE = "户档案卡"
# Rows per section that still fit one page with everything else; the rest is counted.
MAX_ROWS = 8


@dataclass(frozen=True)
class CardSection:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # fractions of the page width


@dataclass(frozen=True)
class HouseholdCard:
    room_code: str
    place: str
    facts: tuple[tuple[str, str], ...]  # (label, value) pairs: area, type, status, butler…
    sections: tuple[CardSection, ...]
    notes: str
    masked: bool


def household_card_pdf(
    head: Letterhead, card: HouseholdCard, printed_at: datetime, printed_by: str
) -> bytes:
    width = content_width(A4_PORTRAIT)
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(0, 4 * mm),
        Paragraph(f"{TITLE}　{escape(card.room_code)}", title_style(16)),
        Paragraph(escape(card.place), style("place", 11)),
        Spacer(0, 2 * mm),
        _facts(card.facts, width),
    ]
    for section in card.sections:
        story += _section(section, width)
    if card.notes:
        story += [
            Spacer(0, 3 * mm),
            Paragraph(f"备注：{escape(card.notes)}", style("notes", 9)),
        ]
    mask_note = (
        "证件号码、电话已按打印人权限遮盖。"
        if card.masked
        else "本页含完整电话，请妥善保管；证件号码一律遮盖。"
    )
    story += [
        Spacer(0, 4 * mm),
        Paragraph(f"打印人：{escape(printed_by)}　　{mask_note}", style("foot", 8.5)),
    ]
    return render(
        story, title=f"{TITLE} {card.room_code}", author=head.issuer, printed_at=printed_at
    )


def _facts(facts: Sequence[tuple[str, str]], width: float) -> Flowable:
    cells = [f"{label}：{value or '—'}" for label, value in facts]
    rows = [cells[i : i + 3] + [""] * (3 - len(cells[i : i + 3])) for i in range(0, len(cells), 3)]
    return grid_table(rows, [width / 3] * 3, header_rows=0)


def _section(section: CardSection, width: float) -> list[Flowable]:
    shown = list(section.rows[:MAX_ROWS])
    flowables: list[Flowable] = [
        Spacer(0, 3 * mm),
        Paragraph(f"{escape(section.title)}（{len(section.rows)}）", style("section", 11)),
        Spacer(0, 1 * mm),
    ]
    if not shown:
        flowables.append(Paragraph("无", style("none", 9)))
        return flowables
    cell = style("cell", 8.5, leading=11)
    rows = [list(section.header)] + [[Paragraph(escape(v), cell) for v in row] for row in shown]
    flowables.append(grid_table(rows, [f * width for f in section.widths]))
    if len(section.rows) > MAX_ROWS:
        flowables.append(
            Paragraph(
                f"另有 {len(section.rows) - MAX_ROWS} 条未列出，详见系统档案。", style("more", 8.5)
            )
        )
    return flowables
