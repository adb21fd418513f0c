"""小区房屋统计表: rooms per building by status, with building area and a totals row."""

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
from frontdesk.domain.area import format_m2
from frontdesk.domain.rooms import RoomStatus

TITLE = "小区房屋统计表"


@dataclass(frozen=True)
class BuildingLine:
    building: str
    units: int
    rooms: int
    by_status: dict[RoomStatus, int]
    area_m2_x100: int


def room_summary_pdf(
    head: Letterhead, lines: Sequence[BuildingLine], printed_at: datetime, printed_by: str
) -> bytes:
    width = content_width(A4_PORTRAIT)
    header = ["楼栋", "单元数", "房屋数", *(s.label for s in RoomStatus), "建筑面积（㎡）"]
    rows: list[list[str]] = [header]
    for line in lines:
        rows.append(_cells(line))
    total = BuildingLine(
        "合计",
        sum(line.units for line in lines),
        sum(line.rooms for line in lines),
        {s: sum(line.by_status.get(s, 0) for line in lines) for s in RoomStatus},
        sum(line.area_m2_x100 for line in lines),
    )
    rows.append(_cells(total))
    name_width = 30 * mm
    area_width = 30 * mm
    rest = (width - name_width - area_width) / (len(header) - 2)
    table = grid_table(
        rows,
        [name_width, *([rest] * (len(header) - 2)), area_width],
        total_row=True,
        right_columns=range(1, len(header)),
    )
    story: list[Flowable] = [
        letterhead_block(head, width),
        Spacer(0, 6 * mm),
        Paragraph(TITLE, title_style()),
        Paragraph(
            f"统计截至 {printed_at:%Y年%m月%d日}　　制表人：{escape(printed_by)}",
            style("meta", 9.5),
        ),
        Spacer(0, 3 * mm),
        table,
    ]
    return render(
        story, title=TITLE, author=head.issuer, pagesize=A4_PORTRAIT, printed_at=printed_at
    )


def _cells(line: BuildingLine) -> list[str]:
    return [
        line.building,
        str(line.units),
        str(line.rooms),
        *(str(line.by_status.get(s, 0)) for s in RoomStatus),
        format_m2(line.area_m2_x100),
    ]
