"""维修工单 at visitor registration: for a 维修 visit, the room's open work orders to
pick the one the worker came for (or its GD number typed); the visit keeps it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel

from frontdesk.domain.roles import Permission
from frontdesk.domain.visitors import Purpose
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.services.visitors import order_link
from frontdesk.services.visitors.register import VisitRow

FIELD = order_link.FIELD
NONE_TEXT = "（不关联工单）"


def purpose_text(row: VisitRow) -> str:
    """事由 as the visitor lists show it: 维修 · GD-2612-0001 for a worker's visit."""
    return f"{row.purpose.label} · {row.work_order}" if row.work_order else row.purpose.label


class OrderChoice:
    """The caption and editable combo of the form; shown for 维修 visits only."""

    def __init__(self, ctx: AppContext, caption: QLabel, combo: QComboBox) -> None:
        self.ctx, self.caption, self.combo = ctx, caption, combo
        self.ids: dict[str, int] = {}
        self.active = False  # a 维修 visit: the choice counts
        self.refresh(None, Purpose.FAMILY)

    def refresh(self, room_id: int | None, purpose: Purpose) -> None:
        """Fill with the room's open orders (newest first, the first one chosen)."""
        shown = purpose == Purpose.REPAIR and self.ctx.can(Permission.REGISTER_VISITORS)
        self.caption.setVisible(shown)
        self.combo.setVisible(shown)
        self.active = shown
        self.combo.clear()
        self.ids = {}
        if not shown or room_id is None:
            self.combo.addItem(NONE_TEXT)
            return
        try:
            orders = order_link.room_open_orders(self.ctx.db, self.ctx.actor, room_id)
        except FrontDeskError:
            orders = []  # only a choice; registering reports real problems
        self.ids = {o.text: o.id for o in orders}
        for text in self.ids:
            self.combo.addItem(text)
        self.combo.addItem(NONE_TEXT)
        self.combo.setCurrentIndex(0)
        editor = self.combo.lineEdit()
        if editor is not None:
            editor.setCursorPosition(0)  # the number shows, not the description's end

    def chosen(self) -> int | None:
        """The order picked or typed (its GD number), None for none."""
        if not self.active:
            return None
        text = self.combo.currentText().strip()
        if not text or text == NONE_TEXT:
            return None
        if text in self.ids:
            return self.ids[text]
        try:
            return order_link.order_by_number(self.ctx.db, self.ctx.actor, text.split()[0]).id
        except FrontDeskError as exc:
            raise ValidationError(FIELD, exc.message) from exc
