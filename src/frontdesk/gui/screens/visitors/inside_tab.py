"""在场访客: everyone not signed out, overdue ones amber, those left open from an
earlier shift red; sign-out by the pass number a gate scanner types (+ Enter) or by
the last four digits of a pass issued today,
reprints, and the roll-call list for a fire drill.

Sign-out errors show in the line beside the field, never in a dialog: a dialog
would swallow the next scan.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QInputDialog, QTableWidget, QTableWidgetItem, QWidget

from frontdesk.domain import clock
from frontdesk.domain.visitors import VisitState
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui import printing
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.visitors_inside_tab_ui import Ui_InsideTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.screens.visitors.common import GREEN, RED, REFRESH_MS, board_counts, show_pass
from frontdesk.gui.screens.visitors.order_choice import purpose_text
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.tables import Cell, fill_sortable, row_id, select_row, set_headers
from frontdesk.printouts import visitors as visitor_printouts
from frontdesk.services.visitors import register as visitors
from frontdesk.services.visitors.register import InsideBoard, VisitRow

COLUMNS = (
    "访客单号",
    "访客",
    "电话",
    "人数",
    "车牌",
    "到访房屋",
    "事由",
    "到达",
    "预计离开",
    "状态",
)
PARTY, ROOM, STATE = 3, 5, 9
AMBER, PINK = "#fff1c2", "#fbe3e0"
STATE_BRUSHES = {VisitState.OVERDUE: QBrush(QColor(AMBER)), VisitState.STALE: QBrush(QColor(PINK))}
STATE_TIPS = {
    VisitState.OVERDUE: "已过预计离开时间，请留意访客是否已离开",
    VisitState.STALE: "之前的班次登记，至今未签离；请核实访客是否已离开后签离",
}
LEGEND = (
    f"<span style='background:{AMBER}'>&nbsp;黄底：超时未离&nbsp;</span>　"
    f"<span style='background:{PINK}'>&nbsp;红底：跨日未签离&nbsp;</span>"
)


def row_items(table: QTableWidget, index: int) -> list[QTableWidgetItem]:
    cells = (table.item(index, column) for column in range(table.columnCount()))
    return [item for item in cells if item is not None]


def clock_cell(at: datetime, today: date) -> Cell:
    """Today's times as 14:03; an earlier day's with its date."""
    local = at.astimezone()
    text = f"{local:%H:%M}" if local.date() == today else f"{local:%m-%d %H:%M}"
    return text, local.timestamp()


def visit_cells(row: VisitRow, today: date) -> list[Cell]:
    return [
        row.number,
        row.visitor,
        row.phone,
        (str(row.party_size), row.party_size),
        row.plate,
        row.room_code,
        purpose_text(row),
        clock_cell(row.arrived_at, today),
        clock_cell(row.expected_leave_at, today),
        row.state.label,
    ]


class InsideTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_InsideTab()
        ui.setupUi(self)
        self.board = InsideBoard([])
        self._by_id: dict[int, VisitRow] = {}
        self._assembly_point = ""  # offered again at the next drill
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.legendLabel.setText(LEGEND)
        ui.signOutEdit.returnPressed.connect(self.sign_out_typed)
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.sign_out_selected())
        ui.signOutButton.clicked.connect(self.sign_out_selected)
        ui.reprintButton.clicked.connect(self.reprint)
        printing.add_preview_key(self, lambda: self.reprint(preview=True), ui.reprintButton)
        ui.rollCallButton.clicked.connect(self.print_roll_call)
        ui.refreshButton.clicked.connect(self.refresh)
        refresh_key = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh_key.activated.connect(self.refresh)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self.ui.signOutEdit.setFocus()  # ready for the scanner

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    # the board ------------------------------------------------------------------

    def refresh(self) -> None:
        chosen, ctx = self.selected_id(), self.ctx
        Op(self, ctx.tasks, lambda: visitors.inside_now(ctx.db, ctx.actor)).inline(
            self.ui.signOutResult,
            every_message=True,  # a timer pops up no boxes
        ).failure(self._failed).success(lambda board: self._show(board, chosen)).run()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, FrontDeskError):
            self.say(error.message, RED)

    def _show(self, board: InsideBoard, chosen: int | None) -> None:
        self.board = board
        self._fill()
        if chosen is not None:
            self.select_visit(chosen)
        stale = self.board.count(VisitState.STALE)
        self.ui.staleBanner.setText(f"有 {stale} 位访客在之前的班次登记后未签离，请核实后签离")
        self.ui.staleBanner.setVisible(stale > 0)
        self.ui.countLabel.setText(board_counts(self.board))

    def _fill(self) -> None:
        rows, table, today = self.board.rows, self.ui.table, clock.today()
        self._by_id = {r.id: r for r in rows}
        fill_sortable(table, [visit_cells(r, today) for r in rows], {PARTY}, [r.id for r in rows])
        for index in range(table.rowCount()):
            self._mark_state(index, self._by_id[row_id(table, index) or 0])

    def _mark_state(self, index: int, row: VisitRow) -> None:
        items = row_items(self.ui.table, index)
        items[ROOM].setToolTip(row.place)
        brush = STATE_BRUSHES.get(row.state)
        if brush is None:
            return
        for item in items:
            item.setBackground(brush)
        state = items[STATE]
        state.setToolTip(STATE_TIPS[row.state])
        if row.state == VisitState.STALE:
            state.setForeground(QBrush(QColor(RED)))
            bold = QFont(state.font())
            bold.setBold(True)
            state.setFont(bold)

    def selected_id(self) -> int | None:
        return row_id(self.ui.table, self.ui.table.currentRow())

    def selected(self) -> VisitRow | None:
        visit_id = self.selected_id()
        return None if visit_id is None else self._by_id.get(visit_id)

    def select_visit(self, visit_id: int) -> bool:
        table = self.ui.table
        for index in range(table.rowCount()):
            if row_id(table, index) == visit_id:
                select_row(table, index)
                return True
        return False

    def say(self, text: str, color: str) -> None:
        label = self.ui.signOutResult
        label.setStyleSheet(f"font-size: 12pt; font-weight: bold; color: {color};")
        label.setText(text)

    # signing out ----------------------------------------------------------------

    def sign_out_typed(self) -> None:
        if self.ui.signOutEdit.text().strip():
            self.sign_out(self.ui.signOutEdit.text())

    def sign_out_selected(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        question = f"确定签离访客单 {row.number}　{row.visitor}（{row.room_code}）？"
        if confirm(self, "签离", question):
            self.sign_out(row.number)

    def sign_out(self, number_text: str) -> None:
        ctx = self.ctx
        Op(self, ctx.tasks, lambda: visitors.sign_out(ctx.db, ctx.actor, number_text)).inline(
            self.ui.signOutResult, every_message=True
        ).failure(self._sign_out_failed).success(self._signed_out).run()

    def _sign_out_failed(self, error: BaseException) -> None:
        self._failed(error)
        edit = self.ui.signOutEdit
        edit.setFocus()
        edit.selectAll()  # the next scan replaces it

    def _signed_out(self, row: VisitRow) -> None:
        edit = self.ui.signOutEdit
        self.say(f"已签离 {row.number} {row.visitor}（{row.room_code}）", GREEN)
        edit.clear()
        edit.setFocus()
        self.refresh()

    # printing -------------------------------------------------------------------

    def _need_selection(self) -> VisitRow | None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("访客", "请先在列表中选中一位访客"))
        return row

    def reprint(self, *, preview: bool = False) -> None:
        """The selected visitor's pass again: printed, or (`preview`) in the preview."""
        row = self._need_selection()
        if row is not None:
            show_pass(self, self.ctx, row.id, row.number, preview=preview)

    def print_roll_call(self) -> None:
        point, ok = QInputDialog.getText(
            self, "打印点名表", "集合点（可留空，打印后手写）：", text=self._assembly_point
        )
        if not ok:
            return
        self._assembly_point = point.strip()
        ctx, point = self.ctx, self._assembly_point
        Op(
            self,
            ctx.tasks,
            lambda: visitor_printouts.roll_call(ctx.db, ctx.actor, assembly_point=point),
            title="打印点名表",
        ).success(lambda printout: show_printout(ctx, printout, self)).run()
