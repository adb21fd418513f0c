"""批量催缴: choose the households and the level, review the drafts, then print them
all in one PDF (numbered, stored as evidence, one written reminder logged each)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from frontdesk import printouts
from frontdesk.domain import clock
from frontdesk.domain.money import format_yuan
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_batch_tab_ui import Ui_BatchTab
from frontdesk.gui.messages import confirm, show_error
from frontdesk.gui.screens.arrears.common import (
    LEVEL_NAMES,
    chosen_filter,
    fill_levels,
    setup_filters,
)
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.tables import fill_sortable, set_headers
from frontdesk.services import reminders
from frontdesk.services.progress import Progress
from frontdesk.services.reminders import NoticeDraft

COLUMNS = ("房号", "业主", "欠费合计", "最早欠费", "月数", "欠费明细")
TOTAL, MONTHS = 2, 4
DEADLINE_DAYS = 15


class BatchTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_BatchTab()
        ui.setupUi(self)
        self.drafts: list[NoticeDraft] = []
        self.preview_pdf = True  # tests set False
        self.last_pdf: bytes | None = None
        fill_levels(ui.levelCombo)
        ui.levelCombo.setCurrentIndex(1)
        setup_filters(ui, ctx)
        today = QDate(clock.today())
        ui.deadlineEdit.setMinimumDate(today)
        ui.deadlineEdit.setDate(today.addDays(DEADLINE_DAYS))
        set_headers(ui.draftsTable, COLUMNS)
        ui.draftsTable.setSortingEnabled(True)
        ui.levelCombo.currentIndexChanged.connect(lambda _i: self._level_changed())
        ui.generateButton.clicked.connect(self.generate)
        ui.printButton.clicked.connect(self.print_notices)
        ui.hintLabel.setText(
            "先“生成”核对名单，再“打印”。每份通知编号并存档，每户登记一次书面催缴；"
            "催缴通知单、催告函属书面催告，请留存送达凭证（签收或挂号信回执）。"
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
        self.ui.deadlineEdit.setEnabled(self.level >= 2)
        self.ui.printButton.setText(f"打印{LEVEL_NAMES[self.level]}(&P)…")

    def generate(self) -> None:
        try:
            flt = chosen_filter(self.ui)
            self.drafts = reminders.draft_notices(self.ctx.db, self.ctx.actor, flt)
        except FrontDeskError as exc:
            show_error(self, exc, "生成催缴名单")
            return
        self._show()

    def _show(self, printed: str = "") -> None:
        fill_sortable(
            self.ui.draftsTable,
            [
                (
                    d.room_code,
                    d.owner,
                    (format_yuan(d.total_fen), d.total_fen),
                    d.oldest_period,
                    (str(d.months), d.months),
                    "；".join(f"{x.item} {x.periods} {format_yuan(x.amount_fen)}" for x in d.lines),
                )
                for d in self.drafts
            ],
            {TOTAL, MONTHS},
            [d.room_id for d in self.drafts],
        )
        total = sum(d.total_fen for d in self.drafts)
        text = (
            f"<b>共 {len(self.drafts)} 户，欠费合计 ¥{format_yuan(total)}</b>"
            if self.drafts
            else "选择条件后按“生成”，列出要发通知的欠费户。"
        )
        self.ui.summaryLabel.setText(text + printed)
        self.ui.printButton.setEnabled(bool(self.drafts))

    def print_notices(self) -> None:
        if not self.drafts:
            show_error(self, ValidationError("批量催缴", "请先生成要发通知的欠费户名单"))
            return
        level, deadline, drafts = self.level, self.deadline(), list(self.drafts)
        two = self.ui.twoPerPageCheck.isChecked()
        name = LEVEL_NAMES[level]
        if not confirm(
            self,
            "打印催缴通知",
            f"将为 {len(drafts)} 户打印{name}（每份编号存档），并为每户登记一次催缴。确定？",
        ):
            return
        ctx = self.ctx

        def work(progress: Progress) -> bytes:
            return printouts.print_reminders(
                ctx.db,
                ctx.actor,
                drafts,
                level,
                deadline=deadline,
                two_per_page=two,
                on_progress=progress.step,
            )

        ctx.tasks.run(
            self, f"正在生成 {len(drafts)} 份{name}…", work, lambda pdf: self._printed(pdf, name)
        )

    def _printed(self, pdf: bytes, name: str) -> None:
        self.last_pdf = pdf
        done = f"已生成 {len(self.drafts)} 份{name}并为每户登记催缴"
        self._show(f"；<span style='color:#1e7b34'>{done}</span>")
        if self.preview_pdf:
            filename = f"{name}-{clock.today():%Y%m%d}.pdf"
            PdfPreviewDialog(pdf, name, filename, self).exec()
