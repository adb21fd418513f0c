"""设置: community details, staff accounts, audit log, personal data, system settings
and backups.

Tabs appear by permission: 小区信息 and 系统 for everyone (read-only without
EDIT_COMMUNITY), 用户 with MANAGE_USERS, 审计日志 with VIEW_AUDIT, 备份与恢复 with MANAGE_BACKUPS,
个人信息 with MANAGE_PERSONAL_DATA.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.audit_tab import AuditTab
from frontdesk.gui.screens.admin.backup_tab import BackupTab
from frontdesk.gui.screens.admin.community_tab import CommunityTab
from frontdesk.gui.screens.admin.personal_data_tab import PersonalDataTab
from frontdesk.gui.screens.admin.system_tab import SystemTab
from frontdesk.gui.screens.admin.users_tab import UsersTab
from frontdesk.services.database import Changes, DataArea

# Changes that concern this screen: the community, the settings, the users, the audit log.
WATCHES = (DataArea.COMMUNITY, DataArea.USERS, DataArea.AUDIT)


class SettingsScreen(QWidget):
    """Signals: community_changed(CommunityInfo), idle_lock_changed(minutes)."""

    community_changed = Signal(object)
    idle_lock_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.community_tab = CommunityTab(ctx)
        self.users_tab = UsersTab(ctx) if ctx.can(Permission.MANAGE_USERS) else None
        self.audit_tab = AuditTab(ctx) if ctx.can(Permission.VIEW_AUDIT) else None
        self.system_tab = SystemTab(ctx)
        self.personal_tab = (
            PersonalDataTab(ctx) if ctx.can(Permission.MANAGE_PERSONAL_DATA) else None
        )
        self.backup_tab = BackupTab(ctx) if ctx.can(Permission.MANAGE_BACKUPS) else None
        self.tabs.addTab(self.community_tab, "小区信息")
        if self.users_tab is not None:
            self.tabs.addTab(self.users_tab, "用户")
        if self.audit_tab is not None:
            self.tabs.addTab(self.audit_tab, "审计日志")
        if self.personal_tab is not None:
            self.tabs.addTab(self.personal_tab, "个人信息")
        self.tabs.addTab(self.system_tab, "系统")
        if self.backup_tab is not None:
            self.tabs.addTab(self.backup_tab, "备份与恢复")

        self.community_tab.saved.connect(self.community_changed)
        self.system_tab.idle_lock_changed.connect(self.idle_lock_changed)
        self.tabs.currentChanged.connect(lambda _index: self._refresh_current())
        self.refresh()

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def show_tab(self, title: str) -> QWidget:
        """Switch to the tab with this title (KeyError if the role does not have it)."""
        titles = self.tab_titles()
        if title not in titles:
            raise KeyError(title)
        self.tabs.setCurrentIndex(titles.index(title))
        return self.tabs.currentWidget()

    def changed(self, changes: Changes) -> None:
        if changes.touches(WATCHES):
            self.refresh()

    def refresh(self) -> None:
        """Reload the visible tab (the others reload when they are switched to)."""
        self._refresh_current()

    def _refresh_current(self) -> None:
        tab = self.tabs.currentWidget()
        refresh = getattr(tab, "refresh", None)
        if callable(refresh):
            refresh()
