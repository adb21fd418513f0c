"""验房问题: the defects found when owners inspect their homes, across the community —
recorded on the spot with the party responsible and a deadline, their repair
registered, then re-inspected with the owner (快速记录、限时整改并及时反馈).
Overdue ones are red with their days, those waiting for the re-inspection amber."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QTableWidget,
    QWidget,
)

from frontdesk.domain.movein import DefectStatus
from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.movein_defects_tab_ui import Ui_DefectsTab
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.screens.movein.defect_dialogs import (
    DefectDialog,
    DefectFixDialog,
    DefectPhotosDialog,
    RecheckDialog,
)
from frontdesk.gui.screens.movein.defect_words import (
    CLOSED_COLOUR,
    NO_RIGHT,
    OVERDUE_COLOUR,
    WAITING_COLOUR,
    history,
)
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.tables import fill_sortable, row_id, select_row, set_headers
from frontdesk.services.movein import defects
from frontdesk.services.movein.defects import DefectRow

COLUMNS = (
    "房号",
    "部位",
    "类别",
    "问题描述",
    "责任单位",
    "验房日期",
    "整改期限",
    "状态",
    "超期天数",
    "照片数",
)
DESCRIPTION, STATUS, OVERDUE, PHOTOS = 3, 7, 8, 9
STATUS_RANK = {DefectStatus.OPEN: 2, DefectStatus.FIXED: 1, DefectStatus.CLOSED: 0}

ALL, OPEN, OVERDUE_ONLY = "all", "open", "overdue"


def overdue_text(row: DefectRow) -> str:
    return f"超期 {row.overdue_days} 天" if row.overdue_days else ""


def defect_cells(row: DefectRow) -> list[str | tuple[str, object]]:
    """Cells of one defect; the 超期天数 key sorts the way the service lists them."""
    urgency = (row.overdue_days, STATUS_RANK[row.status], -row.deadline.toordinal())
    return [
        row.room_code,
        row.area,
        row.kind,
        " ".join(row.description.split()),
        row.responsible,
        (f"{row.found_on:%Y-%m-%d}", row.found_on.isoformat()),
        (f"{row.deadline:%Y-%m-%d}", row.deadline.isoformat()),
        row.status.label,
        (overdue_text(row), urgency),
        (str(row.photos) if row.photos else "", row.photos),
    ]


def row_colour(row: DefectRow) -> QColor | None:
    if row.overdue_days:
        return OVERDUE_COLOUR
    if row.status is DefectStatus.FIXED:
        return WAITING_COLOUR
    if row.status is DefectStatus.CLOSED:
        return CLOSED_COLOUR
    return None


def paint_row(table: QTableWidget, index: int, colour: QColor) -> None:
    for column in range(table.columnCount()):
        item = table.item(index, column)
        if item is not None:
            item.setForeground(QBrush(colour))


class DefectsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: dict[int, DefectRow] = {}
        self.can_manage = ctx.can(Permission.MANAGE_MOVE_IN)
        self.ui = ui = Ui_DefectsTab()
        ui.setupUi(self)
        self.room = RoomPicker(ctx, ui.roomHost)
        self.room.setPlaceholderText("全部房屋；输入房号或业主姓名查找")
        ui.roomLayout.addWidget(self.room)
        ui.roomCaption.setBuddy(self.room)
        self.setTabOrder(ui.allRadio, self.room)
        self.setTabOrder(self.room, ui.clearRoomButton)
        self._setup_table()
        ui.legendLabel.setText(
            f'<span style="color: {OVERDUE_COLOUR.name()};">■ 已超期</span>　'
            f'<span style="color: {WAITING_COLOUR.name()};">■ 待复验</span>　'
            f'<span style="color: {CLOSED_COLOUR.name()};">■ 已关闭</span>'
        )
        for radio in (ui.allRadio, ui.openRadio, ui.overdueRadio):
            radio.toggled.connect(lambda on: self.refresh() if on else None)
        self.room.room_chosen.connect(lambda _id: self.refresh())
        self.room.cleared.connect(self.refresh)
        ui.clearRoomButton.clicked.connect(self.clear_room)
        ui.newButton.clicked.connect(self.new_defect)
        ui.fixButton.clicked.connect(self.fix_selected)
        ui.recheckButton.clicked.connect(self.recheck_selected)
        ui.photosButton.clicked.connect(self.photos_selected)
        ui.table.itemSelectionChanged.connect(self._selection_changed)
        ui.newButton.setEnabled(self.can_manage)
        if not self.can_manage:
            ui.newButton.setToolTip(NO_RIGHT)
        self._selection_changed()

    def _setup_table(self) -> None:
        table = self.ui.table
        set_headers(table, COLUMNS)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        table.setSortingEnabled(True)
        table.sortByColumn(OVERDUE, Qt.SortOrder.DescendingOrder)

    @property
    def shown(self) -> str:
        ui = self.ui
        if ui.allRadio.isChecked():
            return ALL
        return OVERDUE_ONLY if ui.overdueRadio.isChecked() else OPEN

    def clear_room(self) -> None:
        self.room.clear_room()
        self.refresh()

    def refresh(self, select: int | None = None, then: Callable[[], object] | None = None) -> None:
        """Reload (off the GUI thread), select `select` or the one selected, then `then()`."""
        keep = select if select is not None else self.selected_id()
        ctx, room_id, open_only = self.ctx, self.room.room_id, self.shown != ALL
        Op(
            self,
            ctx.tasks,
            lambda: defects.list_defects(ctx.db, ctx.actor, room_id=room_id, open_only=open_only),
            title="验房问题",
        ).success(lambda rows: self._listed(rows, keep, then)).run()

    def _listed(
        self, rows: list[DefectRow], keep: int | None, then: Callable[[], object] | None
    ) -> None:
        self._count(rows)
        if self.shown == OVERDUE_ONLY:
            rows = [r for r in rows if r.overdue_days]
        self.rows = {r.id: r for r in rows}
        self._show(rows)
        if keep is not None:
            self.select(keep)
        self._selection_changed()
        if then is not None:
            then()

    def _count(self, rows: list[DefectRow]) -> None:
        still_open = [r for r in rows if r.status is not DefectStatus.CLOSED]
        overdue = sum(1 for r in rows if r.overdue_days)
        waiting = sum(1 for r in rows if r.status is DefectStatus.FIXED)
        overdue_text = f"<b>{overdue}</b>"
        if overdue:
            overdue_text = f'<span style="color: {OVERDUE_COLOUR.name()};">{overdue_text}</span>'
        where = f"{self.room.text().split('（')[0]} " if self.room.room_id is not None else ""
        self.ui.countLabel.setText(
            f"{where}未关闭 <b>{len(still_open)}</b> 项，其中超期 {overdue_text} 项"
            f"、待复验 <b>{waiting}</b> 项"
        )

    def _show(self, rows: list[DefectRow]) -> None:
        table = self.ui.table
        fill_sortable(table, [defect_cells(r) for r in rows], {PHOTOS}, [r.id for r in rows])
        bold = QFont(table.font())
        bold.setBold(True)
        for index in range(table.rowCount()):
            row = self.rows[row_id(table, index) or 0]
            cell(table, index, DESCRIPTION).setToolTip(row.description)
            cell(table, index, 0).setToolTip(f"{row.recorded_by}登记")
            colour = row_colour(row)
            if colour is not None:
                paint_row(table, index, colour)
            if row.overdue_days:
                cell(table, index, OVERDUE).setFont(bold)
                cell(table, index, STATUS).setFont(bold)

    def selected_id(self) -> int | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        return row_id(table, table.currentRow())

    def selected(self) -> DefectRow | None:
        defect_id = self.selected_id()
        return None if defect_id is None else self.rows.get(defect_id)

    def select(self, defect_id: int) -> None:
        table = self.ui.table
        for index in range(table.rowCount()):
            if row_id(table, index) == defect_id:
                select_row(table, index)
                return

    def _selection_changed(self) -> None:
        ui, row = self.ui, self.selected()
        status = row.status if row is not None else None
        ui.fixButton.setEnabled(self.can_manage and status is DefectStatus.OPEN)
        ui.recheckButton.setEnabled(self.can_manage and status is DefectStatus.FIXED)
        ui.photosButton.setEnabled(row is not None)
        for button, tip in (
            (ui.fixButton, "整改完成后登记，问题转为待复验"),
            (ui.recheckButton, "与业主一起复验已整改的问题"),
        ):
            button.setToolTip(tip if self.can_manage else NO_RIGHT)
        ui.detailLabel.setText(
            history(row)
            if row is not None
            else '<span style="color: #5f6b7a;">选中一个问题查看它的整改和复验经过。</span>'
        )

    # actions -----------------------------------------------------------------------

    def new_defect(self) -> None:
        room = None
        if self.room.room_id is not None:
            room = (self.room.room_id, self.room.text())
        dialog = DefectDialog(self.ctx, self, room)
        dialog.exec()
        if not dialog.saved:
            return
        saved = dialog.saved[-1]
        self.refresh(
            select=saved, then=partial(self._add_photos, saved) if dialog.add_photos else None
        )

    def _add_photos(self, defect_id: int) -> None:
        row = self._find(defect_id)
        if row is not None:
            self.show_photos(row, pick=True)

    def _find(self, defect_id: int) -> DefectRow | None:
        """A defect even when the filter hides it (a new one is not overdue)."""
        if defect_id in self.rows:
            return self.rows[defect_id]
        ctx, read = self.ctx, list[list[DefectRow]]()
        Op(
            self, ctx.tasks, lambda: defects.list_defects(ctx.db, ctx.actor), title="验房问题"
        ).success(read.append).now()
        return next((r for r in read[0] if r.id == defect_id), None) if read else None

    def fix_selected(self) -> None:
        row = self.selected()
        if row is not None and DefectFixDialog(self.ctx, row, self).exec():
            self.refresh()

    def recheck_selected(self) -> None:
        row = self.selected()
        if row is not None and RecheckDialog(self.ctx, row, self).exec():
            self.refresh()

    def photos_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.show_photos(row)

    def show_photos(self, row: DefectRow, pick: bool = False) -> None:
        dialog = DefectPhotosDialog(self.ctx, row, self)
        dialog.pick_on_open = pick
        dialog.exec()
        if dialog.added:
            self.refresh()
