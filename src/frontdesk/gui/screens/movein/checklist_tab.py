"""入伙办理: one room's 入伙手续办理清单 at the counter — the room and its owners at the
top, the eight steps each with what was recorded and a button to do it, then 完成入伙
(the room is handed over and its fees start), 已入住 and 打印入伙资料."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.movein import (
    AGREEMENTS,
    DOCUMENT_KINDS,
    KEY_KINDS,
    MAX_KEYS,
    METERS,
    Progress,
    Step,
)
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import RoomStatus
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.movein_checklist_tab_ui import Ui_ChecklistTab
from frontdesk.gui.forms.movein_complete_dialog_ui import Ui_CompleteDialog
from frontdesk.gui.forms.movein_step_dialog_ui import Ui_StepDialog
from frontdesk.gui.messages import confirm
from frontdesk.gui.navigation import Counter, FileWindow
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate, to_date
from frontdesk.gui.widgets.forms import focus_field, form_fields
from frontdesk.gui.widgets.pdf_preview import show_printout
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.status import chip_style, step_title
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.households.file import HouseholdFile
from frontdesk.services.households.structure import RoomRow
from frontdesk.services.movein import handbook
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein import steps as movein_steps
from frontdesk.services.movein.handover import Checklist, StepRow
from frontdesk.services.movein.steps import FeeReceipt

DONE, TODO, STAR, GREY, WARN = "#1b7f3b", "#8a94a3", "#b3261e", "#5f6b7a", "#8a5a00"
FIELD_WIDTH = 160
METER_UNITS = {"水表": "吨", "电表": "千瓦时", "燃气表": "立方米"}
PAGES = {
    Step.DOCUMENTS: "documentsPage",
    Step.AGREEMENTS: "agreementsPage",
    Step.OWNER_FILE: "ownerFilePage",
    Step.FEES: "feesPage",
    Step.METERS: "metersPage",
    Step.KEYS: "keysPage",
    Step.CARDS: "cardsPage",
    Step.HANDBOOK: "handbookPage",
}
OK_TEXT = {Step.OWNER_FILE: "档案已完善", Step.FEES: "确认已缴费"}


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


# dialogs -------------------------------------------------------------------------------


class StepDialog(QDialog):
    """One step's input; OK records it while the dialog is open, so a refused field is
    named under the form and gets the cursor. `wants_payment` when 去收款 was pressed."""

    def __init__(
        self, ctx: AppContext, sheet: Checklist, step: Step, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.sheet, self.step = ctx, sheet, step
        self.row = sheet.row(step)
        self.wants_payment = False
        self.saved: StepRow | None = None
        self.fields: dict[str, QWidget] = {}
        self.checks: dict[str, QCheckBox] = {}
        self.meters: dict[str, QLineEdit] = {}
        self.keys: dict[str, QSpinBox] = {}
        self.ui = ui = Ui_StepDialog()
        ui.setupUi(self)
        self.setWindowTitle("修改入伙手续" if self.row.done else "办理入伙手续")
        ui.titleLabel.setText(step_title(step) + ("" if step.required else "（选办）"))
        owners = "、".join(sheet.owners) or "尚未登记产权人"
        ui.roomLabel.setText(f"{sheet.room_code}　{sheet.place}　{owners}")
        page = getattr(ui, PAGES[step])
        for other in [ui.pages.widget(i) for i in range(ui.pages.count())]:
            if other is not None and other is not page:  # sized to this step's page alone
                ui.pages.removeWidget(other)
                other.deleteLater()
        getattr(self, f"_setup_{step.value}")(self.row.detail)
        ok = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(OK_TEXT.get(step, "保存"))
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        self.adjustSize()

    # pages -----------------------------------------------------------------------------

    def _add_checks(self, layout: QVBoxLayout, names: list[str], ticked: list[str]) -> None:
        for name in names:
            box = QCheckBox(name, self)
            box.setChecked(name in ticked)
            layout.addWidget(box)
            self.checks[name] = box

    def _setup_documents(self, detail: dict[str, Any]) -> None:
        self._add_checks(self.ui.documentsChecks, list(DOCUMENT_KINDS), detail.get("items", []))
        self.ui.noteEdit.setText(str(detail.get("note", "")))
        self.fields = {
            **form_fields(self.ui.documentsForm),
            "购房合同或不动产权证": self.checks[DOCUMENT_KINDS[0]],
            **self.checks,
        }
        self.checks[DOCUMENT_KINDS[0]].setFocus()

    def _setup_agreements(self, detail: dict[str, Any]) -> None:
        ticked = detail.get("items", [])
        for name in AGREEMENTS:
            box = QCheckBox(f"《{name}》", self)
            box.setChecked(name in ticked)
            self.ui.agreementsChecks.addWidget(box)
            self.checks[name] = box
            self.fields[f"《{name}》"] = box
        self.checks[AGREEMENTS[0]].setFocus()

    def _setup_owner_file(self, _detail: dict[str, Any]) -> None:
        self.ui.openFileButton.clicked.connect(self.open_file)
        self.fields = {"业主档案": self.ui.openFileButton}
        self._show_owner_file()

    def _show_owner_file(self) -> None:
        ctx, room_id = self.ctx, self.sheet.room_id
        Op(self, ctx.tasks, lambda: households.open_file(ctx.db, ctx.actor, room_id)).inline(
            self.ui.ownerFileLabel, every_message=True
        ).success(self._show_owners).run()

    def _show_owners(self, file: HouseholdFile) -> None:
        lines = []
        for person in file.owners:
            phone = person.phone or f"<span style='color:{STAR}'>未登记电话</span>"
            lines.append(f"产权人　<b>{escape(person.name)}</b>　{phone}")
        if not file.owners:
            lines.append(f"<span style='color:{STAR}'>尚未登记产权人</span>")
        others = [p for p in file.people if p not in file.owners]
        lines.append(
            f"其他成员 {len(others)} 人　·　车辆 {len(file.vehicles)} 辆"
            f"　·　宠物 {len(file.pets)} 只"
        )
        ready = any(p.phone for p in file.owners)
        lines.append(
            f"<span style='color:{DONE}'>档案已有产权人及电话，可以确认。</span>"
            if ready
            else f"<span style='color:{WARN}'>请先在户档案中登记产权人及其电话。</span>"
        )
        self.ui.ownerFileLabel.setText("<br>".join(lines))

    def open_file(self) -> None:
        self.ctx.navigator.go(FileWindow(self.sheet.room_id, self))
        self._show_owner_file()

    def _setup_fees(self, detail: dict[str, Any]) -> None:
        ui = self.ui
        months = self.sheet.fee_months
        ui.feesLabel.setText(
            f"请先在“收费”页为本户收取首期物业费（<b>{months} 个月</b>）等费用，"
            "再勾选其收据。交房前尚未出账单时，可先按预存款收取。"
        )
        ticked = detail.get("receipts", [])
        ctx, room_id, read = self.ctx, self.sheet.room_id, list[list[FeeReceipt]]()
        Op(self, ctx.tasks, lambda: movein_steps.fee_receipts(ctx.db, ctx.actor, room_id)).inline(
            ui.errorLabel, every_message=True
        ).success(read.append).now()
        receipts = read[0] if read else []
        for receipt in receipts:
            item = QListWidgetItem(
                f"{receipt.number}　{local_time(receipt.issued_at, seconds=False)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, receipt.number)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = receipt.number in ticked or (not ticked and len(receipts) == 1)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            ui.receiptsList.addItem(item)
        if not receipts:
            item = QListWidgetItem("本户还没有收款收据")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            ui.receiptsList.addItem(item)
        ui.payButton.setVisible(self.ctx.can(Permission.TAKE_PAYMENTS))
        ui.payButton.clicked.connect(self.go_pay)
        self.fields = {"首期费用收据": ui.receiptsList}

    def go_pay(self) -> None:
        self.wants_payment = True
        self.reject()

    def _setup_meters(self, detail: dict[str, Any]) -> None:
        readings = detail.get("readings", {})
        for meter in METERS:
            edit = QLineEdit(str(readings.get(meter, "")), self)
            edit.setMaxLength(12)
            edit.setPlaceholderText("如 123.45")
            edit.setMaximumWidth(FIELD_WIDTH)
            row = QHBoxLayout()
            row.addWidget(edit)
            row.addWidget(QLabel(METER_UNITS.get(meter, ""), self))
            row.addStretch(1)
            self.ui.metersForm.addRow(f"{meter}底数", row)
            self.meters[meter] = edit
            self.fields[f"{meter}底数"] = edit
        self.meters[METERS[0]].setFocus()

    def _setup_keys(self, detail: dict[str, Any]) -> None:
        counts = detail.get("keys", {})
        for kind in KEY_KINDS:
            spin = QSpinBox(self)
            spin.setRange(0, MAX_KEYS)
            spin.setSuffix(" 把")
            spin.setMinimumWidth(100)
            spin.setMaximumWidth(FIELD_WIDTH)
            spin.setValue(int(counts.get(kind, 0)))
            self.ui.keysForm.addRow(kind, spin)
            self.keys[kind] = spin
            self.fields[f"{kind}数量"] = spin
        focus_field(self.keys[KEY_KINDS[0]])

    def _setup_cards(self, detail: dict[str, Any]) -> None:
        self.ui.cardsEdit.setPlainText("\n".join(detail.get("cards", [])))
        self.fields = {"门禁卡号": self.ui.cardsEdit}
        self.ui.cardsEdit.setFocus()

    def _setup_handbook(self, detail: dict[str, Any]) -> None:
        edition = str(detail.get("edition", "")) or (
            handbook.handbook_values(self.ctx.db).edition or f"{clock.today().year}年版"
        )
        self.ui.editionEdit.setText(edition)
        self.fields = form_fields(self.ui.handbookForm)
        focus_field(self.ui.editionEdit)

    # saving ----------------------------------------------------------------------------

    def detail(self) -> dict[str, Any]:
        step, ui = self.step, self.ui
        if step in (Step.DOCUMENTS, Step.AGREEMENTS):
            items = [name for name, box in self.checks.items() if box.isChecked()]
            if step == Step.AGREEMENTS:
                return {"items": items}
            return {"items": items, "note": ui.noteEdit.text()}
        if step == Step.OWNER_FILE:
            return {}
        if step == Step.FEES:
            numbers = []
            for index in range(ui.receiptsList.count()):
                item = ui.receiptsList.item(index)
                if item.checkState() == Qt.CheckState.Checked:
                    numbers.append(str(item.data(Qt.ItemDataRole.UserRole)))
            return {"receipts": numbers}
        if step == Step.METERS:
            return {"readings": {m: edit.text() for m, edit in self.meters.items()}}
        if step == Step.KEYS:
            return {"keys": {kind: spin.value() for kind, spin in self.keys.items()}}
        if step == Step.CARDS:
            return {"cards": ui.cardsEdit.toPlainText().splitlines()}
        return {"edition": ui.editionEdit.text()}

    def accept(self) -> None:
        ctx, room_id, step = self.ctx, self.sheet.room_id, self.step
        Op(
            self,
            ctx.tasks,
            lambda detail: movein.record_step(ctx.db, ctx.actor, room_id, step, detail),
            given=self.detail,
            title="无法保存",
        ).fields(self.fields).inline(self.ui.errorLabel).success(self._saved).run()

    def _saved(self, saved: StepRow) -> None:
        self.saved = saved
        super().accept()


class CompleteDialog(QDialog):
    """完成入伙: the handover date; OK hands the room over."""

    def __init__(self, ctx: AppContext, sheet: Checklist, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.sheet = ctx, sheet
        self.ui = ui = Ui_CompleteDialog()
        ui.setupUi(self)
        owners = "、".join(sheet.owners)
        ui.roomLabel.setText(f"{sheet.room_code}　{owners}　完成入伙")
        today = qdate(clock.today())
        ui.dateEdit.setMaximumDate(today)
        ui.dateEdit.setDate(today)
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setText("完成入伙")
        ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        ui.dateEdit.setFocus()

    def handover_on(self) -> date:
        return to_date(self.ui.dateEdit.date())

    def accept(self) -> None:
        ctx, room_id = self.ctx, self.sheet.room_id
        Op(
            self,
            ctx.tasks,
            lambda day: movein.complete_handover(ctx.db, ctx.actor, room_id, day),
            given=self.handover_on,
            title="还不能完成入伙",
        ).success(self._completed).run()

    def _completed(self, _result: object) -> None:
        super().accept()


# the tab -------------------------------------------------------------------------------


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
