"""How long the lending register keeps borrowers' names and phones, and erasing them
when that ends: a lending returned before the period keeps the item, the room, how
many and the times (the counts), and loses the borrower's name, phone and note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update

from frontdesk.db import settings
from frontdesk.db.audit import write_entry
from frontdesk.db.base import utcnow
from frontdesk.db.engine import Database
from frontdesk.db.models import ItemLoan
from frontdesk.domain.lending import DEFAULT_RETENTION_DAYS, check_retention_days
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require
from frontdesk.services.store import Store, reading
from frontdesk.services.visitors.settings import retention_cutoff

SETTINGS_KEY = "lending_settings"


@dataclass(frozen=True)
class LendingSettings:
    retention_days: int = DEFAULT_RETENTION_DAYS


def lending_settings(store: Store) -> LendingSettings:
    with reading(store) as session:
        return settings.load(session, SETTINGS_KEY, LendingSettings())


def set_lending_settings(db: Database, actor: Actor, value: LendingSettings) -> None:
    require(actor, Permission.EDIT_COMMUNITY)
    check_retention_days(value.retention_days)
    with db.write(actor) as session:
        settings.save(session, SETTINGS_KEY, value)


def purge_personal_data(
    db: Database, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> int:
    """Erase (or, on a dry run, count) the borrowers of lendings returned before the
    retention period; one write, audited once. Returns the lendings erased."""
    require(actor, Permission.EDIT_COMMUNITY)
    now = now or utcnow()
    days = lending_settings(db).retention_days
    expired = (ItemLoan.returned_at < retention_cutoff(days, now)) & ItemLoan.purged_at.is_(None)
    if dry_run:
        with db.read() as session:
            return session.scalar(select(func.count()).where(expired)) or 0
    with db.write(actor) as session:
        statement = update(ItemLoan).where(expired)
        statement = statement.values(borrower="", borrower_phone="", note="", purged_at=now)
        result = session.execute(statement.execution_options(synchronize_session=False))
        erased = cast(CursorResult[Any], result).rowcount
        if erased:
            write_entry(
                session.connection(),
                actor,
                "purge",
                "item_loan",
                "",
                f"清除 {erased} 条已归还物品借用记录中的借用人姓名、电话（保存期限 {days} 天）",
            )
    return erased
