"""The steps of an order the desk records, each a small dialog from its form in
ui/service_desk/: 派单 and 转单 (a person on duty or a team), a step with its reason
(退单, 暂停, 恢复, 关闭, 重新打开), 完工 (work done, materials), 回访 (three scores, the
owner's words, or 未接通), and for complaints 答复 (the reply, who gave it) and 督办
(a supervisor's note on an overdue complaint, a new person or deadline).

Each runs its service call through `Op`: a refusal (finish before arrival, a complaint
closed without a callback) shows in Chinese under the form, the cursor in the field
it names; the dialog closes once the step is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.service_desk import SCORE_ASPECTS, SCORE_LABELS, Kind, Team, duration_text
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.service_desk_assign_dialog_ui import Ui_AssignDialog
from frontdesk.gui.forms.service_desk_callback_dialog_ui import Ui_CallbackDialog
from frontdesk.gui.forms.service_desk_finish_dialog_ui import Ui_FinishDialog
from frontdesk.gui.forms.service_desk_reason_dialog_ui import Ui_ReasonDialog
from frontdesk.gui.forms.service_desk_reply_dialog_ui import Ui_ReplyDialog
from frontdesk.gui.forms.service_desk_supervise_dialog_ui import Ui_SuperviseDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.service_desk.complaint_fields import parse_deadline
from frontdesk.gui.widgets.forms import Choices, form_fields
from frontdesk.services import service_desk
from frontdesk.services.service_desk import CallbackInput, EscalationRow, OrderRow, Supervision


class StepForm(Protocol):
    """What every step's form has: the order's heading, its description, the form,
    the error line and the buttons (named as Designer names them)."""

    headingLabel: QLabel  # noqa: N815
    descriptionLabel: QLabel  # noqa: N815
    form: QFormLayout
    errorLabel: QLabel  # noqa: N815
    buttonBox: QDialogButtonBox  # noqa: N815

    def setupUi(self, dialog: QDialog) -> None: ...


class StepDialog(QDialog):
    """A step's form under a heading naming the order; `run` saves through the
    service, `result_value` holds what it returned."""

    def __init__(
        self,
        ctx: AppContext,
        row: OrderRow,
        title: str,
        form: StepForm,
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.result_value: Any = None
        self._walked: list[QWidget] = []
        form.setupUi(self)
        self.setWindowTitle(f"{title} {row.number}")
        form.headingLabel.setText(f"{row.number}　{row.kind.label}·{row.category}　{row.where}")
        form.descriptionLabel.setText(row.description)
        self.form = form.form
        self.error_label = form.errorLabel
        self.buttons = form.buttonBox
        self.ok_button = self.buttons.addButton(title, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)

    def walk(self, fields: list[QWidget]) -> None:
        """Enter in a field goes on to the next; in the last one it saves (a digit
        picks an entry of a list, so the whole step is done by keyboard)."""
        self._walked = fields
        for field in fields:
            field.installEventFilter(self)
        fields[0].setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched in self._walked:
            key = cast(QKeyEvent, event)
            plain = not key.modifiers() & Qt.KeyboardModifier.ControlModifier
            if key.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
                at = self._walked.index(watched)
                if at == len(self._walked) - 1:
                    self.save()
                else:
                    self._walked[at + 1].setFocus()
                return True
        return super().eventFilter(watched, event)

    def save(self) -> None:
        """Each step's dialog saves through its service call with `run`."""
        raise NotImplementedError(type(self).__name__)

    def run(self, call: Callable[[], object], extra: dict[str, QWidget] | None = None) -> None:
        fields = form_fields(self.form) | (extra or {})
        Op(self, self.ctx.tasks, call, title=f"无法{self.windowTitle().split()[0]}").fields(
            fields
        ).inline(self.error_label, every_message=True).success(self._done).run()

    def _done(self, result: object) -> None:
        self.result_value = result
        self.accept()


def staff_choices(ctx: AppContext, combo: QComboBox, nobody: str) -> Choices[int | None]:
    """The people on duty, numbered (a digit picks), after `0 nobody`."""
    people = service_desk.staff(ctx.db, on_duty_only=True)
    return Choices(
        combo,
        [(f"0 {nobody}", None)]
        + [(f"{n} {p.name}（{p.team.label}）", p.id) for n, p in enumerate(people, 1)],
        None,
    )


def team_choices(combo: QComboBox, nobody: str) -> Choices[Team | None]:
    return Choices(combo, [(nobody, None)] + [(t.label, t) for t in Team], None)


class AssignDialog(StepDialog):
    """派单 (`transfer` False) or 转单 with its reason: to a person on duty, whose team
    goes with him, or to a team as a whole. The people are numbered: a digit picks."""

    def __init__(
        self,
        ctx: AppContext,
        row: OrderRow,
        *,
        transfer: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        self.transfer = transfer
        self.ui = ui = Ui_AssignDialog()
        super().__init__(ctx, row, "转单" if transfer else "派单", ui, parent)
        self.staff_combo, self.team_combo, self.note_edit = ui.staffCombo, ui.teamCombo, ui.noteEdit
        self.people = staff_choices(ctx, self.staff_combo, "（不指定人，派给班组）")
        self.teams = team_choices(self.team_combo, "（随处理人）")
        self.staff_combo.currentIndexChanged.connect(lambda _i: self._person_changed())
        self.note_edit.setPlaceholderText("转给他人的原因" if transfer else "可空")
        ui.noteCaption.setText("转单原因(&R)：" if transfer else "派单说明(&R)：")
        ui.noStaffLabel.setVisible(len(self.people.values) == 1)
        self._person_changed()
        self.walk([self.staff_combo, self.team_combo, self.note_edit])

    def _person_changed(self) -> None:
        chosen = self.people.value() is not None
        if chosen:
            self.teams.select(None)
        self.team_combo.setEnabled(not chosen)

    def save(self) -> None:
        ctx, order_id = self.ctx, self.row.id
        staff_id, team, note = self.people.value(), self.teams.value(), self.note_edit.text()
        if self.transfer:
            self.run(
                lambda: service_desk.transfer(
                    ctx.db, ctx.actor, order_id, note, staff_id=staff_id, team=team
                ),
                {"派给": self.staff_combo},
            )
        else:
            self.run(
                lambda: service_desk.dispatch(
                    ctx.db, ctx.actor, order_id, staff_id=staff_id, team=team, note=note
                ),
                {"派给": self.staff_combo},
            )


class ReasonDialog(StepDialog):
    """A step that says why (or may add a note): `call(reason)` saves it."""

    def __init__(
        self,
        ctx: AppContext,
        row: OrderRow,
        title: str,
        field: str,
        call: Callable[[str], object],
        *,
        placeholder: str = "",
        explanation: str = "",
        parent: QWidget | None = None,
    ) -> None:
        self.ui = ui = Ui_ReasonDialog()
        super().__init__(ctx, row, title, ui, parent)
        self.call = call
        ui.explanationLabel.setText(explanation)
        ui.explanationLabel.setVisible(bool(explanation))
        ui.reasonCaption.setText(f"{field}(&R)：")
        self.reason_edit = ui.reasonEdit
        self.reason_edit.setPlaceholderText(placeholder)
        self.walk([self.reason_edit])

    def save(self) -> None:
        call, reason = self.call, self.reason_edit.text()
        self.run(lambda: call(reason))


class FinishDialog(StepDialog):
    """完工: what was done (for an enquiry, the reply given) and the materials used."""

    def __init__(self, ctx: AppContext, row: OrderRow, parent: QWidget | None = None) -> None:
        self.ui = ui = Ui_FinishDialog()
        super().__init__(ctx, row, "完工", ui, parent)
        self.work_edit, self.materials_edit = ui.workEdit, ui.materialsEdit
        self.walk([self.work_edit, self.materials_edit])

    def save(self) -> None:
        ctx, order_id = self.ctx, self.row.id
        work, materials = self.work_edit.text(), self.materials_edit.text()
        self.run(lambda: service_desk.finish(ctx.db, ctx.actor, order_id, work, materials))


class ReplyDialog(StepDialog):
    """答复 of a complaint: the reply given to the complainant and who gave it (the
    responsible person unless another is named); the complaint is then owed its
    callback (an anonymous one none)."""

    def __init__(self, ctx: AppContext, row: OrderRow, parent: QWidget | None = None) -> None:
        self.ui = ui = Ui_ReplyDialog()
        super().__init__(ctx, row, "答复", ui, parent)
        self.reply_edit, self.replied_by_edit = ui.replyEdit, ui.repliedByEdit
        ui.deadlineLabel.setText(deadline_text(row))
        if row.staff:
            self.replied_by_edit.setPlaceholderText(f"空：责任人 {row.staff}")
        self.walk([self.reply_edit, self.replied_by_edit])

    def save(self) -> None:
        ctx, order_id = self.ctx, self.row.id
        text, by = self.reply_edit.text(), self.replied_by_edit.text()
        self.run(lambda: service_desk.reply(ctx.db, ctx.actor, order_id, text, replied_by=by))


def finish_dialog(ctx: AppContext, row: OrderRow, parent: QWidget | None = None) -> StepDialog:
    """The step that ends the work: a complaint's 答复, any other order's 完工."""
    if row.kind == Kind.COMPLAINT:
        return ReplyDialog(ctx, row, parent)
    return FinishDialog(ctx, row, parent)


def deadline_text(row: OrderRow) -> str:
    """处理期限 11-26 18:00（剩 2 小时 05 分）, or how late it is."""
    if row.paused or row.due_at is None or row.remaining is None:
        return "处理期限：计时已暂停" if row.paused else ""
    due = clock.local_time(row.due_at, seconds=False)
    if row.remaining.total_seconds() < 0:
        return f"处理期限 {due}（已超时 {duration_text(row.remaining)}）"
    return f"处理期限 {due}（剩 {duration_text(row.remaining)}）"


class SuperviseDialog(StepDialog):
    """督办 of an overdue complaint (supervisors): the note, and if chosen a new
    responsible person or department and a new deadline with its reason."""

    def __init__(
        self, ctx: AppContext, escalation: EscalationRow, parent: QWidget | None = None
    ) -> None:
        self.ui = ui = Ui_SuperviseDialog()
        super().__init__(ctx, escalation.row, "督办", ui, parent)
        late = duration_text(escalation.late_by)
        handler = escalation.row.staff or (
            escalation.row.team.label if escalation.row.team else "未指派"
        )
        ui.deadlineLabel.setText(
            f"处理期限 {clock.local_time(escalation.deadline, seconds=False)}，"
            f"已超时 {late}；责任人 {handler}"
        )
        self.note_edit, self.deadline_edit, self.reason_edit = (
            ui.noteEdit,
            ui.deadlineEdit,
            ui.reasonEdit,
        )
        self.people = staff_choices(ctx, ui.staffCombo, "（不改派）")
        self.teams = team_choices(ui.teamCombo, "（不改派）")
        ui.staffCombo.currentIndexChanged.connect(lambda _i: self._person_changed())
        self.walk(
            [self.note_edit, ui.staffCombo, ui.teamCombo, self.deadline_edit, self.reason_edit]
        )

    def _person_changed(self) -> None:
        chosen = self.people.value() is not None
        if chosen:
            self.teams.select(None)
        self.ui.teamCombo.setEnabled(not chosen)

    def supervision(self) -> Supervision:
        return Supervision(
            self.note_edit.text(),
            staff_id=self.people.value(),
            team=self.teams.value(),
            deadline=parse_deadline(self.deadline_edit.text()),
            deadline_reason=self.reason_edit.text(),
        )

    def save(self) -> None:
        ctx, order_id = self.ctx, self.row.id
        extra: dict[str, QWidget] = {
            "处理期限": self.deadline_edit,
            "处理人": self.ui.staffCombo,
            "班组": self.ui.teamCombo,
        }
        Op(
            self,
            ctx.tasks,
            lambda handling: service_desk.supervise(ctx.db, ctx.actor, order_id, handling),
            given=self.supervision,
            title="无法督办",
        ).fields(form_fields(self.form) | extra).inline(
            self.error_label, every_message=True
        ).success(self._done).run()


class CallbackDialog(StepDialog):
    """回访: the three scores and the owner's words (an unsatisfied owner's order goes
    back to the desk), or 未接通 — a failed attempt, counted. A digit picks a score."""

    def __init__(self, ctx: AppContext, row: OrderRow, parent: QWidget | None = None) -> None:
        self.ui = ui = Ui_CallbackDialog()
        super().__init__(ctx, row, "回访", ui, parent)
        self.score_combos: list[QComboBox] = [ui.speedCombo, ui.qualityCombo, ui.attitudeCombo]
        entries = [(f"{score} {SCORE_LABELS[score]}", score) for score in (5, 4, 3, 2, 1)]
        self.scores = [Choices(combo, entries, 5) for combo in self.score_combos]
        assert len(self.scores) == len(SCORE_ASPECTS)
        self.words_edit = ui.wordsEdit
        tried = f"（已尝试 {row.failed_callbacks} 次未接通）" if row.failed_callbacks else ""
        self.failed_button = QPushButton(f"未接通(&F){tried}")
        self.failed_button.setAutoDefault(False)
        self.failed_button.clicked.connect(self.failed)
        self.buttons.addButton(self.failed_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.ok_button.setText("保存回访(&S)")
        self.walk([*self.score_combos, self.words_edit])
        self.failed_attempt = False

    def callback_input(self) -> CallbackInput:
        speed, quality, attitude = (choices.value() for choices in self.scores)
        return CallbackInput(speed, quality, attitude, self.words_edit.text())

    def save(self) -> None:
        ctx, order_id, data = self.ctx, self.row.id, self.callback_input()
        self.failed_attempt = False
        self.run(lambda: service_desk.callback(ctx.db, ctx.actor, order_id, data))

    def failed(self) -> None:
        ctx, order_id, note = self.ctx, self.row.id, self.words_edit.text()
        self.failed_attempt = True
        self.run(lambda: service_desk.callback_failed(ctx.db, ctx.actor, order_id, note))
