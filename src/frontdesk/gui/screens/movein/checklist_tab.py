"""入伙办理: one room's 入伙手续办理清单 at the counter — the room and its owners at the
top, the eight steps each with what was recorded and a button to do it, then 完成入伙
(the room is handed over and its fees start), 已入住 and 打印入伙资料."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from frontdesk.domain.clock import local_time
from frontdesk.domain.movein import (
    Progress,
    Step,
)
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import RoomStatus
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.movein_checklist_tab_ui import Ui_ChecklistTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.navigation import Counter
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.movein.step_dialogs import (
    DONE,
    GREY,
    STAR,
    TODO,
    WARN,
    CompleteDialog,
    StepDialog,
)
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.status import chip_style, step_title
from frontdesk.services.households import structure
from frontdesk.services.households.structure import RoomRow
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein.handover import Checklist, StepRow


def title_html(step: Step) -> str:
    mark = (
        f"<span style='color:{STAR}'>★</span> "
        if step.required
        else f"<span style='color:{GREY}'>（选办）</span>"
    )
    return f"{mark}{step_title(step)}" if step.required else f"{step_title(step)}{mark}"


def state_html(row: StepRow) -> str:
    """已办：what was recorded · who · when; or 未办."""
    if not row.done:
        text = "未办" if row.step.required else "未办（本小区不发门禁卡时可不办）"
        return f"<span style='color:{TODO}'>{text}</span>"
    when = local_time(row.done_at, seconds=False)
    return (
        f"<span style='color:{DONE}; font-weight:bold'>已办</span>　{escape(row.summary)}"
        f"<span style='color:{GREY}'>　·　{escape(row.done_by)}　·　{when}</span>"
    )


def owners_line(sheet: Checklist) -> str:
    return "业主：" + "、".join(sheet.owners) if sheet.owners else "尚未登记产权人"


def facts_line(sheet: Checklist, room: RoomRow | None) -> str:
    batch = sheet.batch or "未列入交付批次"
    booked = local_time(sheet.appointment_at, seconds=False) or "未预约"
    handed = sheet.completed_on or (room.handover_on if room else None)
    facts = [f"交付批次：{batch}", f"预约：{booked}"]
    facts.append(f"交房日期：{handed:%Y-%m-%d}" if handed else "尚未交房")
    return "　·　".join(facts)


def missing_html(sheet: Checklist) -> str:
    if sheet.completed_on is not None:
        return (
            f"<span style='color:{DONE}; font-weight:bold'>"
            f"已于 {sheet.completed_on:%Y-%m-%d} 完成入伙。</span>"
        )
    missing = sheet.missing
    if not missing:
        return (
            f"<span style='color:{DONE}; font-weight:bold'>"
            "必办项已全部办完，可以“完成入伙”。</span>"
        )
    names = "；".join(step_title(s) for s in missing)
    return f"<span style='color:{WARN}'>尚缺 {len(missing)} 项必办：{names}</span>"


@dataclass
class StepLine:
    """One step's row in the checklist grid."""

    title: QLabel
    state: QLabel
    button: QPushButton


class ChecklistTab(QWidget):
    """去收款 in the fees step takes the clerk to the cashier's counter on this room
    (where nobody can, they are told to go to 收费)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sheet: Checklist | None = None
        self.room: RoomRow | None = None
        self.ui = ui = Ui_ChecklistTab()
        ui.setupUi(self)
        self.picker = self._place_picker()
        self.picker.room_chosen.connect(self._load)
        self.lines = {step: self._add_line(step) for step in Step}
        ui.stepsGrid.setColumnStretch(1, 1)
        self.manage = ctx.can(Permission.MANAGE_MOVE_IN)
        for button in (ui.completeButton, ui.movedInButton):
            button.setVisible(self.manage)
        ui.completeButton.clicked.connect(self.complete)
        ui.movedInButton.clicked.connect(self.moved_in)
        ui.printButton.clicked.connect(self.print_papers)
        ui.pages.setCurrentWidget(ui.emptyPage)

    def _place_picker(self) -> RoomPicker:
        """RoomPicker needs the context, so it takes the place of the form's slot."""
        ui, picker = self.ui, RoomPicker(self.ctx, self)
        picker.setMinimumWidth(ui.roomSlot.minimumWidth())
        ui.roomBar.replaceWidget(ui.roomSlot, picker)
        ui.roomSlot.hide()
        ui.roomSlot.deleteLater()
        ui.roomCaption.setBuddy(picker)
        return picker

    def _add_line(self, step: Step) -> StepLine:
        grid = self.ui.stepsGrid
        row = list(Step).index(step)
        title = QLabel(title_html(step), self)
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setMinimumWidth(380)
        state = QLabel(self)
        state.setTextFormat(Qt.TextFormat.RichText)
        state.setWordWrap(True)
        state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        button = QPushButton(self)
        button.setMinimumWidth(96)
        button.clicked.connect(lambda _checked=False, s=step: self.do_step(s))
        grid.addWidget(title, row, 0)
        grid.addWidget(state, row, 1)
        grid.addWidget(button, row, 2)
        return StepLine(title, state, button)

    # loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.sheet is not None:
            self._load(self.sheet.room_id)

    def open_room(self, room_id: int) -> None:
        """Show a room's checklist (from the batch board)."""
        if self._load(room_id) and self.sheet is not None:
            owners = "、".join(self.sheet.owners) or "无产权人登记"
            self.picker.blockSignals(True)
            self.picker.set_room(
                room_id, f"{self.sheet.room_code}（{self.sheet.place} · {owners}）"
            )
            self.picker.blockSignals(False)

    def _load(self, room_id: int) -> bool:
        # Here, not on the worker: the caller goes on with the sheet it loads.
        ctx = self.ctx
        return (
            Op(
                self,
                ctx.tasks,
                lambda: (
                    movein.checklist(ctx.db, ctx.actor, room_id),
                    structure.room_rows(ctx.db, ctx.actor, [room_id]),
                ),
                title="入伙办理",
            )
            .success(lambda read: self._loaded(*read))
            .now()
        )

    def _loaded(self, sheet: Checklist, rooms: list[RoomRow]) -> None:
        self.sheet, self.room = sheet, rooms[0] if rooms else None
        self._show(sheet)

    def _show(self, sheet: Checklist) -> None:
        ui = self.ui
        ui.pages.setCurrentWidget(ui.roomPage)
        ui.codeLabel.setText(sheet.room_code)
        ui.placeLabel.setText(sheet.place)
        ui.progressChip.setText(sheet.progress.label)
        ui.progressChip.setStyleSheet(chip_style(sheet.progress))
        ui.ownersLabel.setText(owners_line(sheet))
        ui.factsLabel.setText(facts_line(sheet, self.room))
        warning = self._warning(sheet)
        ui.warningLabel.setText(warning)
        ui.warningLabel.setVisible(bool(warning))
        completed = sheet.completed_on is not None
        # A room handed over before, or already lived in, has no move-in to do here.
        due = sheet.has_record or (
            sheet.handover_on is None and sheet.room_status == RoomStatus.UNSOLD
        )
        for step, line in self.lines.items():
            row = sheet.row(step)
            number = list(Step).index(step) + 1
            line.state.setText(state_html(row))
            line.button.setText(f"修改(&{number})…" if row.done else f"办理(&{number})…")
            line.button.setEnabled(self.manage and due and not completed)
            line.button.setToolTip(
                "已完成入伙，清单不能再改"
                if completed
                else "不是待交付的房屋，无需办理入伙"
                if not due
                else ("" if self.manage else "当前角色无权办理入伙")
            )
        ui.missingLabel.setText(missing_html(sheet))
        ui.completeButton.setEnabled(due and not completed)
        ui.movedInButton.setEnabled(completed and sheet.progress != Progress.MOVED_IN)
        ui.movedInButton.setToolTip(
            "业主已搬入：房屋状态改为“已入住”" if completed else "请先完成入伙"
        )

    def _warning(self, sheet: Checklist) -> str:
        if not sheet.has_record and sheet.handover_on is not None:
            return (
                f"该房屋已于 {sheet.handover_on:%Y-%m-%d} 交房（老业主或非本批交付），"
                "无需办理入伙手续。"
            )
        if not sheet.has_record and sheet.room_status != RoomStatus.UNSOLD:
            return f"该房屋状态为“{sheet.room_status.label}”，不是待交付的房屋，无需办理入伙手续。"
        if not self.manage:
            return "当前角色只能查看入伙清单，不能办理。"
        return ""

    # steps -----------------------------------------------------------------------------

    def do_step(self, step: Step) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        dialog = StepDialog(self.ctx, sheet, step, self)
        dialog.exec()
        self.refresh()
        if dialog.wants_payment:
            self.go_pay()

    def go_pay(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        if self.ctx.navigator.go(Counter(sheet.room_id)):
            return
        QMessageBox.information(
            self,
            "去收款",
            f"请到“收费”页为 {sheet.room_code} 收取首期物业费（{sheet.fee_months} 个月）等费用，"
            "收款后回到本页，在“缴纳首期物业费等费用”中勾选收据。",
        )

    # completing ------------------------------------------------------------------------

    def complete(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        if sheet.missing:
            names = "\n".join(f"· {step_title(s)}" for s in sheet.missing)
            QMessageBox.warning(
                self, "还不能完成入伙", f"以下必办项尚未办理：\n{names}\n\n办完后再完成入伙。"
            )
            return
        dialog = CompleteDialog(self.ctx, sheet, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.refresh()
            return
        self.refresh()
        QMessageBox.information(
            self,
            "入伙已完成",
            f"{sheet.room_code} 已完成入伙，交房日期 {dialog.handover_on():%Y-%m-%d}，"
            "物业费自当日起计。\n可按“打印入伙资料”打印交业主签字存档的资料。",
        )

    def moved_in(self) -> None:
        sheet = self.sheet
        if sheet is None or not confirm(
            self,
            "已入住",
            f"确认 {sheet.room_code} 的业主已搬入居住？房屋状态将改为“已入住”。",
        ):
            return
        ctx, room_id = self.ctx, sheet.room_id
        Op(
            self,
            ctx.tasks,
            lambda: movein.mark_moved_in(ctx.db, ctx.actor, room_id),
            title="已入住",
        ).success(lambda _: self.refresh()).failure(lambda _: self.refresh()).run()

    def print_papers(self) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        from frontdesk.printouts.movein import movein_set

        ctx, room_id = self.ctx, sheet.room_id
        Op(
            self, ctx.tasks, lambda: movein_set(ctx.db, ctx.actor, room_id), title="打印入伙资料"
        ).labelled("正在生成入伙资料…").success(
            lambda printout: show_printout(ctx, printout, self)
        ).run()
