"""The 设置 screen as a whole: which tabs each role gets, and that its forms build."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.domain.roles import Actor, Role
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database

ADMIN_FORMS = {
    "admin_community_tab_ui": ("Ui_CommunityTab", QWidget),
    "admin_users_tab_ui": ("Ui_UsersTab", QWidget),
    "admin_audit_tab_ui": ("Ui_AuditTab", QWidget),
    "admin_system_tab_ui": ("Ui_SystemTab", QWidget),
    "admin_personal_data_tab_ui": ("Ui_PersonalDataTab", QWidget),
    "admin_new_user_dialog_ui": ("Ui_NewUserDialog", QDialog),
    "admin_edit_user_dialog_ui": ("Ui_EditUserDialog", QDialog),
    "admin_password_dialog_ui": ("Ui_PasswordDialog", QDialog),
}


def screen_for(qtbot: QtBot, db: Database, actor: Actor) -> SettingsScreen:
    screen = SettingsScreen(AppContext(db, actor, TaskRunner(wait=True)))
    qtbot.addWidget(screen)
    return screen


def test_admin_sees_every_tab(qtbot: QtBot, ctx: AppContext) -> None:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    assert screen.tab_titles() == [
        "小区信息",
        "用户",
        "审计日志",
        "个人信息",
        "客服设置",
        "有偿维修价目",
        "系统",
        "打印",
        "备份与恢复",
        "数据导入",
    ]
    assert screen.users_tab is not None and screen.audit_tab is not None


def test_clerk_sees_no_users_or_audit_tab_and_only_reads(
    qtbot: QtBot, db: Database, make_user: Callable[[Role], Actor]
) -> None:
    screen = screen_for(qtbot, db, make_user(Role.CLERK))
    screen.show()
    assert screen.tab_titles() == ["小区信息", "有偿维修价目", "系统", "打印"]
    assert screen.users_tab is None and screen.audit_tab is None
    with pytest.raises(KeyError):
        screen.show_tab("用户")
    community = screen.community_tab.ui
    assert community.nameEdit.text() == "测试小区"
    assert community.nameEdit.isReadOnly()
    assert not community.saveButton.isVisible()
    assert not community.chooseLogoButton.isVisible()
    assert community.readOnlyNote.isVisible()
    screen.show_tab("系统")
    assert not screen.system_tab.ui.lockSpin.isEnabled()
    assert not screen.system_tab.ui.lockSaveButton.isVisible()
    assert screen.system_tab.ui.changePasswordButton.isEnabled()


def test_supervisor_reads_the_audit_log_but_does_not_manage_users(
    qtbot: QtBot, db: Database, make_user: Callable[[Role], Actor]
) -> None:
    screen = screen_for(qtbot, db, make_user(Role.SUPERVISOR))
    assert screen.tab_titles() == [
        "小区信息",
        "审计日志",
        "个人信息",
        "客服设置",
        "有偿维修价目",
        "系统",
        "打印",
        "备份与恢复",
        "数据导入",
    ]
    assert not screen.community_tab.ui.nameEdit.isReadOnly()


def test_switching_tabs_loads_them(qtbot: QtBot, ctx: AppContext) -> None:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    users_tab = screen.show_tab("用户")
    assert users_tab is screen.users_tab
    assert screen.users_tab.model.rowCount() == 1  # the administrator from first run
    screen.show_tab("审计日志")
    assert screen.audit_tab is not None and screen.audit_tab.model.rowCount() > 0


@pytest.mark.parametrize("module", sorted(ADMIN_FORMS))
def test_every_admin_form_builds(qtbot: QtBot, module: str) -> None:
    class_name, base = ADMIN_FORMS[module]
    form = getattr(importlib.import_module(f"frontdesk.gui.forms.{module}"), class_name)()
    widget = base()
    qtbot.addWidget(widget)
    form.setupUi(widget)
    assert widget.layout() is not None
