"""访客记录: visits found by date, household, phone, plate or purpose, exported to
Excel; beneath them the first day's counts by purpose and by arrival hour."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.clock import local_clock, local_time
from frontdesk.domain.visitors import FREQUENT_DAYS, FREQUENT_VISITS, Purpose
from frontdesk.errors import ValidationError
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.visitors_history_tab_ui import Ui_HistoryTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell, qdate, to_date
from frontdesk.gui.screens.visitors.common import show_pass
from frontdesk.gui.screens.visitors.order_choice import purpose_text
from frontdesk.gui.widgets.forms import Choices
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.services.visitors import history as visitor_history
from frontdesk.services.visitors.history import DayCounts, VisitFilter
from frontdesk.services.visitors.register import VisitRow

COLUMNS = (
    "访客单号",
    "到访房屋",
    "访客",
    "电话",
    "人数",
    "车牌",
    "事由",
    "确认方式",
    "到达",
    "离开",
    "状态",
    "登记人",
)
VISITOR, PARTY, ARRIVED = 2, 4, 8
WATCH_MARK, FREQUENT_MARK = "〔黑名单〕", "〔频繁〕"
WATCH_COLOUR, FREQUENT_COLOUR = QColor("#b3261e"), QColor("#9a6700")
WATCH_TIP = "登记时黑名单提示，前台核实后仍然登记"
FREQUENT_TIP = f"{FREQUENT_DAYS} 天内到访同一户超过 {FREQUENT_VISITS} 次，可能是未登记的住户"
HOUR_SHADE = QColor("#4a7bd0")
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def arrival_text(row: VisitRow, this_year: int) -> str:
    """Month, day and clock; the year only for an earlier year (keeps the table narrow)."""
    arrived = row.arrived_at.astimezone()
    return f"{arrived:%Y-%m-%d %H:%M}" if arrived.year != this_year else f"{arrived:%m-%d %H:%M}"


def leave_text(row: VisitRow) -> str:
    """The clock alone when the visitor left the day they came."""
    if row.left_at is None:
        return ""
    same_day = row.left_at.astimezone().date() == row.arrived_at.astimezone().date()
    return local_clock(row.left_at) if same_day else local_time(row.left_at, seconds=False)


def visitor_text(row: VisitRow) -> str:
    marks = (WATCH_MARK if row.watch_hit else "") + (FREQUENT_MARK if row.frequent else "")
    return f"{row.visitor}{marks}"


def visit_cells(row: VisitRow, this_year: int) -> list[str | tuple[str, object]]:
    return [
        row.number,
        row.room_code,
        visitor_text(row),
        row.phone,
        (str(row.party_size), row.party_size),
        row.plate,
        purpose_text(row),
        row.confirmation_text,
        (arrival_text(row, this_year), row.arrived_at.isoformat()),
        (leave_text(row), row.left_at.isoformat() if row.left_at else ""),
        row.state.label,
        row.registered_by,
    ]


def mark_flags(table: QTableWidget, index: int, row: VisitRow) -> None:
    item = cell(table, index, VISITOR)
    tips = [
        text for flag, text in ((row.watch_hit, WATCH_TIP), (row.frequent, FREQUENT_TIP)) if flag
    ]
    if tips:
        item.setToolTip("\n".join(tips))
        item.setForeground(QBrush(WATCH_COLOUR if row.watch_hit else FREQUENT_COLOUR))
    if row.note:
        cell(table, index, 0).setToolTip(f"备注：{row.note}")
    cell(table, index, 1).setToolTip(row.place)
    cell(table, index, ARRIVED).setToolTip(local_time(row.arrived_at))


def shade(count: int, most: int) -> QBrush:
    colour = QColor(HOUR_SHADE)
    colour.setAlphaF(0.15 + 0.6 * count / most)
    return QBrush(colour)


def setup_count_table(table: QTableWidget, columns: list[str], rows: list[str]) -> None:
    """A small fixed table that fills the width: one column per purpose or hour."""
    table.setColumnCount(len(columns))
    table.setRowCount(len(rows))
    table.setHorizontalHeaderLabels(columns)
    table.setVerticalHeaderLabels(rows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    height = table.horizontalHeader().sizeHint().height()
    height += len(rows) * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth()
    table.setFixedHeight(height)


def set_count(table: QTableWidget, row: int, column: int, text: str) -> None:
    cell = QTableWidgetItem(text)
    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    table.setItem(row, column, cell)


class HistoryTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[VisitRow] = []
        self.export_path: str | None = None
        self.ui = ui = Ui_HistoryTab()
        ui.setupUi(self)
        self.room = RoomPicker(ctx, ui.roomHost)
        self.room.setPlaceholderText("全部房屋；输入房号或业主姓名查找")
        ui.roomLayout.addWidget(self.room)
        ui.roomCaption.setBuddy(self.room)
        self.setTabOrder(ui.toEdit, self.room)
        self.setTabOrder(self.room, ui.clearRoomButton)
        self.purposes: Choices[Purpose | None] = Choices(
            ui.purposeCombo, [("全部", None), *((p.label, p) for p in Purpose)], None
        )
        today = qdate(clock.today())
        ui.fromEdit.setDate(today)
        ui.toEdit.setDate(today)
        self.fields: dict[str, QWidget] = {
            "房屋": self.room,
            "访客电话": ui.phoneEdit,
            "车牌号": ui.plateEdit,
            "结束日期": ui.toEdit,
        }
        self._setup_tables()
        ui.legendLabel.setText(
            f'<span style="color: {WATCH_COLOUR.name()};">{WATCH_MARK}</span>{WATCH_TIP}　'
            f'<span style="color: {FREQUENT_COLOUR.name()};">{FREQUENT_MARK}</span>{FREQUENT_TIP}'
        )
        ui.queryButton.clicked.connect(self.refresh)
        ui.clearRoomButton.clicked.connect(self.clear_room)
        self.room.room_chosen.connect(lambda _id: self.refresh())  # Enter there stops there
        ui.purposeCombo.currentIndexChanged.connect(lambda _i: self.refresh())
        ui.exportButton.clicked.connect(self.export_excel)
        ui.reprintButton.clicked.connect(self.reprint_pass)
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.reprint_pass())
        printing.add_preview_key(self, lambda: self.reprint_pass(preview=True), ui.reprintButton)

    def _setup_tables(self) -> None:
        ui = self.ui
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.table.sortByColumn(ARRIVED, Qt.SortOrder.DescendingOrder)
        purposes = [p.label for p in Purpose]
        setup_count_table(ui.purposeTable, [*purposes, "合计"], ["批次", "人数"])
        setup_count_table(ui.hourTable, [f"{h}时" for h in range(24)], ["到达批次"])
        ui.splitter.setStretchFactor(0, 1)
        ui.splitter.setStretchFactor(1, 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in any filter runs the query (line edits and date edits pass it up).
        if event.key() in ENTER_KEYS:
            self.refresh()
            return
        super().keyPressEvent(event)

    def chosen_filter(self) -> VisitFilter:
        ui = self.ui
        if self.room.text().strip() and self.room.room_id is None:
            raise ValidationError("房屋", "请从查找结果中选择一户，或点“清除”查看全部房屋")
        return VisitFilter(
            day_from=to_date(ui.fromEdit.date()),
            day_to=to_date(ui.toEdit.date()),
            room_id=self.room.room_id,
            phone=ui.phoneEdit.text(),
            plate=ui.plateEdit.text(),
            purpose=self.purposes.value(),
        )

    def refresh(self) -> None:
        db, actor, today = self.ctx.db, self.ctx.actor, clock.today()
        Op(
            self,
            self.ctx.tasks,
            lambda flt: (
                flt,
                visitor_history.search_visits(db, actor, flt),
                visitor_history.day_counts(db, actor, flt.day_from or today),
            ),
            given=self.chosen_filter,
            title="访客记录",
        ).fields(self.fields).success(lambda found: self._found(*found)).run()

    def _found(self, flt: VisitFilter, rows: list[VisitRow], counts: DayCounts) -> None:
        self.rows = rows
        self._show_rows()
        self._show_counts(counts, flt)

    def _show_rows(self) -> None:
        table, rows = self.ui.table, self.rows
        this_year = clock.today().year
        cells = [visit_cells(r, this_year) for r in rows]
        fill_sortable(table, cells, {PARTY}, [r.id for r in rows])
        by_id = {r.id: r for r in rows}
        for index in range(table.rowCount()):
            mark_flags(table, index, by_id[row_id(table, index) or 0])
        people = sum(r.party_size for r in rows)
        parts = [f"<b>共 {len(rows)} 次到访，{people} 人</b>"]
        watch = sum(1 for r in rows if r.watch_hit)
        frequent = sum(1 for r in rows if r.frequent)
        if watch:
            parts.append(f"黑名单提示后登记 {watch} 次")
        if frequent:
            parts.append(f"频繁到访 {frequent} 次")
        if len(rows) >= visitor_history.HISTORY_LIMIT:
            parts.append(f"只列出最近 {visitor_history.HISTORY_LIMIT} 次，请缩小日期范围")
        self.ui.countLabel.setText("；".join(parts))

    def _show_counts(self, counts: DayCounts, flt: VisitFilter) -> None:
        ui = self.ui
        ui.dayGroup.setTitle(f"{counts.day:%Y-%m-%d} 当日统计")
        first_day_only = flt.day_to is not None and flt.day_to != counts.day
        ui.dayLabel.setText(
            f"当天共 <b>{counts.visits}</b> 批、<b>{counts.people}</b> 人到访"
            + ("（统计的是开始日期当天）" if first_day_only else "")
        )
        for column, purpose in enumerate(Purpose):
            visits, people = counts.by_purpose.get(purpose, (0, 0))
            set_count(ui.purposeTable, 0, column, str(visits))
            set_count(ui.purposeTable, 1, column, str(people))
        set_count(ui.purposeTable, 0, len(Purpose), str(counts.visits))
        set_count(ui.purposeTable, 1, len(Purpose), str(counts.people))
        most = max(counts.by_hour)
        for hour, visits in enumerate(counts.by_hour):
            set_count(ui.hourTable, 0, hour, str(visits) if visits else "")
            if visits:
                cell(ui.hourTable, 0, hour).setBackground(shade(visits, most))

    # actions -----------------------------------------------------------------------

    def clear_room(self) -> None:
        self.room.clear_room()
        self.refresh()

    def selected(self) -> VisitRow | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        visit_id = row_id(table, table.currentRow())
        return next((r for r in self.rows if r.id == visit_id), None)

    def reprint_pass(self, *, preview: bool = False) -> None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("访客记录", "请先在列表中选中一次到访"))
            return
        show_pass(self, self.ctx, row.id, row.number, preview=preview)

    def export_excel(self) -> None:
        if not self.rows:
            QMessageBox.information(self, "导出 Excel", "当前查询没有访客记录可导出。")
            return
        ui = self.ui
        default = (
            f"访客记录-{to_date(ui.fromEdit.date()):%Y%m%d}-{to_date(ui.toEdit.date()):%Y%m%d}.xlsx"
        )
        path, _ = QFileDialog.getSaveFileName(
            self, "导出访客记录", default, "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        rows = self.rows
        Op(
            self,
            self.ctx.tasks,
            lambda: visitor_history.write_visits_xlsx(rows, Path(path)),
            title="导出访客记录",
        ).labelled("正在导出访客记录…").success(lambda _: self._exported(path, len(rows))).run()

    def _exported(self, path: str, count: int) -> None:
        self.export_path = path
        QMessageBox.information(self, "导出 Excel", f"已导出 {count} 条访客记录到\n{path}")
