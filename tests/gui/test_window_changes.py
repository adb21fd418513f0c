"""The main window tells the screen on show what a committed write changed, and goes
where a screen asks (the navigator)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Role
from frontdesk.gui.app import SignedInSession
from frontdesk.gui.context import AppContext
from frontdesk.gui.main_window import MainWindow
from frontdesk.gui.navigation import Counter
from frontdesk.gui.screens.cashier.screen import CashierScreen
from frontdesk.gui.screens.household.screen import RoomsScreen
from frontdesk.gui.tasks import TaskRunner
from frontdesk.services import community
from frontdesk.services.fees import billing, payments
from frontdesk.services.households import file as households
from tests.unit.fee_fixtures import Community, make_community


@pytest.fixture
def town(db, admin) -> Community:
    community = make_community(db, admin)
    billing.run_billing(db, admin, Period.of(clock.today()))
    return community


@pytest.fixture
def window(qtbot, ctx: AppContext, town: Community) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def pay_all(ctx: AppContext, room_id: int) -> str:
    view = payments.counter_view(ctx.db, ctx.actor, room_id)
    due = sum(b.outstanding_fen for b in view.open_bills)
    request = payments.PaymentRequest(
        room_id,
        tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
        (payments.TenderInput(PayMethod.CASH, due),),
    )
    return payments.post_payment(ctx.db, ctx.actor, request).receipt_no


def test_a_payment_posted_on_a_worker_thread_shows_in_the_cashiers_receipts(
    qtbot, window: MainWindow, ctx: AppContext, town: Community
) -> None:
    cashier = window.show_area("cashier")
    assert isinstance(cashier, CashierScreen) and cashier.receipts is not None
    cashier.ui.tabs.setCurrentWidget(cashier.receipts)
    assert cashier.receipts.ui.table.rowCount() == 0
    posted: list[str] = []
    worker = threading.Thread(target=lambda: posted.append(pay_all(ctx, town.occupied)))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: cashier.receipts.ui.table.rowCount() == 1)  # type: ignore[union-attr]
    assert cashier.receipts.ui.table.item(0, 0).text() == posted[0]


def test_a_screen_not_shown_reloads_when_next_shown(
    qtbot, window: MainWindow, ctx: AppContext, town: Community
) -> None:
    cashier = window.show_area("cashier")
    assert isinstance(cashier, CashierScreen) and cashier.receipts is not None
    cashier.ui.tabs.setCurrentWidget(cashier.receipts)
    window.show_area("households")
    with qtbot.waitSignal(window.data_changed):
        pay_all(ctx, town.occupied)
    assert cashier.receipts.ui.table.rowCount() == 0  # hidden: not reloaded behind the clerk
    window.show_area("cashier")
    assert cashier.receipts.ui.table.rowCount() == 1


def test_the_open_household_file_shows_a_person_added_elsewhere_still_unmasked(
    qtbot, window: MainWindow, ctx: AppContext, town: Community
) -> None:
    rooms = window.show_area("households")
    assert isinstance(rooms, RoomsScreen)
    rooms.open_room(town.occupied)
    rooms.file_view.toggle_reveal()
    with qtbot.waitSignal(window.data_changed):
        households.add_record(  # as the roster import would, from the menu
            ctx.db,
            ctx.actor,
            town.occupied,
            households.PersonInput(PersonKind.OWNER, "张三", phone="13912345678"),
        )
    file = rooms.file_view.file
    assert file is not None and [p.name for p in file.people] == ["张三"]
    assert not file.masked


def test_a_renamed_community_retitles_the_window(qtbot, window: MainWindow, ctx) -> None:
    info = community.get_community(ctx.db)
    with qtbot.waitSignal(window.data_changed):
        community.update_community(ctx.db, ctx.actor, replace(info, name="新名字小区"))
    assert window.windowTitle() == "物业前台 — 新名字小区"


def test_a_new_idle_lock_time_applies_without_signing_in_again(qtbot, db, admin) -> None:
    session = SignedInSession(db, admin)
    qtbot.addWidget(session.window)
    with qtbot.waitSignal(session.window.data_changed):
        community.set_idle_lock_minutes(db, admin, 3)
    assert session.idle.minutes == 3
    session.idle.stop()


def test_a_closed_window_stops_listening(qtbot, ctx: AppContext, town: Community) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert ctx.db.on_change is not None
    window.close()
    assert ctx.db.on_change is None


def test_a_role_without_the_counter_is_not_taken_there(
    qtbot, db, town: Community, make_user
) -> None:
    clerk = AppContext(db, make_user(Role.CLERK), TaskRunner())
    window = MainWindow(clerk)
    qtbot.addWidget(window)
    assert not clerk.navigator.go(Counter(town.occupied))
    assert window.ui.screenTitle.text() == "今日工作"  # where it was


def test_the_counter_opens_on_the_room_asked_for(qtbot, window: MainWindow, ctx, town) -> None:
    assert ctx.navigator.go(Counter(town.occupied))
    cashier = window.area_screen("cashier")
    assert isinstance(cashier, CashierScreen) and cashier.counter is not None
    assert window.ui.screenTitle.text() == "收费"
    assert cashier.counter.view is not None and cashier.counter.view.room_id == town.occupied
