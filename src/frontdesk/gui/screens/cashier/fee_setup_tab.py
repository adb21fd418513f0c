"""收费标准: the fee items, their prices (each from a date) and the reductions by
room status. Everyone may look; supervisors and administrators change them.

A price is never edited in place: a new plan from a date takes over, and the
months before it keep the old price (bills are priced on the period's first day).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QSplitter,
    QTableWidget,
    QWidget,
)

from frontdesk.domain import clock
from frontdesk.domain.fees import UNIT_CHOICES, Collection, FeeMethod, MeterKind, default_price_unit
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Permission
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.errors import ValidationError
from frontdesk.gui.context import AppContext
from frontdesk.gui.forms.cashier_fee_item_dialog_ui import Ui_FeeItemDialog
from frontdesk.gui.forms.cashier_fee_setup_tab_ui import Ui_FeeSetupTab
from frontdesk.gui.forms.cashier_price_plan_dialog_ui import Ui_PricePlanDialog
from frontdesk.gui.forms.cashier_reduction_rule_dialog_ui import Ui_ReductionRuleDialog
from frontdesk.gui.messages import confirm
from frontdesk.gui.ops import Op
from frontdesk.gui.widgets.forms import Choices
from frontdesk.gui.widgets.saving_dialog import SavingDialog
from frontdesk.gui.widgets.tables import fill_rows, select_row, set_headers
from frontdesk.services.fees import items as fees
from frontdesk.services.fees.items import FeeItemRow, PricePlanRow, ReductionRuleRow
from frontdesk.services.households import structure

ITEM_COLUMNS = ("名称", "类别", "计费方式", "款项性质", "表计", "计量单位", "状态")
PLAN_COLUMNS = ("项目", "楼栋", "房屋类型", "单价", "倍率", "起始日期", "说明")
RULE_COLUMNS = ("名称", "项目", "房屋状态", "减免比例", "原因", "起止日期")
ALL = "全部"
ROW_HEIGHT = 26
INACTIVE_FOREGROUND = QColor("#8a8f98")
NEEDS_MANAGE_FEES = "需要主管或系统管理员权限（维护收费标准）"
REDUCIBLE = (FeeMethod.AREA_MONTHLY, FeeMethod.FIXED_MONTHLY, FeeMethod.PARKING_MONTHLY)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def first_priced_period(starts_on: date) -> Period:
    """The first month a plan starting that day prices (plans apply from the 1st)."""
    period = Period.of(starts_on)
    return period if starts_on.day == 1 else period.shifted(1)


def price_text(plan: PricePlanRow, unit: str) -> str:
    return f"{plan.price_text} {unit or '元'}"


class FeeItemDialog(SavingDialog):
    def __init__(
        self, ctx: AppContext, categories: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ui = ui = Ui_FeeItemDialog()
        ui.setupUi(self)
        ui.categoryCombo.addItems(categories)
        ui.categoryCombo.setCurrentText("")
        category_edit = ui.categoryCombo.lineEdit()
        if category_edit is not None:
            category_edit.setPlaceholderText("留空则与项目名称相同")
        self.methods = Choices(
            ui.methodCombo, [(m.label, m) for m in FeeMethod], FeeMethod.FIXED_MONTHLY
        )
        self.collections = Choices(
            ui.collectionCombo,
            [(c.label, c) for c in Collection if c != Collection.PREPAID],
            Collection.OWN,
        )
        self.meters = Choices(ui.meterCombo, [(k.label, k) for k in MeterKind], MeterKind.WATER)
        ui.unitCombo.addItems(UNIT_CHOICES)
        self.fields = {"项目名称": ui.nameEdit, "表计类型": ui.meterCombo, "计量单位": ui.unitCombo}
        ui.methodCombo.currentIndexChanged.connect(lambda _index: self._method_changed())
        ui.meterCombo.currentIndexChanged.connect(lambda _index: self._suggest_unit())
        self._method_changed()
        self.name_buttons(ui.buttonBox)

    def _method_changed(self) -> None:
        method = self.methods.value()
        ui = self.ui
        ui.meterCombo.setEnabled(method == FeeMethod.METER)
        if method == FeeMethod.METER:
            self.collections.select(Collection.ON_BEHALF)
        ui.collectionCombo.setEnabled(method != FeeMethod.DEPOSIT)
        if method == FeeMethod.DEPOSIT:
            self.collections.select(Collection.DEPOSIT)
        self._suggest_unit()
        ui.hintLabel.setText("新增后请在“收费标准”中设定单价；计量单位打印在收据和业主手册上。")

    def _suggest_unit(self) -> None:
        """The unit that follows from how the item is charged; the supervisor may type
        another (元/张 for a card, 元/次 …)."""
        method = self.methods.value()
        meter = self.meters.value() if method == FeeMethod.METER else None
        self.ui.unitCombo.setCurrentText(default_price_unit(method, meter.value if meter else None))

    def save(self) -> Callable[[], int]:
        ui, ctx = self.ui, self.ctx
        method = self.methods.value()
        name, category, unit = (
            ui.nameEdit.text(),
            ui.categoryCombo.currentText(),
            ui.unitCombo.currentText(),
        )
        collections = self.collections.value()
        meter = self.meters.value() if method == FeeMethod.METER else None
        return lambda: fees.add_fee_item(
            ctx.db, ctx.actor, name, category, method, collections, meter, unit
        )


class PricePlanDialog(SavingDialog):
    def __init__(
        self,
        ctx: AppContext,
        items: list[FeeItemRow],
        chosen_item: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items = items
        self.ui = ui = Ui_PricePlanDialog()
        ui.setupUi(self)
        self.item_choices: Choices[FeeItemRow | None] = Choices(
            ui.itemCombo, [(item.name, item) for item in items], _item(items, chosen_item)
        )
        buildings = structure.list_buildings(ctx.db, ctx.actor)
        self.buildings: Choices[int | None] = Choices(
            ui.buildingCombo, [(ALL, None), *((b.name, b.id) for b in buildings)], None
        )
        self.room_types: Choices[RoomType | None] = Choices(
            ui.roomTypeCombo, [(ALL, None), *((t.label, t) for t in RoomType)], None
        )
        ui.startEdit.setDate(_qdate(Period.of(clock.today()).shifted(1).first_day))
        self.fields = {
            "单价": ui.priceEdit,
            "倍率": ui.multiplierSpin,
            "起始日期": ui.startEdit,
            "收费项目": ui.itemCombo,
        }
        ui.itemCombo.currentIndexChanged.connect(lambda _index: self._item_changed())
        ui.startEdit.dateChanged.connect(lambda _day: self._explain())
        self._item_changed()
        self.name_buttons(ui.buttonBox)
        ui.priceEdit.setFocus()

    def _method(self) -> FeeMethod | None:
        item = _current(self.item_choices)
        return item.method if item else None

    def _item_changed(self) -> None:
        method = self._method()
        ui = self.ui
        item = _current(self.item_choices)
        ui.unitLabel.setText(item.unit if item else "")
        ui.multiplierSpin.setEnabled(method == FeeMethod.METER)
        if method != FeeMethod.METER:
            ui.multiplierSpin.setValue(1)
        self._explain()

    def _explain(self) -> None:
        period = first_priced_period(_day(self.ui.startEdit.date()))
        self.ui.hintLabel.setText(
            f"新单价从 {period.label} 的账单起使用；此前月份的账单仍按原标准计算，已出的账单不变。"
        )

    def unit_price(self) -> int:
        return self.ui.priceEdit.price()

    def save(self) -> Callable[[], int]:
        item = _current(self.item_choices)
        if item is None:
            raise ValidationError("收费项目", "请先新增收费项目")
        ui, ctx, item_id = self.ui, self.ctx, item.id
        price, start = self.unit_price(), _day(ui.startEdit.date())
        building_id, room_type = self.buildings.value(), self.room_types.value()
        multiplier, note = ui.multiplierSpin.value(), ui.noteEdit.text()
        return lambda: fees.add_price_plan(
            ctx.db,
            ctx.actor,
            item_id,
            price,
            start,
            building_id=building_id,
            room_type=room_type,
            multiplier=multiplier,
            note=note,
        )


class ReductionRuleDialog(SavingDialog):
    def __init__(
        self,
        ctx: AppContext,
        items: list[FeeItemRow],
        chosen_item: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items = [item for item in items if item.method in REDUCIBLE]
        self.ui = ui = Ui_ReductionRuleDialog()
        ui.setupUi(self)
        self.item_choices: Choices[FeeItemRow | None] = Choices(
            ui.itemCombo,
            [(item.name, item) for item in self.items],
            _item(self.items, chosen_item),
        )
        billable = [s for s in RoomStatus if s != RoomStatus.UNSOLD]
        self.statuses = Choices(ui.statusCombo, [(s.label, s) for s in billable], RoomStatus.VACANT)
        today = clock.today()
        ui.startEdit.setDate(_qdate(Period.of(today).first_day))
        ui.endEdit.setDate(_qdate(Period.of(today).shifted(11).last_day))
        ui.endCheck.toggled.connect(ui.endEdit.setEnabled)
        ui.statusCombo.currentIndexChanged.connect(lambda _index: self._name_hint())
        ui.percentSpin.valueChanged.connect(lambda _value: self._name_hint())
        ui.hintLabel.setText(
            "只用于按月收取的项目（物业服务费、车位管理费等）。不勾选结束日期表示长期有效。"
        )
        self.fields = {
            "减免比例": ui.percentSpin,
            "减免原因": ui.reasonEdit,
            "结束日期": ui.endEdit,
            "收费项目": ui.itemCombo,
        }
        self._name_hint()
        self.name_buttons(ui.buttonBox)

    def _name_hint(self) -> None:
        status = self.statuses.value()
        percent = self.ui.percentSpin.value()
        self.ui.nameEdit.setPlaceholderText(f"留空则为“{status.label}减免{percent}%”")

    def save(self) -> Callable[[], int]:
        item = _current(self.item_choices)
        if item is None:
            raise ValidationError("收费项目", "没有按月收取的项目可以减免")
        ui, ctx, item_id = self.ui, self.ctx, item.id
        statuses, percent, reason = (
            self.statuses.value(),
            ui.percentSpin.value(),
            ui.reasonEdit.text(),
        )
        start = _day(ui.startEdit.date())
        end = _day(ui.endEdit.date()) if ui.endCheck.isChecked() else None
        name = ui.nameEdit.text()
        return lambda: fees.add_reduction_rule(
            ctx.db, ctx.actor, item_id, statuses, percent, reason, start, end, name
        )


def _current(choices: Choices[FeeItemRow | None]) -> FeeItemRow | None:
    """The chosen fee item; None when the list is empty."""
    return choices.value() if choices.values else None


def _item(items: list[FeeItemRow], item_id: int | None) -> FeeItemRow | None:
    return next((item for item in items if item.id == item_id), items[0] if items else None)


class FeeSetupTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[FeeItemRow] = []
        self.plans: list[PricePlanRow] = []
        self.rules: list[ReductionRuleRow] = []
        self.ui = ui = Ui_FeeSetupTab()
        ui.setupUi(self)
        for table, columns in (
            (ui.itemTable, ITEM_COLUMNS),
            (ui.planTable, PLAN_COLUMNS),
            (ui.ruleTable, RULE_COLUMNS),
        ):
            set_headers(table, columns)
            table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        splitter: QSplitter = ui.splitter
        splitter.setSizes([340, 260, 140])
        for index, stretch in enumerate((3, 3, 1)):
            splitter.setStretchFactor(index, stretch)
        self.can_manage = ctx.can(Permission.MANAGE_FEES)
        ui.readOnlyLabel.setVisible(not self.can_manage)
        for button in (ui.addItemButton, ui.addPlanButton, ui.addRuleButton):
            button.setEnabled(self.can_manage)
            button.setToolTip("" if self.can_manage else NEEDS_MANAGE_FEES)
        ui.addItemButton.clicked.connect(self.ask_add_item)
        ui.toggleItemButton.clicked.connect(self.toggle_item)
        ui.unitButton.clicked.connect(self.ask_unit)
        ui.addPlanButton.clicked.connect(self.ask_add_plan)
        ui.addRuleButton.clicked.connect(self.ask_add_rule)
        ui.itemTable.itemSelectionChanged.connect(self._item_selected)
        self.refresh()

    def refresh(self) -> None:
        keep = self.selected_item()
        db = self.ctx.db
        self.items = fees.list_fee_items(db)
        self.plans = fees.list_price_plans(db)
        self.rules = fees.list_reduction_rules(db)
        self._show_items()
        self._show_plans()
        self._show_rules()
        if keep is not None:
            self.select_item(keep.id)
        self._item_selected()

    def _show_items(self) -> None:
        table = self.ui.itemTable
        fill_rows(
            table,
            [
                (
                    item.name,
                    item.category,
                    item.method.label,
                    item.collection.label,
                    item.meter_kind.label if item.meter_kind else "",
                    item.unit,
                    "在用" if item.active else "已停用",
                )
                for item in self.items
            ],
        )
        for r, item in enumerate(self.items):
            if not item.active:
                _paint_row(table, r, INACTIVE_FOREGROUND)

    def _show_plans(self) -> None:
        methods = {item.id: item.method for item in self.items}
        units = {item.id: item.unit for item in self.items}
        rows = []
        for plan in self.plans:
            method = methods.get(plan.fee_item_id)
            rows.append(
                (
                    plan.fee_item,
                    plan.building or ALL,
                    plan.room_type.label if plan.room_type else ALL,
                    price_text(plan, units.get(plan.fee_item_id, "")),
                    f"×{plan.multiplier}" if method == FeeMethod.METER else "—",
                    plan.starts_on.isoformat(),
                    plan.note,
                )
            )
        fill_rows(self.ui.planTable, rows)
        _align_right(self.ui.planTable, (3, 4))

    def _show_rules(self) -> None:
        fill_rows(
            self.ui.ruleTable,
            [
                (
                    rule.name,
                    rule.fee_item,
                    rule.room_status.label,
                    f"{rule.percent_off}%",
                    rule.reason,
                    f"{rule.starts_on.isoformat()} 至 "
                    + (rule.ends_on.isoformat() if rule.ends_on else "长期"),
                )
                for rule in self.rules
            ],
        )
        _align_right(self.ui.ruleTable, (3,))

    # the chosen item ---------------------------------------------------------------

    def selected_item(self) -> FeeItemRow | None:
        row = self.ui.itemTable.currentRow()
        selected = self.ui.itemTable.selectionModel().hasSelection()
        return self.items[row] if selected and 0 <= row < len(self.items) else None

    def select_item(self, item_id: int) -> None:
        for r, item in enumerate(self.items):
            if item.id == item_id:
                select_row(self.ui.itemTable, r)
                return

    def _item_selected(self) -> None:
        item = self.selected_item()
        button = self.ui.toggleItemButton
        button.setText("启用(&E)" if item is not None and not item.active else "停用(&D)")
        button.setEnabled(self.can_manage and item is not None)
        self.ui.unitButton.setEnabled(self.can_manage and item is not None)
        self.ui.unitButton.setToolTip(
            NEEDS_MANAGE_FEES if not self.can_manage else "修改单价的计量单位（如 元/㎡/月、元/张）"
        )
        if not self.can_manage:
            button.setToolTip(NEEDS_MANAGE_FEES)
        elif item is None:
            button.setToolTip("先在表中选中一个收费项目")
        else:
            button.setToolTip(
                "停用后不再为该项目生成新账单，已出的账单不受影响"
                if item.active
                else "重新为该项目生成账单"
            )

    # actions -----------------------------------------------------------------------

    def ask_add_item(self) -> None:
        categories = sorted({item.category for item in self.items})
        dialog = FeeItemDialog(self.ctx, categories, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh()
            self.select_item(dialog.saved_id)

    def toggle_item(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        if item.active and not confirm(
            self,
            "停用收费项目",
            f"停用“{item.name}”后，生成账单和抄表时不再出现该项目，已出的账单不受影响。\n"
            "确定停用吗？",
        ):
            return
        ctx, item_id, active = self.ctx, item.id, not item.active
        Op(
            self, ctx.tasks, lambda: fees.set_fee_item_active(ctx.db, ctx.actor, item_id, active)
        ).success(lambda _: self._changed(item_id)).run()

    def _changed(self, item_id: int) -> None:
        self.refresh()
        self.select_item(item_id)

    def ask_unit(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        choices = list(UNIT_CHOICES) if item.unit in UNIT_CHOICES else [item.unit, *UNIT_CHOICES]
        unit, ok = QInputDialog.getItem(
            self,
            "计量单位",
            f"“{item.name}”的单价计量单位（收据和业主手册照此打印）：",
            choices,
            choices.index(item.unit) if item.unit in choices else 0,
            True,
        )
        if not ok:
            return
        ctx, item_id = self.ctx, item.id
        Op(
            self,
            ctx.tasks,
            lambda: fees.set_fee_item_unit(ctx.db, ctx.actor, item_id, unit),
            title="无法保存计量单位",
        ).success(lambda _: self._changed(item_id)).run()

    def _active_items(self) -> list[FeeItemRow]:
        return [item for item in self.items if item.active]

    def ask_add_plan(self) -> None:
        chosen = self.selected_item()
        chosen_id = chosen.id if chosen else None
        dialog = PricePlanDialog(self.ctx, self._active_items(), chosen_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def ask_add_rule(self) -> None:
        chosen = self.selected_item()
        chosen_id = chosen.id if chosen else None
        dialog = ReductionRuleDialog(self.ctx, self._active_items(), chosen_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()


def _paint_row(table: QTableWidget, row: int, colour: QColor) -> None:
    for column in range(table.columnCount()):
        item = table.item(row, column)
        if item is not None:
            item.setForeground(QBrush(colour))


def _align_right(table: QTableWidget, columns: tuple[int, ...]) -> None:
    for row in range(table.rowCount()):
        for column in columns:
            item = table.item(row, column)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
