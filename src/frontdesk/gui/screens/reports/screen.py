"""报表: the community's room statistics, on screen and as a printable PDF; the butlers'
work (butler_work.py), the month's service report (service_report_tab.py) and the
charts of the plan's figures (figures_tab.py), and the
物业工作月报 (work_report_tab.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QWidget

from frontdesk.domain.area import format_m2
from frontdesk.domain.issued import Printout
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import RoomStatus
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.reports_reports_screen_ui import Ui_ReportsScreen
from frontdesk.gui.screens.reports import figures_tab
from frontdesk.gui.screens.reports.butler_work import ButlerWork, may_see
from frontdesk.gui.screens.reports.service_report_tab import ServiceReportTab
from frontdesk.gui.screens.reports.work_report_tab import WorkReportTab
from frontdesk.gui.screens.reports.work_report_tab import may_see as may_see_work_report
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.printouts import room_summary
from frontdesk.services.database import Changes, DataArea
from frontdesk.services.households import structure

HEADERS = ["楼栋", "单元数", "房屋数", *(s.label for s in RoomStatus), "建筑面积(㎡)"]


# Changes that concern this screen: the rooms, the households and their butlers, the
# work orders on the butlers' lists.
WATCHES = (DataArea.STRUCTURE, DataArea.HOUSEHOLDS, DataArea.USERS, DataArea.SERVICE_DESK)
# … and those the charts draw: bills and payments, arrears, visits.
FIGURE_WATCHES = (*WATCHES, DataArea.FEES, DataArea.ARREARS, DataArea.VISITORS)


class ReportsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_ReportsScreen()
        self.ui.setupUi(self)
        table = self.ui.summaryTable
        table.setColumnCount(len(HEADERS))
        table.setHorizontalHeaderLabels(HEADERS)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.ui.previewButton.clicked.connect(self.preview)
        self.butler_work = ButlerWork(ctx, self.ui) if may_see(ctx) else None
        if self.butler_work is None:
            self.ui.tabs.removeTab(self.ui.tabs.indexOf(self.ui.butlerTab))
        self.service_report: ServiceReportTab | None = None
        if ctx.can(Permission.PRINT_REPORTS):
            self.service_report = ServiceReportTab(ctx)
            self.ui.tabs.addTab(self.service_report, "客服月报")
        self.figures: figures_tab.FiguresTab | None = None
        if figures_tab.may_see(ctx):
            self.figures = figures_tab.FiguresTab(ctx)
            self.ui.tabs.addTab(self.figures, "统计图表")
        self.work_report: WorkReportTab | None = None
        if may_see_work_report(ctx):
            self.work_report = WorkReportTab(ctx)
            self.ui.tabs.addTab(self.work_report, "工作月报")

    def changed(self, changes: Changes) -> None:
        if changes.touches(WATCHES):
            self.refresh()
        elif self.figures is not None and changes.touches(FIGURE_WATCHES):
            self.figures.refresh()

    def refresh(self) -> None:
        if self.butler_work is not None:
            self.butler_work.refresh()
        if self.service_report is not None:
            self.service_report.refresh()
        if self.figures is not None:
            self.figures.refresh()
        if self.work_report is not None:
            self.work_report.refresh()
        rows = structure.summary(self.ctx.db, self.ctx.actor)
        table = self.ui.summaryTable
        table.setRowCount(len(rows) + 1)
        totals = [0] * (len(HEADERS) - 1)
        for r, row in enumerate(rows):
            numbers = [row.units, row.rooms, *(row.by_status[s] for s in RoomStatus)]
            totals = [t + n for t, n in zip(totals, [*numbers, row.area_m2_x100], strict=True)]
            self._set_row(r, row.building, numbers, row.area_m2_x100)
        self._set_row(len(rows), "合计", totals[:-1], totals[-1], bold=True)

    def _set_row(
        self, r: int, name: str, numbers: list[int], area: int, bold: bool = False
    ) -> None:
        cells = [name, *(str(n) for n in numbers), format_m2(area)]
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.ui.summaryTable.setItem(r, c, item)

    def preview(self) -> None:
        self.ctx.tasks.run(
            self,
            "正在生成房屋统计表…",
            lambda _progress: room_summary(self.ctx.db, self.ctx.actor),
            self._show_pdf,
            cancellable=False,
        )

    def _show_pdf(self, printout: Printout) -> None:
        show_printout(self.ctx, printout, self)
