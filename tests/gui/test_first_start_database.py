"""The first start asks where the database is; a server that cannot be reached is asked
about again, never a traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from frontdesk import paths
from frontdesk.gui import app
from frontdesk.gui.connect_dialog import ConnectDatabaseDialog
from frontdesk.services import database, server_password
from frontdesk.services.database import ServerLocation

CLOSED = ServerLocation("frontdesk", "127.0.0.1", 1, "jinxiu")


def _answers(
    monkeypatch: pytest.MonkeyPatch, *fills: Callable[[ConnectDatabaseDialog], bool]
) -> list[str]:
    """Each dialog shown is answered by the next `fill` (True: 连接, False: 取消);
    returns the problems the dialogs showed."""
    queue, problems = iter(fills), []

    def exec_(dialog: ConnectDatabaseDialog) -> int:
        problems.append(dialog.ui.messageLabel.text())
        if next(queue)(dialog):
            dialog._submit()
        else:
            dialog.reject()
        return dialog.result()

    monkeypatch.setattr(ConnectDatabaseDialog, "exec", exec_)
    return problems


def _this_file(dialog: ConnectDatabaseDialog) -> bool:
    assert dialog.ui.titleLabel.text() == "首次使用：数据库放在哪里"
    assert dialog.ui.fileRadio.isChecked()
    return True


def test_the_first_start_opens_this_pcs_file_when_asked_to(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answers(monkeypatch, _this_file)
    db = app.open_asking(None)
    assert db is not None
    try:
        assert db.place == str(paths.default_db_path().resolve())
    finally:
        db.dispose()
    assert database.chosen_location() is None  # the default needs no choice kept


def test_an_unreachable_server_is_asked_about_again_then_given_up(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    database.choose_location(CLOSED, "pw-1234")

    def try_port_2(dialog: ConnectDatabaseDialog) -> bool:
        assert dialog.ui.serverRadio.isChecked() and dialog.ui.passwordEdit.text() == "pw-1234"
        dialog.ui.portSpin.setValue(2)
        return True

    problems = _answers(monkeypatch, try_port_2, lambda _dialog: False)
    assert app.open_asking(None) is None
    assert "无法连接服务器 127.0.0.1:1 上的数据库 jinxiu" in problems[0]
    assert "无法连接服务器 127.0.0.1:2 上的数据库 jinxiu" in problems[1]
    moved = database.chosen_location()  # the changed address is this PC's choice now
    assert isinstance(moved, ServerLocation) and moved.port == 2
    assert server_password.stored(moved) == "pw-1234"
    assert "pw-1234" not in (paths.data_dir() / database.CHOICE_FILE).read_text()
