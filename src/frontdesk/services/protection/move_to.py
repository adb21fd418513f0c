"""`frontdesk move-to`: a whole community moved from its database file onto a PostgreSQL
server, into an empty database the office's IT made for it.

The file is only read (db/server_copy.py: read-only and immutable; a file in use is
refused) and stays as it was. On the server, one transaction makes the schema, copies
every table and every stored file, and compares row counts and money totals with the
file: any difference rolls it all back. Once it has committed, the copy is checked as a
counter would find it: the audit chain verified entry by entry (and ending where the
file's ends), the data key of the file opening it (the same key: the `data_key` row is
copied as it is), `frontdesk check`'s money invariants and every stored file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import psycopg
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from frontdesk.db import server_copy
from frontdesk.db.engine import Database, make_engine
from frontdesk.db.migrate import APPLICATION_ID, HEAD_REVISION, upgrade
from frontdesk.db.server import refresh_statistics, sqlalchemy_url
from frontdesk.db.server_copy import FileCount, TableCount
from frontdesk.domain.location import ServerLocation, parse_location
from frontdesk.errors import EnvironmentProblem, FrontDeskError, UserError, ValidationError
from frontdesk.services import server_password
from frontdesk.services.protection import audit, checks, data_key, money_checks
from frontdesk.services.protection.audit import ChainCheck
from frontdesk.services.protection.backup_folder import files_dir_of

URL_EXAMPLE = "postgresql://用户名@服务器:5432/数据库名"
# Held while one move-to fills a database: a second one waits, then finds it not empty.
_LOCK_ID = 0x46444B32


@dataclass
class MoveReport:
    source: Path
    target: str  # the server database's URL, without a password
    tables: list[TableCount]
    files: list[FileCount]
    totals: dict[tuple[str, str], int]  # every money column's sum, equal on both sides
    chain: ChainCheck | None = None
    key: data_key.KeyState | None = None
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def server_url(text_url: str) -> URL:
    """The SQLAlchemy URL of a server database named as `postgresql://…`, with its
    password from this PC's keyring: a URL carrying a password is refused, as by `--db`."""
    try:
        location = parse_location(text_url)
    except ValidationError as exc:
        raise UserError(
            f"无法识别的数据库地址：{text_url}（{exc.problem}）。"
            f"迁移的目标须是 PostgreSQL 数据库，应写成 {URL_EXAMPLE}"
        ) from None
    if not isinstance(location, ServerLocation):
        raise UserError(
            f"无法识别的数据库地址：{text_url}。迁移的目标须是 PostgreSQL 数据库，"
            f"应写成 {URL_EXAMPLE}"
        )
    return sqlalchemy_url(location, server_password.stored(location))


def move_to(
    path: Path,
    target: str,
    progress: Callable[[str], None] = lambda _step: None,
    passphrase: str | None = None,
) -> MoveReport:
    """Copy the community in the file at `path` into the empty server database `target`,
    check it on arrival and say what was found."""
    url = server_url(target)
    path = path.expanduser().resolve()
    source = server_copy.open_source(path)
    before = server_copy.stamp(path)
    try:
        _check_source(source, path)
        engine = make_engine(url.render_as_string(hide_password=False))
        try:
            report = _copy(source, path, before, engine, progress)
            progress("到达后核对")
            _check_arrival(source, engine, report, passphrase)
        finally:
            engine.dispose()
    finally:
        source.close()
    return report


def check_target(target: str) -> None:
    """Refuse, before any work, a target that cannot be reached or is not empty (`move_to`
    asks again inside its transaction)."""
    engine = make_engine(server_url(target).render_as_string(hide_password=False))
    try:
        with _connected(engine) as connection:
            _refuse_unless_empty(connection, _where(engine))
    finally:
        engine.dispose()


def _where(engine: Engine) -> str:
    """The database as its URL was typed (no password, nor the options the program adds)."""
    url = engine.url.set(drivername="postgresql").difference_update_query(
        ["application_name", "connect_timeout"]
    )
    return unquote(url.render_as_string(hide_password=True))


def _connected(engine: Engine) -> Connection:
    try:
        return engine.connect()
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else ""
        raise EnvironmentProblem(
            f"无法连接数据库服务器 {_where(engine)}，请检查地址、用户名、口令和网络。（{reason}）"
        ) from None


def _refuse_unless_empty(connection: Connection, where: str) -> None:
    present = server_copy.target_tables(connection)
    if present:
        raise UserError(
            f"目标数据库 {where} 不是空的（已有 {len(present)} 个表，如 "
            f"{'、'.join(present[:3])}）。迁移只进入空数据库，请让 IT 新建一个空数据库。"
        )


def _check_source(source: sqlite3.Connection, path: Path) -> None:
    if source.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise UserError(f"该文件不是物业前台数据库：{path}")
    revision = server_copy.source_revision(source)
    if revision != HEAD_REVISION:
        raise UserError(
            f"该数据库文件的结构版本是 {revision}，本程序的是 {HEAD_REVISION}：请先用本程序"
            "打开它一次（会先备份再升级），关闭后再迁移。"
        )
    expected = {table.name for table in server_copy.copied_tables()}
    found = server_copy.source_tables(source)
    if found != expected:
        odd = "、".join(sorted(found ^ expected))
        raise UserError(f"该数据库文件的表与本程序的不一致（{odd}），无法迁移。")
    overlong = server_copy.overlong_values(source, server_copy.copied_tables())
    if overlong:
        raise UserError(
            "以下文字超过了数据库服务器允许的长度，请先在本机修改后再迁移：\n" + "\n".join(overlong)
        )


def _copy(
    source: sqlite3.Connection,
    path: Path,
    before: tuple[int, int],
    engine: Engine,
    progress: Callable[[str], None],
) -> MoveReport:
    where = _where(engine)
    connection = _connected(engine)
    try:
        with connection, connection.begin():
            return _fill(source, path, before, connection, where, progress)
    except (DBAPIError, psycopg.Error, sqlite3.Error, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise EnvironmentProblem(
            f"复制到服务器时出错，已全部撤销，服务器数据库保持为空。（{reason}）"
        ) from exc


def _fill(
    source: sqlite3.Connection,
    path: Path,
    before: tuple[int, int],
    connection: Connection,
    where: str,
    progress: Callable[[str], None],
) -> MoveReport:
    """Inside the server's one transaction."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
    _refuse_unless_empty(connection, where)
    progress("建立数据库结构")
    upgrade(connection)
    tables = server_copy.copy_tables(source, connection, progress)
    files = server_copy.copy_files(files_dir_of(path), connection, progress)
    server_copy.reset_sequences(connection)
    refresh_statistics(connection)
    progress("核对行数和金额合计")
    totals = server_copy.source_totals(source)
    differences = _differences(
        server_copy.source_counts(source),
        server_copy.target_counts(connection),
        totals,
        server_copy.target_totals(connection),
    )
    kept, found = sum(f.files for f in files), server_copy.stored_files(connection)
    if kept != found:
        differences.append(f"存档文件：文件夹中 {kept} 个，服务器上 {found} 个")
    if server_copy.stamp(path) != before or server_copy.in_use(path) is not None:
        differences.append("迁移期间数据库文件被打开或写入过，复制的可能不是同一时刻的数据")
    if differences:  # leaving the block by an exception rolls everything back
        raise EnvironmentProblem(
            "复制后核对不一致，已全部撤销，服务器数据库保持为空：\n" + "\n".join(differences)
        )
    return MoveReport(path, where, tables, files, totals)


def _differences(
    counts: dict[str, int],
    arrived: dict[str, int],
    totals: dict[tuple[str, str], int],
    arrived_totals: dict[tuple[str, str], int],
) -> list[str]:
    found = [
        f"表 {table}：文件中 {rows} 行，服务器上 {arrived[table]} 行"
        for table, rows in counts.items()
        if arrived[table] != rows
    ]
    found += [
        f"{table}.{column} 合计：文件中 {fen} 分，服务器上 {arrived_totals[(table, column)]} 分"
        for (table, column), fen in totals.items()
        if arrived_totals[(table, column)] != fen
    ]
    return found


def _check_arrival(
    source: sqlite3.Connection,
    engine: Engine,
    report: MoveReport,
    passphrase: str | None,
) -> None:
    report.passed.append(
        f"{len(report.tables)} 个表共 {report.rows} 行、{len(report.totals)} 个金额列的合计"
        "与文件一致"
    )
    db = Database(engine)
    try:
        try:
            report.key = data_key.unlock(
                db, passphrase or os.environ.get(data_key.PASSPHRASE_VARIABLE)
            )
        except FrontDeskError as exc:
            report.problems.append(f"证件号码密钥：{exc.message}")
        if report.key is data_key.KeyState.READY:
            report.passed.append("证件号码密钥与原文件相同，在本机可以打开")
        elif report.key is not None:
            report.problems.append(
                "证件号码密钥在本机未能打开（需要口令或恢复码）：审计日志的密钥签名未核验"
            )
        chain = report.chain = audit.verify_chain(db)
        entries, last_hash = server_copy.audit_tail(source)
        if chain.ok:
            report.passed.append(f"审计日志{chain.verdict()}")
        else:
            report.problems += chain.problems()
        if (chain.entries, chain.head_hash) != (entries, last_hash):
            report.problems.append(
                f"审计日志与原文件不同：文件中 {entries} 条，服务器上 {chain.entries} 条"
            )
        else:
            report.passed.append(f"审计日志 {entries} 条与原文件逐条相同，链尾哈希一致")
        for problems, passed in money_checks.money_problems(db):
            _add(report, problems, passed)
        files = checks.CheckReport()
        checks.file_checks(db, files)
        report.passed += files.passed
        report.problems += files.problems
        for count in report.files:
            report.problems += [
                f"原文件夹中的文件内容与其名称不符：{name}" for name in count.changed
            ]
    finally:
        db.dispose()


def _add(report: MoveReport, problems: list[str], passed: str) -> None:
    if problems:
        report.problems += problems
    else:
        report.passed.append(passed)
