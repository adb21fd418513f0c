"""Form helpers every screen shares: combo entries with their Python values, field
widgets by their label, and putting the cursor on the field a ValidationError names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Generic, TypeVar

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from frontdesk.errors import ValidationError

T = TypeVar("T")
_MNEMONIC = re.compile(r"\(&.\)")


class Choices(Generic[T]):
    """A combo box's entries and the values behind them (Qt hands StrEnum data back as str)."""

    def __init__(self, combo: QComboBox, entries: Sequence[tuple[str, T]], selected: T) -> None:
        self.combo = combo
        self.values = [value for _label, value in entries]
        for label, _value in entries:
            combo.addItem(label)
        self.select(selected)

    def select(self, value: T) -> None:
        if value in self.values:
            self.combo.setCurrentIndex(self.values.index(value))

    def value(self) -> T:
        return self.values[max(self.combo.currentIndex(), 0)]


def form_fields(form: QFormLayout) -> dict[str, QWidget]:
    """Field widgets by their label without the shortcut: {"证件号码": idNumberEdit, ...}.

    Labels are worded like the fields the services name in their ValidationErrors.
    """
    found: dict[str, QWidget] = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is None or field is None:
            continue
        label_widget, field_widget = label.widget(), field.widget()
        if isinstance(label_widget, QLabel) and field_widget is not None:
            found[_MNEMONIC.sub("", label_widget.text())] = field_widget
    return found


def focus_field(widget: QWidget) -> None:
    """Put the cursor in a field with its text selected, ready to be typed over."""
    widget.setFocus()
    if isinstance(widget, QComboBox) and widget.isEditable():
        line = widget.lineEdit()
        if line is not None:
            line.selectAll()
    elif isinstance(widget, QLineEdit | QAbstractSpinBox | QPlainTextEdit):
        widget.selectAll()


def show_problem(error_label: QLabel, fields: dict[str, QWidget], exc: ValidationError) -> None:
    """The message under the form (it names the field) and the cursor in that field."""
    error_label.setText(exc.message)
    field = fields.get(exc.field)
    if field is not None and not field.isHidden():
        focus_field(field)
