"""今日工作: the signed-in role's lines of the day (services/today), each a row that
opens the list behind it through the navigator. It reloads every minute, on each
show and when a committed write changes anything, the counting off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QWidget

from frontdesk.domain import clock
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.today_today_screen_ui import Ui_TodayScreen
from frontdesk.gui.navigation import AreaList
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.colours import AMBER, GREEN, RED
from frontdesk.gui.widgets.tables import set_headers
from frontdesk.services.database import Changes
from frontdesk.services.today.lines import Severity, TodayLine, TodayWork

REFRESH_MS = 60_000
COLUMNS = ("", "事项", "去处")
MARK, TEXT, WHERE = 0, 1, 2
MARKS = {Severity.ALARM: ("●", RED), Severity.WARN: ("●", AMBER), Severity.NORMAL: ("○", GREEN)}
AREA_TITLES = {
    "service": "客服",
    "visitors": "访客",
    "arrears": "催缴",
    "renovation": "装修",
    "movein": "入伙",
    "reports": "报表",
    "cashier": "收费",
    "settings": "设置",
}
WEEKDAYS = "一二三四五六日"


class TodayScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.work: TodayWork | None = None
        self.ui = ui = Ui_TodayScreen()
        ui.setupUi(self)
        set_headers(ui.table, COLUMNS, stretch=TEXT)
        header = ui.table.horizontalHeader()
        for column in (MARK, WHERE):  # the mark and where it leads, whole
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        vertical = ui.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setDefaultSectionSize(29)  # a supervisor's 17 lines at 1366×768
        ui.table.setStyleSheet("QTableWidget { font-size: 11pt; }")
        ui.table.cellClicked.connect(lambda row, _column: self.open_line(row))
        ui.table.cellActivated.connect(lambda row, _column: self.open_line(row))
        ui.refreshButton.clicked.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def focus_first_field(self) -> None:
        self.ui.table.setFocus()

    def _tick(self) -> None:
        if self.isVisible():  # hidden, it reloads when next shown
            self.refresh()

    def refresh(self) -> None:
        ctx = self.ctx

        def count() -> TodayWork:
            # The counting reads every area: loaded here, off the start-up's path.
            from frontdesk.services.today.work import today_work

            return today_work(ctx.db, ctx.actor)

        Op(self, ctx.tasks, count, title="今日工作").inline(
            self.ui.updatedLabel,
            every_message=True,  # a timer pops up no boxes (the status bar shows a lost server)
        ).success(self.show_work).run()

    def changed(self, _changes: Changes) -> None:
        self.refresh()  # every line counts something of another area: any write may move it

    def show_work(self, work: TodayWork) -> None:
        self.work = work
        day = work.day
        name = self.ctx.actor.display_name
        self.ui.dayLabel.setText(f"{day:%Y年%m月%d日} 星期{WEEKDAYS[day.weekday()]}　{name}")
        self.ui.updatedLabel.setText(f"更新于 {clock.now():%H:%M}")
        table = self.ui.table
        keep = table.currentRow()
        table.setRowCount(len(work.lines))
        for index, line in enumerate(work.lines):
            self._fill(index, line)
        if work.lines:
            table.setCurrentCell(min(max(keep, 0), len(work.lines) - 1), TEXT)

    def _fill(self, index: int, line: TodayLine) -> None:
        table = self.ui.table
        mark, colour = MARKS[line.severity]
        items = [
            QTableWidgetItem(mark),
            QTableWidgetItem(line.text),
            QTableWidgetItem(f"{AREA_TITLES.get(line.lead.area, '')} › {line.lead.tab}  ›"),
        ]
        items[MARK].setForeground(QBrush(QColor(colour)))
        items[MARK].setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if line.severity is not Severity.NORMAL:
            items[TEXT].setForeground(QBrush(QColor(colour)))
            font = items[TEXT].font()
            font.setBold(True)
            items[TEXT].setFont(font)
        items[WHERE].setForeground(QBrush(QColor("#1d5fa8")))
        for column, item in enumerate(items):
            item.setToolTip(f"打开：{AREA_TITLES.get(line.lead.area, '')} › {line.lead.tab}")
            table.setItem(index, column, item)

    def open_line(self, row: int) -> bool:
        """Open the list behind line `row`; False where the role cannot go there."""
        if self.work is None or not 0 <= row < len(self.work.lines):
            return False
        lead = self.work.lines[row].lead
        return self.ctx.navigator.go(AreaList(lead.area, lead.tab))
