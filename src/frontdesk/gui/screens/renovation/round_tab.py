"""日常巡查: the renovations under way today (permit issued, not yet accepted), by
building and room, with the days left, the inspections due and the open violations —
the list the inspector walks with. Overdue ones are red."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.renovation_round_tab_ui import Ui_RoundTab
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.screens.renovation.works_tab import RED
from frontdesk.gui.widgets.status import days_text, paint_status, period
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.services.renovation import views as renovation_views
from frontdesk.services.renovation.views import RenovationRow

COLUMNS = ("楼栋", "房号", "施工单位", "工期", "剩余天数", "待验收节点", "违规", "状态")
DAYS_LEFT, NODES, VIOLATIONS, STATUS = 4, 5, 6, 7


def round_cells(row: RenovationRow) -> list[str | tuple[str, object]]:
    return [
        row.building,
        (row.room_code, row.room_code),
        row.contractor,
        (period(row), row.starts_on.isoformat()),
        (days_text(row), row.days_left),
        ("、".join(row.nodes_due), len(row.nodes_due)),
        (f"{row.open_violations} 起" if row.open_violations else "", row.open_violations),
        row.status.label,
    ]


class RoundTab(QWidget):
    """Signals: open_requested(renovation_id) — a double-click, to 装修登记."""

    open_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[RenovationRow] = []
        self.ui = ui = Ui_RoundTab()
        ui.setupUi(self)
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        ui.buildingCombo.addItem("全部楼栋", None)
        ui.buildingCombo.currentIndexChanged.connect(lambda _i: self._show())
        ui.table.cellDoubleClicked.connect(self._open)

    def refresh(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: renovation_views.list_renovations(ctx.db, ctx.actor, active_only=True),
            title="日常巡查",
        ).success(self._found).run()

    def _found(self, found: list[RenovationRow]) -> None:
        self.rows = sorted(found, key=lambda r: (r.building, r.room_code))
        combo = self.ui.buildingCombo
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部楼栋", None)
        for building in dict.fromkeys(r.building for r in self.rows):
            combo.addItem(building, building)
        index = combo.findData(keep)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        self._show()

    def _show(self) -> None:
        wanted = self.ui.buildingCombo.currentData()
        rows = [r for r in self.rows if wanted is None or r.building == wanted]
        table = self.ui.table
        fill_sortable(table, [round_cells(r) for r in rows], {VIOLATIONS}, [r.id for r in rows])
        by_id = {r.id: r for r in rows}
        for index in range(table.rowCount()):
            row = by_id[row_id(table, index) or 0]
            paint_status(table, index, row.status, STATUS)
            if row.overdue:
                cell(table, index, DAYS_LEFT).setForeground(QBrush(RED))
            if row.open_violations:
                cell(table, index, VIOLATIONS).setForeground(QBrush(RED))
        overdue = sum(1 for r in rows if r.overdue)
        violations = sum(1 for r in rows if r.open_violations)
        due = sum(1 for r in rows if r.nodes_due)
        red = RED.name()
        parts = [f"施工期内 {len(rows)} 户", f"待验收 {due} 户"]
        parts.append(
            f"<span style='color: {red}'>逾期 {overdue} 户</span>" if overdue else "逾期 0 户"
        )
        parts.append(
            f"<span style='color: {red}'>有违规 {violations} 户</span>"
            if violations
            else "有违规 0 户"
        )
        self.ui.countLabel.setText("　".join(parts))

    def _open(self, index: int, _column: int) -> None:
        rid = row_id(self.ui.table, index)
        if rid is not None:
            self.open_requested.emit(rid)
