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
from frontdesk.services.database import Changes, DataArea

# Changes that concern this screen: notices, templates, the register, the community and its
# buildings.
WATCHES = (DataArea.DOCUMENTS, DataArea.COMMUNITY, DataArea.STRUCTURE)


class NoticesScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_NoticesScreen()
        self.ui.setupUi(self)
        tabs = self.ui.tabs
        self.issue = IssueTab(ctx) if ctx.can(Permission.ISSUE_NOTICES) else None
        self.archive = ArchiveTab(ctx)
        self.templates = TemplatesTab(ctx) if ctx.can(Permission.EDIT_NOTICE_TEMPLATES) else None
        self.register = RegisterTab(ctx) if ctx.can(Permission.VIEW_ISSUED_DOCUMENTS) else None
        if self.issue is not None:
            tabs.addTab(self.issue, "发布通知")
        tabs.addTab(self.archive, "通知存档")
        if self.templates is not None:
            tabs.addTab(self.templates, "通知模板")
        if self.register is not None:
            tabs.addTab(self.register, "发文登记")
        tabs.currentChanged.connect(lambda _i: self.refresh())

    def tab_titles(self) -> list[str]:
        tabs = self.ui.tabs
        return [tabs.tabText(i) for i in range(tabs.count())]

    def changed(self, changes: Changes) -> None:
        if changes.touches(WATCHES):
            self.refresh()

    def refresh(self) -> None:
        tab = self.ui.tabs.currentWidget()
        if tab is not None:
            tab.refresh()  # type: ignore[attr-defined]
