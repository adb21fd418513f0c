"""Composition root of the GUI: application, database, sign-in, main window, idle lock,
and the restore that swaps the database under them."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from frontdesk import paths
from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.errors import FrontDeskError
from frontdesk.gui.appearance import install_font, install_translations
from frontdesk.gui.connect_dialog import ConnectDatabaseDialog
from frontdesk.gui.context import AppContext
from frontdesk.gui.data_key_dialog import ensure_data_key
from frontdesk.gui.idle import IdleWatcher
from frontdesk.gui.login import LoginDialog, ask_actor
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.counter.shift_ack import offer_handover
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import community, database, retention, server_password, users
from frontdesk.services.database import (
    Changes,
    DataArea,
    Database,
    DatabaseLocation,
    FileLocation,
    ServerLocation,
    open_at,
)
from frontdesk.services.protection import backup_folder, restore
from frontdesk.services.protection.restore import RestoreResult


def create_application() -> QApplication:
    # What the start has imported (SQLAlchemy, the models, Qt's bindings: about 100,000
    # objects) lives as long as the process: the collector need not walk it again.
    gc.freeze()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("FrontDesk")
    app.setApplicationDisplayName("物业前台")
    app.setWindowIcon(QIcon(str(paths.resource("icons", "frontdesk.png"))))
    app.setQuitOnLastWindowClosed(False)  # signing out closes the window but not the app
    install_font(app)
    install_translations(app)
    return app


PURGE_EVERY_MS = 6 * 60 * 60 * 1000


class SignedInSession(QObject):
    """One signed-in user's window, its idle lock, sign-out and user switching.

    Signals: ended(next) once the window has closed: "quit", "switch" (sign-out: who
    signs in next), or the backup (Path) a supervisor confirmed restoring."""

    ended = Signal(object)

    def __init__(self, db: Database, actor: Actor, tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self.db = db
        self.ctx = AppContext(db, actor, tasks or TaskRunner())
        self.window = MainWindow(self.ctx)
        self.idle = IdleWatcher(community.idle_lock_minutes(db), parent=self)
        self.idle.idle.connect(self.lock)
        self.window.lock_requested.connect(self.lock)
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.restore_requested.connect(self.restore)
        self.window.closed.connect(self._closed)
        self.window.data_changed.connect(self._data_changed)
        self.next: str | Path = "quit"
        # A gate PC may run for weeks: retention is applied daily, not only at start.
        self.purge_timer = QTimer(self)
        self.purge_timer.setInterval(PURGE_EVERY_MS)
        self.purge_timer.timeout.connect(lambda: purge_expired_personal_data(db))
        self.purge_timer.start()

    def _data_changed(self, changes: Changes) -> None:
        """系统 › 自动锁定 applies at once, not at the next sign-in."""
        if changes.touches([DataArea.COMMUNITY]):
            self.idle.minutes = community.idle_lock_minutes(self.db)

    def lock(self) -> None:
        users.record_session_event(self.db, self.ctx.actor, "lock")
        self.window.hide()  # nothing personal stays on screen while locked
        dialog = LoginDialog(self.db, locked=self.ctx.actor)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.window.show()
            self.idle.resume()
        else:
            self.sign_out()

    def sign_out(self) -> None:
        self.next = "switch"
        self.window.close()

    def restore(self, backup: Path) -> None:
        """Close the window, and with it everything that reads the database (screens,
        their timers, the daily backup), before the program replaces it."""
        self.next = backup
        self.window.backup_scheduler.forget()  # nor a backup of it at quit
        self.window.close()

    def _closed(self) -> None:
        self.idle.stop()
        self.purge_timer.stop()
        users.record_session_event(self.db, self.ctx.actor, "logout")
        self.ended.emit(self.next)


class Program(QObject):
    """The database this program has open and the session signed in to it.

    A restore confirmed in 设置 → 备份与恢复 swaps the database: the session's window
    closes first, so no screen, timer or background backup holds the old one; the old
    `Database` is disposed of; the backup goes in place off the GUI thread (the same
    `restore_backup` as `frontdesk restore`: other counters closed, the current data
    kept aside, audited); then the restored file is opened as at start (an older
    backup upgraded, the data key unlocked) and whoever signs in gets a new window on
    it. A refused or failed restore opens the database again as it was."""

    def __init__(self, db: Database, *, wait: bool = False) -> None:
        super().__init__()
        self.db = db
        self.session: SignedInSession | None = None
        self._wait = wait  # tests: every task runs to its end before the call returns

    def start_session(self) -> bool:
        """Sign in (or first run) and open the main window; False if the user gave up."""
        actor = ask_actor(self.db)
        if actor is None:
            return False
        self.session = session = SignedInSession(self.db, actor, TaskRunner(wait=self._wait))
        session.ended.connect(lambda next_step: self._ended(session, next_step))
        session.window.show_on_screen()
        offer_handover(session.ctx, session.window)  # 接班: a handover waiting for them
        return True

    def _ended(self, session: SignedInSession, next_step: str | Path) -> None:
        if isinstance(next_step, Path):
            self._restore(session, next_step)
        elif next_step == "switch" and self.start_session():
            return
        else:
            _quit()

    def _restore(self, session: SignedInSession, backup: Path) -> None:
        db_path = backup_folder.database_path(self.db)
        actor, window = session.ctx.actor, session.window
        self.db.dispose()  # nothing of this program holds the file while it is replaced
        Op(
            window,
            TaskRunner(window, wait=self._wait),
            lambda: restore.restore_backup(db_path, backup, actor),
            title="恢复失败",
        ).labelled(f"正在从 {backup.name} 恢复…").success(
            lambda result: self._restored(window, db_path, result)
        ).failure(lambda _error: self._reopen(window, db_path)).run()

    def _restored(self, window: QWidget, db_path: Path, result: RestoreResult) -> None:
        text = f"已从备份 {result.restored_from.name} 恢复数据库。"
        if result.kept_aside:
            text += f"\n恢复前的数据库另存为 {result.kept_aside}"
        if result.upgraded_from:
            text += f"\n已从结构版本 {result.upgraded_from} 升级。"
        if result.warnings:
            text += "\n\n" + "\n".join(result.warnings)
        QMessageBox.information(window, "从备份恢复", text + "\n\n请重新登录。")
        self._reopen(window, db_path)

    def _reopen(self, window: QWidget, db_path: Path) -> None:
        """Open the database file afresh (restored, or as it was) and ask who signs in."""
        window.deleteLater()
        self.session = None
        try:
            self.db = open_at(db_path)
        except FrontDeskError as exc:
            QMessageBox.critical(None, "无法打开数据库", exc.message)
            _quit()
            return
        if not ensure_data_key(self.db):
            _quit()
            return
        purge_expired_personal_data(self.db)
        if not self.start_session():
            _quit()


def _quit() -> None:
    app = QApplication.instance()
    if app is not None:
        app.quit()


def purge_expired_personal_data(db: Database) -> None:
    """Personal data past its retention period (visitors, the counter's registers) goes
    at start and every few hours; a database busy at another counter only postpones it
    to the next run."""
    try:
        retention.purge_expired(db, SYSTEM)
    except FrontDeskError as exc:
        print(f"个人信息到期清理推迟到下次：{exc.message}", file=sys.stderr)


def open_asking(where: DatabaseLocation | None) -> Database | None:
    """The database given, or this PC's choice; at the first start (no choice, no file)
    the user says where it is, and a server that cannot be reached or refuses the
    password is asked about again. None when the user gives up or a file cannot open."""
    location = where if where is not None else database.chosen_location()
    if location is None and not database.default_path().exists():
        dialog = ConnectDatabaseDialog(
            FileLocation(database.default_path()), database.default_path()
        )
        dialog.ui.titleLabel.setText("首次使用：数据库放在哪里")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        location = dialog.chosen
        if isinstance(location, ServerLocation):
            database.choose_location(location, dialog.password)
    while True:
        try:
            return open_at(location)
        except FrontDeskError as exc:
            if not isinstance(location, ServerLocation):
                QMessageBox.critical(None, "无法打开数据库", exc.message)
                print(f"错误：{exc.message}", file=sys.stderr)
                return None
            dialog = ConnectDatabaseDialog(location, database.default_path(), exc.message)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            location = dialog.chosen
            if where is None:  # this PC's choice, changed
                database.choose_location(location, dialog.password)
            elif isinstance(location, ServerLocation):
                server_password.remember(location, dialog.password)


def run(where: DatabaseLocation | None) -> int:
    app = create_application()
    db = open_asking(where)
    if db is None:
        return 1
    program = Program(db)
    try:
        if not ensure_data_key(db):
            return 0
        purge_expired_personal_data(db)
        if not program.start_session():
            return 0
        # Again once signed in: what is loaded by now (mappers, the first screen) lives as
        # long as the program: kept out of the collector's full passes, which otherwise walk
        # all of it whenever a list of thousands of rows is built (a third of the arrears
        # list's time).
        gc.freeze()
        return app.exec()
    finally:
        program.db.dispose()  # the restored one after a restore
