"""物品放行: issue a goods pass at the counter by keyboard, check one at the gate by
scanning its number, and the day's passes with reprint and cancel.

The household's arrears and an open renovation show in orange once the room is
chosen: a warning for the clerk, never a refusal. Gate results show in the line beside
the field, never in a dialog (a dialog would swallow the next scan).

Keys: Enter in a field moves on (the items take one a line; Tab leaves them),
Ctrl+Enter or F9 issues and previews the pass, Esc clears, F5 reloads the list.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QInputDialog, QLabel, QWidget

from frontdesk.domain import clock
from frontdesk.domain.goods_passes import Applicant, Consent, PassState, window_text
from frontdesk.domain.roles import Permission
from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_goods_pass_tab_ui import Ui_GoodsPassTab
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import qdate, qdatetime, to_date, to_datetime
from frontdesk.gui.screens.counter.goods_lost_settings import GoodsLostSettingsDialog
from frontdesk.gui.widgets.move_on import move_on_direction
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.shortcuts import add_shortcuts
from frontdesk.gui.widgets.tables import fill_sortable, row_id, set_headers
from frontdesk.printouts import goods_passes as goods_printouts
from frontdesk.services import goods_passes
from frontdesk.services.goods_passes import GoodsPassInput, GoodsPassRow

COLUMNS = ("放行条号", "房屋", "申请人", "物品", "车牌", "放行时间", "状态")
GREEN, RED, ORANGE = "#1b7f3b", "#b3261e", "#b85c00"
WINDOW = timedelta(hours=4)


def say(label: QLabel, text: str, color: str) -> None:
    label.setStyleSheet(f"font-size: 12pt; font-weight: bold; color: {color};")
    label.setText(text)


def pass_cells(row: GoodsPassRow) -> list[str]:
    return [
        row.number,
        row.room_code,
        f"{row.applicant.label} {row.applicant_name}",
        "、".join(row.items),
        row.plate,
        window_text(row.window_start, row.window_end),
        row.state.label,
    ]


class GoodsPassTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_GoodsPassTab()
        ui.setupUi(self)
        self.rows: dict[int, GoodsPassRow] = {}
        self.room = self._place_room_picker()
        self.field_widgets: dict[str, QWidget] = {
            "房屋": self.room,
            "申请人": ui.nameEdit,
            "申请人电话": ui.phoneEdit,
            "业主同意方式": ui.consentCombo,
            "同意的业主": ui.consentByEdit,
            "放行物品": ui.itemsEdit,
            "车牌号": ui.plateEdit,
            "放行时间": ui.startEdit,
            "备注": ui.noteEdit,
        }
        for applicant in Applicant:
            ui.applicantCombo.addItem(applicant.label, applicant.value)
        ui.consentCombo.addItem("—", "")
        for consent in Consent:
            ui.consentCombo.addItem(consent.label, consent.value)
        set_headers(ui.table, COLUMNS, stretch=3)
        ui.table.setSortingEnabled(True)
        ui.dayEdit.setDate(qdate(clock.today()))
        self._connect()
        self._add_shortcuts()
        ui.form.setRowVisible(ui.warningLabel, False)
        self.clear_form()
        self.refresh()

    def _place_room_picker(self) -> RoomPicker:
        picker = RoomPicker.in_place_of(self.ctx, self.ui.roomSlot)
        QWidget.setTabOrder(self.ui.gateEdit, picker)
        QWidget.setTabOrder(picker, self.ui.applicantCombo)
        return picker

    def _connect(self) -> None:
        ui = self.ui
        ui.gateEdit.returnPressed.connect(self.check_typed)
        for edit in (ui.nameEdit, ui.phoneEdit, ui.consentByEdit, ui.plateEdit):
            edit.returnPressed.connect(self.focusNextChild)
        ui.noteEdit.returnPressed.connect(self.issue)
        ui.startEdit.installEventFilter(self)
        ui.endEdit.installEventFilter(self)
        ui.applicantCombo.currentIndexChanged.connect(lambda _i: self._applicant_changed())
        self.room.room_chosen.connect(self._room_chosen)
        self.room.cleared.connect(lambda: self._show_warnings(()))
        ui.issueButton.clicked.connect(self.issue)
        ui.clearButton.clicked.connect(self.clear_form)
        ui.dayEdit.dateChanged.connect(lambda _d: self.refresh())
        ui.table.itemSelectionChanged.connect(self._show_detail)
        ui.reprintButton.clicked.connect(self.reprint)
        ui.cancelButton.clicked.connect(self.cancel_selected)
        ui.refreshButton.clicked.connect(self.refresh)
        ui.settingsButton.setVisible(self.ctx.can(Permission.EDIT_COMMUNITY))
        ui.settingsButton.clicked.connect(lambda: GoodsLostSettingsDialog.edit(self.ctx, self))

    def _add_shortcuts(self) -> None:
        add_shortcuts(
            self,
            [
                ("Ctrl+Return", self.issue),
                ("Ctrl+Enter", self.issue),
                (Qt.Key.Key_F9, self.issue),
                (Qt.Key.Key_Escape, self.clear_form),
                (Qt.Key.Key_F5, self.refresh),
            ],
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.isAncestorOf(self.focusWidget()):
            self.room.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        times = (self.ui.startEdit, self.ui.endEdit)
        forward = move_on_direction(event) if watched in times else None
        if forward is not None:
            self.focusNextPrevChild(forward)
            return True
        return super().eventFilter(watched, event)

    # the form ----------------------------------------------------------------------

    def _applicant(self) -> Applicant:
        return Applicant(self.ui.applicantCombo.currentData())

    def _applicant_changed(self) -> None:
        ui, other = self.ui, self._applicant() != Applicant.OWNER
        ui.consentCombo.setEnabled(other)
        ui.consentByEdit.setEnabled(other)
        if not other:
            ui.consentCombo.setCurrentIndex(0)
            ui.consentByEdit.clear()

    def _room_chosen(self, room_id: int) -> None:
        ctx = self.ctx
        Op(
            self, ctx.tasks, lambda: goods_passes.household_warnings(ctx.db, ctx.actor, room_id)
        ).inline(self.ui.resultLabel, every_message=True).success(self._show_warnings).run()

    def _show_warnings(self, warnings: tuple[str, ...]) -> None:
        text = "；".join(warnings)
        if text:
            text = (
                f"<span style='color:{ORANGE}; font-weight:bold'>提示：{escape(text)}</span>"
                f"<span style='color:#5f6b7a'>（仅供知悉，不影响放行）</span>"
            )
        self.ui.warningLabel.setText(text)
        self.ui.form.setRowVisible(self.ui.warningLabel, bool(text))

    def clear_form(self) -> None:
        ui = self.ui
        self.room.clear_room()
        self.room.clear()
        ui.applicantCombo.setCurrentIndex(0)
        for edit in (ui.nameEdit, ui.phoneEdit, ui.consentByEdit, ui.plateEdit, ui.noteEdit):
            edit.clear()
        ui.itemsEdit.clear()
        start = clock.now().replace(second=0, microsecond=0)
        ui.startEdit.setDateTime(qdatetime(start))
        ui.endEdit.setDateTime(qdatetime(start + WINDOW))
        self._applicant_changed()
        self._show_warnings(())
        self.room.setFocus()

    def _input(self) -> GoodsPassInput:
        ui = self.ui
        if self.room.room_id is None:
            raise ValidationError("房屋", "请输入房号并从查找结果中选择一户")
        consent = ui.consentCombo.currentData()
        return GoodsPassInput(
            room_id=self.room.room_id,
            applicant=self._applicant(),
            applicant_name=ui.nameEdit.text(),
            applicant_phone=ui.phoneEdit.text(),
            consent=Consent(consent) if consent else None,
            consent_by=ui.consentByEdit.text(),
            items=ui.itemsEdit.toPlainText(),
            plate=ui.plateEdit.text(),
            window_start=to_datetime(ui.startEdit.dateTime()),
            window_end=to_datetime(ui.endEdit.dateTime()),
            note=ui.noteEdit.text(),
        )

    def issue(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda data: goods_passes.issue_pass(ctx.db, ctx.actor, data),
            given=self._input,
            title="开具放行条",
        ).fields(self.field_widgets).inline(self.ui.resultLabel).success(self._issued).run()

    def _issued(self, row: GoodsPassRow) -> None:
        say(self.ui.resultLabel, f"已开具 {row.number}（{row.room_code}）", GREEN)
        self.clear_form()
        self.ui.dayEdit.setDate(qdate(clock.today()))
        self.refresh()
        self.show_pass(row.number)

    # the gate ----------------------------------------------------------------------

    def check_typed(self) -> None:
        typed = self.ui.gateEdit.text()
        if not typed.strip():
            return
        ctx = self.ctx
        Op(self, ctx.tasks, lambda: goods_passes.check_at_gate(ctx.db, ctx.actor, typed)).inline(
            self.ui.gateResult, every_message=True
        ).failure(self._gate_failed).success(self._let_out).run()

    def _gate_failed(self, error: BaseException) -> None:
        if isinstance(error, FrontDeskError):
            say(self.ui.gateResult, error.message, RED)
        self.ui.gateEdit.setFocus()
        self.ui.gateEdit.selectAll()  # the next scan replaces it

    def _let_out(self, row: GoodsPassRow) -> None:
        plate = f"，车辆 {row.plate}" if row.plate else ""
        say(
            self.ui.gateResult,
            f"放行 {row.number}（{row.room_code}）：{'、'.join(row.items)}{plate}",
            GREEN,
        )
        self.ui.gateEdit.clear()
        self.ui.gateEdit.setFocus()
        self.refresh()

    # the list ----------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, day = self.ctx, to_date(self.ui.dayEdit.date())
        Op(self, ctx.tasks, lambda: goods_passes.list_passes(ctx.db, ctx.actor, day)).inline(
            self.ui.countLabel, every_message=True
        ).success(self._show).run()

    def _show(self, rows: list[GoodsPassRow]) -> None:
        self.rows = {r.id: r for r in rows}
        fill_sortable(self.ui.table, [pass_cells(r) for r in rows], set(), [r.id for r in rows])
        waiting = sum(1 for r in rows if r.state == PassState.OPEN)
        self.ui.countLabel.setText(f"共 {len(rows)} 张，待放行 {waiting} 张")
        self._show_detail()

    def selected(self) -> GoodsPassRow | None:
        found = row_id(self.ui.table, self.ui.table.currentRow())
        return None if found is None else self.rows.get(found)

    def _show_detail(self) -> None:
        row = self.selected()
        if row is None:
            self.ui.detailLabel.setText("")
            return
        parts = [f"开具：{row.issued_by} {row.issued_at.astimezone():%m-%d %H:%M}"]
        if row.consent_text:
            parts.append(f"业主同意：{row.consent_text}")
        if row.used_at is not None:
            parts.append(f"放行：{row.used_by} {row.used_at.astimezone():%m-%d %H:%M}")
        if row.cancelled_at is not None:
            parts.append(f"作废：{row.cancelled_by}（{row.cancel_reason}）")
        if row.warnings:
            parts.append(f"<span style='color:{ORANGE}'>办理时提示：{row.warnings}</span>")
        self.ui.detailLabel.setText("　".join(parts))

    def _need_selection(self) -> GoodsPassRow | None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("放行条", "请先在列表中选中一张放行条"))
        return row

    def show_pass(self, number: str) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: goods_printouts.goods_pass(ctx.db, ctx.actor, number),
            title=f"打印放行条 {number}",
        ).success(lambda printout: show_printout(ctx, printout, self)).run()

    def reprint(self) -> None:
        row = self._need_selection()
        if row is not None:
            self.show_pass(row.number)

    def cancel_selected(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, "作废放行条", f"作废 {row.number} 的原因：")
        if not ok:
            return
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: goods_passes.cancel_pass(ctx.db, ctx.actor, row.number, reason),
            title="作废放行条",
        ).success(lambda _row: self.refresh()).run()
