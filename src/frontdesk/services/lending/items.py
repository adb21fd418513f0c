"""The things the office lends (a setting of the register): name, stock, how many days
a lending lasts, and the deposit per piece with the deposit fee item it is billed under.
Edited by whoever edits the community's settings; read by every clerk who lends."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import FeeItem, ItemLoan, LendableItem, PricePlan
from frontdesk.domain.fees import FeeMethod
from frontdesk.domain.lending import DEFAULT_LOAN_DAYS, check_loan_days, check_stock
from frontdesk.domain.money import check_amount
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.text import clean_name
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require

PERMISSION = Permission.KEEP_COUNTER_REGISTERS


@dataclass(frozen=True)
class ItemInput:
    name: str
    stock: int
    loan_days: int = DEFAULT_LOAN_DAYS
    deposit_fen: int = 0  # per piece; 0: no deposit
    deposit_item_id: int | None = None  # a deposit fee item (押金类)
    active: bool = True


@dataclass(frozen=True)
class ItemRow:
    id: int
    name: str
    stock: int
    out: int  # pieces lent and not back
    loan_days: int
    deposit_fen: int
    deposit_item: str
    active: bool

    @property
    def available(self) -> int:
        return max(self.stock - self.out, 0)


def out_counts(session: Session, item_ids: list[int] | None = None) -> dict[int, int]:
    query = (
        select(ItemLoan.item_id, func.sum(ItemLoan.quantity))
        .where(ItemLoan.returned_at.is_(None))
        .group_by(ItemLoan.item_id)
    )
    if item_ids is not None:
        query = query.where(ItemLoan.item_id.in_(item_ids))
    return {item: int(count) for item, count in session.execute(query)}


def item_rows(session: Session, items: list[LendableItem]) -> list[ItemRow]:
    out = out_counts(session, [i.id for i in items])
    fee_ids = {i.deposit_item_id for i in items if i.deposit_item_id is not None}
    fees = dict(
        session.execute(select(FeeItem.id, FeeItem.name).where(FeeItem.id.in_(fee_ids))).all()
    )
    return [
        ItemRow(
            i.id,
            i.name,
            i.stock,
            out.get(i.id, 0),
            i.loan_days,
            i.deposit_fen,
            fees.get(i.deposit_item_id, "") if i.deposit_item_id is not None else "",
            i.active,
        )
        for i in items
    ]


def list_items(db: Database, actor: Actor, *, include_inactive: bool = False) -> list[ItemRow]:
    require(actor, PERMISSION)
    query = select(LendableItem).order_by(LendableItem.name)
    if not include_inactive:
        query = query.where(LendableItem.active.is_(True))
    with db.read() as session:
        return item_rows(session, list(session.scalars(query)))


def _deposit(session: Session, data: ItemInput) -> tuple[int, int | None]:
    if data.deposit_fen == 0:
        return 0, None
    check_amount(data.deposit_fen, "押金")
    if data.deposit_fen < 0:
        raise ValidationError("押金", "不能为负数")
    fee = session.get(FeeItem, data.deposit_item_id) if data.deposit_item_id else None
    if fee is None or fee.method != FeeMethod.DEPOSIT or not fee.active:
        raise ValidationError("押金收费项目", "收押金的物品须选择一个押金类收费项目（可退还）")
    if session.scalar(select(PricePlan.id).where(PricePlan.fee_item_id == fee.id).limit(1)):
        # a price plan would bill its own amount, not the item's deposit
        raise ValidationError(
            "押金收费项目", f"“{fee.name}”有收费标准，请选用没有收费标准的押金项目"
        )
    return data.deposit_fen, fee.id


def save_item(db: Database, actor: Actor, data: ItemInput, item_id: int | None = None) -> ItemRow:
    """A new lendable item, or changes to one (its stock never below what is out)."""
    require(actor, Permission.EDIT_COMMUNITY)
    name = clean_name(data.name, "物品名称", 40, required=True)
    loan_days = check_loan_days(data.loan_days)
    with db.write(actor) as session:
        deposit, fee_id = _deposit(session, data)
        same = session.scalar(select(LendableItem).where(LendableItem.name == name))
        if same is not None and same.id != item_id:
            raise ValidationError("物品名称", f"“{name}”已登记")
        if item_id is None:
            item = LendableItem(name=name)
            session.add(item)
        else:
            found = session.get(LendableItem, item_id)
            if found is None:
                raise NotFound("该借用物品已不存在。")
            item = found
        out = out_counts(session, [item_id]).get(item_id, 0) if item_id is not None else 0
        item.stock = check_stock(data.stock, out)
        item.loan_days = loan_days
        item.deposit_fen = deposit
        item.deposit_item_id = fee_id
        item.active = data.active
        session.flush()
        return item_rows(session, [item])[0]
