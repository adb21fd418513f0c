"""通知存档: the counter answers "was this announced?" — notices found by the day they
were issued, the building they were posted in, the day the event they announced
covers, or words in them; the chosen one's full text beneath, its PDF on demand."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.notices import NoticeMode
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.notices_archive_tab_ui import Ui_ArchiveTab
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate
from frontdesk.gui.screens.notices import filters
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.tables import fill_sortable, row_id, select_row, set_headers
from frontdesk.services.notices import posting as notices
from frontdesk.services.notices.posting import NoticeFilter, NoticeRow

COLUMNS = ("编号", "标题", "范围", "份数", "事件时间", "发布时间", "发布人")
COPIES, ISSUED = 3, 5
DEFAULT_DAYS = 90
TITLE = "通知存档"
LETTER_HINT = "业户信函载有住户信息，原件请到“发文登记”中查看。"


def scope_text(row: NoticeRow) -> str:
    return row.scope if row.mode is NoticeMode.LOBBY else f"{row.scope}（业户信函）"


def notice_cells(row: NoticeRow) -> list[str | tuple[str, object]]:
    return [
        row.number,
        row.title,
        scope_text(row),
        (str(row.copies), row.copies),
        row.event,
        (local_time(row.issued_at, seconds=False), row.issued_at.isoformat()),
        row.by_name,
    ]


class ArchiveTab(filters.QueryTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[NoticeRow] = []
        self.ui = ui = Ui_ArchiveTab()
        ui.setupUi(self)
        filters.start_dates(ui.fromEdit, ui.toEdit, DEFAULT_DAYS)
        ui.happeningEdit.setDate(qdate(clock.today()))
        ui.happeningEdit.setEnabled(False)
        ui.buildingCombo.addItem(filters.ALL_BUILDINGS, None)
        ui.letterHint.setText(LETTER_HINT)
        ui.letterHint.setVisible(False)
        ui.openButton.setEnabled(False)
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.table.sortByColumn(ISSUED, Qt.SortOrder.DescendingOrder)
        ui.splitter.setStretchFactor(0, 3)
        ui.splitter.setStretchFactor(1, 2)
        ui.queryButton.clicked.connect(self.reload)
        ui.buildingCombo.currentIndexChanged.connect(lambda _i: self.reload())
        ui.happeningCheck.toggled.connect(ui.happeningEdit.setEnabled)
        ui.happeningCheck.toggled.connect(lambda _on: self.reload())
        ui.table.itemSelectionChanged.connect(self._show_selected)
        ui.table.cellDoubleClicked.connect(lambda _r, _c: self.open_copy())
        ui.openButton.clicked.connect(self.open_copy)

    # filtering ---------------------------------------------------------------------

    def refresh(self) -> None:
        """The buildings (one may have been added) and the notices again."""
        if filters.fill_buildings(self.ctx, self.ui.buildingCombo, self, TITLE):
            self.reload()

    def chosen_filter(self) -> NoticeFilter:
        ui = self.ui
        first, last = filters.chosen_dates(ui.fromEdit, ui.toEdit)
        happening = (
            filters.day_of(ui.happeningEdit.date()) if ui.happeningCheck.isChecked() else None
        )
        return NoticeFilter(
            since=first,
            until=last,
            building_id=ui.buildingCombo.currentData(),
            happening_on=happening,
            text=ui.searchEdit.text(),
        )

    def reload(self) -> None:
        selected, ctx = self.selected(), self.ctx
        Op(
            self,
            ctx.tasks,
            lambda flt: notices.list_notices(ctx.db, ctx.actor, flt),
            given=self.chosen_filter,
            title=TITLE,
        ).success(lambda rows: self._listed(rows, selected)).run()

    def _listed(self, rows: list[NoticeRow], selected: NoticeRow | None) -> None:
        self.rows = rows
        table = self.ui.table
        table.blockSignals(True)
        fill_sortable(table, [notice_cells(r) for r in self.rows], {COPIES}, self._ids())
        table.blockSignals(False)
        self._count()
        keep = self._position(selected.number) if selected else -1
        if keep >= 0:
            select_row(table, keep)
        else:
            table.clearSelection()
        self._show_selected()

    def _ids(self) -> list[int]:
        # A row's id is its index in self.rows (notices have no id in NoticeRow).
        return list(range(len(self.rows)))

    def _position(self, number: str) -> int:
        table = self.ui.table
        for index in range(table.rowCount()):
            found = row_id(table, index)
            if found is not None and self.rows[found].number == number:
                return index
        return -1

    def _count(self) -> None:
        rows = self.rows
        if not rows:
            self.ui.countLabel.setText("没有符合条件的通知。")
            return
        letters = sum(1 for r in rows if r.mode is NoticeMode.LETTER)
        text = f"<b>共 {len(rows)} 份通知</b>"
        if letters:
            text += f"，其中业户信函 {letters} 份"
        if len(rows) >= notices.MAX_ROWS:
            text += f"；只列出最近 {notices.MAX_ROWS} 份，请缩小日期范围"
        self.ui.countLabel.setText(text)

    # the chosen notice -------------------------------------------------------------

    def selected(self) -> NoticeRow | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        index = row_id(table, table.currentRow())
        return self.rows[index] if index is not None and index < len(self.rows) else None

    def _show_selected(self) -> None:
        ui = self.ui
        row = self.selected()
        if row is None:
            ui.textHeader.clear()
            ui.bodyText.clear()
            ui.openButton.setEnabled(False)
            ui.letterHint.setVisible(False)
            return
        parts = [row.number, row.mode.label, f"模板：{row.template_name}"]
        if row.event:
            parts.append(f"事件时间：{row.event}")
        parts.append(f"发文登记号：{row.document_number}")
        ui.textHeader.setText("　".join(parts))
        ui.bodyText.setPlainText(f"{row.title}\n\n{row.body}")
        letter = row.mode is NoticeMode.LETTER
        ui.openButton.setEnabled(not letter)
        ui.letterHint.setVisible(letter)

    def open_copy(self) -> None:
        row = self.selected()
        if row is None:
            QMessageBox.information(self, "查看原件", "请先在列表中选中一份通知。")
            return
        if row.mode is NoticeMode.LETTER:
            QMessageBox.information(self, "查看原件", LETTER_HINT)
            return
        ctx, number = self.ctx, row.number
        # Printing or saving it again registers a reprint of the original.
        Op(
            self,
            ctx.tasks,
            lambda: notices.notice_copy(ctx.db, ctx.actor, number),
            title="无法打开通知原件",
        ).success(lambda printout: show_printout(ctx, printout, self)).run()
