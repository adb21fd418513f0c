"""导入业主名册: choose the Excel roster, see every refused row with its reason (a dry
run), then import the accepted rows in one go. The template is one click away."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QTableWidgetItem,
    QWidget,
)

from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_import_dialog_ui import Ui_ImportDialog
from frontdesk.gui.ops import Op
from frontdesk.services.households import roster
from frontdesk.services.households.roster import ImportReport
from frontdesk.services.progress import Progress

EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"


class ImportDialog(QDialog):
    """Signal-free: after a real import, `imported` holds its report."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        self.checked: ImportReport | None = None
        self.imported: ImportReport | None = None
        self.ui = ui = Ui_ImportDialog()
        ui.setupUi(self)
        table = ui.rejectedTable
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels(["行号", "房号", "姓名", "未导入的原因"])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        ui.chooseButton.clicked.connect(self.ask_file)
        ui.templateButton.clicked.connect(self.ask_template)
        ui.reportButton.clicked.connect(self.ask_report)
        ui.importButton.clicked.connect(self.start_import)
        ui.closeButton.clicked.connect(self.accept)

    def ask_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择业主名册", "", EXCEL_FILTER)
        if path:
            self.check(Path(path))

    def check(self, path: Path) -> None:
        """The dry run: the report of what would be imported and what refused."""
        self.path, self.checked, self.imported = path, None, None
        self.ui.fileLabel.setText(str(path))
        self.ui.importButton.setEnabled(False)
        ctx = self.ctx

        def work(progress: Progress) -> ImportReport:
            return roster.import_roster(ctx.db, ctx.actor, path, dry_run=True, progress=progress)

        ctx.tasks.run(self, "正在检查名册…", work, self._checked)

    def _checked(self, report: ImportReport) -> None:
        self.checked = report
        self._show(report)
        refused = f"，{len(report.rejected)} 行不能导入（见下表）" if report.rejected else ""
        self.ui.summaryLabel.setText(
            f"共 {report.rows} 行：可导入 {report.added} 人，涉及 {report.households} 户{refused}。"
            "确认后点“导入”。"
        )
        self.ui.importButton.setText(f"导入 {report.added} 人(&I)")
        self.ui.importButton.setEnabled(report.added > 0)

    def _show(self, report: ImportReport) -> None:
        table = self.ui.rejectedTable
        table.setRowCount(len(report.rejected))
        for r, row in enumerate(report.rejected):
            for c, text in enumerate((str(row.row_number), row.room_text, row.name, row.reason)):
                table.setItem(r, c, QTableWidgetItem(text))
        self.ui.reportButton.setEnabled(bool(report.rejected))

    def start_import(self) -> None:
        path, ctx = self.path, self.ctx
        if path is None:
            return
        self.ui.importButton.setEnabled(False)

        def work(progress: Progress) -> ImportReport:
            return roster.import_roster(ctx.db, ctx.actor, path, progress=progress)

        ctx.tasks.run(self, "正在导入名册…", work, self._imported)

    def _imported(self, report: ImportReport) -> None:
        self.imported = report
        self._show(report)
        self.ui.summaryLabel.setText(
            f"已导入 {report.added} 人，涉及 {report.households} 户；"
            f"{len(report.rejected)} 行未导入。"
        )
        self.ui.importButton.setText("导入(&I)")

    def ask_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "保存名册模板", "业主名册模板.xlsx", EXCEL_FILTER
        )
        if path:
            Op(self, self.ctx.tasks, lambda: roster.write_template(Path(path))).success(
                lambda _: QMessageBox.information(self, "下载模板", f"模板已保存到\n{path}")
            ).run()

    def ask_report(self) -> None:
        report = self.imported or self.checked
        if report is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "保存未导入的行", "未导入的行.xlsx", EXCEL_FILTER
        )
        if path:
            Op(self, self.ctx.tasks, lambda: roster.write_report(report, Path(path))).run()
