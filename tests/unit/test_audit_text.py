"""The audit log in words a clerk understands: every field under a Chinese label,
amounts in yuan, times local, users by name, coded values in Chinese."""

from __future__ import annotations

import ast
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import frontdesk
from frontdesk.db.base import Base
from frontdesk.db.bulk_audit import BULK_ACTION
from frontdesk.db.who import SUFFIX as WHO_ID
from frontdesk.demo import build_demo
from frontdesk.domain.clock import local_time
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.roles import SYSTEM, Role
from frontdesk.services import community, households
from frontdesk.services.database import Database, open_at
from frontdesk.services.households import PersonInput, structure
from frontdesk.services.protection import audit
from frontdesk.services.protection.audit import AuditRow
from frontdesk.services.protection.audit_text import (
    UNLOGGED_TABLES,
    Names,
    change_lines,
    entry_summary,
    has_label,
    value_text,
    writer_text,
)

SOURCE = Path(frontdesk.__file__).parent
# The functions that append an entry with a changes dict of the caller's making.
WRITERS = {"write_entry", "write_audit"}
# Bulk seals are read by their own lines (count, ids, digest), not field by field.
BULK_SEAL = SOURCE / "db" / "bulk_audit.py"


def _row(entity: str, changes: dict, action: str = "create", **names) -> AuditRow:
    return AuditRow(
        1,
        datetime(2026, 12, 6, tzinfo=UTC),
        "he",
        action,
        "",
        entity,
        "1",
        "",
        changes,
        **names,
    )


# every key written has a label -----------------------------------------------------


def _logged_columns() -> list[tuple[str, str]]:
    """What the after-flush hook can write: every column of every table but the log's
    own, less the `*_by_id` beside a name snapshot (db/audit.py skips those)."""
    return [
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        if table.name not in UNLOGGED_TABLES
        for column in table.columns
        if not column.name.endswith(WHO_ID)
    ]


def test_every_column_the_log_can_hold_has_a_chinese_label() -> None:
    missing = [f"{t}.{c}" for t, c in _logged_columns() if not has_label(t, c)]
    assert not missing, f"audit_labels.FIELD_LABELS has no label for: {', '.join(missing)}"


def _hand_written_keys() -> dict[str, set[str]]:
    """Keys of the changes dicts services pass to write_entry / write_audit by hand:
    a dict literal in the call, or one assigned to a name the call passes."""
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        if path == BULK_SEAL:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            assigned = {
                target.id: node.value
                for node in ast.walk(function)
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") in WRITERS):
                    continue
                for arg in [*call.args, *(k.value for k in call.keywords)]:
                    literal = assigned.get(arg.id) if isinstance(arg, ast.Name) else arg
                    if isinstance(literal, ast.Dict):
                        keys = {k.value for k in literal.keys if isinstance(k, ast.Constant)}
                        found.setdefault(str(path.relative_to(SOURCE)), set()).update(keys)
    return found


def test_every_key_a_service_writes_by_hand_has_a_chinese_label() -> None:
    written = _hand_written_keys()
    # The scan finds the ones we know of (so it is not silently finding nothing).
    assert {"erased", "kept", "reason"} <= written["services/personal/erase.py"]
    assert {"visits"} <= written["services/visitors/register.py"]
    missing = [f"{p}: {k}" for p, keys in written.items() for k in keys if not has_label("", k)]
    assert not missing, f"no label for keys written by hand: {missing}"


def test_a_whole_demo_log_reads_without_raw_keys(tmp_path: Path) -> None:
    """Every entry of a demo community (each kind of record the counter writes) shows
    no English column name and no ISO time."""
    path = tmp_path / "demo.sqlite"
    build_demo(path, households=40, seed=3)
    db = open_at(path)
    try:
        rows = audit.entry_rows(db, SYSTEM, audit.entry_ids(db, SYSTEM))
    finally:
        db.dispose()
    assert len({r.entity for r in rows}) > 25
    raw_key = re.compile(r"^[a-z_0-9]+：")
    iso_time = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
    for row in rows:
        if row.action == BULK_ACTION:
            continue
        for line in change_lines(row):
            assert not raw_key.match(line), (row.entity, line)
            assert not iso_time.search(line), (row.entity, line)
        assert "收据号段" not in entry_summary(row) or row.entity_id in {"SJ", "TK"}


# how values read -------------------------------------------------------------------


def test_amounts_read_in_yuan_with_two_decimals() -> None:
    lines = change_lines(_row("reminder", {"owed_fen": [None, 434091]}))
    assert lines == ["当时欠费：¥4,340.91"]
    assert value_text("amount_fen", -1250, "refund") == "¥-12.50"


def test_times_read_in_local_time_to_the_minute() -> None:
    stored = "2026-12-06T16:28:29+00:00"
    expected = local_time(datetime(2026, 12, 6, 16, 28, 29, tzinfo=UTC), seconds=False)
    assert change_lines(_row("issued_document", {"issued_at": [None, stored]})) == [
        f"发出时间：{expected}"
    ]
    assert value_text("at", stored, "reminder") == expected
    assert value_text("deadline", "2026-12-09", "defect") == "2026-12-09"


def test_users_read_by_name_not_by_id() -> None:
    names = {"user_names": {2: "袁杰英", 7: "杨敏"}}
    # A user id with nothing beside it reads as the person's name.
    assert change_lines(_row("building", {"butler_id": [2, 7]}, "update", **names)) == [
        "管家：袁杰英 → 杨敏"
    ]
    # Beside the record's own name snapshot of the same person, one line is enough.
    both = {"by_id": [None, 2], "by_name": [None, "袁杰英"]}
    assert change_lines(_row("reminder", both, **names)) == ["催缴人：袁杰英"]
    assert value_text("cashier_id", 9, "payment", Names({})) == "用户 9"


def test_a_document_number_is_not_a_room_number() -> None:
    numbered = {"number": [None, "FW-2026-000001"]}
    assert change_lines(_row("issued_document", numbered)) == ["发文编号：FW-2026-000001"]
    assert change_lines(_row("notice", {"number": [None, "TZ-2026-0001"]})) == [
        "通知编号：TZ-2026-0001"
    ]
    assert change_lines(_row("room", {"number": [None, "1201"]})) == ["房号：1201"]


def test_a_file_digest_is_named_and_shortened() -> None:
    digest = "8c840867a7e0ee9660fa04cb3c02880a72cdc8c266442b703435294b8194a04d"
    assert change_lines(_row("reminder", {"document_sha256": [None, digest]})) == [
        "文件校验码：8c8408…a04d"
    ]


def test_coded_values_read_in_chinese() -> None:
    row = _row(
        "issued_document",
        {"kind": [None, "reminder"], "output": [None, "printed"]},
    )
    assert change_lines(row) == ["文件类别：催缴通知", "出具方式：打印"]
    assert value_text("method", "wechat", "tender") == "微信"
    assert value_text("kind", "deposit", "refund") == "押金退款"
    assert value_text("status", "in_progress", "renovation") == "施工中"
    assert value_text("status", "occupied", "room") == "已入住"
    assert value_text("whole_community", True, "notice") == "是"
    assert value_text("passed", False, "renovation_inspection") == "否"


def test_rooms_read_by_their_code() -> None:
    row = _row("payment", {"room_id": [None, 12]}, room_codes={12: "3-1-1201"})
    assert change_lines(row) == ["房屋：3-1-1201"]


# the log as the audit screen reads it ------------------------------------------------


def test_the_writer_reads_by_name(db: Database, admin, make_user) -> None:
    clerk = make_user(Role.CLERK, "qiantai")
    community.set_idle_lock_minutes(db, admin, 5)
    rows = audit.entry_rows(db, admin, audit.entry_ids(db, admin))
    login = next(r for r in rows if r.username == clerk.username)
    assert writer_text(login) == clerk.display_name != clerk.username
    writers = {w.username: w.name for w in audit.writers(db, admin)}
    assert writers[clerk.username] == clerk.display_name
    assert writers[SYSTEM.username] == "系统"


def test_entries_name_the_rooms_and_people_they_point_at(db: Database, admin) -> None:
    structure.create_building(db, admin, structure.NewBuilding("9", "", 1, 1, 1, "90"))
    [room] = structure.room_ids(db, admin)
    households.add_record(db, admin, room, PersonInput(PersonKind.OWNER, "李梅", Relation.SELF))
    rows = audit.entry_rows(db, admin, audit.entry_ids(db, admin))
    room_created = next(r for r in rows if r.entity == "room" and r.action == "create")
    assert "房号：101" in change_lines(room_created)
    person = next(r for r in rows if r.entity == "person")
    assert person.room_codes == {room: "9-1-101"}
    assert "房屋：9-1-101" in change_lines(person)
    assert "类别：产权人" in change_lines(person)


def test_a_notice_series_is_not_called_a_receipt_series() -> None:
    """Entries written before notice numbering had its own label read right too."""
    old = AuditRow(
        1,
        datetime(2026, 11, 15, tzinfo=UTC),
        "he",
        "update",
        "修改",
        "receipt_series",
        "CJ",
        "修改收据号段「催缴通知」",
        {"next_number": [1, 5]},
    )
    assert entry_summary(old) == "修改通知编号段「催缴通知」"
    assert change_lines(old) == ["下一个编号：1 → 5"]
    receipts = AuditRow(
        2,
        datetime(2026, 11, 15, tzinfo=UTC),
        "he",
        "update",
        "修改",
        "receipt_series",
        "SJ",
        "修改收据号段「收款收据」",
        {"next_number": [1, 2]},
    )
    assert entry_summary(receipts) == "修改收据号段「收款收据」"


@pytest.mark.parametrize(("code", "label"), [("SJ", "收据号段"), ("CJ", "通知编号段")])
def test_new_entries_on_a_series_say_which_kind_it_is(db: Database, admin, code, label) -> None:
    from frontdesk.db.models import ReceiptSeries

    with db.write(admin) as session:
        series = session.get_one(ReceiptSeries, code)
        series.next_number += 1
    newest = audit.entry_rows(db, admin, audit.entry_ids(db, admin)[:1])[0]
    assert newest.summary.startswith(f"修改{label}「")
    assert json.dumps(newest.changes)  # the entry itself stays raw: only its reading changed


def test_every_setting_a_service_keeps_is_named() -> None:
    """The `key` of a settings row reads as what the office calls it."""
    constants = re.compile(r'^[A-Z_]*KEY = "([a-z_0-9]+)"$', re.MULTILINE)
    keys = {
        key
        for path in (SOURCE / "services").rglob("*.py")
        for key in constants.findall(path.read_text(encoding="utf-8"))
    }
    assert {"idle_lock_minutes", "payment_details"} <= keys
    from frontdesk.services.arrears.reminders import _key as wording_key
    from frontdesk.services.movein.handbook import GUIDE, HANDBOOK

    keys |= {GUIDE.key, HANDBOOK.key, *(wording_key(level) for level in (1, 2, 3))}
    unnamed = sorted(k for k in keys if value_text("key", k, "setting") == k)
    assert not unnamed, f"domain.setting_names.SETTING_NAMES has no name for: {unnamed}"


def test_structured_values_read_as_words() -> None:
    """A move-in step's detail, a notice's filled-in fields, the charges a reminder
    demands, a setting's name: no JSON or codes."""
    assert value_text("detail", '{"cards": ["A1000", "B2000"]}', "handover_step") == (
        "卡号 A1000、B2000"
    )
    assert value_text("values_json", '{"集合地点": "中心广场"}', "notice") == "集合地点：中心广场"
    assert value_text("debt_keys", "物业服务费@2026-01\n水费@2026-02", "reminder") == (
        "物业服务费 2026-01、水费 2026-02"
    )
    assert value_text("key", "payment_details", "setting") == "缴费方式和收款账户"


def test_every_field_of_a_json_setting_is_named() -> None:
    """Settings kept as one JSON object show each field under its Chinese name."""
    import dataclasses

    from frontdesk.domain.arrears import LateFeeTerms
    from frontdesk.domain.reminders import ReminderWording
    from frontdesk.domain.setting_names import SETTING_FIELDS
    from frontdesk.services.arrears.reminders import PaymentDetails
    from frontdesk.services.movein.handbook import HandbookValues, _Edits

    kept = [PaymentDetails, HandbookValues, LateFeeTerms, ReminderWording, _Edits]
    fields = {f.name for kind in kept for f in dataclasses.fields(kind)}
    assert not fields - set(SETTING_FIELDS), fields - set(SETTING_FIELDS)
    stored = json.dumps({"counter_hours": "每日 8:30-17:30", "enabled": True, "grace_days": 5})
    assert value_text("value", stored, "setting") == (
        "收费处办公时间：每日 8:30-17:30；启用：是；宽限天数：5"
    )
    assert value_text("value", "10", "setting") == "10"


def test_a_cash_close_reads_as_the_close_tab_says_it(db: Database, admin) -> None:
    from frontdesk.services.fees import cash_close

    cash_close.close_cash(db, admin, "shift", 0)
    rows = audit.entry_rows(db, admin, audit.entry_ids(db, admin))
    close = next(r for r in rows if r.entity == "cash_close")
    lines = change_lines(close)
    assert "类别：交班" in lines
    assert "汇总：收据 0 张；作废 0 张；退款 ¥0.00；净额 无" in lines
