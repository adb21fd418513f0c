"""The status bar's word on the server connection, for a database on a server.

Every few seconds a worker thread of its own (not the task runner's, which shows a
progress dialog and queues the counter's work) asks the server a trivial question.
When it does not answer, the counter sees it at once in red, before the next payment
fails, and sees it come back: the pool opens a new connection by itself (issue 23 §3).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.gui.background import BackgroundCall
from frontdesk.services.database import Database

ASK_EVERY_MS = 10_000
LOST_STYLE = "QLabel { color: #c62828; font-weight: bold; }"


class ConnectionStatus(QLabel):
    def __init__(self, db: Database, server: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.server = server
        self.connected = True
        self.setText(f"已连接数据库服务器 {server}")
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="frontdesk-ping")
        self._call = BackgroundCall(lambda: self._worker, self._answered, self)
        self.timer = QTimer(self)
        self.timer.setInterval(ASK_EVERY_MS)
        self.timer.timeout.connect(self.ask)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._call.stop()
        self._worker.shutdown(wait=False, cancel_futures=True)

    def ask(self) -> None:
        """Ask the server now (unless the last question is still out)."""
        self._call.start(self.db.reachable)

    def wait(self) -> None:
        """Block until the question is answered and shown (tests)."""
        self._call.wait()

    def _answered(self, future: Future[bool]) -> None:
        self.show_answer(future.result())

    def show_answer(self, answered: bool) -> None:
        if answered:
            word = "已连接" if self.connected else "已重新连接"
            self.setText(f"{word}数据库服务器 {self.server}")
            self.setStyleSheet("")
            self.setToolTip("")
        else:
            self.setText(f"与数据库服务器 {self.server} 的连接中断，正在重新连接…")
            self.setStyleSheet(LOST_STYLE)
            self.setToolTip("连接中断期间的操作不会保存；连接恢复后请核对最后一笔再继续。")
        self.connected = answered
