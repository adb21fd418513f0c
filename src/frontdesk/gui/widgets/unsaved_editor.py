"""An editor that shows one thing at a time beside its list (a notice template, a
handbook section) and keeps what was typed until it is saved or let go: the editor
says 有未保存的修改 while it differs from what is stored, and showing something else
first asks 保存 / 放弃修改 / 取消."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from frontdesk.gui.messages import Unsaved
from frontdesk.gui.widgets.colours import EDITED


class UnsavedEditor(QWidget):
    """A subclass says whether its editor differs from what is stored (`dirty`), asks
    about it naming the thing edited (`ask_about_edits`: messages.ask_unsaved with
    模板「物业通知」), and saves it (`save_edits`, False when refused)."""

    def dirty(self) -> bool:
        raise NotImplementedError

    def ask_about_edits(self) -> Unsaved:
        raise NotImplementedError

    def save_edits(self) -> bool:
        raise NotImplementedError

    def show_dirty(self, label: QLabel) -> None:
        """有未保存的修改 in `label` while the editor differs from what is stored."""
        if self.dirty():
            label.setText("有未保存的修改")
            label.setStyleSheet(f"color: {EDITED};")
        else:
            label.clear()

    def leave_ok(self) -> bool:
        """True when the editor may show something else: nothing unsaved, or the
        user saved or discarded it."""
        if not self.dirty():
            return True
        answer = self.ask_about_edits()
        if answer is Unsaved.SAVE:
            return self.save_edits()
        return answer is Unsaved.DISCARD
