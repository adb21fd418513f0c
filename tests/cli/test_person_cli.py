"""`frontdesk person find | export | erase` on a copy of the demo community, with one
former tenant who also came back as a visitor."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from stdnum.cn import ric

from frontdesk.demo import DEMO_PASSPHRASE
from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind, Relation
from frontdesk.domain.roles import SYSTEM
from frontdesk.services.database import open_at
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.visitors.register import VisitInput, register_visit, sign_out
from frontdesk.services.visitors.settings import (
    VisitorSettings,
    set_visitor_settings,
    visitor_settings,
)
from tests.cheap_hashing import FRONTDESK_COMMAND
from tests.cli.conftest import copy_of

NAME = "欧阳娜娜"
PHONE = "13987654321"
ID_NUMBER = "11010519880808" + "123"
ID_NUMBER += ric.calc_check_digit(ID_NUMBER + "0")


def run(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        FRONTDESK_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        FRONTDESK_PASSPHRASE=DEMO_PASSPHRASE,
    )
    return subprocess.run(
        [*FRONTDESK_COMMAND, *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )


@pytest.fixture
def community(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "demo.sqlite"
    path = copy_of(demo_db, path)
    monkeypatch.setenv("FRONTDESK_PASSPHRASE", DEMO_PASSPHRASE)
    db = open_at(path)
    try:
        room = structure.room_ids(db, SYSTEM, structure.RoomFilter())[0]
        households.add_record(
            db,
            SYSTEM,
            room,
            households.PersonInput(
                PersonKind.TENANT,
                NAME,
                Relation.TENANT,
                id_number=ID_NUMBER,
                phone=PHONE,
                lease_start=date(2023, 3, 1),
                lease_end=clock.today() - timedelta(days=30),
                lives_here=False,
            ),
        )
        settings = visitor_settings(db)
        set_visitor_settings(
            db, SYSTEM, VisitorSettings(True, settings.retention_days, settings.pass_paper)
        )
        visit = register_visit(
            db,
            SYSTEM,
            VisitInput(room, NAME, PHONE, confirmed_by="业主", id_number=ID_NUMBER),
        )
        sign_out(db, SYSTEM, visit.number)
    finally:
        db.dispose()
    return path


def test_find_lists_the_records_by_document_number(community: Path, tmp_path: Path) -> None:
    result = run(tmp_path, "person", "find", "--id", ID_NUMBER, "--json", "--db", str(community))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert sorted(r["label"] for r in rows) == ["租户", "访客登记"]
    assert all(r["erasable"] and not r["candidate"] for r in rows)
    assert all(r["phone"] == "139****4321" for r in rows)  # masked, even here
    plain = run(
        tmp_path, "person", "find", "--name", NAME, "--phone", PHONE, "--db", str(community)
    )
    assert "租户\t" in plain.stdout and "可删除：" in plain.stdout
    assert plain.stdout.strip().splitlines()[-1].startswith("共 2 条，其中确认 2 条（可删除 2 条）")


def test_export_writes_the_full_values_for_the_person(community: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.xlsx"
    result = run(
        tmp_path, "person", "export", "--id", ID_NUMBER, "--out", str(out), "--db", str(community)
    )
    assert result.returncode == 0, result.stderr
    assert "已导出 2 条记录" in result.stdout
    book = load_workbook(out)
    assert book.sheetnames == ["说明", "户档案人员", "访客登记"]
    values = [v for row in book["户档案人员"].iter_rows(values_only=True) for v in row]
    assert ID_NUMBER in values and PHONE in values


def _rows(path: Path, sql: str) -> list[tuple]:
    db = open_at(path)
    try:
        with db.read() as session:
            return [tuple(r) for r in session.execute(text(sql))]
    finally:
        db.dispose()


def test_erase_asks_first_and_then_anonymises(community: Path, tmp_path: Path) -> None:
    args = ("person", "erase", "--name", NAME, "--phone", PHONE, "--reason", "本人申请")
    declined = run(tmp_path, *args, "--db", str(community), stdin="否\n")
    assert declined.returncode == 1
    assert "将删除或匿名化 2 条" in declined.stdout and "已取消" in declined.stdout
    assert _rows(community, f"SELECT count(*) FROM person WHERE name = '{NAME}'") == [(1,)]
    done = run(tmp_path, *args, "--yes", "--db", str(community))
    assert done.returncode == 0, done.stderr
    assert "已删除 2 条记录中的个人信息（户档案人员 1、访客登记 1）" in done.stdout
    assert "保留：审计日志" in done.stdout
    assert _rows(community, f"SELECT count(*) FROM person WHERE name = '{NAME}'") == [(0,)]
    assert _rows(community, f"SELECT count(*) FROM visit WHERE visitor_phone = '{PHONE}'") == [(0,)]
    again = run(tmp_path, "person", "find", "--id", ID_NUMBER, "--db", str(community))
    assert "没有找到此人的记录" in again.stdout


def test_an_owner_is_kept_and_criteria_are_required(community: Path, tmp_path: Path) -> None:
    ((name,),) = _rows(community, "SELECT name FROM person WHERE kind = 'owner' LIMIT 1")
    listed = run(tmp_path, "person", "find", "--name", name, "--json", "--db", str(community))
    rows = [r for r in json.loads(listed.stdout) if r["label"] == "产权人"]
    assert rows and not any(r["erasable"] for r in rows)
    assert all("产权人" in r["reason"] for r in rows)
    none = run(tmp_path, "person", "find", "--db", str(community))
    assert none.returncode == 1 and "至少填写一项" in none.stderr
