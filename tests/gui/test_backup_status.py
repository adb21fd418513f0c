"""The status bar's backup age for supervisors, the daily backup timer, and the
备份与恢复 panel in 设置."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk.domain import clock
from frontdesk.domain.roles import Role
from frontdesk.gui.backup_timer import STALE_STYLE, BackupScheduler
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.screens.admin.backup_tab import RESTORE_HINT, BackupTab
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services.protection import backup_folder, backups

SCREENSHOTS = os.environ.get("FRONTDESK_SCREENSHOTS")


def _shot(widget, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SCREENSHOTS) / f"{name}.png"))


@pytest.fixture
def window(qtbot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def test_a_supervisor_sees_never_in_red_then_the_age(window: MainWindow, ctx) -> None:
    status = window.backup_status
    assert status is not None
    assert status.text() == "最近备份：从未备份"
    assert status.styleSheet() == STALE_STYLE
    assert "还没有备份" in status.toolTip()
    _shot(window, "status-never")

    taken = backups.make_backup(ctx.db, ctx.actor, "manual").taken_at
    status.refresh(taken + timedelta(hours=3, minutes=10))
    assert status.text() == "最近备份：3 小时前"
    assert status.styleSheet() == ""
    assert "已校验" in status.toolTip()

    status.refresh(taken + timedelta(days=2))
    assert status.text() == "最近备份：2 天前"
    assert status.styleSheet() == STALE_STYLE
    assert "已超过一天" in status.toolTip()


def test_a_clerk_sees_no_backup_age(qtbot, db, make_user) -> None:
    clerk = make_user(Role.CLERK)
    window = MainWindow(AppContext(db, clerk, TaskRunner(wait=True)))
    qtbot.addWidget(window)
    assert window.backup_status is None
    settings = SettingsScreen(AppContext(db, clerk, TaskRunner(wait=True)))
    assert "备份与恢复" not in settings.tab_titles()


def test_the_daily_backup_runs_in_the_background_once_a_day(qtbot, ctx) -> None:
    scheduler = BackupScheduler(ctx.db)
    results = []
    scheduler.finished.connect(results.append)
    assert scheduler.tick() is True
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert results[0].kind == "daily" and results[0].path.exists()
    assert scheduler.tick() is False  # one today already
    tomorrow = clock.wall_now() + timedelta(days=1)
    assert backup_folder.backup_due(ctx.db, tomorrow)


def test_a_failed_background_backup_turns_the_status_red(qtbot, window, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise backups.BackupFailed("无法写入备份文件夹 /mnt/nas：磁盘已满")

    monkeypatch.setattr(backups, "make_backup", broken)
    window.backup_scheduler.run_now("daily")
    qtbot.waitUntil(lambda: not window.backup_scheduler.running, timeout=5000)
    status = window.backup_status
    assert status is not None
    assert "磁盘已满" in status.toolTip()
    assert status.styleSheet() == STALE_STYLE


def test_the_panel_backs_up_now_and_lists_backups(qtbot, ctx, shown, tmp_path) -> None:
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1000, 620)
    screen.show()
    tab = screen.show_tab("备份与恢复")
    assert isinstance(tab, BackupTab)
    assert tab.folder_value.text() == str(backup_folder.backup_settings(ctx.db).folder)
    assert tab.second_value.text() == "未设置"
    assert tab.last_value.text() == "从未备份"
    assert tab.restore_hint.text() == RESTORE_HINT

    usb = tmp_path / "usb"
    usb.mkdir()
    assert tab.set_second_folder(usb)
    assert tab.second_value.text() == str(usb)
    tab.backup_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown[0][0] == "information" and "已备份并校验" in shown[0][2]
    assert str(usb) in shown[0][2]
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 2).text() == "手动"
    assert tab.table.item(0, 1).text() == "刚刚"
    assert "刚刚" in tab.last_value.text()
    _shot(screen, "backup-panel")


def test_a_missing_second_folder_is_refused_in_the_panel(qtbot, ctx, shown, tmp_path) -> None:
    tab = BackupTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert not tab.set_second_folder(tmp_path / "nowhere")
    assert shown and "文件夹不存在" in shown[0][2]
