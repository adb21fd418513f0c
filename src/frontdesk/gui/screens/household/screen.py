"""户档案: the building → unit → room browser with the household file beside it.

Left the building tree, in the middle the rooms (arrow keys move through them),
right the selected room's household file (一户一档). Enter or a double-click on a
room takes the keyboard into its file; Esc in the file goes back to the rooms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidgetItem,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.area import format_m2
from frontdesk.domain.issued import Printout
from frontdesk.domain.money import format_yuan
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.rooms_building_dialog_ui import Ui_BuildingDialog
from frontdesk.gui.forms.rooms_room_dialog_ui import Ui_RoomDialog
from frontdesk.gui.forms.rooms_rooms_screen_ui import Ui_RoomsScreen
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.household.file_view import HouseholdFileView
from frontdesk.gui.widgets.colours import RED
from frontdesk.gui.widgets.lazy_table import Column, LazyTableModel
from frontdesk.services.database import Changes, DataArea
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding, RoomChange, RoomFilter, RoomRow
from frontdesk.services.progress import Progress

if TYPE_CHECKING:
    from frontdesk.domain.issued import Printout
    from frontdesk.gui.screens.household.account_tab import AccountTab

ROOM_COLUMNS: list[Column[RoomRow]] = [
    Column("房号", lambda r: r.code),
    Column("楼栋", lambda r: r.building),
    Column("单元", lambda r: f"{r.unit}单元" if r.unit else ""),
    Column("业主", lambda r: r.owner),
    Column("电话", lambda r: r.phone),  # masked by the service, always
    Column("楼层", lambda r: str(r.floor), align_right=True),
    Column("建筑面积(㎡)", lambda r: format_m2(r.area_m2_x100), align_right=True),
    Column("类型", lambda r: r.room_type.label),
    Column("状态", lambda r: f"{r.status.label}·装修" if r.renovating else r.status.label),
    Column(
        "欠费(元)",
        lambda r: format_yuan(r.owing_fen) if r.owing_fen > 0 else "",
        align_right=True,
        colour=lambda r: RED if r.owing_fen > 0 else None,
    ),
]
COLUMN_WIDTHS = (70, 60, 50, 84, 92, 46, 96, 50, 54, 70)


# What the household file and its tabs show, besides the room itself.
FILE_SHOWS = (
    DataArea.HOUSEHOLDS,
    DataArea.FEES,
    DataArea.MOVEIN,
    DataArea.RENOVATION,
    DataArea.VISITORS,
    DataArea.DOCUMENTS,
    DataArea.SERVICE_DESK,
)

# What the rooms list shows besides the rooms: owners, their phones, what is owed.
LIST_SHOWS = (DataArea.HOUSEHOLDS, DataArea.FEES, DataArea.RENOVATION)

# 楼栋 and 单元 are in the room code already, 楼层, 面积 and 类型 in the file's header:
# hidden to leave room for the file.
BESIDE_FILE_HIDDEN = (1, 2, 5, 6, 7)

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
        handover = room.handover_on or clock.today()
        self.ui.handoverEdit.setDate(QDate(handover.year, handover.month, handover.day))
        self.ui.handoverCheck.setChecked(room.handover_on is not None)
        self.ui.handoverEdit.setEnabled(room.handover_on is not None)
        self.ui.handoverCheck.toggled.connect(self.ui.handoverEdit.setEnabled)
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def value(self) -> RoomChange:
        picked = self.ui.handoverEdit.date()
        return RoomChange(
            self.ui.areaEdit.text(),
            self.ui.typeCombo.currentData(),
            self.ui.statusCombo.currentData(),
            date(picked.year(), picked.month(), picked.day())
            if self.ui.handoverCheck.isChecked()
            else None,
        )

    @classmethod
    def ask(cls, parent: QWidget, room: RoomRow) -> RoomChange | None:
        dialog = cls(room, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RoomsScreen(QWidget):
    """`file_tabs` makes the tabs other areas add to the household file (入伙, 装修,
    访客), each a FileTab: the main window brings them, as this package may not import
    them. The file's tabs are built when the first file opens (none shows before)."""

    def __init__(
        self,
        ctx: AppContext,
        file_tabs: Callable[[], Sequence[tuple[str, QWidget]]] = tuple,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_RoomsScreen()
        self.ui.setupUi(self)
        self.model: LazyTableModel[RoomRow] = LazyTableModel(
            ROOM_COLUMNS, lambda ids: structure.room_rows(ctx.db, ctx.actor, ids), lambda r: r.id
        )
        self.file_view = HouseholdFileView(ctx, self)
        self.ui.fileLayout.addWidget(self.file_view)
        self._file_tabs: Callable[[], Sequence[tuple[str, QWidget]]] | None = file_tabs
        self.account_tab: AccountTab | None = None
        self.ui.printCardButton.clicked.connect(self.print_card)
        self._setup_table()
        self._setup_filters()
        # The list as wide as its columns; the file takes the rest (its 12 tabs fit at 1280).
        self.ui.splitter.setSizes([130, 410, 660])
        self.ui.splitter.setStretchFactor(2, 1)
        self.ui.buildingTree.currentItemChanged.connect(lambda *_: self.reload_rooms())
        self.ui.addBuildingButton.clicked.connect(self.add_building)
        self.ui.editRoomButton.clicked.connect(self.edit_room)
        self.ui.roomTable.activated.connect(lambda _index: self.file_view.focus_file())
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.file_view)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.ui.roomTable.setFocus)
        can_edit = ctx.can(Permission.EDIT_STRUCTURE)
        self.ui.addBuildingButton.setVisible(can_edit)
        self.ui.editRoomButton.setVisible(can_edit)

    def _setup_table(self) -> None:
        table = self.ui.roomTable
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        for column in BESIDE_FILE_HIDDEN:
            table.setColumnHidden(column, True)
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

    def changed(self, changes: Changes) -> None:
        """Buildings or rooms changed: reload the lists (the file opens afresh, masked);
        anything else the file shows: reload the file as it is shown now."""
        if changes.touches([DataArea.STRUCTURE]):
            self.refresh()
        elif changes.touches(FILE_SHOWS):
            if changes.touches(LIST_SHOWS):
                self.model.forget_all()
            self.file_view.refresh()

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
        """Fetch the rooms the filter lets through; the open room stays open if among them."""
        current = self.selected_room()
        ids = structure.room_ids(self.ctx.db, self.ctx.actor, self.current_filter())
        self.model.set_ids(ids)
        self.ui.countLabel.setText(f"共 {len(ids)} 间")
        position = self.model.row_of(current.id) if current else -1
        if position >= 0:
            self.ui.roomTable.setCurrentIndex(self.model.index(position, 0))
        else:
            self._show(QModelIndex())

    def add_file_tabs(self) -> None:
        """账单, 附件, 管家联系, the other areas' tabs and 工单, once."""
        if self._file_tabs is None:
            return
        from frontdesk.gui.screens.household.account_tab import AccountTab
        from frontdesk.gui.screens.household.attachments_tab import AttachmentsTab
        from frontdesk.gui.screens.household.contacts_tab import ContactsTab

        ctx, view = self.ctx, self.file_view
        view.add_tab("附件", AttachmentsTab(ctx))
        view.add_tab("管家联系", ContactsTab(ctx))
        for title, tab in self._file_tabs():
            view.add_tab(title, tab)
        if ctx.can(Permission.TAKE_WORK_ORDERS):
            from frontdesk.gui.screens.household.orders_tab import OrdersTab

            view.add_tab("工单", OrdersTab(ctx))
        self.account_tab = AccountTab(ctx)
        view.add_tab("账单", self.account_tab, 1)
        self._file_tabs = None

    def _show(self, index: QModelIndex) -> None:
        room = self.model.row_at(index.row()) if index.isValid() else None
        self.ui.editRoomButton.setEnabled(room is not None)
        self.ui.printCardButton.setEnabled(room is not None)
        if room is None:
            self.file_view.clear()
        else:
            self.add_file_tabs()
            self.file_view.open_room(room.id)

    def selected_room(self) -> RoomRow | None:
        index = self.ui.roomTable.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def open_room(self, room_id: int) -> None:
        """Show one room (from the global search): widen the filter if it hides it."""
        position = self.model.row_of(room_id)
        if position < 0:
            first = self.ui.buildingTree.topLevelItem(0)
            if first is not None:
                self.ui.buildingTree.setCurrentItem(first)
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
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: structure.create_building(ctx.db, ctx.actor, data),
            title="无法新增楼栋",
        ).success(lambda _: self.refresh()).run()

    def edit_room(self) -> None:
        room = self.selected_room()
        if room is None:
            return
        change = RoomDialog.ask(self, room)
        if change is None:
            return
        ctx, room_id = self.ctx, room.id
        Op(
            self,
            ctx.tasks,
            lambda: structure.update_room(ctx.db, ctx.actor, room_id, change),
            title="无法保存",
        ).success(lambda _: self._room_saved(room_id)).run()

    def _room_saved(self, room_id: int) -> None:
        self.model.forget(room_id)
        self.file_view.refresh()

    def print_card(self) -> None:
        room = self.selected_room()
        if room is None:
            return
        ctx = self.ctx

        def work(_progress: Progress) -> Printout:
            from frontdesk.printouts import household_card

            return household_card(ctx.db, ctx.actor, room.id)

        def show(printout: Printout) -> None:
            from frontdesk.gui.widgets.pdf_preview import show_printout

            show_printout(ctx, printout, self)
            self.file_view.refresh()  # printing unmasked is in the history now

        ctx.tasks.run(self, "正在生成户档案卡…", work, show, cancellable=False)
