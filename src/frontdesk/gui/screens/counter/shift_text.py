"""One entry of the shift book as the screens show it, in the words of the printed page
(the rows' own `heading` and `taken_text`): heading, each register's line and details,
notes, who took the shift. Qt-free."""

from __future__ import annotations

from datetime import date

from frontdesk.domain.shift_log import EntryKind
from frontdesk.services.shift_log.book import EntryRow


def entry_text(row: EntryRow, today: date) -> str:
    lines = [row.heading(today), ""]
    for item in row.items:
        lines.append(f"【{item.register}】{item.text}")
        lines += [f"　　{detail}" for detail in item.details]
    note = row.kind == EntryKind.NOTE
    lines += ["", f"{'补记内容' if note else '交班说明'}：{row.notes or '（无）'}"]
    if not note:
        lines.append(row.taken_text(today) or "待接班确认")
    return "\n".join(lines)


def waiting_text(row: EntryRow) -> str:
    """待接班: 王芳 11-25 08:02 交班，等待接班人确认."""
    return f"{row.written_by} {row.written_at.astimezone():%m-%d %H:%M} 交班，等待接班人确认"
