"""批量催缴: choose the households and the level, review the drafts (a household not
yet due for the level says why; a supervisor may override it with a reason), preview
the batch (nothing is recorded), and print or save it from the preview: only then is
each notice numbered, stored as evidence and recorded 已打印，待送达. Its delivery is
recorded later on the 送达登记 tab."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QInputDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.issued import Output
from frontdesk.domain.money import format_yuan
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_batch_tab_ui import Ui_BatchTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell, qdate
from frontdesk.gui.screens.arrears.common import (
    LEVEL_NAMES,
    chosen_filter,
    fill_levels,
    setup_filters,
)
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.printouts import reminders as printed
from frontdesk.printouts.reminders import ReminderBatch
from frontdesk.services.arrears import reminders
from frontdesk.services.arrears.reminders import OVERRIDE_PERMISSION, NoticeDraft
from frontdesk.services.progress import Progress

COLUMNS = ("房号", "业主", "物业费欠费", "代收另列", "最早欠费", "月数", "能否发送", "欠费明细")
TOTAL, ON_BEHALF, MONTHS, STATE = 2, 3, 5, 6
DEADLINE_DAYS = 15
REFUSED_BRUSH = QBrush(QColor("#fbe3e0"))


class BatchTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_BatchTab()
        ui.setupUi(self)
        self.drafts: list[NoticeDraft] = []
        self.overrides: dict[int, str] = {}  # room id -> the supervisor's reason
        self.preview_pdf = True  # tests set False
        self.last_pdf: bytes | None = None
        self.batch: ReminderBatch | None = None
        self.recorded = ""  # the register number once the batch was printed or saved
        fill_levels(ui.levelCombo)  # opens on level 1 温馨提示: the first notice of any debt
        setup_filters(ui, ctx)
        today = qdate(clock.today())
        ui.deadlineEdit.setMinimumDate(today)
        ui.deadlineEdit.setDate(today.addDays(DEADLINE_DAYS))
        set_headers(ui.draftsTable, COLUMNS)
        ui.draftsTable.setSortingEnabled(True)
        ui.levelCombo.currentIndexChanged.connect(lambda _i: self._level_changed())
        ui.generateButton.clicked.connect(self.generate)
        ui.printButton.clicked.connect(self.print_notices)
        ui.overrideButton.clicked.connect(self.override)
        ui.overrideButton.setVisible(ctx.can(OVERRIDE_PERMISSION))
        ui.hintLabel.setText(
            "先“生成”核对名单，再“预览并打印”：预览不登记，在预览中打印或保存后，"
            "每份通知才编号存档并登记为“已打印，待送达”。催缴通知单须在温馨提示送达满 15 天后、"
            "催告函须在催缴通知单送达满 15 天后发出；送达后请在“送达登记”中登记签收或挂号信单号，"
            "诉讼时效自登记的送达日重新起算。"
        )
        self._level_changed()
        self._show()

    def refresh(self) -> None:
        """The drafts stay as generated until 生成 is pressed again."""

    @property
    def level(self) -> int:
        return int(self.ui.levelCombo.currentData())

    def deadline(self) -> date | None:
        if self.level < 2:
            return None
        value = self.ui.deadlineEdit.date()
        return date(value.year(), value.month(), value.day())

    def _level_changed(self) -> None:
        ui = self.ui
        ui.deadlineEdit.setEnabled(self.level >= 2)
        if self.level >= 2:  # one a page, with its tear-off 送达回执
            ui.twoPerPageCheck.setChecked(False)
        ui.twoPerPageCheck.setEnabled(self.level < 2)
        ui.printButton.setText(f"预览并打印{LEVEL_NAMES[self.level]}(&P)…")
        if self.drafts:  # what may go depends on the level: draft again
            self.generate()

    def generate(self) -> None:
        ctx, level = self.ctx, self.level
        Op(
            self,
            ctx.tasks,
            lambda flt: reminders.draft_notices(ctx.db, ctx.actor, flt, level=level),
            given=lambda: chosen_filter(self.ui),
            title="生成催缴名单",
        ).fields({"最少欠费": self.ui.minAmountEdit}).success(self._drafted).run()

    def _drafted(self, drafts: list[NoticeDraft]) -> None:
        self.drafts = drafts
        self.overrides = {}
        self._show()

    def _state(self, draft: NoticeDraft) -> str:
        if not draft.refusal:
            return "可发送"
        if draft.room_id in self.overrides:
            return f"主管特批：{self.overrides[draft.room_id]}"
        return f"不可发送：{draft.refusal}"

    def _show(self, printed: str = "") -> None:
        table = self.ui.draftsTable
        fill_sortable(
            table,
            [
                (
                    d.room_code,
                    d.owner,
                    (format_yuan(d.total_fen), d.total_fen),
                    (format_yuan(d.on_behalf_fen) if d.on_behalf_fen else "", d.on_behalf_fen),
                    d.oldest_period,
                    (str(d.months), d.months),
                    self._state(d),
                    "；".join(f"{x.item} {x.periods} {format_yuan(x.amount_fen)}" for x in d.lines),
                )
                for d in self.drafts
            ],
            {TOTAL, ON_BEHALF, MONTHS},
            [d.room_id for d in self.drafts],
        )
        by_room = {d.room_id: d for d in self.drafts}
        for index in range(table.rowCount()):
            draft = by_room.get(row_id(table, index) or 0)
            if draft is not None and draft.refusal and draft.room_id not in self.overrides:
                cell(table, index, STATE).setBackground(REFUSED_BRUSH)
        total = sum(d.total_fen for d in self.drafts)
        refused = self.refused()
        text = (
            f"<b>共 {len(self.drafts)} 户，物业服务费等欠费合计 ¥{format_yuan(total)}</b>"
            if self.drafts
            else "选择条件后按“生成”，列出要发通知的欠费户。"
        )
        if refused:
            text += (
                f"；<span style='color:#b3261e'>{len(refused)} 户不可发送"
                f"{LEVEL_NAMES[self.level]}（红底）：请先发并登记送达上一级通知，"
                "或不打印这些户，或由主管特批</span>"
            )
        self.ui.summaryLabel.setText(text + printed)
        self.ui.printButton.setEnabled(bool(self.drafts))

    def refused(self) -> list[NoticeDraft]:
        return [d for d in self.drafts if d.refusal and d.room_id not in self.overrides]

    def selected_drafts(self) -> list[NoticeDraft]:
        table = self.ui.draftsTable
        rows = {index.row() for index in table.selectionModel().selectedRows()}
        ids = {row_id(table, row) for row in rows}
        return [d for d in self.drafts if d.room_id in ids]

    def override(self, reason: str | None = None) -> None:
        """A supervisor lets the selected households not yet due have this level anyway."""
        chosen = [d for d in self.selected_drafts() if d.refusal]
        if not chosen:
            report_error(self, ValidationError("主管特批", "请先选中标为“不可发送”的户"))
            return
        if reason is None:
            reason, ok = QInputDialog.getText(
                self,
                "主管特批",
                f"为 {len(chosen)} 户越级发送{LEVEL_NAMES[self.level]}，"
                "原因（存档并记入审计日志）：",
            )
            if not ok:
                return
        if len(reason.strip()) < 4:
            report_error(self, ValidationError("特批原因", "请写明越级发送的原因（至少 4 个字）"))
            return
        for draft in chosen:
            self.overrides[draft.room_id] = reason.strip()
        self._show()

    def print_notices(self) -> None:
        """Render the batch (records nothing) and open it in the preview; printing or
        saving it there records each notice as 已打印，待送达."""
        if not self.drafts:
            report_error(self, ValidationError("批量催缴", "请先生成要发通知的欠费户名单"))
            return
        level, deadline = self.level, self.deadline()
        refused = {d.room_id for d in self.refused()}
        drafts = [d for d in self.drafts if d.room_id not in refused]
        if refused and not confirm(
            self,
            "打印催缴通知",
            f"{len(refused)} 户不可发送{LEVEL_NAMES[level]}，将不打印；"
            f"其余 {len(drafts)} 户生成预览。确定？",
        ):
            return
        if not drafts:
            report_error(self, ValidationError("通知级别", "名单中没有可发送该级通知的户"))
            return
        two = self.ui.twoPerPageCheck.isChecked() and level < 2
        overrides = {k: v for k, v in self.overrides.items() if k in {d.room_id for d in drafts}}
        ctx = self.ctx
        name = LEVEL_NAMES[level]

        def work(progress: Progress) -> ReminderBatch:
            return printed.prepare_reminders(
                ctx.db,
                ctx.actor,
                drafts,
                level,
                deadline=deadline,
                two_per_page=two,
                overrides=overrides,
                on_progress=progress.step,
            )

        ctx.tasks.run(self, f"正在生成 {len(drafts)} 份{name}…", work, self._generated)

    def _generated(self, batch: ReminderBatch) -> None:
        self.batch, self.recorded = batch, ""
        self.last_pdf = batch.pdf
        name = LEVEL_NAMES[batch.level]
        self._show(f"；已生成 {len(batch.drafts)} 份{name}预览（尚未登记）")
        if self.preview_pdf:
            filename = f"{name}-{clock.today():%Y%m%d}.pdf"
            PdfPreviewDialog(
                batch.pdf, name, filename, self, before_output=self.record_batch
            ).exec()

    def record_batch(self, how: Output) -> bool:
        """Before the batch is printed or saved: record it (once). False stops the output."""
        batch = self.batch
        if batch is None:
            return False
        if self.recorded:  # printed again, or saved after printing: recorded once
            return True
        ctx = self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda: printed.record_printed(ctx.db, ctx.actor, batch, how),
                title="登记催缴通知",
            )
            .success(lambda number: self._recorded(batch, number))
            .now()
        )

    def _recorded(self, batch: ReminderBatch, number: str) -> None:
        self.recorded = number
        name = LEVEL_NAMES[batch.level]
        done = (
            f"已登记 {len(batch.drafts)} 份{name}（发文登记号 {number}），"
            "状态“已打印，待送达”，送达后请在“送达登记”中登记"
        )
        self._show(f"；<span style='color:#1e7b34'>{done}</span>")
