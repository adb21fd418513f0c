"""Browsing the audit log and proving its chain is unbroken."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from frontdesk.db.audit import (
    GENESIS_HASH,
    KEYED_MARK,
    chain_fields,
    entry_hash,
    has_data_key,
    head_mac,
    is_keyed,
    rechain_masked,
    write_entry,
)
from frontdesk.db.engine import Database
from frontdesk.db.models import AuditEntry, AuditHead, Building, Room, Unit, User
from frontdesk.domain.identity import mask_id_number
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.roles import SYSTEM, Actor, Permission
from frontdesk.domain.rooms import room_code
from frontdesk.errors import FrontDeskError
from frontdesk.services.access import require
from frontdesk.services.progress import NO_PROGRESS, Progress
from frontdesk.services.protection import backup_log
from frontdesk.services.scope import scoped_room

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
    "sign": "启用密钥签名",
    "backup": "备份",
    "view": "查看存档",
    "purge": "清除过期个人信息",
    "watch_warning": "黑名单提示",
    "watch_override": "黑名单提示后仍登记",
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
    user_name: str = ""  # the writer's name as the account has it now ("" if gone)
    # The people and rooms the changes name by id: user id -> name, room id -> code.
    user_names: dict[int, str] = dataclass_field(default_factory=dict, compare=False)
    room_codes: dict[int, str] = dataclass_field(default_factory=dict, compare=False)


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
        return _rows(session, [entries[i] for i in ids if i in entries])


def last_entry(db: Database, actor: Actor) -> AuditRow | None:
    require(actor, Permission.VIEW_AUDIT)
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        return _rows(session, [entry])[0] if entry else None


def _rows(session: Session, entries: list[AuditEntry]) -> list[AuditRow]:
    """The entries as rows, with the names of the people and rooms they point at."""
    users = {i: name for i, name in session.execute(select(User.id, User.display_name))}
    changes = [json.loads(e.changes) for e in entries]
    rooms = _room_codes(session, {i for c in changes for i in _room_ids(c)})
    return [
        AuditRow(
            e.id,
            e.at,
            e.username,
            e.action,
            ACTION_LABELS.get(e.action, e.action),
            e.entity,
            e.entity_id,
            e.summary,
            c,
            e.hash,
            users.get(e.user_id, "") if e.user_id is not None else "",
            users,
            rooms,
        )
        for e, c in zip(entries, changes, strict=True)
    ]


def _room_ids(changes: dict[str, Any]) -> Iterable[int]:
    pair = changes.get("room_id")
    for value in pair if isinstance(pair, list) else [pair]:
        if isinstance(value, int):
            yield value


def _room_codes(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = (
        select(Room.id, Building.code, Unit.code, Room.number)
        .join(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .where(Room.id.in_(ids))
    )
    return {i: room_code(b, u, n) for i, b, u, n in session.execute(query)}


# Search keys derived from other fields: noise in a history.
_DERIVED = {"phone_reversed", "name_pinyin", "name_initials", "name_mixed", "room_id"}


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
            scoped_room(session, actor, Permission.REVEAL_PERSONAL_DATA, room_id)
        query = (
            select(AuditEntry).where(AuditEntry.room_id == room_id).order_by(AuditEntry.id.desc())
        )
        rows = _rows(session, list(session.scalars(query)))
    return [replace(r, changes=_shown_changes(r.changes, masked)) for r in rows]


def _shown_changes(changes: dict[str, Any], masked: bool) -> dict[str, Any]:
    shown = {}
    for field, pair in changes.items():
        if field in _DERIVED:
            continue
        if masked and field in {"id_number", "phone"}:
            mask = mask_id_number if field == "id_number" else mask_phone
            # Entries written since issue 18 keep them masked already.
            pair = [mask(v) if isinstance(v, str) and "*" not in v else v for v in pair]
        shown[field] = pair
    return shown


@dataclass(frozen=True)
class Writer:
    """Someone who wrote entries: the login name (what the filter matches) and the
    name people know them by (系统 for the program itself)."""

    username: str
    name: str


def writers(db: Database, actor: Actor) -> list[Writer]:
    """Everyone with entries in the log, by name."""
    require(actor, Permission.VIEW_AUDIT)
    with db.read() as session:
        logins = session.scalars(select(AuditEntry.username).distinct())
        names = {u: n for u, n in session.execute(select(User.username, User.display_name))}
    found = [
        Writer(u, SYSTEM.display_name if u == SYSTEM.username else names.get(u, u)) for u in logins
    ]
    return sorted(found, key=lambda w: (w.username != SYSTEM.username, w.name, w.username))


def short_hash(stored: str) -> str:
    """A hash as an auditor copies it from paper: 'k3f9a2…c2d1'."""
    return f"{stored[:6]}…{stored[-4:]}" if len(stored) > 10 else stored


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_broken_id: int | None
    # The broken entry's hash is a recomputation without the key (a re-hashed chain).
    rehashed: bool = False
    keyed: int = 0  # entries signed with the chain key
    # Keyed entries whose signature could not be checked: no key open on this PC.
    unverified: int = 0
    plain_after_keyed_id: int | None = None  # an unsigned entry after signed ones
    unkeyed_tail: bool = False  # the database has a data key, its last entry is unsigned
    last_id: int = 0
    head_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        """What is wrong, in Chinese, for `frontdesk check`, the export and the screen."""
        found = []
        if self.first_broken_id is not None:
            how = "并被不用密钥重新计算了哈希" if self.rehashed else ""
            found.append(f"审计日志第 {self.first_broken_id} 条起被改动或删除{how}")
        if self.plain_after_keyed_id is not None:
            found.append(
                f"审计日志第 {self.plain_after_keyed_id} 条起没有密钥签名，而此前的记录已签名："
                "这些记录被改动后重新计算了哈希"
            )
        if self.unkeyed_tail and self.plain_after_keyed_id is None:
            found.append("本数据库已有数据密钥，但审计日志最后一条没有密钥签名（日志可能被重写）")
        if self.unverified:
            found.append(
                f"审计日志的密钥签名无法核验（{self.unverified} 条）：本机没有打开数据密钥，"
                "请用口令或恢复码解锁后再检查"
            )
        return found

    def verdict(self) -> str:
        """One line: intact (and how) or the first problem."""
        found = self.problems()
        if found:
            return found[0]
        signed = "，密钥签名" if self.keyed else ""
        head = f"，链首 {short_hash(self.head_hash)}" if self.head_hash else ""
        return f"哈希链完整（{self.entries} 条{head}{signed}）"


def verify_chain(db: Database, progress: Progress = NO_PROGRESS) -> ChainCheck:
    """Recompute every hash (keyed ones with the chain key, when it is open); the first
    entry that does not match is reported, and so is a plain entry after keyed ones."""
    key = db.cipher.chain_key if db.cipher is not None else None
    prev = GENESIS_HASH
    keyed = unverified = 0
    plain_after: int | None = None
    last_id = 0
    with db.read() as session:
        with_key = has_data_key(session.connection())
        count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        query = select(AuditEntry).order_by(AuditEntry.id)
        for done, entry in enumerate(session.scalars(query).yield_per(2000), 1):
            fields = chain_fields(entry)
            broken, rehashed = entry.prev_hash != prev, False
            if not broken and is_keyed(entry.hash):
                keyed += 1
                # Marked as keyed but computed without the key: forged, key or not.
                rehashed = entry.hash == KEYED_MARK + entry_hash(prev, fields)[:-1]
                if key is not None:
                    broken = entry.hash != entry_hash(prev, fields, key)
                else:
                    broken = rehashed
                    unverified += 1
            elif not broken:
                broken = entry.hash != entry_hash(prev, fields)
                if keyed and plain_after is None:
                    plain_after = entry.id
            if broken:
                return ChainCheck(count, entry.id, rehashed, keyed, unverified, plain_after)
            prev, last_id = entry.hash, entry.id
            if done % 500 == 0:
                progress.step(done, count)
    unkeyed_tail = with_key and last_id > 0 and not is_keyed(prev)
    return ChainCheck(
        count, None, False, keyed, unverified, plain_after, unkeyed_tail, last_id, prev
    )


# the head counter and the chain's position -----------------------------------------


@dataclass(frozen=True)
class Head:
    """The head counter as stored (entries written, newest id and hash)."""

    entries: int
    last_id: int
    head_hash: str
    signed: bool  # it carries a signature
    # The signature matches under the open key; None: no key open (not checkable).
    valid: bool | None


def read_head(db: Database) -> Head | None:
    with db.read() as session:
        row = session.scalar(select(AuditHead).where(AuditHead.id == 1))
    if row is None:
        return None
    valid = None
    if db.cipher is not None:
        expected = head_mac(db.cipher.chain_key, row.entries, row.last_id, row.head_hash)
        valid = row.mac == expected
    return Head(row.entries, row.last_id, row.head_hash, bool(row.mac), valid)


@dataclass(frozen=True)
class ChainPosition:
    """Where the log stands: for paper (收费日报, 日结) and for an auditor to compare."""

    entries: int  # the newest entry's number
    head_hash: str

    def text(self) -> str:
        return f"审计日志：第 {self.entries} 条，链首 {short_hash(self.head_hash)}"


def chain_position(db: Database) -> ChainPosition:
    """The newest entry's number and hash (no permission needed: it reveals nothing)."""
    with db.read() as session:
        row = session.execute(
            select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
    return ChainPosition(int(row[0]), str(row[1])) if row else ChainPosition(0, GENESIS_HASH)


def _backups_hold_a_signed_log(db: Database) -> bool:
    try:
        anchors = backup_log.backup_file_anchors(db)
    except FrontDeskError:
        return False  # an in-memory database has no backups
    return any(is_keyed(anchor.audit_hash) for anchor in anchors)


def sign_chain(db: Database) -> bool:
    """Once a database's data key is open for the first time since the chain became keyed
    (a database upgraded from plain entries): check the plain chain and write the first
    keyed entry, which covers the previous hash, so nothing before it can be re-hashed
    unseen. Later entries are keyed as they are written. True when it wrote the entry.

    A chain that already has keyed entries is never signed over again: a plain tail
    after them is evidence for `frontdesk check`, not something to cover."""
    if db.cipher is None:
        return False
    with db.read() as session:
        last = session.execute(
            select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
        if last is None or is_keyed(str(last[1])):
            return False
        if session.scalar(select(AuditEntry.id).where(AuditEntry.hash.like("k%")).limit(1)):
            return False
        head_signed = session.scalar(select(AuditHead.mac).where(AuditHead.id == 1))
        if head_signed:
            return False
    if _backups_hold_a_signed_log(db):
        return False  # a log once signed, rewritten plain since: evidence, not to sign over
    check = verify_chain(db)
    with db.write(SYSTEM) as session:
        connection = session.connection()
        newest = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
        if newest != last[1]:
            return False  # another counter signed it (or wrote) while this one checked
        if check.first_broken_id is None and connection.dialect.name == "sqlite":
            masked = rechain_masked(connection, db.cipher.chain_key)
            state = (
                f"校验完整，已用密钥重新签名，其中 {masked} 条中的姓名、电话、车牌等"
                "个人信息改为遮蔽保存"
            )
        elif check.first_broken_id is None:
            state = "校验完整"
        else:
            state = f"校验发现第 {check.first_broken_id} 条起被改动（保持原样，未重新签名）"
        summary = (
            f"审计日志改为用数据密钥签名：此前 {check.entries} 条未签名记录{state}；"
            f"原链首 {short_hash(str(last[1]))}"
        )
        write_entry(connection, SYSTEM, "sign", "audit_log", str(last[0]), summary)
    return True
