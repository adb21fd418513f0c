"""The status bar's word on a server connection: lost in red at the next question,
back again once the server answers (issue 23 §3)."""

from __future__ import annotations

from typing import cast

from pytestqt.qtbot import QtBot

from frontdesk.gui.connection_status import LOST_STYLE, ConnectionStatus
from frontdesk.services.database import Database


class Server:
    """A database whose server answers or not, as the test says."""

    def __init__(self) -> None:
        self.up = True
        self.asked = 0

    def reachable(self) -> bool:
        self.asked += 1
        return self.up


def test_a_lost_connection_shows_in_red_and_its_return_is_said(qtbot: QtBot) -> None:
    server = Server()
    status = ConnectionStatus(cast(Database, server), "192.168.1.10:5432")
    qtbot.addWidget(status)
    assert status.text() == "已连接数据库服务器 192.168.1.10:5432"
    server.up = False
    status.ask()
    status.wait()
    assert status.text() == "与数据库服务器 192.168.1.10:5432 的连接中断，正在重新连接…"
    assert status.styleSheet() == LOST_STYLE and not status.connected
    assert "不会保存" in status.toolTip()
    server.up = True
    status.ask()
    status.wait()
    assert status.text() == "已重新连接数据库服务器 192.168.1.10:5432"
    assert status.styleSheet() == "" and status.connected
    assert server.asked == 2
    status.stop()


def test_the_question_is_asked_by_the_timer(qtbot: QtBot) -> None:
    server = Server()
    status = ConnectionStatus(cast(Database, server), "db:5432")
    qtbot.addWidget(status)
    status.timer.setInterval(10)
    status.start()
    qtbot.waitUntil(lambda: server.asked >= 2, timeout=5000)
    status.stop()
