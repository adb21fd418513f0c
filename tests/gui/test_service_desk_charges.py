"""Paid repairs in the GUI: 设置 › 客服设置's price list kept by a supervisor (read-only
for others), the charge dialog's search, quantity and refusals, 作废收费 with a reason,
and the order's charge state on the board until the cashier's receipt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod, PayMethod
from frontdesk.domain.repair_prices import PriceKind
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.service_desk import Channel, Kind, Status, Team
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.admin.repair_prices_tab import RepairPriceDialog, RepairPricesTab
from frontdesk.gui.screens.admin.screen import SettingsScreen
from frontdesk.gui.screens.service_desk import step_dialogs
from frontdesk.gui.screens.service_desk.board_tab import BoardTab
from frontdesk.gui.screens.service_desk.charge_dialog import RepairChargeDialog
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import service_desk as desk
from frontdesk.services.database import Database
from frontdesk.services.fees import items as fee_items
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import structure
from frontdesk.services.service_desk import ChargeState, OrderInput, RepairLine


@pytest.fixture
def room(db: Database, admin: Actor) -> int:
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]


def arrived(db: Database, admin: Actor, room: int) -> int:
    water = desk.category_id(db, "水电")
    taken = desk.take_order(
        db, admin, OrderInput(Kind.REPAIR_HOME, Channel.PHONE, water, "角阀漏水", room_id=room)
    )
    plumber = desk.save_staff(db, admin, desk.StaffInput("王师傅", Team.ENGINEERING))
    desk.dispatch(db, admin, taken.order_id, staff_id=plumber)
    desk.arrive(db, admin, taken.order_id)
    return taken.order_id


def price(db: Database, name: str) -> int:
    return next(p.id for p in desk.price_list(db, include_inactive=True) if p.name == name)


def board_on(qtbot, ctx: AppContext, order_id: int) -> BoardTab:
    board = BoardTab(ctx)
    qtbot.addWidget(board)
    board.refresh()
    assert board.select_order(order_id)
    return board


# the price list ------------------------------------------------------------------------


@pytest.fixture
def prices_tab(qtbot, db, make_user) -> RepairPricesTab:
    ctx = AppContext(db, make_user(Role.SUPERVISOR), TaskRunner(wait=True))
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    found = screen.show_tab("有偿维修价目")
    assert isinstance(found, RepairPricesTab)
    return found


def _names(tab: RepairPricesTab) -> list[str]:
    return [tab.table.item(r, 1).text() for r in range(tab.table.rowCount())]


def test_a_supervisor_adds_changes_and_retires_a_price(
    qtbot, prices_tab: RepairPricesTab, db, monkeypatch
) -> None:
    assert "角阀" in _names(prices_tab)

    def add(dialog: RepairPriceDialog) -> int:
        dialog.kind.select(PriceKind.MATERIAL)
        dialog.nameEdit.setText("生料带")
        dialog.unitEdit.setText("卷")
        dialog.priceEdit.setText("3.5")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(RepairPriceDialog, "exec", add)
    prices_tab.new_price()
    added = next(p for p in desk.price_list(db) if p.name == "生料带")
    assert (added.kind, added.unit, added.unit_fen) == (PriceKind.MATERIAL, "卷", 350)
    at = _names(prices_tab).index("生料带")
    assert prices_tab.table.item(at, 3).text() == "3.50"

    prices_tab.table.setCurrentCell(at, 0)

    def change(dialog: RepairPriceDialog) -> int:
        dialog.priceEdit.setText("4")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(RepairPriceDialog, "exec", change)
    prices_tab.edit_price()
    assert next(p for p in desk.price_list(db) if p.name == "生料带").unit_fen == 400

    prices_tab.table.setCurrentCell(_names(prices_tab).index("生料带"), 0)
    prices_tab.toggle_active()
    assert "生料带" not in [p.name for p in desk.price_list(db)]  # out of use
    assert prices_tab.table.item(_names(prices_tab).index("生料带"), 4).text() == "停用"


def test_a_bad_price_is_refused_naming_the_field(qtbot, prices_tab: RepairPricesTab, db):
    before = desk.price_list(db, include_inactive=True)
    dialog = RepairPriceDialog(prices_tab.ctx, None, prices_tab)
    qtbot.addWidget(dialog)
    dialog.nameEdit.setText("换锁芯")
    dialog.accept()
    assert "单价" in dialog.errorLabel.text()
    dialog.priceEdit.setText("十元")
    dialog.accept()
    assert "单价" in dialog.errorLabel.text()
    dialog.priceEdit.setText("25")
    dialog.nameEdit.setText("角阀")  # already on the list
    dialog.accept()
    assert "项目名称" in dialog.errorLabel.text()
    assert dialog.saved_id is None
    assert desk.price_list(db, include_inactive=True) == before


def test_the_fee_item_is_chosen_from_one_off_items(
    qtbot, prices_tab: RepairPricesTab, db, admin, shown
) -> None:
    wanted = fee_items.add_fee_item(db, admin, "维修服务费", "有偿服务", FeeMethod.ONE_OFF)
    fee_items.add_fee_item(db, admin, "物业费", "物业服务费", FeeMethod.FIXED_MONTHLY)
    planned = fee_items.add_fee_item(db, admin, "上门服务费", "有偿服务", FeeMethod.ONE_OFF)
    fee_items.add_price_plan(db, admin, planned, 500_000, clock.today())
    prices_tab.refresh()
    combo = prices_tab.itemCombo
    assert combo.currentData() == 0  # none chosen yet
    assert [combo.itemData(i) for i in range(1, combo.count())] == [wanted, planned]
    combo.setCurrentIndex(combo.findData(planned))
    prices_tab.choose_item()  # it has a price plan: refused, the combo as it was
    assert "收费标准" in shown[-1][2]
    assert desk.repair_terms(db).fee_item_id == 0 and combo.currentData() == 0
    combo.setCurrentIndex(combo.findData(wanted))
    prices_tab.choose_item()
    assert desk.repair_terms(db).fee_item_id == wanted
    assert combo.currentData() == wanted and "维修服务费" in prices_tab.messageLabel.text()


def test_the_price_list_is_read_only_without_the_supervisors_right(qtbot, db, make_user):
    ctx = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    screen = SettingsScreen(ctx)
    qtbot.addWidget(screen)
    tab = screen.show_tab("有偿维修价目")
    assert isinstance(tab, RepairPricesTab)
    assert tab.table.rowCount() == len(desk.price_list(db, include_inactive=True))
    assert not tab.newButton.isEnabled() and not tab.editButton.isEnabled()
    assert not tab.activeButton.isEnabled() and not tab.itemCombo.isEnabled()


# the charge ---------------------------------------------------------------------------


def test_an_order_on_site_is_finished_and_charged_in_one_dialog(
    qtbot, ctx: AppContext, db, admin, room
) -> None:
    order_id = arrived(db, admin, room)
    board = board_on(qtbot, ctx, order_id)
    assert board.buttons["charge"].isEnabled()
    assert not board.buttons["void_charge"].isEnabled()
    row = board.selected()
    assert row is not None
    dialog = RepairChargeDialog(ctx, row, desk.price_list(db))
    qtbot.addWidget(dialog)
    assert dialog.finishing and dialog.ui.workEdit.isVisibleTo(dialog)
    ui = dialog.ui
    ui.filterEdit.setText("水管")
    assert [p.name for p in dialog.shown_prices] == ["PPR 水管"]
    ui.quantityEdit.setText("2.555")
    assert not dialog.add_line()
    assert "数量" in ui.errorLabel.text() and dialog.lines == []
    ui.quantityEdit.setText("2.5")
    assert dialog.add_line()
    ui.filterEdit.setText("材料")  # every material; ↓ picks the second
    QTest.keyClick(ui.filterEdit, Qt.Key.Key_Down)
    assert dialog.chosen_price() == dialog.shown_prices[1]
    dialog.save()  # no work written
    assert "处理结果" in ui.errorLabel.text() and dialog.charge_id is None
    assert desk.order_facts(db, admin, order_id).row.status == Status.ARRIVED
    ui.workEdit.setText("更换水管")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.charge_id is not None
    (charge,) = desk.order_charges(db, admin, order_id)
    assert charge.total_fen == 3000 and charge.materials_fen == 3000
    facts = desk.order_facts(db, admin, order_id)
    assert facts.row.status == Status.FINISHED and facts.materials == "PPR 水管 2.5 米"


def test_an_unpaid_charge_is_voided_with_a_reason_and_a_paid_one_shows_its_receipt(
    qtbot, ctx: AppContext, db, admin, room, monkeypatch, make_user
) -> None:
    order_id = arrived(db, admin, room)
    desk.finish_paid(db, admin, order_id, "换角阀", (RepairLine(price(db, "角阀"), 200),))
    board = board_on(qtbot, ctx, order_id)
    assert board.charge_label.text() == "维修费 36.00 元：待收（在住户账单中，到收费处缴纳）"
    assert not board.buttons["charge"].isEnabled()
    assert "如有误请先作废" in board.buttons["charge"].toolTip()

    def void(dialog: step_dialogs.ReasonDialog) -> int:
        dialog.save()  # no reason
        assert "作废原因" in dialog.error_label.text()
        dialog.reason_edit.setText("数量记错")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(step_dialogs.ReasonDialog, "exec", void)
    board.do_step("void_charge")
    assert board.charge_label.text() == "维修费 36.00 元：已作废（数量记错）"
    assert board.buttons["charge"].isEnabled()  # charged again, rightly this time

    desk.charge_repair(db, admin, order_id, (RepairLine(price(db, "角阀"), 100),))
    cashier = make_user(Role.CASHIER)
    view = payments.counter_view(db, cashier, room, clock.today())
    (bill,) = view.open_bills
    posted = payments.post_payment(
        db,
        cashier,
        PaymentRequest(
            room, ((bill.bill_id, 1800),), (TenderInput(PayMethod.CASH, 1800),), payer="张三"
        ),
        clock.today(),
    )
    board.refresh()
    assert board.charge_label.text() == f"维修费 18.00 元：已收，收据 {posted.receipt_no}"
    assert board.ui.receiptButton.isEnabled()
    board.ui.receiptButton.click()  # no main window to take the clerk there
    assert board.result_label.text() == f"请到 收费 → 收据 查找收据 {posted.receipt_no}"
    assert not board.buttons["void_charge"].isEnabled()
    assert "收费处作废收据" in board.buttons["void_charge"].toolTip()
    paid = [c for c in desk.order_charges(db, admin, order_id) if c.state == ChargeState.PAID]
    assert [c.receipts for c in paid] == [(posted.receipt_no,)]


def test_a_clerk_may_charge_but_not_void(qtbot, db, admin, room, make_user) -> None:
    order_id = arrived(db, admin, room)
    desk.finish_paid(db, admin, order_id, "换角阀", (RepairLine(price(db, "角阀")),))
    ctx = AppContext(db, make_user(Role.CLERK), TaskRunner(wait=True))
    board = board_on(qtbot, ctx, order_id)
    assert board.charge_label.text().startswith("维修费 18.00 元：待收")
    assert not board.buttons["void_charge"].isEnabled()
    assert "主管" in board.buttons["void_charge"].toolTip()


def test_public_area_repairs_and_complaints_are_not_charged(qtbot, ctx, db, admin, room):
    noise = desk.category_id(db, "噪音")
    taken = desk.take_order(
        db, admin, OrderInput(Kind.COMPLAINT, Channel.PHONE, noise, "噪音", room_id=room)
    )
    board = board_on(qtbot, ctx, taken.order_id)
    assert not board.buttons["charge"].isEnabled()
    assert board.buttons["charge"].toolTip() == "只有户内报修可以有偿维修"
    assert board.charge_label.text() == ""


def test_the_paid_repairs_receipt_opens_in_the_cashiers_journal(
    qtbot, ctx: AppContext, db, admin, room, make_user
) -> None:
    from frontdesk.gui.main_window import MainWindow
    from frontdesk.gui.screens.cashier.screen import CashierScreen
    from frontdesk.gui.screens.service_desk.screen import ServiceDeskScreen

    order_id = arrived(db, admin, room)
    desk.finish_paid(db, admin, order_id, "换角阀", (RepairLine(price(db, "角阀")),))
    cashier = make_user(Role.CASHIER)
    (bill,) = payments.counter_view(db, cashier, room, clock.today()).open_bills
    posted = payments.post_payment(
        db,
        cashier,
        PaymentRequest(
            room, ((bill.bill_id, 1800),), (TenderInput(PayMethod.CASH, 1800),), payer="张三"
        ),
        clock.today(),
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    screen = window.show_area("service")
    assert isinstance(screen, ServiceDeskScreen)
    assert screen.board.select_order(order_id)
    screen.board.ui.receiptButton.click()
    journal = window.area_screen("cashier")
    assert isinstance(journal, CashierScreen) and journal.receipts is not None
    assert window.ui.stack.currentWidget() is journal
    selected = journal.receipts.selected()
    assert selected is not None and selected.number == posted.receipt_no
