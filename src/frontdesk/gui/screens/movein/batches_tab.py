"""交付批次: the handover batches, and one batch's board — how far each building has
got, and every room with its appointment and progress; 办理入伙 opens a room's
checklist."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QListWidgetItem,
    QTableWidgetItem,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.movein import Progress, Step
from frontdesk.domain.roles import Permission
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.movein_appointment_dialog_ui import Ui_AppointmentDialog
from frontdesk.gui.forms.movein_batch_dialog_ui import Ui_BatchDialog
from frontdesk.gui.forms.movein_batches_tab_ui import Ui_BatchesTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell, qdate, qdatetime, to_date, to_datetime
from frontdesk.gui.widgets.forms import focus_field, form_fields
from frontdesk.gui.widgets.status import PROGRESS_COLOURS
from frontdesk.gui.widgets.tables import fill_sortable, row_id, select_row, set_headers
from frontdesk.services.households import structure
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein.handover import BatchBoard, BatchRow, BoardRow

STEP_COUNT = len(Step)
BATCH_COLUMNS = ("批次", "交付日期", "已交房")
COUNT_COLUMNS = ("楼栋", *(p.label for p in Progress), "合计")
ROOM_COLUMNS = ("房号", "业主", "预约时间", "进度", "已办步骤", "未关闭问题")
APPOINTMENT, PROGRESS, STEPS, DEFECTS = 2, 3, 4, 5
OPEN_DEFECTS = QColor("#b3261e")
DEFAULT_BATCH_DAYS = 14
APPOINTMENT_START = QTime(9, 0)
NUMERALS = "一二三四五六七八九十"


def batch_dates(row: BatchRow) -> str:
    if row.starts_on == row.ends_on:
        return f"{row.starts_on:%Y-%m-%d}"
    end = f"{row.ends_on:%m-%d}" if row.ends_on.year == row.starts_on.year else f"{row.ends_on}"
    return f"{row.starts_on:%Y-%m-%d} 至 {end}"


def board_cells(row: BoardRow) -> list[str | tuple[str, object]]:
    at = row.appointment_at
    return [
        row.room_code,
        row.owners,
        (local_time(at, seconds=False), at.timestamp() if at else 0.0),
        (row.progress.label, list(Progress).index(row.progress)),
        (f"{row.steps_done} / {STEP_COUNT}", row.steps_done),
        (f"{row.open_defects} 项" if row.open_defects else "", row.open_defects),
    ]


def default_batch_name(batches: list[BatchRow], today: date) -> str:
    """2026年第二批集中交付 when one batch already starts this year."""
    n = sum(1 for b in batches if b.starts_on.year == today.year) + 1
    number = NUMERALS[n - 1] if n <= len(NUMERALS) else str(n)
    return f"{today.year}年第{number}批集中交付"


def next_slot(now: datetime) -> QDateTime:
    """The default appointment: tomorrow at nine."""
    day = now.date() + timedelta(days=1)
    return QDateTime(QDate(day.year, day.month, day.day), APPOINTMENT_START)


class BatchDialog(QDialog):
    """新建批次: name, dates and the buildings; OK saves while the dialog is open."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.batch_id: int | None = None
        self.ui = ui = Ui_BatchDialog()
        ui.setupUi(self)
        today = qdate(clock.today())
        ui.startEdit.setDate(today)
        ui.endEdit.setDate(today.addDays(DEFAULT_BATCH_DAYS))
        ui.nameEdit.setText(
            default_batch_name(movein.list_batches(ctx.db, ctx.actor), clock.today())
        )
        for building in structure.list_buildings(ctx.db, ctx.actor):
            item = QListWidgetItem(f"{building.name}（{building.rooms} 户）")
            item.setData(Qt.ItemDataRole.UserRole, building.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            ui.buildingList.addItem(item)
        self.fields = form_fields(ui.form)
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("创建批次")
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        ui.nameEdit.setFocus()
        ui.nameEdit.selectAll()

    def building_ids(self) -> list[int]:
        found = []
        for index in range(self.ui.buildingList.count()):
            item = self.ui.buildingList.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return found

    def check_building(self, building_id: int) -> None:
        for index in range(self.ui.buildingList.count()):
            item = self.ui.buildingList.item(index)
            if item.data(Qt.ItemDataRole.UserRole) == building_id:
                item.setCheckState(Qt.CheckState.Checked)

    def accept(self) -> None:
        ui, ctx = self.ui, self.ctx
        name = ui.nameEdit.text()
        start, end = to_date(ui.startEdit.date()), to_date(ui.endEdit.date())
        buildings = self.building_ids()
        Op(
            self,
            ctx.tasks,
            lambda: movein.create_batch(ctx.db, ctx.actor, name, start, end, buildings),
        ).fields({"结束日期": ui.endEdit, **self.fields}).inline(
            ui.errorLabel, every_message=True
        ).success(self._created).run()

    def _created(self, batch_id: int) -> None:
        self.batch_id = batch_id
        super().accept()


class AppointmentDialog(QDialog):
    """预约…: book the room's time at the move-in counter, or clear it."""

    def __init__(self, ctx: AppContext, row: BoardRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.ui = ui = Ui_AppointmentDialog()
        ui.setupUi(self)
        owners = row.owners or "尚未登记业主"
        ui.roomLabel.setText(f"{row.room_code}　{owners}")
        now = clock.wall_now()
        ui.atEdit.setMinimumDateTime(qdatetime(now.replace(second=0, microsecond=0)))
        if row.appointment_at is not None:
            ui.atEdit.setDateTime(qdatetime(row.appointment_at.astimezone().replace(tzinfo=None)))
            ui.hintLabel.setText(f"现预约 {local_time(row.appointment_at, seconds=False)}。")
        else:
            ui.atEdit.setDateTime(next_slot(now))
            ui.hintLabel.setText("约定业主到入伙现场办理手续的时间。")
        ui.clearButton.setEnabled(row.appointment_at is not None)
        ui.clearButton.clicked.connect(self.clear_appointment)
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("保存预约")
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        ui.atEdit.setFocus()

    def chosen(self) -> datetime:
        return to_datetime(self.ui.atEdit.dateTime())

    def _save(self, at: datetime | None) -> bool:
        ctx, room_id, ui = self.ctx, self.row.room_id, self.ui
        return (
            Op(self, ctx.tasks, lambda: movein.set_appointment(ctx.db, ctx.actor, room_id, at))
            .failure(self._not_saved)
            .inline(ui.errorLabel, every_message=True)
            .now()
        )

    def _not_saved(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            focus_field(self.ui.atEdit)

    def accept(self) -> None:
        if self._save(self.chosen()):
            super().accept()

    def clear_appointment(self) -> None:
        if self._save(None):
            super().accept()


class BatchesTab(QWidget):
    """Signals: open_room_requested(room_id) — 办理入伙 or a double-click on a room."""

    open_room_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.batches: dict[int, BatchRow] = {}
        self.board = BatchBoard([])
        self.rooms: dict[int, BoardRow] = {}
        self.ui = ui = Ui_BatchesTab()
        ui.setupUi(self)
        ui.splitter.setStretchFactor(0, 1)
        ui.splitter.setStretchFactor(1, 3)
        ui.splitter.setSizes([430, 770])
        set_headers(ui.batchTable, BATCH_COLUMNS)
        set_headers(ui.countsTable, COUNT_COLUMNS)
        ui.countsTable.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        set_headers(ui.roomsTable, ROOM_COLUMNS)
        ui.roomsTable.setSortingEnabled(True)
        ui.roomsTable.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        ui.progressCombo.addItem("全部进度", None)
        for progress in Progress:
            ui.progressCombo.addItem(progress.label, progress.value)
        manage = ctx.can(Permission.MANAGE_MOVE_IN)
        ui.newBatchButton.setVisible(manage)
        ui.appointmentButton.setVisible(manage)
        ui.batchTable.itemSelectionChanged.connect(self._batch_changed)
        ui.progressCombo.currentIndexChanged.connect(lambda _i: self._show_rooms())
        ui.roomsTable.itemSelectionChanged.connect(self._update_buttons)
        ui.roomsTable.cellDoubleClicked.connect(lambda _r, _c: self.open_selected())
        ui.newBatchButton.clicked.connect(self.new_batch)
        ui.appointmentButton.clicked.connect(self.edit_appointment)
        ui.openButton.clicked.connect(self.open_selected)
        self._show_board()

    # loading -------------------------------------------------------------------------

    def refresh(self, batch: int | None = None) -> None:
        """Reload the batches and the board, keeping the batch and room chosen
        (or choosing `batch`)."""
        keep_batch = batch if batch is not None else self.batch_id()
        keep_room, ctx = self.selected_id(), self.ctx
        Op(
            self, ctx.tasks, lambda: movein.list_batches(ctx.db, ctx.actor), title="交付批次"
        ).success(lambda rows: self._show_batches(rows, keep_batch, keep_room)).run()

    def _show_batches(
        self, rows: list[BatchRow], keep_batch: int | None, keep_room: int | None
    ) -> None:
        self.batches = {r.id: r for r in rows}
        table = self.ui.batchTable
        table.blockSignals(True)
        fill_sortable(
            table,
            [(r.name, batch_dates(r), f"已交房 {r.handed_over} / {r.rooms} 户") for r in rows],
            set(),
            [r.id for r in rows],
        )
        table.blockSignals(False)
        if keep_batch not in self.batches:
            keep_batch = rows[0].id if rows else None
        if keep_batch is not None:
            self.select_batch(keep_batch)  # loads the board
        else:
            self._batch_changed()
        if keep_room is not None:
            self.select_room(keep_room)

    def batch_id(self) -> int | None:
        table = self.ui.batchTable
        if not table.selectionModel().hasSelection():
            return None
        return row_id(table, table.currentRow())

    def select_batch(self, batch_id: int) -> None:
        table = self.ui.batchTable
        for index in range(table.rowCount()):
            if row_id(table, index) == batch_id:
                if table.currentRow() == index and table.selectionModel().hasSelection():
                    self._batch_changed()
                else:
                    select_row(table, index)
                return

    def _batch_changed(self) -> None:
        batch_id = self.batch_id()
        if batch_id is None:
            self.board = BatchBoard([])
        else:
            # Here, not on the worker: the caller selects a room on the board next.
            ctx, read = self.ctx, list[BatchBoard]()
            Op(
                self,
                ctx.tasks,
                lambda: movein.batch_board(ctx.db, ctx.actor, batch_id),
                title="交付批次",
            ).success(read.append).now()
            self.board = read[0] if read else BatchBoard([])
        self.rooms = {r.room_id: r for r in self.board.rows}
        self._show_board()

    # the board -----------------------------------------------------------------------

    def _show_board(self) -> None:
        batch = self.batches.get(self.batch_id() or 0)
        if batch is None:
            self.ui.boardTitle.setText(
                "在左侧选择一个交付批次" if self.batches else "还没有交付批次，请先新建批次"
            )
        else:
            done = sum(
                1
                for r in self.board.rows
                if r.progress in (Progress.HANDED_OVER, Progress.MOVED_IN)
            )
            self.ui.boardTitle.setText(
                f"{batch.name}　<span style='font-size: 10pt; font-weight: normal;"
                f" color: #3a4656'>{batch_dates(batch)}　已交房 {done} / {len(self.board.rows)} 户"
                "</span>"
            )
        self._show_counts()
        self._show_rooms()

    def _show_counts(self) -> None:
        table = self.ui.countsTable
        counts = self.board.counts()
        total: Counter[Progress] = Counter()
        for counter in counts.values():
            total.update(counter)
        lines = [(name, counter) for name, counter in counts.items()]
        if len(lines) > 1:
            lines.append(("合计", total))
        table.setRowCount(len(lines))
        bold = QFont(table.font())
        bold.setBold(True)
        for r, (name, counter) in enumerate(lines):
            cells = [name, *(str(counter[p]) for p in Progress), str(sum(counter.values()))]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if 0 < c <= len(Progress) and counter[list(Progress)[c - 1]]:
                    item.setForeground(QBrush(QColor(PROGRESS_COLOURS[list(Progress)[c - 1]])))
                    item.setFont(bold)
                if name == "合计" and c == 0:
                    item.setFont(bold)
                table.setItem(r, c, item)
        for c, progress in enumerate(Progress, 1):
            header = table.horizontalHeaderItem(c)
            if header is not None:
                header.setForeground(QBrush(QColor(PROGRESS_COLOURS[progress])))
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        shown = min(len(lines), 5)
        height += sum(table.rowHeight(r) for r in range(shown)) if lines else 0
        table.setFixedHeight(height)

    def _show_rooms(self) -> None:
        wanted = self.ui.progressCombo.currentData()
        rows = [r for r in self.board.rows if wanted is None or r.progress.value == wanted]
        table = self.ui.roomsTable
        keep = self.selected_id()
        table.blockSignals(True)
        fill_sortable(table, [board_cells(r) for r in rows], {STEPS}, [r.room_id for r in rows])
        for index in range(table.rowCount()):
            row = self.rooms[row_id(table, index) or 0]
            item = cell(table, index, PROGRESS)
            item.setForeground(QBrush(QColor(PROGRESS_COLOURS[row.progress])))
            font = QFont(item.font())
            font.setBold(True)
            item.setFont(font)
            if row.open_defects:
                cell(table, index, DEFECTS).setForeground(QBrush(OPEN_DEFECTS))
            if not row.owners:
                cell(table, index, 1).setToolTip("尚未登记业主")
        table.blockSignals(False)
        if keep is not None:
            self.select_room(keep)
        shown = f"显示 {len(rows)} 户" if wanted is not None else f"共 {len(rows)} 户"
        self.ui.countLabel.setText(shown if self.board.rows else "")
        self._update_buttons()

    # selection -----------------------------------------------------------------------

    def selected_id(self) -> int | None:
        table = self.ui.roomsTable
        if not table.selectionModel().hasSelection():
            return None
        return row_id(table, table.currentRow())

    def selected(self) -> BoardRow | None:
        room_id = self.selected_id()
        return None if room_id is None else self.rooms.get(room_id)

    def select_room(self, room_id: int) -> None:
        table = self.ui.roomsTable
        for index in range(table.rowCount()):
            if row_id(table, index) == room_id:
                select_row(table, index)
                return

    def _update_buttons(self) -> None:
        row = self.selected()
        self.ui.openButton.setEnabled(row is not None)
        open_ = row is not None and row.progress not in (Progress.HANDED_OVER, Progress.MOVED_IN)
        self.ui.appointmentButton.setEnabled(open_)
        self.ui.appointmentButton.setToolTip(
            "预约或取消该户的入伙办理时间" if open_ or row is None else "该户已办完入伙手续"
        )

    # actions -------------------------------------------------------------------------

    def new_batch(self) -> None:
        dialog = BatchDialog(self.ctx, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.batch_id is None:
            return
        self.refresh(batch=dialog.batch_id)

    def edit_appointment(self) -> None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("房屋", "请先在列表中选中一户"), "入伙预约")
            return
        if AppointmentDialog(self.ctx, row, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def open_selected(self) -> None:
        room_id = self.selected_id()
        if room_id is not None:
            self.open_room_requested.emit(room_id)
