"""户档案 in its first form: the community's buildings, units and rooms.

The household file (一户一档) grows on this screen in a later release; for now
it browses and maintains the structure every other area hangs on.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidgetItem,
    QWidget,
)

from frontdesk.domain.area import format_m2
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import RoomStatus, RoomType, room_label
from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.rooms_building_dialog_ui import Ui_BuildingDialog
from frontdesk.gui.forms.rooms_room_dialog_ui import Ui_RoomDialog
from frontdesk.gui.forms.rooms_rooms_screen_ui import Ui_RoomsScreen
from frontdesk.gui.messages import show_error
from frontdesk.gui.widgets.lazy_table import Column, LazyTableModel
from frontdesk.services import structure
from frontdesk.services.structure import NewBuilding, RoomChange, RoomFilter, RoomRow

ROOM_COLUMNS: list[Column[RoomRow]] = [
    Column("房号", lambda r: r.code),
    Column("楼栋", lambda r: r.building),
    Column("单元", lambda r: f"{r.unit}单元" if r.unit else ""),
    Column("楼层", lambda r: str(r.floor), align_right=True),
    Column("建筑面积(㎡)", lambda r: format_m2(r.area_m2_x100), align_right=True),
    Column("类型", lambda r: r.room_type.label),
    Column("状态", lambda r: r.status.label),
]


E = TypeVar("E", RoomStatus, RoomType)


def _chosen(combo: QComboBox, kind: type[E]) -> E | None:
    """The enum behind a combo entry (Qt hands StrEnum data back as plain str)."""
    data = combo.currentData()
    return kind(data) if data else None


class BuildingDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_BuildingDialog()
        self.ui.setupUi(self)
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("创建")
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        for spin in (self.ui.floorsSpin, self.ui.unitsSpin, self.ui.perFloorSpin):
            spin.valueChanged.connect(self._preview)
        self._preview()

    def _preview(self) -> None:
        units = max(self.ui.unitsSpin.value(), 1)
        rooms = units * self.ui.floorsSpin.value() * self.ui.perFloorSpin.value()
        self.ui.previewLabel.setText(
            f"将生成 {rooms} 间住宅，房号按“楼层+序号”编排（如 101、102），"
            "状态为“未售”，之后可逐间修改。"
        )

    def value(self) -> NewBuilding:
        ui = self.ui
        return NewBuilding(
            ui.codeEdit.text(),
            ui.nameEdit.text(),
            ui.floorsSpin.value(),
            ui.unitsSpin.value(),
            ui.perFloorSpin.value(),
            ui.areaEdit.text(),
        )

    @classmethod
    def ask(cls, parent: QWidget) -> NewBuilding | None:
        dialog = cls(parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RoomDialog(QDialog):
    def __init__(self, room: RoomRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RoomDialog()
        self.ui.setupUi(self)
        self.ui.roomLabel.setText(f"{room.code}（{room.building}）")
        self.ui.areaEdit.setText(format_m2(room.area_m2_x100).replace(",", ""))
        for room_type in RoomType:
            self.ui.typeCombo.addItem(room_type.label, room_type)
        for status in RoomStatus:
            self.ui.statusCombo.addItem(status.label, status)
        self.ui.typeCombo.setCurrentIndex(list(RoomType).index(room.room_type))
        self.ui.statusCombo.setCurrentIndex(list(RoomStatus).index(room.status))
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def value(self) -> RoomChange:
        return RoomChange(
            self.ui.areaEdit.text(),
            self.ui.typeCombo.currentData(),
            self.ui.statusCombo.currentData(),
        )

    @classmethod
    def ask(cls, parent: QWidget, room: RoomRow) -> RoomChange | None:
        dialog = cls(room, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RoomsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_RoomsScreen()
        self.ui.setupUi(self)
        self.model: LazyTableModel[RoomRow] = LazyTableModel(
            ROOM_COLUMNS, lambda ids: structure.room_rows(ctx.db, ctx.actor, ids), lambda r: r.id
        )
        self._setup_table()
        self._setup_filters()
        self.ui.splitter.setSizes([170, 640, 290])
        self.ui.buildingTree.currentItemChanged.connect(lambda *_: self.reload_rooms())
        self.ui.addBuildingButton.clicked.connect(self.add_building)
        self.ui.editRoomButton.clicked.connect(self.edit_room)
        self.ui.roomTable.doubleClicked.connect(lambda _index: self.edit_room())
        can_edit = ctx.can(Permission.EDIT_STRUCTURE)
        self.ui.addBuildingButton.setVisible(can_edit)
        self.ui.editRoomButton.setVisible(can_edit)
        self.refresh()

    def _setup_table(self) -> None:
        table = self.ui.roomTable
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((110, 80, 60, 50, 110, 70, 70)):
            table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        table.selectionModel().currentRowChanged.connect(lambda current, _: self._show(current))

    def _setup_filters(self) -> None:
        self.ui.statusCombo.addItem("全部", None)
        for status in RoomStatus:
            self.ui.statusCombo.addItem(status.label, status)
        self.ui.typeCombo.addItem("全部", None)
        for room_type in RoomType:
            self.ui.typeCombo.addItem(room_type.label, room_type)
        self.ui.statusCombo.currentIndexChanged.connect(lambda _: self.reload_rooms())
        self.ui.typeCombo.currentIndexChanged.connect(lambda _: self.reload_rooms())

    def refresh(self) -> None:
        """Rebuild the building tree (keeping the selection) and the room list."""
        tree = self.ui.buildingTree
        current = tree.currentItem()
        keep = current.data(0, Qt.ItemDataRole.UserRole) if current else None
        tree.blockSignals(True)
        tree.clear()
        everything = QTreeWidgetItem(["全部房屋"])
        everything.setData(0, Qt.ItemDataRole.UserRole, ("all", None))
        tree.addTopLevelItem(everything)
        selected = everything
        for building in structure.list_buildings(self.ctx.db, self.ctx.actor):
            item = QTreeWidgetItem([f"{building.name}（{building.rooms}）"])
            item.setData(0, Qt.ItemDataRole.UserRole, ("building", building.id))
            for unit in building.units:
                child = QTreeWidgetItem([f"{unit.code}单元"])
                child.setData(0, Qt.ItemDataRole.UserRole, ("unit", unit.id))
                item.addChild(child)
                if keep == ("unit", unit.id):
                    selected = child
            tree.addTopLevelItem(item)
            if keep == ("building", building.id):
                selected = item
        tree.setCurrentItem(selected)
        tree.blockSignals(False)
        self.reload_rooms()

    def current_filter(self) -> RoomFilter:
        item = self.ui.buildingTree.currentItem()
        kind, key = item.data(0, Qt.ItemDataRole.UserRole) if item else ("all", None)
        return RoomFilter(
            building_id=key if kind == "building" else None,
            unit_id=key if kind == "unit" else None,
            status=_chosen(self.ui.statusCombo, RoomStatus),
            room_type=_chosen(self.ui.typeCombo, RoomType),
        )

    def reload_rooms(self) -> None:
        ids = structure.room_ids(self.ctx.db, self.ctx.actor, self.current_filter())
        self.model.set_ids(ids)
        self.ui.countLabel.setText(f"共 {len(ids)} 间")
        self._show(QModelIndex())

    def _show(self, index: QModelIndex) -> None:
        room = self.model.row_at(index.row()) if index.isValid() else None
        ui = self.ui
        ui.editRoomButton.setEnabled(room is not None)
        if room is None:
            for label in (
                ui.codeValue,
                ui.placeValue,
                ui.floorValue,
                ui.areaValue,
                ui.typeValue,
                ui.statusValue,
            ):
                label.clear()
            return
        ui.codeValue.setText(room.code)
        ui.placeValue.setText(
            room_label(room.building.removesuffix("栋"), room.unit, room.number)
            if room.building.endswith("栋")
            else f"{room.building} {room.number}"
        )
        ui.floorValue.setText(f"{room.floor} 层" if room.floor > 0 else f"地下 {-room.floor} 层")
        ui.areaValue.setText(f"{format_m2(room.area_m2_x100)} ㎡")
        ui.typeValue.setText(room.room_type.label)
        ui.statusValue.setText(room.status.label)

    def selected_room(self) -> RoomRow | None:
        index = self.ui.roomTable.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def open_room(self, room_id: int) -> None:
        """Show one room (from the global search): widen the filter if it hides it."""
        position = self.model.row_of(room_id)
        if position < 0:
            self.ui.buildingTree.setCurrentItem(self.ui.buildingTree.topLevelItem(0))
            self.ui.statusCombo.setCurrentIndex(0)
            self.ui.typeCombo.setCurrentIndex(0)
            position = self.model.row_of(room_id)
        if position >= 0:
            index = self.model.index(position, 0)
            self.ui.roomTable.setCurrentIndex(index)
            self.ui.roomTable.scrollTo(index)
            self.ui.roomTable.setFocus()

    def add_building(self) -> None:
        data = BuildingDialog.ask(self)
        if data is None:
            return
        try:
            structure.create_building(self.ctx.db, self.ctx.actor, data)
        except FrontDeskError as exc:
            show_error(self, exc, "无法新增楼栋")
            return
        self.refresh()

    def edit_room(self) -> None:
        room = self.selected_room()
        if room is None:
            return
        change = RoomDialog.ask(self, room)
        if change is None:
            return
        try:
            structure.update_room(self.ctx.db, self.ctx.actor, room.id, change)
        except FrontDeskError as exc:
            show_error(self, exc, "无法保存")
            return
        self.model.forget(room.id)
        self._show(self.ui.roomTable.currentIndex())
