"""Lending things to a household and taking them back; the overdue list.

A lending names a real room (the borrower lives there) and never more pieces than are
in the cupboard. When the item takes a deposit, the lending puts a deposit bill on the
room's account in the same commit, as an approved renovation does: the cashier takes
it with a receipt, and refunds it through the refund flow once the things are back.
Nothing here records money."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Building, ItemLoan, LendableItem, Refund, Room
from frontdesk.db.turns import in_turn
from frontdesk.db.who import by_columns, stamp
from frontdesk.domain.lending import DepositState, LoanState, check_quantity, due_on, loan_state
from frontdesk.domain.phone import mask_phone, phone_key
from frontdesk.domain.roles import Actor
from frontdesk.domain.text import clean_name, clean_text
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.access import require
from frontdesk.services.fees.charges import add_charge
from frontdesk.services.fees.ledger import bill_lines
from frontdesk.services.households.structure import room_places
from frontdesk.services.lending.items import PERMISSION, out_counts
from frontdesk.services.scope import in_scope_only, scoped_room


@dataclass(frozen=True)
class LoanInput:
    item_id: int
    room_id: int
    borrower: str
    borrower_phone: str
    quantity: int = 1
    note: str = ""


@dataclass(frozen=True)
class LoanRow:
    id: int
    item: str
    quantity: int
    room_id: int
    room_code: str
    borrower: str
    phone: str  # masked
    out_at: datetime
    due_on: date
    returned_at: datetime | None
    state: LoanState
    deposit_fen: int  # the deposit billed (0: none)
    deposit: DepositState
    out_by: str
    returned_by: str
    note: str


def _deposits(session: Session, bill_ids: set[int]) -> dict[int, tuple[int, DepositState]]:
    if not bill_ids:
        return {}
    refunded = dict(
        session.execute(
            select(Refund.bill_id, func.sum(Refund.gross_fen))
            .where(Refund.bill_id.in_(bill_ids))
            .group_by(Refund.bill_id)
        ).all()
    )
    found = {}
    for line in bill_lines(session, bill_ids=bill_ids):
        if refunded.get(line.bill_id):
            state = DepositState.REFUNDED
        elif line.outstanding_fen > 0:
            state = DepositState.UNPAID
        else:
            state = DepositState.HELD
        found[line.bill_id] = (line.due_fen, state)
    return found


def loan_rows(session: Session, loans: Iterable[ItemLoan], today: date) -> list[LoanRow]:
    loans = list(loans)
    names = dict(
        session.execute(
            select(LendableItem.id, LendableItem.name).where(
                LendableItem.id.in_({x.item_id for x in loans})
            )
        ).all()
    )
    places = room_places(session, {x.room_id for x in loans})
    deposits = _deposits(session, {x.bill_id for x in loans if x.bill_id is not None})
    rows = []
    for x in loans:
        amount, deposit = deposits.get(x.bill_id or 0, (0, DepositState.NONE))
        rows.append(
            LoanRow(
                x.id,
                names.get(x.item_id, ""),
                x.quantity,
                x.room_id,
                places.get(x.room_id, ("", ""))[0],
                x.borrower if x.purged_at is None else "（已按期清除）",
                mask_phone(x.borrower_phone),
                x.out_at,
                x.due_on,
                x.returned_at,
                loan_state(x.due_on, x.returned_at is not None, today),
                amount,
                deposit,
                x.out_by,
                x.returned_by,
                x.note,
            )
        )
    return rows


def lend_item(
    db: Database, actor: Actor, data: LoanInput, *, now: datetime | None = None
) -> LoanRow:
    """Lend pieces of an item to a household; its deposit (if the item takes one) goes
    on the room's account for the cashier in the same commit."""
    require(actor, PERMISSION)
    now = now or utcnow()
    today = now.astimezone().date()
    borrower = clean_name(data.borrower, "借用人", 40, required=True)
    if not data.borrower_phone.strip():
        raise ValidationError("借用人电话", "不能为空")
    phone = phone_key(data.borrower_phone, "借用人电话")
    note = clean_text(data.note, "备注", 200)
    with db.write(actor) as session:
        scoped_room(session, actor, PERMISSION, data.room_id)
        in_turn(session, "item_loan")  # two counters lending the last umbrella
        item = session.get(LendableItem, data.item_id)
        if item is None or not item.active:
            raise ValidationError("借用物品", "请从列表中选择一种可借的物品")
        available = item.stock - out_counts(session, [item.id]).get(item.id, 0)
        quantity = check_quantity(data.quantity, max(available, 0), item.name)
        bill_id = None
        if item.deposit_fen and item.deposit_item_id is not None:
            deposit = item.deposit_fen * quantity
            what = f"借用 {item.name} ×{quantity}"
            bill_id = add_charge(
                session, actor, data.room_id, item.deposit_item_id, 1, deposit, what, today
            )
        loan = ItemLoan(
            item_id=item.id,
            room_id=data.room_id,
            quantity=quantity,
            borrower=borrower,
            borrower_phone=phone,
            out_at=now,
            due_on=due_on(today, item.loan_days),
            bill_id=bill_id,
            note=note,
            **by_columns("out", actor),
        )
        session.add(loan)
        session.flush()
        return loan_rows(session, [loan], today)[0]


def return_item(
    db: Database, actor: Actor, loan_id: int, *, now: datetime | None = None
) -> LoanRow:
    """The things are back; the deposit is then refunded at the cashier."""
    require(actor, PERMISSION)
    now = now or utcnow()
    with db.write(actor) as session:
        loan = session.get(ItemLoan, loan_id)
        if loan is None:
            raise NotFound("该借用记录已不存在，请刷新后重试。")
        scoped_room(session, actor, PERMISSION, loan.room_id)
        if loan.returned_at is not None:
            raise UserError(
                f"该借用已于 {loan.returned_at.astimezone():%m-%d %H:%M} 归还"
                f"（{loan.returned_by}），无需再次登记。"
            )
        loan.returned_at = max(now, loan.out_at)
        stamp(loan, "returned", actor)
        session.flush()
        return loan_rows(session, [loan], now.astimezone().date())[0]


def _listed(actor: Actor) -> Select[ItemLoan]:
    query = (
        select(ItemLoan)
        .join(Room, ItemLoan.room_id == Room.id)
        .join(Building, Room.building_id == Building.id)
    )
    return in_scope_only(query, actor)


def list_loans(
    db: Database,
    actor: Actor,
    *,
    overdue_only: bool = False,
    now: datetime | None = None,
) -> list[LoanRow]:
    """The things lent out now (a butler: to their buildings), the longest due first;
    `overdue_only`: past their due day."""
    require(actor, PERMISSION)
    today = (now or utcnow()).astimezone().date()
    query = _listed(actor).where(ItemLoan.returned_at.is_(None))
    if overdue_only:
        query = query.where(ItemLoan.due_on < today)
    with db.read() as session:
        loans = session.scalars(query.order_by(ItemLoan.due_on, ItemLoan.id))
        return loan_rows(session, loans, today)


def room_loans(
    db: Database, actor: Actor, room_id: int, now: datetime | None = None
) -> list[LoanRow]:
    """Every lending to one household, newest first (the returned ones too)."""
    require(actor, PERMISSION)
    today = (now or utcnow()).astimezone().date()
    with db.read() as session:
        query = _listed(actor).where(ItemLoan.room_id == room_id).order_by(ItemLoan.out_at.desc())
        return loan_rows(session, session.scalars(query), today)
