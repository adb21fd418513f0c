"""收缴率: a period's billed, reduced and collected by building and by fee item,
against the work plan's 98% target; printable and exportable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFileDialog, QTableWidget, QWidget

from frontdesk import printouts
from frontdesk.documents.collection_report import below_target, rate_text
from frontdesk.domain.fees import Collection
from frontdesk.domain.money import format_yuan
from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_collection_tab_ui import Ui_CollectionTab
from frontdesk.gui.messages import show_error
from frontdesk.gui.screens.cashier.period_combo import chosen_period, fill_periods
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.printouts import collection_row
from frontdesk.services.fees import collection
from frontdesk.services.fees.collection import CollectionLine

COLUMNS = ("", "应收", "减免", "实收", "未收", "收缴率", "目标")
BELOW_TARGET = QColor("#fbe3e0")
TOTAL_ROW = QColor("#eef1f4")


def rate_of(line: CollectionLine) -> str:
    return rate_text(collection_row(line))


def missed(line: CollectionLine) -> bool:
    """Below the work plan's target; the target is for the office's own income only."""
    own = line.collection in (None, Collection.OWN)
    return own and below_target(collection_row(line), collection.TARGET_RATE)


class CollectionTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_CollectionTab()
        ui.setupUi(self)
        self.preview_reports = True
        self.last_pdf: bytes | None = None
        fill_periods(ui.periodCombo, ahead=0)
        set_headers(ui.buildingTable, ("楼栋", *COLUMNS[1:]))
        set_headers(ui.itemTable, ("收费项目", *COLUMNS[1:]))
        ui.periodCombo.currentIndexChanged.connect(lambda _i: self.refresh())
        ui.previewButton.clicked.connect(self.preview)
        ui.excelButton.clicked.connect(self.export_excel)

    def refresh(self) -> None:
        period = chosen_period(self.ui.periodCombo)
        figures = collection.collection_figures(self.ctx.db, self.ctx.actor, period)
        total = figures.total
        self.ui.summaryLabel.setText(
            f"<b>{period.label} 物业收入收缴率 {rate_of(total)}</b>"
            f"（应收 ¥{format_yuan(total.billed_fen)}，"
            f"减免 ¥{format_yuan(total.reduced_fen)}，"
            f"实收 ¥{format_yuan(total.collected_fen)}，"
            f"未收 ¥{format_yuan(total.outstanding_fen)}）。收缴率 = 实收 ÷（应收 − 减免）。"
            f"本月收回本年往月欠费 ¥{format_yuan(figures.this_year_arrears_fen)}，"
            f"往年欠费 ¥{format_yuan(figures.prior_years_arrears_fen)}。"
            "代收代缴、公共维修资金和押金列在合计之下，不计入物业收入。"
        )
        self._fill(self.ui.buildingTable, [*figures.by_building, total], {len(figures.by_building)})
        own = figures.own_items
        below = [
            line
            for subtotal in figures.other_totals()
            for line in (
                *(x for x in figures.other_items if x.collection == subtotal.collection),
                subtotal,
            )
        ]
        totals = {len(own)} | {
            len(own) + 1 + index for index, line in enumerate(below) if line.name.startswith("小计")
        }
        self._fill(self.ui.itemTable, [*own, total, *below], totals)

    def _fill(self, table: QTableWidget, lines: list[CollectionLine], totals: set[int]) -> None:
        fill_rows(
            table,
            [
                (
                    line.name,
                    format_yuan(line.billed_fen),
                    format_yuan(line.reduced_fen),
                    format_yuan(line.collected_fen),
                    format_yuan(line.outstanding_fen),
                    rate_of(line),
                    "未达标" if missed(line) else "",
                )
                for line in lines
            ],
        )
        bold = table.font()
        bold.setBold(True)
        for row, line in enumerate(lines):
            for column in range(1, table.columnCount() - 1):
                table.item(row, column).setTextAlignment(
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            if row in totals:
                for column in range(table.columnCount()):
                    table.item(row, column).setBackground(QBrush(TOTAL_ROW))
                    table.item(row, column).setFont(bold)
            elif missed(line):
                for column in range(table.columnCount()):
                    table.item(row, column).setBackground(QBrush(BELOW_TARGET))

    def preview(self) -> None:
        period = chosen_period(self.ui.periodCombo)
        try:
            printout = printouts.collection_report(self.ctx.db, self.ctx.actor, period)
        except FrontDeskError as exc:
            show_error(self, exc, "收缴率报表")
            return
        self.last_pdf = printout.pdf
        if self.preview_reports:
            show_printout(self.ctx, printout, self)

    def export_excel(self) -> None:
        period = chosen_period(self.ui.periodCombo)
        path, _ = QFileDialog.getSaveFileName(
            self, "导出收缴率报表", f"收缴率-{period}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        try:
            data = printouts.collection_report_excel(self.ctx.db, self.ctx.actor, period)
            with open(path, "wb") as out:
                out.write(data)
        except (FrontDeskError, OSError) as exc:
            show_error(self, exc, "导出收缴率报表")
