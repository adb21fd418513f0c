"""设置: community details, staff accounts, audit log, personal data, system settings
and backups.

Tabs appear by permission: 小区信息 and 系统 for everyone (read-only without
EDIT_COMMUNITY), 打印 (this PC's printers) for everyone, 用户 with MANAGE_USERS,
审计日志 with VIEW_AUDIT, 备份与恢复 with MANAGE_BACKUPS, 个人信息 with
MANAGE_PERSONAL_DATA, 客服设置 with MANAGE_SERVICE_DESK, 数据导入 with IMPORT_HOUSEHOLDS.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.audit_tab import AuditTab
from frontdesk.gui.screens.admin.backup_tab import BackupTab
from frontdesk.gui.screens.admin.community_tab import CommunityTab
from frontdesk.gui.screens.admin.import_wizard import ImportWizard
from frontdesk.gui.screens.admin.imports_tab import ImportsTab
from frontdesk.gui.screens.admin.personal_data_tab import PersonalDataTab
from frontdesk.gui.screens.admin.printing_tab import PrintingTab
from frontdesk.gui.screens.admin.repair_prices_tab import RepairPricesTab
from frontdesk.gui.screens.admin.service_desk_tab import ServiceDeskTab
from frontdesk.gui.screens.admin.system_tab import SystemTab
from frontdesk.gui.screens.admin.users_tab import UsersTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea

# Changes that concern this screen: the community, the settings, the users, the audit log,
# the service desk's categories and staff, the imports.
WATCHES = (
    DataArea.COMMUNITY,
    DataArea.USERS,
    DataArea.AUDIT,
    DataArea.SERVICE_DESK,
    DataArea.ONBOARDING,
)


class SettingsScreen(TabbedScreen):
    """Signals: community_changed(CommunityInfo), idle_lock_changed(minutes)."""

    watches = WATCHES

    community_changed = Signal(object)
    idle_lock_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        tabs = QTabWidget(self)
        tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(tabs)

        self.community_tab = CommunityTab(ctx)
        self.users_tab = UsersTab(ctx) if ctx.can(Permission.MANAGE_USERS) else None
        self.audit_tab = AuditTab(ctx) if ctx.can(Permission.VIEW_AUDIT) else None
        self.system_tab = SystemTab(ctx)
        self.printing_tab = PrintingTab(ctx)
        self.personal_tab = (
            PersonalDataTab(ctx) if ctx.can(Permission.MANAGE_PERSONAL_DATA) else None
        )
        self.backup_tab = BackupTab(ctx) if ctx.can(Permission.MANAGE_BACKUPS) else None
        self.service_desk_tab = (
            ServiceDeskTab(ctx) if ctx.can(Permission.MANAGE_SERVICE_DESK) else None
        )
        self.repair_prices_tab = RepairPricesTab(ctx) if RepairPricesTab.shown_to(ctx) else None
        self.imports_tab = ImportsTab(ctx) if ctx.can(Permission.IMPORT_HOUSEHOLDS) else None
        self.add_tabs(
            tabs,
            (
                ("小区信息", self.community_tab),
                ("用户", self.users_tab),
                ("审计日志", self.audit_tab),
                ("个人信息", self.personal_tab),
                ("客服设置", self.service_desk_tab),
                ("有偿维修价目", self.repair_prices_tab),
                ("系统", self.system_tab),
                ("打印", self.printing_tab),
                ("备份与恢复", self.backup_tab),
                ("数据导入", self.imports_tab),
            ),
        )

        self.community_tab.saved.connect(self.community_changed)
        self.system_tab.idle_lock_changed.connect(self.idle_lock_changed)
        if self.imports_tab is not None:
            self.imports_tab.open_wizard.connect(self.open_import_wizard)
        self.refresh()

    def open_import_wizard(self) -> None:
        ImportWizard(self.ctx, self).exec()  # the tabs learn of the import as a change
