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

from sqlalchemy import ColumnElement, CursorResult, Update, func, select, update
from sqlalchemy.orm import Session

from frontdesk.db import phone_index, scrub
from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import IssuedDocument, Setting, Visit, VisitBooking, WatchEntry
from frontdesk.db.scrub import rebuild_indexes
from frontdesk.domain.issued import VISITOR_KINDS, DocKind
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.visitors import DEFAULT_RETENTION_DAYS, PassPaper, check_retention_days
from frontdesk.services.access import require
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.store import Store, reading

REQUIRE_ID_KEY = "visitor_require_id"
RETENTION_KEY = "visitor_retention_days"
PASS_PAPER_KEY = "visitor_pass_paper"
FOLD_PENDING_KEY = "visitor_purge_fold_pending"


@dataclass(frozen=True)
class VisitorSettings:
    require_id: bool = False  # document type and number at registration
    retention_days: int = DEFAULT_RETENTION_DAYS
    pass_paper: PassPaper = PassPaper.ROLL_80


def visitor_settings(store: Store) -> VisitorSettings:
    with reading(store) as session:
        keys = (REQUIRE_ID_KEY, RETENTION_KEY, PASS_PAPER_KEY)
        values = {
            s.key: s.value for s in session.scalars(select(Setting).where(Setting.key.in_(keys)))
        }
    default = VisitorSettings()
    return VisitorSettings(
        require_id=values.get(REQUIRE_ID_KEY, "0") == "1",
        retention_days=int(values.get(RETENTION_KEY, default.retention_days)),
        pass_paper=PassPaper(values.get(PASS_PAPER_KEY, default.pass_paper)),
    )


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
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def fold_log(db: Database) -> bool:
    """Fold the write-ahead log into the file and empty it; False if a long read kept it."""
    return scrub.fold_log(db.engine)


@dataclass(frozen=True)
class PurgeResult:
    before: date  # visits that began before this local day were erased
    visits: int
    bookings: int
    watch_entries: int = 0  # lapsed or revoked before that day
    complete: bool = True  # False: the log still holds old pages; the next run retries
    documents: int = 0  # stored 访客单 and roll calls erased (their register entries stay)


def retention_cutoff(days: int, now: datetime) -> datetime:
    """Midnight (local) starting the oldest day still kept."""
    first_kept = now.astimezone().date() - timedelta(days=days)
    return datetime.combine(first_kept, time()).astimezone()


def purge_visitor_data(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> PurgeResult:
    """Erase the personal data of visits, bookings and watchlist entries past the
    retention period."""
    require(actor, Permission.EDIT_COMMUNITY)
    now = now or utcnow()
    with db.read() as session:
        days = visitor_settings(session).retention_days
        pending = session.get(Setting, FOLD_PENDING_KEY) is not None
    cutoff = retention_cutoff(days, now)
    rules = _Expired(cutoff)
    if dry_run:
        with db.read() as session:
            visits, bookings, watch = (rules.count(session, w) for w in rules.wheres)
            papers = issued_documents.count_expired(session, rules.papers)
            return PurgeResult(rules.before, visits, bookings, watch, documents=papers)
    with db.write(actor) as session:
        counts = _erase(session, rules, now)
        documents, unneeded = issued_documents.mark_purged(session, rules.papers, now)
        if any(counts) or documents:
            _record_purge(session, actor, rules.before, counts, days, documents)
    issued_documents.unlink_stored(db, unneeded)
    complete = True
    if any(counts) or pending:
        complete = fold_log(db)
        mark_pending(db, actor, not complete)
    return PurgeResult(rules.before, *counts, complete=complete, documents=documents)


class _Expired:
    """What the retention period no longer covers, as of `cutoff`."""

    def __init__(self, cutoff: datetime) -> None:
        self.before = cutoff.date()
        self.visits = (Visit.arrived_at < cutoff) & Visit.purged_at.is_(None)
        self.bookings = (VisitBooking.expected_on < self.before) & VisitBooking.purged_at.is_(None)
        self.watch = ((WatchEntry.removed_at < cutoff) | (WatchEntry.expires_on < self.before)) & (
            (WatchEntry.name != "")
            | (WatchEntry.phone != "")
            | (WatchEntry.plate != "")
            | (WatchEntry.id_number != "")
        )
        self.wheres = (self.visits, self.bookings, self.watch)
        # A 访客单 goes with its visit, however late it was reprinted; a roll call with
        # the day it was first printed.
        visit_arrived = (
            select(Visit.arrived_at)
            .where(Visit.number == IssuedDocument.reference)
            .scalar_subquery()
        )
        first_issued = issued_documents.first_issued_at()
        self.papers = (
            (IssuedDocument.kind == DocKind.VISITOR_PASS)
            & (func.coalesce(visit_arrived, first_issued) < cutoff)
        ) | issued_documents.issued_before(VISITOR_KINDS - {DocKind.VISITOR_PASS}, cutoff)

    @staticmethod
    def count(session: Session, where: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).where(where)) or 0


def _erase(session: Session, rules: _Expired, now: datetime) -> tuple[int, int, int]:
    erased = {"visitor_name": "", "visitor_phone": "", "note": ""}
    visits = _changed(
        session,
        update(Visit)
        .where(rules.visits)
        .values(**erased, plate="", id_type="", id_number="", purged_at=now),
    )
    if visits:
        phone_index.forget_blank(session.connection(), "visit")
    bookings = _changed(
        session, update(VisitBooking).where(rules.bookings).values(**erased, purged_at=now)
    )
    watch = _changed(
        session,
        update(WatchEntry).where(rules.watch).values(name="", phone="", plate="", id_number=""),
    )
    if visits or bookings:
        # Index pages keep stale copies of moved entries in their free gaps; fresh
        # indexes (the old pages zeroed as they are freed) carry only erased values.
        rebuild_indexes(session, "visit", "visit_booking")
    return visits, bookings, watch


def _record_purge(
    session: Session,
    actor: Actor,
    before: date,
    counts: tuple[int, int, int],
    days: int,
    documents: int,
) -> None:
    visits, bookings, watch = counts
    write_entry(
        session.connection(),
        actor,
        "purge",
        "visit",
        "",
        f"清除 {before:%Y-%m-%d} 以前 {visits} 条访客登记、{bookings} 条预约、"
        f"{watch} 条已失效黑名单中的个人信息和 {documents} 份访客单、点名表存档"
        f"（保存期限 {days} 天）",
    )


def mark_pending(db: Database, actor: Actor, pending: bool) -> None:
    """Remember an unfinished fold, so the next run retries even with nothing to erase."""
    with db.write(actor) as session:
        setting = session.get(Setting, FOLD_PENDING_KEY)
        if pending and setting is None:
            session.add(Setting(key=FOLD_PENDING_KEY, value="1"))
        elif not pending and setting is not None:
            session.delete(setting)
