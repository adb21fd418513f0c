"""Personal data past its retention period, erased in one run over every register that
keeps it: visitors (their own settings and papers), then each counter register (parcels,
keys, goods passes, lending, lost property), each with its own period.

The app runs this at start and every few hours, `frontdesk purge` on demand. Each
register erases in its own transaction; the write-ahead log is folded once at the end,
so erased values leave the file too (a long read elsewhere postpones that to the next
run, remembered as the visitors' fold does)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.domain.roles import Actor
from frontdesk.services import parcels
from frontdesk.services.visitors import settings as visitor_settings

# (db, actor, *, now, dry_run) -> how many records lost (or would lose) personal data
RegisterPurge = Callable[..., int]

# Each counter register's purge, by the name its tab has.
REGISTERS: tuple[tuple[str, RegisterPurge], ...] = (("快递代收", parcels.purge_personal_data),)


@dataclass(frozen=True)
class RetentionRun:
    visitors: visitor_settings.PurgeResult
    registers: tuple[tuple[str, int], ...]  # (register, records) of every register
    complete: bool  # False: the log still holds old pages; the next run retries

    @property
    def register_records(self) -> int:
        return sum(count for _name, count in self.registers)


def purge_expired(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> RetentionRun:
    """Erase (or count, on a dry run) every register's personal data past its period."""
    now = now or utcnow()
    registers = tuple(
        (name, purge(db, actor, now=now, dry_run=dry_run)) for name, purge in REGISTERS
    )
    visitors = visitor_settings.purge_visitor_data(db, actor, now=now, dry_run=dry_run)
    complete = visitors.complete
    if not dry_run and any(count for _name, count in registers):
        complete = visitor_settings.fold_log(db) and complete
        visitor_settings.mark_pending(db, actor, not complete)
    return RetentionRun(visitors, registers, complete)
