"""Locks the window after a stretch without keyboard or mouse input."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}
CHECK_INTERVAL_MS = 5000


class IdleWatcher(QObject):
    """Signals: idle() once, when no input arrived for `minutes` (0 = never)."""

    idle = Signal()

    def __init__(
        self,
        minutes: int,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self._clock = clock
        self._last_input = clock()
        self._paused = False
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(CHECK_INTERVAL_MS)

    def check(self) -> None:
        if self._paused or self.minutes <= 0:
            return
        if self._clock() - self._last_input >= self.minutes * 60:
            self._paused = True  # resumed by the unlock
            self.idle.emit()

    def resume(self) -> None:
        self._last_input = self._clock()
        self._paused = False

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last_input = self._clock()
        return False
