"""Child process for the start-up benchmark: time from interpreter start to a
painted, usable main window on a given database (offscreen)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    started = float(sys.argv[2])
    from PySide6.QtWidgets import QApplication

    from frontdesk.gui.app import create_application
    from frontdesk.gui.context import AppContext
    from frontdesk.gui.main_window import MainWindow
    from frontdesk.gui.tasks import TaskRunner
    from frontdesk.services import users
    from frontdesk.services.database import open_at

    create_application()
    db = open_at(Path(sys.argv[1]))
    actor = users.login(db, "qiantai", "demo1234")  # sign-in is part of getting to work
    window = MainWindow(AppContext(db, actor, TaskRunner()))
    window.resize(1280, 800)
    window.show()
    QApplication.processEvents()
    window.grab()  # forces a full paint of the first screen
    print(f"{time.time() - started:.3f}")


if __name__ == "__main__":
    main()
