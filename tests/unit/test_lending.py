"""物品借用: items with their stock, lending to a household and taking back, the deposit
billed on the room for the cashier (a receipt) and refunded through the refund flow,
the overdue list, the register's retention, home-screen line and handover item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from frontdesk.db.models import AuditEntry, Bill, ItemLoan
from frontdesk.domain.fees import Collection, FeeMethod, PayMethod
from frontdesk.domain.lending import DepositState, LoanState
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.services import lending
from frontdesk.services.database import Database
from frontdesk.services.fees import items as fees
from frontdesk.services.fees import payments, refunds
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.fees.refunds import RefundRequest
from tests.unit.fee_fixtures import TODAY, Community, make_community

pytestmark = pytest.mark.clock(TODAY)
NOW = datetime.combine(TODAY, time(10)).astimezone().astimezone(UTC)


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


@pytest.fixture
def clerk(make_user: Callable[[Role], Actor]) -> Actor:
    return make_user(Role.CLERK)


def item(db: Database, admin: Actor, town: Community, **changes: object) -> int:
    values: dict[str, object] = {"name": "梯子", "stock": 2, "loan_days": 2}
    values.update(changes)
    return lending.save_item(db, admin, lending.ItemInput(**values)).id  # type: ignore[arg-type]


def loan(item_id: int, room: int, **changes: object) -> lending.LoanInput:
    values: dict[str, object] = {
        "item_id": item_id,
        "room_id": room,
        "borrower": "张三",
        "borrower_phone": "13812345678",
    }
    values.update(changes)
    return lending.LoanInput(**values)  # type: ignore[arg-type]


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_item_is_lent_within_its_stock_and_taken_back(db, admin, clerk, town) -> None:
    ladder = item(db, admin, town)
    first = lending.lend_item(db, clerk, loan(ladder, town.occupied), now=NOW)
    assert (first.item, first.room_code, first.phone) == ("梯子", "1-1-101", "138****5678")
    assert (first.due_on, first.state, first.deposit) == (
        TODAY + timedelta(days=2),
        LoanState.OUT,
        DepositState.NONE,
    )
    lending.lend_item(db, clerk, loan(ladder, town.vacant), now=NOW)
    with pytest.raises(ValidationError, match="“梯子”现可借 0 件，不够借 1 件"):
        lending.lend_item(db, clerk, loan(ladder, town.new), now=NOW)
    assert count(db, ItemLoan) == 2
    assert lending.list_items(db, clerk)[0].available == 0
    lending.return_item(db, clerk, first.id, now=NOW + timedelta(hours=3))
    with pytest.raises(UserError, match="已于 11-25 13:00 归还"):
        lending.return_item(db, clerk, first.id, now=NOW + timedelta(hours=4))
    assert lending.list_items(db, clerk)[0].available == 1
    assert [r.room_code for r in lending.list_loans(db, clerk, now=NOW)] == ["1-1-102"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"borrower": ""}, "借用人"),
        ({"borrower_phone": ""}, "借用人电话"),
        ({"borrower_phone": "12"}, "借用人电话"),
        ({"quantity": 0}, "数量"),
        ({"quantity": 3}, "数量"),
    ],
)
def test_bad_lendings_name_the_field_and_keep_nothing(
    db, admin, clerk, town, changes, field
) -> None:
    ladder = item(db, admin, town)
    with pytest.raises(ValidationError) as raised:
        lending.lend_item(db, clerk, loan(ladder, town.occupied, **changes), now=NOW)
    assert raised.value.field == field
    assert count(db, ItemLoan) == 0


def test_items_are_set_by_the_office_and_stock_never_below_what_is_out(
    db, admin, clerk, town
) -> None:
    ladder = item(db, admin, town)
    with pytest.raises(PermissionDenied):
        lending.save_item(db, clerk, lending.ItemInput("雨伞", 20))
    with pytest.raises(ValidationError, match="已登记"):
        item(db, admin, town)
    with pytest.raises(ValidationError, match="押金收费项目"):
        item(db, admin, town, name="手推车", deposit_fen=5_000)
    with pytest.raises(ValidationError, match="借用天数"):
        item(db, admin, town, name="手推车", loan_days=0)
    lending.lend_item(db, clerk, loan(ladder, town.occupied, quantity=2), now=NOW)
    with pytest.raises(ValidationError, match="现有 2 件借出未还，库存不能少于 2"):
        lending.save_item(db, admin, lending.ItemInput("梯子", 1), ladder)
    assert lending.save_item(db, admin, lending.ItemInput("梯子", 5), ladder).available == 3


def test_the_deposit_goes_through_the_cashier_and_its_refund(db, admin, clerk, town) -> None:
    with pytest.raises(ValidationError, match="“装修押金”有收费标准"):
        item(db, admin, town, name="手推车", deposit_fen=10_000, deposit_item_id=town.deposit)
    fee = fees.add_fee_item(db, admin, "借用押金", "押金", FeeMethod.DEPOSIT, Collection.DEPOSIT)
    trolley = item(db, admin, town, name="手推车", deposit_fen=10_000, deposit_item_id=fee)
    bills_before = count(db, Bill)
    out = lending.lend_item(db, clerk, loan(trolley, town.occupied, quantity=2), now=NOW)
    assert (out.deposit_fen, out.deposit) == (20_000, DepositState.UNPAID)
    assert count(db, Bill) == bills_before + 1
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    (bill,) = [b for b in view.open_bills if b.fee_item == "借用押金"]
    assert (bill.outstanding_fen, bill.description) == (20_000, "借用 手推车 ×2")
    request = PaymentRequest(
        town.occupied, ((bill.bill_id, 20_000),), (TenderInput(PayMethod.CASH, 20_000),)
    )
    receipt = payments.post_payment(db, admin, request, TODAY).receipt_no
    assert receipt
    assert lending.list_loans(db, clerk, now=NOW)[0].deposit == DepositState.HELD
    back = lending.return_item(db, clerk, out.id, now=NOW + timedelta(days=1))
    assert (back.state, back.deposit) == (LoanState.RETURNED, DepositState.HELD)
    refund = RefundRequest(
        town.occupied, PayMethod.CASH, "借用物品已归还", payee="张三", deposit_bill_id=bill.bill_id
    )
    assert refunds.post_refund(db, admin, refund, TODAY).amount_fen == 20_000
    (row,) = lending.room_loans(db, clerk, town.occupied, now=NOW)
    assert row.deposit == DepositState.REFUNDED


def test_the_overdue_list_the_home_screen_and_the_handover(db, admin, clerk, town) -> None:
    ladder = item(db, admin, town)
    umbrella = item(db, admin, town, name="雨伞", stock=20, loan_days=1)
    lending.lend_item(db, clerk, loan(ladder, town.occupied), now=NOW - timedelta(days=5))
    lending.lend_item(db, clerk, loan(umbrella, town.vacant, quantity=3), now=NOW)
    overdue = lending.list_loans(db, clerk, overdue_only=True, now=NOW)
    assert [(r.item, r.state) for r in overdue] == [("梯子", LoanState.OVERDUE)]
    (line,) = lending.today_lines(db, clerk, NOW)
    assert (line.key, line.count, line.text) == ("lending_overdue", 1, "逾期未还借用物品 1 笔 1 件")
    assert line.lead.tab == "物品借用"
    handed = lending.handover_item(db, clerk, NOW)
    assert (handed.register, handed.count) == ("物品借用", 2)
    assert handed.text == "借出物品 2 笔 4 件，其中逾期 1 笔"
    assert handed.details[0].startswith("梯子 ×1 1-1-101 张三") and "已逾期" in handed.details[0]


def test_retention_erases_borrowers_of_returned_lendings_only(db, admin, clerk, town) -> None:
    ladder = item(db, admin, town, stock=5)
    old = lending.lend_item(db, clerk, loan(ladder, town.occupied), now=NOW - timedelta(days=400))
    lending.return_item(db, clerk, old.id, now=NOW - timedelta(days=399))
    lending.lend_item(db, clerk, loan(ladder, town.vacant), now=NOW - timedelta(days=300))
    lending.set_lending_settings(db, admin, lending.LendingSettings(retention_days=180))
    assert lending.purge_personal_data(db, admin, now=NOW, dry_run=True) == 1
    assert lending.purge_personal_data(db, admin, now=NOW) == 1
    (erased,) = lending.room_loans(db, clerk, town.occupied, now=NOW)
    assert (erased.borrower, erased.phone) == ("（已按期清除）", "")
    (still_out,) = lending.room_loans(db, clerk, town.vacant, now=NOW)
    assert still_out.borrower == "张三"
    with db.read() as session:
        logged = " ".join(f"{e.summary} {e.changes}" for e in session.scalars(select(AuditEntry)))
    assert "清除 1 条已归还物品借用记录" in logged
    assert "13812345678" not in logged and "张三" not in logged


def test_a_borrower_is_found_kept_while_out_and_erased_once_back(db, admin, clerk, town) -> None:
    from frontdesk.services.personal.erase import erase_person
    from frontdesk.services.personal.rights import RecordKind, find_person

    ladder = item(db, admin, town)
    out = lending.lend_item(db, clerk, loan(ladder, town.occupied), now=NOW)
    (found,) = find_person(db, admin, name="张三", phone="13812345678", now=NOW)
    assert (found.kind, found.label, found.erasable) == (RecordKind.ITEM_LOAN, "物品借用", False)
    assert "尚未归还" in found.reason
    lending.return_item(db, clerk, out.id, now=NOW + timedelta(hours=1))
    (back,) = find_person(db, admin, name="张三", phone="13812345678", now=NOW)
    assert back.erasable
    erase_person(db, admin, [back], "本人要求删除", now=NOW)
    (row,) = lending.room_loans(db, clerk, town.occupied, now=NOW)
    assert (row.borrower, row.phone) == ("（已按期清除）", "")
