"""跟进: households that promised to pay by a day now past and still owe."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.domain import clock
from frontdesk.domain.money import format_yuan
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_follow_tab_ui import Ui_FollowTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.screens.arrears.reminder_dialog import ReminderDialog
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.arrears.listing import ArrearsRow

COLUMNS = ("房号", "业主", "电话", "管家", "欠费合计", "月数", "承诺日", "已过天数", "最近催缴")
TOTAL, MONTHS, LATE = 4, 5, 7


class FollowTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_FollowTab()
        ui.setupUi(self)
        self.rows: list[ArrearsRow] = []
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.headingLabel.setText(
            "<b>承诺缴费日已过仍未缴清的欠费户</b>　请再次联系，并登记结果和新的承诺日。"
        )
        ui.logButton.clicked.connect(self.log_reminder)
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.log_reminder())

    def refresh(self) -> None:
        ctx = self.ctx
        Op(self, ctx.tasks, lambda: arrears.follow_ups(ctx.db, ctx.actor), title="跟进").success(
            self._show
        ).run()

    def _show(self, rows: list[ArrearsRow]) -> None:
        self.rows = rows
        today = clock.today()
        fill_sortable(
            self.ui.table,
            [
                (
                    r.room_code,
                    r.owner,
                    r.phone,
                    r.butler,
                    (format_yuan(r.total_fen), r.total_fen),
                    (str(r.months), r.months),
                    f"{r.promised_on:%Y-%m-%d}" if r.promised_on else "",
                    (str(days := (today - r.promised_on).days), days) if r.promised_on else "",
                    r.last_reminder,
                )
                for r in self.rows
            ],
            {TOTAL, MONTHS, LATE},
            [r.room_id for r in self.rows],
        )
        total = sum(r.total_fen for r in self.rows)
        self.ui.countLabel.setText(f"共 {len(self.rows)} 户，欠费合计 ¥{format_yuan(total)}")

    def selected(self) -> ArrearsRow | None:
        room_id = row_id(self.ui.table, self.ui.table.currentRow())
        return next((r for r in self.rows if r.room_id == room_id), None)

    def log_reminder(self) -> None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("欠费户", "请先在列表中选中一户"))
            return
        if ReminderDialog(self.ctx, row, self).exec():
            self.refresh()
