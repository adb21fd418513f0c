"""入伙 tab of the household file: how far the room's move-in has got — batch,
appointment, each step of the checklist, the handover date and the inspection's open
defects. Read-only: the checklist itself is done in 入伙 › 入伙办理."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.movein import DefectStatus
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.household_movein_tab_ui import Ui_MoveInTab
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.widgets.status import PROGRESS_COLOURS, step_title
from frontdesk.gui.widgets.tables import fill_rows, set_headers
from frontdesk.services.households.file import HouseholdFile
from frontdesk.services.movein import defects
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein.defects import DefectRow
from frontdesk.services.movein.handover import Checklist

COLUMNS = ("手续", "状态", "经办", "办理情况")
STATE, BY, SUMMARY = 1, 2, 3
DONE, TODO = QColor("#1b7f3b"), QColor("#8a94a3")
RED = "#b3261e"


def has_record(sheet: Checklist) -> bool:
    """False when the room never had a move-in (no batch, booking or step recorded)."""
    return bool(
        sheet.batch
        or sheet.appointment_at
        or sheet.completed_on
        or any(s.done for s in sheet.steps)
    )


class MoveInTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_MoveInTab()
        ui.setupUi(self)
        set_headers(ui.stepsTable, COLUMNS)

    def open_room(self, room_id: int, file: HouseholdFile) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: (
                movein.checklist(ctx.db, ctx.actor, room_id),
                defects.list_defects(ctx.db, ctx.actor, room_id=room_id),
            ),
            title="入伙",
        ).success(lambda read: self._show(file, *read)).run()

    def _show(self, file: HouseholdFile, sheet: Checklist, found: list[DefectRow]) -> None:
        open_defects = sum(1 for d in found if d.status != DefectStatus.CLOSED)
        ui = self.ui
        handed = sheet.completed_on or file.room.handover_on
        if not has_record(sheet):
            ui.summaryLabel.setText(
                f"<b>无入伙办理记录</b>　交房日期：{handed:%Y-%m-%d}"
                if handed
                else "<b>无入伙办理记录</b>　尚未交房"
            )
            ui.noteLabel.setText(
                "该户没有入伙办理记录：可能是老业主（系统启用前已交房）或不在本系统的交付批次中。"
                if handed
                else "该户尚未列入交付批次，也没有入伙预约。"
            )
            ui.noteLabel.show()
        else:
            colour = PROGRESS_COLOURS[sheet.progress]
            parts = [
                f"<b style='color:{colour}'>{sheet.progress.label}</b>",
                f"交付批次：{sheet.batch or '未列入交付批次'}",
                f"预约：{local_time(sheet.appointment_at, seconds=False) or '未预约'}",
                f"交房日期：{handed:%Y-%m-%d}" if handed else "尚未交房",
            ]
            ui.summaryLabel.setText("　·　".join(parts))
            missing = sheet.missing
            if sheet.completed_on is None and missing:
                ui.noteLabel.setText(f"尚缺 {len(missing)} 项必办手续。")
                ui.noteLabel.show()
            else:
                ui.noteLabel.hide()
        defects_text = (
            f"<span style='color:{RED}'>验房问题未关闭 {open_defects} 项</span>"
            f"（共 {len(found)} 项）"
            if open_defects
            else (f"验房问题 {len(found)} 项，均已关闭" if found else "没有验房问题记录")
        )
        ui.summaryLabel.setText(f"{ui.summaryLabel.text()}<br>{defects_text}")
        fill_rows(
            ui.stepsTable,
            [
                (
                    ("★ " if s.step.required else "") + step_title(s.step),
                    "已办" if s.done else ("未办" if s.step.required else "未办（选办）"),
                    f"{s.done_by} {s.done_at.astimezone():%m-%d %H:%M}" if s.done_at else "",
                    s.summary,
                )
                for s in sheet.steps
            ],
        )
        for row, step in enumerate(sheet.steps):
            item = cell(ui.stepsTable, row, STATE)
            item.setForeground(QBrush(DONE if step.done else TODO))
            cell(ui.stepsTable, row, SUMMARY).setToolTip(step.summary)
            if step.done_at is not None:
                cell(ui.stepsTable, row, BY).setToolTip(local_time(step.done_at))
        ui.stepsTable.setColumnWidth(SUMMARY, 60)  # the last column stretches over the rest
        ui.stepsTable.setCurrentCell(-1, -1)
