"""The household file's actions driven through its buttons' methods (no focus games):
迁出 (a person is never deleted), unmask and audit, read-only roles, profile save,
history, opening from the rooms list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.household import HouseholdFileView
from frontdesk.gui.screens.household.leave_dialog import LeaveDialog
from frontdesk.gui.screens.household.record_list import FORMER_GREY
from frontdesk.gui.screens.household.screen import RoomsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.file import PersonInput
from frontdesk.services.households.structure import NewBuilding
from frontdesk.services.protection import audit

ID = "11010519491231002X"


@pytest.fixture
def room(ctx: AppContext) -> int:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("1", "", 3, 1, 2, "89.5"))
    room_id = structure.find_room_id(ctx.db, ctx.actor, "1-1-101")
    households.add_record(
        ctx.db,
        ctx.actor,
        room_id,
        PersonInput(
            PersonKind.OWNER, "张三", Relation.SELF, "男", IdType.RESIDENT, ID, "13812345678"
        ),
    )
    households.add_record(ctx.db, ctx.actor, room_id, PersonInput(PersonKind.RESIDENT, "李梅"))
    return room_id


def view_of(qtbot, ctx: AppContext, room: int) -> HouseholdFileView:
    view = HouseholdFileView(ctx)
    qtbot.addWidget(view)
    view.open_room(room)
    return view


def member_names(view: HouseholdFileView) -> list[str]:
    table = view.members.ui.table
    return [table.item(r, 1).text() for r in range(table.rowCount())]


def say_yes(monkeypatch, asked: list[str]) -> None:
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(
            lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes
        ),
    )


def test_a_member_moves_out_and_stays_greyed_in_the_files_history(
    qtbot, monkeypatch, ctx, room
) -> None:
    """People are never deleted at the counter: the button is 迁出, the person stays."""
    left = clock.today() - timedelta(days=2)

    def fill_in(dialog: LeaveDialog) -> int:
        assert dialog.date_edit.text() == clock.today().isoformat()  # today by default
        dialog.date_edit.setText(left.isoformat())
        dialog.reason_combo.setCurrentText("租期结束")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LeaveDialog, "exec", fill_in)
    view = view_of(qtbot, ctx, room)
    members = view.members
    assert members.ui.removeButton.text() == "迁出(&D)…"
    select_row(members.ui.table, member_names(view).index("李梅"))
    members.remove()
    assert member_names(view) == ["张三", "李梅"]  # still listed, after the current ones
    table = members.ui.table
    row = member_names(view).index("李梅")
    assert table.item(row, 1).foreground().color().name() == FORMER_GREY
    assert table.item(0, 1).foreground().color().name() != FORMER_GREY
    assert table.item(row, 6).text() == f"{left.isoformat()} 已迁出（租期结束）"
    assert members.ui.countLabel.text() == "共 1 人（另有 1 人已迁出，灰色显示）"
    history = audit.room_history(ctx.db, ctx.actor, room)
    assert history[0].action == "update" and "delete" not in {h.action for h in history}
    # Registered by mistake: the same button, on a former member, puts them back.
    select_row(members.ui.table, row)
    assert members.ui.removeButton.text() == "撤销迁出(&D)"
    asked: list[str] = []
    say_yes(monkeypatch, asked)
    members.remove()
    assert asked == ["确定撤销「李梅」的迁出吗？该人员将重新列为本户现有成员。"]
    assert members.ui.countLabel.text() == "共 2 人"


def test_a_move_out_in_the_future_names_the_date_and_changes_nothing(
    qtbot, monkeypatch, ctx, room
) -> None:
    seen: list[str] = []

    def fill_in(dialog: LeaveDialog) -> int:
        dialog.date_edit.setText((clock.today() + timedelta(days=1)).isoformat())
        dialog.accept()  # refused: the dialog stays open with the message
        seen.append(dialog.error_label.text())
        return 0

    monkeypatch.setattr(LeaveDialog, "exec", fill_in)
    view = view_of(qtbot, ctx, room)
    select_row(view.members.ui.table, member_names(view).index("李梅"))
    view.members.remove()
    assert seen == ["迁出日期：不能晚于今天（尚未迁出时请到期后再登记）"]
    assert view.members.ui.countLabel.text() == "共 2 人"


def test_a_vehicle_is_still_deleted_after_asking(qtbot, monkeypatch, ctx, room) -> None:
    households.add_record(ctx.db, ctx.actor, room, households.VehicleInput("浙B12345"))
    asked: list[str] = []
    say_yes(monkeypatch, asked)
    view = view_of(qtbot, ctx, room)
    select_row(view.vehicles.ui.table, 0)
    view.vehicles.remove()
    assert asked == ["确定删除车辆「浙B12345」吗？删除前的内容仍可在“历史”中查看。"]
    assert view.vehicles.ui.table.rowCount() == 0
    # the log keeps plates masked
    assert audit.room_history(ctx.db, ctx.actor, room)[0].summary == "删除车辆「浙B***45」"


def test_unmasking_shows_whole_numbers_is_audited_and_another_room_masks_again(
    qtbot, ctx, room
) -> None:
    view = view_of(qtbot, ctx, room)
    assert "138****5678" in view.members.ui.table.item(0, 5).text()
    view.toggle_reveal()
    assert "13812345678" in view.members.ui.table.item(0, 5).text()
    assert not view.file.masked  # type: ignore[union-attr]
    assert audit.room_history(ctx.db, ctx.actor, room)[0].action == "reveal"
    view.open_room(structure.find_room_id(ctx.db, ctx.actor, "1-1-102"))
    assert view.file.masked  # type: ignore[union-attr]


def test_a_cashier_reads_masked_with_every_change_button_off(qtbot, ctx, room, make_user) -> None:
    cashier = AppContext(ctx.db, make_user(Role.CASHIER), TaskRunner(wait=True))
    view = view_of(qtbot, cashier, room)
    assert not view.ui.revealButton.isEnabled() or view.ui.revealButton.isHidden()
    for records in view.lists():
        assert not records.ui.addButton.isEnabled()
    assert view.members.ui.addButton.toolTip() == "只读：收费员无权修改户档案"
    assert "138****5678" in view.members.ui.table.item(0, 5).text()


def test_the_profile_is_saved_in_place_and_a_bad_date_names_the_field(qtbot, ctx, room) -> None:
    view = view_of(qtbot, ctx, room)
    view.ui.moveInEdit.setText("2024-02-30")
    view.save_profile()
    assert view.ui.profileError.text().startswith("入住日期：")
    assert households.open_file(ctx.db, ctx.actor, room).profile.move_in_on is None
    view.ui.moveInEdit.setText("2024-03-01")
    view.ui.tagsEdit.setText("VIP 楼长")
    view.save_profile()
    assert view.ui.profileError.text() == "已保存。"
    saved = households.open_file(ctx.db, ctx.actor, room)
    assert saved.profile.move_in_on.isoformat() == "2024-03-01"  # type: ignore[union-attr]
    assert saved.tags == ["VIP", "楼长"]


def test_the_history_tab_lists_the_change_just_made(qtbot, ctx, room) -> None:
    view = view_of(qtbot, ctx, room)
    view.ui.tabs.setCurrentWidget(view.ui.historyTab)
    view.ui.tagsEdit.setText("独居")
    view.save_profile()
    tree = view.ui.historyTree
    top = tree.topLevelItem(0)
    assert top.text(3).startswith("新增户档案") or top.text(3).startswith("修改户档案")
    assert any("标签" in top.child(i).text(3) for i in range(top.childCount()))


def test_selecting_a_room_in_the_list_opens_its_file(qtbot, ctx, room) -> None:
    screen = RoomsScreen(ctx)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.open_room(room)
    qtbot.waitUntil(lambda: screen.file_view.file is not None)
    assert screen.file_view.file.room.code == "1-1-101"  # type: ignore[union-attr]
    assert screen.ui.printCardButton.isEnabled()
