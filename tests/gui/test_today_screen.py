"""今日工作 as each role first sees it after sign-in: its own lines, and a click (or
Enter) on a line opens the list behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget

from frontdesk.domain import clock
from frontdesk.domain.arrears import Channel as ReminderChannel
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import CareCategory
from frontdesk.domain.issued import Output
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.screens.today.screen import TEXT, TodayScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.printouts import reminders as printed
from frontdesk.services import community as office
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.arrears import reminders
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, cash_close, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.visitors import register
from tests.unit.fee_fixtures import make_community

MakeUser = Callable[..., Actor]


@pytest.fixture
def building(db: Database, admin: Actor) -> int:
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    return one.id


@pytest.fixture
def room(db: Database, admin: Actor, building: int) -> int:
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building))[0]


def _home(qtbot, db: Database, actor: Actor) -> tuple[MainWindow, TodayScreen]:
    window = MainWindow(AppContext(db, actor, TaskRunner(wait=True)))
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    assert window.ui.screenTitle.text() == "今日工作"
    screen = window.area_screen("today")
    assert isinstance(screen, TodayScreen)
    return window, screen


def _texts(screen: TodayScreen) -> list[str]:
    table = screen.ui.table
    return [table.item(i, TEXT).text() for i in range(table.rowCount())]


def _click(qtbot, screen: TodayScreen, text: str) -> None:
    row = _texts(screen).index(text)
    table = screen.ui.table
    rect = table.visualItemRect(table.item(row, TEXT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _shown(window: MainWindow) -> tuple[str, str]:
    tabs = window.ui.stack.currentWidget().findChild(QTabWidget)
    return window.ui.screenTitle.text(), tabs.tabText(tabs.currentIndex())


def test_the_clerk_opens_the_visitors_inside_from_home(
    qtbot, db: Database, room: int, make_user: MakeUser
) -> None:
    clerk = make_user(Role.CLERK)
    register.register_visit(
        db, clerk, register.VisitInput(room, "王五", "13900001111", confirmed_by="业主")
    )
    window, screen = _home(qtbot, db, clerk)
    texts = _texts(screen)
    assert texts[0] == "已超时工单 0 单"
    assert "在场访客 1 批 1 人" in texts
    assert not any("备份" in t or "本班" in t for t in texts)  # not a clerk's
    # A visit registered elsewhere (another counter's write comes the same way): the
    # home screen counts again on the main window's relay of the change.
    register.register_visit(
        db, clerk, register.VisitInput(room, "赵六", "13900002222", confirmed_by="业主")
    )
    qtbot.waitUntil(lambda: "在场访客 2 批 2 人" in _texts(screen))
    _click(qtbot, screen, "在场访客 2 批 2 人")
    assert _shown(window) == ("访客", "在场访客")


def test_the_home_screen_counts_again_every_minute_while_shown(
    qtbot, db: Database, room: int, make_user: MakeUser
) -> None:
    clerk = make_user(Role.CLERK)
    _window, screen = _home(qtbot, db, clerk)
    assert screen.timer.isActive() and screen.timer.interval() == 60_000
    db.on_change = None  # no relay: only the timer can bring the new visit in
    register.register_visit(
        db, clerk, register.VisitInput(room, "王五", "13900001111", confirmed_by="业主")
    )
    assert "在场访客 1 批 1 人" not in _texts(screen)
    screen.timer.timeout.emit()
    assert "在场访客 1 批 1 人" in _texts(screen)


def test_the_butler_opens_his_contacts_from_home_by_keyboard(
    qtbot, db: Database, admin: Actor, building: int, make_user: MakeUser
) -> None:
    butler = make_user(Role.BUTLER)
    households.assign_butler(db, admin, building, butler.user_id)
    today = clock.today()
    rooms = structure.room_ids(db, admin, structure.RoomFilter(building_id=building))
    for room in rooms:  # the building's 4 homes, all lived in
        change = structure.RoomChange(
            "89.50", RoomType.RESIDENCE, RoomStatus.OCCUPIED, date(2020, 5, 1)
        )
        structure.update_room(db, admin, room, change)
    # 关怀: 王奶奶 visited weekly, last 10 days ago (3 days overdue); 李爷爷 weekly, last
    # 7 days ago (due today, not overdue); 赵伯伯 monthly, last 3 days ago (not due).
    for room, name, every, last in (
        (rooms[0], "王奶奶", 7, 10),
        (rooms[1], "李爷爷", 7, 7),
        (rooms[2], "赵伯伯", 30, 3),
    ):
        care = households.CareInput(name, CareCategory.ALONE, "", every, today - timedelta(last))
        households.add_record(db, butler, room, care)
    window, screen = _home(qtbot, db, butler)
    texts = _texts(screen)
    # 10% of 4 homes is 0.4, rounded up: 1 home to reach, none reached yet
    quota = "本月已联系 0/4 户，达标（10%）还差 1 户"
    assert quota in texts and "应探访的关怀对象 2 位，其中逾期 1 位" in texts
    assert not any("在场访客" in t for t in texts)
    table = screen.ui.table
    table.setFocus()
    table.setCurrentCell(texts.index(quota), TEXT)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert _shown(window) == ("报表", "管家工作")


def test_the_supervisor_sees_complaints_first_and_opens_the_backups(
    qtbot, db: Database, room: int, make_user: MakeUser
) -> None:
    window, screen = _home(qtbot, db, make_user(Role.SUPERVISOR))
    texts = _texts(screen)
    assert texts[0] == "逾期投诉 0 件，未督办 0 件"
    assert texts[-1] == "从未备份，请立即备份"
    _click(qtbot, screen, "从未备份，请立即备份")
    assert _shown(window) == ("设置", "备份与恢复")
    window.show_area("today")  # back home: the lines are counted again
    assert _texts(screen)[-1] == "从未备份，请立即备份"


def _pay(db: Database, cashier: Actor, room: int, fee_item: int, tender: TenderInput) -> None:
    """Part of the room's oldest bill of `fee_item`, the tender's amount."""
    bills = payments.counter_view(db, cashier, room, clock.today()).open_bills
    bill = next(b for b in bills if b.fee_item_id == fee_item)
    request = PaymentRequest(room, ((bill.bill_id, tender.amount_fen),), (tender,))
    payments.post_payment(db, cashier, request, clock.today())


def test_the_cashier_sees_her_shift_and_arrears_lines_counted_by_hand_and_opens_them(
    qtbot, db: Database, admin: Actor, make_user: MakeUser
) -> None:
    town = make_community(db, admin)  # tests/unit/fee_fixtures.py: 1-1-101 … 1-1-202
    info = office.get_community(db)
    office.update_community(db, admin, replace(info, company_name="金盾物业服务有限公司"))
    reminders.set_payment_details(
        db,
        admin,
        reminders.PaymentDetails("每日 8:30-17:30", "金盾物业服务有限公司", "工商银行", "4301"),
    )
    today = clock.today()
    for period in (Period.of(today).shifted(-1), Period.of(today)):
        billing.run_billing(db, admin, period, today=today)
    cashier = make_user(Role.CASHIER)
    # Her shift: two receipts, 100.00 in cash (on 1-1-101's 物业服务费) and 5.50 by WeChat
    # (on 1-1-102's 垃圾费): 收据 2 张, 实收 100.00 + 5.50 = 105.50 元.
    _pay(db, cashier, town.occupied, town.service, TenderInput(PayMethod.CASH, 10000))
    _pay(db, cashier, town.vacant, town.rubbish, TenderInput(PayMethod.WECHAT, 550))
    # Another cashier's receipt is not in her shift.
    other = make_user(Role.CASHIER, "cashier2")
    _pay(db, other, town.occupied, town.rubbish, TenderInput(PayMethod.CASH, 300))
    # One promise to pay today (1-1-101); 1-1-102's promise was replaced by a later call
    # without one; one notice printed to 1-1-102 and not yet delivered.
    promise = arrears.ReminderInput(town.occupied, ReminderChannel.PHONE, "答应今天付款", today)
    arrears.log_reminder(db, admin, promise)
    earlier = arrears.ReminderInput(town.vacant, ReminderChannel.PHONE, "答应付款", today)
    arrears.log_reminder(db, admin, earlier)
    arrears.log_reminder(
        db, admin, arrears.ReminderInput(town.vacant, ReminderChannel.PHONE, "未接")
    )
    draft = next(
        d for d in reminders.draft_notices(db, admin, today=today) if d.room_id == town.vacant
    )
    batch = printed.prepare_reminders(db, admin, [draft], 1, today=today)
    printed.record_printed(db, admin, batch, Output.PRINTED)

    window, screen = _home(qtbot, db, cashier)
    assert _texts(screen) == [
        "本班未交班：收据 2 张，实收 105.50 元",
        "今日到期的付款承诺 1 户",
        "已打印待送达的催缴通知 1 份",
    ]
    _click(qtbot, screen, "本班未交班：收据 2 张，实收 105.50 元")
    assert _shown(window) == ("收费", "交班日结")

    # 交班: the cash counted is the 100.00 expected; back home the shift is empty again.
    cash_close.close_cash(db, cashier, "shift", 10000, today=today)
    window.show_area("today")
    texts = _texts(screen)
    assert texts[0] == "本班尚无收款"
    table = screen.ui.table
    table.setFocus()
    table.setCurrentCell(texts.index("已打印待送达的催缴通知 1 份"), TEXT)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert _shown(window) == ("催缴", "送达登记")


def test_the_administrator_sees_the_supervisors_lines(
    qtbot, db: Database, admin: Actor, room: int, make_user: MakeUser
) -> None:
    _window, boss = _home(qtbot, db, make_user(Role.SUPERVISOR))
    window, screen = _home(qtbot, db, admin)
    assert _texts(screen) == _texts(boss)
    assert _texts(screen)[0] == "逾期投诉 0 件，未督办 0 件" and len(_texts(screen)) == 18
    _click(qtbot, screen, "本班尚无收款")
    assert _shown(window) == ("收费", "交班日结")
