"""A field that finds a household with the same search as the household file:
room code, name, pinyin, phone tail or plate; Enter takes the best hit."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from frontdesk.errors import FrontDeskError
from frontdesk.gui.context import AppContext
from frontdesk.services.households.search import HouseholdHit, find_households

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HIT_LIMIT = 12


def hit_text(hit: HouseholdHit) -> str:
    owners = "、".join(hit.owners) or "无产权人登记"
    return f"{hit.room_code}（{hit.place} · {owners}）"


class RoomPicker(QLineEdit):
    """Signals: room_chosen(room_id) once a household is picked; cleared() when the
    text is edited away from it."""

    room_chosen = Signal(int)
    cleared = Signal()

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
        # PySide6's stubs do not type the overload index of a signal.
        activated = completer.activated[QModelIndex]  # type: ignore[index]
        activated.connect(lambda index: self.choose(index.data(HIT_ROLE)))
        self._completer = completer
        self.textEdited.connect(self._search)
        self.returnPressed.connect(self._choose_first)

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
        self._search(self.text())
        if self.hits:
            self.choose(self.hits[0])

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

    def clear_room(self) -> None:
        self.room_id = None
        self.clear()
