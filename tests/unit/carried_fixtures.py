"""What an import (数据导入) leaves behind, written straight through the models: the
money side's tests do not depend on reading or checking a spreadsheet."""

from __future__ import annotations

from datetime import date

from frontdesk.db.models import (
    Bill,
    ImportBatch,
    ImportedPayment,
    OpeningDeposit,
    PaidThrough,
    PrepaidEntry,
)
from frontdesk.db.who import stamp
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.services.database import Database

CARRIED_DESCRIPTION = "期初欠费（原系统结转）"


def import_batch(db: Database, admin: Actor, file_name: str = "原系统导出.xlsx") -> int:
    with db.write(admin) as session:
        batch = ImportBatch(
            file_name=file_name, file_sha256="0" * 64, sheets="欠费", kinds="balances", totals="{}"
        )
        stamp(batch, "imported", admin)
        session.add(batch)
        session.flush()
        return batch.id


def carried_bill(
    db: Database, admin: Actor, batch: int, room_id: int, fee_item_id: int, period: Period, fen: int
) -> int:
    """期初欠费: one month of one item the old system had not been paid."""
    with db.write(admin) as session:
        bill = Bill(
            room_id=room_id,
            fee_item_id=fee_item_id,
            period=str(period),
            start_on=period.first_day,
            end_on=period.last_day,
            quantity_x100=100,
            unit_price=fen * 100,  # yuan × 10,000
            amount_fen=fen,
            reduction_fen=0,
            reduction_reason="",
            due_fen=fen,
            description=CARRIED_DESCRIPTION,
            import_id=batch,
        )
        stamp(bill, "created", admin)
        session.add(bill)
        session.flush()
        return bill.id


def carried_prepaid(db: Database, admin: Actor, batch: int, room_id: int, fen: int) -> None:
    with db.write(admin) as session:
        session.add(
            PrepaidEntry(
                room_id=room_id, amount_fen=fen, note="期初预存（原系统结转）", import_id=batch
            )
        )


def paid_through(
    db: Database, admin: Actor, batch: int, room_id: int, fee_item_id: int, period: Period
) -> None:
    with db.write(admin) as session:
        session.add(
            PaidThrough(
                room_id=room_id, fee_item_id=fee_item_id, period=str(period), import_id=batch
            )
        )


def imported_payment(
    db: Database,
    admin: Actor,
    batch: int,
    room_id: int,
    *,
    item: str,
    period: str,
    fen: int,
    paid_on: date,
    cashier: str = "王会计",
    receipt_no: str = "",
) -> None:
    with db.write(admin) as session:
        session.add(
            ImportedPayment(
                room_id=room_id,
                fee_item=item,
                period=period,
                amount_fen=fen,
                paid_on=paid_on,
                cashier=cashier,
                receipt_no=receipt_no,
                import_id=batch,
            )
        )


def opening_deposit(
    db: Database, admin: Actor, batch: int, room_id: int, fen: int, received_on: date
) -> int:
    with db.write(admin) as session:
        deposit = OpeningDeposit(
            room_id=room_id,
            kind="装修押金",
            amount_fen=fen,
            received_on=received_on,
            import_id=batch,
        )
        session.add(deposit)
        session.flush()
        return deposit.id
