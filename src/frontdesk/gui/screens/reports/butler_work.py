"""报表 → 管家工作 (管家责任制): each butler's monthly contact coverage, their quietest
households, care visits due and follow-ups due, and the open work orders and callbacks
owed (what is due first at the top). Butlers see their own buildings; supervisors all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QTableWidget

from frontdesk.domain import clock
from frontdesk.domain.roles import Permission, Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.reports_reports_screen_ui import Ui_ReportsScreen
from frontdesk.gui.qtvalues import cell, qdate
from frontdesk.gui.widgets.status import order_clock_text, paint_clock
from frontdesk.gui.widgets.tables import fill_rows, select_row, set_headers
from frontdesk.services.households import butler_contacts, care
from frontdesk.services.households.butler_contacts import CoverageRow
from frontdesk.services.service_desk import views as desk_views
from frontdesk.services.service_desk.views import OrderRow

MISSED = QColor("#b42318")
ORDER_COLUMNS = ("工单号", "地点", "类别", "状态", "时限")
CALLBACK_COLUMNS = ("工单号", "地点", "类别", "回访时限")


def may_see(ctx: AppContext) -> bool:
    return ctx.actor.role == Role.BUTLER or ctx.can(Permission.VIEW_AUDIT)


def fill(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    set_headers(table, headers)
    fill_rows(table, rows)


class ButlerWork:
    """Drives the 管家工作 tab of the reports screen."""

    def __init__(self, ctx: AppContext, ui: Ui_ReportsScreen) -> None:
        self.ctx, self.ui = ctx, ui
        self.coverage: list[CoverageRow] = []
        ui.monthEdit.setDate(qdate(clock.today()))
        ui.monthEdit.setMaximumDate(qdate(clock.today()))
        ui.monthEdit.dateChanged.connect(lambda _d: self.refresh())
        ui.coverageTable.itemSelectionChanged.connect(self._show_quiet)

    def month(self) -> date:
        chosen = self.ui.monthEdit.date()
        return date(chosen.year(), chosen.month(), 1)

    def refresh(self) -> None:
        ctx, today = self.ctx, clock.today()
        self.coverage = butler_contacts.coverage(ctx.db, ctx.actor, self.month())
        fill(
            self.ui.coverageTable,
            ("管家", "所管住户", "本月已联系", "覆盖率", "是否达标"),
            [
                (
                    c.butler,
                    str(c.households),
                    str(c.contacted),
                    f"{c.percent:.1f}%",
                    "达标" if c.target_met else "未达标",
                )
                for c in self.coverage
            ],
        )
        for r, row in enumerate(self.coverage):
            if not row.target_met:
                cell(self.ui.coverageTable, r, 4).setForeground(QBrush(MISSED))
        due = care.visits_due(ctx.db, ctx.actor, today)
        fill(
            self.ui.careTable,
            ("房号", "关怀对象", "类别", "上次探访", "逾期天数", "管家"),
            [
                (
                    v.room_code,
                    v.person_name,
                    v.category.label,
                    v.last_visit_on.isoformat() if v.last_visit_on else "从未探访",
                    str(v.days_overdue(today)),
                    v.butler,
                )
                for v in due
            ],
        )
        follow = butler_contacts.due_follow_ups(ctx.db, ctx.actor, today)
        fill(
            self.ui.followTable,
            ("跟进日期", "房号", "事由", "管家"),
            [
                (
                    f.follow_up_on.isoformat() if f.follow_up_on else "",
                    f.room_code,
                    f.topic,
                    f.butler,
                )
                for f in follow
            ],
        )
        self._show_orders()
        if self.coverage:
            select_row(self.ui.coverageTable, 0)
        self._show_quiet()

    def _show_orders(self) -> None:
        """The open orders and the callbacks owed in the butler's buildings (all, for a
        supervisor), each with its clock."""
        ui, ctx = self.ui, self.ctx
        orders = desk_views.board(ctx.db, ctx.actor)
        callbacks = desk_views.callback_list(ctx.db, ctx.actor)
        _fill_orders(ui.ordersTable, ORDER_COLUMNS, orders, with_status=True)
        _fill_orders(ui.callbacksTable, CALLBACK_COLUMNS, callbacks, with_status=False)
        late = sum(1 for r in orders if r.overdue)
        ui.ordersTitle.setText(
            f"未完结的工单（{len(orders)}）" + (f"　其中超时 {late}" if late else "")
        )
        ui.callbacksTitle.setText(f"待回访的工单（{len(callbacks)}）")

    def _show_quiet(self) -> None:
        rows = self.ui.coverageTable.selectionModel().selectedRows()
        if not rows or not self.coverage:
            fill(self.ui.quietTable, ("房号", "产权人", "上次联系"), [])
            return
        butler = self.coverage[rows[0].row()]
        quiet = butler_contacts.longest_uncontacted(self.ctx.db, self.ctx.actor, butler.butler_id)
        fill(
            self.ui.quietTable,
            ("房号", "产权人", "上次联系"),
            [
                (
                    q.room_code,
                    "、".join(q.owners),
                    q.last_contact.isoformat() if q.last_contact else "从未联系",
                )
                for q in quiet
            ],
        )
        self.ui.quietTitle.setText(f"{butler.butler}最久未联系的住户")
        self.ui.quietTable.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)


def _fill_orders(
    table: QTableWidget, headers: Sequence[str], rows: list[OrderRow], *, with_status: bool
) -> None:
    status = [r.status.label + ("（暂停）" if r.paused else "") for r in rows]
    fill(
        table,
        headers,
        [
            (r.number, r.where, r.category, *((s,) if with_status else ()), order_clock_text(r))
            for r, s in zip(rows, status, strict=True)
        ],
    )
    for index, row in enumerate(rows):
        paint_clock(table, index, row, len(headers) - 1)
