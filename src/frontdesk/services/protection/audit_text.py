"""Audit entries in words: field changes as `姓名：张三 → 李四`.

Entries store column names and raw values (stable across releases, and hashed as
written); this module is the one place that turns them into what a clerk reads: every
field under a Chinese label, amounts in yuan, times in local time, users by name,
coded values in their Chinese words. The audit screen, the household file's history
and the Excel export all read entries through it.

Every column the log can hold needs a label: tests/unit/test_audit_text.py fails on a
column of any audited table (or a key a service writes by hand) that has none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Time, TypeDecorator

from frontdesk.db.base import Base
from frontdesk.db.bulk_audit import BULK_ACTION
from frontdesk.domain import service_desk as desk
from frontdesk.domain.audit_labels import ENTITY_FIELD_LABELS, FIELD_LABELS
from frontdesk.domain.backups import format_size
from frontdesk.domain.clock import local_time
from frontdesk.domain.fees import MONEY_SERIES, PayMethod
from frontdesk.domain.household import Relation
from frontdesk.domain.identity import IdType
from frontdesk.domain.money import format_unit_price, format_yuan
from frontdesk.domain.movein import Step
from frontdesk.domain.renovation import BILL_PURPOSE_LABELS, EVENT_LABELS, STATUS_LABELS
from frontdesk.domain.roles import SYSTEM
from frontdesk.domain.setting_names import SETTING_FIELDS, SETTING_NAMES
from frontdesk.services.movein.steps import step_summary
from frontdesk.services.personal.rights import KIND_LABELS
from frontdesk.services.protection.audit import AuditRow
from frontdesk.services.protection.data_key import KeeperMode

# Tables that are the log itself: never written into an entry's changes.
UNLOGGED_TABLES = frozenset({"audit_log", "audit_head"})

EMPTY = "（空）"

# Stored English keys of columns that are not typed enums (the typed ones are read
# from their enum's labels, below).
_CODED_VALUES: dict[str, dict[str, str]] = {
    "relation": {r.value: r.label for r in Relation},
    "id_type": {t.value: t.label for t in IdType},
    "signer_relation": {r.value: r.label for r in Relation},
}
_ENTITY_CODED_VALUES: dict[tuple[str, str], dict[str, str]] = {
    ("refund", "kind"): {"prepaid": "预存退款", "deposit": "押金退款"},
    ("cash_close", "kind"): {"shift": "交班", "day": "日结"},
    ("renovation_event", "kind"): {
        **{s.value: label for s, label in STATUS_LABELS.items()},
        **EVENT_LABELS,
    },
    ("renovation_bill", "purpose"): BILL_PURPOSE_LABELS,
    ("data_key", "mode"): {mode.value: mode.label for mode in KeeperMode},
    ("setting", "key"): SETTING_NAMES,
    ("work_order", "kind"): {k.value: k.label for k in desk.Kind},
    ("work_order", "channel"): {c.value: c.label for c in desk.Channel},
    ("work_order", "urgency"): {u.value: u.label for u in desk.Urgency},
    ("work_order", "status"): {st.value: st.label for st in desk.Status},
    ("work_order", "team"): {t.value: t.label for t in desk.Team},
    ("work_order", "due_stage"): {st.value: st.label for st in desk.Stage},
    ("work_order_event", "step"): {st.value: st.label for st in desk.Step},
    ("work_order_event", "team"): {t.value: t.label for t in desk.Team},
    ("service_staff", "team"): {t.value: t.label for t in desk.Team},
    ("service_category", "team"): {t.value: t.label for t in desk.Team},
}
# The kinds under which personal-data entries list record ids.
_RECORD_KINDS = {kind.value: text for kind, text in KIND_LABELS.items()}
_PAY_METHODS = {m.value: m.label for m in PayMethod}
# Quantities kept in hundredths, with their unit.
_HUNDREDTHS = {"area_m2_x100": " ㎡", "quantity_x100": "", "previous_x100": "", "current_x100": ""}
# A user id beside the name snapshot the same record keeps of that user.
_NAME_BESIDE = {"by_id": "by_name", "cashier_id": "cashier_name"}


def _columns() -> dict[tuple[str, str], Column[Any]]:
    return {
        (table.name, column.name): column
        for table in Base.metadata.tables.values()
        if table.name not in UNLOGGED_TABLES
        for column in table.columns
    }


_COLUMNS = _columns()
USER_FIELDS = frozenset(
    name
    for (_table, name), column in _COLUMNS.items()
    if any(fk.column.table.name == "app_user" for fk in column.foreign_keys)
)


def _enum_labels(column: Column[Any]) -> dict[str, str]:
    enum = column.type.enum_class if isinstance(column.type, Enum) else None
    if enum is None:
        return {}
    return {m.value: getattr(m, "label", m.value) for m in enum}


_TYPED_VALUES = {key: labels for key, c in _COLUMNS.items() if (labels := _enum_labels(c))}


def label(entity: str, field: str) -> str:
    """The Chinese name of `field` in an entry on `entity` (its own name if unknown)."""
    return ENTITY_FIELD_LABELS.get((entity, field)) or FIELD_LABELS.get(field, field)


def has_label(entity: str, field: str) -> bool:
    return (entity, field) in ENTITY_FIELD_LABELS or field in FIELD_LABELS


class Names:
    """Who and where the ids in entries are: user ids to people's names, room ids to
    room codes (looked up by the service that reads the entries)."""

    def __init__(
        self, users: Mapping[int, str] | None = None, rooms: Mapping[int, str] | None = None
    ) -> None:
        self.users = dict(users or {})
        self.rooms = dict(rooms or {})

    def user(self, user_id: int) -> str:
        return self.users.get(user_id, f"用户 {user_id}")

    def room(self, room_id: int) -> str:
        return self.rooms.get(room_id, f"房屋 {room_id}")


NO_NAMES = Names()


def short_digest(value: str) -> str:
    """A SHA-256 as a person compares it: '8c8408…a04d'."""
    return f"{value[:6]}…{value[-4:]}" if len(value) > 12 else value


def _local(value: str) -> str:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return value
    if at.tzinfo is None:  # stored times are UTC
        at = at.replace(tzinfo=UTC)
    return local_time(at, seconds=False)


def _day(value: str) -> str:
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return value


def _clock(value: str) -> str:
    try:
        return time.fromisoformat(value).strftime("%H:%M")
    except ValueError:
        return value


def _record_ids(value: dict[str, Any]) -> str:
    parts = []
    for kind, ids in value.items():
        listed = "、".join(str(i) for i in ids) if isinstance(ids, list) else str(ids)
        parts.append(f"{_RECORD_KINDS.get(kind, kind)} {listed}")
    return "；".join(parts) if parts else "无"


# A move-in step's detail (JSON) by the keys each step records.
_STEP_BY_KEY = {
    "items": Step.DOCUMENTS,
    "owners": Step.OWNER_FILE,
    "receipts": Step.FEES,
    "readings": Step.METERS,
    "keys": Step.KEYS,
    "cards": Step.CARDS,
    "edition": Step.HANDBOOK,
}


def _step_detail(value: str) -> str:
    try:
        detail = json.loads(value)
        step = next(_STEP_BY_KEY[k] for k in detail if k in _STEP_BY_KEY)
        return step_summary(step, detail) or EMPTY
    except (ValueError, TypeError, KeyError, StopIteration, AttributeError):
        return value


def _close_summary(value: str) -> str:
    """A 交班/日结's figures (services/fees/cash_close): receipts, voids, refunds and
    the net by method, as the close tab says them."""
    try:
        stored = json.loads(value)
        by_method = stored["by_method"].items()
        methods = "、".join(f"{_PAY_METHODS.get(m, m)} ¥{format_yuan(fen)}" for m, fen in by_method)
        return (
            f"收据 {len(stored['receipts'])} 张；作废 {len(stored['voided'])} 张；"
            f"退款 ¥{format_yuan(stored['refunds_fen'])}；净额 {methods or '无'}"
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return value


def _setting_value(value: str) -> str:
    """A setting kept as one JSON object, field by field in words; a plain one as is."""
    try:
        stored = json.loads(value)
    except ValueError:
        return value
    if not isinstance(stored, dict):
        return value
    parts = []
    for name, item in stored.items():
        if isinstance(item, dict | list):
            shown = (
                f"{len(item)} 章"
                if name in {"overrides", "custom"}
                else json.dumps(item, ensure_ascii=False)
            )
        elif isinstance(item, bool):
            shown = "是" if item else "否"
        else:
            shown = str(item) if item != "" else EMPTY
        parts.append(f"{SETTING_FIELDS.get(name, name)}：{shown}")
    return "；".join(parts) or EMPTY


def _filled_in(value: str) -> str:
    try:
        filled = json.loads(value)
        return "；".join(f"{name}：{text}" for name, text in filled.items()) or EMPTY
    except (ValueError, AttributeError):
        return value


def _formatter(entity: str, field: str) -> Callable[[Any, Names], str] | None:
    """How `field`'s values read, from its column's type where the table has it."""
    coded = (
        _ENTITY_CODED_VALUES.get((entity, field))
        or _TYPED_VALUES.get((entity, field))
        or _CODED_VALUES.get(field)
    )
    if coded:
        return lambda v, _n: coded.get(str(v), str(v))
    if field in USER_FIELDS:
        return lambda v, n: n.user(v) if isinstance(v, int) else str(v)
    if field == "room_id":
        return lambda v, n: n.room(v) if isinstance(v, int) else str(v)
    if field.endswith("_fen"):
        return lambda v, _n: f"¥{format_yuan(v)}" if isinstance(v, int) else str(v)
    if field in _HUNDREDTHS:
        unit = _HUNDREDTHS[field]
        return lambda v, _n: f"{v / 100:.2f}{unit}" if isinstance(v, int) else str(v)
    if field == "unit_price":
        return lambda v, _n: f"{format_unit_price(v)} 元" if isinstance(v, int) else str(v)
    if field in {"sha256", "document_sha256"}:
        return lambda v, _n: short_digest(str(v))
    if field == "size":
        return lambda v, _n: format_size(v) if isinstance(v, int) else str(v)
    if field in {"erased", "kept", "records"}:
        return lambda v, _n: _record_ids(v) if isinstance(v, dict) else str(v)
    if (entity, field) == ("handover_step", "detail"):
        return lambda v, _n: _step_detail(str(v))
    if (entity, field) == ("cash_close", "summary"):
        return lambda v, _n: _close_summary(str(v))
    if (entity, field) == ("setting", "value"):
        return lambda v, _n: _setting_value(str(v))
    if field == "values_json":  # a notice's filled-in fields, named in Chinese already
        return lambda v, _n: _filled_in(str(v))
    if field == "debt_keys":
        return lambda v, _n: "、".join(k.replace("@", " ") for k in str(v).split("\n") if k)
    if field == "visits":
        return lambda v, _n: "、".join(map(str, v)) if isinstance(v, list) else str(v)
    column = _COLUMNS.get((entity, field))
    if column is not None and column.foreign_keys and field.endswith("_id"):
        return lambda v, _n: f"第 {v} 号" if isinstance(v, int) else str(v)
    # A decorated type (UTCDateTime, the sealed columns) reads as the type it stores.
    stored = column.type if column is not None else None
    if isinstance(stored, TypeDecorator):
        stored = stored.impl_instance
    kind = type(stored) if stored is not None else None
    if (kind is not None and issubclass(kind, DateTime)) or field == "at" or field.endswith("_at"):
        return lambda v, _n: _local(v) if isinstance(v, str) else str(v)
    if kind is not None and issubclass(kind, Time):
        return lambda v, _n: _clock(v) if isinstance(v, str) else str(v)
    if kind is not None and issubclass(kind, Date):
        return lambda v, _n: _day(v) if isinstance(v, str) else str(v)
    if kind is not None and issubclass(kind, Boolean):
        return lambda v, _n: ("是" if v else "否") if isinstance(v, bool | int) else str(v)
    return None


def value_text(field: str, value: Any, entity: str = "", names: Names = NO_NAMES) -> str:
    """One stored value as a clerk reads it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    formatter = _formatter(entity, field)
    if formatter is not None:
        return formatter(value, names)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _bulk_lines(changes: dict[str, Any]) -> list[str]:
    """A bulk insert's seal (db/bulk_audit.py): how many rows, which, and the digest;
    the per-row tags are for `frontdesk check`, not for reading."""
    ids = changes["ids"][1]
    spans = "、".join(f"{a}–{b}" if a != b else str(a) for a, b in ids[:5])
    return [
        f"条数：{changes['count'][1]}",
        f"记录编号：{spans}{' 等' if len(ids) > 5 else ''}",
        f"校验值（SHA-256）：{changes['sha256'][1]}",
    ]


def _said_beside(field: str, new: Any, changes: Mapping[str, Any], names: Names) -> bool:
    """A user id whose record names the same person beside it: one line is enough."""
    beside = _NAME_BESIDE.get(field)
    if beside is None or beside not in changes or not isinstance(new, int):
        return False
    pair = changes[beside]
    snapshot = pair[1] if isinstance(pair, list | tuple) and len(pair) == 2 else pair
    return bool(snapshot) and snapshot == names.users.get(new)


def change_lines(row: AuditRow) -> list[str]:
    """One line per changed field; a new record shows only the values it was created with."""
    if row.action == BULK_ACTION:
        return _bulk_lines(row.changes)
    names = Names(row.user_names, row.room_codes)
    lines = []
    for field, pair in row.changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        name = label(row.entity, field)
        if row.action == "create":
            if field == "id" or new in (None, "", False):  # blank fields are noise
                continue
            if _said_beside(field, new, row.changes, names):
                continue
            lines.append(f"{name}：{value_text(field, new, row.entity, names)}")
        else:
            old_text = value_text(field, old, row.entity, names)
            lines.append(f"{name}：{old_text} → {value_text(field, new, row.entity, names)}")
    return lines


def entry_summary(row: AuditRow) -> str:
    """The entry's summary as stored; entries written before notice numbering had a
    label of its own called a notice series a receipt series, and read right here."""
    if row.entity == "receipt_series" and row.entity_id not in MONEY_SERIES:
        return row.summary.replace("收据号段", "通知编号段", 1)
    return row.summary


def writer_text(row: AuditRow) -> str:
    """Who wrote the entry, by name: 系统 for the program, else the person's name as
    the account has it now (the login name if the account is gone)."""
    if row.username == SYSTEM.username:
        return SYSTEM.display_name
    return row.user_name or row.username
