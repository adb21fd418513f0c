"""升级/逾期投诉: the complaints past their deadline and not yet answered, the longest
overdue first, with an alert line; a supervisor takes each up (督办: a note, a new
person or deadline), anyone on the desk may record its reply (答复)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.roles import Permission
from frontdesk.domain.service_desk import duration_text
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.service_desk_escalations_tab_ui import Ui_EscalationsTab
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.service_desk.complaint_fields import escalation_alert
from frontdesk.gui.screens.service_desk.step_dialogs import ReplyDialog, SuperviseDialog
from frontdesk.gui.widgets.colours import GREEN, RED
from frontdesk.gui.widgets.tables import Cell, fill_sortable, row_id, select_row, set_headers
from frontdesk.services import service_desk
from frontdesk.services.service_desk import EscalationRow

COLUMNS = ("编号", "类别", "位置", "责任人", "处理期限", "超时", "督办", "问题描述")


def escalation_cells(e: EscalationRow) -> list[Cell]:
    r = e.row
    handler = r.staff or (r.team.label if r.team else "未指派")
    handled = f"已督办（{e.supervised_by}）" if e.supervised else "待督办"
    return [
        r.number,
        r.category,
        r.where or "—",
        handler,
        (clock.local_time(e.deadline, seconds=False), e.deadline.timestamp()),
        (duration_text(e.late_by), -e.late_by.total_seconds()),
        handled,
        r.description,
    ]


class EscalationsTab(QWidget):
    """The supervisors' list; `rows` holds what was read last."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[EscalationRow] = []
        self.ui = ui = Ui_EscalationsTab()
        ui.setupUi(self)
        self.table = ui.table
        set_headers(self.table, COLUMNS, stretch=len(COLUMNS) - 1)
        self.supervisor = ctx.can(Permission.MANAGE_SERVICE_DESK)
        ui.superviseButton.clicked.connect(self.supervise)
        ui.replyButton.clicked.connect(self.reply)
        ui.refreshButton.clicked.connect(self.refresh)
        self.table.currentCellChanged.connect(lambda *_a: self._enable())
        refresh_key = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh_key.activated.connect(self.refresh)
        self._enable()

    def refresh(self) -> None:
        chosen = self.selected()
        Op(
            self, self.ctx.tasks, lambda: service_desk.escalations(self.ctx.db, self.ctx.actor)
        ).inline(self.ui.alertLabel, every_message=True).success(
            lambda rows: self.show_rows(rows, chosen.row.id if chosen else None)
        ).run()

    def show_rows(self, rows: list[EscalationRow], chosen: int | None = None) -> None:
        self.rows = rows
        fill_sortable(
            self.table, [escalation_cells(e) for e in rows], set(), [e.row.id for e in rows]
        )
        alert = escalation_alert(rows)
        self.ui.alertLabel.setStyleSheet(f"font-weight: bold; color: {RED};" if alert else "")
        self.ui.alertLabel.setText(alert or "没有超过处理期限的投诉。")
        index = next((i for i in range(len(rows)) if row_id(self.table, i) == chosen), 0)
        if rows:
            select_row(self.table, index)
        self._enable()

    def selected(self) -> EscalationRow | None:
        order_id = row_id(self.table, self.table.currentRow())
        return next((e for e in self.rows if e.row.id == order_id), None)

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.ui.superviseButton.setEnabled(chosen and self.supervisor)
        self.ui.superviseButton.setToolTip(
            ""
            if self.supervisor
            else "督办由主管办理（需要“维护工单类别、承诺时限和维修服务人员”权限）"
        )
        self.ui.replyButton.setEnabled(chosen)

    def supervise(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        dialog = SuperviseDialog(self.ctx, chosen, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say(f"{chosen.row.number} 已督办")

    def reply(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        dialog = ReplyDialog(self.ctx, chosen.row, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say(f"{chosen.row.number} 已答复")

    def _say(self, text: str) -> None:
        self.ui.resultLabel.setStyleSheet(f"font-weight: bold; color: {GREEN};")
        self.ui.resultLabel.setText(text)
        self.refresh()
