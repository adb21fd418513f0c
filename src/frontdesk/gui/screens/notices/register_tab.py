"""发文登记: every document the office issued, found by kind, date, household,
building, who issued it or words in it; a stored copy reopened (printing or saving it
again registers a reprint of the original) and the list exported for an inspection."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFileDialog, QHeaderView, QMessageBox, QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.issued import DocKind, Output, Printout
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.notices_register_tab_ui import Ui_RegisterTab
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.notices import filters
from frontdesk.gui.widgets.forms import Choices
from frontdesk.gui.widgets.lazy_table import AnyIndex, Column, LazyTableModel
from frontdesk.gui.widgets.pdf_preview import PdfPreviewDialog
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.households import structure
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.notices.register import IssuedRow, RegisterFilter

DEFAULT_DAYS = 30
TITLE = "发文登记"
PURGED_TIP = "存档内容已按保存期限删除，只留登记"
PURGED_COLOUR = QColor("#8a8f98")
NO_PERMISSION = "查阅发文登记需要“查阅发文登记和存档文件”权限（主管或管理员）。"


REGISTER_COLUMNS: list[Column[IssuedRow]] = [
    Column("登记号", lambda r: r.number),
    Column("种类", lambda r: r.kind.label),
    Column("标题", lambda r: r.title),
    Column("对象", lambda r: r.subject),
    Column("经办人", lambda r: r.by_name),
    Column("时间", lambda r: local_time(r.issued_at, seconds=False)),
    Column("方式", lambda r: r.output.label),
    Column("页数", lambda r: str(r.pages) if r.pages else "", align_right=True),
    Column("重印自", lambda r: r.reprint_of),
]
# 标题 takes what the others leave.
COLUMN_WIDTHS = (130, 96, 0, 120, 80, 130, 100, 48, 130)
TITLE_COLUMN = 2


class RegisterModel(LazyTableModel[IssuedRow]):
    """The rows a query returned (the service gives them whole: at most 5,000); erased
    ones greyed with why."""

    def __init__(self) -> None:
        self._by_id: dict[int, IssuedRow] = {}
        super().__init__(
            REGISTER_COLUMNS, lambda ids: [self._by_id[i] for i in ids], lambda r: r.id
        )

    def set_rows(self, rows: list[IssuedRow]) -> None:
        self._by_id = {r.id: r for r in rows}
        self.set_ids([r.id for r in rows])

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            row = self.row_at(index.row())
            return QBrush(PURGED_COLOUR) if row is not None and row.purged else None
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self.row_at(index.row())
            if row is None:
                return None
            if row.purged:
                return PURGED_TIP
            if index.column() == TITLE_COLUMN:
                return f"{row.title}\n编号：{row.reference}" if row.reference else row.title
            return None
        return super().data(index, role)


class RegisterTab(filters.QueryTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[IssuedRow] = []
        self.export_path: str | None = None
        self.allowed = ctx.can(Permission.VIEW_ISSUED_DOCUMENTS)
        self.ui = ui = Ui_RegisterTab()
        ui.setupUi(self)
        self.room = RoomPicker(ctx, ui.roomHost)
        self.room.setPlaceholderText("全部；输入房号（如 3-2-1201）或业主姓名查找")
        ui.roomLayout.addWidget(self.room)
        ui.roomCaption.setBuddy(self.room)
        self.setTabOrder(ui.byEdit, self.room)
        self.setTabOrder(self.room, ui.clearRoomButton)
        self.kinds: Choices[DocKind | None] = Choices(
            ui.kindCombo, [("全部", None), *((k.label, k) for k in DocKind)], None
        )
        ui.buildingCombo.addItem(filters.ALL_BUILDINGS, None)
        filters.start_dates(ui.fromEdit, ui.toEdit, DEFAULT_DAYS)
        self.fields: dict[str, QWidget] = {"房号": self.room}
        self.model = RegisterModel()
        self._setup_table()
        ui.queryButton.clicked.connect(self.reload)
        ui.refreshButton.clicked.connect(self.refresh)
        ui.kindCombo.currentIndexChanged.connect(lambda _i: self.reload())
        ui.buildingCombo.currentIndexChanged.connect(lambda _i: self.reload())
        self.room.room_chosen.connect(lambda _id: self.reload())
        ui.clearRoomButton.clicked.connect(self.clear_room)
        ui.exportButton.clicked.connect(self.export_excel)
        ui.openButton.clicked.connect(self.open_original)
        ui.table.doubleClicked.connect(lambda _index: self.open_original())
        if not self.allowed:
            self.setEnabled(False)
            ui.countLabel.setText(NO_PERMISSION)

    def _setup_table(self) -> None:
        table = self.ui.table
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in enumerate(COLUMN_WIDTHS):
            if column != TITLE_COLUMN:
                table.setColumnWidth(column, width)

    # filtering ---------------------------------------------------------------------

    def refresh(self) -> None:
        """The buildings (one may have been added) and the register again."""
        if not self.allowed:
            return
        if filters.fill_buildings(self.ctx, self.ui.buildingCombo, self, TITLE):
            self.reload()

    def _room_id(self) -> int | None:
        """The household picked, or the one a typed code names (3-2-1201)."""
        text = self.room.text().strip()
        if self.room.room_id is not None or not text:
            return self.room.room_id
        try:
            return structure.find_room_id(self.ctx.db, self.ctx.actor, text)
        except FrontDeskError:
            raise ValidationError(
                "房号", f"找不到房屋「{text}」：请输入完整房号（如 3-2-1201）或从查找结果中选择一户"
            ) from None

    def chosen_filter(self) -> RegisterFilter:
        ui = self.ui
        first, last = filters.chosen_dates(ui.fromEdit, ui.toEdit)
        kind = self.kinds.value()
        return RegisterFilter(
            kinds=(kind,) if kind is not None else (),
            since=first,
            until=last,
            room_id=self._room_id(),
            building_id=ui.buildingCombo.currentData(),
            text=ui.searchEdit.text(),
            by_name=ui.byEdit.text(),
        )

    def reload(self) -> None:
        if not self.allowed:
            return
        selected, ctx = self.selected(), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda flt: (flt, issued_documents.list_issued(ctx.db, ctx.actor, flt)),
            given=self.chosen_filter,
            title=TITLE,
        ).fields(self.fields).success(lambda found: self._listed(*found, selected)).run()

    def _listed(
        self, flt: RegisterFilter, rows: list[IssuedRow], selected: IssuedRow | None
    ) -> None:
        self.rows = rows
        self.model.set_rows(self.rows)
        self._count(flt)
        position = self.model.row_of(selected.id) if selected else -1
        if position >= 0:
            select_row(self.ui.table, position)

    def _count(self, flt: RegisterFilter) -> None:
        rows = self.rows
        if not rows:
            self.ui.countLabel.setText("没有符合条件的发文记录。")
            return
        parts = [f"<b>共 {len(rows)} 份</b>"]
        reprints = sum(1 for r in rows if r.reprint_of)
        purged = sum(1 for r in rows if r.purged)
        if reprints:
            parts.append(f"其中重印 {reprints} 份")
        if purged:
            parts.append(f"{purged} 份的存档内容已按期删除")
        text = "，".join(parts)
        if len(rows) >= flt.limit:
            text += (
                f'；<span style="color: #b3261e;">只列出最近 {flt.limit} 份，'
                "请缩小日期范围或增加筛选条件</span>"
            )
        self.ui.countLabel.setText(text)

    def clear_room(self) -> None:
        self.room.clear_room()
        self.reload()

    # actions -----------------------------------------------------------------------

    def selected(self) -> IssuedRow | None:
        index = self.ui.table.currentIndex()
        if not index.isValid() or not self.ui.table.selectionModel().hasSelection():
            return None
        return self.model.row_at(index.row())

    def open_original(self) -> None:
        row = self.selected()
        if row is None:
            QMessageBox.information(self, "打开原件", "请先在列表中选中一份文件。")
            return
        ctx, number = self.ctx, row.number
        Op(
            self,
            ctx.tasks,
            lambda: issued_documents.open_issued(ctx.db, ctx.actor, number),
            title="无法打开原件",
        ).success(lambda printout: self._show_original(row, printout)).run()

    def _show_original(self, row: IssuedRow, printout: Printout) -> None:
        reprinted: list[str] = []
        dialog = PdfPreviewDialog(
            printout.pdf,
            f"{row.number} {row.title}",
            printout.filename,
            self,
            on_output=self._reprint_recorder(row.number, reprinted),
        )
        dialog.exec()
        if reprinted:
            self.reload()

    def _reprint_recorder(self, number: str, done: list[str]) -> Callable[[Output], None]:
        """What the preview runs after each print or save: a reprint entry."""

        ctx = self.ctx

        def record(_how: Output) -> None:
            # Here, not on the worker: the preview prints once this has returned.
            Op(
                self,
                ctx.tasks,
                lambda: issued_documents.record_reprint(ctx.db, ctx.actor, number),
                title="登记重印",
            ).success(done.append).now()

        return record

    def export_excel(self) -> None:
        if not self.rows:
            QMessageBox.information(self, "导出 Excel", "当前查询没有发文记录可导出。")
            return
        ui = self.ui
        first, last = filters.day_of(ui.fromEdit.date()), filters.day_of(ui.toEdit.date())
        default = f"发文登记-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self, "导出发文登记", default, "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        rows = self.rows
        Op(
            self,
            self.ctx.tasks,
            lambda: issued_documents.write_register_xlsx(rows, Path(path)),
            title="导出发文登记",
        ).labelled("正在导出发文登记…").success(lambda _: self._exported(path, len(rows))).run()

    def _exported(self, path: str, count: int) -> None:
        self.export_path = path
        QMessageBox.information(self, "导出 Excel", f"已导出 {count} 条发文记录到\n{path}")
