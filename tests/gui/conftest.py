"""GUI fixtures: the bundled font on a QApplication, and a signed-in context."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

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
    return AppContext(db, admin, TaskRunner(wait=True))


Shown = list[tuple[str, str, str]]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    """Message boxes that would have appeared: (kind, title, text)."""
    seen: Shown = []
    for kind in ("information", "warning", "critical"):

        def fake(parent, title, text, *args, _kind=kind, **kwargs):
            seen.append((_kind, title, text))
            return QMessageBox.StandardButton.Ok

        monkeypatch.setattr(QMessageBox, kind, staticmethod(fake))
    return seen
