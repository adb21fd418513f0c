"""访客设置 (supervisors): whether a document number is taken, how long visitors'
personal data is kept, the pass paper; and erasing what is past its time now."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.domain.visitors import RETENTION_RANGE, PassPaper
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.visitors_settings_tab_ui import Ui_VisitorSettingsTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.forms import Choices
from frontdesk.services.visitors import settings as visitor_settings
from frontdesk.services.visitors.settings import PurgeResult, VisitorSettings


def purge_text(result: PurgeResult, days: int) -> str:
    if not (result.visits or result.bookings or result.watch_entries or result.documents):
        return (
            f"按保存 {days} 天计算，{result.before:%Y-%m-%d} 以前的访客信息已全部清除，"
            "目前没有需要清除的内容。"
        )
    return (
        f"将清除 {result.before:%Y-%m-%d} 以前 {result.visits} 条访客登记、"
        f"{result.bookings} 条预约、{result.watch_entries} 条已失效黑名单中的个人信息"
        f"和 {result.documents} 份访客单、点名表存档（按已保存的 {days} 天计算）。"
    )


class VisitorSettingsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = VisitorSettings()
        self.ui = ui = Ui_VisitorSettingsTab()
        ui.setupUi(self)
        ui.retentionSpin.setRange(*RETENTION_RANGE)
        self.papers = Choices(ui.paperCombo, [(p.label, p) for p in PassPaper], PassPaper.ROLL_80)
        ui.saveButton.clicked.connect(self.save)
        ui.purgeButton.clicked.connect(self.purge_now)
        for signal in (
            ui.requireIdCheck.toggled,
            ui.retentionSpin.valueChanged,
            ui.paperCombo.currentIndexChanged,
        ):
            signal.connect(lambda _value: ui.savedLabel.clear())

    def refresh(self) -> None:
        self.settings = visitor_settings.visitor_settings(self.ctx.db)
        ui = self.ui
        ui.requireIdCheck.setChecked(self.settings.require_id)
        ui.retentionSpin.setValue(self.settings.retention_days)
        self.papers.select(self.settings.pass_paper)
        ui.savedLabel.clear()
        self._show_purge()

    def _show_purge(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: visitor_settings.purge_visitor_data(ctx.db, ctx.actor, dry_run=True),
            title="清除过期访客信息",
        ).success(self._show_dry_run).run()

    def _show_dry_run(self, result: PurgeResult) -> None:
        self.ui.purgeLabel.setText(purge_text(result, self.settings.retention_days))
        self.ui.purgeButton.setEnabled(
            bool(result.visits or result.bookings or result.watch_entries or result.documents)
        )

    def chosen(self) -> VisitorSettings:
        ui = self.ui
        return VisitorSettings(
            require_id=ui.requireIdCheck.isChecked(),
            retention_days=ui.retentionSpin.value(),
            pass_paper=self.papers.value(),
        )

    def save(self) -> None:
        chosen, ctx = self.chosen(), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: visitor_settings.set_visitor_settings(ctx.db, ctx.actor, chosen),
            title="访客设置",
        ).success(lambda _: self._saved(chosen)).run()

    def _saved(self, chosen: VisitorSettings) -> None:
        self.settings = chosen
        self.ui.savedLabel.setText("已保存")
        self._show_purge()

    def purge_now(self) -> None:
        if not confirm(
            self,
            "清除过期访客信息",
            self.ui.purgeLabel.text() + "\n\n清除后无法恢复，统计用的房屋、事由、人数和时间保留。"
            "\n确定立即清除吗？",
        ):
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: visitor_settings.purge_visitor_data(ctx.db, ctx.actor),
            title="清除过期访客信息",
        ).labelled("正在清除过期访客信息…").success(self._purged).run()

    def _purged(self, result: PurgeResult) -> None:
        QMessageBox.information(
            self,
            "清除过期访客信息",
            f"已清除 {result.before:%Y-%m-%d} 以前 {result.visits} 条访客登记、"
            f"{result.bookings} 条预约、{result.watch_entries} 条已失效黑名单中的个人信息。"
            + (
                ""
                if result.complete
                else "\n另一台电脑正在读取数据库，残留内容将在下次清理时抹去。"
            ),
        )
        self._show_purge()
