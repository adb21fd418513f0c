"""How a defect of the 验房问题 register reads, in the tab and in its dialogs: its
colours, one-line heading, the summary above a dialog's fields, and its history."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QColor

from frontdesk.domain.movein import DefectStatus
from frontdesk.services.movein.defects import DefectRow

OVERDUE_COLOUR, WAITING_COLOUR, CLOSED_COLOUR = (
    QColor("#b3261e"),
    QColor("#9a6700"),
    QColor("#8a8f98"),
)
NO_RIGHT = "您没有办理入伙和验房的权限"


def heading(row: DefectRow) -> str:
    return f"{escape(row.room_code)} {escape(row.area)} · {escape(row.kind)}"


def summary(row: DefectRow) -> str:
    """The defect as the dialogs show it above their fields."""
    return (
        f"<b>{heading(row)}</b>（{escape(row.responsible)}）<br>{escape(row.description)}<br>"
        f'<span style="color: #5f6b7a;">验房 {row.found_on:%Y-%m-%d}，'
        f"整改期限 {row.deadline:%Y-%m-%d}</span>"
    )


def history(row: DefectRow) -> str:
    """One line on where the defect stands: who recorded it, the repair, the rechecks."""
    parts = [
        f"{row.found_on:%Y-%m-%d} 验房，{escape(row.recorded_by)}登记，"
        f"整改期限 {row.deadline:%Y-%m-%d}"
    ]
    if row.fixed_on is not None:
        parts.append(f"{row.fixed_on:%Y-%m-%d} 整改：{escape(row.fix_note)}")
    if row.checked_on is not None:
        result = "通过" if row.status is DefectStatus.CLOSED else "不通过"
        note = f"，{escape(row.check_note)}" if row.check_note else ""
        parts.append(f"{row.checked_on:%Y-%m-%d} 复验{result}{note}（共复验 {row.rechecks} 次）")
    if row.overdue_days:
        red = OVERDUE_COLOUR.name()
        parts.append(f'<span style="color: {red};"><b>已超期 {row.overdue_days} 天</b></span>')
    return f"<b>{heading(row)}</b>：{escape(row.description)}<br>" + "；".join(parts)
