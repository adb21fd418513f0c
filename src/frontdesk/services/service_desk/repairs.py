"""Paid repairs (有偿维修): the price list, and a finished in-home repair's labour and
materials priced from it and put on the room's account as one one-off bill (the fee
item the setting `repair_terms` names). The bill is collected at the cashier like any
other; its receipt is found through the bill's allocations, so the order shows its
charge and, once paid, the receipt number.

Money rules: integer fen; a charge and its lines are never changed. A mistaken charge
is voided (作废) the way fees take back a bill raised in error: a reduction of its whole
open amount, with the reason; a charge already paid is voided by voiding its receipt
at the cashier first. A voided order may be charged again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db import settings
from frontdesk.db.models import (
    Allocation,
    Bill,
    FeeItem,
    PricePlan,
    Receipt,
    ReceiptVoid,
    Reduction,
    RepairCharge,
    RepairChargeLine,
    RepairPrice,
)
from frontdesk.db.who import by_columns
from frontdesk.domain.fees import Collection, FeeMethod
from frontdesk.domain.money import format_yuan
from frontdesk.domain.repair_prices import (
    MAX_LINES,
    PriceKind,
    check_quantity,
    check_unit_price,
    format_quantity,
    line_amount,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.service_desk import Kind, Status
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.charges import add_charge
from frontdesk.services.fees.ledger import bill_lines
from frontdesk.services.fees.payments import receipt_no
from frontdesk.services.service_desk import orders
from frontdesk.services.store import Store, reading, writing

TERMS_KEY = "repair_terms"
FEE_ITEM = "有偿维修费"
FEE_CATEGORY = "有偿服务"
CHARGEABLE = (Status.FINISHED, Status.CALLED_BACK, Status.CLOSED)
DESCRIPTION_LIMIT = 200  # bill.description


@dataclass(frozen=True)
class RepairTerms:
    """The fee item a paid repair's bill is raised under (0: none chosen yet)."""

    fee_item_id: int = 0


@dataclass(frozen=True)
class PriceInput:
    name: str
    kind: PriceKind
    unit: str  # 次, 个, 米
    unit_fen: int
    active: bool = True


@dataclass(frozen=True)
class PriceRow:
    id: int
    name: str
    kind: PriceKind
    unit: str
    unit_fen: int
    active: bool


@dataclass(frozen=True)
class RepairLine:
    """A line to charge: a price list entry and how many (hundredths: 2.5 米 = 250)."""

    price_id: int
    quantity_x100: int = 100


@dataclass(frozen=True)
class PricedLine:
    kind: PriceKind
    name: str
    unit: str
    quantity_x100: int
    unit_fen: int
    amount_fen: int

    @property
    def quantity(self) -> str:
        """'2.5 米'"""
        return f"{format_quantity(self.quantity_x100)} {self.unit}"


class ChargeState(StrEnum):
    OPEN = "open"  # on the account, not (wholly) paid
    PAID = "paid"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return {"open": "待缴费", "paid": "已缴费", "voided": "已作废"}[self]


@dataclass(frozen=True)
class RepairChargeRow:
    """A charge as the order shows it: its lines, its bill's sums and its receipts."""

    id: int
    bill_id: int
    charged_at: datetime
    charged_by: str
    lines: tuple[PricedLine, ...]
    labour_fen: int
    materials_fen: int
    paid_fen: int
    outstanding_fen: int
    state: ChargeState
    receipts: tuple[str, ...]  # the receipts (not voided) the bill was paid on
    void_reason: str

    @property
    def total_fen(self) -> int:
        return self.labour_fen + self.materials_fen

    @property
    def receipt_number(self) -> str:
        return "、".join(self.receipts)


# the price list ------------------------------------------------------------------------


def price_list(store: Store, *, include_inactive: bool = False) -> tuple[PriceRow, ...]:
    """The 有偿维修价目表: labour first, then materials, in the office's order."""
    with reading(store) as session:
        query = select(RepairPrice).order_by(
            RepairPrice.kind, RepairPrice.sort_order, RepairPrice.id
        )
        if not include_inactive:
            query = query.where(RepairPrice.active.is_(True))
        return tuple(
            PriceRow(p.id, p.name, p.kind, p.unit, p.unit_fen, p.active)
            for p in session.scalars(query)
        )


def save_price(store: Store, actor: Actor, data: PriceInput, price_id: int | None = None) -> int:
    """Add a line to the price list, or change one (charges already made keep the price
    they were made at); supervisors only."""
    name = clean_name(data.name, "项目名称", 40, required=True)
    unit = clean_name(data.unit, "单位", 12, required=True)
    unit_fen = check_unit_price(data.unit_fen)
    kind = PriceKind(data.kind)
    with writing(store, actor, Permission.MANAGE_SERVICE_DESK) as session:
        clash = session.scalar(select(RepairPrice.id).where(RepairPrice.name == name))
        if clash is not None and clash != price_id:
            raise ValidationError("项目名称", f"价目表中已有“{name}”")
        if price_id is None:
            last = session.scalar(
                select(RepairPrice.sort_order).order_by(RepairPrice.sort_order.desc()).limit(1)
            )
            price = RepairPrice(sort_order=(last or 0) + 1)
            session.add(price)
        else:
            found = session.get(RepairPrice, price_id)
            if found is None:
                raise NotFound("价目表中没有这一项。")
            price = found
        price.name, price.kind, price.unit, price.unit_fen, price.active = (
            name,
            kind,
            unit,
            unit_fen,
            data.active,
        )
        session.flush()
        return price.id


def repair_terms(store: Store) -> RepairTerms:
    with reading(store) as session:
        return settings.load(session, TERMS_KEY, RepairTerms())


def set_repair_fee_item(store: Store, actor: Actor, fee_item_id: int) -> None:
    """The fee item paid repairs are billed under: a one-off item with no price plan of
    its own (each bill is what its order's lines came to)."""
    with writing(store, actor, Permission.MANAGE_FEES) as session:
        item = _fee_item(session, fee_item_id)
        planned = session.scalar(
            select(PricePlan.id).where(PricePlan.fee_item_id == item.id).limit(1)
        )
        if planned is not None:
            raise ValidationError(
                "收费项目", f"“{item.name}”有收费标准，会改变维修费；请选择没有收费标准的项目"
            )
        settings.save(session, TERMS_KEY, RepairTerms(fee_item_id))


def _fee_item(session: Session, fee_item_id: int) -> FeeItem:
    item = session.get(FeeItem, fee_item_id)
    if item is None:
        raise ValidationError("收费项目", "该收费项目不存在")
    if item.method != FeeMethod.ONE_OFF or not item.active:
        raise ValidationError("收费项目", f"“{item.name}”不是在用的一次性收费项目")
    return item


def _repair_item(session: Session) -> FeeItem:
    """The item the setting names; at the first charge, if none was chosen, the item
    有偿维修费 (made then, one-off, no price plan) and the setting naming it."""
    chosen = settings.load(session, TERMS_KEY, RepairTerms()).fee_item_id
    if chosen:
        return _fee_item(session, chosen)
    item = session.scalar(select(FeeItem).where(FeeItem.name == FEE_ITEM))
    if item is None:
        last = session.scalar(select(func.max(FeeItem.sort_key)))
        item = FeeItem(
            name=FEE_ITEM,
            category=FEE_CATEGORY,
            method=FeeMethod.ONE_OFF,
            collection=Collection.OWN,
            unit="元/次",
            sort_key=(last or 0) + 1,
            active=True,
        )
        session.add(item)
        session.flush()
    _fee_item(session, item.id)
    settings.save(session, TERMS_KEY, RepairTerms(item.id))
    return item


# pricing and charging ---------------------------------------------------------------


def quote_repair(store: Store, lines: Sequence[RepairLine]) -> tuple[PricedLine, ...]:
    """What the lines come to at today's prices, before anything is charged."""
    with reading(store) as session:
        return _priced(session, lines)


def _priced(session: Session, lines: Sequence[RepairLine]) -> tuple[PricedLine, ...]:
    if not lines:
        raise ValidationError("收费明细", "请至少选择一项人工或材料")
    if len(lines) > MAX_LINES:
        raise ValidationError("收费明细", f"一次最多 {MAX_LINES} 项")
    priced = []
    for line in lines:
        price = session.get(RepairPrice, line.price_id)
        if price is None or not price.active:
            raise ValidationError("收费明细", "请从有偿维修价目表中选择")
        quantity = check_quantity(line.quantity_x100, f"“{price.name}”的数量")
        priced.append(
            PricedLine(
                price.kind,
                price.name,
                price.unit,
                quantity,
                price.unit_fen,
                line_amount(price.unit_fen, quantity),
            )
        )
    if sum(line.amount_fen for line in priced) <= 0:
        raise ValidationError("收费明细", "合计为 0 元，无偿维修不必收费")
    return tuple(priced)


def materials_text(lines: Sequence[PricedLine]) -> str:
    """The materials of priced lines as the order's 使用材料: '角阀 2 个、PPR 水管 2.5 米'."""
    return "、".join(
        f"{line.name} {line.quantity}" for line in lines if line.kind == PriceKind.MATERIAL
    )


def finish_paid(
    store: Store,
    actor: Actor,
    order_id: int,
    work_done: str,
    lines: Sequence[RepairLine],
    materials: str = "",
    at: datetime | None = None,
) -> int:
    """完工 as a paid repair: the order finished and its charge on the room's account in
    one transaction; the materials, unless written, are the lines' materials. Returns
    the charge's id."""
    with writing(store, actor, orders.PERMISSION) as session:
        priced = _priced(session, lines)
        orders.finish(session, actor, order_id, work_done, materials or materials_text(priced), at)
        return _charge(session, actor, order_id, lines)


def charge_repair(store: Store, actor: Actor, order_id: int, lines: Sequence[RepairLine]) -> int:
    """Charge a finished in-home repair (again, after its earlier charge was voided)."""
    with writing(store, actor, orders.PERMISSION) as session:
        return _charge(session, actor, order_id, lines)


def _charge(session: Session, actor: Actor, order_id: int, lines: Sequence[RepairLine]) -> int:
    order = orders.load(session, order_id)
    orders.check_scope(session, actor, order)
    if order.kind != Kind.REPAIR_HOME or order.room_id is None:
        raise UserError("只有户内报修可以有偿维修；公共区域维修不向住户收费。")
    if order.status not in CHARGEABLE:
        raise UserError(f"工单{order.status.label}，完工后才能收取维修费。")
    live = [c for c in charges_of(session, order.id) if c.state != ChargeState.VOIDED]
    if live:
        raise UserError(
            f"该工单已有维修费 {format_yuan(live[0].total_fen)} 元（{live[0].state.label}）；"
            "如有误，请先作废再重新收费。"
        )
    priced = _priced(session, lines)
    item = _repair_item(session)
    total = sum(line.amount_fen for line in priced)
    labour = sum(line.amount_fen for line in priced if line.kind == PriceKind.LABOUR)
    names = "、".join(f"{line.name}×{format_quantity(line.quantity_x100)}" for line in priced)
    description = f"维修 {order.number}：{names}"
    if len(description) > DESCRIPTION_LIMIT:
        description = description[: DESCRIPTION_LIMIT - 1] + "…"
    bill_id = add_charge(session, actor, order.room_id, item.id, 1, total, note=description)
    bill = session.get(Bill, bill_id)
    if bill is None or bill.amount_fen != total:
        raise ValidationError(
            "收费项目", f"“{item.name}”有收费标准，会改变维修费；请选择没有收费标准的项目"
        )
    charge = RepairCharge(
        work_order_id=order.id,
        bill_id=bill_id,
        labour_fen=labour,
        materials_fen=total - labour,
        **by_columns("charged", actor),
    )
    session.add(charge)
    session.flush()
    session.add_all(
        RepairChargeLine(
            charge_id=charge.id,
            price_id=line.price_id,
            kind=p.kind,
            name=p.name,
            unit=p.unit,
            quantity_x100=p.quantity_x100,
            unit_fen=p.unit_fen,
            amount_fen=p.amount_fen,
        )
        for line, p in zip(lines, priced, strict=True)
    )
    session.flush()
    return charge.id


def void_charge(store: Store, actor: Actor, charge_id: int, reason: str) -> None:
    """作废 a charge not yet paid: its bill reduced to nothing, with the reason. A paid
    charge is voided by voiding its receipt at the cashier first."""
    reason = clean_text(reason, "作废原因", 180, required=True)
    with writing(store, actor, Permission.GRANT_REDUCTIONS) as session:
        charge = session.get(RepairCharge, charge_id)
        if charge is None:
            raise NotFound("该维修费不存在。")
        orders.check_scope(session, actor, orders.load(session, charge.work_order_id))
        row = _row(session, charge)
        if row.state == ChargeState.VOIDED:
            raise UserError("该维修费已经作废。")
        if row.paid_fen:
            raise UserError(
                f"该维修费已在收据 {row.receipt_number} 上收取，请先在收费处作废这张收据。"
            )
        session.add(
            Reduction(
                bill_id=charge.bill_id,
                amount_fen=row.outstanding_fen,
                reason=f"作废维修费：{reason}",
                **by_columns("granted", actor),
            )
        )


# reading ----------------------------------------------------------------------------


def order_charges(store: Store, actor: Actor, order_id: int) -> tuple[RepairChargeRow, ...]:
    """The order's charges, oldest first, with what was paid and on which receipts."""
    require(actor, orders.PERMISSION)
    with reading(store) as session:
        orders.check_scope(session, actor, orders.load(session, order_id))
        return charges_of(session, order_id)


def charges_of(session: Session, order_id: int) -> tuple[RepairChargeRow, ...]:
    found = session.scalars(
        select(RepairCharge).where(RepairCharge.work_order_id == order_id).order_by(RepairCharge.id)
    )
    return tuple(_row(session, charge) for charge in found)


def _row(session: Session, charge: RepairCharge) -> RepairChargeRow:
    (bill,) = bill_lines(session, bill_ids=[charge.bill_id])
    lines = tuple(
        PricedLine(x.kind, x.name, x.unit, x.quantity_x100, x.unit_fen, x.amount_fen)
        for x in session.scalars(
            select(RepairChargeLine)
            .where(RepairChargeLine.charge_id == charge.id)
            .order_by(RepairChargeLine.id)
        )
    )
    receipts = session.execute(
        select(Receipt.series, Receipt.number)
        .join(Allocation, Allocation.payment_id == Receipt.payment_id)
        .outerjoin(ReceiptVoid, ReceiptVoid.receipt_id == Receipt.id)
        .where(
            Allocation.bill_id == charge.bill_id,
            Allocation.amount_fen > 0,
            ReceiptVoid.id.is_(None),
        )
        .order_by(Receipt.id)
    ).all()
    void_reason = session.scalar(
        select(Reduction.reason)
        .where(Reduction.bill_id == charge.bill_id, Reduction.payment_id.is_(None))
        .order_by(Reduction.id.desc())
        .limit(1)
    )
    if bill.outstanding_fen > 0:
        state = ChargeState.OPEN
    elif bill.paid_fen > 0:
        state = ChargeState.PAID
    else:
        state = ChargeState.VOIDED
    return RepairChargeRow(
        id=charge.id,
        bill_id=charge.bill_id,
        charged_at=charge.charged_at,
        charged_by=charge.charged_by,
        lines=lines,
        labour_fen=charge.labour_fen,
        materials_fen=charge.materials_fen,
        paid_fen=bill.paid_fen,
        outstanding_fen=bill.outstanding_fen,
        state=state,
        receipts=tuple(dict.fromkeys(receipt_no(s, n) for s, n in receipts)),
        void_reason=(void_reason or "").removeprefix("作废维修费：")
        if state == ChargeState.VOIDED
        else "",
    )
