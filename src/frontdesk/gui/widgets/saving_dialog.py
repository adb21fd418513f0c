"""The dialog that saves while it is open: OK reads the form and saves it through the
Op helper; a ValidationError is explained (it names the field) and the cursor goes to
that field, any other refusal is explained, and the dialog stays open with nothing
saved, so the clerk corrects and tries again instead of typing everything twice."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op


class SavingDialog(QDialog):
    """A subclass sets `ctx` and its form, names its `fields` by the labels the services
    use, calls `name_buttons()`, and implements `save()` (and `saved()` when it needs
    the result). The problem goes under the form when the dialog has an `error_label`,
    otherwise in a message box titled `problem_title`."""

    ctx: AppContext
    fields: dict[str, QWidget]
    error_label: QLabel | None = None
    problem_title = "无法保存"
    saved_id: int | None = None

    def save(self) -> Callable[[], object]:
        """Read the form (GUI thread; a ValidationError names the field); the call
        returned does the saving (worker thread)."""
        raise NotImplementedError

    def saved(self, result: object) -> None:
        """What the call returned, back on the GUI thread, before the dialog closes."""

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
        op = Op(self, self.ctx.tasks, _call, given=self.save, title=self.problem_title)
        op = op.fields(self.fields)
        if self.error_label is not None:
            op = op.inline(self.error_label, every_message=True)
        op.success(self._saved).run()

    def _saved(self, result: object) -> None:
        if isinstance(result, int) and not isinstance(result, bool):
            self.saved_id = result
        self.saved(result)
        super().accept()


def _call(call: Callable[[], object]) -> object:
    return call()
