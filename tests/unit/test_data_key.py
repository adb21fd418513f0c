"""ID numbers at rest: encrypted in the file, readable with the key, found by keyed
hash, and a copied file alone gives nothing away."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import keyring
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from frontdesk.db.protection import LOCKED_TEXT, KeyUnavailable
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.identity import IdType
from frontdesk.errors import UserError, ValidationError
from frontdesk.services import users
from frontdesk.services.database import open_at
from frontdesk.services.households import file as households
from frontdesk.services.households import search, structure
from frontdesk.services.households.file import PersonInput
from frontdesk.services.households.structure import NewBuilding
from frontdesk.services.protection import audit, data_key
from frontdesk.services.protection.data_key import KeyState
from tests.conftest import ADMIN_PASSWORD
from tests.memory_keyring import MemoryKeyring

ID = "11010519491231002X"
OWNER = PersonInput(PersonKind.OWNER, "张三", Relation.SELF, "男", IdType.RESIDENT, ID)


@pytest.fixture
def room(db, admin) -> int:
    structure.create_building(db, admin, NewBuilding("1", "", 1, 1, 2, "89.5"))
    return structure.room_ids(db, admin)[0]


def _raw(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _db_path(db) -> Path:
    return Path(db.engine.url.database)


def _stored(db, sql: str) -> list[tuple]:
    """Rows as the database holds them, on either engine (no column type decrypts)."""
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(sql))]


def _behind_the_programs_back(db, sql: str, **values: object) -> None:
    """A change made with another tool, on either engine (no column type encrypts)."""
    with db.engine.begin() as connection:
        connection.execute(text(sql), values)


def _no_keyring() -> None:
    keyring.set_keyring(keyring.backends.null.Keyring())  # type: ignore[attr-defined]


def test_the_database_holds_only_ciphertext_and_the_service_reads_the_number(db, admin, room):
    households.add_record(db, admin, room, OWNER)
    stored = _stored(db, "SELECT id_number FROM person")[0][0]
    assert stored.startswith("e1:") and ID not in stored and "1231" not in stored
    file = households.open_file(db, admin, room, reveal=True)
    assert file.people[0].id_number == ID
    # The audit log is not encrypted: it keeps only the masked number.
    everything = "".join(
        changes + summary
        for changes, summary in _stored(db, "SELECT changes, summary FROM audit_log")
    )
    assert ID not in everything
    assert "110***********002X" in everything
    assert audit.verify_chain(db).ok


def test_a_whole_id_number_finds_the_household(db, admin, room):
    households.add_record(db, admin, room, OWNER)
    hits = search.find_households(db, admin, ID.lower())
    assert [h.room_id for h in hits] == [room]
    assert "110***********002X" in hits[0].matched
    assert search.find_households(db, admin, "110105194912310038") == []


@pytest.mark.sqlite_only  # reads, edits or copies the file itself
def test_a_copied_file_without_the_key_reveals_nothing(db, admin, room, tmp_path):
    households.add_record(db, admin, room, dataclasses.replace(OWNER, phone="13812345678"))
    db.dispose()
    copy = tmp_path / "copy" / "frontdesk.sqlite"
    copy.parent.mkdir()
    shutil.copy(_db_path(db), copy)
    keyring.set_keyring(MemoryKeyring())  # another PC: an empty keyring
    thief = open_at(copy)
    try:
        assert data_key.state(thief) == KeyState.NEEDS_RECOVERY
        with pytest.raises(KeyUnavailable, match="不能导出或查看完整号码"):
            households.open_file(thief, admin, room, reveal=True)
        shown = households.open_file(thief, admin, room).people[0]
        assert ID not in shown.id_number
        assert shown.phone == LOCKED_TEXT
        assert search.find_households(thief, admin, ID) == []
        assert search.find_households(thief, admin, "5678") == []
        with pytest.raises(KeyUnavailable, match="证件号码已加密"):
            households.add_record(thief, admin, room, OWNER)
        assert len(households.open_file(thief, admin, room).people) == 1  # nothing half-saved
    finally:
        thief.dispose()


def test_the_recovery_code_opens_the_database_on_a_new_pc(db, admin, room, tmp_path):
    households.add_record(db, admin, room, OWNER)
    code = data_key.recovery_code(db, admin)
    assert len(code.split("-")) == 14
    assert data_key.key_info(db).recovery_exported_by == "admin"
    db.dispose()
    keyring.set_keyring(MemoryKeyring())
    moved = open_at(db.location)  # the same file or server database, from another PC
    try:
        with pytest.raises(UserError, match="恢复码：校验不符"):
            data_key.recover(moved, code[:-1] + ("A" if code[-1] != "A" else "B"))
        data_key.recover(moved, code.lower().replace("-", " "))
        assert households.open_file(moved, admin, room, reveal=True).people[0].id_number == ID
    finally:
        moved.dispose()
    again = open_at(db.location)  # the key is now in this PC's keyring
    try:
        assert data_key.state(again) == KeyState.READY
    finally:
        again.dispose()


def test_another_databases_recovery_code_is_refused(db, admin, tmp_path, new_database_file):
    other = open_at(new_database_file(tmp_path / "other.sqlite"))
    try:  # printed by that database's own administrator (user ids are per database)
        first_run = users.FirstRunInput(
            "别的小区", "admin", "管理员", ADMIN_PASSWORD, ADMIN_PASSWORD
        )
        users.initialize(other, first_run)
        foreign = data_key.recovery_code(other, users.login(other, "admin", ADMIN_PASSWORD))
    finally:
        other.dispose()
    with pytest.raises(UserError, match="与本数据库不符"):
        data_key.recover(db, foreign)


def test_without_a_keyring_the_key_is_kept_under_a_passphrase(
    tmp_path, monkeypatch, new_database_file
):
    monkeypatch.delenv("FRONTDESK_PASSPHRASE")
    _no_keyring()
    path = tmp_path / "plain" / "frontdesk.sqlite"
    path.parent.mkdir()
    db = open_at(new_database_file(path))
    try:
        assert data_key.state(db) == KeyState.NEEDS_NEW_PASSPHRASE
        with pytest.raises(ValidationError, match="口令：至少 8 个字符"):
            data_key.unlock(db, "short")
        assert data_key.unlock(db, "correct horse") == KeyState.READY
        assert data_key.key_info(db).mode == data_key.KeeperMode.PASSPHRASE
        key_row = _raw(path, "SELECT wrapped_key, salt FROM data_key")[0]
        assert key_row[0] and key_row[1]
    finally:
        db.dispose()
    db = open_at(path)
    try:
        assert data_key.unlock(db) == KeyState.NEEDS_PASSPHRASE
        with pytest.raises(UserError, match="口令不正确"):
            data_key.unlock(db, "wrong horse")
        assert data_key.unlock(db, "correct horse") == KeyState.READY
    finally:
        db.dispose()


def test_the_passphrase_in_the_environment_opens_it_for_scripts(
    tmp_path, monkeypatch, new_database_file
):
    _no_keyring()
    monkeypatch.setenv("FRONTDESK_PASSPHRASE", "scripted-pass")
    path = tmp_path / "plain" / "frontdesk.sqlite"
    path.parent.mkdir()
    open_at(new_database_file(path)).dispose()
    db = open_at(path)
    try:
        assert data_key.state(db) == KeyState.READY
    finally:
        db.dispose()


def test_recovery_on_a_pc_without_keyring_needs_a_new_passphrase(db, admin):
    code = data_key.recovery_code(db, admin)
    db.cipher = None
    _no_keyring()
    with pytest.raises(ValidationError, match="口令：这台电脑不能使用安全存储"):
        data_key.recover(db, code)
    data_key.recover(db, code, new_passphrase="new passphrase")
    db.cipher = None
    assert data_key.unlock(db, "new passphrase") == KeyState.READY


def test_only_an_administrator_exports_the_recovery_code(db, make_user):
    from frontdesk.domain.roles import Role
    from frontdesk.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        data_key.recovery_code(db, make_user(Role.SUPERVISOR))


def test_numbers_written_before_encryption_are_sealed_on_first_open(db, admin, room):
    households.add_record(db, admin, room, OWNER)
    cipher = db.cipher
    _behind_the_programs_back(db, "UPDATE person SET id_number = :id", id=ID)  # as in 0009
    db.cipher = None
    assert data_key.unlock(db) == KeyState.READY
    assert db.cipher is not cipher
    assert _stored(db, "SELECT id_number FROM person")[0][0].startswith("e1:")
    assert households.open_file(db, admin, room, reveal=True).people[0].id_number == ID
    assert audit.verify_chain(db).ok


@given(st.text(max_size=80))
def test_any_typed_recovery_code_is_a_key_or_a_named_problem(text):
    try:
        key = data_key.parse_recovery_code(text)
    except ValidationError as exc:
        assert exc.field == "恢复码"
    else:
        assert len(key) == 32


def test_check_names_a_number_left_in_the_clear(db, admin, room):
    from frontdesk.services.protection import checks

    households.add_record(db, admin, room, OWNER)
    assert "证件号码均已加密保存" in checks.check_database(db).passed
    _behind_the_programs_back(db, "UPDATE person SET id_number = :id", id=ID)
    assert "人员：1 个证件号码未加密保存" in checks.check_database(db).problems


def test_typed_text_shaped_like_a_token_is_still_encrypted(db, admin, room):
    from frontdesk.db.protection import is_encrypted

    households.add_record(db, admin, room, OWNER)
    stored = _stored(db, "SELECT id_number FROM person")[0][0]
    assert is_encrypted(stored)
    assert not is_encrypted("e1:not-a-token")
    assert not is_encrypted("e1:" + "0" * 24 + ":有中文")
