"""One-off charges (临时收费): 门禁卡工本费, 装修押金 … put on a room's account, quoted
first and then billed, alone or as a step of another use-case (a renovation approved)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Bill, FeeItem, Room
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.billing import plan_in_force
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.money import check_amount, format_unit_price, price_times
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_text
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.items import plan_terms
from frontdesk.services.store import Store, writing

ONE_OFF_METHODS = (FeeMethod.ONE_OFF, FeeMethod.DEPOSIT)
MAX_QUANTITY = 999


@dataclass(frozen=True)
class ChargeQuote:
    fee_item_id: int
    fee_item: str
    quantity: int
    unit_price: int | None  # None: the item has no price; the amount is typed
    amount_fen: int


def quote_charge(
    db: Database,
    actor: Actor,
    room_id: int,
    fee_item_id: int,
    quantity: int = 1,
    amount_fen: int | None = None,
    today: date | None = None,
) -> ChargeQuote:
    """What a one-off charge or a deposit comes to: price plan × quantity, or the
    amount typed when the item has no price."""
    require(actor, Permission.TAKE_PAYMENTS)
    with db.read() as session:
        return _quote_charge(session, room_id, fee_item_id, quantity, amount_fen, today)


def _quote_charge(
    session: Session,
    room_id: int,
    fee_item_id: int,
    quantity: int,
    amount_fen: int | None,
    today: date | None,
) -> ChargeQuote:
    item = session.get(FeeItem, fee_item_id)
    if item is None or item.method not in ONE_OFF_METHODS or not item.active:
        raise ValidationError("收费项目", "请选择一次性收费或押金项目")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError("数量", f"应为 1 到 {MAX_QUANTITY}")
    room = session.get(Room, room_id)
    if room is None:
        raise ValidationError("房号", "该房屋不存在")
    on = today or clock.today()
    plan = plan_in_force(plan_terms(session), item.id, room.building_id, room.room_type, on)
    if plan is not None and plan.unit_price:
        return ChargeQuote(
            item.id,
            item.name,
            quantity,
            plan.unit_price,
            price_times(100 * quantity, plan.unit_price),
        )
    if amount_fen is None or amount_fen <= 0:
        raise ValidationError("金额", f"“{item.name}”没有收费标准，请填写金额")
    check_amount(amount_fen, "金额")
    return ChargeQuote(item.id, item.name, quantity, None, amount_fen)


def add_charge(
    store: Store,
    actor: Actor,
    room_id: int,
    fee_item_id: int,
    quantity: int = 1,
    amount_fen: int | None = None,
    note: str = "",
    today: date | None = None,
) -> int:
    """A one-off bill (门禁卡工本费, 装修押金 …) for the room; it is then paid like any other.
    Given the caller's session, it is part of that transaction: a renovation approved puts
    its deposit and fees on the room's account in the same commit."""
    with writing(store, actor, Permission.TAKE_PAYMENTS) as session:
        return _charge(session, actor, room_id, fee_item_id, quantity, amount_fen, note, today)


def _charge(
    session: Session,
    actor: Actor,
    room_id: int,
    fee_item_id: int,
    quantity: int,
    amount_fen: int | None,
    note: str,
    today: date | None,
) -> int:
    on = today or clock.today()
    quote = _quote_charge(session, room_id, fee_item_id, quantity, amount_fen, on)
    unit = quote.unit_price if quote.unit_price is not None else quote.amount_fen * 100
    bill = Bill(
        room_id=room_id,
        fee_item_id=fee_item_id,
        period=None,
        start_on=on,
        end_on=on,
        quantity_x100=100 * quantity,
        unit_price=unit,
        amount_fen=quote.amount_fen,
        reduction_fen=0,
        reduction_reason="",
        due_fen=quote.amount_fen,
        description=clean_text(note, "说明", 200) or f"{quantity}×{format_unit_price(unit)}",
        **by_columns("created", actor),
    )
    session.add(bill)
    session.flush()
    return bill.id
