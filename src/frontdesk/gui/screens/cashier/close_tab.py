"""交班/日结: what this cashier took since the last close, by method, against the
cash counted; and the day's report for any date as PDF or Excel."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHeaderView, QTableWidget, QWidget

from frontdesk import printouts
from frontdesk.documents.cash_report import OPEN_BANNER, MethodLine, prepaid_text, voided_text
from frontdesk.domain import clock
from frontdesk.domain.issued import Printout
from frontdesk.domain.money import format_yuan
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_close_tab_ui import Ui_CloseTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell, qdate
from frontdesk.gui.screens.cashier.receipts_tab import qdate_to_date
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.fees import cash_close
from frontdesk.services.fees.cash_close import Takings

KIND_LABELS = {"shift": "交班", "day": "日结"}
METHOD_COLUMNS = ("收款方式", "收款", "作废", "退款", "净额")


def method_rows(lines: Sequence[MethodLine]) -> list[tuple[str, ...]]:
    """The printed daily report's lines by method, with their 合计, as table rows;
    none at all when nothing was taken (预存抵扣 is not a method line: see prepaid_text)."""
    if not lines:
        return []
    total = MethodLine(
        "合计",
        sum(line.taken_fen for line in lines),
        sum(line.voided_fen for line in lines),
        sum(line.refunded_fen for line in lines),
    )
    return [
        (
            line.method,
            format_yuan(line.taken_fen),
            format_yuan(line.voided_fen),
            format_yuan(line.refunded_fen),
            format_yuan(line.net_fen),
        )
        for line in [*lines, total]
    ]


def fill_methods(table: QTableWidget, lines: Sequence[MethodLine]) -> None:
    fill_rows(table, method_rows(lines))
    for row in range(table.rowCount()):
        for column in range(1, table.columnCount()):
            cell(table, row, column).setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )


class CloseTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_CloseTab()
        ui.setupUi(self)
        self.takings: Takings | None = None
        self.preview_reports = True
        for table in (ui.methodsTable, ui.dayMethodsTable):
            set_headers(table, METHOD_COLUMNS)
            table.horizontalHeader().setStretchLastSection(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        set_headers(
            ui.dayTable,
            ("收费员", "张数", "收据号段", "作废收据", "应有现金", "实点现金", "日结"),
        )
        ui.countedEdit.textEdited.connect(lambda _t: self._show_difference())
        ui.shiftButton.clicked.connect(lambda: self.close_cash("shift"))
        ui.dayButton.clicked.connect(lambda: self.close_cash("day"))
        ui.reportDayEdit.setDate(qdate(clock.today()))
        ui.reportDayEdit.dateChanged.connect(lambda _d: self._show_day())
        ui.previewButton.clicked.connect(self.preview)
        ui.excelButton.clicked.connect(self.export_excel)
        self.may_take = ctx.can(Permission.TAKE_PAYMENTS)
        ui.shiftBox.setVisible(self.may_take)
        ui.reportBox.setVisible(ctx.can(Permission.VIEW_FINANCE))

    def refresh(self) -> None:
        if self.may_take:
            self.takings = cash_close.open_takings(self.ctx.db, self.ctx.actor)
            self._show_takings(self.takings)
        self._show_day()

    def _show_takings(self, takings: Takings) -> None:
        if takings.empty:
            self.ui.shiftSummary.setText("上次交班以来还没有收款、作废或退款；应有现金 ¥0.00。")
        else:
            receipts = takings.receipts
            span = f"{receipts[0]} 至 {receipts[-1]}" if receipts else "无"
            voided = voided_text(printouts.void_lines(takings, clock.today()))
            prepaid = prepaid_text(takings.prepaid_drawn_fen)
            self.ui.shiftSummary.setText(
                f"收据 <b>{len(receipts)}</b> 张（{span}）；作废：{voided}；"
                f"退款 ¥{format_yuan(takings.refunds_fen)}；"
                f"应有现金 <b>¥{format_yuan(takings.cash_expected_fen)}</b>"
                + (f"<br>{escape(prepaid)}" if prepaid else "")
            )
        fill_methods(self.ui.methodsTable, printouts.method_lines(takings))
        self._show_difference()

    def _show_difference(self) -> None:
        if self.takings is None or not self.ui.countedEdit.text().strip():
            self.ui.differenceLabel.setText("")
            return
        try:
            counted = self.ui.countedEdit.fen()
        except FrontDeskError as exc:
            self.ui.differenceLabel.setText(exc.message)
            return
        difference = counted - self.takings.cash_expected_fen
        if difference == 0:
            text, colour = "账实相符", "#1b7f3b"
        else:
            word = "长款" if difference > 0 else "短款"
            text, colour = f"{word} ¥{format_yuan(abs(difference))}", "#b3261e"
        self.ui.differenceLabel.setText(text)
        self.ui.differenceLabel.setStyleSheet(f"font-weight: bold; color: {colour};")

    def close_cash(self, kind: str) -> None:
        label = KIND_LABELS[kind]
        try:
            counted = self.ui.countedEdit.fen()
        except FrontDeskError as exc:
            report_error(self, exc, label, fields={"实点现金": self.ui.countedEdit})
            return
        warning = "日结后今天不能再收款，今天的收据也只能由主管作废。" if kind == "day" else ""
        if not confirm(self, label, f"实点现金 ¥{format_yuan(counted)}，确定{label}？{warning}"):
            return
        ctx, note = self.ctx, self.ui.noteEdit.text()
        Op(
            self,
            ctx.tasks,
            lambda: cash_close.close_cash(ctx.db, ctx.actor, kind, counted, note),
            title=f"{label}未完成",
        ).success(lambda _: self._closed()).run()

    def _closed(self) -> None:
        self.ui.countedEdit.clear()
        self.ui.noteEdit.clear()
        self.refresh()

    def _show_day(self) -> None:
        if not self.ctx.can(Permission.VIEW_FINANCE):
            return
        day = qdate_to_date(self.ui.reportDayEdit.date())
        totals = cash_close.day_totals(self.ctx.db, self.ctx.actor, day)
        if totals.closed:
            status = f"{day:%Y-%m-%d} 各收费员均已日结。"
        else:
            status = (
                f"<b style='color:#b3261e'>{day:%Y-%m-%d} {OPEN_BANNER}</b>"
                "（所有收费员日结后再打印归档）"
            )
        prepaid = prepaid_text(
            sum(row.takings.prepaid_drawn_fen for row in totals.cashiers),
            totals.auto_drawn_fen,
            totals.auto_drawn_rooms,
        )
        self.ui.dayStatusLabel.setText(status + (f"<br>{escape(prepaid)}" if prepaid else ""))
        day_lines: dict[str, list[int]] = {}
        for row in totals.cashiers:
            for line in printouts.method_lines(row.takings):
                sums = day_lines.setdefault(line.method, [0, 0, 0])
                sums[0] += line.taken_fen
                sums[1] += line.voided_fen
                sums[2] += line.refunded_fen
        fill_methods(
            self.ui.dayMethodsTable,
            [MethodLine(method, *sums) for method, sums in day_lines.items()],
        )
        fill_rows(
            self.ui.dayTable,
            [
                (
                    row.takings.cashier,
                    str(len(row.takings.receipts)),
                    f"{row.takings.receipts[0]}–{row.takings.receipts[-1]}"
                    if row.takings.receipts
                    else "",
                    voided_text(printouts.void_lines(row.takings, day)),
                    format_yuan(row.takings.cash_expected_fen),
                    format_yuan(row.cash_counted_fen) if row.cash_counted_fen is not None else "",
                    "已日结" if row.closed_at else "未日结",
                )
                for row in totals.cashiers
            ],
        )

    def preview(self) -> None:
        day, ctx = qdate_to_date(self.ui.reportDayEdit.date()), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: printouts.daily_report(ctx.db, ctx.actor, day),
            title="收费日报",
        ).labelled("正在生成收费日报…").success(self._show_printout).run()

    def _show_printout(self, printout: Printout) -> None:
        self.last_pdf = printout.pdf
        if self.preview_reports:
            show_printout(self.ctx, printout, self)

    def export_excel(self) -> None:
        day = qdate_to_date(self.ui.reportDayEdit.date())
        path, _ = QFileDialog.getSaveFileName(
            self, "导出收费日报", f"收费日报-{day:%Y%m%d}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: Path(path).write_bytes(printouts.daily_report_excel(ctx.db, ctx.actor, day)),
            title="导出收费日报",
        ).labelled("正在导出收费日报…").run()
