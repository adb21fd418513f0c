"""The figures a clerk ticks against the old system's own totals: what a file holds,
and what the database holds before and after an import."""

from __future__ import annotations

import json
from dataclasses import asdict, fields

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import (
    Bill,
    BillOpen,
    ImportedPayment,
    MeterReading,
    OpeningDeposit,
    Person,
    PrepaidEntry,
    Room,
)
from frontdesk.domain.onboarding import ReadResult, Totals
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require


def lines_totals(read: ReadResult) -> Totals:
    """What the lines of a file hold (rooms counted once however many rows name them)."""
    return Totals(
        rooms=len({line.room for line in read.rooms}),
        people=len(read.people),
        arrears_fen=sum(line.amount_fen for line in read.arrears),
        arrears_lines=len(read.arrears),
        prepaid_fen=sum(line.amount_fen for line in read.prepaid),
        deposits_fen=sum(line.amount_fen for line in read.deposits),
        history_lines=len(read.history),
        history_fen=sum(line.amount_fen for line in read.history),
        meter_readings=len(read.meters),
    )


def office_totals(db: Database, actor: Actor) -> Totals:
    """The database's own figures: rooms, people on file, carried-over arrears still
    open, prepaid carried over, deposits the old system held, history lines, meter
    readings (期初 figures only: our own bills and payments are not the old system's)."""
    require(actor, Permission.IMPORT_HOUSEHOLDS)
    with db.read() as session:
        return database_totals(session)


def database_totals(session: Session) -> Totals:
    def scalar(query: object) -> int:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]

    carried = (
        select(BillOpen.bill_id)
        .join(Bill, Bill.id == BillOpen.bill_id)
        .where(Bill.import_id.is_not(None))
    )
    return Totals(
        rooms=scalar(select(func.count(Room.id))),
        people=scalar(select(func.count(Person.id)).where(Person.left_on.is_(None))),
        arrears_fen=scalar(carried.with_only_columns(func.sum(BillOpen.open_fen))),
        arrears_lines=scalar(
            carried.with_only_columns(func.count(BillOpen.bill_id)).where(BillOpen.open_fen > 0)
        ),
        prepaid_fen=scalar(
            select(func.sum(PrepaidEntry.amount_fen)).where(PrepaidEntry.import_id.is_not(None))
        ),
        deposits_fen=scalar(select(func.sum(OpeningDeposit.amount_fen))),
        history_lines=scalar(select(func.count(ImportedPayment.id))),
        history_fen=scalar(select(func.sum(ImportedPayment.amount_fen))),
        meter_readings=scalar(
            select(func.count(MeterReading.id)).where(MeterReading.import_id.is_not(None))
        ),
    )


def totals_json(**totals: Totals) -> str:
    """An import's totals as its batch row keeps them: {"file": {...}, "added": {...}}."""
    return json.dumps({key: asdict(value) for key, value in totals.items()}, sort_keys=True)


def totals_from_json(text: str, key: str) -> Totals:
    known = {f.name for f in fields(Totals)}
    stored = json.loads(text or "{}").get(key, {})
    return Totals(**{name: int(value) for name, value in stored.items() if name in known})
