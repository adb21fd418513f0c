"""设置 › 客服设置: a supervisor changes a category's promises and adds a worker linked
to a user; bad input is refused naming the field, nothing saved; others have no tab."""

from __future__ import annotations

import pytest

from frontdesk.domain.roles import Role
from frontdesk.domain.service_desk import Team
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.screens.admin.service_desk_tab import (
    CategoryDialog,
    ServiceDeskTab,
    StaffDialog,
    minutes_text,
    parse_minutes,
)
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import service_desk as desk


@pytest.fixture
def supervisor_ctx(db, make_user) -> AppContext:
    return AppContext(db, make_user(Role.SUPERVISOR), TaskRunner(wait=True))


@pytest.fixture
def tab(qtbot, supervisor_ctx: AppContext) -> ServiceDeskTab:
    screen = SettingsScreen(supervisor_ctx)
    qtbot.addWidget(screen)
    found = screen.show_tab("客服设置")
    assert isinstance(found, ServiceDeskTab)
    return found


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("30", 30), ("30分钟", 30), ("4小时", 240), ("2 天", 2880), ("1天2小时30分", 1590)],
)
def test_a_promise_reads_as_a_clerk_writes_it(text: str, minutes: int) -> None:
    assert parse_minutes(text, "到场时限") == minutes
    assert parse_minutes(minutes_text(minutes), "到场时限") == minutes


@pytest.mark.parametrize("text", ["", "半小时", "4小时多", "-5"])
def test_a_promise_that_cannot_be_read_names_its_field(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_minutes(text, "紧急到场时限")
    assert refused.value.field == "紧急到场时限"


def _row_of(table, name: str) -> int:
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    return names.index(name)


def test_a_supervisor_changes_a_categorys_promises(
    qtbot, tab: ServiceDeskTab, db, monkeypatch
) -> None:
    water = _row_of(tab.categoryTable, "水电")
    assert tab.categoryTable.item(water, 2).text() == "30 分钟"  # the plan's urgent promise
    tab.categoryTable.setCurrentCell(water, 0)

    def change(dialog: CategoryDialog) -> int:
        dialog.promiseEdits["urgent_arrive_minutes"].setText("20分钟")
        dialog.promiseEdits["finish_minutes"].setText("1天")
        dialog.activeCheck.setChecked(False)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CategoryDialog, "exec", change)
    tab.edit_category()
    saved = next(c for c in desk.categories(db, active_only=False) if c.name == "水电")
    assert saved.promises.urgent_arrive_minutes == 20
    assert saved.promises.finish_minutes == 24 * 60
    assert not saved.active
    row = _row_of(tab.categoryTable, "水电")
    assert tab.categoryTable.item(row, 2).text() == "20 分钟"
    assert tab.categoryTable.item(row, 8).text() == "停用"


def test_a_bad_promise_keeps_the_dialog_open_naming_the_field(
    qtbot, tab: ServiceDeskTab, db
) -> None:
    before = desk.categories(db, active_only=False)
    dialog = CategoryDialog(tab.ctx, None, tab)
    qtbot.addWidget(dialog)
    dialog.nameEdit.setText("门禁")
    dialog.promiseEdits["callback_minutes"].setText("两天")
    dialog.accept()
    assert "回访时限" in dialog.errorLabel.text()
    assert dialog.saved_id is None
    dialog.promiseEdits["callback_minutes"].setText("2天")
    dialog.promiseEdits["arrive_minutes"].setText("3天")  # longer than finishing (24 h)
    dialog.accept()
    assert "到场时限" in dialog.errorLabel.text()
    assert desk.categories(db, active_only=False) == before  # nothing half-saved


def test_a_supervisor_adds_a_worker_linked_to_a_user(
    qtbot, tab: ServiceDeskTab, db, make_user, monkeypatch
) -> None:
    make_user(Role.CLERK, "wangshifu")
    tab.refresh()  # the users to link to are read with the lists

    def fill(dialog: StaffDialog) -> int:
        dialog.nameEdit.setText("王师傅")
        dialog.team.select(Team.ENGINEERING)
        dialog.phoneEdit.setText("139 0000 1111")
        user_index = next(
            i
            for i in range(dialog.userCombo.count())
            if "wangshifu" in dialog.userCombo.itemText(i)
        )
        dialog.userCombo.setCurrentIndex(user_index)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(StaffDialog, "exec", fill)
    tab.new_staff()
    [worker] = desk.staff(db)
    assert (worker.name, worker.team, worker.on_duty) == ("王师傅", Team.ENGINEERING, True)
    assert worker.user_id is not None
    row = [tab.staffTable.item(0, c).text() for c in range(tab.staffTable.columnCount())]
    assert row[:4] == ["王师傅", "工程", worker.phone, "当班"]
    assert "wangshifu" in row[4]

    tab.staffTable.setCurrentCell(0, 0)
    tab.toggle_duty()
    assert not desk.staff(db)[0].on_duty
    assert tab.staffTable.item(0, 3).text() == "下班"


def test_a_worker_without_a_name_is_refused_naming_the_field(
    qtbot, tab: ServiceDeskTab, db
) -> None:
    dialog = StaffDialog(tab.ctx, None, [], tab)
    qtbot.addWidget(dialog)
    dialog.phoneEdit.setText("13900001111")
    dialog.accept()
    assert "姓名" in dialog.errorLabel.text()
    dialog.nameEdit.setText("李阿姨")
    dialog.phoneEdit.setText("12")
    dialog.accept()
    assert "电话" in dialog.errorLabel.text()
    assert desk.staff(db) == []


@pytest.mark.parametrize("role", [Role.CLERK, Role.BUTLER, Role.CASHIER])
def test_only_supervisors_have_the_tab(qtbot, db, make_user, role: Role) -> None:
    screen = SettingsScreen(AppContext(db, make_user(role), TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    assert "客服设置" not in screen.tab_titles()
