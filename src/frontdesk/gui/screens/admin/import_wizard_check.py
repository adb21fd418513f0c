"""The wizard's pages 4 and 5: the check (the file's totals and what the import adds, the
new buildings to confirm, every refused row, the first rows as they will be stored; the
report saved on request) with 导入 committing it all or nothing; then the totals before
and after, to tick against the old system's, and the mapping saved under a name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWizardPage,
)

from frontdesk.domain.onboarding import Totals
from frontdesk.gui.context import AppContext
from frontdesk.gui.messages import show_error
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.admin.import_choices import ImportChoices
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services import onboarding
from frontdesk.services.onboarding import ImportDone, ImportPlan, reading
from frontdesk.services.onboarding.report import total_rows
from frontdesk.services.progress import Progress

EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
REFUSAL_COLUMNS = ("工作表", "行号", "列", "原因")


def read_only_table(headers: Sequence[str], stretch: int | None = None) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    set_headers(table, headers, stretch)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def totals_table(headers: Sequence[str]) -> QTableWidget:
    """The nine figures whole, without a scroll bar: they are what the clerk ticks."""
    table = read_only_table(headers)
    rows = len(fields(Totals))
    table.setFixedHeight(
        table.horizontalHeader().sizeHint().height()
        + rows * table.verticalHeader().defaultSectionSize()
        + 2 * table.frameWidth()
    )
    return table


class CheckPage(QWizardPage):
    def __init__(self, ctx: AppContext, choices: ImportChoices) -> None:
        super().__init__()
        self.ctx = ctx
        self.choices = choices
        self.running = False
        self.setTitle("第 4 步：检查")
        self.setSubTitle(
            "请把文件合计与原系统的合计逐项核对。有不能导入的行时整个文件不导入：改正文件后重新选择。"
        )
        self.setCommitPage(True)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.totals = totals_table(("项目", "文件合计", "本次新增"))
        self.totals.setFixedWidth(400)
        top.addWidget(self.totals)
        right = QVBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        right.addWidget(self.summary)
        self.buildings = QLabel()
        self.buildings.setWordWrap(True)
        right.addWidget(self.buildings)
        self.confirm = QCheckBox("以上新楼栋无误，导入时新建(&C)")
        right.addWidget(self.confirm)
        self.report_button = QPushButton("保存检查报告(&R)…")
        self.report_button.setAutoDefault(False)
        right.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addStretch(1)
        top.addLayout(right, 1)
        layout.addLayout(top)
        self.refused_caption = QLabel("不能导入的行(&W)：")
        layout.addWidget(self.refused_caption)
        self.refusals = read_only_table(REFUSAL_COLUMNS, stretch=3)
        self.refused_caption.setBuddy(self.refusals)
        layout.addWidget(self.refusals, 1)
        preview_caption = QLabel("导入后的样子（前几行）(&P)：")
        layout.addWidget(preview_caption)
        self.preview = read_only_table(())
        preview_caption.setBuddy(self.preview)
        layout.addWidget(self.preview, 1)
        self.confirm.toggled.connect(lambda _on: self.completeChanged.emit())
        self.report_button.clicked.connect(self.ask_report)

    def initializePage(self) -> None:
        self.choices.plan = None
        self.confirm.setChecked(False)
        self.completeChanged.emit()
        ctx, choices = self.ctx, self.choices
        path, setup, table = choices.path, choices.setup, choices.table
        if path is None or setup is None or table is None:
            return

        def work(progress: Progress) -> ImportPlan:
            read = reading.read_lines(path, setup)
            sheets = [table.sheet] + ([setup.link.sheet] if setup.link else [])
            file = onboarding.file_of(path, sheets)
            return onboarding.check_import(ctx.db, ctx.actor, file, read, progress=progress)

        ctx.tasks.run(self, "正在检查…", work, self._show)

    def _show(self, plan: ImportPlan) -> None:
        self.choices.plan = plan
        fill_rows(self.totals, total_rows({"文件合计": plan.file_totals, "本次新增": plan.adds}))
        people = f"新增人员 {plan.new_people} 人，已有 {plan.known_people} 人"
        self.summary.setText(
            f"读取数据 {plan.read.rows_read} 行。新建房屋 {plan.new_rooms} 间，"
            f"已有房屋 {plan.matched_rooms} 间；{people}。"
        )
        if plan.new_buildings:
            self.buildings.setText(
                f"将新建楼栋 {len(plan.new_buildings)} 栋：{'、'.join(plan.new_buildings)}"
            )
        else:
            self.buildings.setText("没有需要新建的楼栋。")
        self.confirm.setVisible(bool(plan.new_buildings))
        refused = [  # once each: a row's lines may repeat its refusal
            (r.source.sheet, str(r.source.row), r.column, r.reason)
            for r in dict.fromkeys(plan.refusals)
        ]
        self.refused_caption.setText(
            f"不能导入的行 {len(refused)} 处(&W)：" if refused else "没有不能导入的行(&W)。"
        )
        fill_rows(self.refusals, refused)
        self.refusals.resizeRowsToContents()  # a reason whole, on two lines if need be
        set_headers(self.preview, plan.preview_headers)
        fill_rows(self.preview, plan.preview)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plan = self.choices.plan
        if plan is None or plan.refusals or self.running:
            return False
        return not plan.new_buildings or self.confirm.isChecked()

    def validatePage(self) -> bool:
        """导入: the commit runs off the GUI thread; its end moves the wizard on."""
        if self.choices.done is not None:
            return True
        plan = self.choices.plan
        if plan is None or not self.isComplete():
            return False
        self.running = True
        self.completeChanged.emit()
        ctx, confirmed = self.ctx, self.confirm.isChecked()

        def work(progress: Progress) -> ImportDone:
            return onboarding.commit_import(
                ctx.db, ctx.actor, plan, buildings_confirmed=confirmed, progress=progress
            )

        ctx.tasks.run(
            self, "正在导入…", work, self._imported, cancellable=False, on_error=self._failed
        )
        return False

    def _imported(self, done: ImportDone) -> None:
        self.running = False
        self.choices.done = done
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.completeChanged.emit()
        show_error(self, error, "导入未完成")

    def ask_report(self) -> None:
        save_report(self, self.ctx, self.choices)


def save_report(page: QWizardPage, ctx: AppContext, choices: ImportChoices) -> None:
    plan = choices.plan
    if plan is None:
        return
    name = f"导入检查-{Path(plan.file.name).stem}.xlsx"
    path, _ = QFileDialog.getSaveFileName(page, "保存检查报告", name, EXCEL_FILTER)
    if not path:
        return
    done = choices.done
    Op(page, ctx.tasks, lambda: onboarding.write_report(Path(path), plan, done)).success(
        lambda _: QMessageBox.information(page, "保存检查报告", f"报告已保存到\n{path}")
    ).run()


class DonePage(QWizardPage):
    def __init__(self, ctx: AppContext, choices: ImportChoices) -> None:
        super().__init__()
        self.ctx = ctx
        self.choices = choices
        self.setTitle("第 5 步：导入完成")
        self.setSubTitle("导入已写入数据库。下次导入同样格式的文件时，可选用保存的对应关系。")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.totals = totals_table(("项目", "导入前", "本次导入", "导入后"))
        self.totals.setFixedWidth(520)
        layout.addWidget(self.totals)
        row = QHBoxLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如：原系统房屋表")
        name_label = QLabel("对应关系名称(&A)：")
        name_label.setBuddy(self.name_edit)
        self.save_button = QPushButton("保存对应关系(&V)")
        self.save_button.setAutoDefault(False)
        row.addWidget(name_label)
        row.addWidget(self.name_edit, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.saved = QLabel()
        layout.addWidget(self.saved)
        self.report_button = QPushButton("保存导入报告(&T)…")
        self.report_button.setAutoDefault(False)
        layout.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.save_button.clicked.connect(self.save_mapping)
        self.report_button.clicked.connect(lambda: save_report(self, ctx, choices))

    def initializePage(self) -> None:
        done = self.choices.done
        if done is None:
            return
        self.summary.setText(
            f"已导入（导入编号 {done.batch_id}）。请把“导入后”一栏与原系统的合计核对；"
            "在收费或出账用到这些数据之前，可在“设置 → 数据导入”中整批撤销。"
            if done.batch_id
            else "文件中的数据都已在本系统中，没有新增。"
        )
        fill_rows(
            self.totals,
            total_rows({"导入前": done.before, "本次导入": done.added, "导入后": done.after}),
        )

    def save_mapping(self) -> None:
        setup, table = self.choices.setup, self.choices.table
        name = self.name_edit.text().strip()
        if setup is None or table is None:
            return
        ctx, text = self.ctx, reading.setup_to_json(setup, table)
        Op(
            self,
            ctx.tasks,
            lambda: onboarding.save_mapping(ctx.db, ctx.actor, name, setup.kind, text),
            title="保存对应关系",
        ).success(lambda _: self.saved.setText(f"已保存为“{name}”，下次导入时可选用。")).run()
