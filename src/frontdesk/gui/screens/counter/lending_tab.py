"""物品借用: lend things by keyboard (Enter moves on, Enter in 备注 lends, Esc clears),
the things out with the overdue ones in red and the deposit's state at the cashier,
returns, and the cupboard's items (for whoever edits the community's settings).

A deposit is not taken here: the lending puts it on the room's account and the
borrower pays it at the cashier, who refunds it once the things are back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QWidget

from frontdesk.domain.clock import local_time
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.lending import LoanState
from frontdesk.domain.money import format_yuan
from frontdesk.domain.roles import Permission
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.counter_lendable_item_dialog_ui import Ui_LendableItemDialog
from frontdesk.gui.forms.counter_lending_tab_ui import Ui_LendingTab
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op, report_error
from frontdesk.gui.qtvalues import cell
from frontdesk.gui.screens.counter.key_lending_settings import KeyLendingSettingsDialog
from frontdesk.gui.widgets.colours import GREEN, RED
from frontdesk.gui.widgets.forms import form_fields
from frontdesk.gui.widgets.room_picker import RoomPicker
from frontdesk.gui.widgets.shortcuts import add_shortcuts
from frontdesk.gui.widgets.tables import Cell, fill_sortable, row_id, select_row, set_headers
from frontdesk.services import lending
from frontdesk.services.fees import items as fee_items
from frontdesk.services.lending import ItemInput, ItemRow, LoanInput, LoanRow

COLUMNS = ("物品", "数量", "房屋", "借用人", "电话", "借出时间", "应还日期", "状态", "押金")
ITEM_COLUMNS = ("物品", "库存", "借出", "可借", "借用天数", "押金（元/件）", "可借用")
LATE = QBrush(QColor(RED))


def loan_cells(row: LoanRow) -> list[Cell]:
    deposit = f"{format_yuan(row.deposit_fen)} {row.deposit.label}" if row.deposit_fen else "—"
    return [
        row.item,
        (str(row.quantity), row.quantity),
        row.room_code,
        row.borrower,
        row.phone,
        (local_time(row.out_at, seconds=False), row.out_at.timestamp()),
        f"{row.due_on:%Y-%m-%d}",
        row.state.label,
        deposit,
    ]


def item_text(row: ItemRow) -> str:
    deposit = f"，押金 {format_yuan(row.deposit_fen)} 元/件" if row.deposit_fen else ""
    return f"{row.name}（可借 {row.available}/{row.stock}，{row.loan_days} 天{deposit}）"


class LendingTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[ItemRow] = []
        self.loans: dict[int, LoanRow] = {}
        self.ui = ui = Ui_LendingTab()
        ui.setupUi(self)
        self.room = RoomPicker.in_place_of(ctx, ui.roomSlot)
        QWidget.setTabOrder(ui.quantitySpin, self.room)
        QWidget.setTabOrder(self.room, ui.borrowerEdit)
        self.fields = form_fields(ui.form) | {"借用房屋": self.room, "借用物品": ui.itemCombo}
        set_headers(ui.table, COLUMNS)
        ui.table.setSortingEnabled(True)
        ui.itemCombo.currentIndexChanged.connect(lambda _i: self._item_changed())
        self.room.room_chosen.connect(lambda _room: ui.borrowerEdit.setFocus())
        for edit in (ui.borrowerEdit, ui.phoneEdit):
            edit.returnPressed.connect(self.focusNextChild)
        ui.noteEdit.returnPressed.connect(self.lend)
        ui.lendButton.clicked.connect(self.lend)
        ui.clearButton.clicked.connect(lambda: self.clear_form())
        ui.returnButton.clicked.connect(self.return_selected)
        ui.overdueCheck.toggled.connect(lambda _on: self.refresh())
        ui.itemsButton.setVisible(ctx.can(Permission.EDIT_COMMUNITY))
        ui.itemsButton.clicked.connect(self.edit_items)
        ui.settingsButton.setVisible(ctx.can(Permission.EDIT_COMMUNITY))
        ui.settingsButton.clicked.connect(lambda: KeyLendingSettingsDialog.edit(ctx, self))
        add_shortcuts(self, [(Qt.Key.Key_Escape, lambda: self.clear_form())])
        self.refresh()

    # loading --------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        ctx, overdue = self.ctx, self.ui.overdueCheck.isChecked()

        def load() -> tuple[list[ItemRow], list[LoanRow]]:
            items = lending.list_items(ctx.db, ctx.actor)
            return items, lending.list_loans(ctx.db, ctx.actor, overdue_only=overdue)

        Op(self, ctx.tasks, load, title="物品借用").success(
            lambda found: self._loaded(*found, select)
        ).run()

    def _loaded(self, items: list[ItemRow], loans: list[LoanRow], select: int | None) -> None:
        combo, chosen = self.ui.itemCombo, self.ui.itemCombo.currentData()
        self.items = items
        combo.blockSignals(True)
        combo.clear()
        for row in items:
            combo.addItem(item_text(row), row.id)
        index = combo.findData(chosen)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        self._item_changed()
        self.loans = {r.id: r for r in loans}
        table = self.ui.table
        fill_sortable(table, [loan_cells(r) for r in loans], {1}, [r.id for r in loans])
        for index in range(table.rowCount()):
            if self.loans[row_id(table, index) or 0].state == LoanState.OVERDUE:
                for column in range(table.columnCount()):
                    cell(table, index, column).setForeground(LATE)
        late = sum(1 for r in loans if r.state == LoanState.OVERDUE)
        self.ui.countLabel.setText(f"共 {len(loans)} 笔，逾期 {late} 笔")
        if select is not None:
            for index in range(table.rowCount()):
                if row_id(table, index) == select:
                    select_row(table, index)

    def _item(self) -> ItemRow | None:
        item_id = self.ui.itemCombo.currentData()
        return next((r for r in self.items if r.id == item_id), None)

    def _item_changed(self) -> None:
        row = self._item()
        text = ""
        if row is not None and row.deposit_fen:
            yuan = format_yuan(row.deposit_fen)
            text = f"押金 {yuan} 元/件：借出后计入该户账单，请借用人到收费处交纳。"
        self.ui.depositLabel.setText(text)

    # lending --------------------------------------------------------------------

    def chosen(self) -> LoanInput:
        ui = self.ui
        item = self._item()
        if item is None:
            raise ValidationError("借用物品", "请先在“借用物品设置”中登记可借的物品")
        if self.room.room_id is None:
            raise ValidationError("借用房屋", "请输入房号或业主姓名，回车选择一户")
        return LoanInput(
            item_id=item.id,
            room_id=self.room.room_id,
            borrower=ui.borrowerEdit.text(),
            borrower_phone=ui.phoneEdit.text(),
            quantity=ui.quantitySpin.value(),
            note=ui.noteEdit.text(),
        )

    def lend(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda data: lending.lend_item(ctx.db, ctx.actor, data),
            given=self.chosen,
            title="无法借出",
        ).fields(self.fields).inline(self.ui.resultLabel, every_message=True).success(
            self._lent
        ).run()

    def _lent(self, row: LoanRow) -> None:
        deposit = (
            f"；押金 {format_yuan(row.deposit_fen)} 元请到收费处交纳" if row.deposit_fen else ""
        )
        self.say(
            f"已借出 {row.item} ×{row.quantity} 给 {row.room_code} {row.borrower}，"
            f"应还 {row.due_on:%m-%d}{deposit}",
            GREEN,
        )
        self.clear_form(keep_result=True)
        self.refresh(select=row.id)

    def clear_form(self, *, keep_result: bool = False) -> None:
        ui = self.ui
        self.room.clear_room()
        for edit in (ui.borrowerEdit, ui.phoneEdit, ui.noteEdit):
            edit.clear()
        ui.quantitySpin.setValue(1)
        if not keep_result:
            ui.resultLabel.clear()
        ui.itemCombo.setFocus()

    def say(self, text: str, color: str) -> None:
        self.ui.resultLabel.setStyleSheet(f"font-weight: bold; color: {color};")
        self.ui.resultLabel.setText(text)

    # returning --------------------------------------------------------------------

    def selected(self) -> LoanRow | None:
        table = self.ui.table
        if not table.selectionModel().hasSelection():
            return None
        return self.loans.get(row_id(table, table.currentRow()) or 0)

    def return_selected(self) -> None:
        row = self.selected()
        if row is None:
            report_error(self, ValidationError("借用记录", "请先在列表中选中一笔借用"))
            return
        question = f"{row.room_code} {row.borrower} 借的 {row.item} ×{row.quantity} 已归还？"
        if not confirm(self, "归还", question):
            return
        ctx, loan_id = self.ctx, row.id
        Op(self, ctx.tasks, lambda: lending.return_item(ctx.db, ctx.actor, loan_id)).success(
            self._returned
        ).run()

    def _returned(self, row: LoanRow) -> None:
        refund = "；押金请到收费处办理退还" if row.deposit_fen else ""
        self.say(
            f"已归还 {row.item} ×{row.quantity}（{row.room_code} {row.borrower}）{refund}", GREEN
        )
        self.refresh()

    def edit_items(self) -> None:
        LendableItemDialog(self.ctx, self).exec()
        self.refresh()


class LendableItemDialog(QDialog):
    """借用物品设置: the cupboard's items, each with its stock, days and deposit."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[ItemRow] = []
        self.editing: int | None = None
        self.ui = ui = Ui_LendableItemDialog()
        ui.setupUi(self)
        ui.depositEdit.field = "押金"
        set_headers(ui.table, ITEM_COLUMNS)
        ui.feeCombo.addItem("（不收押金）", None)
        for fee in fee_items.list_fee_items(ctx.db, active_only=True):
            if fee.method == FeeMethod.DEPOSIT:
                ui.feeCombo.addItem(fee.name, fee.id)
        self.fields = form_fields(ui.form)
        ui.table.itemSelectionChanged.connect(self._show_selected)
        ui.newButton.clicked.connect(self.new_item)
        ui.saveButton.clicked.connect(self.save)
        ui.closeButton.clicked.connect(self.accept)
        for edit in (ui.nameEdit, ui.depositEdit):
            edit.returnPressed.connect(self.focusNextChild)
        self.refresh()
        ui.nameEdit.setFocus()

    def refresh(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: lending.list_items(ctx.db, ctx.actor, include_inactive=True),
        ).success(self._listed).run()

    def _listed(self, rows: list[ItemRow]) -> None:
        self.rows = rows
        cells: list[list[Cell]] = [
            [
                r.name,
                str(r.stock),
                str(r.out),
                str(r.available),
                str(r.loan_days),
                format_yuan(r.deposit_fen) if r.deposit_fen else "—",
                "是" if r.active else "否",
            ]
            for r in rows
        ]
        fill_sortable(self.ui.table, cells, {1, 2, 3, 4, 5}, [r.id for r in rows])

    def _show_selected(self) -> None:
        table, ui = self.ui.table, self.ui
        item_id = row_id(table, table.currentRow())
        row = next((r for r in self.rows if r.id == item_id), None)
        if row is None:
            return
        self.editing = row.id
        ui.nameEdit.setText(row.name)
        ui.stockSpin.setValue(row.stock)
        ui.daysSpin.setValue(row.loan_days)
        ui.depositEdit.set_fen(row.deposit_fen or None)
        ui.feeCombo.setCurrentIndex(max(ui.feeCombo.findText(row.deposit_item), 0))
        ui.activeCheck.setChecked(row.active)

    def new_item(self) -> None:
        ui = self.ui
        self.editing = None
        ui.table.clearSelection()
        for edit in (ui.nameEdit, ui.depositEdit):
            edit.clear()
        ui.stockSpin.setValue(1)
        ui.feeCombo.setCurrentIndex(0)
        ui.activeCheck.setChecked(True)
        ui.nameEdit.setFocus()

    def chosen(self) -> ItemInput:
        ui = self.ui
        return ItemInput(
            name=ui.nameEdit.text(),
            stock=ui.stockSpin.value(),
            loan_days=ui.daysSpin.value(),
            deposit_fen=ui.depositEdit.fen(),
            deposit_item_id=ui.feeCombo.currentData(),
            active=ui.activeCheck.isChecked(),
        )

    def save(self) -> None:
        ctx, editing = self.ctx, self.editing
        Op(
            self,
            ctx.tasks,
            lambda data: lending.save_item(ctx.db, ctx.actor, data, editing),
            given=self.chosen,
            title="无法保存",
        ).fields(self.fields).inline(self.ui.errorLabel).success(lambda _row: self._saved()).run()

    def _saved(self) -> None:
        self.ui.errorLabel.clear()
        self.new_item()
        self.refresh()
