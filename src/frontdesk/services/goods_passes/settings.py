"""How long goods passes keep the applicant's personal data, and erasing it after.

A pass issued before the retention period keeps its room, items, window and who issued
and used it (the register's evidence), and loses the applicant's name and phone, the
plate, the consenting owner's name and the note. Its stored PDF goes with it (the
register's entry stays)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import GoodsPass, IssuedDocument, Setting
from frontdesk.domain.goods_passes import DEFAULT_RETENTION_DAYS, check_retention_days
from frontdesk.domain.issued import DocKind
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.store import Store, reading
from frontdesk.services.visitors.settings import fold_log, retention_cutoff

RETENTION_KEY = "goods_pass_retention_days"


@dataclass(frozen=True)
class GoodsPassSettings:
    retention_days: int = DEFAULT_RETENTION_DAYS


def goods_pass_settings(store: Store) -> GoodsPassSettings:
    with reading(store) as session:
        setting = session.get(Setting, RETENTION_KEY)
    if setting is None:
        return GoodsPassSettings()
    return GoodsPassSettings(retention_days=int(setting.value))


def set_goods_pass_settings(db: Database, actor: Actor, settings: GoodsPassSettings) -> None:
    require(actor, Permission.EDIT_COMMUNITY)
    value = str(check_retention_days(settings.retention_days))
    with db.write(actor) as session:
        setting = session.get(Setting, RETENTION_KEY)
        if setting is None:
            session.add(Setting(key=RETENTION_KEY, value=value))
        elif setting.value != value:
            setting.value = value


def purge_personal_data(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> int:
    """Erase (or count, on a dry run) the personal data of passes issued before the
    retention period and closed (used, cancelled or expired); one audit entry."""
    require(actor, Permission.EDIT_COMMUNITY)
    now = now or utcnow()
    with db.read() as session:
        days = goods_pass_settings(session).retention_days
    cutoff = retention_cutoff(days, now)
    expired = (
        (GoodsPass.issued_at < cutoff)
        & (GoodsPass.window_end < cutoff)
        & GoodsPass.purged_at.is_(None)
    )
    papers = (IssuedDocument.kind == DocKind.GOODS_PASS) & (
        issued_documents.first_issued_at() < cutoff
    )
    if dry_run:
        with db.read() as session:
            return session.scalar(select(func.count()).where(expired)) or 0
    with db.write(actor) as session:
        erased = _erase(session, expired, now)
        documents, unneeded = issued_documents.mark_purged(session, papers, now)
        if erased or documents:
            write_entry(
                session.connection(),
                actor,
                "purge",
                "goods_pass",
                "",
                f"清除 {cutoff:%Y-%m-%d} 以前 {erased} 张物品放行条中的个人信息和 "
                f"{documents} 份放行条存档（保存期限 {days} 天）",
            )
    issued_documents.unlink_stored(db, unneeded)
    if erased:
        fold_log(db)  # the write-ahead log still holds the erased values
    return erased


def _erase(session: Session, expired: ColumnElement[bool], now: datetime) -> int:
    ids = list(session.scalars(select(GoodsPass.id).where(expired)))
    for start in range(0, len(ids), 500):
        session.execute(
            update(GoodsPass)
            .where(GoodsPass.id.in_(ids[start : start + 500]))
            .values(
                applicant_name="",
                applicant_phone="",
                plate="",
                consent_by="",
                note="",
                purged_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    return len(ids)
