"""催缴: the arrears area, one tab per task; each tab shows only to a role that may use it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.arrears_arrears_screen_ui import Ui_ArrearsScreen
from frontdesk.gui.screens.arrears.batch_tab import BatchTab
from frontdesk.gui.screens.arrears.delivery_tab import DeliveryTab
from frontdesk.gui.screens.arrears.follow_tab import FollowTab
from frontdesk.gui.screens.arrears.list_tab import ListTab
from frontdesk.gui.screens.arrears.wording_tab import WordingTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea

# Changes that concern this screen: the arrears, their reminders and wording, and whose they are.
WATCHES = (
    DataArea.FEES,
    DataArea.ARREARS,
    DataArea.HOUSEHOLDS,
    DataArea.STRUCTURE,
    DataArea.COMMUNITY,
)


class ArrearsScreen(TabbedScreen):
    watches = WATCHES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_ArrearsScreen()
        self.ui.setupUi(self)
        chase = ctx.can(Permission.CHASE_ARREARS)
        self.list_tab = ListTab(ctx) if chase else None
        self.batch = BatchTab(ctx) if chase else None
        self.delivery = DeliveryTab(ctx) if chase else None
        self.follow = FollowTab(ctx) if chase else None
        self.wording = WordingTab(ctx) if ctx.can(Permission.MANAGE_FEES) else None
        self.add_tabs(
            self.ui.tabs,
            (
                ("欠费清单", self.list_tab),
                ("批量催缴", self.batch),
                ("送达登记", self.delivery),
                ("跟进", self.follow),
                ("通知措辞", self.wording),
            ),
        )
