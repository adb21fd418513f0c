"""The room browser: tree, filters, lazy table, editing."""

from __future__ import annotations

import pytest
from pytestqt.modeltest import ModelTester

from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.household.screen import (
    ROOM_COLUMNS,
    BuildingDialog,
    RoomDialog,
    RoomsScreen,
)
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding, RoomChange


def column(title: str) -> int:
    return [c.title for c in ROOM_COLUMNS].index(title)


@pytest.fixture
def screen(qtbot, ctx: AppContext) -> RoomsScreen:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("1", "", 6, 2, 2, "89.5"))
    structure.create_building(ctx.db, ctx.actor, NewBuilding("2", "", 3, 0, 4, "120"))
    screen = RoomsScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()  # as the main window does on showing it
    return screen


def test_tree_lists_buildings_with_room_counts_and_units(screen: RoomsScreen) -> None:
    tree = screen.ui.buildingTree
    labels = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert labels == ["全部房屋", "1栋（24）", "2栋（12）"]
    assert [tree.topLevelItem(1).child(i).text(0) for i in range(2)] == ["1单元", "2单元"]
    assert screen.ui.countLabel.text() == "共 36 间"


def test_choosing_a_unit_and_a_status_filters_the_table(screen: RoomsScreen) -> None:
    tree = screen.ui.buildingTree
    tree.setCurrentItem(tree.topLevelItem(1).child(1))
    assert screen.ui.countLabel.text() == "共 12 间"
    assert screen.model.data(screen.model.index(0, 0)) == "1-2-101"
    screen.ui.statusCombo.setCurrentIndex(screen.ui.statusCombo.findText("出租"))
    assert screen.ui.countLabel.text() == "共 0 间"


def test_table_model_is_a_well_behaved_qt_model(qtmodeltester: ModelTester, screen) -> None:
    qtmodeltester.check(screen.model)


def test_selecting_a_row_opens_its_household_file(qtbot, screen: RoomsScreen) -> None:
    screen.open_room(structure.room_ids(screen.ctx.db, screen.ctx.actor)[-1])
    ui = screen.file_view.ui
    assert (ui.codeLabel.text(), ui.placeLabel.text()) == ("2-304", "2栋304室")
    assert ui.factsLabel.text().split("　·　")[:3] == ["3 层", "建筑面积 120.00 ㎡", "住宅"]
    assert ui.statusChip.text() == "未售"


def test_editing_a_room_saves_and_refreshes_the_row(monkeypatch, screen: RoomsScreen) -> None:
    first = structure.room_ids(screen.ctx.db, screen.ctx.actor)[0]
    screen.open_room(first)
    change = RoomChange("95.25", RoomType.RESIDENCE, RoomStatus.OCCUPIED)
    monkeypatch.setattr(RoomDialog, "ask", classmethod(lambda cls, parent, room: change))
    screen.edit_room()
    assert "建筑面积 95.25 ㎡" in screen.file_view.ui.factsLabel.text()
    assert screen.model.data(screen.model.index(0, column("状态"))) == "已入住"
    saved = structure.room_rows(screen.ctx.db, screen.ctx.actor, [first])[0]
    assert (saved.area_m2_x100, saved.status) == (9525, RoomStatus.OCCUPIED)


def test_room_dialog_starts_from_the_room_and_returns_the_change(qtbot, screen) -> None:
    room = structure.room_rows(
        screen.ctx.db, screen.ctx.actor, structure.room_ids(screen.ctx.db, screen.ctx.actor)[:1]
    )[0]
    dialog = RoomDialog(room)
    qtbot.addWidget(dialog)
    assert dialog.ui.areaEdit.text() == "89.50"
    assert dialog.ui.statusCombo.currentText() == "未售"
    dialog.ui.statusCombo.setCurrentIndex(dialog.ui.statusCombo.findText("空置"))
    assert dialog.value() == RoomChange("89.50", RoomType.RESIDENCE, RoomStatus.VACANT)


def test_bad_area_is_explained_and_nothing_changes(monkeypatch, shown, screen: RoomsScreen) -> None:
    first = structure.room_ids(screen.ctx.db, screen.ctx.actor)[0]
    screen.open_room(first)
    monkeypatch.setattr(
        RoomDialog,
        "ask",
        classmethod(
            lambda cls, parent, room: RoomChange("大约九十", RoomType.RESIDENCE, RoomStatus.VACANT)
        ),
    )
    screen.edit_room()
    assert shown == [("warning", "无法保存", "建筑面积：须为大于 0 的数字，最多两位小数")]
    assert (
        structure.room_rows(screen.ctx.db, screen.ctx.actor, [first])[0].status is RoomStatus.UNSOLD
    )


def test_adding_a_building_through_the_dialog(qtbot, monkeypatch, screen: RoomsScreen) -> None:
    dialog = BuildingDialog()
    qtbot.addWidget(dialog)
    dialog.ui.codeEdit.setText("5")
    dialog.ui.floorsSpin.setValue(3)
    dialog.ui.unitsSpin.setValue(1)
    dialog.ui.perFloorSpin.setValue(4)
    assert "将生成 12 间住宅" in dialog.ui.previewLabel.text()
    monkeypatch.setattr(BuildingDialog, "ask", classmethod(lambda cls, parent: dialog.value()))
    screen.add_building()
    tree = screen.ui.buildingTree
    assert tree.topLevelItem(3).text(0) == "5栋（12）"
    assert screen.ui.countLabel.text() == "共 48 间"


def test_clerks_do_not_see_edit_buttons(qtbot, db, make_user) -> None:
    clerk = make_user(Role.CLERK)
    screen = RoomsScreen(AppContext(db, clerk, TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    screen.show()
    screen.refresh()
    assert not screen.ui.addBuildingButton.isVisible()
    assert not screen.ui.editRoomButton.isVisible()
