"""欠费清单: who owes what and for how long, who reminded them last; for a butler the
households of their own buildings (我负责的欠费户). Logs a reminder, shows the log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.arrears import AgingBucket
from frontdesk.domain.money import format_yuan
from frontdesk.domain.roles import Permission, Role
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_list_tab_ui import Ui_ListTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.screens.arrears.common import chosen_filter, open_kept_notice, setup_filters
from frontdesk.gui.screens.arrears.reminder_dialog import ReminderDialog
from frontdesk.gui.widgets.tables import fill_sortable, row_id, select_row, set_headers
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.arrears.listing import ArrearsReport, ArrearsRow

COLUMNS = (
    "房号",
    "业主",
    "电话",
    "管家",
    "欠费合计",
    "最早欠费",
    "月数",
    "账龄",
    "滞纳金",
    "最近催缴",
    "承诺日",
    "时效提示",
)
TOTAL, MONTHS, LATE_FEE = 4, 6, 8
LOG_COLUMNS = ("时间", "催缴人", "方式", "当时欠费", "结果", "承诺日", "送达", "通知编号")
LIMITATION_BRUSH = QBrush(QColor("#fbe3e0"))
BUCKET_ORDER = {bucket: index for index, bucket in enumerate(AgingBucket)}


def _day(value: date | None) -> tuple[str, str]:
    return (f"{value:%Y-%m-%d}", value.isoformat()) if value else ("", "")


def _total_text(row: ArrearsRow) -> str:
    """The total, saying how much of it the old system carried over (期初)."""
    carried = row.carried_over_fen
    total = format_yuan(row.total_fen)
    return f"{total}（含期初 {format_yuan(carried)}）" if carried else total


def arrears_cells(row: ArrearsRow) -> list[str | tuple[str, object]]:
    return [
        row.room_code,
        row.owner,
        row.phone,
        row.butler,
        (_total_text(row), row.total_fen),
        (row.oldest_period, row.items[0].due_on.isoformat() if row.items else ""),
        (str(row.months), row.months),
        (row.bucket.label, BUCKET_ORDER[row.bucket]),
        (format_yuan(row.late_fee_fen) if row.late_fee_fen else "", row.late_fee_fen),
        (row.last_reminder, row.last_reminder_on.isoformat() if row.last_reminder_on else ""),
        _day(row.promised_on),
        row.limitation,
    ]


class ListTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_ListTab()
        ui.setupUi(self)
        self.report = ArrearsReport()
        self.export_path: str | None = None
        self._by_room: dict[int, ArrearsRow] = {}
        setup_filters(ui, ctx)
        set_headers(ui.table, COLUMNS)
        set_headers(ui.logTable, LOG_COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.table.sortByColumn(MONTHS, Qt.SortOrder.DescendingOrder)
        ui.splitter.setStretchFactor(0, 3)
        ui.splitter.setStretchFactor(1, 1)
        butler = ctx.actor.role == Role.BUTLER
        ui.headingLabel.setText(
            "我负责的欠费户（本人管家楼栋）" if butler else "欠费户（往月未缴，一次性收费逾 30 天）"
        )
        ui.hintLabel.setText(
            "红底：诉讼时效将届满或已届满，请尽快书面催告（以登记的送达日计，打印不算）"
        )
        ui.waiveButton.setVisible(ctx.can(Permission.GRANT_REDUCTIONS))
        ui.queryButton.clicked.connect(self.refresh)
        ui.minAmountEdit.returnPressed.connect(self.refresh)
        for combo in (ui.buildingCombo, ui.bucketCombo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        ui.minMonthsSpin.valueChanged.connect(lambda _v: self.refresh())
        ui.table.itemSelectionChanged.connect(self.show_log)
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.log_reminder())
        ui.logTable.cellDoubleClicked.connect(lambda row, _c: self.open_notice(row))
        ui.logTable.setToolTip("双击有通知编号的记录，打开当时打印并存档的通知")
        ui.logButton.clicked.connect(self.log_reminder)
        ui.waiveButton.clicked.connect(self.waive)
        ui.exportButton.clicked.connect(self.export_excel)

    def refresh(self) -> None:
        """Read the list off the GUI thread (it is the slowest read at the counter)."""
        chosen, ctx = self.selected_room_id(), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda flt: arrears.arrears_report(ctx.db, ctx.actor, flt),
            given=lambda: chosen_filter(self.ui),
            title="欠费清单",
        ).fields({"最少欠费": self.ui.minAmountEdit}).success(
            lambda report: self._loaded(report, chosen)
        ).run()

    def _loaded(self, report: ArrearsReport, chosen: int | None) -> None:
        self.report = report
        self._show()
        if chosen is not None:
            self.select_room(chosen)
        self.show_log()

    def _show(self) -> None:
        ui, report = self.ui, self.report
        fill_sortable(
            ui.table,
            [arrears_cells(r) for r in report.rows],
            {TOTAL, MONTHS, LATE_FEE},
            [r.room_id for r in report.rows],
        )
        self._by_room = {r.room_id: r for r in report.rows}
        for index in range(ui.table.rowCount()):
            row = self._by_room[row_id(ui.table, index) or 0]
            if row.late_fees:  # itemised: which bill, which month, how much
                cell(ui.table, index, LATE_FEE).setToolTip(
                    "\n".join(f"{what}：¥{format_yuan(fen)}" for what, fen in row.late_fees)
                )
            if row.limitation:
                for column in range(ui.table.columnCount()):
                    item = cell(ui.table, index, column)
                    item.setBackground(LIMITATION_BRUSH)
                    item.setToolTip(row.limitation)
        buckets = report.by_bucket()
        parts = [
            f"<b>共 {len(report.rows)} 户，欠费合计 ¥{format_yuan(report.total_fen)}</b>",
            *(
                f"{bucket.label} ¥{format_yuan(buckets[bucket])}"
                for bucket in AgingBucket
                if bucket in buckets
            ),
        ]
        late = sum(r.late_fee_fen for r in report.rows)
        if late:
            parts.append(f"滞纳金 ¥{format_yuan(late)}")
        ui.totalsLabel.setText("；".join(parts))

    def selected_room_id(self) -> int | None:
        return row_id(self.ui.table, self.ui.table.currentRow())

    def selected(self) -> ArrearsRow | None:
        room_id = self.selected_room_id()
        return None if room_id is None else self._by_room.get(room_id)

    def select_room(self, room_id: int) -> bool:
        table = self.ui.table
        for index in range(table.rowCount()):
            if row_id(table, index) == room_id:
                select_row(table, index)
                return True
        return False

    def show_log(self) -> None:
        room_id = self.selected_room_id()
        if room_id is None:
            self.ui.logCaption.setText("催缴记录（选中一户查看）")
            fill_sortable(self.ui.logTable, [], set())
            return
        log = arrears.reminder_log(self.ctx.db, self.ctx.actor, room_id)
        row = self._by_room.get(room_id)
        code = row.room_code if row else ""
        self.ui.logCaption.setText(f"催缴记录：{code}（{len(log)} 次）")
        fill_sortable(
            self.ui.logTable,
            [
                (
                    r.at,
                    r.by,
                    r.channel + (f"（{r.level}级通知）" if r.level else ""),
                    format_yuan(r.owed_fen),
                    r.outcome,
                    f"{r.promised_on:%Y-%m-%d}" if r.promised_on else "",
                    r.delivery + (f"；{r.override}" if r.override else ""),
                    r.notice_number,
                )
                for r in log
            ],
            {3},
        )

    def open_notice(self, row: int) -> None:
        """The very PDF the notice was printed in, kept by its hash (evidence)."""
        item = self.ui.logTable.item(row, len(LOG_COLUMNS) - 1)
        number = item.text() if item is not None else ""
        if not number:
            return
        open_kept_notice(self, self.ctx, number)

    def _need_selection(self) -> ArrearsRow | None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("欠费户", "请先在列表中选中一户"))
        return row

    def log_reminder(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        dialog = ReminderDialog(self.ctx, row, self)
        if dialog.exec():
            self.refresh()

    def waive(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        if not row.late_fee_fen:
            report_error(self, ValidationError("减免滞纳金", f"{row.room_code} 目前没有滞纳金"))
            return
        reason, ok = QInputDialog.getText(
            self,
            "减免滞纳金",
            f"{row.room_code} 截至今日的滞纳金 ¥{format_yuan(row.late_fee_fen)} 不再计收，原因：",
        )
        if not ok:
            return
        if not confirm(self, "减免滞纳金", f"确定减免 {row.room_code} 截至今日的滞纳金？"):
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: arrears.waive_late_fees(ctx.db, ctx.actor, row.room_id, reason),
            title="减免滞纳金",
        ).success(lambda _: self.refresh()).run()

    def export_excel(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出欠费清单", f"欠费清单-{clock.today():%Y%m%d}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        listed = self.report
        Op(
            self,
            self.ctx.tasks,
            lambda: arrears.write_arrears_xlsx(listed, Path(path)),
            title="导出欠费清单",
        ).labelled("正在导出欠费清单…").success(lambda _: self._exported(path)).run()

    def _exported(self, path: str) -> None:
        self.export_path = path
