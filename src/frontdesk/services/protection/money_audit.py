"""`frontdesk check`: every money row against the audit entry that created it.

The money invariants (services/protection/money_checks.py) catch a row edited alone; a skim
that edits a payment, its tender, its allocation and its bill together keeps every
sum consistent. The audit log still holds what was written: each row inserted
through the ORM has its own "create" entry ({column: [None, value]}, db/audit.py),
each row inserted in bulk is sealed by a "bulk_create" entry (db/bulk_audit.py).
A row that differs from its entry, a row with no entry, and an entry whose row is
gone are each named.
"""

from __future__ import annotations

import base64
import json
import sys
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.orm import Session

from frontdesk.db.audit import SECRET_MARK, personal_maskers
from frontdesk.db.base import Base, UTCDateTime
from frontdesk.db.bulk_audit import (
    BULK_ACTION,
    BULK_DELETE_ACTION,
    MONEY_TABLES,
    lines_digest,
    parse_entry,
    row_lines,
    select_sql,
    table_columns,
)
from frontdesk.db.engine import Database
from frontdesk.domain.money import format_yuan
from frontdesk.domain.rooms import room_code
from frontdesk.services.protection.money_checks import receipt_no

NAMED = 40  # problems named with their receipt and room; the rest by table and id

# What the log keeps of a column instead of its value: personal values masked (payer,
# payee, account number …; db/audit.py). Money tables hold no `name` column of people.
_LOGGED_FORM: dict[str, Callable[[str], str]] = personal_maskers("payment")

_COLUMN_LABELS = {
    "id": "编号",
    "room_id": "房屋",
    "fee_item_id": "收费项目",
    "period": "账期",
    "start_on": "起始日",
    "end_on": "截止日",
    "quantity_x100": "数量（×100）",
    "unit_price": "单价（元×10000）",
    "amount_fen": "金额",
    "total_fen": "金额",
    "reduction_fen": "减免金额",
    "reduction_reason": "减免原因",
    "due_fen": "应收金额",
    "description": "摘要",
    "created_at": "生成时间",
    "created_by": "生成人",
    "run_id": "账单生成批次",
    "posted_at": "收款时间",
    "day": "营业日",
    "cashier_id": "收费员",
    "cashier_name": "收费员姓名",
    "payer": "交款人",
    "note": "备注",
    "payment_id": "所属收款",
    "method": "方式",
    "tendered_fen": "实收金额",
    "change_fen": "找零",
    "reference": "交易单号",
    "bill_id": "账单",
    "void_id": "冲销的作废记录",
    "reason": "原因",
    "granted_at": "减免时间",
    "granted_by": "减免人",
    "kind": "类别",
    "gross_fen": "应退金额",
    "deductions_fen": "扣款金额",
    "payee": "领款人",
    "payee_account_name": "收款户名",
    "payee_bank": "开户行",
    "payee_account_no": "收款账号",
    "refunded_at": "退款时间",
    "refund_id": "所属退款",
    "receipt_id": "收据",
    "voided_at": "作废时间",
    "by_id": "作废人",
    "by_name": "作废人姓名",
    "at": "时间",
    "closed_at": "日结时间",
    "cash_expected_fen": "应有现金",
    "cash_counted_fen": "实点现金",
    "summary": "汇总",
}


def money_audit_problems(db: Database) -> list[str]:
    """Every difference between the money rows and the audit log, named in Chinese."""
    with db.read() as session:
        connection = session.connection()
        tables = set(inspect(connection).get_table_names())
        if "audit_log" not in tables:
            return []
        found: list[_Problem] = []
        for table in MONEY_TABLES:
            if table in tables:
                found += _table_problems(connection, table)
        namer = _Namer(session)
        return [
            problem.text(namer if index < NAMED else None) for index, problem in enumerate(found)
        ]


# the problems, named once found ---------------------------------------------------


@dataclass
class _Problem:
    table: str
    row_id: int
    detail: str  # after the record's name and a colon
    gone: bool = False  # the row is not there: it can be named only by its id

    def text(self, namer: _Namer | None) -> str:
        label = MONEY_TABLES[self.table]
        if namer is None or self.gone:
            return f"{label} #{self.row_id}：{self.detail}"
        return f"{namer.name(self.table, self.row_id)}：{self.detail}"


class _Namer:
    """A row's name as a cashier finds it: 收款 #123（收据 A00001234，3-2-1201）."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _one(self, sql: str, row_id: int) -> Any:
        return self.session.execute(text(sql), {"id": row_id}).first()

    def _room(self, room_id: int | None) -> str:
        if room_id is None:
            return ""
        row = self._one(
            "SELECT building.code, unit.code, room.number FROM room "
            "JOIN building ON building.id = room.building_id "
            "LEFT JOIN unit ON unit.id = room.unit_id WHERE room.id = :id",
            room_id,
        )
        return room_code(row[0], row[1], row[2]) if row else f"房屋#{room_id}"

    def _receipt_of(self, column: str, row_id: int | None) -> str:
        if row_id is None:
            return ""
        row = self._one(f"SELECT series, number FROM receipt WHERE {column} = :id", row_id)
        return f"收据 {receipt_no(row[0], row[1])}" if row else ""

    def _payment(self, payment_id: int | None) -> str:
        if payment_id is None:
            return ""
        row = self._one("SELECT room_id FROM payment WHERE id = :id", payment_id)
        parts = [f"收款 #{payment_id}", self._receipt_of("payment_id", payment_id)]
        if row:
            parts.append(self._room(row[0]))
        return "，".join(p for p in parts if p)

    def _context(self, table: str, row_id: int) -> str:
        if table == "payment":
            row = self._one("SELECT room_id FROM payment WHERE id = :id", row_id)
            parts = [self._receipt_of("payment_id", row_id), self._room(row[0] if row else None)]
        elif table in ("tender", "allocation", "reduction"):
            row = self._one(f"SELECT payment_id FROM {table} WHERE id = :id", row_id)
            parts = [self._payment(row[0] if row else None)]
            if table != "tender":
                bill = self._one(f"SELECT bill_id FROM {table} WHERE id = :id", row_id)
                parts.append(f"账单 #{bill[0]}" if bill else "")
        elif table == "bill":
            row = self._one(
                "SELECT room_id, coalesce(period, ''), description FROM bill WHERE id = :id",
                row_id,
            )
            parts = [self._room(row[0]), row[1], row[2]] if row else []
        elif table == "refund":
            row = self._one("SELECT room_id FROM refund WHERE id = :id", row_id)
            refund_receipt = self._receipt_of("refund_id", row_id).replace("收据", "退款凭证")
            parts = [refund_receipt, self._room(row[0] if row else None)]
        elif table == "refund_deduction":
            row = self._one("SELECT refund_id FROM refund_deduction WHERE id = :id", row_id)
            parts = [f"退款 #{row[0]}" if row else ""]
        elif table == "receipt_void":
            row = self._one(
                "SELECT r.series, r.number FROM receipt_void v "
                "JOIN receipt r ON r.id = v.receipt_id WHERE v.id = :id",
                row_id,
            )
            parts = [f"收据 {receipt_no(row[0], row[1])}" if row else ""]
        elif table == "prepaid_entry":
            row = self._one("SELECT room_id FROM prepaid_entry WHERE id = :id", row_id)
            parts = [self._room(row[0] if row else None)]
        else:  # cash_close
            row = self._one("SELECT cashier_name, day FROM cash_close WHERE id = :id", row_id)
            parts = [f"{row[0]} {row[1]}" if row else ""]
        return "，".join(str(p) for p in parts if p)

    def name(self, table: str, row_id: int) -> str:
        context = self._context(table, row_id)
        label = f"{MONEY_TABLES[table]} #{row_id}"
        return f"{label}（{context}）" if context else label


# one table ------------------------------------------------------------------------


@dataclass
class _Batch:
    entry_id: int
    ranges: list[list[int]]
    columns: list[str]
    sha256: str
    tags: bytes
    count: int


def _mark(connection: Connection) -> str:
    """The driver's placeholder (its own SQL runs straight to it): ? for SQLite, %s for
    psycopg."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def _batches(connection: Connection, table: str) -> list[_Batch]:
    batches = []
    mark = _mark(connection)
    for entry_id, changes in connection.exec_driver_sql(
        f"SELECT id, changes FROM audit_log WHERE entity = {mark} AND action = {mark} ORDER BY id",
        (table, BULK_ACTION),
    ):
        values = parse_entry(changes)
        batches.append(
            _Batch(
                int(entry_id),
                [[int(a), int(b)] for a, b in values["ids"]],
                [str(c) for c in values["columns"]],
                str(values["sha256"]),
                base64.b64decode(values["row_tags"]),
                int(values["count"]),
            )
        )
    return batches


def _deleted(connection: Connection, table: str) -> list[list[int]]:
    """The id ranges of rows an undone import deleted (db/bulk_audit.BULK_DELETE_ACTION)."""
    mark = _mark(connection)
    return [
        [int(first), int(last)]
        for (changes,) in connection.exec_driver_sql(
            f"SELECT changes FROM audit_log WHERE entity = {mark} AND action = {mark}",
            (table, BULK_DELETE_ACTION),
        )
        for first, last in parse_entry(changes)["ids"]
    ]


class _RangeIndex:
    """Is an id inside a bulk entry's ranges?"""

    def __init__(self, batches: list[_Batch]) -> None:
        spans = sorted((first, last) for batch in batches for first, last in batch.ranges)
        self.starts = [first for first, _ in spans]
        self.lasts = [last for _, last in spans]

    def __contains__(self, row_id: int) -> bool:
        at = bisect_right(self.starts, row_id) - 1
        return at >= 0 and row_id <= self.lasts[at]


def _table_problems(connection: Connection, table: str) -> list[_Problem]:
    label = MONEY_TABLES[table]
    mark = _mark(connection)
    created = {
        int(entity_id): (int(entry_id), changes)
        for entry_id, entity_id, changes in connection.exec_driver_sql(
            f"SELECT id, entity_id, changes FROM audit_log WHERE entity = {mark} "
            "AND action = 'create'",
            (table,),
        )
        if str(entity_id).isdigit()
    }
    deleted = _RangeIndex([_Batch(0, _deleted(connection, table), [], "", b"", 0)])
    created = {row_id: entry for row_id, entry in created.items() if row_id not in deleted}
    batches = [
        batch
        for batch in _batches(connection, table)
        if not all(row_id in deleted for a, b in batch.ranges for row_id in range(a, b + 1))
    ]
    columns = set(table_columns(connection, table))
    raw = connection.connection.dbapi_connection
    assert raw is not None
    problems: list[_Problem] = []
    for batch in batches:
        if set(batch.columns) <= columns:
            problems += _batch_problems(raw, mark, table, label, batch)
        else:
            problems.append(
                _Problem(
                    table,
                    batch.ranges[0][0],
                    f"审计日志第 {batch.entry_id} 条批量新增记录的列已不在表中，无法核对",
                )
            )
    created_problems, present = _created_problems(connection, table, created)
    problems += _unrecorded(raw, mark, table, batches, created, present)
    return problems + created_problems


def _batch_problems(raw: Any, mark: str, table: str, label: str, batch: _Batch) -> list[_Problem]:
    sql = f"{select_sql(table, batch.columns)} WHERE id BETWEEN {mark} AND {mark} ORDER BY id"
    rows: list[tuple[Any, ...]] = []
    for first, last in batch.ranges:
        rows += raw.execute(sql, (first, last)).fetchall()
    lines = row_lines(rows)
    if len(rows) == batch.count and lines_digest(lines) == batch.sha256:
        return []
    # Which rows: the per-row tags name them (the digest above is the proof).
    tags = array("I")
    tags.frombytes(batch.tags)
    if sys.byteorder == "big":
        tags.byteswap()
    found = {int(row[0]): index for index, row in enumerate(rows)}
    problems = []
    position = 0
    for first, last in batch.ranges:
        for row_id in range(first, last + 1):
            index = found.get(row_id)
            if index is None:
                problems.append(
                    _Problem(
                        table,
                        row_id,
                        f"审计日志第 {batch.entry_id} 条记录了它的批量新增，记录却不在了",
                        gone=True,
                    )
                )
            elif position >= len(tags) or zlib.crc32(lines[index]) != tags[position]:
                problems.append(
                    _Problem(
                        table,
                        row_id,
                        f"金额或其他内容与审计日志第 {batch.entry_id} 条批量新增时记录的不符",
                    )
                )
            position += 1
    if not problems:
        problems.append(
            _Problem(
                table,
                batch.ranges[0][0],
                f"审计日志第 {batch.entry_id} 条批量新增的{label}（{batch.count} 条）"
                "与现存记录不符",
            )
        )
    return problems


def _unrecorded(
    raw: Any,
    mark: str,
    table: str,
    batches: list[_Batch],
    created: dict[int, tuple[int, str]],
    present: set[int],
) -> list[_Problem]:
    """Rows neither sealed in bulk nor created with an entry of their own. Counted
    first (one query per range); the ids are walked only when the counts differ."""
    index = _RangeIndex(batches)
    total = int(raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    between = f"SELECT count(*) FROM {table} WHERE id BETWEEN {mark} AND {mark}"
    in_ranges = sum(
        int(raw.execute(between, span).fetchone()[0])
        for span in zip(index.starts, index.lasts, strict=True)
    )
    if total == in_ranges + sum(1 for row_id in present if row_id not in index):
        return []
    return [
        _Problem(table, row_id, "审计日志中没有它的新增记录")
        for (row_id,) in raw.execute(f"SELECT id FROM {table} ORDER BY id")
        if row_id not in created and row_id not in index
    ]


# rows with their own "create" entry -----------------------------------------------


def _created_problems(
    connection: Connection,
    table: str,
    created: dict[int, tuple[int, str]],
) -> tuple[list[_Problem], set[int]]:
    """Rows with an entry of their own, value by value; and the ids found."""
    problems = []
    present: set[int] = set()
    model_columns = Base.metadata.tables[table].columns
    ids, mark = sorted(created), _mark(connection)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        result = connection.exec_driver_sql(
            f"SELECT * FROM {table} WHERE id IN ({','.join(mark for _ in chunk)})", tuple(chunk)
        )
        names = list(result.keys())
        for row in result:
            stored = dict(zip(names, row, strict=True))
            row_id = int(stored["id"])
            present.add(row_id)
            changes = created[row_id][1]
            differences = []
            for column, pair in json.loads(changes).items():
                if column not in stored or not isinstance(pair, list) or len(pair) != 2:
                    continue
                logged = pair[1]
                model_column = model_columns.get(column)
                if not _same(column, logged, stored[column], model_column):
                    value = stored[column]
                    if column in _LOGGED_FORM and value:
                        value = _LOGGED_FORM[column](value)  # the report is no place for it
                    differences.append(
                        f"{_COLUMN_LABELS.get(column, column)} {_shown(column, value)} "
                        f"与审计日志记录的 {_shown(column, logged)} 不符"
                    )
            if differences:
                problems.append(_Problem(table, row_id, "；".join(differences)))
    problems += [
        _Problem(
            table,
            row_id,
            f"审计日志第 {created[row_id][0]} 条记录了它的新增，记录却不在了",
            gone=True,
        )
        for row_id in ids
        if row_id not in present
    ]
    return problems, present


def _as_utc(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0)


def _same(column: str, logged: Any, stored: Any, model_column: Any) -> bool:
    if logged == SECRET_MARK:
        return True
    if logged is None and model_column is not None and model_column.server_default is not None:
        return True  # the database filled it in after the entry was written
    if column in _LOGGED_FORM and stored:
        stored = _LOGGED_FORM[column](stored)
    if logged is None or stored is None:
        return logged is None and stored is None
    if model_column is not None and isinstance(model_column.type, UTCDateTime):
        return _as_utc(logged) == _as_utc(stored)
    if isinstance(logged, bool):
        return bool(int(logged) == stored)
    if isinstance(logged, int) and isinstance(stored, int):
        return bool(logged == stored)
    return str(logged) == str(stored)


def _shown(column: str, value: Any) -> str:
    if value is None:
        return "（空）"
    if column.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
        return format_yuan(value, symbol=True)
    if column.endswith("_at"):
        moment = _as_utc(value)
        if moment is not None:
            return f"{moment.astimezone():%Y-%m-%d %H:%M:%S}"
    return f"“{value}”" if isinstance(value, str) else str(value)
