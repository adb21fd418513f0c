"""入伙: handover batches and appointments, a room's move-in checklist, the defects
found at inspection, and the owner handbook; each tab shows to the roles that use it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.movein_movein_screen_ui import Ui_MoveInScreen
from frontdesk.gui.screens.movein.batches_tab import BatchesTab
from frontdesk.gui.screens.movein.checklist_tab import ChecklistTab
from frontdesk.gui.screens.movein.defects_tab import DefectsTab
from frontdesk.gui.widgets.handbook_editor import HandbookTab
from frontdesk.gui.widgets.tabbed_screen import TabbedScreen
from frontdesk.services.database import DataArea

# Changes that concern this screen: move-ins, the owners' files, first fees, the rooms, the
# handbook.
WATCHES = (
    DataArea.MOVEIN,
    DataArea.HOUSEHOLDS,
    DataArea.FEES,
    DataArea.STRUCTURE,
    DataArea.COMMUNITY,
)


class MoveInScreen(TabbedScreen):
    watches = WATCHES

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = Ui_MoveInScreen()
        self.ui.setupUi(self)
        self.batches = BatchesTab(ctx)
        self.checklist = ChecklistTab(ctx)
        self.defects = DefectsTab(ctx)
        self.handbook = HandbookTab(ctx)
        self.add_tabs(
            self.ui.tabs,
            (
                ("交付批次", self.batches),
                ("入伙办理", self.checklist),
                ("验房问题", self.defects),
                ("业主手册", self.handbook),
            ),
        )
        self.batches.open_room_requested.connect(self.open_room)

    def open_room(self, room_id: int) -> None:
        """From the batch board to the room's checklist."""
        self.ui.tabs.setCurrentWidget(self.checklist)
        self.checklist.open_room(room_id)
