"""数据导入: the imports so far (file, when, who, what each brought, whether it can still
be undone), 导入文件… opening the wizard and 撤销导入 taking one import back whole.

An import can be undone until a payment, a refund or a billing run touched its data;
the service says why not, and the tab shows that reason under the table."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.clock import local_time
from frontdesk.domain.money import format_yuan
from frontdesk.domain.onboarding import Totals
from frontdesk.domain.onboarding.choices import kinds_text
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.services import onboarding
from frontdesk.services.onboarding import ImportRow

COLUMNS = (
    "编号",
    "导入时间",
    "导入人",
    "文件",
    "内容",
    "房屋",
    "人员",
    "期初欠费",
    "期初预存",
    "状态",
)
NUMBERS = {0, 5, 6, 7, 8}
HINT = (
    "把原系统导出的或手工整理的 Excel 表导入本系统：房屋、业主、期初欠费与预存、历史缴费、"
    "水电表读数。每个文件全部导入或全部不导入；在收费或出账用到导入的数据之前，可整批撤销。"
)


def state_text(row: ImportRow) -> str:
    if row.undone_at is not None:
        return "已撤销"
    return "不可撤销" if row.undo_refusal else "可撤销"


class ImportsTab(QWidget):
    """Signals: open_wizard() when 导入文件… is pressed (the screen opens the wizard)."""

    open_wizard = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[ImportRow] = []
        layout = QVBoxLayout(self)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        layout.addWidget(hint)

        buttons = QHBoxLayout()
        self.import_button = QPushButton("导入文件(&I)…")
        self.undo_button = QPushButton("撤销导入(&U)…")
        self.undo_button.setEnabled(False)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.table = QTableWidget(0, len(COLUMNS))
        set_headers(self.table, COLUMNS, stretch=3)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.table, 1)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("QLabel { color: #5f6b7a; }")
        layout.addWidget(self.reason)

        self.import_button.clicked.connect(self.open_wizard)
        self.undo_button.clicked.connect(self.ask_undo)
        self.table.itemSelectionChanged.connect(self._selected)

    def refresh(self) -> None:
        ctx = self.ctx
        Op(
            self, ctx.tasks, lambda: onboarding.list_imports(ctx.db, ctx.actor), title="数据导入"
        ).success(self._show).run()

    def _show(self, rows: list[ImportRow]) -> None:
        self.rows = rows
        cells = [
            (
                (str(r.batch_id), r.batch_id),
                local_time(r.imported_at, seconds=False),
                r.imported_by,
                r.file_name,
                kinds_text(r.kinds),
                (str(r.totals.rooms), r.totals.rooms),
                (str(r.totals.people), r.totals.people),
                (format_yuan(r.totals.arrears_fen), r.totals.arrears_fen),
                (format_yuan(r.totals.prepaid_fen), r.totals.prepaid_fen),
                state_text(r),
            )
            for r in rows
        ]
        fill_sortable(self.table, cells, NUMBERS, [r.batch_id for r in rows])
        self._selected()

    def selected(self) -> ImportRow | None:
        batch = row_id(self.table, self.table.currentRow())
        return next((r for r in self.rows if r.batch_id == batch), None)

    def _selected(self) -> None:
        row = self.selected()
        self.undo_button.setEnabled(
            row is not None and row.undone_at is None and not row.undo_refusal
        )
        if row is None:
            self.reason.setText("")
        elif row.undone_at is not None:
            undone = local_time(row.undone_at, seconds=False)
            self.reason.setText(f"导入 {row.batch_id} 已于 {undone} 撤销。")
        elif row.undo_refusal:
            self.reason.setText(f"导入 {row.batch_id} 不能撤销：{row.undo_refusal}")
        else:
            self.reason.setText(f"导入 {row.batch_id} 可以整批撤销。")

    def ask_undo(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "撤销导入",
            f"撤销导入 {row.batch_id}（{row.file_name}）？\n"
            "这次导入新建的楼栋、房屋、人员和期初余额、历史缴费、读数将全部删除。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ctx, batch = self.ctx, row.batch_id
        Op(
            self,
            ctx.tasks,
            lambda: onboarding.undo_import(ctx.db, ctx.actor, batch),
            title="撤销导入",
        ).success(lambda removed: self._undone(batch, removed)).run()

    def _undone(self, batch: int, removed: Totals) -> None:
        self.refresh()
        self.reason.setText(
            f"已撤销导入 {batch}：删除房屋 {removed.rooms} 间、人员 {removed.people} 人、"
            f"期初欠费 {format_yuan(removed.arrears_fen)} 元、"
            f"期初预存 {format_yuan(removed.prepaid_fen)} 元。"
        )
