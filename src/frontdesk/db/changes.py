"""What a unit of work changed, told to whoever shows the data once it is committed.

`Database.write` notes every INSERT, UPDATE and DELETE its transaction sends — ORM
flushes, Core statements and the raw SQL of bulk inserts alike, as they reach the
driver — and after the commit hands a `Changes` to the database's `on_change`
callback (the GUI's main window, which tells its screens: a payment posted from a
household's file makes the cashier's screen stale). A transaction that rolls back,
or that only read, tells nothing.

A table's area is the models module that declares it (db/models/fees.py → FEES): the
models are grouped by area already, so a new table has its area without a list to
keep. Writes that bypass `Database.write` (the migrations, the restore of a backup)
are not reported; a screen also reloads whenever it is shown, which covers them and
the writes of other counters on the same database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import Engine, event

from frontdesk.db import models  # noqa: F401  (registers every table on Base)
from frontdesk.db.base import Base


class DataArea(StrEnum):
    """The areas of data, one per models module."""

    ARREARS = "arrears"  # reminders, late-fee waivers, open amounts
    AUDIT = "audit"  # the audit log (every write adds to it)
    CERTIFICATES = "certificates"  # certificates issued at the counter (证明开具)
    COMMUNITY = "community"  # the community's details and the settings
    DOCUMENTS = "documents"  # notices, notice templates, the register of issued papers
    FEES = "fees"  # fee setup, meters, bills, payments, receipts, refunds, cash closes
    GOODS_PASSES = "goods_passes"  # passes for moving goods out (物品放行条)
    HOUSEHOLDS = "households"  # people, vehicles, parking, pets, care, attachments, contacts
    KEY_CUSTODY = "key_custody"  # keys held for flats and their lendings (钥匙托管)
    LENDING = "lending"  # things the office lends out (物品借用)
    LOOKUPS = "lookups"  # the keyed phone index of people and visitors
    LOST_PROPERTY = "lost_property"  # found items and their claims (失物招领)
    MOVEIN = "movein"  # handover batches, checklists, defects
    ONBOARDING = "onboarding"  # imports, saved mappings, what the old system knew (数据导入)
    PARCELS = "parcels"  # parcels taken in for households (快递代收)
    RENOVATION = "renovation"
    SERVICE_DESK = "service_desk"  # work orders and their steps, categories, staff
    SHIFT_LOG = "shift_log"  # the shift handover book (交接班记录)
    STRUCTURE = "structure"  # buildings, units, rooms
    SURVEYS = "surveys"  # satisfaction surveys, their samples, calls and scores
    USERS = "users"
    VISITORS = "visitors"  # visits, bookings, the watchlist


@cache
def area_of_table() -> dict[str, DataArea]:
    """Every mapped table's area (from the module of its model)."""
    return {
        table.name: DataArea(mapper.class_.__module__.rsplit(".", 1)[-1])
        for mapper in Base.registry.mappers
        for table in mapper.tables
    }


@dataclass(frozen=True)
class Changes:
    """The tables one committed unit of work wrote to, and their areas."""

    tables: frozenset[str]

    @property
    def areas(self) -> frozenset[DataArea]:
        known = area_of_table()
        return frozenset(known[t] for t in self.tables if t in known)

    def touches(self, areas: Iterable[DataArea]) -> bool:
        return not self.areas.isdisjoint(areas)


# The tables written by the unit of work running in this thread (None outside one).
_written: ContextVar[set[str] | None] = ContextVar("frontdesk_written", default=None)

_WRITE = re.compile(
    r"""\s*(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)
        \s+["`\[]?(\w+)""",
    re.IGNORECASE | re.VERBOSE,
)


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes to; None for anything else."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


def install_change_tracking(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _note_statement)


def _note_statement(
    _connection: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    written = _written.get()
    if written is not None and (table := written_table(statement)) is not None:
        written.add(table)


@contextmanager
def tracking() -> Iterator[set[str]]:
    """Collect the tables written in this thread while the block runs."""
    written: set[str] = set()
    token = _written.set(written)
    try:
        yield written
    finally:
        _written.reset(token)
