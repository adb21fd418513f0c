"""Composition root of the GUI: application, database, sign-in, main window, idle lock."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from frontdesk import paths
from frontdesk.domain.roles import SYSTEM, Actor
from frontdesk.errors import FrontDeskError
from frontdesk.gui.appearance import install_font, install_translations
from frontdesk.gui.context import AppContext
from frontdesk.gui.data_key_dialog import ensure_data_key
from frontdesk.gui.idle import IdleWatcher
from frontdesk.gui.login import LoginDialog, ask_actor
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import community, users
from frontdesk.services.database import Changes, DataArea, Database, open_at
from frontdesk.services.visitors import settings as visitor_settings


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
    """One signed-in user's window, its idle lock, sign-out and user switching."""

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__()
        self.db = db
        self.ctx = AppContext(db, actor, TaskRunner())
        self.window = MainWindow(self.ctx)
        self.idle = IdleWatcher(community.idle_lock_minutes(db), parent=self)
        self.idle.idle.connect(self.lock)
        self.window.lock_requested.connect(self.lock)
        self.window.sign_out_requested.connect(self.sign_out)
        self.window.closed.connect(self._quit)
        self.window.data_changed.connect(self._data_changed)
        self.switch_user = False
        # A gate PC may run for weeks: retention is applied daily, not only at start.
        self.purge_timer = QTimer(self)
        self.purge_timer.setInterval(PURGE_EVERY_MS)
        self.purge_timer.timeout.connect(lambda: purge_expired_visitor_data(db))
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
        self.switch_user = True
        self.window.close()

    def _quit(self) -> None:
        self.idle.stop()
        users.record_session_event(self.db, self.ctx.actor, "logout")
        if self.switch_user and start_session(self.db):
            return
        app = QApplication.instance()
        if app is not None:
            app.quit()


_sessions: list[SignedInSession] = []


def start_session(db: Database) -> bool:
    """Sign in (or first run) and open the main window; False if the user gave up."""
    _sessions.clear()
    actor = ask_actor(db)
    if actor is None:
        return False
    session = SignedInSession(db, actor)
    _sessions.append(session)
    session.window.show_on_screen()
    return True


def purge_expired_visitor_data(db: Database) -> None:
    """Visitors' personal data past its retention period goes at start and every few
    hours; a database busy at another counter only postpones it to the next run."""
    try:
        visitor_settings.purge_visitor_data(db, SYSTEM)
    except FrontDeskError as exc:
        print(f"访客信息清理推迟到下次：{exc.message}", file=sys.stderr)


def run(db_path: Path | None) -> int:
    app = create_application()
    try:
        db = open_at(db_path)
    except FrontDeskError as exc:
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    try:
        if not ensure_data_key(db):
            return 0
        purge_expired_visitor_data(db)
        if not start_session(db):
            return 0
        # Again once signed in: what is loaded by now (mappers, the first screen) lives as
        # long as the program: kept out of the collector's full passes, which otherwise walk
        # all of it whenever a list of thousands of rows is built (a third of the arrears
        # list's time).
        gc.freeze()
        return app.exec()
    finally:
        db.dispose()
