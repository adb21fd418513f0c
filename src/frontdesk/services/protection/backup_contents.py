"""What a database file holds, read without changing it: for the backup list and the
restore confirmation."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from frontdesk.domain.money import format_yuan
from frontdesk.services.protection.backup_folder import parse_name
from frontdesk.services.protection.safe_files import connect_ro


@dataclass(frozen=True)
class Contents:
    """What a database file or a backup holds, for the restore confirmation."""

    path: Path
    taken_at: datetime | None  # a backup's time (its name), else the file's last change
    households: int | None  # rooms with someone on file; None when unreadable
    last_receipt: str  # SJ00000012, "" for none
    last_payment_at: datetime | None  # local time
    last_payment_fen: int
    audit_entries: int
    problem: str = ""  # why the file could not be read
    community: str = ""  # 小区名称, "" when not set up
    payments: int = 0  # payment records, each posted once (a void or refund is another)
    payments_fen: int = 0  # their sum

    @property
    def when(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}" if self.taken_at else "未知"

    @property
    def last_payment(self) -> str:
        """SJ00000012（2026-11-25 10:00，100.00 元）, or 没有收款记录."""
        if not self.last_receipt:
            return "没有收款记录"
        at = f"{self.last_payment_at:%Y-%m-%d %H:%M}" if self.last_payment_at else ""
        return f"{self.last_receipt}（{at}，{format_yuan(self.last_payment_fen)} 元）"

    @property
    def received(self) -> str:
        """12 笔，合计 3,456.00 元."""
        return f"{self.payments} 笔，合计 {format_yuan(self.payments_fen)} 元"

    def lines(self) -> list[str]:
        """备份时间 (最后修改 for a live file) / 小区 / 住户 / 收款 / 最后一笔收款, in Chinese."""
        if self.problem:
            return [f"无法读取：{self.problem}"]
        kind = "备份时间" if parse_name(self.path.name) else "最后修改"
        return [
            f"{kind}：{self.when}",
            f"小区：{self.community or '（未设置）'}",
            f"住户：{self.households} 户",
            f"收款记录：{self.received}",
            f"最后一笔收款：{self.last_payment}",
        ]


def contents_of(path: Path) -> Contents:
    """Households, the last payment and its receipt, and when: read-only, from a file of
    any schema version; a file that cannot be read says why in `problem`."""
    parsed = parse_name(path.name)
    taken_at: datetime | None = parsed[1] if parsed else None
    empty = Contents(path, taken_at, None, "", None, 0, 0)
    try:
        if taken_at is None:  # a live file: when it last changed (its log included)
            wal = Path(f"{path}-wal")
            changed = max(p.stat().st_mtime for p in (path, wal) if p.exists())
            taken_at = datetime.fromtimestamp(changed).replace(microsecond=0)
        if path.stat().st_size == 0:
            return _with_problem(empty, "文件是空的")
        connection = connect_ro(path)
        try:
            return _read_contents(connection, path, taken_at)
        finally:
            connection.close()
    except OSError as exc:
        return _with_problem(empty, str(exc.strerror or exc))
    except sqlite3.DatabaseError as exc:
        return _with_problem(empty, f"文件已损坏或不是物业前台数据库（{exc}）")


def _with_problem(contents: Contents, problem: str) -> Contents:
    return replace(contents, problem=problem)


def _read_contents(connection: sqlite3.Connection, path: Path, taken_at: datetime) -> Contents:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    households = 0
    if "person" in tables:
        households = connection.execute("SELECT count(DISTINCT room_id) FROM person").fetchone()[0]
    community = ""
    if "community" in tables:
        row = connection.execute("SELECT name FROM community ORDER BY id LIMIT 1").fetchone()
        community = str(row[0]) if row else ""
    payments, payments_fen = 0, 0
    if "payment" in tables:
        count, total = connection.execute(
            "SELECT count(*), coalesce(sum(total_fen), 0) FROM payment"
        ).fetchone()
        payments, payments_fen = int(count), int(total)
    last_receipt, last_at, last_fen = "", None, 0
    if {"payment", "receipt"} <= tables:
        row = connection.execute(
            "SELECT r.series, r.number, p.posted_at, p.total_fen FROM payment p "
            "JOIN receipt r ON r.payment_id = p.id ORDER BY p.posted_at DESC, p.id DESC LIMIT 1"
        ).fetchone()
        if row is not None:
            last_receipt = f"{row[0]}{int(row[1]):08d}"
            posted = datetime.fromisoformat(str(row[2]))  # stored as naive UTC
            last_at = posted.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
            last_fen = int(row[3])
    entries = 0
    if "audit_log" in tables:
        entries = connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return Contents(
        path,
        taken_at,
        int(households),
        last_receipt,
        last_at,
        last_fen,
        entries,
        community=community,
        payments=payments,
        payments_fen=payments_fen,
    )
