"""`frontdesk ticket …` drives a work order through its whole life with the desk's
rules, and `frontdesk tickets` lists them (open, overdue, by kind or room, JSON)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk.domain import clock
from tests.cli.conftest import Run, copy_of
from tests.conftest import SET_NOW


@pytest.fixture
def desk_db(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo: these tests write to it."""
    path = tmp_path / "desk.sqlite"
    path = copy_of(demo_db, path)
    return path


def test_an_order_through_its_whole_life(frontdesk: Run, desk_db: Path) -> None:
    db = ("--db", str(desk_db))
    before = json.loads(frontdesk("stats", *db).stdout)["tickets"]  # the demo's own

    def ticket(*args: str) -> str:
        result = frontdesk("ticket", *args, *db)
        assert result.returncode == 0, result.stderr
        return result.stdout

    added = json.loads(
        ticket(
            *("add", "--kind", "户内报修", "--category", "水电", "--description", "厨房水龙头漏水"),
            *("--room", "1-1-101", "--urgent", "--phone", "13812345678", "--json"),
        )
    )
    number = added["number"]
    assert re.fullmatch(r"GD-\d{4}-\d{4}", number)
    earlier = [r["number"] for r in added["repeats"]]  # the demo's orders of the room
    again = json.loads(
        ticket(
            *("add", "--kind", "户内报修", "--category", "水电", "--description", "又漏了"),
            *("--room", "1-1-101", "--json"),
        )
    )
    assert [r["number"] for r in again["repeats"]] == [number, *earlier]
    assert "已派单" in ticket("dispatch", number, "--team", "工程")
    refused = frontdesk("ticket", "finish", number, "--work", "修好了", *db)
    assert refused.returncode == 1 and "不能完工：维修人员尚未到场" in refused.stderr
    ticket("arrive", number.replace("-", "").lower())  # as a clerk may type it
    ticket("pause", number, "--reason", "等配件")
    ticket("resume", number)
    ticket("finish", number, "--work", "更换阀芯", "--materials", "阀芯 1 个")
    assert "未接通（第 1 次）" in ticket("callback", number, "--failed")
    assert "不满意" in ticket("callback", number, "--scores", "4,2,4", "--words", "还在滴水")
    ticket("dispatch", number, "--team", "工程")
    ticket("arrive", number)
    ticket("finish", number, "--work", "更换软管")
    assert "回访满意" in ticket("callback", number, "--scores", "5,5,5")
    assert "已关闭" in ticket("close", number)
    stats = json.loads(frontdesk("stats", *db).stdout)
    assert stats["tickets"] == before + 2
    shown = json.loads(ticket("show", number, "--json"))
    assert shown["status"] == "已关闭" and shown["phone"] == "138****5678"
    assert [e["step"] for e in shown["events"]] == [
        *("受理", "派单", "到场", "暂停", "恢复", "完工", "回访未成功", "回访", "重新打开"),
        *("派单", "到场", "完工", "回访", "关闭"),
    ]


def test_the_list_filters_and_marks_overdue_orders(
    frontdesk: Run, desk_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ("--db", str(desk_db))
    for kind, category, room in (("投诉", "噪音", "1-1-101"), ("咨询", "其他", "1-1-102")):
        added = frontdesk(
            *("ticket", "add", "--kind", kind, "--category", category, "--description", "夜间施工"),
            *("--room", room, *db),
        )
        assert added.returncode == 0, added.stderr
    rows = json.loads(frontdesk("tickets", "--open", "--json", *db).stdout)
    assert {r["kind"] for r in rows} >= {"投诉", "咨询"} and all(
        r["status"] != "已关闭" for r in rows
    )
    complaints = json.loads(frontdesk("tickets", "--kind", "投诉", "--json", *db).stdout)
    assert complaints and {r["kind"] for r in complaints} == {"投诉"}
    mine = json.loads(frontdesk("tickets", "--room", "1-1-102", "--json", *db).stdout)
    assert mine and {r["where"] for r in mine} == {"1-1-102"}
    # three days on the complaint is past its 24-hour promise; the enquiry too
    later = clock.parse_instant(SET_NOW) + timedelta(days=3)
    monkeypatch.setenv("FRONTDESK_NOW", later.isoformat())
    overdue = json.loads(frontdesk("tickets", "--overdue", "--json", *db).stdout)
    assert {"投诉", "咨询"} <= {r["kind"] for r in overdue} and all(r["overdue"] for r in overdue)
    assert all(r["remaining_minutes"] < 0 for r in overdue)
    text = frontdesk("tickets", "--open", *db).stdout
    assert text.strip().splitlines()[-1].startswith("共 ")
    wrong = frontdesk("tickets", "--kind", "维修", *db)
    assert wrong.returncode == 2 and "类型应为" in wrong.stderr


def test_tickets_need_a_person_signed_in(frontdesk: Run, desk_db: Path) -> None:
    result = frontdesk("tickets", "--db", str(desk_db), user=None, password=None)
    assert result.returncode == 2 and "--user" in result.stderr
