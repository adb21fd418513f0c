"""通知: 发布通知 (lobby notices and letters from a template), 通知存档 (what was
announced), 通知模板 (supervisors' wording) and 发文登记 (every document issued).
A role sees only the tabs it may use."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.notices_notices_screen_ui import Ui_NoticesScreen
from frontdesk.gui.screens.notices.archive_tab import ArchiveTab
from frontdesk.gui.screens.notices.issue_tab import IssueTab
from frontdesk.gui.screens.notices.register_tab import RegisterTab
from frontdesk.gui.screens.notices.templates_tab import TemplatesTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea

# Changes that concern this screen: notices, templates, the register, the community and its
# buildings.
WATCHES = (DataArea.DOCUMENTS, DataArea.COMMUNITY, DataArea.STRUCTURE)


class NoticesScreen(TabbedScreen):
    watches = WATCHES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_NoticesScreen()
        self.ui.setupUi(self)
        self.issue = IssueTab(ctx) if ctx.can(Permission.ISSUE_NOTICES) else None
        self.archive = ArchiveTab(ctx)
        self.templates = TemplatesTab(ctx) if ctx.can(Permission.EDIT_NOTICE_TEMPLATES) else None
        self.register = RegisterTab(ctx) if ctx.can(Permission.VIEW_ISSUED_DOCUMENTS) else None
        self.add_tabs(
            self.ui.tabs,
            (
                ("发布通知", self.issue),
                ("通知存档", self.archive),
                ("通知模板", self.templates),
                ("发文登记", self.register),
            ),
        )
