"""The one field where a room is typed: it finds a household with the same search as
the household file (room code, name, pinyin, phone tail or plate), in the same order
(a butler's own buildings first); Enter takes the best hit and moves on to the next
field, and never reaches the dialog around the picker (whose default button would
save). A form lays out a plain QLineEdit where the picker goes (it needs the context,
which Designer cannot give) and the screen puts the picker in its place."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QWidget

from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.services.households.search import HouseholdHit, find_households

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HIT_LIMIT = 12
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def hit_text(hit: HouseholdHit) -> str:
    owners = "、".join(hit.owners) or "无产权人登记"
    return f"{hit.room_code}（{hit.place} · {owners}）"


class RoomPicker(QLineEdit):
    """Signals: room_chosen(room_id) once a household is picked; cleared() when the
    text is edited away from it; nothing_found(text) when Enter finds no household."""

    room_chosen = Signal(int)
    cleared = Signal()
    nothing_found = Signal(str)

    @classmethod
    def in_place_of(cls, ctx: AppContext, slot: QLineEdit) -> RoomPicker:
        """A picker where a form has `slot`: same place, size limits and placeholder,
        and the labels that were the slot's buddy become the picker's."""
        parent = slot.parentWidget()
        picker = cls(ctx, parent)
        picker.setPlaceholderText(slot.placeholderText())
        picker.setMaximumSize(slot.maximumSize())
        picker.setMinimumSize(slot.minimumSize())
        layout = parent.layout() if parent is not None else None
        if layout is not None:
            layout.replaceWidget(slot, picker)
        if parent is not None:
            for label in parent.findChildren(QLabel):
                if label.buddy() is slot:
                    label.setBuddy(picker)
        slot.hide()
        slot.deleteLater()
        return picker

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.room_id: int | None = None
        self.hits: list[HouseholdHit] = []
        self.setPlaceholderText("房号 / 业主姓名或拼音 / 电话尾号 / 车牌，回车选第一户")
        self._model = QStandardItemModel(self)
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setWidget(self)
        completer.setMaxVisibleItems(HIT_LIMIT)  # every hit in sight, none behind a scroll
        # The stubs do not know activated's overloads (str, QModelIndex): pick the second.
        activated = completer.activated[QModelIndex]  # type: ignore[index]
        activated.connect(lambda index: self.choose(index.data(HIT_ROLE)))
        self._completer = completer
        self.textEdited.connect(self._search)
        self.returnPressed.connect(self._choose_first)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter (also with the hit list open, which hands its keys here first) takes the
        household highlighted in the list, else the best hit, and moves on once one is
        taken. The key stops here: passed on, it would press the dialog's default button.
        Enter with Ctrl or Shift is not the picker's and goes on as usual."""
        if event.key() not in ENTER_KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        highlighted = self._highlighted()
        if highlighted is not None:
            self.choose(highlighted)
        super().keyPressEvent(event)  # returnPressed: the best hit, and the screen's own step
        event.accept()
        if self.room_id is not None and self.hasFocus():
            self.focusNextChild()

    def _highlighted(self) -> HouseholdHit | None:
        popup = self._completer.popup()
        if popup is None or not popup.isVisible() or not popup.currentIndex().isValid():
            return None
        hit = popup.currentIndex().data(HIT_ROLE)
        return hit if isinstance(hit, HouseholdHit) else None

    def _search(self, text: str) -> None:
        if self.room_id is not None:
            self.room_id = None
            self.cleared.emit()
        try:
            self.hits = find_households(self.ctx.db, self.ctx.actor, text, HIT_LIMIT)
        except FrontDeskError:
            self.hits = []
        self._model.clear()
        for hit in self.hits:
            item = QStandardItem(f"{hit.room_code}    {hit.place} · {'、'.join(hit.owners)}")
            item.setData(hit, HIT_ROLE)
            self._model.appendRow(item)
        if self.hits:
            self._completer.complete()
        else:
            self._hide_popup()

    def _choose_first(self) -> None:
        if self.room_id is not None:
            return
        self.choose_first()

    def choose_first(self) -> None:
        """Take the best hit for the text typed; nothing_found(text) when there is none."""
        text = self.text()
        self._search(text)
        if self.hits:
            self.choose(self.hits[0])
        elif text.strip():
            self.nothing_found.emit(text.strip())

    def _hide_popup(self) -> None:
        popup = self._completer.popup()
        if popup is not None:
            popup.hide()

    def choose(self, hit: HouseholdHit) -> None:
        self._hide_popup()
        self.set_room(hit.room_id, hit_text(hit))

    def set_room(self, room_id: int, text: str) -> None:
        """Show a household already known (a returning visitor, a booking)."""
        self.room_id = room_id
        self.setText(text)
        self.setCursorPosition(0)
        self.room_chosen.emit(room_id)

    def show_room(self, room_id: int, text: str) -> None:
        """Show the room a screen opened by other means (room_chosen is not emitted)."""
        self.room_id = room_id
        self.setText(text)
        self.setCursorPosition(0)

    def clear_room(self) -> None:
        self.room_id = None
        self.clear()
