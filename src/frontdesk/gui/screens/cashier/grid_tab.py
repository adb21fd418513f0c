"""楼栋收费状况: every room of a building as a coloured cell (floors top to bottom),
so the cashier sees who owes at a glance and opens a room's bills from it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableWidgetItem, QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_grid_tab_ui import Ui_GridTab
from frontdesk.gui.screens.cashier.grid_model import cell_text, counts_text, layout
from frontdesk.services.fees import grid as fee_grid
from frontdesk.services.fees.grid import FeeState, RoomFeeState
from frontdesk.services.households import structure

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
        shape = layout(states)
        grid.setColumnCount(len(shape.column_headers))
        grid.setRowCount(len(shape.row_headers))
        grid.setHorizontalHeaderLabels(shape.column_headers)
        grid.setVerticalHeaderLabels(shape.row_headers)
        for row, column, state in shape.cells:
            grid.setItem(row, column, self._cell(state))
        self.ui.countsLabel.setText(counts_text(states))
        grid.resizeRowsToContents()

    def _cell(self, state: RoomFeeState) -> QTableWidgetItem:
        item = QTableWidgetItem(cell_text(state))
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setBackground(QBrush(QColor(COLOURS[state.state])))
        item.setData(Qt.ItemDataRole.UserRole, state.room_id)
        item.setToolTip(f"{state.code}　{state.state.label}")
        return item

    def _open_cell(self, row: int, column: int) -> None:
        item = self.ui.grid.item(row, column)
        if item is not None:
            self.room_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
