"""The fields where money is typed: an amount shows yuan and hands back integer fen;
a unit price (PriceEdit) keeps four decimals.

What the clerk typed stays visible as typed (a slip is corrected, not thrown away);
`fen()` reads it, and a bad amount is a ValidationError naming the field, so every
screen words the problem the same way and the cursor can be put in that field.
Forms promote their QLineEdit to this class in Designer (header
`frontdesk.gui.widgets.money_edit`); the screen then names the field.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from frontdesk.domain.money import (
    MoneyFormatError,
    format_yuan,
    parse_unit_price,
    parse_yuan,
    typed_fen,
)
from frontdesk.errors import ValidationError


class MoneyEdit(QLineEdit):
    """An amount in yuan; blank is zero. `field` is the label a ValidationError names;
    `problem`, when set, replaces the standard wording of text that is not money."""

    def __init__(self, parent: QWidget | None = None, field: str = "金额") -> None:
        super().__init__(parent)
        self.field = field
        self.problem: str | None = None

    def fen(self) -> int:
        """The amount typed, in fen: 0 when blank; ValidationError when it is not money
        or is negative."""
        text = self.text().strip()
        if self.problem is not None and text:
            try:
                parse_yuan(text)
            except MoneyFormatError:
                raise ValidationError(self.field, self.problem) from None
        return typed_fen(text, self.field)

    def set_fen(self, fen: int | None) -> None:
        """Show an amount the way a clerk would type it (1234.50); None clears the field."""
        self.setText("" if fen is None else format_yuan(fen, grouping=False))


class PriceEdit(QLineEdit):
    """A unit price in yuan with up to four decimals (electricity is 0.5283 元/度),
    handed back as yuan × 10,000; a price is always required."""

    def __init__(self, parent: QWidget | None = None, field: str = "单价") -> None:
        super().__init__(parent)
        self.field = field

    def price(self) -> int:
        text = self.text().strip()
        if not text:
            raise ValidationError(self.field, f"请填写{self.field}")
        try:
            return parse_unit_price(text)
        except MoneyFormatError:
            raise ValidationError(
                self.field,
                f"“{text}”不是有效{self.field}，请填写以元为单位的数字，最多四位小数，如 2.20",
            ) from None
