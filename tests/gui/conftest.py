"""GUI fixtures: the bundled font on a QApplication, and a signed-in context."""

from __future__ import annotations

from collections.abc import Generator

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from frontdesk.domain.roles import Actor
from frontdesk.gui.appearance import install_font
from frontdesk.gui.context import AppContext
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.database import Database
from tests.gui.modal_guard import MARKER, ModalGuard

GUARD = pytest.StashKey[ModalGuard]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(*titles): the test answers the real modal boxes of these titles"
    )


@pytest.fixture(autouse=True)
def modal_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> ModalGuard:
    """A modal box or dialog the test did not expect fails it (tests/gui/modal_guard.py)."""
    marker = request.node.get_closest_marker(MARKER)
    guard = ModalGuard(frozenset(marker.args if marker else ()))
    guard.install(monkeypatch)
    request.node.stash[GUARD] = guard
    return guard


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """The test fails once it ends if a modal it did not expect opened; a test that failed
    anyway carries the modal in its report (often the cause: an error box swallowed)."""
    try:
        result = yield
    except BaseException as failure:
        guard = item.stash.get(GUARD, None)
        if guard is not None and guard.opened:
            failure.add_note(guard.report())
        raise
    guard = item.stash.get(GUARD, None)
    if guard is not None and guard.opened:
        pytest.fail(guard.report(), pytrace=False)
    return result


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
