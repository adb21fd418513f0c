"""报表 → 客服月报: the month's service report (工单 counts, 及时率, 回访率, satisfaction
against the plan's targets, the month before beside it) shown as the paper itself;
printed, saved as PDF or exported to Excel. Each print and each saved PDF is registered
in the 发文登记 like the other reports; a later copy of the same month is its reprint."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QFileDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.issued import Printout
from frontdesk.domain.periods import Period
from frontdesk.domain.service_report import (
    COMPLAINT_ON_TIME_TARGET,
    COMPLAINT_SATISFIED_TARGET,
    SATISFIED_TARGET,
    Rate,
    percent_text,
)
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.reports_service_report_tab_ui import Ui_ServiceReportTab
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.reports.shown_paper import ShownPaper
from frontdesk.gui.widgets.colours import RED
from frontdesk.gui.widgets.pdf_preview import (
    load_document,
)
from frontdesk.printouts.service_report import service_report, service_report_excel
from frontdesk.services.service_desk.report import ServiceFigures, service_figures

MONTHS = 24  # the months offered, this one first


@dataclass(frozen=True)
class Made:
    figures: ServiceFigures
    printout: Printout


def _rate(name: str, rate: Rate, target: Fraction | None = None) -> str:
    text = f"{name} {rate.text}"
    if target is None or rate.meets(target) is not False:
        return text
    return f'<span style="color: {RED};">{text}（目标 {percent_text(target)}，未达标）</span>'


def summary_text(figures: ServiceFigures) -> str:
    """One line of the month's figures, those below the plan's targets in red."""
    this = figures.this
    parts = [
        f"<b>{this.period.label}：工单 {this.orders} 张</b>（上月 {figures.before.orders} 张）",
        _rate("报修到场及时率", this.arrival.rate),
        _rate("报修完成及时率", this.completion.rate),
        _rate("回访率", this.callback.rate),
        _rate("满意度", this.satisfaction.satisfied, SATISFIED_TARGET),
        _rate("投诉处理及时率", this.complaint_on_time.rate, COMPLAINT_ON_TIME_TARGET),
        _rate("投诉处理满意度", this.complaint_satisfaction.satisfied, COMPLAINT_SATISFIED_TARGET),
    ]
    return "；".join(parts) + "。"


class ServiceReportTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_ServiceReportTab()
        ui.setupUi(self)
        self.paper = ShownPaper(ctx, self, "客服月报")
        self._stale = True
        this = Period.of(clock.today())
        for back in range(MONTHS):
            period = this.shifted(-back)
            ui.monthCombo.addItem(f"{period.label}{'（至今）' if not back else ''}", str(period))
        ui.pdfView.setPageMode(QPdfView.PageMode.MultiPage)
        ui.pdfView.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        ui.monthCombo.currentIndexChanged.connect(lambda _i: self.make())
        ui.printButton.clicked.connect(self.paper.ask_print)
        ui.savePdfButton.clicked.connect(self.paper.ask_save)
        ui.excelButton.clicked.connect(self.ask_excel)
        self._enable(False)

    def period(self) -> Period:
        return Period.parse(str(self.ui.monthCombo.currentData()))

    def refresh(self) -> None:
        """Make the report again now if it is on screen, else when it is next shown."""
        self._stale = True
        if self.isVisible():
            self.make()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.make()

    def make(self) -> None:
        period, ctx = self.period(), self.ctx
        self._stale = False

        def build() -> Made:
            figures = service_figures(ctx.db, ctx.actor, period)
            return Made(figures, service_report(ctx.db, ctx.actor, period, figures))

        Op(self, ctx.tasks, build, title="客服月报").labelled(
            f"正在生成{period.label}客服月报…"
        ).success(self._show).run()

    def _show(self, made: Made) -> None:
        self.paper.printout = made.printout
        self.paper.document = load_document(made.printout.pdf, self)
        self.ui.pdfView.setDocument(self.paper.document)
        self.ui.summaryLabel.setText(summary_text(made.figures))
        self._enable(True)

    def _enable(self, ready: bool) -> None:
        for button in (self.ui.printButton, self.ui.savePdfButton):
            button.setEnabled(ready)

    def ask_excel(self) -> None:
        period = self.period()
        path, _ = QFileDialog.getSaveFileName(
            self, "导出客服月报", f"客服月报-{period}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.export_excel(Path(path))

    def export_excel(self, path: Path) -> None:
        period, ctx = self.period(), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: path.write_bytes(service_report_excel(ctx.db, ctx.actor, period)),
            title="导出客服月报",
        ).labelled("正在导出客服月报…").run()
