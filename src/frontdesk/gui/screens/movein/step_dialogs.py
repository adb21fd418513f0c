"""The dialogs of the move-in checklist: one step recorded (its page of fields, checked by
the service before it is kept) and the hand-over completed."""

from __future__ import annotations

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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.clock import local_time
from frontdesk.domain.movein import AGREEMENTS, DOCUMENT_KINDS, KEY_KINDS, MAX_KEYS, METERS, Step
from frontdesk.domain.roles import Permission
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.movein_complete_dialog_ui import Ui_CompleteDialog
from frontdesk.gui.forms.movein_step_dialog_ui import Ui_StepDialog
from frontdesk.gui.navigation import FileWindow
from frontdesk.gui.ops import Op
from frontdesk.gui.qtvalues import qdate, to_date
from frontdesk.gui.widgets.forms import focus_field, form_fields
from frontdesk.gui.widgets.status import step_title
from frontdesk.services.households import file as households
from frontdesk.services.households.file import HouseholdFile
from frontdesk.services.movein import handbook
from frontdesk.services.movein import handover as movein
from frontdesk.services.movein import steps as movein_steps
from frontdesk.services.movein.handover import Checklist, StepRow
from frontdesk.services.movein.steps import FeeReceipt

# The checklist's words, here and in its tab: done, to do, required (★), a note, a warning.
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
