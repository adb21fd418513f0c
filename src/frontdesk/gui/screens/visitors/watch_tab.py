"""黑名单 (supervisors): who or which plate the gate should be warned about, with the
reason and an expiry date; an entry revoked early stays on record."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from frontdesk.domain import clock
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.visitors_watch_dialog_ui import Ui_WatchDialog
from frontdesk.gui.forms.visitors_watch_tab_ui import Ui_WatchTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell, qdate, to_date
from frontdesk.gui.screens.visitors.bookings_tab import paint_row
from frontdesk.gui.widgets.forms import form_fields
from frontdesk.gui.widgets.tables import fill_sortable, row_id, select_row, set_headers
from frontdesk.services.visitors import watchlist
from frontdesk.services.visitors.watchlist import MAX_YEARS, WatchInput, WatchRow

COLUMNS = ("姓名", "电话", "车牌", "证件号码", "原因", "有效期至", "登记人", "状态")
INACTIVE_FOREGROUND = QColor("#8a8f98")


def state_text(row: WatchRow) -> str:
    return "已撤销" if row.removed else "已过期" if row.expired else "有效"


def who(row: WatchRow) -> str:
    return row.name or row.phone or row.plate or row.id_number


def watch_cells(row: WatchRow) -> list[str | tuple[str, object]]:
    return [
        row.name,
        row.phone,
        row.plate,
        row.id_number,
        row.reason,
        row.expires_on.isoformat(),
        row.added_by,
        state_text(row),
    ]


class WatchDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved_id: int | None = None
        self.ui = ui = Ui_WatchDialog()
        ui.setupUi(self)
        today = qdate(clock.today())
        ui.expiresEdit.setDateRange(today.addDays(1), today.addDays(MAX_YEARS * 366))
        ui.expiresEdit.setDate(today.addYears(1))
        self.fields = form_fields(ui.form)
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)

    def chosen(self) -> WatchInput:
        ui = self.ui
        return WatchInput(
            reason=ui.reasonEdit.text(),
            expires_on=to_date(ui.expiresEdit.date()),
            name=ui.nameEdit.text(),
            phone=ui.phoneEdit.text(),
            plate=ui.plateEdit.text(),
            id_number=ui.idEdit.text(),
        )

    def accept(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda entry: watchlist.add_watch(ctx.db, ctx.actor, entry),
            given=self.chosen,
            title="无法保存",
        ).fields(self.fields).success(self._saved).run()

    def _saved(self, saved_id: int) -> None:
        self.saved_id = saved_id
        super().accept()


class WatchTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: dict[int, WatchRow] = {}
        self.ui = ui = Ui_WatchTab()
        ui.setupUi(self)
        set_headers(ui.table, COLUMNS)
        ui.showAllCheck.toggled.connect(lambda _on: self.refresh())
        ui.addButton.clicked.connect(self.add_entry)
        ui.removeButton.clicked.connect(self.remove_selected)
        ui.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def refresh(self, select: int | None = None) -> None:
        """Reload (off the GUI thread), then select `select` if given."""
        ctx, everything = self.ctx, self.ui.showAllCheck.isChecked()
        Op(
            self,
            ctx.tasks,
            lambda: watchlist.list_watch(ctx.db, ctx.actor, include_inactive=everything),
            title="黑名单",
        ).success(lambda rows: self._listed(rows, select)).run()

    def _listed(self, rows: list[WatchRow], select: int | None) -> None:
        self.rows = {r.id: r for r in rows}
        table = self.ui.table
        fill_sortable(table, [watch_cells(r) for r in rows], set(), [r.id for r in rows])
        for index in range(table.rowCount()):
            row = self.rows[row_id(table, index) or 0]
            cell(table, index, 4).setToolTip(row.reason)
            if not row.active:
                paint_row(table, index, INACTIVE_FOREGROUND)
        active = sum(1 for r in rows if r.active)
        self.ui.countLabel.setText(f"有效 {active} 条")
        if select is not None:
            self.select(select)
        self._update_buttons()

    def selected(self) -> WatchRow | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        return self.rows.get(row_id(table, table.currentRow()) or 0)

    def select(self, entry_id: int) -> None:
        table = self.ui.table
        for index in range(table.rowCount()):
            if row_id(table, index) == entry_id:
                select_row(table, index)
                return

    def _update_buttons(self) -> None:
        row = self.selected()
        self.ui.removeButton.setEnabled(row is not None and not row.removed)

    def add_entry(self) -> None:
        dialog = WatchDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh(select=dialog.saved_id)

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("黑名单", "请先在列表中选中一条记录"))
            return
        if not confirm(
            self,
            "撤销黑名单记录",
            f"撤销“{who(row)}”（{row.reason}）？\n撤销后登记访客时不再提示，记录仍保留备查。",
        ):
            return
        db, actor, watch_id = self.ctx.db, self.ctx.actor, row.id
        Op(
            self,
            self.ctx.tasks,
            lambda: watchlist.remove_watch(db, actor, watch_id),
            title="撤销黑名单记录",
        ).success(lambda _: self.refresh()).failure(lambda _: self.refresh()).run()
