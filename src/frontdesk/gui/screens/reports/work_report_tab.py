"""报表 → 工作月报: 物业工作月报 (the KPIs against the plan's targets with the month
before and the same month last year, the charts, the work by area, the exceptions) or
a year's figures for the 年度工作总结, shown as the paper itself; printed, saved as PDF
or exported to Excel. Each print and each saved PDF is registered in the 发文登记."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QFileDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.issued import Printout
from frontdesk.domain.periods import Period
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.reports_work_report_tab_ui import Ui_WorkReportTab
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.reports.shown_paper import ShownPaper
from frontdesk.gui.widgets.colours import RED
from frontdesk.gui.widgets.pdf_preview import (
    load_document,
)
from frontdesk.printouts.monthly_report import (
    kpi_text,
    monthly_report,
    monthly_report_excel,
    target_text,
)
from frontdesk.services.figures.monthly import (
    REPORT_PERMISSIONS,
    MonthlyFigures,
    monthly_figures,
    yearly_figures,
)

MONTHS = 24  # the months offered, this one first
YEARS = 3  # then the years, this one first


def may_see(ctx: AppContext) -> bool:
    """Only who may read every part of it: a cashier sees the money, not the butlers."""
    return all(ctx.can(permission) for permission in REPORT_PERMISSIONS)


@dataclass(frozen=True)
class Made:
    figures: MonthlyFigures
    printout: Printout


def summary_text(figures: MonthlyFigures) -> str:
    """The period's KPIs with a target, those below it in red; or that it is empty."""
    if not figures.has_data:
        return f"<b>{figures.label}没有任何记录。</b>"
    parts = [f"<b>{figures.label}</b>"]
    for kpi in figures.kpis:
        if kpi.target is None:
            continue
        text = f"{kpi.name} {kpi_text(kpi)}"
        if kpi.met is False:
            text = (
                f'<span style="color: {RED};">{text}'
                f"（目标 {target_text(kpi.target)}，未达标）</span>"
            )
        parts.append(text)
    return "；".join(parts) + "。"


class WorkReportTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_WorkReportTab()
        ui.setupUi(self)
        self.paper = ShownPaper(ctx, self, "工作月报")
        self._stale = True
        this = Period.of(clock.today())
        for back in range(MONTHS):
            period = this.shifted(-back)
            ui.spanCombo.addItem(f"{period.label}{'（至今）' if not back else ''}", str(period))
        for back in range(YEARS):
            year = this.year - back
            ui.spanCombo.addItem(f"{year}年全年{'（至今）' if not back else ''}", str(year))
        ui.pdfView.setPageMode(QPdfView.PageMode.MultiPage)
        ui.pdfView.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        ui.spanCombo.currentIndexChanged.connect(lambda _i: self.make())
        ui.printButton.clicked.connect(self.paper.ask_print)
        ui.savePdfButton.clicked.connect(self.paper.ask_save)
        ui.excelButton.clicked.connect(self.ask_excel)
        self._enable(False)

    def span(self) -> tuple[Period | None, int | None]:
        """The month chosen, or the year."""
        data = str(self.ui.spanCombo.currentData())
        return (None, int(data)) if len(data) == 4 else (Period.parse(data), None)

    def span_name(self) -> str:
        period, year = self.span()
        return str(period) if period is not None else f"{year}"

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
        (period, year), ctx = self.span(), self.ctx
        self._stale = False

        def build() -> Made:
            if period is not None:
                figures = monthly_figures(ctx.db, ctx.actor, period)
            else:
                assert year is not None
                figures = yearly_figures(ctx.db, ctx.actor, year)
            return Made(figures, monthly_report(ctx.db, ctx.actor, period, year, figures))

        Op(self, ctx.tasks, build, title="工作月报").labelled(
            f"正在生成{self.ui.spanCombo.currentText()}的工作月报…"
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
        path, _ = QFileDialog.getSaveFileName(
            self, "导出工作月报", f"工作月报-{self.span_name()}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.export_excel(Path(path))

    def export_excel(self, path: Path) -> None:
        (period, year), ctx = self.span(), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: path.write_bytes(monthly_report_excel(ctx.db, ctx.actor, period, year)),
            title="导出工作月报",
        ).labelled("正在导出工作月报…").run()
