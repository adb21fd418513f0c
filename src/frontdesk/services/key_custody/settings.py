"""How long the key register keeps people's names, and erasing them when it ends.

A lending returned before the retention period loses its borrower's name, phone,
company and note (the key, the room, the purpose and the times stay: who had access
to a flat, as counts); a key handed back to its owner before then loses the name of
whoever took it back, and its authorisation scan; the copies of 钥匙退还确认单 and 托管钥匙清单
kept by the document register go too (their entries stay)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, func, select, update
from sqlalchemy.orm import Session

from frontdesk.db import settings
from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import Attachment, HeldKey, KeyLending, WorkOrderPhoto
from frontdesk.domain.issued import DocKind
from frontdesk.domain.key_custody import DEFAULT_RETENTION_DAYS, check_retention_days
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require
from frontdesk.services.households.attachments import stored_attachments
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.store import Store, reading
from frontdesk.services.visitors.settings import retention_cutoff

SETTINGS_KEY = "key_custody_settings"


@dataclass(frozen=True)
class KeySettings:
    retention_days: int = DEFAULT_RETENTION_DAYS


def key_settings(store: Store) -> KeySettings:
    with reading(store) as session:
        return settings.load(session, SETTINGS_KEY, KeySettings())


def set_key_settings(db: Database, actor: Actor, value: KeySettings) -> None:
    require(actor, Permission.EDIT_COMMUNITY)
    check_retention_days(value.retention_days)
    with db.write(actor) as session:
        settings.save(session, SETTINGS_KEY, value)


class _Expired:
    def __init__(self, cutoff: datetime) -> None:
        self.lendings = (KeyLending.returned_at < cutoff) & KeyLending.purged_at.is_(None)
        self.keys = (HeldKey.released_at < cutoff) & (
            (HeldKey.released_to != "") | (HeldKey.scan_sha256 != "")
        )
        self.papers = issued_documents.issued_before({DocKind.KEY_RETURN, DocKind.KEY_LIST}, cutoff)

    @staticmethod
    def count(session: Session, where: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).where(where)) or 0


def _changed(session: Session, statement: Any) -> int:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def purge_personal_data(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> int:
    """Erase (or, on a dry run, count) the personal data of lendings and released keys
    past the retention period; one write, audited once. Returns the records erased."""
    require(actor, Permission.EDIT_COMMUNITY)
    now = now or utcnow()
    days = key_settings(db).retention_days
    rules = _Expired(retention_cutoff(days, now))
    if dry_run:
        with db.read() as session:
            return (
                rules.count(session, rules.lendings)
                + rules.count(session, rules.keys)
                + issued_documents.count_expired(session, rules.papers)
            )
    with db.write(actor) as session:
        scans = set(session.scalars(select(HeldKey.scan_sha256).where(rules.keys)))
        lendings = _changed(
            session,
            update(KeyLending)
            .where(rules.lendings)
            .values(borrower="", borrower_phone="", borrower_company="", note="", purged_at=now),
        )
        keys = _changed(
            session,
            update(HeldKey).where(rules.keys).values(released_to="", scan_sha256="", scan_name=""),
        )
        papers, unneeded = issued_documents.mark_purged(session, rules.papers, now)
        unused = scans - _scans_in_use(session, scans)
        if lendings or keys or papers:
            write_entry(
                session.connection(),
                actor,
                "purge",
                "key_lending",
                "",
                f"清除 {lendings} 条钥匙借用记录、{keys} 把已退还钥匙的个人信息和授权书"
                f"及 {papers} 份钥匙退还确认单、清单存档（保存期限 {days} 天）",
            )
    issued_documents.unlink_stored(db, unneeded)
    stored_attachments(db).remove(unused)
    return lendings + keys + papers


def _scans_in_use(session: Session, hashes: set[str]) -> set[str]:
    """Of these stored files, those another record still names."""
    columns = (HeldKey.scan_sha256, Attachment.sha256, WorkOrderPhoto.sha256)
    used: set[str] = set()
    for column in columns if hashes else ():
        used |= set(session.scalars(select(column).where(column.in_(hashes))))
    return used
