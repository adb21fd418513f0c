"""A call on a worker thread of its owner's own, not the task runner's (which shows a
progress dialog and queues the counter's work): the daily backup, the server question
of the status bar. The worker never touches Qt; the GUI thread polls the future and
hands it, done, to the owner. One call at a time."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer

POLL_MS = 200


class BackgroundCall(QObject):
    def __init__(
        self,
        worker: Callable[[], ThreadPoolExecutor],
        on_done: Callable[[Future[Any]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._on_done = on_done
        self._future: Future[Any] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_done)

    @property
    def running(self) -> bool:
        return self._future is not None

    def start(self, call: Callable[..., Any], *args: Any) -> bool:
        """Start `call(*args)` unless one is still running; True if started."""
        if self.running:
            return False
        self._future = self._worker().submit(call, *args)
        self._poll.start()
        return True

    def wait(self) -> None:
        """Block until the running call is done and handed over (tests; quitting)."""
        if self._future is not None:
            self._future.exception()
            self._check_done()

    def stop(self) -> None:
        self._poll.stop()

    def _check_done(self) -> None:
        future = self._future
        if future is None or not future.done():
            return
        self._future = None
        self._poll.stop()
        self._on_done(future)
