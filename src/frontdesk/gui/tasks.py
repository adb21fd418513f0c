"""Long work off the GUI thread, with a progress dialog that can cancel.

A task is a plain function `work(progress) -> result` (usually a service call);
it runs on a single worker thread (one writer at a time, as the database
wants), a progress dialog appears if it takes longer than 300 ms (a single-shot
QTimer shows it; nothing sleeps), and `on_done(result)` or `on_error(error)`
runs back on the GUI thread. Screens reach it through `gui.ops.Op`.

Each task opens its own sessions (`Database.read()/write()` are per call), so
no SQLAlchemy session or SQLite connection is shared between the threads; the
pool hands a connection to one thread at a time (`check_same_thread=False`).

The worker never touches Qt: the GUI thread polls the task's future and its
progress every few milliseconds. PySide6 6.12 corrupts reference counts when a
signal is emitted from a non-Qt or pool thread (the process dies at random), and
polling keeps us clear of that whole class of cross-thread bugs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from frontdesk.gui.messages import show_error
from frontdesk.services.progress import Cancelled, Progress

SHOW_PROGRESS_AFTER_MS = 300
POLL_MS = 15
_NEVER_BY_ITSELF_MS = 2**31 - 1  # QProgressDialog's own show timer; ours decides


@dataclass
class _Steps:
    """The last (done, total) the worker reported; read by the GUI thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latest: tuple[int, int] | None = None

    def report(self, done: int, total: int) -> None:
        with self.lock:
            self.latest = (done, total)

    def take(self) -> tuple[int, int] | None:
        with self.lock:
            latest, self.latest = self.latest, None
            return latest


@dataclass
class _Task:
    future: Future[Any]
    steps: _Steps
    parent: QWidget
    dialog: QProgressDialog
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs tasks one at a time on a worker thread.

    `wait=True` is for tests: the GUI thread waits for each task, which still runs
    on the worker thread and reports through the same `on_done`/`on_error` on the
    GUI thread, so a test sees the messages, focus and saved records a user sees,
    only without the interval in between (nor a progress dialog).

    Signals: idle() when the last running task has finished.
    """

    idle = Signal()

    def __init__(self, parent: QObject | None = None, *, wait: bool = False) -> None:
        super().__init__(parent)
        self._wait = wait
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="frontdesk-task")
        self._tasks: list[_Task] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def run(
        self,
        parent: QWidget,
        label: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        *,
        cancellable: bool = True,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Start `work`; `on_error` defaults to the plain message or crash dialog."""
        steps = _Steps()
        progress = Progress(on_step=steps.report)
        dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(_NEVER_BY_ITSELF_MS)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(progress.cancel)
        future = self._executor.submit(work, progress)
        task = _Task(future, steps, parent, dialog, on_done, on_error or _show_error(parent))
        self._tasks.append(task)
        if self._wait:
            futures.wait([future])
            self._poll()
            return
        QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, dialog, lambda: _show_if_running(task))
        self._timer.start()

    def _poll(self) -> None:
        for task in list(self._tasks):
            if not shiboken6.isValid(task.dialog):
                # The screen that asked was closed (its dialog with it): drop the result.
                task.steps.take()
                if task.future.done():
                    self._tasks.remove(task)
                continue
            latest = task.steps.take()
            if latest is not None:
                done, total = latest
                task.dialog.setMaximum(total)
                task.dialog.setValue(done)
            if task.future.done():
                self._tasks.remove(task)
                self._finish(task)
        if not self._tasks:
            self._timer.stop()
            self.idle.emit()

    def _finish(self, task: _Task) -> None:
        task.dialog.reset()
        task.dialog.deleteLater()
        error = task.future.exception()
        if error is None:
            task.on_done(task.future.result())
        elif not isinstance(error, Cancelled):
            task.on_error(error)


def _show_if_running(task: _Task) -> None:
    if not task.future.done():
        task.dialog.show()


def _show_error(parent: QWidget) -> Callable[[BaseException], None]:
    return lambda error: show_error(parent, error)
