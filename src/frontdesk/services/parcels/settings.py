"""Parcel settings (the couriers offered, when a waiting parcel counts as overdue, how
long names are kept), and erasing parcels' personal data when its retention ends.

A collected parcel older than the retention period keeps its room, courier, shelf and
times (the counts) and loses the recipient's and the collector's names, the note and
its photo (the waybill on it shows the recipient's name and phone);
a parcel still on the shelf keeps them whatever its age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from frontdesk.db import scrub, settings
from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import IssuedDocument, Parcel
from frontdesk.db.scrub import rebuild_indexes
from frontdesk.domain.issued import DocKind
from frontdesk.domain.parcels import (
    DEFAULT_COURIERS,
    DEFAULT_OVERDUE_DAYS,
    DEFAULT_RETENTION_DAYS,
    OVERDUE_RANGE,
    RETENTION_RANGE,
    check_couriers,
    check_days,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.parcels.photos import drop_photos
from frontdesk.services.service_desk.photo_files import unlink_stored
from frontdesk.services.store import Store, reading
from frontdesk.services.visitors.settings import retention_cutoff

SETTINGS_KEY = "parcel_settings"
SEPARATOR = "、"


@dataclass(frozen=True)
class ParcelSettings:
    couriers: tuple[str, ...] = DEFAULT_COURIERS
    overdue_days: int = DEFAULT_OVERDUE_DAYS  # uncollected this many days: listed to chase
    retention_days: int = DEFAULT_RETENTION_DAYS  # after collection, names kept this long


@dataclass(frozen=True)
class _Stored:
    """The settings as kept (db/settings.py): the couriers as one 、-joined line."""

    couriers: str = SEPARATOR.join(DEFAULT_COURIERS)
    overdue_days: int = DEFAULT_OVERDUE_DAYS
    retention_days: int = DEFAULT_RETENTION_DAYS


def parcel_settings(store: Store) -> ParcelSettings:
    with reading(store) as session:
        stored = settings.load(session, SETTINGS_KEY, _Stored())
    couriers = tuple(c for c in stored.couriers.split(SEPARATOR) if c) or DEFAULT_COURIERS
    return ParcelSettings(couriers, stored.overdue_days, stored.retention_days)


def set_parcel_settings(db: Database, actor: Actor, wanted: ParcelSettings) -> ParcelSettings:
    require(actor, Permission.EDIT_COMMUNITY)
    checked = ParcelSettings(
        check_couriers(wanted.couriers),
        check_days(wanted.overdue_days, "超期天数", OVERDUE_RANGE),
        check_days(wanted.retention_days, "保存天数", RETENTION_RANGE),
    )
    stored = _Stored(SEPARATOR.join(checked.couriers), checked.overdue_days, checked.retention_days)
    with db.write(actor) as session:
        settings.save(session, SETTINGS_KEY, stored)
    return checked


@dataclass(frozen=True)
class ParcelPurge:
    before: datetime  # parcels collected before this instant lost their names
    parcels: int
    complete: bool = True  # False: the log still holds old pages; the next run retries
    labels: int = 0  # stored labels of those parcels erased (their register entries stay)


def purge_personal_data(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> int:
    """Erase (or count, on a dry run) the names of parcels collected before the
    retention period; the number of parcels."""
    return purge_parcels(db, actor, now=now, dry_run=dry_run).parcels


def purge_parcels(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> ParcelPurge:
    require(actor, Permission.EDIT_COMMUNITY)
    now = now or utcnow()
    with db.read() as session:
        days = parcel_settings(session).retention_days
    cutoff = retention_cutoff(days, now)
    expired = (Parcel.collected_at < cutoff) & Parcel.purged_at.is_(None)
    # A label goes with its parcel (it names the room and the recipient's surname).
    labels = (IssuedDocument.kind == DocKind.PARCEL_LABEL) & IssuedDocument.reference.in_(
        select(Parcel.number).where(Parcel.collected_at < cutoff)
    )
    if dry_run:
        with db.read() as session:
            count = session.scalar(select(func.count()).where(expired)) or 0
            papers = issued_documents.count_expired(session, labels)
        return ParcelPurge(cutoff, count, labels=papers)
    with db.write(actor) as session:
        photos = drop_photos(session, expired)
        count = _erase(session, expired, now)
        papers, unneeded = issued_documents.mark_purged(session, labels, now)
        if count or papers:
            write_entry(
                session.connection(),
                actor,
                "purge",
                "parcel",
                "",
                f"清除 {cutoff.astimezone():%Y-%m-%d} 以前取走的 {count} 件快递中的"
                f"收件人、取件人姓名、照片和 {papers} 份快递标签存档（保存期限 {days} 天）",
            )
    issued_documents.unlink_stored(db, unneeded)
    unlink_stored(db, photos)
    complete = scrub.fold_log(db.engine) if count or papers else True
    return ParcelPurge(cutoff, count, complete, papers)


def _erase(session: Session, expired: Any, now: datetime) -> int:
    statement = (
        update(Parcel)
        .where(expired)
        .values(recipient="", collector="", note="", person_id=None, purged_at=now)
        .execution_options(synchronize_session=False)
    )
    count = cast(CursorResult[Any], session.execute(statement)).rowcount
    if count:
        # Stale copies of moved entries stay in index pages' free gaps; rebuilt
        # indexes carry only the erased values.
        rebuild_indexes(session, "parcel")
    return count
