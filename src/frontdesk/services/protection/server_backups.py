"""Backups of a database on a PostgreSQL server: pg_dump in its custom format.

The dump is taken from a snapshot this process exports (`pg_export_snapshot` in a
REPEATABLE READ transaction), in which the key tables' rows and the audit log's last
entry are counted too, so the counts describe exactly what was dumped while the
counters keep working. Like a file backup it is written to a hidden `.partial` name,
verified there, flushed and only then renamed to its final name
(`frontdesk-20261126-013000-daily.dump`), logged in the folder's log, audited, and the
folder rotated as for files (backup_rotation.py).

Verified: `pg_restore --list` reads the whole table of contents and finds every key
table's data in it; then, where the account may create a database, the dump is
restored into a scratch database on the same server and its counts and audit tail
compared with the snapshot's (the scratch database is dropped again). Stored files live
in the database on a server (db/file_store.py), so the dump carries them.

The server's own backups (WAL archiving, base backups) are the office IT's: a dump is
a copy of one moment, taken by the counter PC that runs it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import URL, Connection, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from frontdesk.db import pg_tools
from frontdesk.db.engine import Database
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor
from frontdesk.services.protection import backups
from frontdesk.services.protection.backup_folder import (
    DUMP_SUFFIX,
    backup_home,
    parse_name,
    settings_for,
)
from frontdesk.services.protection.backup_log import Snapshot, log_backup
from frontdesk.services.protection.backup_rotation import prune
from frontdesk.services.protection.safe_files import fsync_file, fsync_folder

LISTED_ONLY = "pg_restore 列出内容核对"
RESTORED = "试恢复到临时数据库并核对行数"
_NO_PRIVILEGE = "42501"


def read_snapshot(connection: Connection) -> Snapshot:
    """The key tables' rows and the audit log's last entry, on either engine."""
    snapshot = Snapshot()
    tables = set(inspect(connection).get_table_names())
    for table in backups.KEY_TABLES:
        if table in tables:
            count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            snapshot.counts[table] = int(count)
    if "audit_log" in tables:
        row = connection.execute(
            text("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        ).first()
        if row is not None:
            snapshot.audit_id, snapshot.audit_hash = int(row[0]), str(row[1])
    return snapshot


def with_password(url: URL) -> URL:
    """The URL to connect with: its password from the keyring where it has none."""
    return url if url.password else url.set(password=pg_tools.password(url))


def tools_for_server(connection: Connection) -> pg_tools.Tools:
    return pg_tools.tools_for(pg_tools.server_version_num(connection))


def _listing(tools: pg_tools.Tools, path: Path) -> str:
    process = pg_tools.run([str(tools.pg_restore), "--list", str(path)], dict(os.environ))
    if process.returncode != 0:
        raise backups.BackupFailed(f"pg_restore 无法读取备份（{pg_tools.last_line(process)}）")
    return process.stdout


def dump_header(tools: pg_tools.Tools, path: Path) -> dict[str, str]:
    """A dump's header as pg_restore lists it: `dbname` (the database it was taken
    from), `Archive created at`, `Dumped from database version` and the like."""
    header: dict[str, str] = {}
    for line in _listing(tools, path).splitlines():
        if not line.startswith(";"):
            break
        body = line[1:].strip()
        if body.startswith("Archive created at "):
            header["Archive created at"] = body.removeprefix("Archive created at ")
        elif ": " in body:
            key, value = body.split(": ", 1)
            header[key.strip()] = value.strip()
    return header


def dumped_database(tools: pg_tools.Tools, path: Path) -> str:
    """The name of the database a dump was taken from, "" if its header does not say."""
    return dump_header(tools, path).get("dbname", "")


def dump_tables(tools: pg_tools.Tools, path: Path) -> set[str]:
    """The tables whose data a dump holds, read by `pg_restore --list`; a file that
    pg_restore cannot read is refused, naming what it said."""
    tables = set()
    for line in _listing(tools, path).splitlines():
        if line.startswith(";"):
            continue
        parts = line.split()
        # "1234; 0 16390 TABLE DATA public audit_log frontdesk"
        if "TABLE" in parts and "DATA" in parts:
            at = parts.index("DATA")
            if at + 2 < len(parts) and parts[at - 1] == "TABLE":
                tables.add(parts[at + 2])
    return tables


def _restore_command(tools: pg_tools.Tools, path: Path, *, clean: bool = False) -> list[str]:
    command = [
        str(tools.pg_restore),
        "--no-owner",
        "--no-password",
        "--single-transaction",
        "--exit-on-error",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    return command


def restore_dump(
    tools: pg_tools.Tools, path: Path, url: URL, database: str, *, clean: bool = False
) -> None:
    """pg_restore into `database` on `url`'s server in one transaction: all or nothing."""
    env = pg_tools.environment(url, database)
    command = [*_restore_command(tools, path, clean=clean), f"--dbname={database}", str(path)]
    process = pg_tools.run(command, env)
    if process.returncode != 0:
        raise backups.BackupFailed(
            f"pg_restore 未能恢复到数据库 {database}（{pg_tools.last_line(process)}），"
            "该数据库未改动"
        )


SCRATCH_PREFIX = "fd_verify_"
STALE_SCRATCH_SECONDS = 24 * 3600  # no trial restore takes a day: its process is gone


def _drop_stale_scratch(connection: Connection) -> None:
    """Drop the scratch databases that killed backups left (each a whole copy of the
    personal data): named with the time they were made, older than a day, unused."""
    now = int(time.time())
    names = connection.execute(
        text(
            "SELECT datname FROM pg_database d WHERE datname LIKE :prefix AND NOT EXISTS "
            "(SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)"
        ),
        {"prefix": f"{SCRATCH_PREFIX}%"},
    ).scalars()
    for name in list(names):
        made = name.removeprefix(SCRATCH_PREFIX).split("_")[0]
        if made.isdigit() and now - int(made) > STALE_SCRATCH_SECONDS:
            with contextlib.suppress(DBAPIError):  # another's, or already gone
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


@contextmanager
def scratch_database(db_url: URL) -> Iterator[str | None]:
    """A new, empty database on the same server for a trial restore, dropped afterwards;
    None where this account may not create databases."""
    name = f"{SCRATCH_PREFIX}{int(time.time())}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(with_password(db_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            _drop_stale_scratch(connection)
            try:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", "") == _NO_PRIVILEGE:
                    yield None
                    return
                raise
        try:
            yield name
        finally:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def snapshot_of(url: URL, database: str) -> Snapshot:
    engine = create_engine(with_password(url).set(database=database))
    try:
        with engine.connect() as connection:
            return read_snapshot(connection)
    finally:
        engine.dispose()


def differences(expected: Snapshot, found: Snapshot) -> list[str]:
    """How a restored copy differs from the snapshot it should hold, in Chinese."""
    problems = [
        f"表 {table} 应有 {count} 行，实为 {found.counts.get(table, 0)} 行"
        for table, count in expected.counts.items()
        if found.counts.get(table) != count
    ]
    if (found.audit_id, found.audit_hash) != (expected.audit_id, expected.audit_hash):
        problems.append("审计日志末条不一致")
    return problems


def verify_dump(tools: pg_tools.Tools, path: Path, url: URL, expected: Snapshot) -> str:
    """Raise BackupFailed unless the dump lists every key table's data and, restored into
    a scratch database where one can be made, holds the snapshot's rows; how it was
    verified."""
    listed = dump_tables(tools, path)
    missing = sorted(set(expected.counts) - listed)
    if missing:
        raise backups.BackupFailed(f"备份中缺少表 {'、'.join(missing)} 的数据")
    with scratch_database(url) as scratch:
        if scratch is None:
            return LISTED_ONLY
        restore_dump(tools, path, url, scratch)
        problems = differences(expected, snapshot_of(url, scratch))
    if problems:
        raise backups.BackupFailed(f"试恢复后核对不符（{'；'.join(problems)}）")
    return RESTORED


def dump_into(db: Database, tools: pg_tools.Tools, temporary: Path) -> Snapshot:
    """pg_dump of the snapshot this connection exports, counted in the same snapshot."""
    url = db.engine.url
    with db.engine.connect() as plain:
        connection = plain.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            exported = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            snapshot = read_snapshot(connection)
            command = [
                str(tools.pg_dump),
                "--format=custom",
                "--no-password",
                f"--snapshot={exported}",
                f"--file={temporary}",
            ]
            process = pg_tools.run(command, pg_tools.environment(url))
    if process.returncode != 0:
        raise backups.BackupFailed(f"pg_dump 未能完成（{pg_tools.last_line(process)}）")
    return snapshot


def _database_size(db: Database) -> int:
    with db.engine.connect() as connection:
        size = connection.execute(text("SELECT pg_database_size(current_database())"))
        return int(size.scalar_one())


def take_dump(db: Database, folder: Path, kind: str) -> tuple[Path, datetime, Snapshot, str]:
    """Dump the server database into `folder`, verified and logged (not audited): (the
    dump, when, its snapshot, how it was verified)."""
    home = backup_home(db)
    with db.engine.connect() as connection:
        tools = tools_for_server(connection)
    taken_at = clock.wall_now().replace(microsecond=0)
    backups.prepare_folder(folder)
    # A custom-format dump is compressed: a quarter of the database is a safe guess.
    backups.check_space(folder, _database_size(db) // 4)
    target = backups.free_name(folder, home.stem, taken_at, kind, DUMP_SUFFIX)
    temporary = backups.partial_path(target)
    try:
        snapshot = dump_into(db, tools, temporary)
        verified = verify_dump(tools, temporary, db.engine.url, snapshot)
        fsync_file(temporary)
        os.replace(temporary, target)
        fsync_folder(folder)
    except backups.BackupFailed as exc:
        raise backups.BackupFailed(f"备份失败：{exc.message}（{folder}）") from exc
    except OSError as exc:
        raise backups.BackupFailed(f"无法写入备份文件夹 {folder}：{exc.strerror or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    log_backup(folder, target, taken_at, snapshot)
    return target, taken_at, snapshot, verified


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _second_copy(
    tools: pg_tools.Tools, dump: Path, folder: Path, taken_at: datetime, snapshot: Snapshot
) -> tuple[Path | None, str]:
    """The same bytes in the second folder, read back and listed there."""
    if not folder.is_dir():
        return (
            None,
            f"第二备份位置不可用（U盘或网络盘未连接？）：{folder}。本次只备份到了第一位置。",
        )
    parsed = parse_name(dump.name)
    assert parsed is not None
    target = backups.free_name(folder, parsed[0], parsed[1], parsed[2], DUMP_SUFFIX)
    temporary = backups.partial_path(target)
    try:
        shutil.copyfile(dump, temporary)
        fsync_file(temporary)
        if _sha256(temporary) != _sha256(dump):
            raise backups.BackupFailed("复制后的内容与第一位置的备份不同")
        dump_tables(tools, temporary)
        os.replace(temporary, target)
        fsync_folder(folder)
        log_backup(folder, target, taken_at, snapshot)
    except backups.BackupFailed as exc:
        return None, f"第二备份位置未能备份：{exc.message}。本次只备份到了第一位置。"
    except OSError as exc:
        return None, f"第二备份位置未能备份（{exc.strerror or exc}）：{folder}。"
    finally:
        temporary.unlink(missing_ok=True)
    return target, ""


def make_server_backup(
    db: Database, actor: Actor, kind: str, to: Path | None
) -> backups.BackupResult:
    """`backups.make_backup` for a server database (permission and kind already checked)."""
    home = backup_home(db)
    settings = settings_for(home)
    first = to.expanduser() if to is not None else settings.folder
    path, taken_at, snapshot, verified = take_dump(db, first, kind)
    second = settings.second_folder if to is None and kind != "before-restore" else None
    second_copy, warning = None, ""
    if second is not None:
        with db.engine.connect() as connection:
            tools = tools_for_server(connection)
        second_copy, warning = _second_copy(tools, path, second, taken_at, snapshot)
    result = backups.BackupResult(
        path,
        path.stat().st_size,
        kind,
        taken_at,
        0,
        second_copy,
        (warning,) if warning else (),
        verified,
    )
    backups.audit_or_delete(db, actor, result)
    if to is None:
        prune(first, taken_at, home.stem, keep=path)
    if second_copy is not None:
        prune(second_copy.parent, taken_at, home.stem, keep=second_copy)
    return result
