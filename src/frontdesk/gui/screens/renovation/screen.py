"""装修: the renovations from application to closing (装修登记), the daily round of
the ones under way (日常巡查), the 装修指南 and the renovation settings."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.renovation_renovation_screen_ui import Ui_RenovationScreen
from frontdesk.gui.screens.renovation.round_tab import RoundTab
from frontdesk.gui.screens.renovation.settings_tab import RenovationSettingsTab
from frontdesk.gui.screens.renovation.works_tab import WorksTab
from frontdesk.gui.widgets.handbook_editor import HandbookTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea
from frontdesk.services.movein import handbook

# Changes that concern this screen: renovations, their fees, the guide and settings, the rooms.
WATCHES = (DataArea.RENOVATION, DataArea.FEES, DataArea.COMMUNITY, DataArea.STRUCTURE)


class RenovationScreen(TabbedScreen):
    watches = WATCHES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_RenovationScreen()
        self.ui.setupUi(self)
        self.works = WorksTab(ctx)
        self.round = RoundTab(ctx)
        self.guide = HandbookTab(ctx, book=handbook.GUIDE)
        self.settings = RenovationSettingsTab(ctx)
        self.add_tabs(
            self.ui.tabs,
            (
                ("装修登记", self.works),
                ("日常巡查", self.round),
                ("装修指南", self.guide),
                ("装修设置", self.settings),
            ),
        )
        self.round.open_requested.connect(self.open_renovation)

    def open_renovation(self, renovation_id: int) -> None:
        self.ui.tabs.setCurrentWidget(self.works)
        self.works.open_renovation(renovation_id)
