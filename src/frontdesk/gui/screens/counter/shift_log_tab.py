"""交接班: the outgoing clerk sees what the program drafted from every register, adds
notes and hands over (Ctrl+Enter); the incoming clerk types their own user name and
password right here to take the shift (Enter moves on, Enter again confirms); the book
by date beside it, with 补记 and the day's A4 page.

Messages show in the lines beside the buttons, not in boxes: the clerk is at the counter."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QInputDialog, QWidget

from frontdesk.domain import clock
from frontdesk.domain.shift_log import EntryKind, EntryState
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_shift_log_tab_ui import Ui_ShiftLogTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import qdate, to_date
from frontdesk.gui.screens.counter.shift_text import entry_text, waiting_text
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.shortcuts import add_shortcuts
from frontdesk.gui.widgets.tables import fill_sortable, row_id, select_row, set_headers
from frontdesk.services.shift_log import book
from frontdesk.services.shift_log.book import EntryRow, HandoverDraft

DRAFT_COLUMNS = ("登记簿", "交接事项", "明细")
BOOK_COLUMNS = ("时间", "类别", "交班人", "状态", "接班人")
GREEN, RED, AMBER = "#1e7b34", "#b3261e", "#8a5a00"
TEXT, DETAILS = 1, 2
TEXT_WIDTH = 210
SHOWN_DETAILS = 2  # the rest in the cell's tooltip and in the book


class ShiftLogTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_ShiftLogTab()
        ui.setupUi(self)
        self.waiting: EntryRow | None = None
        self.entries: dict[int, EntryRow] = {}
        set_headers(ui.draftTable, DRAFT_COLUMNS, stretch=2)
        # wrapped details take the height the columns' final widths give them
        ui.draftTable.horizontalHeader().sectionResized.connect(
            lambda *_section: ui.draftTable.resizeRowsToContents()
        )
        set_headers(ui.bookTable, BOOK_COLUMNS)
        ui.dateEdit.setDate(qdate(clock.today()))
        ui.handOverButton.clicked.connect(self.hand_over)
        ui.refreshButton.clicked.connect(self.refresh)
        ui.userEdit.returnPressed.connect(ui.passwordEdit.setFocus)
        ui.passwordEdit.returnPressed.connect(self.acknowledge)
        ui.ackButton.clicked.connect(self.acknowledge)
        ui.dateEdit.dateChanged.connect(lambda _day: self.load_book())
        ui.todayButton.clicked.connect(lambda: ui.dateEdit.setDate(qdate(clock.today())))
        ui.bookTable.itemSelectionChanged.connect(self._show_selected)
        ui.noteButton.clicked.connect(self.write_note)
        ui.printButton.clicked.connect(self.print_day)
        add_shortcuts(
            self,
            [("F5", self.refresh), ("Ctrl+Return", self.hand_over), ("Ctrl+Enter", self.hand_over)],
        )
        self.refresh()

    # reading --------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self.ctx
        Op(self, ctx.tasks, lambda: book.draft_handover(ctx.db, ctx.actor)).inline(
            self.ui.handResult, every_message=True
        ).success(self._show_draft).run()
        self.load_book()

    def _show_draft(self, draft: HandoverDraft) -> None:
        rows = [(i.register, i.text, _shown_details(i.details)) for i in draft.items]
        table = self.ui.draftTable
        fill_sortable(table, rows, set())
        for index, item in enumerate(draft.items):
            cell = table.item(index, DETAILS)
            if cell is not None and len(item.details) > SHOWN_DETAILS:
                cell.setToolTip("\n".join(item.details))
        table.setColumnWidth(TEXT, min(table.columnWidth(TEXT), TEXT_WIDTH))
        table.resizeRowsToContents()
        self._show_waiting(draft.waiting)

    def _show_waiting(self, waiting: EntryRow | None) -> None:
        ui, self.waiting = self.ui, waiting
        for widget in (ui.userEdit, ui.passwordEdit, ui.ackButton):
            widget.setEnabled(waiting is not None)
        if waiting is None:
            ui.waitingLabel.setText("没有待确认的交班。")
            ui.waitingLabel.setStyleSheet("")
            return
        ui.waitingLabel.setText(f"{waiting_text(waiting)}：接班人请输入自己的用户名和密码。")
        ui.waitingLabel.setStyleSheet(f"color: {AMBER}; font-weight: bold;")

    def day(self) -> date:
        return to_date(self.ui.dateEdit.date())

    def load_book(self) -> None:
        ctx, day, chosen = self.ctx, self.day(), self.selected_id()
        Op(self, ctx.tasks, lambda: book.book_entries(ctx.db, ctx.actor, day)).inline(
            self.ui.handResult, every_message=True
        ).success(lambda rows: self._show_book(rows, chosen)).run()

    def _show_book(self, rows: list[EntryRow], chosen: int | None) -> None:
        self.entries = {r.id: r for r in rows}
        cells = [
            (
                (f"{r.written_at.astimezone():%H:%M}", r.written_at.timestamp()),
                r.kind.label,
                r.written_by,
                r.state.label,
                _taker(r),
            )
            for r in rows
        ]
        fill_sortable(self.ui.bookTable, cells, set(), [r.id for r in rows])
        handovers = sum(1 for r in rows if r.kind == EntryKind.HANDOVER)
        self.ui.countLabel.setText(f"交班 {handovers} 次，补记 {len(rows) - handovers} 条")
        shown = chosen is not None and self.select_entry(chosen)
        if rows and not shown:  # the latest, to read at once
            self.select_entry(rows[-1].id)
        self._show_selected()  # also when the same row stays selected

    def selected_id(self) -> int | None:
        return row_id(self.ui.bookTable, self.ui.bookTable.currentRow())

    def select_entry(self, entry_id: int) -> bool:
        table = self.ui.bookTable
        for index in range(table.rowCount()):
            if row_id(table, index) == entry_id:
                select_row(table, index)
                return True
        return False

    def _show_selected(self) -> None:
        row = self.entries.get(self.selected_id() or 0)
        self.ui.entryView.setPlainText(entry_text(row, self.day()) if row else "")

    def say(self, where: str, text: str, color: str) -> None:
        label = self.ui.handResult if where == "hand" else self.ui.ackResult
        label.setStyleSheet(f"color: {color}; font-weight: bold;")
        label.setText(text)

    # handing over and taking over --------------------------------------------------

    def hand_over(self) -> None:
        question = "交班后本条记录不能修改（补充请写补记）。确定交班？"
        if not confirm(self, "交班", question):
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda notes: book.hand_over(ctx.db, ctx.actor, notes),
            given=self.ui.notesEdit.toPlainText,
        ).fields({"交班说明": self.ui.notesEdit}).inline(
            self.ui.handResult, every_message=True
        ).success(self._handed_over).run()

    def _handed_over(self, entry: EntryRow) -> None:
        ui = self.ui
        ui.notesEdit.clear()
        self.say("hand", f"已交班（{entry.written_at.astimezone():%H:%M}）。", GREEN)
        self._show_waiting(entry)
        ui.dateEdit.setDate(qdate(clock.today()))
        self.load_book()
        ui.userEdit.setFocus()

    def acknowledge(self) -> None:
        waiting, ui, db = self.waiting, self.ui, self.ctx.db
        if waiting is None:
            return
        if not ui.userEdit.text().strip():
            ui.userEdit.setFocus()
            return

        def sign(given: tuple[str, str]) -> EntryRow:
            return book.sign_and_acknowledge(db, waiting.id, *given)

        Op(
            self,
            self.ctx.tasks,
            sign,
            given=lambda: (ui.userEdit.text(), ui.passwordEdit.text()),
        ).inline(ui.ackResult, every_message=True).failure(self._not_taken).success(
            self._taken
        ).run()

    def _not_taken(self, _error: BaseException) -> None:
        self.ui.ackResult.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.ui.passwordEdit.clear()
        self.ui.passwordEdit.setFocus()

    def _taken(self, entry: EntryRow) -> None:
        ui = self.ui
        ui.userEdit.clear()
        ui.passwordEdit.clear()
        self.say("ack", f"{entry.acknowledged_by} 已确认接班。", GREEN)
        self.refresh()
        if self.select_entry(entry.id):
            self._show_selected()

    # the book ------------------------------------------------------------------------

    def write_note(self) -> None:
        row = self.entries.get(self.selected_id() or 0)
        if row is None:
            report_error(self, ValidationError("交接班记录", "请先在列表中选中一次交班"))
            return
        handover_id = row.follows_id if row.kind == EntryKind.NOTE else row.id
        text, ok = QInputDialog.getMultiLineText(
            self, "写补记", f"补充或更正 {row.written_at.astimezone():%m-%d %H:%M} 的交班："
        )
        if not ok or handover_id is None:
            return
        ctx = self.ctx
        Op(self, ctx.tasks, lambda: book.add_note(ctx.db, ctx.actor, handover_id, text)).inline(
            self.ui.handResult, every_message=True
        ).success(self._noted).run()

    def _noted(self, _note: EntryRow) -> None:
        self.say("hand", "补记已保存。", GREEN)
        self.load_book()

    def print_day(self) -> None:
        # reportlab loads when a page is drawn, not with the main window
        from frontdesk.printouts import shift_log as shift_log_printouts

        ctx, day = self.ctx, self.day()
        Op(
            self,
            ctx.tasks,
            lambda: shift_log_printouts.shift_log(ctx.db, ctx.actor, day),
            title="打印交接班记录",
        ).success(lambda printout: show_printout(ctx, printout, self)).run()


def _shown_details(details: tuple[str, ...]) -> str:
    if not details:
        return "—"
    shown = list(details[:SHOWN_DETAILS])
    if len(details) > SHOWN_DETAILS:
        shown.append(f"……共 {len(details)} 项（鼠标停留查看全部）")
    return "\n".join(shown)


def _taker(row: EntryRow) -> str:
    if row.state != EntryState.ACKNOWLEDGED or row.acknowledged_at is None:
        return ""
    return f"{row.acknowledged_by} {row.acknowledged_at.astimezone():%H:%M}"
