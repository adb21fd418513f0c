"""The renovation dialogs: the application, approval with its bills, the one-step
actions (驳回, 延期, 竣工验收, 节点验收, 违规, 整改) and a worker's pass. Each saves while
open, so a refused field is named under the form and gets the cursor."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape

from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QSpinBox,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.renovation import (
    FORBIDDEN,
    REQUIRED_DOCUMENTS,
    SCOPES,
    TENANT_DOCUMENT,
    Node,
    required_nodes,
)
from frontdesk.domain.roles import Permission
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.renovation_action_dialog_ui import Ui_ActionDialog
from frontdesk.gui.forms.renovation_apply_dialog_ui import Ui_ApplyDialog
from frontdesk.gui.forms.renovation_approve_dialog_ui import Ui_ApproveDialog
from frontdesk.gui.forms.renovation_worker_dialog_ui import Ui_WorkerDialog
from frontdesk.gui.qtvalues import qdate, to_date
from frontdesk.gui.widgets.forms import form_fields
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.saving_dialog import SavingDialog
from frontdesk.services.fees import items as fees
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from frontdesk.services.renovation.applications import ChargeInput, RenovationInput
from frontdesk.services.renovation.site import TRADES, WorkerInput
from frontdesk.services.renovation.views import RenovationRow

DEFAULT_DAYS = 60  # the planned period offered: two months
PRESET_CHARGES = ("装修押金", "装修管理费", "装修垃圾清运费")
FORBIDDEN_COLOUR = "#b3261e"
ROOM_NEEDED = "请输入房号或业主姓名，从查找结果中选择一户"


def heading(row: RenovationRow) -> str:
    """The renovation as the dialogs show it above their fields."""
    return (
        f"<b>{escape(row.number)}　{escape(row.room_code)}</b>　{escape(row.contractor)}"
        f"（{escape(row.contractor_person)}）<br><span style='color: #5f6b7a;'>"
        f"工期 {row.starts_on:%Y-%m-%d} 至 {row.ends_on:%Y-%m-%d}　"
        f"{escape('、'.join(row.scope))}</span>"
    )


class ApplyDialog(SavingDialog):
    """新建申请: the room, applicant, contractor, period, scope and the papers received."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, room: tuple[int, str] | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.renovation_id: int | None = None
        self.ui = ui = Ui_ApplyDialog()
        ui.setupUi(self)
        self.error_label = ui.errorLabel
        self.room = RoomPicker(ctx, ui.roomHost)
        ui.roomLayout.addWidget(self.room)
        ui.roomCaption.setBuddy(self.room)
        ui.applicantCaption.setBuddy(ui.applicantEdit)
        today = qdate(clock.today())
        ui.startEdit.setMinimumDate(today)
        ui.startEdit.setDate(today)
        ui.endEdit.setDate(today.addDays(DEFAULT_DAYS - 1))
        ui.startEdit.dateChanged.connect(lambda _d: self._show_days())
        ui.endEdit.dateChanged.connect(lambda _d: self._show_days())
        self.scope_checks: dict[str, QCheckBox] = {}
        columns = 4
        for index, name in enumerate(SCOPES):
            check = QCheckBox(name, ui.scopeBox)
            ui.scopeGrid.addWidget(check, index // columns, index % columns)
            self.scope_checks[name] = check
        # What the office may not approve, on a row of its own, two columns each: their
        # longer words are read whole.
        row = -(-len(SCOPES) // columns)
        for index, name in enumerate(FORBIDDEN):
            check = QCheckBox(f"{name}（物业不能审批）", ui.scopeBox)
            check.setStyleSheet(f"color: {FORBIDDEN_COLOUR};")
            check.setToolTip(FORBIDDEN[name])
            ui.scopeGrid.addWidget(check, row + index // 2, (index % 2) * 2, 1, 2)
            self.scope_checks[name] = check
        self.document_checks: dict[str, QCheckBox] = {}
        for name in (*REQUIRED_DOCUMENTS, TENANT_DOCUMENT):
            check = QCheckBox(name, ui.documentsBox)
            ui.documentsLayout.addWidget(check)
            self.document_checks[name] = check
        tenant_doc = self.document_checks[TENANT_DOCUMENT]
        tenant_doc.setEnabled(False)
        tenant_doc.setToolTip("申请人是租户时须收取")
        ui.tenantCheck.toggled.connect(tenant_doc.setEnabled)
        settings = renovations.renovation_settings(ctx.db)
        ui.hintLabel.setText(
            f"本小区最长工期 {settings.max_days} 天。允许施工时间：{settings.working_hours}。"
            "资料齐全方可批准。"
        )
        self._show_days()
        self.fields = form_fields(ui.form)
        self.fields.update(
            {
                "装修房屋": self.room,
                "申请人": ui.applicantEdit,
                "计划完工日期": ui.endEdit,
                "装修项目": next(iter(self.scope_checks.values())),
            }
        )
        for name, check in self.document_checks.items():
            self.fields[name] = check
        self.name_buttons(ui.buttonBox, "提交申请")
        self._tab_order()
        if room is not None:
            self.room.set_room(*room)
            ui.applicantEdit.setFocus()
        else:
            self.room.setFocus()

    def _tab_order(self) -> None:
        """Down the form: the room field and the check boxes are made after the form,
        which would put them last."""
        ui = self.ui
        order: list[QWidget] = [
            self.room,
            ui.applicantEdit,
            ui.tenantCheck,
            ui.applicantPhoneEdit,
            ui.contractorEdit,
            ui.licenceEdit,
            ui.personEdit,
            ui.personPhoneEdit,
            ui.startEdit,
            ui.endEdit,
            *self.scope_checks.values(),
            *self.document_checks.values(),
            ui.noteEdit,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _show_days(self) -> None:
        days = self.ui.startEdit.date().daysTo(self.ui.endEdit.date()) + 1
        label = self.ui.daysLabel
        if days <= 0:
            label.setText("早于开工日期")
            label.setStyleSheet(f"color: {FORBIDDEN_COLOUR};")
        else:
            label.setText(f"工期 {days} 天")
            label.setStyleSheet("color: #5f6b7a;")

    def chosen(self) -> RenovationInput:
        ui = self.ui
        if self.room.room_id is None:
            raise ValidationError("装修房屋", ROOM_NEEDED)
        return RenovationInput(
            room_id=self.room.room_id,
            applicant=ui.applicantEdit.text(),
            applicant_phone=ui.applicantPhoneEdit.text(),
            contractor=ui.contractorEdit.text(),
            contractor_person=ui.personEdit.text(),
            contractor_phone=ui.personPhoneEdit.text(),
            starts_on=to_date(ui.startEdit.date()),
            ends_on=to_date(ui.endEdit.date()),
            scope=tuple(n for n, c in self.scope_checks.items() if c.isChecked()),
            documents=tuple(
                n for n, c in self.document_checks.items() if c.isChecked() and c.isEnabled()
            ),
            applicant_is_tenant=ui.tenantCheck.isChecked(),
            licence_no=ui.licenceEdit.text(),
            note=ui.noteEdit.text(),
        )

    def save(self) -> Callable[[], object]:
        ctx, chosen = self.ctx, self.chosen()
        return lambda: renovations.apply(ctx.db, ctx.actor, chosen)

    def saved(self, result: object) -> None:
        assert isinstance(result, int)
        self.renovation_id = result


@dataclass
class ChargeLine:
    fee_item_id: int
    purpose: str
    check: QCheckBox
    quantity: QSpinBox


class ApproveDialog(SavingDialog):
    """批准…: the deposit and fees to bill, offered from the active deposit and one-off
    items with 装修押金 / 装修管理费 / 装修垃圾清运费 ticked."""

    def __init__(self, ctx: AppContext, row: RenovationRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.bills: list[int] = []
        self.ui = ui = Ui_ApproveDialog()
        ui.setupUi(self)
        self.error_label = ui.errorLabel
        self.setWindowTitle(f"批准装修 — {row.number} {row.room_code}")
        ui.summaryLabel.setText(heading(row))
        self.lines: list[ChargeLine] = []
        items = [
            i
            for i in fees.list_fee_items(ctx.db, active_only=True)
            if i.method in (FeeMethod.DEPOSIT, FeeMethod.ONE_OFF)
        ]
        items.sort(key=lambda i: (i.method != FeeMethod.DEPOSIT, "装修" not in i.name))
        for r, item in enumerate(items):
            deposit = item.method == FeeMethod.DEPOSIT
            check = QCheckBox(f"{item.name}（{item.method.label}）", ui.chargesBox)
            check.setChecked(item.name in PRESET_CHARGES)
            spin = QSpinBox(ui.chargesBox)
            spin.setRange(1, 9999)
            spin.setPrefix("数量 ")
            spin.setToolTip("按面积计价的费用填面积（平方米），其他填 1")
            spin.setEnabled(check.isChecked())
            check.toggled.connect(spin.setEnabled)
            ui.chargesGrid.addWidget(check, r, 0)
            ui.chargesGrid.addWidget(spin, r, 1)
            self.lines.append(ChargeLine(item.id, "deposit" if deposit else "fee", check, spin))
        if not items:
            ui.chargesGrid.addWidget(
                QLabel("没有启用的押金或一次性收费项目：请先在“设置 › 收费项目”中添加装修押金。"),
                0,
                0,
            )
        first = next((line.check for line in self.lines if line.purpose == "deposit"), None)
        self.fields = {"审批意见": ui.noteEdit}
        if first is not None:
            self.fields["装修押金"] = first
        if row.documents_missing:
            ui.errorLabel.setText(f"资料不全：缺{'、'.join(row.documents_missing)}，不能批准。")
        self.name_buttons(ui.buttonBox, "批准")

    def charges(self) -> list[ChargeInput]:
        return [
            ChargeInput(line.fee_item_id, line.purpose, line.quantity.value())
            for line in self.lines
            if line.check.isChecked()
        ]

    def save(self) -> Callable[[], object]:
        ctx, rid, charges, note = self.ctx, self.row.id, self.charges(), self.ui.noteEdit.text()
        return lambda: renovations.approve(ctx.db, ctx.actor, rid, charges, note)

    def saved(self, result: object) -> None:
        assert isinstance(result, list)
        self.bills = result


# the one-step actions ----------------------------------------------------------------

NODE, RESULT, DATE, DEADLINE, STOP, NOTE = range(6)


@dataclass(frozen=True)
class Action:
    title: str
    save_text: str
    rows: dict[int, str]  # form row -> its caption (the field the service names)
    hint: str = ""


ACTIONS = {
    "reject": Action("驳回装修申请", "驳回", {NOTE: "驳回原因"}),
    "extend": Action(
        "延期",
        "延期",
        {DATE: "延期至", NOTE: "延期原因"},
        "经批准的延期：许可证和出入证的有效期随之顺延，一次最多 60 天。",
    ),
    "complete": Action(
        "竣工验收",
        "验收合格",
        {DATE: "验收日期", NOTE: "验收意见"},
        "各节点均已验收合格、违规均已整改完毕方可竣工验收；之后到收费页退还押金。",
    ),
    "inspect": Action(
        "节点验收",
        "保存验收",
        {
            NODE: "验收节点",
            RESULT: "验收结果",
            DATE: "验收日期",
            DEADLINE: "整改期限",
            NOTE: "验收意见",
        },
        "不合格时写明问题并给出整改期限，整改后再次验收。",
    ),
    "violation": Action(
        "登记违规",
        "登记违规",
        {DATE: "发现日期", DEADLINE: "整改期限", STOP: "停工", NOTE: "违规情况"},
        "如：超时施工、破坏承重结构、外立面改动、建筑垃圾乱堆放、未持证工人进场。",
    ),
    "resolve": Action("整改完毕", "整改完毕", {DATE: "整改日期", NOTE: "整改结果"}),
}
RECTIFY_DAYS = 7
FORM_KEY = re.compile(r"\(&\w\)$")  # 日期(&D): the caption's key, kept when it is reworded


class ActionDialog(SavingDialog):
    """One step with a date and a note: which rows show depends on the action."""

    def __init__(
        self,
        ctx: AppContext,
        row: RenovationRow,
        kind: str,
        parent: QWidget | None = None,
        violation: tuple[int, str, date] | None = None,  # id, description, found on
    ) -> None:
        super().__init__(parent)
        self.ctx, self.row, self.kind, self.violation = ctx, row, kind, violation
        self.action = action = ACTIONS[kind]
        self.ui = ui = Ui_ActionDialog()
        ui.setupUi(self)
        self.error_label = ui.errorLabel
        self.setWindowTitle(f"{action.title} — {row.number} {row.room_code}")
        summary = heading(row)
        if violation is not None:
            summary += f"<br>违规（{violation[2]:%Y-%m-%d}）：{escape(violation[1])}"
        ui.summaryLabel.setText(summary)
        captions = {
            NODE: ui.nodeCaption,
            RESULT: ui.resultCaption,
            DATE: ui.dateCaption,
            DEADLINE: ui.deadlineCaption,
            STOP: ui.stopCaption,
            NOTE: ui.noteCaption,
        }
        for index, caption in captions.items():
            ui.form.setRowVisible(index, index in action.rows)
            if index in action.rows:
                # the action's word for the row, with the key the form gave it
                key = FORM_KEY.search(caption.text())
                caption.setText(action.rows[index] + (key.group(0) if key else ""))
        today = qdate(clock.today())
        ui.dateEdit.setDate(today)
        ui.deadlineEdit.setDate(today.addDays(RECTIFY_DAYS))
        if kind == "extend":
            self._extension_defaults(row)
        for node in required_nodes(row.scope):
            ui.nodeCombo.addItem(node.label, node.value)
        due = [n for n in required_nodes(row.scope) if n.label in row.nodes_due]
        if due:
            ui.nodeCombo.setCurrentIndex(ui.nodeCombo.findData(due[0].value))
        ui.passedRadio.toggled.connect(lambda _on: self._show_deadline())
        self._show_deadline()
        ui.hintLabel.setText(self.action.hint)
        ui.hintLabel.setVisible(bool(self.action.hint))
        self.fields = form_fields(ui.form)
        self.name_buttons(ui.buttonBox, self.action.save_text)
        (ui.nodeCombo if NODE in action.rows else ui.noteEdit).setFocus()

    def _extension_defaults(self, row: RenovationRow) -> None:
        """A supervisor sees the request waiting; anyone else files one."""
        ui = self.ui
        ui.dateEdit.setDate(qdate(row.ends_on).addDays(30))
        if not self.ctx.can(Permission.APPROVE_RENOVATIONS):
            self.setWindowTitle(f"申请延期 — {row.number} {row.room_code}")
            hint = "延期申请提交后由主管审批；批准前许可证仍按原完工日期有效。"
            self.action = Action("申请延期", "提交申请", self.action.rows, hint)
        elif row.pending_end is not None:
            ui.dateEdit.setDate(qdate(row.pending_end))
            ui.noteEdit.setPlainText(row.pending_reason)
            self.setWindowTitle(f"批准延期 — {row.number} {row.room_code}")
            self.action = Action(
                "批准延期", "批准延期", self.action.rows, "已有待审批的延期申请，核对后批准。"
            )

    def _show_deadline(self) -> None:
        if self.kind == "inspect":
            self.ui.form.setRowVisible(DEADLINE, self.ui.failedRadio.isChecked())

    def save(self) -> Callable[[], object]:
        ui, ctx, rid = self.ui, self.ctx, self.row.id
        on = to_date(ui.dateEdit.date())
        deadline = to_date(ui.deadlineEdit.date())
        note = ui.noteEdit.toPlainText()
        node, passed = Node(ui.nodeCombo.currentData()), ui.passedRadio.isChecked()
        stop_work, violation = ui.stopCheck.isChecked(), self.violation[0] if self.violation else 0
        calls: dict[str, Callable[[], object]] = {
            "reject": lambda: renovations.reject(ctx.db, ctx.actor, rid, note),
            "extend": lambda: (
                renovations.extend(ctx.db, ctx.actor, rid, on, note)
                if ctx.can(Permission.APPROVE_RENOVATIONS)
                else renovations.request_extension(ctx.db, ctx.actor, rid, on, note)
            ),
            "complete": lambda: renovations.complete(ctx.db, ctx.actor, rid, on, note),
            "inspect": lambda: renovation_site.record_inspection(
                ctx.db,
                ctx.actor,
                rid,
                node,
                on,
                passed,
                note,
                None if passed else deadline,
            ),
            "violation": lambda: renovation_site.record_violation(
                ctx.db, ctx.actor, rid, on, note, deadline, stop_work=stop_work
            ),
            "resolve": lambda: renovation_site.resolve_violation(
                ctx.db, ctx.actor, violation, on, note
            ),
        }
        return calls[self.kind]


class WorkerDialog(SavingDialog):
    """添加工人…: a worker and their pass (出入证)."""

    def __init__(self, ctx: AppContext, row: RenovationRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.worker_id: int | None = None
        self.ui = ui = Ui_WorkerDialog()
        ui.setupUi(self)
        self.error_label = ui.errorLabel
        self.setWindowTitle(f"添加工人 — {row.number} {row.room_code}")
        ui.summaryLabel.setText(f"{row.contractor}　出入证有效期至 {row.ends_on:%Y-%m-%d}")
        ui.tradeCombo.addItems(list(TRADES))
        self._fee_items()
        self.fields = form_fields(ui.form)
        self.name_buttons(ui.buttonBox, "发出入证")
        ui.nameEdit.setFocus()

    def _fee_items(self) -> None:
        """The 工本费 and pass deposit go on the room's account for the cashier; the
        office picks its items (one-off for the fee, a deposit item for the deposit)."""
        ui = self.ui
        items = fees.list_fee_items(self.ctx.db, active_only=True)
        for combo, method, guess in (
            (ui.feeCombo, FeeMethod.ONE_OFF, "出入证"),
            (ui.depositCombo, FeeMethod.DEPOSIT, "出入证"),
        ):
            combo.addItem("不收", None)
            for item in (i for i in items if i.method == method):
                combo.addItem(item.name, item.id)
                if guess in item.name:
                    combo.setCurrentIndex(combo.count() - 1)

    def save(self) -> Callable[[], object]:
        ui, ctx, rid = self.ui, self.ctx, self.row.id
        worker = WorkerInput(
            ui.nameEdit.text(),
            ui.phoneEdit.text(),
            ui.tradeCombo.currentText(),
            ui.idNumberEdit.text(),
        )
        fee_item, deposit_item = ui.feeCombo.currentData(), ui.depositCombo.currentData()
        return lambda: renovation_site.add_worker(
            ctx.db,
            ctx.actor,
            rid,
            worker,
            pass_fee_item=fee_item,
            pass_deposit_item=deposit_item,
        )

    def saved(self, result: object) -> None:
        assert isinstance(result, int)
        self.worker_id = result
