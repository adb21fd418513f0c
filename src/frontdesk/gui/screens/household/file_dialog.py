"""A room's household file in a window of its own, over another screen (the move-in
checklist's 业主建档 opens it through the navigator to register the owners)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.household.file_view import HouseholdFileView


class FileDialog(QDialog):
    """The room's household file, to register the owners, family, cars and contacts."""

    def __init__(self, ctx: AppContext, room_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("户档案")
        self.resize(980, 680)
        layout = QVBoxLayout(self)
        self.view = HouseholdFileView(ctx, self)
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.view.open_room(room_id)
        self.view.ui.tabs.setCurrentWidget(self.view.ui.membersTab)  # owners first
