"""接班确认 at sign-in: the handover waiting for the person who just signed in (their
password checked by the sign-in itself) is shown to be acknowledged, or left for later."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from frontdesk.domain import clock
from frontdesk.domain.shift_log import AckWay
from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_shift_ack_dialog_ui import Ui_ShiftAckDialog
from frontdesk.gui.messages import show_error
from frontdesk.gui.screens.counter.shift_text import entry_text, waiting_text
from frontdesk.services.shift_log import book
from frontdesk.services.shift_log.book import EntryRow


class ShiftAckDialog(QDialog):
    def __init__(self, ctx: AppContext, entry: EntryRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entry = entry
        self.acknowledged: EntryRow | None = None
        self.ui = ui = Ui_ShiftAckDialog()
        ui.setupUi(self)
        ui.titleLabel.setText(f"{waiting_text(entry)}。由 {ctx.actor.display_name} 接班？")
        ui.entryView.setPlainText(entry_text(entry, clock.today()))
        ok = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("确认接班")
        ok.setDefault(True)
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("稍后确认")
        ui.buttonBox.accepted.connect(self.acknowledge)
        ui.buttonBox.rejected.connect(self.reject)

    def acknowledge(self) -> None:
        ctx = self.ctx
        try:
            self.acknowledged = book.acknowledge(
                ctx.db, ctx.actor, self.entry.id, way=AckWay.SIGN_IN
            )
        except FrontDeskError as exc:
            self.ui.messageLabel.setText(exc.message)
            return
        self.accept()


def offer_handover(ctx: AppContext, parent: QWidget | None) -> EntryRow | None:
    """After a sign-in: the waiting handover this person may take, to acknowledge now;
    the acknowledged entry, or None (nothing waiting, or left for later)."""
    try:
        waiting = book.handover_for(ctx.db, ctx.actor)
    except FrontDeskError as exc:
        show_error(parent, exc)
        return None
    if waiting is None:
        return None
    dialog = ShiftAckDialog(ctx, waiting, parent)
    dialog.exec()
    return dialog.acknowledged
