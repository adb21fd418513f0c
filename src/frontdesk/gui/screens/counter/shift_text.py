"""One entry of the shift book as the screens show it, in the words of the printed page
(printouts/shift_log.py): heading, each register's line and details, notes, who took
the shift. Qt-free."""

from __future__ import annotations

from datetime import date

from frontdesk.printouts.shift_log import log_entry
from frontdesk.services.shift_log.book import EntryRow


def entry_text(row: EntryRow, today: date) -> str:
    entry = log_entry(row, today, {})
    lines = [entry.heading, ""]
    for item in entry.items:
        lines.append(f"【{item.register}】{item.text}")
        lines += [f"　　{detail}" for detail in item.details]
    label = "补记内容" if entry.note else "交班说明"
    lines += ["", f"{label}：{entry.notes or '（无）'}"]
    if not entry.note:
        lines.append(entry.taken or "待接班确认")
    return "\n".join(lines)


def waiting_text(row: EntryRow) -> str:
    """待接班: 王芳 11-25 08:02 交班，等待接班人确认."""
    return f"{row.written_by} {row.written_at.astimezone():%m-%d %H:%M} 交班，等待接班人确认"
