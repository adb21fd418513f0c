"""Long work off the GUI thread, with a progress dialog that can cancel.

A task is a plain function `work(progress) -> result` (usually a service call);
it runs on a single worker thread (one writer at a time, as the database
wants), a progress dialog appears if it takes longer than 300 ms, and
`on_done(result)` or the error message runs back on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from frontdesk.gui.messages import show_error
from frontdesk.services.progress import Cancelled, Progress

SHOW_PROGRESS_AFTER_MS = 300


class _Signals(QObject):
    """Signals: step(done, total), finished(result), failed(error)."""

    step = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], signals: _Signals, progress: Progress):
        super().__init__()
        self.work, self.signals, self.progress = work, signals, progress

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class TaskRunner(QObject):
    """Signals: idle() when the last running task has finished."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._running = 0

    @property
    def busy(self) -> bool:
        return self._running > 0

    def run(
        self,
        parent: QWidget,
        label: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        *,
        cancellable: bool = True,
    ) -> None:
        signals = _Signals(self)
        progress = Progress(on_step=signals.step.emit)
        dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(progress.cancel)
        signals.step.connect(lambda done, total: (dialog.setMaximum(total), dialog.setValue(done)))

        def finish() -> None:
            dialog.reset()
            dialog.deleteLater()
            signals.deleteLater()
            self._running -= 1
            if not self._running:
                self.idle.emit()

        def succeeded(result: object) -> None:
            finish()
            on_done(result)

        def failed(error: BaseException) -> None:
            finish()
            if not isinstance(error, Cancelled):
                show_error(parent, error)

        signals.finished.connect(succeeded)
        signals.failed.connect(failed)
        self._running += 1
        self.pool.start(_Job(work, signals, progress))
