"""收费标准 and 抄表录入: what a supervisor and a meter reader see and do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from frontdesk.domain import clock
from frontdesk.domain.fees import Collection, FeeMethod, MeterKind
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.cashier import fee_setup_tab, meters_tab
from frontdesk.gui.screens.cashier.fee_setup_tab import (
    FeeItemDialog,
    FeeSetupTab,
    PricePlanDialog,
    ReductionRuleDialog,
)
from frontdesk.gui.screens.cashier.meters_tab import (
    CURRENT,
    NOTE,
    PREVIOUS,
    USED,
    WARNING_BRUSH,
    ImportSummaryDialog,
    MetersTab,
)
from frontdesk.gui.tasks import TaskRunner
from frontdesk.gui.widgets.tables import select_row
from frontdesk.services.fees import billing, meters
from frontdesk.services.fees import items as fees
from frontdesk.services.fees.meters import ReadingInput
from frontdesk.services.households import structure
from frontdesk.services.households.structure import NewBuilding, RoomChange

THIS_MONTH = Period.of(clock.today())
LAST_MONTH = THIS_MONTH.shifted(-1)
BELOW_LAST = "本次读数小于上次读数（换表或抄错？）"


def _cells(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _grid(tab: MetersTab, column: int) -> list[str]:
    model = tab.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def _type(tab: MetersTab, row: int, column: int, text: str) -> None:
    tab.model.setData(tab.model.index(row, column), text)


@pytest.fixture
def rooms(ctx: AppContext) -> dict[str, int]:
    """Building 1 (one unit, 2 floors × 2) lived in, and building 2 likewise: room ids by code."""
    found = {}
    for code in ("1", "2"):
        structure.create_building(ctx.db, ctx.actor, NewBuilding(code, "", 2, 1, 2, "89.5"))
    for row in structure.room_rows(ctx.db, ctx.actor, structure.room_ids(ctx.db, ctx.actor)):
        change = RoomChange("89.50", RoomType.RESIDENCE, RoomStatus.OCCUPIED)
        structure.update_room(ctx.db, ctx.actor, row.id, change)
        found[row.code] = row.id
    return found


@pytest.fixture
def water(ctx: AppContext) -> int:
    return fees.add_fee_item(
        ctx.db,
        ctx.actor,
        "水费",
        "代收水电费",
        FeeMethod.METER,
        Collection.ON_BEHALF,
        MeterKind.WATER,
    )


@pytest.fixture
def read_last_month(ctx: AppContext, rooms: dict[str, int], water: int) -> None:
    """Last month's readings of building 1 except 1-1-202 (a new meter)."""
    readings = [
        ReadingInput(rooms["1-1-101"], 10000, 11000),
        ReadingInput(rooms["1-1-102"], 20000, 21500),
        ReadingInput(rooms["1-1-201"], 5000, 5800),
    ]
    meters.save_readings(ctx.db, ctx.actor, water, LAST_MONTH, readings)


@pytest.fixture
def grid(qtbot, ctx: AppContext, read_last_month: None) -> MetersTab:
    tab = MetersTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    return tab


@pytest.fixture
def setup_tab(qtbot, ctx: AppContext, water: int) -> FeeSetupTab:
    fees.add_fee_item(ctx.db, ctx.actor, "物业服务费", "物业服务费", FeeMethod.AREA_MONTHLY)
    tab = FeeSetupTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    return tab


def _stored(ctx: AppContext, water: int, rooms: dict[str, int]) -> dict[str, int | None]:
    building = next(b for b in structure.list_buildings(ctx.db, ctx.actor) if b.code == "1")
    rows = meters.reading_grid(ctx.db, ctx.actor, water, THIS_MONTH, building.id)
    assert {row.room_code for row in rows} <= set(rooms)
    return {row.room_code: row.current_x100 for row in rows}


# 收费标准 ---------------------------------------------------------------------------


def test_the_setup_lists_items_with_their_labels(setup_tab: FeeSetupTab) -> None:
    table = setup_tab.ui.itemTable
    assert _cells(table, 0) == ["水费", "物业服务费"]
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row == ["水费", "代收水电费", "按表计读数", "代收代缴", "水表", "元/吨", "在用"]
    assert setup_tab.ui.readOnlyLabel.isHidden()


def test_adding_a_price_plan_through_the_dialog_shows_its_price_and_unit(
    monkeypatch, setup_tab: FeeSetupTab
) -> None:
    def fill_and_save(dialog: PricePlanDialog) -> int:
        ui = dialog.ui
        ui.itemCombo.setCurrentIndex(ui.itemCombo.findText("物业服务费"))
        assert ui.unitLabel.text() == "元/㎡/月"
        assert not ui.multiplierSpin.isEnabled()  # only meters have a multiplier
        ui.roomTypeCombo.setCurrentIndex(ui.roomTypeCombo.findText("住宅"))
        ui.priceEdit.setText("2.2")
        ui.startEdit.setDate(QDate(2026, 11, 15))
        assert "从 2026年12月 的账单起" in ui.hintLabel.text()
        ui.noteEdit.setText("业主大会决议")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(PricePlanDialog, "exec", fill_and_save)
    setup_tab.ask_add_plan()
    table = setup_tab.ui.planTable
    assert [table.item(0, c).text() for c in range(table.columnCount())] == [
        "物业服务费",
        "全部",
        "住宅",
        "2.20 元/㎡/月",
        "—",
        "2026-11-15",
        "业主大会决议",
    ]
    assert fees.list_price_plans(setup_tab.ctx.db)[0].unit_price == 22000


def test_a_meter_price_keeps_four_decimals_and_its_multiplier(setup_tab: FeeSetupTab) -> None:
    dialog = PricePlanDialog(setup_tab.ctx, setup_tab.items)
    dialog.ui.itemCombo.setCurrentIndex(dialog.ui.itemCombo.findText("水费"))
    assert dialog.ui.multiplierSpin.isEnabled()
    dialog.ui.priceEdit.setText("0.5283")
    dialog.ui.multiplierSpin.setValue(40)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    setup_tab.refresh()
    table = setup_tab.ui.planTable
    assert (table.item(0, 3).text(), table.item(0, 4).text()) == ("0.5283 元/吨", "×40")


@pytest.mark.parametrize("typed", ["2.2.0", "1.23456", ""])
def test_a_bad_price_is_named_and_nothing_is_saved(
    qtbot, shown, setup_tab: FeeSetupTab, typed: str
) -> None:
    dialog = PricePlanDialog(setup_tab.ctx, setup_tab.items)
    qtbot.addWidget(dialog)
    dialog.ui.priceEdit.setText(typed)
    dialog.accept()
    assert len(shown) == 1
    kind, _title, text = shown[0]
    assert kind == "warning"
    assert text.startswith("单价：")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert fees.list_price_plans(setup_tab.ctx.db) == []


def test_adding_a_fee_item_enables_the_meter_kind_only_for_meters(
    monkeypatch, setup_tab: FeeSetupTab
) -> None:
    def fill_and_save(dialog: FeeItemDialog) -> int:
        ui = dialog.ui
        assert not ui.meterCombo.isEnabled()
        ui.methodCombo.setCurrentIndex(ui.methodCombo.findText("按表计读数"))
        assert ui.meterCombo.isEnabled()
        assert ui.collectionCombo.currentText() == "代收代缴"
        ui.meterCombo.setCurrentIndex(ui.meterCombo.findText("电表"))
        assert ui.unitCombo.currentText() == "元/度"  # follows from the meter
        ui.nameEdit.setText("电费")
        ui.categoryCombo.setCurrentText("代收水电费")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(FeeItemDialog, "exec", fill_and_save)
    setup_tab.ask_add_item()
    table = setup_tab.ui.itemTable
    assert [table.item(2, c).text() for c in range(7)] == [
        "电费",
        "代收水电费",
        "按表计读数",
        "代收代缴",
        "电表",
        "元/度",
        "在用",
    ]
    assert setup_tab.selected_item().name == "电费"


def test_a_duplicate_item_name_is_refused(qtbot, shown, setup_tab: FeeSetupTab) -> None:
    dialog = FeeItemDialog(setup_tab.ctx, [])
    qtbot.addWidget(dialog)
    dialog.ui.nameEdit.setText("水费")
    dialog.accept()
    assert [text for _kind, _title, text in shown] == ["项目名称：“水费”已存在"]
    assert len(fees.list_fee_items(setup_tab.ctx.db)) == 2


def test_stopping_an_item_asks_first_and_greys_it_out(monkeypatch, setup_tab: FeeSetupTab) -> None:
    asked = []
    monkeypatch.setattr(fee_setup_tab, "confirm", lambda *args: asked.append(args[2]) or True)
    select_row(setup_tab.ui.itemTable, 0)
    assert setup_tab.ui.toggleItemButton.text() == "停用(&D)"
    setup_tab.toggle_item()
    assert "停用“水费”" in asked[0]
    assert setup_tab.ui.itemTable.item(0, 6).text() == "已停用"
    assert setup_tab.ui.toggleItemButton.text() == "启用(&E)"
    setup_tab.toggle_item()  # starting again needs no confirmation
    assert len(asked) == 1
    assert setup_tab.ui.itemTable.item(0, 6).text() == "在用"


def test_adding_a_reduction_rule_lists_it(monkeypatch, setup_tab: FeeSetupTab) -> None:
    def fill_and_save(dialog: ReductionRuleDialog) -> int:
        ui = dialog.ui
        assert [ui.itemCombo.itemText(i) for i in range(ui.itemCombo.count())] == ["物业服务费"]
        ui.percentSpin.setValue(30)
        assert ui.nameEdit.placeholderText() == "留空则为“空置减免30%”"
        ui.reasonEdit.setText("空置房按七成收取")
        ui.startEdit.setDate(QDate(2026, 1, 1))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ReductionRuleDialog, "exec", fill_and_save)
    setup_tab.ask_add_rule()
    table = setup_tab.ui.ruleTable
    assert [table.item(0, c).text() for c in range(6)] == [
        "空置减免30%",
        "物业服务费",
        "空置",
        "30%",
        "空置房按七成收取",
        "2026-01-01 至 长期",
    ]


def test_a_cashier_sees_the_fee_setup_read_only(qtbot, db, make_user, water) -> None:
    cashier = make_user(Role.CASHIER)
    tab = FeeSetupTab(AppContext(db, cashier, TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    tab.show()
    assert tab.ui.readOnlyLabel.isVisible()
    assert _cells(tab.ui.itemTable, 0) == ["水费"]
    select_row(tab.ui.itemTable, 0)
    for button in (
        tab.ui.addItemButton,
        tab.ui.toggleItemButton,
        tab.ui.addPlanButton,
        tab.ui.addRuleButton,
    ):
        assert not button.isEnabled()
        assert "主管或系统管理员" in button.toolTip()


# 抄表录入 ---------------------------------------------------------------------------


def test_the_grid_lists_the_buildings_rooms_with_last_readings(grid: MetersTab) -> None:
    ui = grid.ui
    assert (ui.itemCombo.currentText(), ui.buildingCombo.currentText()) == ("水费", "1栋")
    assert ui.periodCombo.currentText() == THIS_MONTH.label
    assert _grid(grid, 0) == ["1-1-101", "1-1-102", "1-1-201", "1-1-202"]
    assert _grid(grid, PREVIOUS) == ["110.00", "215.00", "58.00", ""]
    assert _grid(grid, CURRENT) == ["", "", "", ""]
    assert ui.countLabel.text() == "已抄 0 / 共 4 户，提示 0 条"
    assert grid.ui.table.currentIndex().column() == CURRENT


def test_typed_readings_are_saved_together(qtbot, grid: MetersTab, rooms, water) -> None:
    _type(grid, 0, CURRENT, "120.5")
    _type(grid, 1, CURRENT, "230")
    assert _grid(grid, CURRENT)[:2] == ["120.50", "230.00"]
    assert _grid(grid, USED)[:2] == ["10.50", "15.00"]
    assert grid.ui.countLabel.text() == "已抄 2 / 共 4 户，提示 0 条，未保存 2 户"
    qtbot.mouseClick(grid.ui.saveButton, Qt.MouseButton.LeftButton)
    stored = _stored(grid.ctx, water, rooms)
    assert stored == {"1-1-101": 12050, "1-1-102": 23000, "1-1-201": None, "1-1-202": None}
    assert grid.ui.countLabel.text() == "已抄 2 / 共 4 户，提示 0 条"
    assert grid.ui.statusLabel.text() == "已保存 2 户读数。"


def test_a_reading_below_the_last_one_is_flagged_in_amber(grid: MetersTab) -> None:
    _type(grid, 2, CURRENT, "50")
    model = grid.model
    assert _grid(grid, NOTE)[2] == BELOW_LAST
    assert _grid(grid, USED)[2] == "-8.00"
    assert model.data(model.index(2, 0), Qt.ItemDataRole.BackgroundRole) == WARNING_BRUSH
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert "提示 1 条" in grid.ui.countLabel.text()


def test_a_bad_number_is_named_with_its_room_and_nothing_is_saved(
    shown, grid: MetersTab, rooms, water
) -> None:
    _type(grid, 0, CURRENT, "120")
    _type(grid, 1, CURRENT, "2l5.5")
    assert _grid(grid, NOTE)[1].startswith("读数格式不对")
    grid.save()
    assert shown == [
        (
            "warning",
            "无法保存读数",
            "1-1-102 本次读数：“2l5.5”不是有效读数，须为不小于 0 的数字，最多两位小数",
        )
    ]
    assert grid.ui.table.currentIndex().row() == 1
    assert set(_stored(grid.ctx, water, rooms).values()) == {None}


def test_a_first_reading_needs_the_meters_start(shown, grid: MetersTab, rooms, water) -> None:
    _type(grid, 3, CURRENT, "12")
    assert _grid(grid, NOTE)[3] == "缺少上次读数：首次抄表请填写表的起始读数"
    grid.save()
    assert shown[0][2] == "1-1-202 上次读数：首次抄表请填写表的起始读数"
    _type(grid, 3, PREVIOUS, "0")
    grid.save()
    assert _stored(grid.ctx, water, rooms)["1-1-202"] == 1200


def test_enter_and_down_go_to_the_next_room(qtbot, grid: MetersTab) -> None:
    table = grid.ui.table
    grid.activateWindow()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    QTest.keyClick(table, Qt.Key.Key_1)  # typing starts the editor with that key
    editor = QApplication.focusWidget()
    QTest.keyClicks(editor, "25.5")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.currentIndex().row() == 1)
    assert _grid(grid, CURRENT)[0] == "125.50"
    QTest.keyClick(table, Qt.Key.Key_2)
    QTest.keyClicks(QApplication.focusWidget(), "20")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: table.currentIndex().row() == 2)
    assert _grid(grid, CURRENT)[1] == "220.00"
    assert table.currentIndex().column() == CURRENT


def test_switching_building_with_unsaved_readings_asks_first(monkeypatch, grid: MetersTab) -> None:
    answers = [False, True]
    monkeypatch.setattr(meters_tab, "confirm", lambda *args: answers.pop(0))
    _type(grid, 0, CURRENT, "120")
    combo = grid.ui.buildingCombo
    combo.setCurrentIndex(1)  # declined: stays on building 1 with the reading
    assert combo.currentText() == "1栋"
    assert _grid(grid, CURRENT)[0] == "120.00"
    combo.setCurrentIndex(1)  # accepted: building 2, reading dropped
    assert _grid(grid, 0) == ["2-1-101", "2-1-102", "2-1-201", "2-1-202"]
    assert answers == []


def test_billed_readings_are_locked_and_marked(qtbot, ctx, rooms, water) -> None:
    meters.save_readings(
        ctx.db, ctx.actor, water, THIS_MONTH, [ReadingInput(rooms["1-1-101"], 0, 1000)]
    )
    fees.add_price_plan(ctx.db, ctx.actor, water, 41000, date(2020, 1, 1))
    billing.run_billing(ctx.db, ctx.actor, THIS_MONTH)
    tab = MetersTab(ctx)
    qtbot.addWidget(tab)
    model = tab.model
    assert _grid(tab, NOTE)[0] == "已出账"
    assert not model.flags(model.index(0, CURRENT)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(1, CURRENT)) & Qt.ItemFlag.ItemIsEditable
    assert tab.ui.table.currentIndex().row() == 1  # the cursor starts on the first open room


def test_a_cashier_may_enter_readings(qtbot, db, make_user, read_last_month) -> None:
    tab = MetersTab(AppContext(db, make_user(Role.CASHIER), TaskRunner(wait=True)))
    qtbot.addWidget(tab)
    assert tab.ui.saveButton.isEnabled()
    assert len(_grid(tab, 0)) == 4


def _workbook(path: Path, rows: list[tuple[object, ...]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(("房号", "上次读数", "本次读数"))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_excel_import_fills_the_grid_for_review_without_saving(
    qtbot, monkeypatch, tmp_path, grid: MetersTab, rooms, water
) -> None:
    path = _workbook(
        tmp_path / "抄表.xlsx",
        [
            ("1-1-101", None, 131.2),  # previous from last month
            ("1-1-102", 215, 200),  # below the last reading
            ("1-1-202", 0, 9.5),  # a new meter's first reading
            ("9-9-999", None, 5),
            ("1-1-201", None, "abc"),
            ("2-1-101", 1, 2),  # another building
        ],
    )
    summaries: list[ImportSummaryDialog] = []
    monkeypatch.setattr(ImportSummaryDialog, "exec", lambda self: summaries.append(self) or 0)
    grid.import_file(path)
    qtbot.waitUntil(lambda: bool(summaries))
    assert _grid(grid, CURRENT) == ["131.20", "200.00", "", "9.50"]
    assert _grid(grid, PREVIOUS) == ["110.00", "215.00", "58.00", "0.00"]
    assert _grid(grid, NOTE)[1] == BELOW_LAST
    assert grid.ui.countLabel.text() == "已抄 3 / 共 4 户，提示 1 条，未保存 3 户"
    summary = summaries[0]
    assert "填入 3 户读数（尚未保存），其中 1 户有提示" in summary.ui.summaryLabel.text()
    problems = summary.ui.problemTable
    assert _cells(problems, 1) == ["9-9-999", "1-1-201", "2-1-101"]
    assert "找不到房屋" in problems.item(0, 2).text()
    assert "不在1栋本期的抄表名单中" in problems.item(2, 2).text()
    assert set(_stored(grid.ctx, water, rooms).values()) == {None}


def test_a_clean_import_says_so(qtbot, shown, tmp_path, grid: MetersTab) -> None:
    path = _workbook(tmp_path / "ok.xlsx", [("1-1-101", None, 120)])
    grid.import_file(path)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0][:2] == ("information", "导入完成")
    assert "填入 1 户读数" in shown[0][2]
    assert _grid(grid, CURRENT)[0] == "120.00"


def test_a_supervisor_changes_an_items_unit_and_a_bad_one_is_refused(
    monkeypatch, setup_tab: FeeSetupTab, shown
) -> None:
    """The unit is edited in the fee setup: 元/㎡/月 -> 元/户/月; '每户' is not a unit."""
    from PySide6.QtWidgets import QInputDialog

    answers = iter([("每户", True), ("元/户/月", True)])
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: next(answers)))
    setup_tab.select_item(next(i.id for i in setup_tab.items if i.name == "物业服务费"))
    assert setup_tab.ui.unitButton.isEnabled()
    setup_tab.ask_unit()
    assert "计量单位" in shown[-1][2]
    setup_tab.ask_unit()
    service = next(i for i in fees.list_fee_items(setup_tab.ctx.db) if i.name == "物业服务费")
    assert service.unit == "元/户/月"
    row = next(
        r
        for r in range(setup_tab.ui.itemTable.rowCount())
        if setup_tab.ui.itemTable.item(r, 0).text() == "物业服务费"
    )
    assert setup_tab.ui.itemTable.item(row, 5).text() == "元/户/月"
