"""The dialog that saves while it is open: OK runs `save()`; a ValidationError is
explained (it names the field) and the cursor goes to that field, any other refusal
is explained, and the dialog stays open with nothing saved, so the clerk corrects
and tries again instead of typing everything twice."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from frontdesk.errors import FrontDeskError, ValidationError
from frontdesk.gui.messages import show_error
from frontdesk.gui.widgets.forms import focus_field


class SavingDialog(QDialog):
    """A subclass sets up its form, names its `fields` by the labels the services use,
    calls `name_buttons()`, and implements `save()`. The problem goes under the form
    when the dialog has an `error_label`, otherwise in a message box titled
    `problem_title`."""

    fields: dict[str, QWidget]
    error_label: QLabel | None = None
    problem_title = "无法保存"
    saved_id: int | None = None

    def save(self) -> int | None:
        """Do the work; the id of what was saved, when there is one."""
        raise NotImplementedError

    def name_buttons(self, box: QDialogButtonBox, save_text: str = "保存") -> None:
        """The box's Save (or OK) button says `save_text` and saves; Cancel says 取消."""
        save = box.button(QDialogButtonBox.StandardButton.Save) or box.button(
            QDialogButtonBox.StandardButton.Ok
        )
        cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
        if save is not None:
            save.setText(save_text)
        if cancel is not None:
            cancel.setText("取消")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)

    def accept(self) -> None:
        try:
            self.saved_id = self.save()
        except ValidationError as exc:
            self._say_problem(exc)
            field = self.fields.get(exc.field)
            if field is not None and field.isEnabled():
                focus_field(field)
            return
        except FrontDeskError as exc:
            self._say_problem(exc)
            return
        super().accept()

    def _say_problem(self, exc: FrontDeskError) -> None:
        if self.error_label is not None:
            self.error_label.setText(exc.message)
        else:
            show_error(self, exc, self.problem_title)
