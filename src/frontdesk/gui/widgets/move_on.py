"""Tab or Enter leaves a date-time field for the next one: its own Tab walks its
sections (year, month, day, hour, minute) and it ignores Enter, which stalls a form
filled in by keyboard. A form's event filter asks `move_on_direction` of each key
pressed in such a field."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent

_FORWARD = (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter)


def move_on_direction(event: QEvent) -> bool | None:
    """True: on to the next field, False: back to the previous, None: not such a key."""
    if event.type() != QEvent.Type.KeyPress:
        return None
    key = cast(QKeyEvent, event).key()
    if key == Qt.Key.Key_Backtab:
        return False
    return True if key in _FORWARD else None
