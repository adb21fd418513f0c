"""Progress and cancel for long use-cases, without Qt.

A long service function takes a `Progress` and calls `step(done, total)`
between items; `step` raises `Cancelled` once the user has asked to stop,
so the surrounding transaction rolls back and nothing is half-done.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The user pressed Cancel; the operation left nothing behind."""


class Progress:
    """Thread-safe progress state shared by a worker and the GUI."""

    def __init__(self, on_step: Callable[[int, int], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_step = on_step

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        if self._on_step is not None:
            self._on_step(done, total)


NO_PROGRESS = Progress()
