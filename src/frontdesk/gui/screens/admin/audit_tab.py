"""审计日志: browse who did what, see each entry's field changes, verify the chain."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QFileDialog, QHeaderView, QMessageBox, QWidget

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.admin_audit_tab_ui import Ui_AuditTab
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate, to_date
from frontdesk.gui.screens.admin.audit_model import AuditModel
from frontdesk.gui.widgets.tables import select_row
from frontdesk.printouts import audit_export
from frontdesk.services.progress import Progress
from frontdesk.services.protection import audit
from frontdesk.services.protection.audit import (
    ACTION_LABELS,
    AuditFilter,
    AuditRow,
    ChainCheck,
    Writer,
)
from frontdesk.services.protection.audit_text import change_lines, entry_summary, writer_text

SEARCH_DELAY_MS = 300
DEFAULT_DAYS = 30


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


class AuditTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_AuditTab()
        self.ui.setupUi(self)
        self.model = AuditModel(lambda ids: audit.entry_rows(ctx.db, ctx.actor, ids))
        self.last_check: ChainCheck | None = None
        self._checking = False
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self._setup_table()
        self._setup_filters()
        ui = self.ui
        ui.splitter.setStretchFactor(0, 3)
        ui.splitter.setStretchFactor(1, 1)
        ui.splitter.setSizes([480, 180])
        ui.verifyButton.clicked.connect(self.verify_chain)
        ui.exportButton.clicked.connect(self.export_excel)

    def _setup_table(self) -> None:
        table = self.ui.auditTable
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((170, 110, 90)):
            table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        table.selectionModel().currentRowChanged.connect(lambda current, _: self._show(current))

    def _setup_filters(self) -> None:
        ui = self.ui
        ui.userCombo.addItem("全部", "")
        ui.actionCombo.addItem("全部", "")
        for action, label in ACTION_LABELS.items():
            ui.actionCombo.addItem(label, action)
        today = qdate(clock.today())
        ui.fromDate.setDate(today.addDays(-DEFAULT_DAYS))
        ui.toDate.setDate(today)
        self._enable_dates(False)
        ui.searchEdit.textChanged.connect(lambda _text: self._search_timer.start())
        ui.searchEdit.returnPressed.connect(self.reload)
        ui.userCombo.currentIndexChanged.connect(lambda _i: self.reload())
        ui.actionCombo.currentIndexChanged.connect(lambda _i: self.reload())
        ui.dateCheck.toggled.connect(self._enable_dates)
        ui.dateCheck.toggled.connect(lambda _on: self.reload())
        ui.fromDate.dateChanged.connect(lambda _d: self.reload())
        ui.toDate.dateChanged.connect(lambda _d: self.reload())
        ui.clearButton.clicked.connect(self.clear_filters)

    def _enable_dates(self, on: bool) -> None:
        for widget in (self.ui.fromDate, self.ui.toLabel, self.ui.toDate):
            widget.setEnabled(on)

    # filtering ----------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        ui = self.ui
        since = until = None
        if ui.dateCheck.isChecked():
            first, last = to_date(ui.fromDate.date()), to_date(ui.toDate.date())
            if last < first:
                first, last = last, first
            since = _local_midnight(first)
            until = _local_midnight(last + timedelta(days=1))
        return AuditFilter(
            text=ui.searchEdit.text(),
            username=ui.userCombo.currentData() or "",
            action=ui.actionCombo.currentData() or "",
            since=since,
            until=until,
        )

    def clear_filters(self) -> None:
        ui = self.ui
        for widget in (ui.searchEdit, ui.userCombo, ui.actionCombo, ui.dateCheck):
            widget.blockSignals(True)
        ui.searchEdit.clear()
        ui.userCombo.setCurrentIndex(0)
        ui.actionCombo.setCurrentIndex(0)
        ui.dateCheck.setChecked(False)
        self._enable_dates(False)
        for widget in (ui.searchEdit, ui.userCombo, ui.actionCombo, ui.dateCheck):
            widget.blockSignals(False)
        self.reload()

    def refresh(self) -> None:
        """Refresh the user list of the filter and the entries (new ones appear on top)."""
        combo = self.ui.userCombo
        keep = combo.currentData() or ""
        ctx = self.ctx
        Op(
            self, ctx.tasks, lambda: audit.writers(ctx.db, ctx.actor), title="无法读取审计日志"
        ).success(lambda writers: self._show_writers(writers, keep)).run()

    def _show_writers(self, writers: list[Writer], keep: str) -> None:
        combo = self.ui.userCombo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部", "")
        shared = {w.name for w in writers if [x.name for x in writers].count(w.name) > 1}
        for writer in writers:
            # Two accounts of one name are told apart by their login names.
            text = f"{writer.name}（{writer.username}）" if writer.name in shared else writer.name
            combo.addItem(text, writer.username)
        combo.setCurrentIndex(max(combo.findData(keep), 0))
        combo.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        self._search_timer.stop()
        selected = self.selected_entry()
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda flt: audit.entry_ids(ctx.db, ctx.actor, flt),
            given=self.current_filter,
            title="无法读取审计日志",
        ).success(lambda ids: self._show_ids(ids, selected)).run()

    def _show_ids(self, ids: list[int], selected: AuditRow | None) -> None:
        self.model.set_ids(ids)
        self.ui.countLabel.setText(f"共 {len(ids)} 条")
        position = self.model.row_of(selected.id) if selected else -1
        if position >= 0:
            select_row(self.ui.auditTable, position)
        else:
            self._show(QModelIndex())

    # detail -------------------------------------------------------------------
    def selected_entry(self) -> AuditRow | None:
        index = self.ui.auditTable.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            self.ui.detailHeader.clear()
            self.ui.detailText.clear()
            return
        self.ui.detailHeader.setText(
            f"{local_time(row.at)}　{writer_text(row)}　{row.action_label}　{entry_summary(row)}"
        )
        lines = change_lines(row)
        self.ui.detailText.setPlainText("\n".join(lines) if lines else "（没有字段变更）")

    # chain check --------------------------------------------------------------
    def verify_chain(self) -> None:
        """Recompute the whole hash chain on the task worker, with progress."""
        db = self.ctx.db
        self._checking = True
        self.ui.verifyButton.setEnabled(False)
        self.ui.chainLabel.setStyleSheet("")
        self.ui.chainLabel.setText("正在校验…")

        def work(progress: Progress) -> ChainCheck:
            return audit.verify_chain(db, progress)

        self.ctx.tasks.idle.connect(self._verify_ended)
        self.ctx.tasks.run(self, "正在校验审计日志…", work, self._chain_checked)

    def _verify_ended(self) -> None:
        # The runner emits idle before on_done, and also after a failure or cancel.
        self.ctx.tasks.idle.disconnect(self._verify_ended)
        self.ui.verifyButton.setEnabled(True)
        if self._checking:
            self._checking = False
            self.ui.chainLabel.clear()

    def _chain_checked(self, check: ChainCheck) -> None:
        self._checking = False
        self.last_check = check
        if check.ok:
            text = f"审计日志完整，共 {check.entries} 条"
            if check.head_hash:  # to compare with the position printed on the 收费日报
                text += f"，链首 {audit.short_hash(check.head_hash)}"
            self.ui.chainLabel.setStyleSheet("color: #1b6e3a;")
            self.ui.chainLabel.setText(text)
            QMessageBox.information(self, "校验完整性", text + "。")
            return
        if check.first_broken_id is not None:
            text = f"审计日志第 {check.first_broken_id} 号记录起不完整（共 {check.entries} 条）"
        else:
            text = check.problems()[0]
        self.ui.chainLabel.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.ui.chainLabel.setText(text)
        if check.problems() == [text] and check.unverified:
            QMessageBox.warning(self, "校验完整性", f"{text}。")
            return
        others = [p for p in check.problems() if p != check.problems()[0]]
        more = "".join(f"\n{p}。" for p in others)
        QMessageBox.critical(
            self,
            "校验完整性",
            f"{text}。{more}\n\n该记录或它之前的记录已被改动或删除，请立即报告主管，"
            "并保留当前数据库文件和备份。",
        )

    # export -------------------------------------------------------------------
    def export_excel(self) -> None:
        ids = [self.model.id_at(i) for i in range(self.model.rowCount())]
        if not ids:
            QMessageBox.information(self, "导出 Excel", "当前筛选下没有记录可导出。")
            return
        default = f"审计日志-{clock.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出 Excel", default, "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        ctx = self.ctx

        def work(progress: Progress) -> int:
            return audit_export.export_entries(ctx.db, ctx.actor, ids, path, progress)

        def done(count: int) -> None:
            QMessageBox.information(self, "导出 Excel", f"已导出 {count} 条记录到\n{path}")

        ctx.tasks.run(self, "正在导出审计日志…", work, done)
