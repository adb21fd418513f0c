"""客服: the board of open orders (工单看板), the callback list (回访), the overdue
complaints for the supervisors (升级/逾期投诉) and the satisfaction surveys (满意度调查)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.service_desk.board_tab import BoardTab, CallbacksTab
from frontdesk.gui.screens.service_desk.escalations_tab import EscalationsTab
from frontdesk.gui.screens.service_desk.surveys_tab import SurveysTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea

# Changes that concern this screen: work orders and the desk's settings, the rooms, surveys.
WATCHES = (DataArea.SERVICE_DESK, DataArea.STRUCTURE, DataArea.SURVEYS)


class ServiceDeskScreen(TabbedScreen):
    watches = WATCHES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        tabs = QTabWidget()
        layout.addWidget(tabs)
        self.board = BoardTab(ctx)
        self.callbacks = CallbacksTab(ctx)
        self.escalations = EscalationsTab(ctx)
        self.surveys = SurveysTab(ctx)
        self.add_tabs(
            tabs,
            (
                ("工单看板", self.board),
                ("回访", self.callbacks),
                ("升级/逾期投诉", self.escalations),
                ("满意度调查", self.surveys),
            ),
        )

    def focus_first_field(self) -> None:
        self.board.table.setFocus()
