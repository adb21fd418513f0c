"""A tab's own keys: each works while the focus is anywhere inside the widget, and not
elsewhere in the window (two tabs may both use F9 or Esc for their own action)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

Key = QKeySequence | Qt.Key | str


def add_shortcuts(widget: QWidget, keys: Iterable[tuple[Key, Callable[[], object]]]) -> None:
    for key, action in keys:
        shortcut = QShortcut(QKeySequence(key), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(action)
