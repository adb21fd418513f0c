"""交接班记录 (A4): one day of the shift handover book — each handover with what every
register handed on, the outgoing clerk's notes and who took the shift when, and the
补记 written after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from frontdesk.documents.base import (
    A4_PORTRAIT,
    Letterhead,
    cell_styles,
    content_width,
    escape,
    grid_table,
    letterhead_block,
    render,
    style,
    title_style,
)
from frontdesk.documents.linebreak import Paragraph

TITLE = "交接班记录"


@dataclass(frozen=True)
class ShiftLogItem:
    register: str  # 访客登记
    text: str  # 在场访客 3 批 5 人
    details: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class ShiftLogEntry:
    heading: str  # 交班 08:02　交班人 王芳
    taken: str  # 接班人 李强 08:10（交接班页面签名确认）, or "" while waiting
    items: tuple[ShiftLogItem, ...]
    notes: str
    note: bool = False  # a 补记: notes only


def shift_log_pdf(
    head: Letterhead,
    day: date,
    entries: Sequence[ShiftLogEntry],
    printed_at: datetime,
    printed_by: str,
) -> bytes:
    width = content_width(A4_PORTRAIT)
    handovers = sum(1 for e in entries if not e.note)
    waiting = sum(1 for e in entries if not e.note and not e.taken)
    meta = f"日期：{day:%Y年%m月%d日}　　交班 {handovers} 次" + (
        f"，待接班确认 {waiting} 次" if waiting else ""
    )
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(0, 5 * mm),
        Paragraph(TITLE, title_style()),
        Paragraph(f"{meta}　　打印人：{escape(printed_by)}", style("meta", 9.5)),
        Spacer(0, 3 * mm),
    ]
    if not entries:
        story.append(Paragraph("当日没有交接班记录。", style("empty", 10.5)))
    for entry in entries:
        story += [KeepTogether(_entry(entry, width)), Spacer(0, 5 * mm)]
    return render(story, title=f"{TITLE} {day:%Y-%m-%d}", author=head.issuer, printed_at=printed_at)


def _entry(entry: ShiftLogEntry, width: float) -> list[Flowable]:
    heading = style("heading", 11, leading=15)
    cell, _right = cell_styles(9.5)
    parts: list[Flowable] = [Paragraph(f"<b>{escape(entry.heading)}</b>", heading)]
    if entry.items:
        rows: list[list[object]] = [["登记簿", "交接事项", "明细"]]
        for item in entry.items:
            details = "<br/>".join(escape(d) for d in item.details) or "—"
            text = escape(item.text)
            rows.append(
                [
                    item.register,
                    Paragraph(f"<b>{text}</b>" if item.count else text, cell),
                    Paragraph(details, cell),
                ]
            )
        parts += [Spacer(0, 1.5 * mm), grid_table(rows, [22 * mm, 72 * mm, width - 94 * mm])]
    label = "补记内容" if entry.note else "交班说明"
    notes = escape(entry.notes).replace("\n", "<br/>") or "（无）"
    parts += [Spacer(0, 1.5 * mm), Paragraph(f"{label}：{notes}", style("notes", 10))]
    if not entry.note:
        taken = (
            escape(entry.taken)
            if entry.taken
            else "接班人签名：＿＿＿＿＿＿＿＿　时间：＿＿＿＿＿＿"
        )
        parts.append(Paragraph(taken, style("taken", 10, spaceBefore=1.5 * mm)))
    return parts
