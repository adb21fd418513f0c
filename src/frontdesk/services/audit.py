"""Browsing the audit log and proving its chain is unbroken."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from frontdesk.db.audit import GENESIS_HASH, chain_fields, entry_hash
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEntry
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.roles import Actor, Permission
from frontdesk.services.access import require
from frontdesk.services.households import require_in_scope, room_of
from frontdesk.services.progress import NO_PROGRESS, Progress

ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "bulk_create": "批量新增",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "lock": "锁屏",
    "demo": "演示数据",
    "reveal": "查看完整信息",
    "import": "导入",
    "export": "导出",
    "print": "打印",
    "restore": "从备份恢复",
    "encrypt": "加密",
    "recover": "恢复密钥",
}


@dataclass(frozen=True)
class AuditFilter:
    text: str = ""
    username: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    action_label: str
    entity: str
    entity_id: str
    summary: str
    changes: dict[str, Any]
    hash: str = ""  # the entry's link in the chain, for exports that can be checked later


def _filtered(query: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.text.strip():
        like = f"%{flt.text.strip()}%"
        query = query.where(AuditEntry.summary.like(like) | AuditEntry.changes.like(like))
    if flt.username.strip():
        query = query.where(AuditEntry.username == flt.username.strip())
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.since:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until:
        query = query.where(AuditEntry.at < flt.until)
    return query


def entry_ids(db: Database, actor: Actor, flt: AuditFilter = AuditFilter()) -> list[int]:
    """Matching entry ids, newest first."""
    require(actor, Permission.VIEW_AUDIT)
    with db.read() as session:
        query = _filtered(select(AuditEntry.id), flt).order_by(AuditEntry.id.desc())
        return list(session.scalars(query))


def entry_rows(db: Database, actor: Actor, ids: list[int]) -> list[AuditRow]:
    require(actor, Permission.VIEW_AUDIT)
    with db.read() as session:
        entries = {
            e.id: e for e in session.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids)))
        }
    return [_row(e) for e in (entries[i] for i in ids if i in entries)]


def last_entry(db: Database, actor: Actor) -> AuditRow | None:
    require(actor, Permission.VIEW_AUDIT)
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    return _row(entry) if entry else None


def _row(e: AuditEntry) -> AuditRow:
    return AuditRow(
        e.id,
        e.at,
        e.username,
        e.action,
        ACTION_LABELS.get(e.action, e.action),
        e.entity,
        e.entity_id,
        e.summary,
        json.loads(e.changes),
        e.hash,
    )


# Search keys derived from other fields: noise in a history.
_DERIVED = {"phone_reversed", "name_pinyin", "name_initials", "room_id"}


def room_history(
    db: Database, actor: Actor, room_id: int, *, masked: bool = True
) -> list[AuditRow]:
    """The household file's timeline, newest first: every change filed under the room.

    IDs and phones inside the changes are masked like the file itself; the whole values
    need the same permission (and building scope) as unmasking the file.
    """
    require(actor, Permission.VIEW_HOUSEHOLDS)
    with db.read() as session:
        if not masked:
            require_in_scope(actor, Permission.REVEAL_PERSONAL_DATA, room_of(session, room_id)[1])
        query = (
            select(AuditEntry).where(AuditEntry.room_id == room_id).order_by(AuditEntry.id.desc())
        )
        rows = [_row(e) for e in session.scalars(query)]
    return [replace(r, changes=_shown_changes(r.changes, masked)) for r in rows]


def _shown_changes(changes: dict[str, Any], masked: bool) -> dict[str, Any]:
    shown = {}
    for field, pair in changes.items():
        if field in _DERIVED:
            continue
        if masked and field in {"id_number", "phone"}:
            mask = mask_id_number if field == "id_number" else mask_phone
            pair = [mask(v) if isinstance(v, str) else v for v in pair]
        shown[field] = pair
    return shown


def usernames(db: Database, actor: Actor) -> list[str]:
    require(actor, Permission.VIEW_AUDIT)
    with db.read() as session:
        return list(
            session.scalars(select(AuditEntry.username).distinct().order_by(AuditEntry.username))
        )


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_broken_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(db: Database, progress: Progress = NO_PROGRESS) -> ChainCheck:
    """Recompute every hash; the first entry that does not match is reported."""
    prev = GENESIS_HASH
    with db.read() as session:
        count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        query = select(AuditEntry).order_by(AuditEntry.id)
        for done, entry in enumerate(session.scalars(query).yield_per(2000), 1):
            if entry.prev_hash != prev or entry.hash != entry_hash(prev, chain_fields(entry)):
                return ChainCheck(count, entry.id)
            prev = entry.hash
            if done % 500 == 0:
                progress.step(done, count)
    return ChainCheck(count, None)
