"""装修 tab of the household file: the room's renovations with their status, and the
latest one's history. Read-only: the work is done in 装修 › 装修登记."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.money import format_yuan
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_renovation_tab_ui import Ui_RenovationTab
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.colours import RED
from frontdesk.gui.widgets.status import days_text, paint_status, period
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.households.file import HouseholdFile
from frontdesk.services.renovation import views as renovation_views
from frontdesk.services.renovation.views import EventRow, RenovationRow

COLUMNS = ("编号", "施工单位", "工期", "状态", "剩余天数", "装修项目")
HISTORY_COLUMNS = ("时间", "事项", "经办", "说明")
STATUS = 3


class RenovationTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_RenovationTab()
        ui.setupUi(self)
        set_headers(ui.renovationsTable, COLUMNS)
        set_headers(ui.historyTable, HISTORY_COLUMNS)

    def open_room(self, room_id: int, file: HouseholdFile) -> None:
        ctx = self.ctx

        def read() -> tuple[list[RenovationRow], list[EventRow]]:
            rows = renovation_views.list_renovations(ctx.db, ctx.actor, room_id=room_id)
            return rows, renovation_views.history(ctx.db, ctx.actor, rows[0].id) if rows else []

        Op(self, ctx.tasks, read, title="装修").success(
            lambda found: self._show(file, *found)
        ).run()

    def _show(self, file: HouseholdFile, rows: list[RenovationRow], events: list[EventRow]) -> None:
        ui = self.ui
        fill_rows(
            ui.renovationsTable,
            [
                (
                    r.number,
                    r.contractor,
                    period(r),
                    r.status.label,
                    days_text(r),
                    "、".join(r.scope),
                )
                for r in rows
            ],
        )
        for index, row in enumerate(rows):
            paint_status(ui.renovationsTable, index, row.status, STATUS)
        ui.renovationsTable.setCurrentCell(-1, -1)
        if not rows:
            ui.summaryLabel.setText(f"<b>{escape(file.room.code)} 没有装修登记</b>")
            ui.historyCaption.hide()
            ui.historyTable.hide()
            return
        latest = rows[0]
        red = RED
        parts = [f"<b>{escape(latest.number)} {latest.status.label}</b>", period(latest)]
        if latest.overdue:
            parts.append(f"<b style='color: {red}'>{days_text(latest)}</b>")
        if latest.open_violations:
            parts.append(
                f"<span style='color: {red}'>未整改违规 {latest.open_violations} 起</span>"
            )
        if latest.unpaid_fen:
            parts.append(
                f"<span style='color: {red}'>未缴 {format_yuan(latest.unpaid_fen)} 元</span>"
            )
        ui.summaryLabel.setText(f"共 {len(rows)} 次装修登记　最近：" + "　·　".join(parts))
        ui.historyCaption.setText(f"{latest.number} 办理记录")
        ui.historyCaption.show()
        ui.historyTable.show()
        fill_rows(
            ui.historyTable,
            [(local_time(e.at, seconds=False), e.label, e.by, e.note) for e in events],
        )
        ui.historyTable.setCurrentCell(-1, -1)
