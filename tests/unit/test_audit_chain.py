"""The audit log as a hostile insider with the file, sqlite3 and this program's source
would attack it (issue 18): re-hash an edited chain, cut its tail where no backup saw
it, neuter a trigger, read an erased person back out of it. `frontdesk check` names
each; the papers filed every day carry where the log stood."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import keyring
import pytest
from pypdf import PdfReader

from frontdesk import printouts
from frontdesk.db.audit import GENESIS_HASH
from frontdesk.db.migrate import open_database
from frontdesk.db.protection import KeyUnavailable
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import SYSTEM, Actor, Role
from frontdesk.services import community
from frontdesk.services.database import Database, open_at
from frontdesk.services.fees import billing, cash_close, payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.households import file as households
from frontdesk.services.protection import audit, backups, checks, data_key
from frontdesk.services.protection.data_key import KeyState
from tests.memory_keyring import MemoryKeyring
from tests.unit.fee_fixtures import TODAY, make_community

# SQLite only: the log is tampered with by editing the file through sqlite3.
pytestmark = pytest.mark.sqlite_only

HASHED = ("at", "user_id", "username", "action", "entity", "entity_id", "summary", "changes")


def _path(db: Database) -> Path:
    return Path(str(db.engine.url.database))


@contextmanager
def raw_file(db: Database) -> Iterator[sqlite3.Connection]:
    """The file in sqlite3, every protecting trigger dropped for the edit and put back."""
    db.dispose()
    with closing(sqlite3.connect(_path(db))) as raw:
        triggers = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit%'"
        ).fetchall()
        for name, _sql in triggers:
            raw.execute(f"DROP TRIGGER {name}")
        yield raw
        for _name, sql in triggers:
            raw.execute(sql)
        raw.commit()


def _plain_hash(prev: str, row: sqlite3.Row) -> str:
    """The hash as the published source computes it without a key."""
    at = row["at"].replace(" ", "T") + ("+00:00" if "+" not in row["at"] else "")
    fields = {k: row[k] for k in HASHED} | {"at": at}
    if row["room_id"] is not None:
        fields["room_id"] = row["room_id"]
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((prev + canonical).encode()).hexdigest()


def _rehash_from(raw: sqlite3.Connection, first: int, mark: str = "") -> None:
    raw.row_factory = sqlite3.Row
    prev = raw.execute("SELECT hash FROM audit_log WHERE id < ? ORDER BY id DESC", (first,))
    prev_hash = (prev.fetchone() or [GENESIS_HASH])[0]
    for row in raw.execute("SELECT * FROM audit_log WHERE id >= ? ORDER BY id", (first,)):
        digest = mark + _plain_hash(prev_hash, row)[: 64 - len(mark)]
        raw.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
            (prev_hash, digest, row["id"]),
        )
        prev_hash = digest
    raw.row_factory = None


def _some_entries(db: Database, admin: Actor) -> None:
    for minutes in (5, 7, 9, 11):
        community.set_idle_lock_minutes(db, admin, minutes)


# the keyed chain -------------------------------------------------------------------


def test_entries_are_signed_with_a_key_that_is_not_in_the_file(db: Database, admin) -> None:
    _some_entries(db, admin)
    db.dispose()
    with closing(sqlite3.connect(_path(db))) as raw:
        hashes = [h for (h,) in raw.execute("SELECT hash FROM audit_log")]
        stored = b"".join(_path(db).read_bytes().split(b"\0"))
    assert hashes and all(h.startswith("k") and len(h) == 64 for h in hashes)
    assert db.cipher is not None
    assert db.cipher.chain_key not in stored and db.cipher.key not in stored


def test_an_edited_entry_rehashed_without_the_key_is_named(db: Database, admin) -> None:
    _some_entries(db, admin)
    assert checks.check_database(db).ok
    with raw_file(db) as raw:
        target = raw.execute("SELECT max(id) - 1 FROM audit_log").fetchone()[0]
        raw.execute("UPDATE audit_log SET summary = summary || '（改）' WHERE id = ?", (target,))
        _rehash_from(raw, target)  # every later hash recomputed, as the old chain allowed
    chain = audit.verify_chain(db)
    assert chain.first_broken_id is None  # each plain hash matches its own entry …
    assert chain.plain_after_keyed_id == target  # … but the key's signatures stop there
    problems = checks.check_database(db).problems
    assert any(f"审计日志第 {target} 条起没有密钥签名" in p for p in problems), problems


def test_a_chain_rehashed_keeping_the_mark_is_named_even_without_the_key(
    db: Database, admin
) -> None:
    _some_entries(db, admin)
    with raw_file(db) as raw:
        target = raw.execute("SELECT max(id) - 2 FROM audit_log").fetchone()[0]
        raw.execute("UPDATE audit_log SET username = 'ghost' WHERE id = ?", (target,))
        _rehash_from(raw, target, mark="k")
    problems = checks.check_database(db).problems
    assert f"审计日志第 {target} 条起被改动或删除并被不用密钥重新计算了哈希" in problems
    locked = open_database(_path(db))  # no key on this PC: still seen
    try:
        assert audit.verify_chain(locked).first_broken_id == target
    finally:
        locked.dispose()


def test_without_the_key_check_says_the_signatures_were_not_verified(db: Database, admin) -> None:
    _some_entries(db, admin)
    db.dispose()
    locked = open_database(_path(db))
    try:
        report = checks.check_database(locked)
        assert any("密钥签名无法核验" in p and "解锁" in p for p in report.problems), report
    finally:
        locked.dispose()


def test_a_database_with_a_key_refuses_to_write_unsigned_entries(
    db: Database, admin, tmp_path: Path
) -> None:
    copy = tmp_path / "copy" / "frontdesk.sqlite"
    copy.parent.mkdir()
    db.dispose()
    shutil.copy(_path(db), copy)
    before = copy.read_bytes()
    keyring.set_keyring(MemoryKeyring())  # another PC, without the key
    other = open_at(copy)
    try:
        assert data_key.state(other) == KeyState.NEEDS_RECOVERY
        with pytest.raises(KeyUnavailable, match="审计日志须用本数据库的密钥签名"):
            community.set_idle_lock_minutes(other, admin, 30)
    finally:
        other.dispose()
    with closing(sqlite3.connect(copy)) as raw:
        plain = raw.execute("SELECT count(*) FROM audit_log WHERE hash NOT LIKE 'k%'").fetchone()
    assert plain == (0,) and len(copy.read_bytes()) == len(before)


def test_a_log_rewritten_plain_from_its_start_is_named(db: Database, admin) -> None:
    _some_entries(db, admin)
    with raw_file(db) as raw:
        _rehash_from(raw, 1)
    problems = checks.check_database(db).problems
    assert any("已有数据密钥，但审计日志最后一条没有密钥签名" in p for p in problems), problems
    assert any("计数器" in p for p in problems), problems  # its signature no longer fits


def _old_program_entry(path: Path, summary: str, changes: dict) -> None:
    """An entry as the program before issue 18 wrote it: plain hash, values in clear."""
    with closing(sqlite3.connect(path)) as raw:
        raw.row_factory = sqlite3.Row
        prev = raw.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        row = dict(prev) | {
            "action": "create",
            "entity": "person",
            "entity_id": "99",
            "summary": summary,
            "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
            "room_id": None,
        }
        digest = _plain_hash(prev["hash"], row)
        raw.execute(
            "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, summary, "
            "changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*(row[k] for k in HASHED), prev["hash"], digest),
        )
        raw.commit()


def test_a_signed_log_rewritten_plain_is_not_signed_over_at_the_next_open(
    db: Database, admin
) -> None:
    _some_entries(db, admin)
    backups.make_backup(db, SYSTEM, "daily")  # holds the signed log
    with raw_file(db) as raw:
        _rehash_from(raw, 1)  # the whole log recomputed plain, as if never signed
        raw.execute("UPDATE audit_head SET mac = ''")
    reopened = open_at(_path(db))  # the key opens: nothing signs the forgery over
    try:
        rows = audit.entry_rows(reopened, admin, audit.entry_ids(reopened, admin))
        assert not [r for r in rows if r.action == "sign"]
        problems = checks.check_database(reopened).problems
        assert any("已有数据密钥，但审计日志最后一条没有密钥签名" in p for p in problems)
        # The head counter and both backup anchors saw other hashes at that position.
        assert any("日志被改写" in p and "另有 2 处记录同样显示" in p for p in problems), problems
    finally:
        reopened.dispose()


def test_an_old_plain_log_is_masked_and_signed_over_when_its_key_first_opens(
    tmp_path: Path, new_database_file: Callable[[Path], Path]
) -> None:
    from frontdesk.services import users

    path = new_database_file(tmp_path / "old.sqlite")
    old = open_database(path)  # as before issue 18: no data key, plain entries
    try:
        first = users.FirstRunInput("测试小区", "admin", "管理员", "a1234567", "a1234567")
        users.initialize(old, first)
    finally:
        old.dispose()
    _old_program_entry(
        path, "新增人员「欧阳娜娜」", {"name": [None, "欧阳娜娜"], "phone": [None, "13987654321"]}
    )
    old = open_database(path)
    try:
        taken = backups.make_backup(old, SYSTEM, "daily")  # a backup of the plain log
        plain = audit.verify_chain(old)  # (its own entry included)
        assert plain.ok and plain.keyed == 0 and plain.entries > 1
    finally:
        old.dispose()
    assert b"13987654321" in taken.path.read_bytes()

    db = open_at(path)  # the key is made and opened: the log is checked, masked, signed
    try:
        admin = Actor(1, "admin", "管理员", Role.ADMIN)
        rows = audit.entry_rows(db, admin, audit.entry_ids(db, admin))
        signed = [r for r in rows if r.action == "sign"]
        assert len(signed) == 1
        assert f"此前 {plain.entries} 条未签名记录校验完整" in signed[0].summary
        assert "其中 1 条中的姓名、电话" in signed[0].summary
        person = next(r for r in rows if r.entity_id == "99")
        assert person.summary == "新增人员「欧***」"
        assert person.changes == {"name": [None, "欧***"], "phone": [None, "139****4321"]}
        chain = audit.verify_chain(db)
        assert chain.ok and chain.keyed == chain.entries
        report = checks.check_database(db)  # the backup of the plain log is no false alarm
        assert report.ok, report.problems
    finally:
        db.dispose()
    log = b"".join(
        str(row).encode() for row in sqlite3.connect(path).execute("SELECT * FROM audit_log")
    )
    assert "欧阳娜娜".encode() not in log and b"13987654321" not in log


# the log's tail ---------------------------------------------------------------------


def _reveal_five(db: Database, admin: Actor) -> int:
    from frontdesk.services.households import structure
    from frontdesk.services.households.structure import NewBuilding

    structure.create_building(db, admin, NewBuilding("8", "", 1, 1, 5, "89.5"))
    rooms = structure.room_ids(db, admin)[-5:]
    for room in rooms:  # five 查看完整证件号码 entries, nothing else written after them
        households.open_file(db, admin, room, reveal=True)
    return len(rooms)


def test_a_tail_cut_with_no_backup_is_named_against_the_head_counter(db: Database, admin) -> None:
    _reveal_five(db, admin)
    assert checks.check_database(db).ok
    with raw_file(db) as raw:
        last = raw.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        assert raw.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'reveal' AND id > ?", (last - 5,)
        ).fetchone() == (5,)
        raw.execute("DELETE FROM audit_log WHERE id > ?", (last - 5,))
    report = checks.check_database(db)
    assert "审计日志哈希链完整" in " ".join(report.passed)  # the chain alone cannot see it
    assert any(
        p.startswith("审计日志末尾的记录被删除：数据库内的审计计数器")
        and f"已有第 {last} 条" in p
        and f"现在最后一条是第 {last - 5} 条" in p
        for p in report.problems
    ), report.problems


def test_rewinding_the_head_counter_needs_the_key(db: Database, admin) -> None:
    _reveal_five(db, admin)
    with raw_file(db) as raw:
        last = raw.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        raw.execute("DELETE FROM audit_log WHERE id > ?", (last - 5,))
        raw.execute(
            "UPDATE audit_head SET entries = entries - 5, last_id = ?, "
            "head_hash = (SELECT hash FROM audit_log WHERE id = ?)",
            (last - 5, last - 5),
        )
    problems = checks.check_database(db).problems
    assert any("计数器签名不符" in p for p in problems), problems


def test_a_tail_cut_is_named_against_the_backup_file_itself(db: Database, admin) -> None:
    _reveal_five(db, admin)
    taken = backups.make_backup(db, SYSTEM, "daily")
    with raw_file(db) as raw:
        last = raw.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        raw.execute("DELETE FROM audit_log WHERE id > ?", (last - 5,))
        # The editor also rewinds the counter (its signature no longer fits) …
        raw.execute("DELETE FROM audit_head")
        raw.execute(
            "INSERT INTO audit_head SELECT 1, count(*), max(id), "
            "(SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '' FROM audit_log"
        )
    # … and empties the log of backups beside them.
    for log in taken.path.parent.glob("*.backups.json"):
        log.write_text("{}", encoding="utf-8")
    with closing(sqlite3.connect(taken.path)) as copy:  # its own entry follows the copy
        in_backup = copy.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    assert in_backup > last - 5
    problems = checks.check_database(db).problems
    assert any(
        "审计日志末尾的记录被删除" in p
        and "备份文件" in p
        and taken.path.name in p
        and f"已有第 {in_backup} 条" in p
        for p in problems
    ), problems


# the triggers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "table"),
    [("tender_no_update", "tender"), ("bill_open_on_allocation", "bill_open")],
)
def test_a_trigger_replaced_by_a_no_op_of_the_same_name_is_named(
    db: Database, name: str, table: str
) -> None:
    assert checks.check_database(db).ok
    db.dispose()
    with closing(sqlite3.connect(_path(db))) as raw:
        event = raw.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        timing = re.search(r"(BEFORE|AFTER) (UPDATE|INSERT) ON \w+", event)
        assert timing is not None
        raw.execute(f"DROP TRIGGER {name}")
        raw.execute(f"CREATE TRIGGER {name} {timing.group(0)} BEGIN SELECT 1; END")
        raw.commit()
    problems = checks.check_database(db).problems
    assert f"表 {table} 的保护（触发器 {name}）被替换：定义与程序建立的不同" in problems


def test_a_trigger_the_program_did_not_make_is_named(db: Database) -> None:
    db.dispose()
    with closing(sqlite3.connect(_path(db))) as raw:
        raw.execute(
            "CREATE TRIGGER quiet_discount AFTER INSERT ON allocation "
            "BEGIN UPDATE bill_open SET open_fen = 0 WHERE bill_id = NEW.bill_id; END"
        )
        raw.commit()
    problems = checks.check_database(db).problems
    assert "数据库中有程序未建立的触发器 quiet_discount" in problems


def test_spacing_alone_is_not_a_replaced_trigger(db: Database) -> None:
    db.dispose()
    with closing(sqlite3.connect(_path(db))) as raw:
        sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'payment_no_delete'")
        text = sql.fetchone()[0]
        raw.execute("DROP TRIGGER payment_no_delete")
        raw.execute(text.replace(" BEGIN ", "\n  BEGIN\n    ").replace("; END", ";\nEND"))
        raw.commit()
    assert checks.check_database(db).ok


# papers -----------------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_daily_report_and_the_day_close_carry_the_logs_position(
    db: Database, admin: Actor, make_user
) -> None:
    town = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    cashier = make_user(Role.CASHIER)
    view = payments.counter_view(db, cashier, town.occupied, TODAY)
    bills = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
    total = sum(amount for _, amount in bills)
    payments.post_payment(
        db,
        cashier,
        PaymentRequest(town.occupied, bills, (TenderInput(PayMethod.CASH, total),)),
        TODAY,
    )
    for closed in (False, True):
        if closed:
            cash_close.close_cash(db, cashier, "day", total, today=TODAY)
        position = audit.chain_position(db)
        last = audit.last_entry(db, admin)
        assert last is not None and position.entries == last.id
        text = _pdf_text(printouts.daily_report(db, admin, TODAY).pdf).replace("\n", "")
        expected = f"审计日志：第 {last.id} 条，链首 {last.hash[:6]}…{last.hash[-4:]}"
        assert expected in text, text
        assert ("未日结" in text) is not closed


# personal values --------------------------------------------------------------------


def test_a_persons_name_phone_and_plate_are_masked_in_the_log(db: Database, admin) -> None:
    from frontdesk.services.households import structure
    from frontdesk.services.households.structure import NewBuilding

    structure.create_building(db, admin, NewBuilding("6", "", 1, 1, 1, "89.5"))
    room = structure.room_ids(db, admin)[-1]
    person = households.add_record(
        db,
        admin,
        room,
        households.PersonInput(PersonKind.TENANT, "欧阳娜娜", Relation.TENANT, phone="13987654321"),
    )
    households.add_record(db, admin, room, households.VehicleInput("粤B12345"))
    rows = audit.entry_rows(db, admin, audit.entry_ids(db, admin))
    person_entry = next(r for r in rows if r.entity == "person" and r.entity_id == str(person))
    assert person_entry.summary.endswith("「欧***」")
    assert person_entry.changes["name"] == [None, "欧***"]
    assert person_entry.changes["phone"] == [None, "139****4321"]
    text = json.dumps([(r.summary, r.changes) for r in rows], ensure_ascii=False)
    for clear in ("欧阳娜娜", "13987654321", "12345678931", "ouyang", "粤B12345"):
        assert clear not in text
