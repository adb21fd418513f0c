"""Backups in words: kinds, how old, whether stale, how big — for the status bar, the
backup tab and `frontdesk backup --list`."""

from __future__ import annotations

from datetime import datetime, timedelta

from frontdesk.domain import clock

STALE_AFTER = timedelta(days=1)

KIND_LABELS = {
    "daily": "每日",
    "close": "关闭程序时",
    "manual": "手动",
    "before-restore": "恢复前",
    "before-upgrade": "升级前",
}


def describe_age(taken_at: datetime | None, now: datetime | None = None) -> str:
    """'3 小时前', '2 天前', '从未备份' — for the status bar and the list."""
    if taken_at is None:
        return "从未备份"
    seconds = max(0, int(((now or clock.wall_now()) - taken_at).total_seconds()))
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{seconds // 60} 分钟前"
    if seconds < 86400:
        return f"{seconds // 3600} 小时前"
    return f"{seconds // 86400} 天前"


def is_stale(taken_at: datetime | None, now: datetime | None = None) -> bool:
    """No backup, or the newest is older than a day: the status bar shows it in red."""
    return taken_at is None or (now or clock.wall_now()) - taken_at > STALE_AFTER


def format_size(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB"
    return f"{max(1, size // 1024)} KB"
