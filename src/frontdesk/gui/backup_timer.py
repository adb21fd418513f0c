"""Automatic backups: once a day while the program runs, and when it quits; and the
status bar's "最近备份：3 小时前" for supervisors.

The daily backup runs on its own worker thread (gui/background.py), not the task runner's: that one
shows a modal progress dialog and runs one task at a time, and a backup of a large
database must neither block the counter nor queue the cashier's work behind it.
As in gui/tasks.py the worker never touches Qt: the GUI thread polls its future.
The backup at quit runs in the foreground (the process is ending anyway). Both run
as the system account, and are audited as such, whoever is signed in.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.domain import backups as backup_text
from frontdesk.errors import FrontDeskError
from frontdesk.gui.background import BackgroundCall
from frontdesk.services.database import Database
from frontdesk.services.protection import backup_folder, backup_pc
from frontdesk.services.protection.backups import BackupResult

CHECK_EVERY_MS = 60 * 60 * 1000  # is a daily backup due?
FIRST_CHECK_MS = 2 * 60 * 1000  # not during start-up
STALE_STYLE = "QLabel { color: #c62828; font-weight: bold; }"

# The database backed up when the program quits (the latest session's), and whether
# the application's aboutToQuit is connected yet: signing out and in again makes a
# new scheduler, but the program quits, and backs up, once.
_quit_hook: dict[str, Database] = {}
_hooked: set[int] = set()


def _backup_at_quit() -> None:
    db = _quit_hook.pop("db", None)
    if db is None:
        return
    try:
        result = backup_pc.automatic_backup(db, "close")
    except (FrontDeskError, OSError) as exc:
        message = exc.message if isinstance(exc, FrontDeskError) else str(exc)
        print(f"关闭程序时的备份未完成：{message}", file=sys.stderr)
        return
    if result is None:  # another PC backs up this server database
        return
    for warning in result.warnings:
        print(f"备份警告：{warning}", file=sys.stderr)


_workers: list[ThreadPoolExecutor] = []


def _worker() -> ThreadPoolExecutor:
    """One backup thread for the process, whichever window (sign-in) asked."""
    if not _workers:
        _workers.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="frontdesk-backup"))
    return _workers[0]


class BackupScheduler(QObject):
    """Signals: finished(BackupResult), failed(str) for a background backup."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._call = BackgroundCall(_worker, self._done, self)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.tick)
        # A child timer, not QTimer.singleShot(ms, self.tick): that one would still call
        # tick minutes after a closed window deleted this scheduler.
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.setInterval(FIRST_CHECK_MS)
        self._first.timeout.connect(self.tick)
        self.last_warning = ""

    def start(self) -> None:
        """Check now and then every hour; back up the database when the program quits."""
        self.timer.start()
        self._first.start()
        _quit_hook["db"] = self.db
        app = QCoreApplication.instance()
        if app is not None and id(app) not in _hooked:
            _hooked.add(id(app))
            app.aboutToQuit.connect(_backup_at_quit)

    def stop(self) -> None:
        """No more daily checks (the window closed); a backup under way still finishes,
        and the backup at quit stays due."""
        self.timer.stop()
        self._first.stop()

    def forget(self) -> None:
        """Stop, and no backup of this database at quit: it is being replaced."""
        self.stop()
        if _quit_hook.get("db") is self.db:
            del _quit_hook["db"]

    @property
    def running(self) -> bool:
        return self._call.running

    def tick(self, now: datetime | None = None) -> bool:
        """Start the daily backup if none was taken today; True if one was started."""
        if self.running:
            return False
        try:
            due = backup_folder.backup_due(self.db, now)
        except FrontDeskError:
            return False
        if due:
            self.run_now("daily")
        return due

    def run_now(self, kind: str = "daily") -> None:
        """The automatic backup, off the GUI thread (on a server, only if this PC
        takes them: services/protection/backup_pc.py)."""
        self._call.start(backup_pc.automatic_backup, self.db, kind)

    def wait(self) -> None:
        """Block until a running backup is done (tests; before the backup at quit)."""
        self._call.wait()

    def _done(self, future: Future[BackupResult | None]) -> None:
        error = future.exception()
        if error is None:
            result = future.result()
            if result is None:
                return
            self.last_warning = "；".join(result.warnings)
            self.finished.emit(result)
        else:
            message = error.message if isinstance(error, FrontDeskError) else str(error)
            self.failed.emit(message)


class BackupStatus(QLabel):
    """最近备份：N 小时前 — red with an explanation when older than a day or never."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.problem = ""
        self.refresh()

    def refresh(self, now: datetime | None = None) -> None:
        try:
            last = backup_folder.last_good_backup(self.db)
            folder = backup_folder.backup_settings(self.db).folder
        except FrontDeskError as exc:
            last, folder = None, None
            self.problem = exc.message
        self.setText(f"最近备份：{backup_text.describe_age(last, now)}")
        stale = backup_text.is_stale(last, now)
        self.setStyleSheet(STALE_STYLE if stale or self.problem else "")
        if self.problem:
            tip = f"最近一次自动备份失败：{self.problem}"
        elif last is None:
            tip = f"还没有备份。请在“设置 → 备份与恢复”中立即备份。\n备份文件夹：{folder}"
        elif stale:
            tip = (
                f"最近一次备份在 {last:%Y-%m-%d %H:%M}，已超过一天。"
                f"请检查备份文件夹是否可用，或立即备份。\n备份文件夹：{folder}"
            )
        else:
            tip = f"最近一次备份在 {last:%Y-%m-%d %H:%M}，已校验。\n备份文件夹：{folder}"
        if self.db.on_server:
            tip += f"\n负责自动备份的电脑：{self._duty()}"
        self.setToolTip(tip)

    def _duty(self) -> str:
        try:
            return backup_pc.backup_duty(self.db).shown()
        except FrontDeskError as exc:
            return exc.message

    def backed_up(self, result: BackupResult) -> None:
        self.problem = "；".join(result.warnings)
        self.refresh()

    def failed(self, message: str) -> None:
        self.problem = message
        self.refresh()
