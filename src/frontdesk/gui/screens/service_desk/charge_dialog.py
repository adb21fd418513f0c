"""有偿维修收费: a finished (or, finishing it, an arrived) in-home repair priced from the
price list by keyboard and put on the room's bills, collected at the cashier like any
other bill.

The clerk types part of a name (the list narrows, ↑↓ choose), Enter goes to the
quantity, Enter adds the line and goes back to the search; the lines and their total
show in yuan as they are added; Ctrl+Enter (or 记入账单) saves. An order still being
worked on is finished in the same step (处理结果 first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QWidget

from frontdesk.domain.money import format_yuan
from frontdesk.domain.repair_prices import PriceKind, format_quantity, line_amount, parse_quantity
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.service_desk_repair_charge_dialog_ui import Ui_RepairChargeDialog
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.forms import show_problem
from frontdesk.gui.widgets.tables import fill_rows, select_row, set_headers
from frontdesk.services.service_desk import OrderRow, repairs
from frontdesk.services.service_desk.repairs import PriceRow, RepairLine

PRICE_COLUMNS = ("类别", "项目", "单位", "单价")
LINE_COLUMNS = ("类别", "项目", "数量", "单价", "金额")
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def matches(price: PriceRow, typed: str) -> bool:
    """The search keeps a line whose name (or kind: 人工, 材料) has every typed word."""
    text = f"{price.name} {price.kind.label}".lower()
    return all(word in text for word in typed.lower().split())


def total_text(lines: Sequence[tuple[PriceRow, int]]) -> str:
    """合计 96.00 元（人工 30.00 + 材料 66.00）"""
    amounts = [(p.kind, line_amount(p.unit_fen, q)) for p, q in lines]
    labour = sum(a for k, a in amounts if k == PriceKind.LABOUR)
    materials = sum(a for k, a in amounts if k == PriceKind.MATERIAL)
    return (
        f"合计 {format_yuan(labour + materials)} 元"
        f"（人工 {format_yuan(labour)} + 材料 {format_yuan(materials)}）"
    )


class RepairChargeDialog(QDialog):
    """The charge of `row` from `prices` (the active price list); `charge_id` is set
    once it is saved."""

    def __init__(
        self,
        ctx: AppContext,
        row: OrderRow,
        prices: Sequence[PriceRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.row, self.prices = ctx, row, list(prices)
        self.finishing = row.status not in repairs.CHARGEABLE
        self.shown_prices: list[PriceRow] = []
        self.lines: list[tuple[PriceRow, int]] = []  # (price, quantity in hundredths)
        self.charge_id: int | None = None
        self.ui = ui = Ui_RepairChargeDialog()
        ui.setupUi(self)
        self.setWindowTitle(f"{'完工并收费' if self.finishing else '有偿维修收费'} {row.number}")
        ui.orderLabel.setText(f"{row.number}　{row.kind.label}·{row.category}　{row.where}")
        ui.descriptionLabel.setText(row.description)
        ui.workCaption.setVisible(self.finishing)
        ui.workEdit.setVisible(self.finishing)
        for table, columns in ((ui.priceTable, PRICE_COLUMNS), (ui.linesTable, LINE_COLUMNS)):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.verticalHeader().hide()
            set_headers(table, columns, stretch=1)
        ok = ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("记入账单(&S)")
        ok.setAutoDefault(False)
        cancel = ui.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("取消")
        cancel.setAutoDefault(False)
        ui.buttons.accepted.connect(self.save)
        ui.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.save)
        ui.filterEdit.textChanged.connect(lambda _t: self.refilter())
        ui.addButton.clicked.connect(self.add_line)
        ui.removeButton.clicked.connect(self.remove_line)
        ui.priceTable.doubleClicked.connect(lambda _i: ui.quantityEdit.setFocus())
        for watched in (ui.workEdit, ui.filterEdit, ui.quantityEdit, ui.linesTable):
            watched.installEventFilter(self)
        self.refilter()
        self.show_lines()
        (ui.workEdit if self.finishing else ui.filterEdit).setFocus()

    # the price list -----------------------------------------------------------------

    def refilter(self) -> None:
        typed = self.ui.filterEdit.text()
        self.shown_prices = [p for p in self.prices if matches(p, typed)]
        fill_rows(
            self.ui.priceTable,
            [(p.kind.label, p.name, p.unit, format_yuan(p.unit_fen)) for p in self.shown_prices],
        )
        if self.shown_prices:
            select_row(self.ui.priceTable, 0)

    def chosen_price(self) -> PriceRow | None:
        at = self.ui.priceTable.currentRow()
        return self.shown_prices[at] if 0 <= at < len(self.shown_prices) else None

    def _move(self, step: int) -> None:
        if self.shown_prices:
            at = self.ui.priceTable.currentRow() + step
            select_row(self.ui.priceTable, min(max(at, 0), len(self.shown_prices) - 1))

    # the lines --------------------------------------------------------------------

    def add_line(self) -> bool:
        """The chosen price at the typed quantity (added to a line of the same price)."""
        ui = self.ui
        price = self.chosen_price()
        if price is None:
            self._problem(ValidationError("查找价目", "价目表中没有符合的项目"))
            return False
        try:
            quantity = parse_quantity(ui.quantityEdit.text(), "数量")
        except ValidationError as exc:
            self._problem(exc)
            return False
        for index, (earlier, had) in enumerate(self.lines):
            if earlier.id == price.id:
                self.lines[index] = (price, had + quantity)
                break
        else:
            self.lines.append((price, quantity))
        ui.errorLabel.clear()
        self.show_lines()
        ui.quantityEdit.setText("1")
        ui.filterEdit.clear()
        ui.filterEdit.setFocus()
        return True

    def remove_line(self) -> None:
        at = self.ui.linesTable.currentRow()
        if 0 <= at < len(self.lines):
            del self.lines[at]
            self.show_lines()
            if self.lines:
                select_row(self.ui.linesTable, min(at, len(self.lines) - 1))

    def show_lines(self) -> None:
        fill_rows(
            self.ui.linesTable,
            [
                (
                    p.kind.label,
                    p.name,
                    f"{format_quantity(q)} {p.unit}",
                    format_yuan(p.unit_fen),
                    format_yuan(line_amount(p.unit_fen, q)),
                )
                for p, q in self.lines
            ],
        )
        self.ui.totalLabel.setText(total_text(self.lines))

    def repair_lines(self) -> tuple[RepairLine, ...]:
        return tuple(RepairLine(p.id, q) for p, q in self.lines)

    # keys -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = cast(QKeyEvent, event)
        plain = not key.modifiers() & Qt.KeyboardModifier.ControlModifier
        ui = self.ui
        if watched is ui.filterEdit and key.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._move(-1 if key.key() == Qt.Key.Key_Up else 1)
            return True
        if watched is ui.linesTable and key.key() == Qt.Key.Key_Delete:
            self.remove_line()
            return True
        if key.key() in ENTER_KEYS and plain:
            if watched is ui.workEdit:
                ui.filterEdit.setFocus()
            elif watched is ui.filterEdit and self.chosen_price() is not None:
                ui.quantityEdit.setFocus()
                ui.quantityEdit.selectAll()
            elif watched is ui.quantityEdit:
                self.add_line()
            return watched is not ui.linesTable
        return super().eventFilter(watched, event)

    # saving -----------------------------------------------------------------------

    def save(self) -> None:
        ctx, order_id, lines = self.ctx, self.row.id, self.repair_lines()
        ui = self.ui
        fields: dict[str, QWidget] = {"收费明细": ui.filterEdit, "处理结果": ui.workEdit}
        if self.finishing:
            work = ui.workEdit.text()
            op = Op(
                self,
                ctx.tasks,
                lambda: repairs.finish_paid(ctx.db, ctx.actor, order_id, work, lines),
                title="无法收费",
            )
        else:
            op = Op(
                self,
                ctx.tasks,
                lambda: repairs.charge_repair(ctx.db, ctx.actor, order_id, lines),
                title="无法收费",
            )
        op.fields(fields).inline(ui.errorLabel, every_message=True).success(self._saved).run()

    def _saved(self, charge_id: int) -> None:
        self.charge_id = charge_id
        self.accept()

    def _problem(self, exc: ValidationError) -> None:
        show_problem(self.ui.errorLabel, {"数量": self.ui.quantityEdit}, exc)
