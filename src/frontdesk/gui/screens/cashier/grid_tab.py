"""楼栋收费状况: every room of a building as a coloured cell (floors top to bottom),
so the cashier sees who owes at a glance and opens a room's bills from it."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QWidget

from frontdesk.domain.money import format_yuan
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_grid_tab_ui import Ui_GridTab
from frontdesk.services.fees import grid as fee_grid
from frontdesk.services.fees.grid import FeeState, RoomFeeState
from frontdesk.services.households import structure

PER_ROW = 10
# The legend's squares: the cell colours, a shade darker so they show on the window.
SWATCH = {"paid": "#8cc79b", "owing": "#e58a80", "vacant": "#b9c0c8", "unbilled": "#d5d9de"}
COLOURS = {
    FeeState.PAID: "#cfe8d5",
    FeeState.OWING: "#f6c9c4",
    FeeState.VACANT: "#e3e6ea",
    FeeState.UNBILLED: "#ffffff",
}


class GridTab(QWidget):
    """Signals: room_chosen(room_id)."""

    room_chosen = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_GridTab()
        ui.setupUi(self)
        for building in structure.list_buildings(ctx.db, ctx.actor):
            ui.buildingCombo.addItem(building.name, building.id)
        ui.legendLabel.setText(
            "　".join(
                f"<span style='color:{SWATCH[s]}; font-size:14pt'>■</span>{s.label}"
                for s in FeeState
            )
        )
        ui.buildingCombo.currentIndexChanged.connect(lambda _i: self.refresh())
        ui.grid.cellDoubleClicked.connect(self._open_cell)
        ui.grid.cellActivated.connect(self._open_cell)
        ui.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def refresh(self) -> None:
        building_id = self.ui.buildingCombo.currentData()
        if building_id is None:
            return
        states = fee_grid.building_fee_states(self.ctx.db, self.ctx.actor, int(building_id))
        self._draw(states)

    def _draw(self, states: list[RoomFeeState]) -> None:
        grid = self.ui.grid
        grid.clear()
        if all(s.unit for s in states):
            self._by_floor(states)
        else:
            self._in_rows(states)
        counts: dict[FeeState, int] = defaultdict(int)
        for state in states:
            counts[state.state] += 1
        self.ui.countsLabel.setText(
            "　".join(f"{s.label} {counts[s]} 户" for s in FeeState)
            + f"　欠费合计 ¥{format_yuan(sum(s.owed_fen for s in states))}"
        )
        grid.resizeRowsToContents()

    def _by_floor(self, states: list[RoomFeeState]) -> None:
        """Residential buildings: a row per floor, top floor first; a column per unit and door."""
        columns = sorted(
            {(s.unit or "", s.number[-2:]) for s in states}, key=lambda c: (c[0].zfill(4), c[1])
        )
        floors = sorted({s.floor for s in states}, reverse=True)
        grid = self.ui.grid
        grid.setColumnCount(len(columns))
        grid.setRowCount(len(floors))
        grid.setHorizontalHeaderLabels([f"{unit}单元{tail}" for unit, tail in columns])
        grid.setVerticalHeaderLabels([f"{floor}层" for floor in floors])
        for state in states:
            row = floors.index(state.floor)
            column = columns.index((state.unit or "", state.number[-2:]))
            grid.setItem(row, column, self._cell(state))

    def _in_rows(self, states: list[RoomFeeState]) -> None:
        """Shops, garages, storerooms: in number order, ten to a row."""
        grid = self.ui.grid
        grid.setColumnCount(PER_ROW)
        grid.setRowCount((len(states) + PER_ROW - 1) // PER_ROW)
        grid.setHorizontalHeaderLabels([str(n) for n in range(1, PER_ROW + 1)])
        grid.setVerticalHeaderLabels([str(r + 1) for r in range(grid.rowCount())])
        for index, state in enumerate(states):
            grid.setItem(index // PER_ROW, index % PER_ROW, self._cell(state))

    def _cell(self, state: RoomFeeState) -> QTableWidgetItem:
        text = state.number
        if state.state == FeeState.OWING:
            text += f"\n欠 {format_yuan(state.owed_fen)}"
        elif state.paid_through:
            text += f"\n至 {state.paid_through.year % 100:02d}/{state.paid_through.month:02d}"
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setBackground(QBrush(QColor(COLOURS[state.state])))
        item.setData(Qt.ItemDataRole.UserRole, state.room_id)
        item.setToolTip(f"{state.code}　{state.state.label}")
        return item

    def _open_cell(self, row: int, column: int) -> None:
        item = self.ui.grid.item(row, column)
        if item is not None:
            self.room_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
