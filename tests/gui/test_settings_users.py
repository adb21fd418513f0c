"""用户 tab: an administrator creates, edits, resets and unlocks staff accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import AuthenticationFailed
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.screens.admin.user_dialogs import (
    EditUserDialog,
    NewUserDialog,
    ResetPasswordDialog,
    UserEdit,
)
from frontdesk.gui.screens.admin.users_tab import UsersModel, UsersTab
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services import users
from frontdesk.services.database import Database
from frontdesk.services.users import NewUser
from tests.conftest import STAFF_PASSWORD
from tests.gui.conftest import Shown


@pytest.fixture
def tab(qtbot: QtBot, ctx: AppContext) -> UsersTab:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    tab = screen.show_tab("用户")
    assert isinstance(tab, UsersTab)
    return tab


def answers(monkeypatch: pytest.MonkeyPatch, dialog: type, *values: object) -> list[tuple]:
    """Make `dialog.ask` return `values` one after another; returns the calls it got."""
    calls: list[tuple] = []
    queue: Iterator[object] = iter(values)

    def ask(parent, *args):
        calls.append(args)
        return next(queue)

    monkeypatch.setattr(dialog, "ask", classmethod(lambda cls, parent, *args: ask(parent, *args)))
    return calls


def table_text(tab: UsersTab) -> list[list[str]]:
    model = tab.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def row_for(tab: UsersTab, username: str) -> list[str]:
    return next(row for row in table_text(tab) if row[0] == username)


def select(tab: UsersTab, username: str) -> None:
    position = next(i for i, row in enumerate(table_text(tab)) if row[0] == username)
    select_row(tab.ui.userTable, position)


# the dialogs themselves -------------------------------------------------------
def test_new_user_dialog_returns_what_was_typed(qtbot: QtBot) -> None:
    dialog = NewUserDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    ui = dialog.ui
    assert [ui.roleCombo.itemText(i) for i in range(ui.roleCombo.count())] == [
        "前台",
        "收费员",
        "管家",
        "主管",
        "系统管理员",
    ]
    qtbot.keyClicks(ui.usernameEdit, "lisi")
    ui.nameEdit.insert("李四")  # QTest types ASCII only
    ui.roleCombo.setCurrentIndex(ui.roleCombo.findText("收费员"))
    qtbot.keyClicks(ui.passwordEdit, "lisi2024")
    qtbot.keyClicks(ui.againEdit, "lisi2024")
    ok = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "创建"
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.value() == NewUser("lisi", "李四", Role.CASHIER, "lisi2024")


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("lisi2024", "lisi2025", "确认密码：两次输入的密码不一致"),
        ("short1", "short1", "初始密码：至少 8 位"),
        ("abcdefgh", "abcdefgh", "初始密码：须同时包含字母和数字"),
    ],
)
def test_new_user_dialog_stays_open_on_a_bad_password(
    qtbot: QtBot, password: str, again: str, message: str
) -> None:
    dialog = NewUserDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.usernameEdit.setText("lisi")
    dialog.ui.nameEdit.setText("李四")
    qtbot.keyClicks(dialog.ui.passwordEdit, password)
    qtbot.keyClicks(dialog.ui.againEdit, again)
    qtbot.mouseClick(
        dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.ui.errorLabel.text() == message


def test_edit_and_reset_dialogs_start_from_the_user(qtbot: QtBot, ctx: AppContext) -> None:
    user = users.list_users(ctx.db, ctx.actor)[0]
    edit = EditUserDialog(user)
    qtbot.addWidget(edit)
    assert edit.ui.usernameValue.text() == "admin"
    assert edit.value() == UserEdit("管理员", Role.ADMIN, True)
    edit.ui.activeCheck.setChecked(False)
    assert edit.value().active is False

    reset = ResetPasswordDialog(user)
    qtbot.addWidget(reset)
    reset.show()
    assert "管理员（admin）" in reset.ui.targetLabel.text()
    assert reset.old_edit is None
    qtbot.keyClicks(reset.ui.newEdit, "fresh2024")
    qtbot.keyClicks(reset.ui.againEdit, "fresh2024")
    reset.accept()
    assert reset.result() == QDialog.DialogCode.Accepted
    assert reset.value() == "fresh2024"


# the tab ----------------------------------------------------------------------
def test_lists_users_with_chinese_roles_and_status(
    tab: UsersTab, make_user: Callable[[Role], Actor]
) -> None:
    make_user(Role.CASHIER)
    tab.refresh()
    cashier = row_for(tab, "cashier1")
    assert cashier[1:4] == ["收费员甲", "收费员", "启用"]
    assert cashier[4] != "从未登录"  # make_user signed them in
    assert tab.ui.countLabel.text() == "共 2 个账户，2 个启用"
    assert tab.model.headerData(2, Qt.Orientation.Horizontal) == "角色"


def test_a_user_created_through_the_dialog_appears_and_can_sign_in(
    tab: UsersTab, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    answers(monkeypatch, NewUserDialog, NewUser("lisi", "李四", Role.BUTLER, "lisi2024"))
    tab.ui.addButton.click()
    assert shown == []
    assert row_for(tab, "lisi")[:4] == ["lisi", "李四", "管家", "启用"]
    assert tab.selected_user() is not None and tab.selected_user().username == "lisi"
    actor = users.login(ctx.db, "lisi", "lisi2024")
    assert actor.role is Role.BUTLER


def test_a_taken_user_name_is_reported_and_asked_again(
    tab: UsersTab, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    taken = NewUser("admin", "另一个", Role.CLERK, "other2024")
    calls = answers(monkeypatch, NewUserDialog, taken, None)
    tab.ui.addButton.click()
    assert [text for _kind, _title, text in shown] == ["用户名：「admin」已被使用"]
    assert calls == [(None,), (taken,)]  # the second dialog starts from what was typed
    assert len(users.list_users(ctx.db, ctx.actor)) == 1
    assert tab.model.rowCount() == 1


def test_double_click_edits_role_and_deactivates(
    qtbot: QtBot,
    tab: UsersTab,
    ctx: AppContext,
    make_user: Callable[[Role], Actor],
    monkeypatch: pytest.MonkeyPatch,
    shown: Shown,
) -> None:
    make_user(Role.CLERK)
    tab.refresh()
    calls = answers(monkeypatch, EditUserDialog, UserEdit("前台乙", Role.CASHIER, False))
    position = next(i for i, row in enumerate(table_text(tab)) if row[0] == "clerk1")
    table = tab.ui.userTable
    rect = table.visualRect(tab.model.index(position, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(calls) == 1 and calls[0][0].username == "clerk1"
    assert shown == []
    assert row_for(tab, "clerk1")[1:4] == ["前台乙", "收费员", "停用"]
    with pytest.raises(AuthenticationFailed):
        users.login(ctx.db, "clerk1", STAFF_PASSWORD)


def test_the_last_administrator_cannot_be_demoted(
    tab: UsersTab, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, shown: Shown
) -> None:
    select(tab, "admin")
    answers(monkeypatch, EditUserDialog, UserEdit("管理员", Role.CLERK, True), None)
    tab.ui.editButton.click()
    assert shown[0][2] == "至少需要保留一个启用的系统管理员账户。"
    assert users.list_users(ctx.db, ctx.actor)[0].role is Role.ADMIN
    assert row_for(tab, "admin")[2] == "系统管理员"


def test_reset_password_lets_the_user_sign_in_with_the_new_one(
    tab: UsersTab,
    ctx: AppContext,
    make_user: Callable[[Role], Actor],
    monkeypatch: pytest.MonkeyPatch,
    shown: Shown,
) -> None:
    make_user(Role.CLERK)
    tab.refresh()
    select(tab, "clerk1")
    answers(monkeypatch, ResetPasswordDialog, "fresh2024")
    tab.ui.resetPasswordButton.click()
    assert shown == []
    users.login(ctx.db, "clerk1", "fresh2024")
    with pytest.raises(AuthenticationFailed):
        users.login(ctx.db, "clerk1", STAFF_PASSWORD)


def test_a_locked_account_shows_until_when_and_can_be_unlocked(
    tab: UsersTab, ctx: AppContext, make_user: Callable[[Role], Actor]
) -> None:
    make_user(Role.CASHIER)
    for _ in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            users.login(ctx.db, "cashier1", "wrong-password1")
    tab.refresh()
    assert row_for(tab, "cashier1")[3].startswith("已锁定至 ")
    select(tab, "admin")
    assert not tab.ui.unlockButton.isEnabled()
    select(tab, "cashier1")
    assert tab.ui.unlockButton.isEnabled()
    tab.ui.unlockButton.click()
    assert row_for(tab, "cashier1")[3] == "启用"
    assert not tab.ui.unlockButton.isEnabled()
    users.login(ctx.db, "cashier1", STAFF_PASSWORD)


def test_buttons_need_a_selection(tab: UsersTab) -> None:
    tab.ui.userTable.clearSelection()
    tab.ui.userTable.setCurrentIndex(tab.model.index(-1, -1))
    assert not tab.ui.editButton.isEnabled()
    assert not tab.ui.resetPasswordButton.isEnabled()
    assert tab.ui.addButton.isEnabled()


def test_users_model_is_a_proper_model(
    qtmodeltester, db: Database, admin: Actor, make_user: Callable[[Role], Actor]
) -> None:
    make_user(Role.CLERK)
    make_user(Role.BUTLER)
    model = UsersModel()
    model.set_rows(users.list_users(db, admin), clock.now())
    assert model.rowCount() == 3
    qtmodeltester.check(model)
