"""GUI fixtures: the bundled font on a QApplication, and a signed-in context."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from frontdesk.domain.roles import Actor
from frontdesk.gui.appearance import install_font
from frontdesk.gui.context import AppContext
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database


@pytest.fixture(autouse=True)
def _app_font(qapp: QApplication) -> None:
    install_font(qapp)


@pytest.fixture
def ctx(db: Database, admin: Actor) -> AppContext:
    return AppContext(db, admin, TaskRunner())
