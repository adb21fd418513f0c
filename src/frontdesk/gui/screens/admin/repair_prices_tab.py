"""设置 › 有偿维修价目: the labour and materials a paid repair is priced from (a
line is added, changed or taken out of use; charges already made keep their price)
and the fee item the repair's bill is raised under.

Supervisors (维护工单类别、承诺时限和维修服务人员) edit the list and those who keep the
fee items choose the item; the desk's clerks and butlers see both read-only (to quote
a price on the phone)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.money import format_yuan
from frontdesk.domain.repair_prices import PriceKind
from frontdesk.domain.roles import Permission
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.colours import GREY, RED
from frontdesk.gui.widgets.forms import Choices, form_fields
from frontdesk.gui.widgets.money_edit import MoneyEdit
from frontdesk.gui.widgets.tables import fill_rows, select_row, set_headers
from frontdesk.services.fees import items as fee_items
from frontdesk.services.service_desk import repairs
from frontdesk.services.service_desk.repairs import PriceInput, PriceRow

PRICE_COLUMNS = ("类别", "项目", "单位", "单价（元）", "状态")


def price_cells(row: PriceRow) -> tuple[str, ...]:
    return (
        row.kind.label,
        row.name,
        row.unit,
        format_yuan(row.unit_fen),
        "在用" if row.active else "停用",
    )


class RepairPriceDialog(QDialog):
    """A line of the price list new (`row` None) or changed; stays open with the field
    named when the service refuses it."""

    def __init__(self, ctx: AppContext, row: PriceRow | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.saved_id: int | None = None
        self.setWindowTitle("修改价目" if row else "新增价目")
        self.form = form = QFormLayout()
        self.kindCombo = QComboBox()
        self.kind = Choices(
            self.kindCombo, [(k.label, k) for k in PriceKind], row.kind if row else PriceKind.LABOUR
        )
        self.nameEdit = QLineEdit(row.name if row else "")
        self.nameEdit.setMaxLength(40)
        self.nameEdit.setPlaceholderText("如 更换水龙头、角阀")
        self.unitEdit = QLineEdit(row.unit if row else "次")
        self.unitEdit.setMaxLength(12)
        self.unitEdit.setPlaceholderText("如 次、个、米")
        self.priceEdit = MoneyEdit(field="单价")
        self.priceEdit.set_fen(row.unit_fen if row else None)
        self.priceEdit.setPlaceholderText("元，如 30 或 12.50")
        self.activeCheck = QCheckBox("在用(&U)：收费时可以选择")
        self.activeCheck.setChecked(row.active if row else True)
        form.addRow("类别(&K)", self.kindCombo)
        form.addRow("项目名称(&M)", self.nameEdit)
        form.addRow("单位(&T)", self.unitEdit)
        form.addRow("单价(&P)", self.priceEdit)
        form.addRow("", self.activeCheck)
        hint = QLabel("改价只影响以后的收费；已收的维修费按当时的价格。")
        hint.setStyleSheet(f"color: {GREY};")
        hint.setWordWrap(True)
        self.errorLabel = QLabel()
        self.errorLabel.setStyleSheet(f"color: {RED};")
        self.errorLabel.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.errorLabel)
        layout.addWidget(buttons)
        self.resize(400, self.sizeHint().height())
        (self.nameEdit if row else self.kindCombo).setFocus()

    def value(self) -> PriceInput:
        if not self.priceEdit.text().strip():
            raise ValidationError("单价", "请填写单价（免费的写 0）")
        return PriceInput(
            self.nameEdit.text(),
            self.kind.value(),
            self.unitEdit.text(),
            self.priceEdit.fen(),
            self.activeCheck.isChecked(),
        )

    def accept(self) -> None:
        ctx, price_id = self.ctx, self.row.id if self.row else None
        Op(
            self,
            ctx.tasks,
            lambda data: repairs.save_price(ctx.db, ctx.actor, data, price_id),
            given=self.value,
            title="无法保存价目",
        ).fields(form_fields(self.form)).inline(self.errorLabel).success(self._saved).run()

    def _saved(self, saved_id: int) -> None:
        self.saved_id = saved_id
        super().accept()


class RepairPricesTab(QWidget):
    """The price list with its buttons (a double click edits) and the fee item."""

    @staticmethod
    def shown_to(ctx: AppContext) -> bool:
        return any(
            ctx.can(p)
            for p in (
                Permission.TAKE_WORK_ORDERS,
                Permission.MANAGE_SERVICE_DESK,
                Permission.MANAGE_FEES,
            )
        )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[PriceRow] = []
        self.editable = ctx.can(Permission.MANAGE_SERVICE_DESK)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        set_headers(self.table, PRICE_COLUMNS, stretch=1)
        self.newButton = QPushButton("新增价目(&I)…")
        self.editButton = QPushButton("修改价目(&G)…")
        self.activeButton = QPushButton("停用 / 启用(&S)")
        self.newButton.clicked.connect(self.new_price)
        self.editButton.clicked.connect(self.edit_price)
        self.activeButton.clicked.connect(self.toggle_active)
        if self.editable:
            self.table.doubleClicked.connect(lambda _: self.edit_price())
        for button in (self.newButton, self.editButton, self.activeButton):
            button.setEnabled(self.editable)
            if not self.editable:
                button.setToolTip("只有主管可以修改价目表")
        self.itemCombo = QComboBox()
        self.itemCombo.setMinimumWidth(200)
        self.itemCaption = QLabel("维修费记入收费项目(&F)：")
        self.itemCaption.setBuddy(self.itemCombo)
        self.itemCombo.setEnabled(ctx.can(Permission.MANAGE_FEES))
        self.itemCombo.activated.connect(lambda _i: self.choose_item())
        self.itemHint = QLabel("须为一次性收费、没有收费标准的项目。")
        self.itemHint.setStyleSheet(f"color: {GREY};")
        self.itemHint.setWordWrap(True)
        self.messageLabel = QLabel()
        self.messageLabel.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.newButton, self.editButton, self.activeButton):
            buttons.addWidget(button)
        buttons.addStretch(1)
        item_row = QHBoxLayout()
        item_row.addWidget(self.itemCaption)
        item_row.addWidget(self.itemCombo)
        item_row.addWidget(self.itemHint, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(item_row)
        layout.addWidget(self.messageLabel)

    def refresh(self) -> None:
        ctx = self.ctx
        Op(
            self,
            ctx.tasks,
            lambda: (
                list(repairs.price_list(ctx.db, include_inactive=True)),
                [
                    (item.name, item.id)
                    for item in fee_items.list_fee_items(ctx.db, active_only=True)
                    if item.method == FeeMethod.ONE_OFF
                ],
                repairs.repair_terms(ctx.db).fee_item_id,
            ),
            title="有偿维修价目表",
        ).success(lambda found: self._show(*found)).run()

    def _show(self, rows: list[PriceRow], items: list[tuple[str, int]], chosen: int) -> None:
        at = self.table.currentRow()
        self.rows = rows
        fill_rows(self.table, [price_cells(r) for r in rows])
        if rows:
            select_row(self.table, min(max(at, 0), len(rows) - 1))
        self.itemCombo.clear()
        if not chosen:
            self.itemCombo.addItem("（未选，第一次收费时自动建“有偿维修费”）", 0)
        for name, item_id in items:
            self.itemCombo.addItem(name, item_id)
        index = self.itemCombo.findData(chosen)
        self.itemCombo.setCurrentIndex(max(index, 0))

    def selected(self) -> PriceRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def new_price(self) -> None:
        self._edit(RepairPriceDialog(self.ctx, None, self))

    def edit_price(self) -> None:
        row = self.selected()
        if row is not None and self.editable:
            self._edit(RepairPriceDialog(self.ctx, row, self))

    def toggle_active(self) -> None:
        row, ctx = self.selected(), self.ctx
        if row is None:
            return
        data = PriceInput(row.name, row.kind, row.unit, row.unit_fen, not row.active)
        Op(
            self,
            ctx.tasks,
            lambda: repairs.save_price(ctx.db, ctx.actor, data, row.id),
            title="无法更改价目",
        ).success(lambda _: self._said(f"“{row.name}”已{'启用' if data.active else '停用'}")).run()

    def choose_item(self) -> None:
        ctx, item_id = self.ctx, self.itemCombo.currentData()
        if not item_id:
            return
        name = self.itemCombo.currentText()
        Op(
            self,
            ctx.tasks,
            lambda: repairs.set_repair_fee_item(ctx.db, ctx.actor, int(item_id)),
            title="无法设置收费项目",
        ).failure(lambda _e: self.refresh()).success(
            lambda _: self._said(f"维修费今后记入“{name}”")
        ).run()

    def _said(self, text: str) -> None:
        self.messageLabel.setText(text)
        self.refresh()

    def _edit(self, dialog: RepairPriceDialog) -> None:
        if dialog.exec():
            self._said(f"已保存“{dialog.nameEdit.text().strip()}”")
