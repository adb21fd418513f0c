"""收缴率: a period's billed, reduced and collected by building and by fee item,
against the work plan's 98% target; printable and exportable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFileDialog, QTableWidget, QWidget

from frontdesk import printouts
from frontdesk.documents.collection_report import below_target, rate_text
from frontdesk.domain.fees import Collection
from frontdesk.domain.issued import Printout
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_collection_tab_ui import Ui_CollectionTab
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.screens.cashier.period_combo import chosen_period, fill_periods
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.printouts import collection_row
from frontdesk.services.fees import collection
from frontdesk.services.fees.collection import CollectionFigures, CollectionLine

COLUMNS = ("", "应收", "减免", "实收", "未收", "收缴率", "目标")
BELOW_TARGET = QColor("#fbe3e0")
TOTAL_ROW = QColor("#eef1f4")


def rate_of(line: CollectionLine) -> str:
    return rate_text(collection_row(line))


def missed(line: CollectionLine) -> bool:
    """Below the work plan's target; the target is for the office's own income only."""
    own = line.collection in (None, Collection.OWN)
    return own and below_target(collection_row(line), collection.TARGET_RATE)


def _carried_text(figures: CollectionFigures) -> str:
    """期初欠费 (数据导入) apart from the rates, as the printed report has it."""
    if not (figures.carried_collected_fen or figures.carried_open_fen):
        return ""
    return (
        f"期初结转欠费（原系统，不计入收缴率）本月收回 "
        f"¥{format_yuan(figures.carried_collected_fen)}，"
        f"尚欠 ¥{format_yuan(figures.carried_open_fen)}。"
    )


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
        """Read the month's figures off the GUI thread (seconds at 20,000 households)."""
        period, ctx = chosen_period(self.ui.periodCombo), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: collection.collection_figures(ctx.db, ctx.actor, period),
            title="收缴率报表",
        ).labelled("正在计算收缴率…").success(lambda figures: self._show(period, figures)).run()

    def _show(self, period: Period, figures: CollectionFigures) -> None:
        total = figures.total
        self.ui.summaryLabel.setText(
            f"<b>{period.label} 物业收入收缴率 {rate_of(total)}</b>"
            f"（应收 ¥{format_yuan(total.billed_fen)}，"
            f"减免 ¥{format_yuan(total.reduced_fen)}，"
            f"实收 ¥{format_yuan(total.collected_fen)}，"
            f"未收 ¥{format_yuan(total.outstanding_fen)}）。收缴率 = 实收 ÷（应收 − 减免）。"
            f"本月收回本年往月欠费 ¥{format_yuan(figures.this_year_arrears_fen)}，"
            f"往年欠费 ¥{format_yuan(figures.prior_years_arrears_fen)}。"
            f"{_carried_text(figures)}"
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
                cell(table, row, column).setTextAlignment(
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            if row in totals:
                for column in range(table.columnCount()):
                    cell(table, row, column).setBackground(QBrush(TOTAL_ROW))
                    cell(table, row, column).setFont(bold)
            elif missed(line):
                for column in range(table.columnCount()):
                    cell(table, row, column).setBackground(QBrush(BELOW_TARGET))

    def preview(self) -> None:
        period, ctx = chosen_period(self.ui.periodCombo), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: printouts.collection_report(ctx.db, ctx.actor, period),
            title="收缴率报表",
        ).labelled("正在生成收缴率报表…").success(self._show_printout).run()

    def _show_printout(self, printout: Printout) -> None:
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
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: Path(path).write_bytes(
                printouts.collection_report_excel(ctx.db, ctx.actor, period)
            ),
            title="导出收缴率报表",
        ).labelled("正在导出收缴率报表…").run()
