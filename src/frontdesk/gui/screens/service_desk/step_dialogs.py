"""The steps of an order the desk records, each a small dialog: 派单 and 转单 (a person
on duty or a team), a step with its reason (退单, 暂停, 恢复, 关闭, 重新打开), 完工
(work done, materials) and 回访 (three scores, the owner's words, or 未接通).

Each runs its service call through `Op`: a refusal (finish before arrival, a complaint
closed without a callback) shows in Chinese under the form, the cursor in the field
it names; the dialog closes once the step is saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.service_desk import SCORE_ASPECTS, SCORE_LABELS, Team
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.forms import Choices, form_fields
from frontdesk.services import service_desk
from frontdesk.services.service_desk import CallbackInput, OrderRow


class StepDialog(QDialog):
    """A heading naming the order, a form, the error line and the buttons; `run`
    saves through the service, `result` holds what it returned."""

    def __init__(self, ctx: AppContext, row: OrderRow, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.result_value: Any = None
        self._walked: list[QWidget] = []
        self.setWindowTitle(f"{title} {row.number}")
        self.setMinimumWidth(460)
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(f"{row.number}　{row.kind.label}·{row.category}　{row.where}")
        heading.setWordWrap(True)
        self.layout_.addWidget(heading)
        description = QLabel(row.description)
        description.setWordWrap(True)
        description.setStyleSheet("color: #555;")
        self.layout_.addWidget(description)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(title, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error_label)
        self.layout_.addWidget(self.buttons)
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = label.widget() if label is not None else None
            buddy = field.widget() if field is not None else None
            if isinstance(widget, QLabel) and buddy is not None:
                widget.setBuddy(buddy)

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


def reason_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit


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
        super().__init__(ctx, row, "转单" if transfer else "派单", parent)
        people = service_desk.staff(ctx.db, on_duty_only=True)
        self.staff_combo = QComboBox()
        self.people: Choices[int | None] = Choices(
            self.staff_combo,
            [("0 （不指定人，派给班组）", None)]
            + [(f"{n} {p.name}（{p.team.label}）", p.id) for n, p in enumerate(people, 1)],
            None,
        )
        self.team_combo = QComboBox()
        self.teams: Choices[Team | None] = Choices(
            self.team_combo,
            [("（随处理人）", None)] + [(t.label, t) for t in Team],
            None,
        )
        self.staff_combo.currentIndexChanged.connect(lambda _i: self._person_changed())
        self.note_edit = reason_edit("转给他人的原因" if transfer else "可空")
        self.form.addRow("处理人(&W)：", self.staff_combo)
        self.form.addRow("班组(&T)：", self.team_combo)
        self.form.addRow("转单原因(&R)：" if transfer else "派单说明(&R)：", self.note_edit)
        if not people:
            self.form.addRow("", QLabel("当前没有在岗人员，可派给班组。"))
        self.finish_layout()
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
        super().__init__(ctx, row, title, parent)
        self.call = call
        if explanation:
            note = QLabel(explanation)
            note.setWordWrap(True)
            self.layout_.addWidget(note)
        self.reason_edit = reason_edit(placeholder)
        self.form.addRow(f"{field}(&R)：", self.reason_edit)
        self.finish_layout()
        self.walk([self.reason_edit])

    def save(self) -> None:
        call, reason = self.call, self.reason_edit.text()
        self.run(lambda: call(reason))


class FinishDialog(StepDialog):
    """完工: what was done (for a complaint or an enquiry, the reply given) and the
    materials used."""

    def __init__(self, ctx: AppContext, row: OrderRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, row, "完工", parent)
        self.work_edit = reason_edit("如 更换水龙头阀芯，已试水无渗漏")
        self.materials_edit = reason_edit("如 阀芯 1 个、生料带 1 卷（可空）")
        self.form.addRow("处理结果(&W)：", self.work_edit)
        self.form.addRow("使用材料(&M)：", self.materials_edit)
        self.finish_layout()
        self.walk([self.work_edit, self.materials_edit])

    def save(self) -> None:
        ctx, order_id = self.ctx, self.row.id
        work, materials = self.work_edit.text(), self.materials_edit.text()
        self.run(lambda: service_desk.finish(ctx.db, ctx.actor, order_id, work, materials))


def score_combo() -> tuple[QComboBox, Choices[int]]:
    """5 非常满意 … 1 很不满意; typing the digit picks the score."""
    combo = QComboBox()
    entries = [(f"{score} {SCORE_LABELS[score]}", score) for score in (5, 4, 3, 2, 1)]
    return combo, Choices(combo, entries, 5)


class CallbackDialog(StepDialog):
    """回访: the three scores and the owner's words (an unsatisfied owner's order goes
    back to the desk), or 未接通 — a failed attempt, counted."""

    def __init__(self, ctx: AppContext, row: OrderRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, row, "回访", parent)
        self.scores: list[Choices[int]] = []
        self.score_combos: list[QComboBox] = []
        for letter, aspect in zip("QZA", SCORE_ASPECTS, strict=True):
            combo, choices = score_combo()
            self.scores.append(choices)
            self.score_combos.append(combo)
            self.form.addRow(f"{aspect}(&{letter})：", combo)
        self.words_edit = reason_edit("业主的原话（可空）")
        self.form.addRow("业主意见(&Y)：", self.words_edit)
        tried = f"（已尝试 {row.failed_callbacks} 次未接通）" if row.failed_callbacks else ""
        self.failed_button = QPushButton(f"未接通(&F){tried}")
        self.failed_button.setAutoDefault(False)
        self.failed_button.clicked.connect(self.failed)
        self.buttons.addButton(self.failed_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.ok_button.setText("保存回访(&S)")
        self.finish_layout()
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
