"""What several counters must do in turn: take a number, post a room's money.

On SQLite a writer holds the whole file from its first statement (BEGIN IMMEDIATE,
db/engine.py), so reading a series and taking its next number can never interleave.
On PostgreSQL the writers take turns through one advisory lock today (db/engine.py);
these locks make each use-case safe on its own as well, so that lock can be lifted
when counters must write side by side: a series kept in a row (receipts, notices) is
read with a row lock; a series counted from its rows (GD-2612-0001, pass and register
numbers: the largest taken + 1) waits for a transaction-scoped advisory lock of its
own, so the second counter reads after the first has committed its number; a room's
money (payments, voids, refunds) is posted holding the room's row, so a bill paid at
another counter a moment ago is seen as paid, and refused, not paid twice.
"""

from __future__ import annotations

import zlib

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from frontdesk.db.models import ReceiptSeries, Room


def locked_series(session: Session, code: str) -> ReceiptSeries | None:
    """The series row, held until the transaction ends (PostgreSQL); as read (SQLite)."""
    return session.get(ReceiptSeries, code, with_for_update=True)


def in_turn(session: Session, series: str) -> None:
    """Wait until no other transaction is taking a number of `series` (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(series.encode()) - 2**31  # a stable signed 32-bit key
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def room_in_turn(session: Session, room_id: int) -> None:
    """Hold the room's row until the transaction ends: its money is posted in turn."""
    session.execute(select(Room.id).where(Room.id == room_id).with_for_update())
