"""Visitor settings, and erasing visitors' personal data when its retention ends.

Only what the office needs is kept, and only as long as it needs it: a visit
older than the retention period keeps its room, purpose, party size and times
(the anonymous counts) and loses the name, phone, document number, plate and
note. The database overwrites freed space (`secure_delete`) and the write-ahead
log is folded back at once, so the erased values are gone from the file too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Update, func, select, text, update
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Setting, Visit, VisitBooking
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.visitors import DEFAULT_RETENTION_DAYS, PassPaper, check_retention_days
from frontdesk.services.access import require

REQUIRE_ID_KEY = "visitor_require_id"
RETENTION_KEY = "visitor_retention_days"
PASS_PAPER_KEY = "visitor_pass_paper"


@dataclass(frozen=True)
class VisitorSettings:
    require_id: bool = False  # document type and number at registration
    retention_days: int = DEFAULT_RETENTION_DAYS
    pass_paper: PassPaper = PassPaper.ROLL_80


def read_settings(session: Session) -> VisitorSettings:
    values = {
        s.key: s.value
        for s in session.scalars(
            select(Setting).where(Setting.key.in_((REQUIRE_ID_KEY, RETENTION_KEY, PASS_PAPER_KEY)))
        )
    }
    default = VisitorSettings()
    return VisitorSettings(
        require_id=values.get(REQUIRE_ID_KEY, "0") == "1",
        retention_days=int(values.get(RETENTION_KEY, default.retention_days)),
        pass_paper=PassPaper(values.get(PASS_PAPER_KEY, default.pass_paper)),
    )


def visitor_settings(db: Database) -> VisitorSettings:
    with db.read() as session:
        return read_settings(session)


def set_visitor_settings(db: Database, actor: Actor, settings: VisitorSettings) -> None:
    require(actor, Permission.EDIT_COMMUNITY)
    check_retention_days(settings.retention_days)
    values = {
        REQUIRE_ID_KEY: "1" if settings.require_id else "0",
        RETENTION_KEY: str(settings.retention_days),
        PASS_PAPER_KEY: PassPaper(settings.pass_paper).value,
    }
    with db.write(actor) as session:
        for key, value in values.items():
            setting = session.get(Setting, key)
            if setting is None:
                session.add(Setting(key=key, value=value))
            elif setting.value != value:
                setting.value = value


def _changed(session: Session, statement: Update) -> int:
    result = session.execute(statement)
    return cast(CursorResult[Any], result).rowcount


def _fold_log(db: Database) -> None:
    """Copy the write-ahead log into the file and empty it: the log still holds the
    pages as they were before the erasure. Outside any transaction, as SQLite wants."""
    connection = db.engine.raw_connection()
    try:
        connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


@dataclass(frozen=True)
class PurgeResult:
    before: date  # visits that began before this local day were erased
    visits: int
    bookings: int


def retention_cutoff(days: int, now: datetime) -> datetime:
    """Midnight (local) starting the oldest day still kept."""
    first_kept = now.astimezone().date() - timedelta(days=days)
    return datetime.combine(first_kept, time()).astimezone()


def purge_visitor_data(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> PurgeResult:
    """Erase the personal data of visits and bookings past the retention period."""
    require(actor, Permission.EDIT_COMMUNITY)
    now = now or utcnow()
    with db.read() as session:
        days = read_settings(session).retention_days
    cutoff = retention_cutoff(days, now)
    before = cutoff.date()
    old_visits = (Visit.arrived_at < cutoff) & Visit.purged_at.is_(None)
    old_bookings = (VisitBooking.expected_on < before) & VisitBooking.purged_at.is_(None)
    if dry_run:
        with db.read() as session:
            return PurgeResult(
                before,
                session.scalar(select(func.count()).where(old_visits)) or 0,
                session.scalar(select(func.count()).where(old_bookings)) or 0,
            )
    erased = {"visitor_name": "", "visitor_phone": "", "note": ""}
    with db.write(actor) as session:
        visits = _changed(
            session,
            update(Visit)
            .where(old_visits)
            .values(**erased, plate="", id_type="", id_number="", purged_at=now)
            .execution_options(synchronize_session=False),
        )
        bookings = _changed(
            session,
            update(VisitBooking)
            .where(old_bookings)
            .values(**erased, purged_at=now)
            .execution_options(synchronize_session=False),
        )
        if visits or bookings:
            # Index pages keep stale copies of moved entries in their free gaps; fresh
            # indexes (the old pages zeroed as they are freed) carry only erased values.
            session.execute(text("REINDEX visit"))
            session.execute(text("REINDEX visit_booking"))
            write_entry(
                session.connection(),
                actor,
                "purge",
                "visit",
                "",
                f"清除 {before:%Y-%m-%d} 以前 {visits} 条访客登记、{bookings} 条预约中的"
                f"个人信息（保存期限 {days} 天）",
            )
    if visits or bookings:
        _fold_log(db)
    return PurgeResult(before, visits, bookings)
