"""Paid repairs (有偿维修): the price list, a finished in-home repair priced from it and
put on the room's bills, paid at the counter with its receipt linked back to the order,
and a mistaken charge voided the way fees take back a bill."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from frontdesk.db.models import Bill, RepairCharge
from frontdesk.domain import clock
from frontdesk.domain.fees import FeeMethod, PayMethod
from frontdesk.domain.issued import DocKind
from frontdesk.domain.repair_prices import PriceKind, line_amount, parse_quantity
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.service_desk import Channel, Kind, Status, Team
from frontdesk.domain.service_desk_paper import WorkOrderPaper
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.printouts.work_order import rating, work_order
from frontdesk.services import service_desk as desk
from frontdesk.services.database import Database
from frontdesk.services.fees import items, payments, receipts, voids
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import structure
from frontdesk.services.service_desk import ChargeState, OrderInput, PriceInput, RepairLine

MakeUser = Callable[..., Actor]


@dataclass(frozen=True)
class Site:
    room: int
    order: int  # an in-home repair, dispatched and arrived
    labour: int  # 上门维修人工费 30.00 元/次
    valve: int  # 角阀 18.00 元/个
    pipe: int  # PPR 水管 12.00 元/米


def price_id(db: Database, name: str) -> int:
    return next(p.id for p in desk.price_list(db) if p.name == name)


def arrived_order(db: Database, actor: Actor, room: int, kind: Kind = Kind.REPAIR_HOME) -> int:
    water = desk.category_id(db, "水电")
    taken = desk.take_order(
        db,
        actor,
        OrderInput(kind, Channel.PHONE, water, "厨房角阀漏水", room_id=room, caller_name="张三")
        if kind == Kind.REPAIR_HOME
        else OrderInput(
            kind,
            Channel.PHONE,
            water,
            "楼道水管漏水",
            place="1栋 3层",
            caller_name="李四",
            caller_phone="13900002222",
        ),
    )
    plumber = desk.save_staff(db, actor, desk.StaffInput("王师傅", Team.ENGINEERING))
    desk.dispatch(db, actor, taken.order_id, staff_id=plumber)
    desk.arrive(db, actor, taken.order_id)
    return taken.order_id


@pytest.fixture
def site(db: Database, admin: Actor) -> Site:
    building = structure.create_building(
        db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50")
    )
    ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
    room = structure.room_rows(db, admin, ids)[0].id
    return Site(
        room,
        arrived_order(db, admin, room),
        price_id(db, "上门维修人工费"),
        price_id(db, "角阀"),
        price_id(db, "PPR 水管"),
    )


def lines_of(site: Site) -> tuple[RepairLine, ...]:
    """人工 30.00 + 角阀 2 × 18.00 + PPR 水管 2.5 米 × 12.00 = 96.00 元"""
    return (RepairLine(site.labour), RepairLine(site.valve, 200), RepairLine(site.pipe, 250))


def pay_all(db: Database, cashier: Actor, room: int) -> str:
    view = payments.counter_view(db, cashier, room, clock.today())
    total = sum(b.outstanding_fen for b in view.open_bills)
    posted = payments.post_payment(
        db,
        cashier,
        PaymentRequest(
            room,
            tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
            (TenderInput(PayMethod.CASH, total),),
            payer="张三",
        ),
        clock.today(),
    )
    return posted.receipt_no


# the price list ------------------------------------------------------------------------


def test_a_new_file_has_a_starting_price_list_in_fen(db: Database) -> None:
    prices = {p.name: p for p in desk.price_list(db)}
    assert prices["上门维修人工费"].unit_fen == 3000 and prices["上门维修人工费"].unit == "次"
    assert prices["角阀"].kind == PriceKind.MATERIAL
    kinds = [p.kind for p in desk.price_list(db)]
    assert kinds == sorted(kinds)  # labour first, then materials


def test_supervisors_edit_the_price_list_and_others_may_not(
    db: Database, make_user: MakeUser
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    new = desk.save_price(db, supervisor, PriceInput("更换马桶盖", PriceKind.LABOUR, "次", 4000))
    desk.save_price(db, supervisor, PriceInput("更换马桶盖", PriceKind.LABOUR, "次", 4500), new)
    assert {p.name: p.unit_fen for p in desk.price_list(db)}["更换马桶盖"] == 4500
    with pytest.raises(ValidationError) as clash:
        desk.save_price(db, supervisor, PriceInput("角阀", PriceKind.MATERIAL, "个", 100))
    assert clash.value.field == "项目名称"
    with pytest.raises(ValidationError) as negative:
        desk.save_price(db, supervisor, PriceInput("胶带", PriceKind.MATERIAL, "卷", -1))
    assert negative.value.field == "单价"
    desk.save_price(
        db, supervisor, PriceInput("更换马桶盖", PriceKind.LABOUR, "次", 4500, False), new
    )
    assert "更换马桶盖" not in {p.name for p in desk.price_list(db)}
    with pytest.raises(PermissionDenied):
        desk.save_price(
            db, make_user(Role.CLERK), PriceInput("胶带", PriceKind.MATERIAL, "卷", 500)
        )


def test_a_line_is_priced_half_up_to_the_fen_in_integers(db: Database, site: Site) -> None:
    assert line_amount(1234, 333) == 4109  # 41.0922 元 -> 41.09
    assert line_amount(1250, 250) == 3125
    assert line_amount(3, 50) == 2  # 1.5 fen rounds up
    quoted = desk.quote_repair(db, lines_of(site))
    assert [line.amount_fen for line in quoted] == [3000, 3600, 3000]
    assert quoted[2].quantity == "2.5 米"


# charging -------------------------------------------------------------------------------


def test_a_paid_repair_puts_one_bill_on_the_rooms_account(
    db: Database, make_user: MakeUser, site: Site
) -> None:
    clerk = make_user(Role.CLERK)
    charge_id = desk.finish_paid(db, clerk, site.order, "更换角阀，重接水管", lines_of(site))
    facts = desk.order_facts(db, clerk, site.order)
    assert facts.row.status == Status.FINISHED
    assert facts.materials == "角阀 2 个、PPR 水管 2.5 米"
    (charge,) = facts.charges
    assert charge.id == charge_id and charge.state == ChargeState.OPEN
    assert (charge.labour_fen, charge.materials_fen, charge.total_fen) == (3000, 6600, 9600)
    assert charge.outstanding_fen == 9600 and charge.receipts == ()
    cashier = make_user(Role.CASHIER)
    (bill,) = payments.counter_view(db, cashier, site.room, clock.today()).open_bills
    assert bill.bill_id == charge.bill_id and bill.due_fen == 9600
    assert bill.fee_item == "有偿维修费" and bill.method == FeeMethod.ONE_OFF
    assert facts.row.number in bill.description and "角阀×2" in bill.description


def test_paid_at_the_counter_the_order_shows_the_receipt(
    db: Database, make_user: MakeUser, site: Site
) -> None:
    clerk = make_user(Role.CLERK)
    desk.finish_paid(db, clerk, site.order, "更换角阀", lines_of(site))
    cashier = make_user(Role.CASHIER)
    number = pay_all(db, cashier, site.room)
    (charge,) = desk.order_charges(db, clerk, site.order)
    assert charge.state == ChargeState.PAID and charge.paid_fen == 9600
    assert charge.receipts == (number,) and charge.outstanding_fen == 0
    order_number = desk.order_facts(db, clerk, site.order).row.number
    (item,) = receipts.receipt_view(db, cashier, number).items
    assert item.item == "有偿维修费" and item.amount_fen == 9600
    assert f"维修工单 {order_number}" in item.note  # the receipt names the order


def test_a_voided_receipt_puts_the_charge_back_on_the_account(
    db: Database, make_user: MakeUser, site: Site
) -> None:
    clerk, cashier = make_user(Role.CLERK), make_user(Role.CASHIER)
    desk.finish_paid(db, clerk, site.order, "更换角阀", lines_of(site))
    number = pay_all(db, cashier, site.room)
    voids.void_receipt(db, cashier, number, "收错房号", clock.today())
    (charge,) = desk.order_charges(db, clerk, site.order)
    assert charge.state == ChargeState.OPEN and charge.receipts == ()
    assert charge.outstanding_fen == 9600


def test_an_unpaid_charge_is_voided_by_a_reduction_and_may_be_charged_again(
    db: Database, make_user: MakeUser, site: Site
) -> None:
    clerk, supervisor = make_user(Role.CLERK), make_user(Role.SUPERVISOR)
    first = desk.finish_paid(db, clerk, site.order, "更换角阀", lines_of(site))
    with pytest.raises(UserError, match=r"已有维修费 96\.00 元（待缴费）"):  # money as money
        desk.charge_repair(db, clerk, site.order, (RepairLine(site.labour),))
    with pytest.raises(PermissionDenied):
        desk.void_charge(db, clerk, first, "数量录错")
    desk.void_charge(db, supervisor, first, "数量录错")
    second = desk.charge_repair(db, clerk, site.order, (RepairLine(site.labour),))
    old, new = desk.order_charges(db, clerk, site.order)
    assert (old.id, old.state, old.void_reason) == (first, ChargeState.VOIDED, "数量录错")
    assert (new.id, new.state, new.total_fen) == (second, ChargeState.OPEN, 3000)
    open_bills = payments.counter_view(db, make_user(Role.CASHIER), site.room, clock.today())
    assert [b.due_fen - b.reduced_fen for b in open_bills.open_bills] == [3000]
    with db.read() as session:  # the first bill is still there, reduced to nothing
        bill = session.get(Bill, old.bill_id)
        assert bill is not None and bill.amount_fen == 9600
    with pytest.raises(UserError, match="已经作废"):
        desk.void_charge(db, supervisor, first, "再来一次")


def test_a_paid_charge_is_voided_only_through_its_receipt(
    db: Database, make_user: MakeUser, site: Site
) -> None:
    charge = desk.finish_paid(db, make_user(Role.CLERK), site.order, "更换角阀", lines_of(site))
    number = pay_all(db, make_user(Role.CASHIER), site.room)
    with pytest.raises(UserError, match=number):
        desk.void_charge(db, make_user(Role.SUPERVISOR), charge, "不该收")


def test_a_charge_is_refused_before_completion_for_public_places_and_without_lines(
    db: Database, admin: Actor, site: Site
) -> None:
    with pytest.raises(UserError, match="完工后"):
        desk.charge_repair(db, admin, site.order, lines_of(site))
    public = arrived_order(db, admin, site.room, Kind.REPAIR_PUBLIC)
    desk.finish(db, admin, public, "更换楼道水管")
    with pytest.raises(UserError, match="公共区域"):
        desk.charge_repair(db, admin, public, lines_of(site))
    with pytest.raises(ValidationError) as empty:
        desk.finish_paid(db, admin, site.order, "更换角阀", ())
    assert empty.value.field == "收费明细"
    with pytest.raises(ValidationError) as quantity:
        desk.finish_paid(db, admin, site.order, "更换角阀", (RepairLine(site.valve, 0),))
    assert "数量" in quantity.value.field
    # nothing half-saved: the order is still on site, nothing charged
    assert desk.order_facts(db, admin, site.order).row.status == Status.ARRIVED
    with db.read() as session:
        assert session.scalars(select(RepairCharge)).all() == []


def test_a_later_price_change_does_not_rewrite_a_charge(
    db: Database, admin: Actor, site: Site
) -> None:
    desk.finish_paid(db, admin, site.order, "更换角阀", (RepairLine(site.valve),))
    desk.save_price(db, admin, PriceInput("角阀", PriceKind.MATERIAL, "个", 2500), site.valve)
    (charge,) = desk.order_charges(db, admin, site.order)
    assert charge.lines[0].unit_fen == 1800 and charge.total_fen == 1800


def test_a_fee_item_with_a_price_plan_is_refused_as_the_repair_item(
    db: Database, admin: Actor, site: Site
) -> None:
    item = items.add_fee_item(db, admin, "维修费", "有偿服务", FeeMethod.ONE_OFF)
    desk.set_repair_fee_item(db, admin, item)
    items.add_price_plan(db, admin, item, 500_000, clock.today())
    with pytest.raises(ValidationError, match="收费标准"):
        desk.finish_paid(db, admin, site.order, "更换角阀", (RepairLine(site.valve),))
    monthly = items.add_fee_item(db, admin, "物业费", "物业服务费", FeeMethod.FIXED_MONTHLY)
    with pytest.raises(ValidationError):
        desk.set_repair_fee_item(db, admin, monthly)


def test_an_item_with_a_price_plan_is_refused_when_it_is_chosen(
    db: Database, admin: Actor, site: Site
) -> None:
    planned = items.add_fee_item(db, admin, "上门服务费", "有偿服务", FeeMethod.ONE_OFF)
    items.add_price_plan(db, admin, planned, 500_000, clock.today())
    with pytest.raises(ValidationError, match="收费标准") as refused:
        desk.set_repair_fee_item(db, admin, planned)
    assert refused.value.field == "收费项目"
    assert desk.repair_terms(db).fee_item_id == 0  # the setting untouched


# the work-order paper -------------------------------------------------------------------


def _paper_text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_the_paper_is_the_dispatch_sheet_then_the_receipt_with_fee_and_receipt_number(
    db: Database, make_user: MakeUser, site: Site
) -> None:
    clerk = make_user(Role.CLERK)
    sheet = work_order(db, clerk, site.order, WorkOrderPaper.ROLL_80)
    assert sheet.issue.kind == DocKind.WORK_ORDER and sheet.issue.title.endswith("派工单")
    assert sheet.issue.subjects[0].room_id == site.room
    assert "有偿维修" in _paper_text(sheet.pdf)
    desk.finish_paid(db, clerk, site.order, "更换角阀", lines_of(site))
    number = pay_all(db, make_user(Role.CASHIER), site.room)
    desk.callback(db, clerk, site.order, desk.CallbackInput(5, 4, 4, "满意"))
    receipt = work_order(db, clerk, site.order, WorkOrderPaper.A5)
    text = _paper_text(receipt.pdf)
    assert (
        receipt.issue.title.endswith("维修回执")
        and receipt.issue.reference != sheet.issue.reference
    )
    assert f"收据号{number}" in text and "¥96.00" in text and "2.5米" in text


def test_a_voided_charge_leaves_a_free_repair_on_the_receipt(
    db: Database, admin: Actor, site: Site
) -> None:
    charge = desk.finish_paid(db, admin, site.order, "更换角阀", lines_of(site))
    desk.void_charge(db, admin, charge, "业主自购材料，免收")
    text = _paper_text(work_order(db, admin, site.order).pdf)
    assert "维修回执" in text and "无偿维修，不收费" in text and "¥96.00" not in text


def test_the_callbacks_scores_tick_one_rating() -> None:
    assert [rating(s) for s in ((5, 5, 5), (5, 4, 4), (3, 3, 2), (1, 2, 2))] == [
        "非常满意",
        "满意",
        "一般",
        "不满意",
    ]
    assert rating(None) == ""


def test_the_first_charge_makes_the_repair_fee_item_once(
    db: Database, admin: Actor, site: Site
) -> None:
    assert items.list_fee_items(db) == []  # a new file's items are the office's own
    first = desk.finish_paid(db, admin, site.order, "更换角阀", (RepairLine(site.valve),))
    desk.void_charge(db, admin, first, "录错")
    desk.charge_repair(db, admin, site.order, (RepairLine(site.labour),))
    made = [i for i in items.list_fee_items(db) if i.name == "有偿维修费"]
    assert len(made) == 1 and made[0].method == FeeMethod.ONE_OFF
    assert desk.repair_terms(db).fee_item_id == made[0].id


def test_an_unsuitable_item_of_that_name_is_not_used(
    db: Database, admin: Actor, site: Site
) -> None:
    items.add_fee_item(db, admin, "有偿维修费", "有偿服务", FeeMethod.FIXED_MONTHLY)
    with pytest.raises(ValidationError, match="不是在用的一次性收费项目"):
        desk.finish_paid(db, admin, site.order, "更换角阀", (RepairLine(site.valve),))


@given(unit_fen=st.integers(0, 1_000_000), quantity_x100=st.integers(1, 99_900))
def test_a_line_is_the_exact_product_rounded_half_up(unit_fen: int, quantity_x100: int) -> None:
    exact = Decimal(unit_fen) * Decimal(quantity_x100) / 100
    assert line_amount(unit_fen, quantity_x100) == int(exact.quantize(Decimal(1), ROUND_HALF_UP))


@pytest.mark.parametrize(
    ("typed", "hundredths"), [("2", 200), ("2.5", 250), ("0.25", 25), (".5", 50), ("", 100)]
)
def test_a_quantity_is_read_as_the_clerk_types_it(typed: str, hundredths: int) -> None:
    assert parse_quantity(typed) == hundredths


@pytest.mark.parametrize("typed", ["两个", "1.234", "0", "-1", "1e3", "１", "1.2.3", "1000"])
def test_a_quantity_that_cannot_be_charged_names_its_field(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_quantity(typed, "数量")
    assert refused.value.field == "数量"
