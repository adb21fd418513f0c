"""工单 tab of the household file: the room's work orders newest first, each with its
kind, category, status and clock (Enter or a double-click shows the order's full
view), and 新建工单… that opens the intake in 客服 for this room. Read-only here: the
orders are worked in 客服."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QVBoxLayout, QWidget

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.service_desk import Status
from frontdesk.gui.context import AppContext
from frontdesk.gui.navigation import NewWorkOrder, WorkOrderView
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.colours import GREY, RED
from frontdesk.gui.widgets.status import order_clock_text, paint_clock
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.households.file import HouseholdFile
from frontdesk.services.service_desk import views as desk_views
from frontdesk.services.service_desk.views import OrderRow

COLUMNS = ("工单号", "受理时间", "类型", "类别", "状态", "时限", "处理人", "问题描述")
STATUS, CLOCK = 4, 5


def taken_text(at: datetime, today: date) -> str:
    """11-25 09:30 this year, 2025-11-25 before (the whole time is in the tooltip)."""
    local = at.astimezone()
    return f"{local:%m-%d %H:%M}" if local.year == today.year else f"{local:%Y-%m-%d}"


def summary_text(rows: list[OrderRow]) -> str:
    if not rows:
        return "该户没有工单记录。"
    open_rows = [r for r in rows if r.status != Status.CLOSED]
    late = sum(1 for r in rows if r.overdue)
    parts = [f"共 {len(rows)} 张工单，最新的在最上面", f"未完结 {len(open_rows)} 张"]
    if late:
        parts.append(f"<b style='color: {RED}'>已超时 {late} 张</b>")
    return "　·　".join(parts)


class OrdersTab(QWidget):
    """The FileTab of 工单 (see HouseholdFileView.add_tab)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file: HouseholdFile | None = None
        self.rows: list[OrderRow] = []
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.activated.connect(lambda index: self.show_order(index.row()))
        set_headers(self.table, COLUMNS)
        self.summary = QLabel(self)
        self.newButton = QPushButton("新建工单(&N)…", self)
        self.newButton.setToolTip("到 客服 受理本户的报修、投诉、咨询、建议或表扬")
        self.newButton.clicked.connect(self.new_order)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.newButton)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def open_room(self, room_id: int, file: HouseholdFile) -> None:
        self.file, ctx = file, self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: desk_views.room_orders(ctx.db, ctx.actor, room_id),
            title="工单",
        ).success(self._show).run()

    def _show(self, rows: list[OrderRow]) -> None:
        self.rows = rows
        self.summary.setText(summary_text(rows))
        fill_rows(
            self.table,
            [
                (
                    r.number,
                    taken_text(r.taken_at, clock.today()),
                    r.kind.label,
                    r.category,
                    r.status.label + ("（暂停）" if r.paused else ""),
                    order_clock_text(r),
                    r.staff or (r.team.label if r.team else ""),
                    r.description,
                )
                for r in rows
            ],
        )
        for index, row in enumerate(rows):
            paint_clock(self.table, index, row, CLOCK)
            for column in (1, CLOCK):
                item = self.table.item(index, column)
                if item is not None:
                    item.setToolTip(
                        local_time(row.taken_at, seconds=False) if column == 1 else item.text()
                    )
            status = self.table.item(index, STATUS)
            if row.status == Status.CLOSED and status is not None:
                status.setForeground(QBrush(QColor(GREY)))
            description = self.table.item(index, len(COLUMNS) - 1)
            if description is not None:
                description.setToolTip(row.description)
        self.table.setCurrentCell(-1, -1)

    def show_order(self, index: int) -> None:
        """The order's full view (工单详情), opened by the main window over this tab."""
        if not 0 <= index < len(self.rows):
            return
        if not self.ctx.navigator.go(WorkOrderView(self.rows[index].id, self)):
            self.summary.setText(
                f"<span style='color: {RED}'>无法打开工单详情：请到“客服”查看该工单。</span>"
            )

    def new_order(self) -> None:
        """客服's intake with this room as the caller's; a word when it cannot open."""
        if self.file is None:
            return
        if not self.ctx.navigator.go(NewWorkOrder(self.file.room.id)):
            self.summary.setText(
                f"<span style='color: {RED}'>无法打开工单受理：请到“客服”新建工单（按 F6）。</span>"
            )
