"""The household file view: header, lists, dialogs, masking, permissions, history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from frontdesk.domain.household import CareCategory, ParkingKind, PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.household import HouseholdFileView
from frontdesk.gui.screens.household.dates import parse_date
from frontdesk.gui.screens.household.dialogs import ParkingDialog, PersonDialog, PetDialog
from frontdesk.gui.screens.household.file_view import FileTab
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.file import (
    CareInput,
    HouseholdFile,
    ParkingInput,
    PersonInput,
    PetInput,
    ProfileInput,
    VehicleInput,
)
from frontdesk.services.households.structure import NewBuilding, RoomChange, RoomFilter

OWNER_ID = "11010519491231002X"
OWNER_PHONE = "13812345678"
GOOD_ID = "440524188001010014"


@dataclass(frozen=True)
class Community:
    first: int  # 1-1-101, a full household
    second: int  # 1-1-102, empty
    other_building: int  # 2-101
    spaces: list[int]  # rooms of type 车位


def _rooms(db: Database, admin: Actor, building_id: int) -> list[int]:
    return structure.room_ids(db, admin, RoomFilter(building_id=building_id))


@pytest.fixture
def community(db: Database, admin: Actor) -> Community:
    one = structure.create_building(db, admin, NewBuilding("1", "", 3, 1, 2, "89.5"))
    two = structure.create_building(db, admin, NewBuilding("2", "", 2, 0, 2, "120"))
    garage = structure.create_building(db, admin, NewBuilding("P", "地下车库", 1, 0, 3, "12.5"))
    spaces = _rooms(db, admin, garage.id)
    for space in spaces:
        structure.update_room(
            db, admin, space, RoomChange("12.5", RoomType.PARKING, RoomStatus.HANDED_OVER)
        )
    first, second = _rooms(db, admin, one.id)[:2]
    _fill(db, admin, first, spaces[0])
    return Community(first, second, _rooms(db, admin, two.id)[0], spaces)


def _fill(db: Database, admin: Actor, room: int, space: int) -> None:
    records = [
        PersonInput(
            PersonKind.OWNER,
            "张三",
            Relation.SELF,
            "男",
            IdType.RESIDENT,
            OWNER_ID,
            OWNER_PHONE,
            share="100%",
        ),
        PersonInput(PersonKind.RESIDENT, "李梅", Relation.SPOUSE, "女", phone="13900001111"),
        PersonInput(PersonKind.RESIDENT, "张小宝", Relation.CHILD, "男"),
        VehicleInput("浙A12345", "大众帕萨特", "黑色"),
        ParkingInput(space, ParkingKind.OWNED, date(2020, 5, 1)),
        PetInput("犬", "旺财", "柯基", "杭犬2023001", date(2025, 3, 1)),
        CareInput("张奶奶", CareCategory.ALONE, "腿脚不便", 30, None),
    ]
    for record in records:
        households.add_record(db, admin, room, record)
    households.update_profile(
        db, admin, room, ProfileInput(date(2019, 10, 1), "微信", "独居老人、养犬", "")
    )


def _view(qtbot, ctx: AppContext, room: int) -> HouseholdFileView:
    view = HouseholdFileView(ctx)
    qtbot.addWidget(view)
    view.resize(900, 640)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.open_room(room)
    return view


def _cells(view: HouseholdFileView, records: str, column: int) -> list[str]:
    table = getattr(view, records).ui.table
    return [table.item(row, column).text() for row in range(table.rowCount())]


def _select(view: HouseholdFileView, records: str, name: str) -> None:
    table = getattr(view, records).ui.table
    table.setFocus()
    table.setCurrentCell(_cells(view, records, 1).index(name), 0)


def _type_hanzi(widget: QWidget, text: str) -> None:
    """Hanzi arrive from the input method as a commit, not as key presses."""
    widget.setFocus()
    commit = QInputMethodEvent()
    commit.setCommitString(text)
    QApplication.sendEvent(widget, commit)


def _in_dialog(qtbot, act: Callable[[QWidget], None]) -> list[QWidget]:
    """Run `act` on the modal dialog about to open (exec() blocks the test)."""
    seen: list[QWidget] = []

    def run(tries: int = 50) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.focusWidget() is None:
            if tries:
                QTimer.singleShot(20, lambda: run(tries - 1))
            return
        seen.append(dialog)
        try:
            act(dialog)
        finally:
            if dialog.isVisible():  # a failed step must not leave exec() waiting
                dialog.reject()

    QTimer.singleShot(0, run)
    return seen


def _stored(db: Database, admin: Actor, room: int) -> HouseholdFile:
    return households.open_file(db, admin, room, reveal=True)


# opening ---------------------------------------------------------------------------


def test_a_full_file_shows_header_and_every_list_masked(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    ui = view.ui
    assert (ui.codeLabel.text(), ui.placeLabel.text()) == ("1-1-101", "1栋1单元101室")
    assert ui.statusChip.text() == "未售"
    assert ui.ownersLabel.text() == "产权人：张三（100%）"
    assert view.tag_texts() == ["独居老人", "养犬"]
    assert "管家：未指定" in ui.factsLabel.text()
    assert _cells(view, "members", 1) == ["张三", "李梅", "张小宝"]
    assert _cells(view, "members", 4)[0] == "110***********002X"
    assert _cells(view, "members", 5)[:2] == ["138****5678", "139****1111"]
    assert _cells(view, "vehicles", 0) == ["浙A12345"]
    assert _cells(view, "parking", 0) == ["P-101"]
    assert _cells(view, "pets", 3) == ["杭犬2023001"]
    assert _cells(view, "care", 0) == ["张奶奶"]
    assert "尚无探访记录" in ui.careDueLabel.text()
    assert (ui.moveInEdit.text(), ui.contactCombo.currentText()) == ("2019-10-01", "微信")
    assert not ui.unmaskedMarker.isVisible() and ui.revealButton.isVisible()
    titles = [ui.tabs.tabText(i) for i in range(ui.tabs.count())]
    assert titles == ["概况", "成员", "车辆/车位", "宠物", "关怀", "历史"]


def test_no_room_shows_the_empty_page(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    view.clear()
    assert view.ui.pages.currentWidget() is view.ui.emptyPage
    assert view.file is None


# dialogs ----------------------------------------------------------------------------


@pytest.mark.answers_modal("新增成员")
def test_adding_a_person_with_the_keyboard(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    view.ui.tabs.setCurrentWidget(view.ui.membersTab)

    def fill(dialog: QWidget) -> None:
        ui = dialog.ui  # type: ignore[attr-defined]
        assert dialog.focusWidget() is ui.kindCombo
        assert ui.kindCombo.currentText() == "住户"  # there is an owner already
        qtbot.keyClick(ui.kindCombo, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is ui.nameEdit
        _type_hanzi(ui.nameEdit, "王小明")
        qtbot.keyClick(ui.nameEdit, Qt.Key.Key_Tab)
        qtbot.keyClick(ui.genderCombo, Qt.Key.Key_Down)
        qtbot.keyClick(ui.genderCombo, Qt.Key.Key_Tab)
        for _ in range(3):
            qtbot.keyClick(ui.relationCombo, Qt.Key.Key_Down)
        qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
        assert dialog.focusWidget() is ui.idNumberEdit
        qtbot.keyClicks(ui.idNumberEdit, GOOD_ID)
        qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClicks(ui.phoneEdit, "139 1234 5678")
        qtbot.keyClick(ui.phoneEdit, Qt.Key.Key_Return)

    seen = _in_dialog(qtbot, fill)
    view.members.ui.table.setFocus()
    qtbot.keyClick(view.members.ui.table, Qt.Key.Key_Insert)
    assert seen and not seen[0].isVisible()
    assert _cells(view, "members", 1) == ["张三", "李梅", "张小宝", "王小明"]
    assert view.members.selected().name == "王小明"
    assert _cells(view, "members", 5)[3] == "139****5678"
    added = _stored(ctx.db, ctx.actor, community.first).people[3]
    assert (added.gender, added.relation, added.id_number) == ("男", Relation.CHILD, GOOD_ID)
    assert added.phone == "13912345678"


def test_a_bad_id_number_names_the_field_and_saves_nothing(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    dialog = PersonDialog(ctx, view.file, None, view)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.nameEdit.setText("赵六")
    dialog.ui.idNumberEdit.setText("110105194912310021")
    dialog.ui.phoneEdit.setText("13700001111")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.ui.errorLabel.text() == "证件号码：居民身份证号码校验位不正确，请核对"
    assert dialog.focusWidget() is dialog.ui.idNumberEdit
    assert dialog.ui.idNumberEdit.selectedText() == "110105194912310021"
    assert [p.name for p in _stored(ctx.db, ctx.actor, community.first).people] == [
        "张三",
        "李梅",
        "张小宝",
    ]


def test_only_the_fields_a_kind_needs_are_shown(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    dialog = PersonDialog(ctx, view.file, None, view)
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui

    def shown() -> set[str]:
        named = ("shareEdit", "leaseStartEdit", "idNumberEdit", "livesHereCheck")
        return {name for name in named if getattr(ui, name).isVisible()}

    dialog.kinds.select(PersonKind.OWNER)
    assert shown() == {"shareEdit", "idNumberEdit", "livesHereCheck"}
    dialog.kinds.select(PersonKind.TENANT)
    assert shown() == {"leaseStartEdit", "idNumberEdit", "livesHereCheck"}
    assert ui.relationCombo.currentText() == "租户"
    dialog.kinds.select(PersonKind.EMERGENCY)
    assert shown() == set()


def test_a_tenant_lease_ending_before_it_starts_is_refused(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.second)
    dialog = PersonDialog(ctx, view.file, None, view)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kinds.select(PersonKind.TENANT)
    dialog.ui.nameEdit.setText("钱七")
    dialog.ui.leaseStartEdit.setText("2025-03-01")
    dialog.ui.leaseEndEdit.setText("2024年3月1日")
    dialog.accept()
    assert dialog.ui.errorLabel.text() == "租期结束：不能早于租期开始"
    assert dialog.focusWidget() is dialog.ui.leaseEndEdit
    assert _stored(ctx.db, ctx.actor, community.second).people == ()


def test_editing_a_masked_file_keeps_id_and_phone_left_blank(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    owner = view.file.owners[0]
    dialog = PersonDialog(ctx, view.file, owner, view)
    qtbot.addWidget(dialog)
    assert dialog.ui.idNumberEdit.text() == "" and dialog.ui.phoneEdit.text() == ""
    assert "110***********002X" in dialog.ui.idNumberEdit.placeholderText()
    dialog.ui.nameEdit.setText("张叁")
    dialog.accept()
    saved = _stored(ctx.db, ctx.actor, community.first).owners[0]
    assert (saved.name, saved.id_number, saved.phone) == ("张叁", OWNER_ID, OWNER_PHONE)

    dialog = PersonDialog(ctx, view.file, owner, view)
    qtbot.addWidget(dialog)
    dialog.ui.phoneEdit.setText("13800009999")
    dialog.accept()
    saved = _stored(ctx.db, ctx.actor, community.first).owners[0]
    assert (saved.id_number, saved.phone) == (OWNER_ID, "13800009999")


def test_changing_the_id_type_of_a_masked_number_asks_for_the_number(qtbot, ctx, community):
    view = _view(qtbot, ctx, community.first)
    dialog = PersonDialog(ctx, view.file, view.file.owners[0], view)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.id_types.select(IdType.PASSPORT)
    dialog.accept()
    assert dialog.ui.errorLabel.text() == "证件号码：更换了证件类型，请重新填写证件号码"
    assert _stored(ctx.db, ctx.actor, community.first).owners[0].id_type == IdType.RESIDENT


def test_an_unmasked_file_edits_from_the_whole_numbers(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    view.toggle_reveal()
    dialog = PersonDialog(ctx, view.file, view.file.owners[0], view)
    qtbot.addWidget(dialog)
    assert (dialog.ui.idNumberEdit.text(), dialog.ui.phoneEdit.text()) == (OWNER_ID, OWNER_PHONE)


def test_parking_dialog_offers_only_parking_spaces(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.second)
    dialog = ParkingDialog(ctx, view.file, None, view)
    qtbot.addWidget(dialog)
    combo = dialog.ui.spaceCombo
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "P-101", "P-102", "P-103"]
    dialog.show()
    dialog.accept()
    assert dialog.ui.errorLabel.text() == "车位：请从列表中选择一个车位"
    combo.setCurrentText("P-101")
    dialog.accept()
    assert dialog.ui.errorLabel.text() == "车位：该车位已登记给其他住户使用"
    combo.setCurrentText("P-102")
    dialog.kinds.select(ParkingKind.RENTED)
    dialog.ui.startEdit.setText("2025/1/1")
    dialog.accept()
    assert not dialog.isVisible()
    view.refresh()
    assert _cells(view, "parking", 0) == ["P-102"]
    assert _cells(view, "parking", 1) == ["租用"]


def test_the_dog_licence_is_asked_for_dogs_only(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.second)
    dialog = PetDialog(ctx, view.file, None, view)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ui.licenceEdit.isVisible()
    dialog.species.select("猫")
    assert not dialog.ui.licenceEdit.isVisible()


# masking -----------------------------------------------------------------------------


def test_the_history_is_masked_unless_the_file_is(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    view.ui.tabs.setCurrentWidget(view.ui.historyTab)
    tree = view.ui.historyTree

    def owner_lines() -> list[str]:
        entry = next(
            tree.topLevelItem(i)
            for i in range(tree.topLevelItemCount())
            if tree.topLevelItem(i).text(3) == "新增人员「张*」"  # the log keeps names masked
        )
        return [entry.child(i).text(3) for i in range(entry.childCount())]

    assert "证件号码：110***********002X" in owner_lines()
    view.toggle_reveal()
    # The log is not encrypted, so it never held the whole number: revealing cannot show it.
    assert "证件号码：110***********002X" in owner_lines()
    assert f"证件号码：{OWNER_ID}" not in owner_lines()
    assert "历史记录只保存遮挡后的姓名、证件号码和电话" in view.ui.historyHint.text()


# permissions ----------------------------------------------------------------------------


def _buttons(view: HouseholdFileView) -> list[QWidget]:
    return [
        button
        for records in view.lists()
        for button in (records.ui.addButton, records.ui.editButton, records.ui.removeButton)
    ]


def test_a_butler_edits_only_the_buildings_they_look_after(
    qtbot, db, admin, make_user, community
) -> None:
    butler = make_user(Role.BUTLER)
    two = next(b for b in structure.list_buildings(db, admin) if b.code == "2")
    households.assign_butler(db, admin, two.id, butler.user_id)
    view = _view(qtbot, AppContext(db, butler, TaskRunner(wait=True)), community.first)
    assert not view.members.ui.addButton.isEnabled()
    assert view.members.ui.addButton.toolTip() == "只读：1栋不在您负责的楼栋范围内，只能查看"
    assert not view.ui.revealButton.isVisible()
    view.open_room(community.other_building)
    assert view.members.ui.addButton.isEnabled()
    assert view.ui.revealButton.isVisible()
    assert "管家：管家甲" in view.ui.factsLabel.text()


# 概况 and 历史 ---------------------------------------------------------------------------


class _NotesTab(QLabel):
    """A stand-in extra tab: shows which room it was told about, masked or not."""

    def open_room(self, room_id: int, file: HouseholdFile) -> None:
        self.setText(f"{file.room.code} {'遮挡' if file.masked else '完整'}")


def test_extra_tabs_go_before_history_and_follow_the_file(qtbot, ctx, community) -> None:
    view = _view(qtbot, ctx, community.first)
    tab = _NotesTab()
    assert isinstance(tab, FileTab)
    view.add_tab("附件", tab)
    assert tab.text() == "1-1-101 遮挡"
    tabs = view.ui.tabs
    assert [tabs.tabText(i) for i in range(4, tabs.count())] == ["关怀", "附件", "历史"]
    view.toggle_reveal()
    assert tab.text() == "1-1-101 完整"
    view.open_room(community.second)
    assert tab.text() == "1-1-102 遮挡"
    with pytest.raises(TypeError):
        view.add_tab("坏", QLabel())


# dates typed at the counter -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2024-03-01", "2024-3-1", "2024/3/1", "2024.3.1", "20240301", "2024年3月1日"]
)
def test_dates_in_common_spellings(text: str) -> None:
    assert parse_date(text, "入住日期") == date(2024, 3, 1)


@pytest.mark.parametrize("text", ["2024-02-30", "3月1日", "2024-3", "昨天"])
def test_impossible_dates_name_the_field(text: str) -> None:
    with pytest.raises(ValidationError, match=r"^入住日期：日期无效"):
        parse_date(text, "入住日期")


def test_a_blank_date_is_none() -> None:
    assert parse_date("  ", "入住日期") is None
