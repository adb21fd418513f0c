"""Restoring a server database's dump (`frontdesk restore FILE.dump --db postgresql://…`).

Into an EMPTY database the dump is restored in one transaction (pg_restore
--single-transaction: all or nothing) and then compared with what the backup log says
it holds. Over a database that holds data (only once the supervisor confirms, and only
while no other counter is connected to it), nothing is touched before the restored copy
is verified: the current database is first dumped aside as a verified before-restore
backup, the dump is restored into a scratch database and checked there against the
backup log (or, where this account may not create databases, the log alone must vouch
for it), and only then restored over the current one, again in one transaction, and
checked again. An older dump is upgraded to this program's schema; the restore is
audited in the restored database and noted in the backup folder's log.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, Engine, inspect, make_url, text

from frontdesk.db import pg_tools
from frontdesk.db.audit import write_entry
from frontdesk.db.engine import Database, make_engine
from frontdesk.db.migrate import HEAD_REVISION, current_revision, upgrade
from frontdesk.db.protection import KeyUnavailable
from frontdesk.db.server import refresh_statistics
from frontdesk.domain.roles import Actor, Permission
from frontdesk.errors import FrontDeskError, UserError
from frontdesk.services.access import require
from frontdesk.services.protection import backup_log, data_key, server_backups
from frontdesk.services.protection.backup_folder import (
    folder_for,
    is_dump,
    parse_name,
    server_home,
)
from frontdesk.services.protection.backup_log import Snapshot
from frontdesk.services.protection.backups import BackupFailed
from frontdesk.services.protection.restore import RestoreRefused, RestoreResult

# The tables a FrontDesk dump must hold.
_OURS = {"alembic_version", "audit_log", "app_user"}


@dataclass(frozen=True)
class ServerTarget:
    """The database a dump would be restored into, as the confirmation shows it."""

    place: str  # host:port/dbname
    tables: int  # 0 for an empty database
    rows: dict[str, int]  # the key tables' rows, for the confirmation
    others: int  # other sessions connected to it now


def _engine(url: str) -> Engine:
    return make_engine(server_backups.with_password(make_url(url)).render_as_string(False))


def check_dump(path: Path) -> set[str]:
    """The tables whose data a FrontDesk dump holds; anything else is refused."""
    if not path.is_file():
        raise RestoreRefused(f"找不到备份文件：{path}")
    if not is_dump(path):
        raise RestoreRefused(f"{path.name} 不是服务器数据库的备份（应为 .dump 文件）")
    try:
        tables = server_backups.dump_tables(_local_tools(), path)
    except BackupFailed as exc:
        raise RestoreRefused(f"备份文件 {path.name} 不能恢复：{exc.message}") from exc
    if not _OURS.issubset(tables):
        raise RestoreRefused(f"备份文件 {path.name} 不是物业前台数据库的备份")
    return tables


def dump_lines(path: Path) -> list[str]:
    """What the confirmation shows of a dump: where and when it was taken, by which
    server version, and the rows the backup log counted in it."""
    header = server_backups.dump_header(_local_tools(), path)
    lines = [
        f"取自数据库：{header.get('dbname', '未知')}（PostgreSQL "
        f"{header.get('Dumped from database version', '未知')}）",
        f"备份时间：{header.get('Archive created at', '未知')}",
    ]
    logged = logged_snapshot(path)
    if logged is not None:
        lines.append("行数（备份记录）：" + "，".join(f"{t} {n}" for t, n in logged.counts.items()))
    return lines


def _local_tools() -> pg_tools.Tools:
    found = pg_tools.installed_tools()
    if not found:
        raise pg_tools.ToolsMissing("本机找不到 PostgreSQL 的 pg_restore，无法读取备份。")
    return found[0]


def describe_target(url: str) -> ServerTarget:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            rows = server_backups.read_snapshot(connection).counts if tables else {}
            others = connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return ServerTarget(pg_tools.place(url), len(tables), rows, int(others))


def logged_snapshot(path: Path) -> Snapshot | None:
    """What the backup log beside a dump says it holds; None when it is not logged."""
    parsed = parse_name(path.name)
    if parsed is None:
        return None
    for entry in reversed(backup_log.read_log(path.parent, parsed[0])["backups"]):
        if isinstance(entry, dict) and entry.get("file") == path.name:
            try:
                counts = {str(k): int(v) for k, v in dict(entry["counts"]).items()}
                return Snapshot(counts, int(entry["audit_id"]), str(entry["audit_hash"]))
            except (KeyError, TypeError, ValueError):
                return None
    return None


def restore_server(url: str, dump: Path, actor: Actor, *, replace: bool = False) -> RestoreResult:
    """Restore `dump` into the server database `url`: an empty one, or (`replace`, once
    confirmed) one that holds data, which is kept aside first and never touched before
    the restored copy is verified."""
    require(actor, Permission.MANAGE_BACKUPS)
    dump = dump.expanduser().resolve()
    dump_tables = check_dump(dump)
    target = describe_target(url)
    parsed = make_url(url)
    expected = logged_snapshot(dump)
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            tools = server_backups.tools_for_server(connection)
    finally:
        engine.dispose()
    kept_aside: Path | None = None
    if target.tables:
        if not replace:
            raise RestoreRefused(
                f"数据库 {target.place} 中已有数据：确认替换后才能恢复（当前数据会先另存）。"
            )
        if target.others:
            raise RestoreRefused(
                f"数据库 {target.place} 正在被使用（还有 {target.others} 个连接，"
                "可能是其他电脑上的物业前台）。请关闭所有物业前台程序后再恢复。"
            )
        expected = _trial(tools, dump, parsed, expected)
        extra = _current_tables(url) - dump_tables
        if extra:
            raise RestoreRefused(
                f"数据库 {target.place} 中有备份里没有的表（{'、'.join(sorted(extra))}），"
                "备份来自较早的版本：请恢复到一个空数据库。"
            )
        kept_aside = _keep_aside(url)
    server_backups.restore_dump(
        tools, dump, parsed, str(parsed.database), clean=bool(target.tables)
    )
    if expected is not None:
        problems = server_backups.differences(
            expected, server_backups.snapshot_of(parsed, str(parsed.database))
        )
        if problems:
            aside = f"恢复前的数据库已另存为 {kept_aside}。" if kept_aside else ""
            raise UserError(f"恢复后核对不符（{'；'.join(problems)}）。{aside}请联系技术支持。")
    upgraded_from, warning = _after(url, dump, kept_aside, actor)
    backup_log.log_restore(server_home(url), dump)
    warnings: tuple[str, ...] = (warning,) if warning else ()
    if expected is None:
        warnings += (
            "备份记录中没有这个备份的行数（备份文件是从别处复制来的？），恢复后未能核对。",
        )
    return RestoreResult(dump, kept_aside, upgraded_from, 0, warnings)


def _current_tables(url: str) -> set[str]:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def _trial(tools: pg_tools.Tools, dump: Path, url: URL, logged: Snapshot | None) -> Snapshot:
    """Restore into a scratch database first; what the dump holds, checked against the
    log where it is logged. Without a scratch database the log must vouch for it."""
    with server_backups.scratch_database(url) as scratch:
        if scratch is None:
            if logged is None:
                raise RestoreRefused(
                    "这个账户不能新建临时数据库来先试恢复，备份记录中也没有这个备份的行数，"
                    "无法在替换前核对：请恢复到一个空数据库。"
                )
            return logged
        try:
            server_backups.restore_dump(tools, dump, url, scratch)
        except BackupFailed as exc:
            raise RestoreRefused(f"备份试恢复失败，当前数据库未改动：{exc.message}") from exc
        found = server_backups.snapshot_of(url, scratch)
    if logged is not None:
        problems = server_backups.differences(logged, found)
        if problems:
            raise RestoreRefused(f"备份与备份记录不符（{'；'.join(problems)}），当前数据库未改动。")
    return found


def _keep_aside(url: str) -> Path:
    """A verified before-restore dump of the current database (not audited: it may be
    the damaged thing; the restore entry names it)."""
    db = Database(_engine(url))
    try:
        return server_backups.take_dump(db, folder_for(server_home(url)), "before-restore")[0]
    finally:
        db.dispose()


def _unlock_restored(db: Database, dump: Path) -> None:
    """Open the restored database's key: this PC keeps it under the restored database's
    name, or (restored into another database of the same server) under the name of the
    database the dump was taken from, then kept under the new name too."""
    passphrase = os.environ.get(data_key.PASSPHRASE_VARIABLE)
    with contextlib.suppress(FrontDeskError):
        if data_key.unlock(db, passphrase) is data_key.KeyState.READY:
            return
        source = server_backups.dumped_database(_local_tools(), dump)
        if source and data_key.copy_key(pg_tools.place(db.engine.url.set(database=source)), db):
            data_key.unlock(db, passphrase)


def _after(url: str, dump: Path, kept_aside: Path | None, actor: Actor) -> tuple[str | None, str]:
    """Upgrade an older dump to this program's schema and audit the restore in the
    restored database (signed with its key where this PC has it): (the dump's revision
    when upgraded, a warning)."""
    db = Database(_engine(url))
    try:
        with db.engine.connect() as connection, connection.begin():
            revision = current_revision(connection)
            if revision != HEAD_REVISION:
                upgrade(connection)
            refresh_statistics(connection)
        _unlock_restored(db, dump)
        aside = f"，恢复前的数据库另存为 {kept_aside.name}" if kept_aside else ""
        upgraded = f"，并从结构版本 {revision} 升级" if revision != HEAD_REVISION else ""
        try:
            with db.write(actor) as session:
                write_entry(
                    session.connection(),
                    actor,
                    "restore",
                    "database",
                    dump.name[:40],
                    f"从备份 {dump.name} 恢复数据库{aside}{upgraded}",
                )
        except KeyUnavailable:
            return (
                revision if revision != HEAD_REVISION else None,
                "本机没有打开这个数据库的密钥，恢复未能记入审计日志（已记在备份文件夹的记录中）。",
            )
    finally:
        db.dispose()
    return (revision if revision != HEAD_REVISION else None), ""
