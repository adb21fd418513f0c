"""账单生成: the monthly billing run with a dry run first (试算), then the real run
with progress. Running a month twice creates nothing twice."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_billing_tab_ui import Ui_BillingTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.screens.cashier.period_combo import chosen_period, fill_periods
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.fees import billing
from frontdesk.services.fees.billing import BillingResult
from frontdesk.services.progress import Progress

SHOWN_ROWS = 500  # the dry run lists this many bills; the totals cover all


class BillingTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_BillingTab()
        ui.setupUi(self)
        self.result: BillingResult | None = None
        fill_periods(ui.periodCombo, ahead=1)
        ui.periodCombo.setCurrentIndex(1)
        set_headers(ui.itemsTable, ("收费项目", "笔数", "金额（元）"))
        set_headers(
            ui.rowsTable, ("房号", "收费项目", "计费说明", "金额", "减免", "应收", "减免原因")
        )
        ui.previewButton.clicked.connect(self.preview)
        ui.runButton.clicked.connect(self.run)
        ui.summaryLabel.setText("先“试算”查看将生成的账单，核对无误后再“生成账单”。")

    def refresh(self) -> None:
        """Nothing to reload: a run is always started by hand."""

    def _work(self, period: Period, dry_run: bool) -> None:
        ctx = self.ctx

        def work(progress: Progress) -> BillingResult:
            return billing.run_billing(
                ctx.db, ctx.actor, period, dry_run=dry_run, progress=progress
            )

        label = "正在试算" if dry_run else "正在生成"
        ctx.tasks.run(self, f"{label} {period.label}账单…", work, self.show_result)

    def preview(self) -> None:
        self._work(chosen_period(self.ui.periodCombo), True)

    def run(self) -> None:
        period = chosen_period(self.ui.periodCombo)
        if not confirm(
            self, "生成账单", f"确定生成 {period.label}的账单？已生成过的不会重复生成。"
        ):
            return
        self._work(period, False)

    def show_result(self, result: BillingResult) -> None:
        self.result = result
        verb = "将生成" if result.dry_run else "已生成"
        parts = [
            f"<b>{result.period.label}：{verb} {result.bills} 笔账单，"
            f"合计 ¥{format_yuan(result.total_fen)}</b>",
            f"已有账单 {result.already_billed} 笔（不重复生成）",
        ]
        if result.paid_in_old_system:
            parts.append(f"原系统已缴至本月或以后 {result.paid_in_old_system} 笔（不生成）")
        if result.rooms_without_reading:
            parts.append(
                f"<span style='color:#b3261e'>{result.rooms_without_reading} 户上月有读数、"
                "本月未抄表</span>"
            )
        if result.prepaid_rooms:
            parts.append(
                f"预存自动抵扣 {result.prepaid_rooms} 户，¥{format_yuan(result.prepaid_drawn_fen)}"
            )
        if result.dry_run:
            parts.append("（试算，未写入）")
        self.ui.summaryLabel.setText("；".join(parts))
        fill_rows(
            self.ui.itemsTable,
            [(i.fee_item, str(i.bills), format_yuan(i.due_fen)) for i in result.by_item],
        )
        fill_rows(
            self.ui.rowsTable,
            [
                (
                    r.room_code,
                    r.fee_item,
                    r.description,
                    format_yuan(r.amount_fen),
                    format_yuan(r.reduction_fen) if r.reduction_fen else "",
                    format_yuan(r.due_fen),
                    r.reduction_reason,
                )
                for r in result.rows[:SHOWN_ROWS]
            ],
        )
