"""钥匙托管: the key cabinet. A key's tag typed or scanned (+ Enter) lends it when it is
in the cabinet and takes it back when it is out; overdue keys in red; Alt+N takes a new
key in, Alt+L lends, Alt+R takes back; a key goes back to its owner with the 钥匙退还确认单
to sign. Results show in the line beside the field: a box would swallow the next scan."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.key_custody import KeyState
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_keys_tab_ui import Ui_KeysTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.screens.counter.key_dialogs import KeyDialog, KeyHistoryDialog, LendDialog
from frontdesk.gui.screens.counter.key_lending_settings import KeyLendingSettingsDialog
from frontdesk.gui.widgets.colours import GREEN, RED
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.tables import Cell, fill_sortable, row_id, select_row, set_headers
from frontdesk.printouts import key_custody as key_papers
from frontdesk.services import key_custody
from frontdesk.services.key_custody import KeyLink, KeyRow, LendingRow

TITLE = "钥匙托管"
COLUMNS = key_papers.LIST_HEAD
ROOM, STATE = 1, 6
LATE = QBrush(QColor(RED))
FADED = QBrush(QColor("#8a8f98"))


def key_cells(row: KeyRow) -> list[Cell]:
    """The 托管钥匙清单's columns, the due time sorted by the instant."""
    *cells, due = key_papers.key_list_row(row)
    return [*cells, (due, row.due_back_at.timestamp() if row.due_back_at else 0.0)]


class KeysTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: dict[int, KeyRow] = {}
        self.ui = ui = Ui_KeysTab()
        ui.setupUi(self)
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.tagEdit.returnPressed.connect(self.tag_entered)
        ui.showReleasedCheck.toggled.connect(lambda _on: self.refresh())
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.show_history())
        ui.receiveButton.clicked.connect(self.receive)
        ui.lendButton.clicked.connect(self.lend_selected)
        ui.returnButton.clicked.connect(self.return_selected)
        ui.releaseButton.clicked.connect(self.release_selected)
        ui.historyButton.clicked.connect(self.show_history)
        ui.scanButton.clicked.connect(self.open_scan)
        ui.printButton.clicked.connect(self.print_list)
        ui.settingsButton.setVisible(ctx.can(Permission.EDIT_COMMUNITY))
        ui.settingsButton.clicked.connect(lambda: KeyLendingSettingsDialog.edit(ctx, self))
        self.refresh()

    # the list -------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        ctx, everything = self.ctx, self.ui.showReleasedCheck.isChecked()
        chosen = select if select is not None else self.selected_id()
        Op(
            self,
            ctx.tasks,
            lambda: key_custody.list_keys(ctx.db, ctx.actor, include_released=everything),
            title=TITLE,
        ).success(lambda rows: self._listed(rows, chosen)).run()

    def _listed(self, rows: list[KeyRow], chosen: int | None) -> None:
        self.rows = {r.id: r for r in rows}
        table = self.ui.table
        fill_sortable(table, [key_cells(r) for r in rows], set(), [r.id for r in rows])
        for index in range(table.rowCount()):
            row = self.rows[row_id(table, index) or 0]
            cell(table, index, ROOM).setToolTip(row.place)
            brush = {KeyState.OVERDUE: LATE, KeyState.RELEASED: FADED}.get(row.state)
            for column in range(table.columnCount()):
                if brush is not None:
                    cell(table, index, column).setForeground(brush)
        out = sum(1 for r in rows if r.borrower)
        late = sum(1 for r in rows if r.state == KeyState.OVERDUE)
        held = sum(1 for r in rows if r.state != KeyState.RELEASED)
        self.ui.countLabel.setText(f"托管 {held} 把，借出 {out} 把，逾期 {late} 把")
        if chosen is not None:
            self.select(chosen)

    def selected_id(self) -> int | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        return row_id(table, table.currentRow())

    def selected(self) -> KeyRow | None:
        key_id = self.selected_id()
        return None if key_id is None else self.rows.get(key_id)

    def select(self, key_id: int) -> None:
        table = self.ui.table
        for index in range(table.rowCount()):
            if row_id(table, index) == key_id:
                select_row(table, index)
                return

    def say(self, text: str, color: str) -> None:
        self.ui.resultLabel.setStyleSheet(f"font-weight: bold; color: {color};")
        self.ui.resultLabel.setText(text)

    def _need_selection(self) -> KeyRow | None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("钥匙", "请先在列表中选中一把钥匙"))
        return row

    # the tag field ----------------------------------------------------------------

    def tag_entered(self) -> None:
        """In the cabinet: lend it; out: take it back."""
        text, ctx = self.ui.tagEdit.text(), self.ctx
        if not text.strip():
            return
        Op(self, ctx.tasks, lambda: key_custody.find_key(ctx.db, ctx.actor, text)).inline(
            self.ui.resultLabel, every_message=True
        ).failure(self._tag_failed).success(self._found).run()

    def _tag_failed(self, error: BaseException) -> None:
        if isinstance(error, FrontDeskError):
            self.say(error.message, RED)
        self.ui.tagEdit.setFocus()
        self.ui.tagEdit.selectAll()

    def _found(self, row: KeyRow) -> None:
        self.select(row.id)
        if row.state in (KeyState.OUT, KeyState.OVERDUE):
            self.take_back(row)
        else:
            self.lend(row)

    # lending ----------------------------------------------------------------------

    def lend_selected(self) -> None:
        row = self._need_selection()
        if row is not None:
            self.lend(row)

    def lend(self, row: KeyRow) -> None:
        ctx, tag = self.ctx, row.tag
        Op(self, ctx.tasks, lambda: key_custody.key_links(ctx.db, ctx.actor, tag)).success(
            lambda links: self._open_lending(row, links)
        ).failure(self._tag_failed).run()

    def _open_lending(self, row: KeyRow, links: list[KeyLink]) -> None:
        dialog = LendDialog(self.ctx, row, links, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.lent is not None:
            lent = dialog.lent
            due = local_time(lent.due_back_at, seconds=False)
            self.say(f"已借出 {lent.tag}（{lent.room_code}）给 {lent.borrower}，应还 {due}", GREEN)
            self._done(row.id)
        else:
            self.ui.tagEdit.setFocus()

    def return_selected(self) -> None:
        row = self._need_selection()
        if row is not None:
            self.take_back(row)

    def take_back(self, row: KeyRow) -> None:
        ctx, tag = self.ctx, row.tag
        Op(self, ctx.tasks, lambda: key_custody.return_key(ctx.db, ctx.actor, tag)).inline(
            self.ui.resultLabel, every_message=True
        ).failure(self._tag_failed).success(lambda back: self._returned(row, back)).run()

    def _returned(self, row: KeyRow, back: LendingRow) -> None:
        late = "（逾期归还）" if back.overdue else ""
        self.say(f"已归还 {back.tag}（{back.room_code}），借用人 {back.borrower}{late}", GREEN)
        self._done(row.id)

    def _done(self, key_id: int) -> None:
        self.ui.tagEdit.clear()
        self.ui.tagEdit.setFocus()
        self.refresh(select=key_id)

    # taking in, handing back ----------------------------------------------------------

    def receive(self) -> None:
        dialog = KeyDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            saved = dialog.saved
            self.say(
                f"已登记 {saved.tag}（{saved.room_code}），请在钥匙牌上写编号 {saved.tag}", GREEN
            )
            self.refresh(select=saved.id)

    def release_selected(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        who, ok = QInputDialog.getText(
            self, "退还业主", f"{row.tag}（{row.room_code}）领回人：", text=row.authorised_by
        )
        if not ok:
            return
        question = (
            f"将钥匙 {row.tag}（{row.room_code}）退还给 {who.strip()}，并打印钥匙退还确认单签字？"
        )
        if not confirm(self, "退还业主", question):
            return
        ctx, tag = self.ctx, row.tag
        Op(self, ctx.tasks, lambda: key_custody.release_key(ctx.db, ctx.actor, tag, who)).success(
            lambda _row: self._released(tag)
        ).run()

    def _released(self, tag: str) -> None:
        self.refresh()
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: key_papers.key_return(ctx.db, ctx.actor, tag),
            title="钥匙退还确认单",
        ).success(lambda printout: show_printout(ctx, printout, self)).run()

    # looking -------------------------------------------------------------------------

    def show_history(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        ctx, tag = self.ctx, row.tag
        Op(self, ctx.tasks, lambda: key_custody.key_history(ctx.db, ctx.actor, tag)).success(
            lambda found: KeyHistoryDialog(*found, parent=self).exec()
        ).run()

    def open_scan(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        ctx, key_id = self.ctx, row.id
        Op(self, ctx.tasks, lambda: key_custody.scan_file(ctx.db, ctx.actor, key_id)).success(
            lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        ).run()

    def print_list(self) -> None:
        ctx = self.ctx
        Op(
            self, ctx.tasks, lambda: key_papers.key_list(ctx.db, ctx.actor), title="托管钥匙清单"
        ).success(lambda printout: show_printout(ctx, printout, self)).run()
