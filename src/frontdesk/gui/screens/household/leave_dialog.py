"""迁出: a person leaves the household (moves out, tenancy ends, the flat is sold).

People are never deleted from a household file at the counter; this dialog records the
day they left and why, and they stay in the file's history, shown greyed under the
current members."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.screens.household.dates import date_text, parse_date
from frontdesk.services.households import file as households
from frontdesk.services.households.file import HouseholdFile, PersonRow


class LeaveDialog(QDialog):
    def __init__(
        self, ctx: AppContext, file: HouseholdFile, row: PersonRow, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.setWindowTitle("迁出")
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        heading = QLabel(f"{file.room.code}　{row.kind.label}「{row.name}」迁出")
        layout.addWidget(heading)
        form = QFormLayout()
        self.date_edit = QLineEdit(date_text(clock.today()))
        self.date_edit.setPlaceholderText("如 2026-11-30")
        form.addRow("迁出日期：", self.date_edit)
        self.reason_combo = QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(households.LEFT_REASONS)
        if row.kind == PersonKind.TENANT:
            self.reason_combo.setCurrentText("租期结束")
        form.addRow("原因：", self.reason_combo)
        layout.addLayout(form)
        note = QLabel("迁出后该人员留在本户档案的历史中（灰色显示），不会删除。")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText("迁出")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def accept(self) -> None:
        ctx, person_id = self.ctx, self.row.id
        Op(
            self,
            ctx.tasks,
            lambda left: households.end_person(ctx.db, ctx.actor, person_id, *left),
            given=self.leaving,
            title="无法迁出",
        ).fields({"迁出日期": self.date_edit, "迁出原因": self.reason_combo}).inline(
            self.error_label
        ).success(self._left).run()

    def _left(self, _result: object) -> None:
        super().accept()

    def leaving(self) -> tuple[date, str]:
        left_on = parse_date(self.date_edit.text(), "迁出日期")
        if left_on is None:
            raise ValidationError("迁出日期", "不能为空")
        return left_on, self.reason_combo.currentText()
