"""访客: registration at the gate, who is inside, bookings, history, the watchlist
and the visitor settings; each tab shows only to a role that may use it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.visitors_visitors_screen_ui import Ui_VisitorsScreen
from frontdesk.gui.screens.visitors.bookings_tab import BookingsTab
from frontdesk.gui.screens.visitors.history_tab import HistoryTab
from frontdesk.gui.screens.visitors.inside_tab import InsideTab
from frontdesk.gui.screens.visitors.register_tab import RegisterTab
from frontdesk.gui.screens.visitors.settings_tab import VisitorSettingsTab
from frontdesk.gui.screens.visitors.watch_tab import WatchTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea

# Changes that concern this screen: visits, bookings, the watchlist, the visitor settings.
WATCHES = (DataArea.VISITORS, DataArea.COMMUNITY, DataArea.STRUCTURE)


class VisitorsScreen(TabbedScreen):
    watches = WATCHES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_VisitorsScreen()
        self.ui.setupUi(self)
        register = ctx.can(Permission.REGISTER_VISITORS)
        self.register = RegisterTab(ctx) if register else None
        self.inside = InsideTab(ctx) if register else None
        self.bookings = BookingsTab(ctx) if register else None
        self.history = HistoryTab(ctx) if register else None
        self.watch = WatchTab(ctx) if ctx.can(Permission.MANAGE_WATCHLIST) else None
        self.settings = VisitorSettingsTab(ctx) if ctx.can(Permission.EDIT_COMMUNITY) else None
        self.add_tabs(
            self.ui.tabs,
            (
                ("登记", self.register),
                ("在场访客", self.inside),
                ("预约", self.bookings),
                ("访客记录", self.history),
                ("黑名单", self.watch),
                ("访客设置", self.settings),
            ),
        )
