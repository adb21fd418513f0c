"""How the states several screens show look and read: a renovation's status and
days left (装修登记, 日常巡查 and the household file's 装修 tab), a move-in's
progress and steps (入伙 and the household file's 入伙 tab), and a work order's
clock (the household file's 工单 tab, the butler's worklist)."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTableWidget

from frontdesk.domain.movein import Progress, Step
from frontdesk.domain.renovation import ACTIVE, Status
from frontdesk.domain.service_desk import Light, clock_words
from frontdesk.gui.widgets.colours import AMBER, BLUE, DARK_GREEN, GREEN, GREY, RED, SLATE
from frontdesk.services.renovation.views import RenovationRow
from frontdesk.services.service_desk.views import OrderRow

RENOVATION_COLOURS = {
    Status.SUBMITTED: SLATE,
    Status.REVIEWED: BLUE,
    Status.APPROVED: BLUE,
    Status.REJECTED: GREY,
    Status.PERMITTED: AMBER,
    Status.IN_PROGRESS: AMBER,
    Status.STOPPED: RED,
    Status.COMPLETED: GREEN,
    Status.SETTLED: DARK_GREEN,
    Status.CLOSED: GREY,
}
PROGRESS_COLOURS = {
    Progress.NOT_BOOKED: SLATE,
    Progress.BOOKED: BLUE,
    Progress.IN_PROGRESS: AMBER,
    Progress.HANDED_OVER: GREEN,
    Progress.MOVED_IN: DARK_GREEN,
}


# renovations ---------------------------------------------------------------------


def days_text(row: RenovationRow) -> str:
    """Days left of a renovation under way ('逾期 3 天' once past its end)."""
    if row.status not in ACTIVE:
        return ""
    if row.overdue:
        return f"逾期 {-row.days_left} 天"
    return f"{row.days_left} 天"


def period(row: RenovationRow) -> str:
    return f"{row.starts_on:%Y-%m-%d} 至 {row.ends_on:%m-%d}"


def paint_status(table: QTableWidget, index: int, status: Status, column: int) -> None:
    """A renovation's status cell in bold, in its status colour."""
    item = table.item(index, column)
    assert item is not None
    item.setForeground(QBrush(QColor(RENOVATION_COLOURS[status])))
    font = QFont(item.font())
    font.setBold(True)
    item.setFont(font)


# move-in ---------------------------------------------------------------------------


def step_title(step: Step) -> str:
    number = list(Step).index(step) + 1
    return f"{number}. {step.label}"


def chip_style(progress: Progress) -> str:
    """White on the progress colour, like the household file's status chip."""
    return (
        f"color: white; background: {PROGRESS_COLOURS[progress]};"
        " border-radius: 9px; padding: 1px 9px;"
    )


# work orders -----------------------------------------------------------------------

LIGHT_COLOURS = {Light.GREEN: GREEN, Light.AMBER: AMBER, Light.RED: RED}


def order_clock_text(row: OrderRow) -> str:
    """A work order's clock (完工剩 3 小时 05 分, 到场已超时 20 分, 已暂停), or — when
    nothing is due (closed)."""
    return clock_words(row.stage, row.remaining, row.paused) or "—"


def paint_clock(table: QTableWidget, index: int, row: OrderRow, column: int) -> None:
    """The clock's cell in its light's colour (green, amber near the promise, red past it)."""
    item = table.item(index, column)
    if item is not None and row.light is not None:
        item.setForeground(QBrush(QColor(LIGHT_COLOURS[row.light])))
