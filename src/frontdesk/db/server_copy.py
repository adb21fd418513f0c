"""Copying a database file, row for row and byte for byte, into an empty server database
(`frontdesk move-to`, services/protection/move_to.py).

The file is read through a read-only, immutable SQLite connection: nothing is written
to it or beside it. A file in use (or left by a program that did not close it) has a
write-ahead log beside it whose rows such a connection would not see: it is refused.

On the server everything happens in one transaction: the schema made by the same
migrations as every database, each table copied in dependency order with COPY, its
triggers set aside meanwhile (append-only tables and the audit log are inserted as they
are; the kept tables `bill_open` and `collection_tally` are copied, not recomputed, and
compared afterwards), every stored file put into `stored_file`, the sequences moved past
the highest ids, then the row counts and every money column's total compared with the
file's. Any difference, or any error, rolls it all back: the server database stays
empty.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Integer, String, Table, insert, inspect

from frontdesk.db.base import Base, utcnow
from frontdesk.db.file_store import SUFFIX, FolderStore, sha256_of
from frontdesk.db.models import FileArea, StoredFile
from frontdesk.errors import UserError

# Not copied as tables: written by the migrations themselves, and the stored files
# (empty in a file database: its files are in the folder, copied by `copy_files`).
NOT_COPIED = frozenset({"alembic_version", StoredFile.__tablename__})
FILES_PER_INSERT = 20


@dataclass(frozen=True)
class TableCount:
    table: str
    rows: int


@dataclass(frozen=True)
class FileCount:
    area: FileArea
    files: int
    size: int
    changed: tuple[str, ...]  # files whose bytes no longer hash to their name (copied as is)


Progress = Callable[[str], None]


def open_source(path: Path) -> sqlite3.Connection:
    """The file, read-only and immutable; refused while a program has it open."""
    if not path.is_file():
        raise UserError(f"找不到数据库文件：{path}")
    companion = in_use(path)
    if companion is not None:
        raise UserError(
            f"数据库文件正被物业前台使用，或上次没有正常关闭（旁边有 {companion}）。"
            "请关闭所有打开它的物业前台程序，再用物业前台打开并正常关闭一次，然后再迁移。"
        )
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"该文件不是物业前台数据库或已损坏：{path}") from exc
    return source


def in_use(path: Path) -> str | None:
    """The file SQLite keeps beside a database while it is open (or after a program
    holding it was killed), if there is one: the immutable reading would miss its rows."""
    for companion in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if companion.exists():
            return companion.name
    return None


def stamp(path: Path) -> tuple[int, int]:
    """The file's size and modification time: the same at the end, or it was written to."""
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def source_revision(source: sqlite3.Connection) -> str | None:
    try:
        row = source.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def copied_tables() -> list[Table]:
    """Every table of the schema, each after the tables it refers to."""
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]


def source_tables(source: sqlite3.Connection) -> set[str]:
    rows = source.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {str(name) for (name,) in rows} - NOT_COPIED


def overlong_values(source: sqlite3.Connection, tables: Iterable[Table]) -> list[str]:
    """Texts longer than their column allows (SQLite never enforced the lengths, the
    server does): each column named with how many rows and the longest value."""
    found = []
    for table in tables:
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if not isinstance(column.type, String) or not length:
                continue
            count, longest = source.execute(
                f'SELECT count(*), max(length("{column.name}")) FROM "{table.name}" '
                f'WHERE length("{column.name}") > ?',
                (length,),
            ).fetchone()
            if count:
                found.append(
                    f"表 {table.name} 的 {column.name}：{count} 行超过 {length} 个字符"
                    f"（最长 {longest} 个字符）"
                )
    return found


def target_tables(connection: Connection) -> list[str]:
    """The tables already in the server database's schema (empty: none)."""
    return sorted(inspect(connection).get_table_names())


def copy_tables(
    source: sqlite3.Connection, connection: Connection, progress: Progress
) -> list[TableCount]:
    """Every table's rows by COPY, in dependency order, with the tables' own triggers
    set aside meanwhile (the rows the migrations seeded, such as the audit head, are
    replaced by the file's)."""
    raw = connection.connection.driver_connection
    assert raw is not None
    tables = copied_tables()
    counts = []
    with raw.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table.name}" DISABLE TRIGGER USER')
        for table in reversed(tables):
            cursor.execute(f'DELETE FROM "{table.name}"')
        for table in tables:
            names = [column.name for column in table.columns]
            quoted = ", ".join(f'"{name}"' for name in names)
            order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns) or "rowid"
            progress(f"复制 {table.name}")
            rows = 0
            with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in source.execute(f'SELECT {quoted} FROM "{table.name}" ORDER BY {order}'):
                    copy.write_row(row)
                    rows += 1
            counts.append(TableCount(table.name, rows))
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table.name}" ENABLE TRIGGER USER')
    return counts


def copy_files(files_dir: Path, connection: Connection, progress: Progress) -> list[FileCount]:
    """Every file of the folder beside the database file into `stored_file`, as it is."""
    counts = []
    for area in FileArea:
        folder = FolderStore(files_dir, area)
        hashes = sorted(folder.hashes())
        progress(f"复制存档文件 {area.value}（{len(hashes)} 个）")
        size, changed = 0, []
        stored_at = utcnow()
        for start in range(0, len(hashes), FILES_PER_INSERT):
            rows: list[dict[str, Any]] = []
            for sha256 in hashes[start : start + FILES_PER_INSERT]:
                data = folder.path(sha256).read_bytes()
                if sha256_of(data) != sha256:
                    changed.append(f"{area.value}/{sha256[:2]}/{sha256}{SUFFIX[area]}")
                size += len(data)
                rows.append(
                    {
                        "area": area,
                        "sha256": sha256,
                        "size": len(data),
                        "content": data,
                        "stored_at": stored_at,
                    }
                )
            connection.execute(insert(StoredFile), rows)
        counts.append(FileCount(area, len(hashes), size, tuple(changed)))
    return counts


def reset_sequences(connection: Connection) -> None:
    """Each table's id sequence moved to its highest id, so the next row follows it."""
    for table in copied_tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        name = keys[0].name
        sequence = connection.exec_driver_sql(
            f"SELECT pg_get_serial_sequence('\"{table.name}\"', '{name}')"
        ).scalar()
        if sequence is None:
            continue
        connection.exec_driver_sql(
            f'SELECT setval(%(sequence)s, COALESCE(MAX("{name}"), 1), MAX("{name}") IS NOT NULL) '
            f'FROM "{table.name}"',
            {"sequence": sequence},
        )


def money_columns() -> list[tuple[str, str]]:
    """Every money column (integer fen) of the schema, as (table, column)."""
    return [
        (table.name, column.name)
        for table in copied_tables()
        for column in table.columns
        if column.name.endswith("_fen")
    ]


def stored_files(connection: Connection) -> int:
    return int(connection.exec_driver_sql("SELECT count(*) FROM stored_file").scalar() or 0)


def source_counts(source: sqlite3.Connection) -> dict[str, int]:
    return {
        table.name: int(source.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0])
        for table in copied_tables()
    }


def target_counts(connection: Connection) -> dict[str, int]:
    return {
        table.name: int(
            connection.exec_driver_sql(f'SELECT count(*) FROM "{table.name}"').scalar() or 0
        )
        for table in copied_tables()
    }


def source_totals(source: sqlite3.Connection) -> dict[tuple[str, str], int]:
    return {
        (table, column): int(
            source.execute(f'SELECT COALESCE(SUM("{column}"), 0) FROM "{table}"').fetchone()[0]
        )
        for table, column in money_columns()
    }


def target_totals(connection: Connection) -> dict[tuple[str, str], int]:
    return {
        (table, column): int(
            connection.exec_driver_sql(
                f'SELECT COALESCE(SUM("{column}"), 0) FROM "{table}"'
            ).scalar()
            or 0
        )
        for table, column in money_columns()
    }


def audit_tail(source: sqlite3.Connection) -> tuple[int, str]:
    """How many audit entries the file holds, and the newest one's hash."""
    count = int(source.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    last = source.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return count, str(last[0]) if last else ""
