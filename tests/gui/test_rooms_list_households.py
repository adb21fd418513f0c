"""户档案's rooms list names each room's owner with the phone masked and marks what is
owed; the household file's header shows the arrears too. The bills are for the three
months before the clock's month, so the test holds on any set date."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from sqlalchemy import event

from frontdesk.domain import clock
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.money import format_yuan
from frontdesk.domain.periods import Period
from frontdesk.gui.context import AppContext
from frontdesk.gui.screens.household.screen import LIST_SHOWS, ROOM_COLUMNS, RoomsScreen
from frontdesk.gui.widgets.colours import RED
from frontdesk.services.database import Changes
from frontdesk.services.fees import account, billing, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from tests.unit.fee_fixtures import Community, make_community

# 1-1-101: 物业服务费 223.75 + 生活垃圾处理费 10.00 a month, three months unpaid.
OWED_101 = 3 * (22375 + 1000)


def _column(title: str) -> int:
    return [c.title for c in ROOM_COLUMNS].index(title)


@pytest.fixture
def community(ctx: AppContext) -> Community:
    db, admin = ctx.db, ctx.actor
    place = make_community(db, admin)
    for name, phone in (("张三", "13800001111"), ("王五", "13900002222")):
        owner = households.PersonInput(PersonKind.OWNER, name, phone=phone)
        households.add_record(db, admin, place.occupied, owner)
    this_month = Period.of(clock.today())
    for months_back in (3, 2, 1):
        period = this_month.shifted(-months_back)
        billing.run_billing(db, admin, period, today=period.first_day)
    return place


@pytest.fixture
def screen(qtbot, ctx: AppContext, community: Community) -> RoomsScreen:
    screen = RoomsScreen(ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 680)
    screen.show()
    screen.refresh()
    return screen


def _row(screen: RoomsScreen, room_id: int) -> dict[str, str]:
    row = screen.model.row_of(room_id)
    return {
        c.title: screen.model.data(screen.model.index(row, n)) for n, c in enumerate(ROOM_COLUMNS)
    }


def test_each_row_shows_the_owner_the_masked_phone_and_what_is_owed(
    screen: RoomsScreen, community: Community
) -> None:
    row = _row(screen, community.occupied)
    assert (row["业主"], row["电话"]) == ("张三等2人", "138****1111")
    assert row["欠费(元)"] == format_yuan(OWED_101)
    owing = screen.model.index(screen.model.row_of(community.occupied), _column("欠费(元)"))
    assert screen.model.data(owing, Qt.ItemDataRole.ForegroundRole) == QColor(RED)
    unsold = _row(screen, community.unsold)
    assert (unsold["业主"], unsold["电话"], unsold["欠费(元)"]) == ("", "", "")


def test_the_full_phone_number_is_in_no_cell(screen: RoomsScreen) -> None:
    model = screen.model
    cells = {
        model.data(model.index(r, c))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    }
    assert not {"13800001111", "13900002222"} & cells
    assert not any("0000111" in text for text in cells)


def test_the_columns_beside_the_file_fit_without_a_sideways_scroll_bar(
    screen: RoomsScreen,
) -> None:
    table = screen.ui.roomTable
    shown = [_column(t) for t in ("房号", "业主", "电话", "状态", "欠费(元)")]
    assert [c for c in range(len(ROOM_COLUMNS)) if not table.isColumnHidden(c)] == shown
    assert not table.horizontalScrollBar().isVisible()


def test_a_page_of_rows_is_one_query(ctx: AppContext, community: Community) -> None:
    ids = structure.room_ids(ctx.db, ctx.actor)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        rows = structure.room_rows(ctx.db, ctx.actor, ids)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)
    assert len(rows) == len(ids) == 4
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_the_file_header_shows_the_arrears_in_red(
    screen: RoomsScreen, community: Community
) -> None:
    screen.open_room(community.occupied)
    label = screen.file_view.ui.owingLabel
    assert label.isVisible()
    assert label.text() == f"欠费 ¥{format_yuan(OWED_101)}"
    assert RED in label.styleSheet()
    screen.open_room(community.unsold)
    assert not screen.file_view.ui.owingLabel.isVisible()


def test_a_payment_clears_the_mark_in_the_list(
    screen: RoomsScreen, community: Community, ctx: AppContext
) -> None:
    assert _row(screen, community.occupied)["欠费(元)"]  # read, and cached by the model
    owed = account.household_account(ctx.db, ctx.actor, community.occupied).bills
    allocations = tuple((b.bill_id, b.outstanding_fen) for b in owed if b.outstanding_fen)
    total = sum(fen for _, fen in allocations)
    assert total == OWED_101
    seen: list[Changes] = []
    ctx.db.on_change = seen.append
    payments.post_payment(
        ctx.db,
        ctx.actor,
        PaymentRequest(community.occupied, allocations, (TenderInput(PayMethod.CASH, total),)),
    )
    assert seen and seen[-1].touches(LIST_SHOWS)
    screen.changed(seen[-1])  # as the main window relays a committed write
    assert _row(screen, community.occupied)["欠费(元)"] == ""


def test_the_list_owes_what_the_files_bills_tab_says(ctx: AppContext, community: Community) -> None:
    ids = structure.room_ids(ctx.db, ctx.actor)
    rows = structure.room_rows(ctx.db, ctx.actor, ids)
    assert any(r.owing_fen for r in rows)
    for row in rows:
        bills = account.household_account(ctx.db, ctx.actor, row.id)
        assert row.owing_fen == bills.outstanding_fen, row.code
