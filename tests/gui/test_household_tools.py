"""Recent files, attachments and butler contact tabs, 管家工作."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt

from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind
from frontdesk.domain.roles import Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.screens.household.attachments_tab import AttachmentsTab
from frontdesk.gui.screens.household.contacts_tab import ContactDialog, ContactsTab
from frontdesk.gui.screens.reports.screen import ReportsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.households import attachments, butler_contacts, structure
from frontdesk.services.households import file as households
from frontdesk.services.households.file import PersonInput
from frontdesk.services.households.structure import NewBuilding


@pytest.fixture
def room(ctx: AppContext) -> int:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("3", "", 12, 2, 2, "89.5"))
    room_id = structure.find_room_id(ctx.db, ctx.actor, "3-2-1201")
    households.add_record(ctx.db, ctx.actor, room_id, PersonInput(PersonKind.OWNER, "张三"))
    return room_id


def test_recent_files_are_one_click_away(qtbot, ctx, room) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not window.ui.recentCaption.isVisible()
    for code in ("3-1-101", "3-2-1201", "3-1-101"):
        window.open_hit(window.update_search(code)[0])
    assert [h.title for h in window.recent] == ["3-1-101", "3-2-1201"]
    buttons = window._recent_buttons
    assert [b.text() for b in buttons] == ["3-1-101 无产权人登记", "3-2-1201 张三"]
    buttons[1].click()
    assert [h.title for h in window.recent] == ["3-2-1201", "3-1-101"]


def test_attachments_tab_adds_lists_and_saves_a_copy(qtbot, ctx, room, tmp_path) -> None:
    tab = AttachmentsTab(ctx)
    qtbot.addWidget(tab)
    tab.open_room(room, households.open_file(ctx.db, ctx.actor, room))
    scan = tmp_path / "证.pdf"
    scan.write_bytes(b"%PDF scan")
    tab.add(scan, "产权证", "不动产权证")
    assert tab.ui.table.rowCount() == 1 and tab.ui.table.item(0, 1).text() == "不动产权证"
    select_row(tab.ui.table, 0)
    assert tab.ui.openButton.isEnabled() and tab.ui.removeButton.isEnabled()
    tab.save_to(tab.rows[0], tmp_path / "copy.pdf")
    assert (tmp_path / "copy.pdf").read_bytes() == b"%PDF scan"


def test_a_cashier_sees_attachments_but_cannot_open_them(
    qtbot, ctx, room, make_user, tmp_path
) -> None:
    scan = tmp_path / "id.jpg"
    scan.write_bytes(b"jpeg")
    attachments.add_attachment(ctx.db, ctx.actor, room, scan, "身份证件", "身份证")
    cashier = AppContext(ctx.db, make_user(Role.CASHIER), TaskRunner(wait=True))
    tab = AttachmentsTab(cashier)
    qtbot.addWidget(tab)
    tab.open_room(room, households.open_file(cashier.db, cashier.actor, room))
    select_row(tab.ui.table, 0)
    assert not tab.ui.openButton.isEnabled() and not tab.ui.addButton.isEnabled()
    assert tab.ui.openButton.toolTip() == "附件含个人信息，您无权打开"


def test_contacts_tab_records_a_contact_and_refuses_a_future_date(qtbot, ctx, room) -> None:
    tab = ContactsTab(ctx)
    qtbot.addWidget(tab)
    file = households.open_file(ctx.db, ctx.actor, room)
    tab.open_room(room, file)
    assert tab.ui.hintLabel.text().startswith("本楼尚未指定管家。尚无联系记录。")
    dialog = ContactDialog(ctx, file)
    qtbot.addWidget(dialog)
    dialog.ui.topicCombo.setEditText(" ")
    dialog.accept()
    assert dialog.ui.errorLabel.text() == "事由：不能为空"
    dialog.ui.topicCombo.setEditText("缴费提醒")
    dialog.ui.followUpCheck.setChecked(True)
    dialog.ui.followUpEdit.setDate(QDate(clock.today()).addDays(3))
    dialog.accept()
    assert dialog.saved_id is not None
    tab.open_room(room, file)
    assert tab.ui.table.rowCount() == 1 and tab.ui.table.item(0, 2).text() == "缴费提醒"
    assert f"最近一次联系：{clock.today():%Y-%m-%d}" in tab.ui.hintLabel.text()


def test_butler_work_shows_coverage_for_supervisors_and_is_hidden_from_clerks(
    qtbot, ctx, room, make_user
) -> None:
    butler = make_user(Role.BUTLER, "guanjia")
    building = structure.list_buildings(ctx.db, ctx.actor)[0]
    households.assign_butler(ctx.db, ctx.actor, building.id, butler.user_id)
    butler_contacts.record_contact(
        ctx.db, butler, room, butler_contacts.ContactInput(clock.today(), "电话", "回访")
    )
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    screen.refresh()
    table = screen.ui.coverageTable
    assert [table.item(0, c).text() for c in range(5)][:3] == ["管家甲", "0", "0"]
    clerk = AppContext(ctx.db, make_user(Role.CLERK), TaskRunner(wait=True))
    other = ReportsScreen(clerk)
    qtbot.addWidget(other)
    assert other.ui.tabs.indexOf(other.ui.butlerTab) == -1  # 客服月报 stays: anyone prints reports


def test_search_as_you_type_by_pinyin_then_arrow_and_enter_open_the_file(qtbot, ctx, room) -> None:
    households.add_record(
        ctx.db,
        ctx.actor,
        structure.find_room_id(ctx.db, ctx.actor, "3-1-101"),
        PersonInput(PersonKind.OWNER, "张思"),
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    edit = window.ui.searchEdit
    edit.setFocus()
    qtbot.keyClicks(edit, "z")
    qtbot.keyClicks(edit, "s")
    assert [h.title for h in window._hits] == ["3-2-1201", "3-1-101"]  # 张三, 张思
    assert window._completer.popup().isVisible()
    popup = window._completer.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert window.recent[0].title == "3-1-101"
    assert window.ui.screenTitle.text() == "户档案"


def test_a_bare_room_number_searches_the_building_chosen_in_the_browser(qtbot, ctx, room) -> None:
    structure.create_building(ctx.db, ctx.actor, NewBuilding("5", "", 3, 1, 2, "89.5"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert [h.title for h in window.update_search("101")] == ["3-1-101", "3-2-101", "5-1-101"]
    screen = window.show_area("households")
    tree = screen.ui.buildingTree  # type: ignore[union-attr]
    fifth = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0).startswith("5栋")
    )
    tree.setCurrentItem(fifth)
    assert [h.title for h in window.update_search("101")] == ["5-1-101"]
    assert [h.title for h in window.update_search("3-1-101")] == [
        "3-1-101"
    ]  # a full code still wins
