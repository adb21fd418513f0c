"""送达登记: the notices printed and where each one is (已打印，待送达 / 已送达 with its
evidence); select one or several and record their delivery. Only a recorded delivery
makes a 催缴通知单 or 催告函 a written demand (and lets the next level go)."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from frontdesk.domain.money import format_yuan
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_delivery_tab_ui import Ui_DeliveryTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.screens.arrears.common import open_kept_notice
from frontdesk.gui.screens.arrears.delivery_dialog import DeliveryDialog
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.reminders import NoticeRow
from frontdesk.services.households import structure

COLUMNS = ("通知编号", "通知", "房号", "业主", "打印日期", "当时欠费", "送达状态", "特批原因")
OWED, STATE = 5, 6
PENDING_BRUSH = QBrush(QColor("#fff4d6"))


class DeliveryTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_DeliveryTab()
        ui.setupUi(self)
        self.rows: list[NoticeRow] = []
        ui.buildingCombo.addItem("全部楼栋", None)
        for building in structure.list_buildings(ctx.db, ctx.actor):
            ui.buildingCombo.addItem(building.name, building.id)
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.headingLabel.setText(
            "打印的催缴通知须登记送达：当面签收的照回执填写签收人与关系，邮寄的填写挂号信或"
            " EMS 单号。<b>只有登记了送达的通知才算书面催告</b>，诉讼时效自送达日重新起算，"
            "下一级通知也须在送达满 15 天后才能发出。"
        )
        ui.refreshButton.clicked.connect(self.refresh)
        ui.pendingCheck.toggled.connect(lambda _on: self.refresh())
        ui.buildingCombo.currentIndexChanged.connect(lambda _i: self.refresh())
        ui.deliverButton.clicked.connect(self.deliver)
        ui.openButton.clicked.connect(self.open_notice)
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.deliver())

    def refresh(self) -> None:
        ui, ctx = self.ui, self.ctx
        pending_only, building_id = ui.pendingCheck.isChecked(), ui.buildingCombo.currentData()
        Op(
            self,
            ctx.tasks,
            lambda: reminders.printed_notices(
                ctx.db, ctx.actor, pending_only=pending_only, building_id=building_id
            ),
            title="送达登记",
        ).success(self._show).run()

    def _show(self, rows: list[NoticeRow]) -> None:
        ui, self.rows = self.ui, rows
        fill_sortable(
            ui.table,
            [
                (
                    r.number,
                    r.title,
                    r.room_code,
                    r.owner,
                    (f"{r.printed_on:%Y-%m-%d}", r.printed_on.isoformat()),
                    (format_yuan(r.owed_fen), r.owed_fen),
                    r.state,
                    r.override,
                )
                for r in self.rows
            ],
            {OWED},
            [r.reminder_id for r in self.rows],
        )
        for index in range(ui.table.rowCount()):
            item = cell(ui.table, index, STATE)
            if item.text() == "已打印，待送达":
                item.setBackground(PENDING_BRUSH)
        pending = sum(1 for r in self.rows if not r.delivered)
        ui.countLabel.setText(f"共 {len(self.rows)} 份，待送达 {pending} 份")

    def selected(self) -> list[NoticeRow]:
        table = self.ui.table
        ids = {row_id(table, index.row()) for index in table.selectionModel().selectedRows()}
        return [r for r in self.rows if r.reminder_id in ids]

    def deliver(self) -> None:
        chosen = [r for r in self.selected() if not r.delivered]
        if not chosen:
            report_error(self, ValidationError("送达登记", "请先选中待送达的通知（可多选）"))
            return
        if DeliveryDialog(self.ctx, chosen, self).exec():
            self.refresh()

    def open_notice(self) -> None:
        chosen = self.selected()
        if not chosen:
            report_error(self, ValidationError("送达登记", "请先选中一份通知"))
            return
        open_kept_notice(self, self.ctx, chosen[0].number)
