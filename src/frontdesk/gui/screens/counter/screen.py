"""前台登记: the counter's small registers — parcels taken in for households, keys held
for flats, goods passes, things lent out, lost property, certificates and the shift
handover book; each tab shows only to a role that may use it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_counter_screen_ui import Ui_CounterScreen
from frontdesk.gui.screens.counter.certificates_tab import CertificatesTab
from frontdesk.gui.screens.counter.goods_pass_tab import GoodsPassTab
from frontdesk.gui.screens.counter.keys_tab import KeysTab
from frontdesk.gui.screens.counter.lending_tab import LendingTab
from frontdesk.gui.screens.counter.lost_property_tab import LostPropertyTab
from frontdesk.gui.screens.counter.parcels_tab import ParcelsTab
from frontdesk.gui.screens.counter.shift_log_tab import ShiftLogTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea

# Changes that concern this screen: the registers, and the rooms and people they name.
WATCHES = (
    DataArea.PARCELS,
    DataArea.KEY_CUSTODY,
    DataArea.GOODS_PASSES,
    DataArea.LENDING,
    DataArea.LOST_PROPERTY,
    DataArea.CERTIFICATES,
    DataArea.SHIFT_LOG,
    DataArea.COMMUNITY,
    DataArea.STRUCTURE,
    DataArea.HOUSEHOLDS,
)


class CounterScreen(TabbedScreen):
    watches = WATCHES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_CounterScreen()
        self.ui.setupUi(self)
        registers = ctx.can(Permission.KEEP_COUNTER_REGISTERS)
        self.parcels = ParcelsTab(ctx) if registers else None
        self.keys = KeysTab(ctx) if registers else None
        self.lending = LendingTab(ctx) if registers else None
        self.goods_passes = GoodsPassTab(ctx) if registers else None
        self.lost_property = LostPropertyTab(ctx) if registers else None
        self.shift_log = ShiftLogTab(ctx) if registers else None
        may_certify = ctx.can(Permission.ISSUE_CERTIFICATES)
        self.certificates = CertificatesTab(ctx) if may_certify else None
        self.add_tabs(
            self.ui.tabs,
            (
                ("快递代收", self.parcels),
                ("钥匙托管", self.keys),
                ("物品放行", self.goods_passes),
                ("物品借用", self.lending),
                ("失物招领", self.lost_property),
                ("开具证明", self.certificates),
                ("交接班", self.shift_log),
            ),
        )
