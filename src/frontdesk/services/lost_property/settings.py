"""失物招领 settings — how long an item is kept before the police or disposal, how long
the finders' and claimants' details are kept after it left — and erasing them then.

An item that left (claimed, handed to the police, disposed of) before the retention
period keeps its description, places, dates and who handled it, and loses the finder's
and claimant's names, phones and ID number. The photo stays (it shows the thing, not
its owner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from frontdesk.db import scrub
from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import IssuedDocument, LostItem, Setting
from frontdesk.domain.issued import DocKind
from frontdesk.domain.lost_property import (
    DEFAULT_KEEP_DAYS,
    DEFAULT_RETENTION_DAYS,
    KEEP_RANGE,
    RETENTION_RANGE,
    check_days,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.store import Store, reading
from frontdesk.services.visitors.settings import retention_cutoff

KEEP_KEY = "lost_property_keep_days"
RETENTION_KEY = "lost_property_retention_days"


@dataclass(frozen=True)
class LostPropertySettings:
    keep_days: int = DEFAULT_KEEP_DAYS
    retention_days: int = DEFAULT_RETENTION_DAYS


def lost_property_settings(store: Store) -> LostPropertySettings:
    with reading(store) as session:
        values = dict(
            session.execute(
                select(Setting.key, Setting.value).where(Setting.key.in_((KEEP_KEY, RETENTION_KEY)))
            ).all()
        )
    default = LostPropertySettings()
    return LostPropertySettings(
        keep_days=int(values.get(KEEP_KEY, default.keep_days)),
        retention_days=int(values.get(RETENTION_KEY, default.retention_days)),
    )


def set_lost_property_settings(db: Database, actor: Actor, settings: LostPropertySettings) -> None:
    require(actor, Permission.EDIT_COMMUNITY)
    values = {
        KEEP_KEY: str(check_days(settings.keep_days, "失物保管天数", KEEP_RANGE)),
        RETENTION_KEY: str(
            check_days(settings.retention_days, "失物招领信息保存天数", RETENTION_RANGE)
        ),
    }
    with db.write(actor) as session:
        for key, value in values.items():
            setting = session.get(Setting, key)
            if setting is None:
                session.add(Setting(key=key, value=value))
            elif setting.value != value:
                setting.value = value


def purge_personal_data(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> int:
    """Erase (or count, on a dry run) the finders' and claimants' details of items that
    left before the retention period; one audit entry."""
    require(actor, Permission.EDIT_COMMUNITY)
    now = now or utcnow()
    with db.read() as session:
        days = lost_property_settings(session).retention_days
    cutoff = retention_cutoff(days, now)
    left = func.coalesce(LostItem.claimed_at, LostItem.disposed_at)
    expired = (left < cutoff) & LostItem.purged_at.is_(None)
    if dry_run:
        with db.read() as session:
            return session.scalar(select(func.count()).where(expired)) or 0
    numbers = select(LostItem.number).where(expired).scalar_subquery()
    papers = (IssuedDocument.kind == DocKind.LOST_CLAIM) & IssuedDocument.reference.in_(numbers)
    with db.write(actor) as session:
        documents, unneeded = issued_documents.mark_purged(session, papers, now)
        erased = _erase(session, list(session.scalars(select(LostItem.id).where(expired))), now)
        if erased:
            write_entry(
                session.connection(),
                actor,
                "purge",
                "lost_item",
                "",
                f"清除 {cutoff:%Y-%m-%d} 以前领走或处理的 {erased} 件失物中拾获人、认领人的"
                f"个人信息和 {documents} 份认领单存档（保存期限 {days} 天）",
            )
    issued_documents.unlink_stored(db, unneeded)
    if erased:
        scrub.fold_log(db.engine)  # the write-ahead log still holds the erased values
    return erased


def _erase(session: Session, ids: list[int], now: datetime) -> int:
    blank = dict.fromkeys(
        ("finder_name", "finder_phone", "claimant_name", "claimant_phone", "claimant_id_number"),
        "",
    )
    for start in range(0, len(ids), 500):
        session.execute(
            update(LostItem)
            .where(LostItem.id.in_(ids[start : start + 500]))
            .values(**blank, purged_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(ids)
