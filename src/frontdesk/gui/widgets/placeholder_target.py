"""Where 插入占位符 puts a {名称}: of the edits a wording is written in (title, body,
closing), the one that last had the cursor. Notice templates, the owner handbook and
the reminder wording all insert this way."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

Edit = QLineEdit | QPlainTextEdit


class PlaceholderTarget(QObject):
    def __init__(self, default: Edit, *others: Edit) -> None:
        super().__init__(default)
        self.edit: Edit = default
        for edit in (default, *others):
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit | QPlainTextEdit):
            self.edit = watched
        return False

    def insert(self, name: str) -> None:
        """`{name}` at the cursor of the edit that had it last, which gets it back."""
        text = f"{{{name}}}"
        if isinstance(self.edit, QLineEdit):
            self.edit.insert(text)
        else:
            self.edit.insertPlainText(text)
        self.edit.setFocus()
