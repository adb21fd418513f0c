"""0021: a 催缴 wording saved with the English placeholders ({owner} {room} {total} …)
is rewritten in the Chinese ones the notices and the handbook use ({业主} {房号} …);
other braces and other settings are left as they were; 0021 goes down again."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from frontdesk.domain.reminders import ReminderWording
from frontdesk.domain.roles import Actor
from frontdesk.services.arrears import reminders
from frontdesk.services.database import Database, open_at
from frontdesk.services.protection import restore
from tests.db.migration_steps import migrate

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only

OLD_BODY = "{owner}您好：{room}欠{total}元，自{oldest}起。{earlier}请于{deadline}前缴清。{未知}"
OLD_CLOSING = "{company} {phone} {address}"


def _stored(path: Path) -> dict[str, str]:
    with closing(sqlite3.connect(path)) as raw:
        return dict(raw.execute("SELECT key, value FROM setting"))


def test_an_old_english_wording_is_rewritten_in_chinese_and_back(
    db: Database, admin: Actor
) -> None:
    path = Path(str(db.engine.url.database))
    reminders.set_wording(db, admin, 2, ReminderWording("通知", "{房号}：{欠费金额}元", "电话"))
    db.dispose()
    migrate(path, "0020", down=True)
    assert json.loads(_stored(path)["reminder_wording_2"])["body"] == "{room}：{total}元"
    with closing(sqlite3.connect(path)) as raw:  # as an older program saved them
        old = {"title": "{owner}收", "body": OLD_BODY, "closing": OLD_CLOSING}
        raw.execute(
            "INSERT INTO setting (key, value) VALUES ('reminder_wording_1', ?), "
            "('reminder_wording_3', 'not json'), ('payment_details', ?)",
            (json.dumps(old, ensure_ascii=False), '{"bank": "{owner}"}'),
        )
        raw.commit()

    db = open_at(path)  # upgraded to the head
    db.dispose()
    stored = _stored(path)
    assert json.loads(stored["reminder_wording_1"]) == {
        "title": "{业主}收",
        "body": "{业主}您好：{房号}欠{欠费金额}元，自{最早欠费月份}起。"
        "{已送达通知}请于{缴费期限}前缴清。{未知}",
        "closing": "{物业公司} {服务中心电话} {小区地址}",
    }
    assert json.loads(stored["reminder_wording_2"])["body"] == "{房号}：{欠费金额}元"
    assert stored["reminder_wording_3"] == "not json"  # read as the default, left alone
    assert stored["payment_details"] == '{"bank": "{owner}"}'  # not a wording

    migrate(path, "0020", down=True)
    assert json.loads(_stored(path)["reminder_wording_1"]) == old


def test_restoring_a_backup_from_before_0021_upgrades_its_wording(
    db: Database, admin: Actor, tmp_path: Path
) -> None:
    """A restore opens the restored file, which runs the migrations: an older backup's
    English wording comes back in Chinese, in the file itself."""
    path = Path(str(db.engine.url.database))
    db.dispose()
    older = tmp_path / "older.sqlite"
    shutil.copyfile(path, older)
    migrate(older, "0020", down=True)
    with closing(sqlite3.connect(older)) as raw:
        old = {"title": "提醒", "body": "{owner}：{room}欠{total}元", "closing": "{phone}"}
        raw.execute(
            "INSERT INTO setting (key, value) VALUES ('reminder_wording_1', ?)",
            (json.dumps(old, ensure_ascii=False),),
        )
        raw.commit()

    result = restore.restore_backup(path, older, admin)
    assert result.upgraded_from == "0020"
    assert json.loads(_stored(path)["reminder_wording_1"])["body"] == "{业主}：{房号}欠{欠费金额}元"
    db = open_at(path)
    try:
        assert reminders.wording(db, 1).closing == "{服务中心电话}"
    finally:
        db.dispose()
