"""A 0003 file (a resident's phone in the clear, and reversed beside it) opens, is
upgraded, and at its first open with the key the phone is sealed, its look-ups
filled: found by its last digits as before, and nowhere in the file's bytes."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from frontdesk.services import users
from frontdesk.services.database import open_at
from frontdesk.services.households import file as households
from frontdesk.services.households import search
from frontdesk.services.protection import checks

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).parent / "fixtures"
PHONE = "13812345678"  # 赵六's, in the 0003 fixture


def _bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if p.is_file())


def test_a_0003_files_phones_are_sealed_at_first_key_open(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite"
    shutil.copy(FIXTURES / "frontdesk-0003.sqlite", path)
    assert PHONE.encode() in path.read_bytes()

    db = open_at(path)  # upgraded to the head, then the new key seals what is clear
    try:
        # Gone from the file and its WAL at once, not at some later checkpoint.
        assert PHONE.encode() not in _bytes(path)
        admin = users.login(db, "admin", "old12345")
        with closing(sqlite3.connect(path)) as raw:
            (stored,) = raw.execute("SELECT phone FROM person WHERE name = '赵六'").fetchone()
            tokens = raw.execute("SELECT count(*) FROM phone_lookup").fetchone()[0]
            columns = [row[1] for row in raw.execute("PRAGMA table_info(person)")]
        assert stored.startswith("e1:") and tokens == 8
        assert "phone_reversed" not in columns
        [hit] = search.find_households(db, admin, "5678")
        assert hit.matched == "产权人 赵六 电话尾号 5678"
        assert [h.room_id for h in search.find_households(db, admin, "138 1234-5678")] == [
            hit.room_id
        ]
        whole = households.open_file(db, admin, hit.room_id, reveal=True)
        assert [p.phone for p in whole.people] == [PHONE]
        report = checks.check_database(db)
        assert "电话号码均已加密保存" in report.passed, report.problems
    finally:
        db.dispose()
    data = _bytes(path)
    assert PHONE.encode() not in data
    assert PHONE[::-1].encode() not in data
    # The copy taken before the upgrade is the old file as it was, and says so by name.
    assert list(tmp_path.glob("v3.before-upgrade-0003-*.sqlite"))
