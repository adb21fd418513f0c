"""收费: the cashier's area, one tab per task; each tab shows only to a role that may use it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_cashier_screen_ui import Ui_CashierScreen
from frontdesk.gui.screens.cashier.billing_tab import BillingTab
from frontdesk.gui.screens.cashier.close_tab import CloseTab
from frontdesk.gui.screens.cashier.collection_tab import CollectionTab
from frontdesk.gui.screens.cashier.counter_tab import CounterTab
from frontdesk.gui.screens.cashier.fee_setup_tab import FeeSetupTab
from frontdesk.gui.screens.cashier.grid_tab import GridTab
from frontdesk.gui.screens.cashier.meters_tab import MetersTab
from frontdesk.gui.screens.cashier.receipts_tab import ReceiptsTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea

# Changes that concern this screen: money, fee setup and receipt settings, and the rooms.
WATCHES = (DataArea.FEES, DataArea.STRUCTURE, DataArea.COMMUNITY)


class CashierScreen(TabbedScreen):
    watches = WATCHES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_CashierScreen()
        self.ui.setupUi(self)
        finance = ctx.can(Permission.VIEW_FINANCE)
        self.counter = CounterTab(ctx) if finance else None
        self.grid = GridTab(ctx) if finance else None
        self.receipts = ReceiptsTab(ctx) if finance else None
        self.close_tab = CloseTab(ctx) if finance else None
        self.billing = BillingTab(ctx) if ctx.can(Permission.MANAGE_FEES) else None
        self.meters = MetersTab(ctx) if ctx.can(Permission.ENTER_METER_READINGS) else None
        self.collection = CollectionTab(ctx) if finance else None
        self.fee_setup = FeeSetupTab(ctx) if ctx.can(Permission.MANAGE_FEES) else None
        self.add_tabs(
            self.ui.tabs,
            (
                ("收款", self.counter),
                ("楼栋收费状况", self.grid),
                ("收据", self.receipts),
                ("交班日结", self.close_tab),
                ("账单生成", self.billing),
                ("抄表", self.meters),
                ("收缴率", self.collection),
                ("收费标准", self.fee_setup),
            ),
        )
        if self.grid is not None:
            self.grid.room_chosen.connect(self.open_room)

    def focus_first_field(self) -> None:
        """Ctrl+3 is the cash desk: the 收款 tab, the cursor in its room field."""
        if self.counter is None:
            return
        self.ui.tabs.setCurrentWidget(self.counter)
        self.counter.focus_first_field()

    def open_room(self, room_id: int) -> None:
        if self.counter is None:
            return
        self.ui.tabs.setCurrentWidget(self.counter)
        self.counter.open_room(room_id)
