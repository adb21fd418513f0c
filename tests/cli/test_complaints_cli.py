"""Complaints from the command line: taken with department, person and deadline, on the
supervisors' list once overdue (and in `tickets --overdue`), 督办 with a new deadline,
answered, and an anonymous one closed with its reason."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk.domain import clock
from tests.cli.conftest import Run, copy_of
from tests.conftest import SET_NOW


@pytest.fixture
def desk_db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite"
    path = copy_of(demo_db, path)
    return path


def test_a_complaint_from_intake_through_escalation_to_its_reply(
    frontdesk: Run, desk_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ("--db", str(desk_db))
    now = clock.parse_instant(SET_NOW)

    def ticket(*args: str, user: str = "admin") -> str:
        result = frontdesk("ticket", *args, *db, user=user)
        assert result.returncode == 0, result.stderr
        return result.stdout

    deadline = (now + timedelta(hours=2)).replace(tzinfo=None).isoformat(timespec="minutes")
    added = ticket(
        *("add", "--kind", "投诉", "--category", "噪音", "--description", "楼上深夜装修"),
        *("--room", "1-1-101", "--phone", "13812345678", "--department", "秩序"),
        *("--handler", "郑勇", "--deadline", deadline, "--json"),
    )
    number = json.loads(added)["number"]
    before = {e["number"] for e in json.loads(ticket("escalations", "--json"))}
    assert number not in before
    refused = frontdesk(
        "ticket", "add", "--kind", "投诉", "--category", "噪音", "--description", "又吵",
        "--room", "1-1-101", "--deadline", deadline, *db, user="qiantai",
    )  # fmt: skip
    assert refused.returncode == 1 and "只有主管" in refused.stderr

    monkeypatch.setenv("FRONTDESK_NOW", (now + timedelta(hours=3)).isoformat())
    listed = {e["number"]: e for e in json.loads(ticket("escalations", "--json"))}
    late = listed[number]
    assert late["handler"] == "郑勇" and late["department"] == "秩序"
    assert 55 <= late["late_minutes"] <= 61 and not late["supervised"]
    overdue = json.loads(frontdesk("tickets", "--overdue", "--json", *db).stdout)
    assert number in {r["number"] for r in overdue}
    assert "待督办" in ticket("escalations")

    no = frontdesk("ticket", "supervise", number, "--note", "快", *db, user="qiantai")
    assert no.returncode == 1 and "无权" in no.stderr
    later = (now + timedelta(hours=8)).replace(tzinfo=None).isoformat(timespec="minutes")
    out = ticket(
        *("supervise", number, "--note", "已督促秩序部", "--department", "客服"),
        *("--deadline", later, "--reason", "需协调施工方"),
    )
    assert f"{number}：已派单，责任人 客服，期限" in out
    assert number not in {e["number"] for e in json.loads(ticket("escalations", "--json"))}
    assert "已答复（高晓文" in ticket(
        "reply", number, "--text", "已与施工方约定白天施工", "--by", "高晓文"
    )
    shown = json.loads(ticket("show", number, "--json"))
    assert [e["step"] for e in shown["events"]] == [
        "受理", "改期限", "派单", "督办", "转单", "改期限", "答复",
    ]  # fmt: skip
    handled = shown["complaint"]
    assert handled["department"] == "客服" and handled["reply"] == "已与施工方约定白天施工"
    assert handled["replied_by"] == "高晓文" and handled["supervised_by"]
    assert "答复：已与施工方约定白天施工（高晓文" in ticket("show", number)
    closing = frontdesk("ticket", "close", number, *db)
    assert closing.returncode == 1 and "不能关闭：投诉须回访后关闭" in closing.stderr


def test_an_anonymous_complaint_is_closed_without_a_callback(frontdesk: Run, desk_db: Path) -> None:
    db = ("--db", str(desk_db))

    def ticket(*args: str) -> str:
        result = frontdesk("ticket", *args, *db)
        assert result.returncode == 0, result.stderr
        return result.stdout

    named = frontdesk(
        "ticket", "add", "--kind", "投诉", "--category", "停车", "--description", "乱停车",
        "--anonymous", "--phone", "13812345678", *db,
    )  # fmt: skip
    assert named.returncode == 1 and "匿名工单不记录联系人" in named.stderr
    added = ticket(
        *("add", "--kind", "投诉", "--category", "停车", "--description", "消防通道常被占"),
        *("--anonymous", "--building", "1", "--department", "秩序", "--json"),
    )
    number = json.loads(added)["number"]
    ticket("reply", number, "--text", "已加强巡查并张贴告示")
    refused = frontdesk("ticket", "callback", number, "--failed", *db)
    assert refused.returncode == 1 and "无法回访" in refused.stderr
    assert "已关闭" in ticket("close", number)
    shown = json.loads(ticket("show", number, "--json"))
    assert shown["events"][-1]["note"] == "匿名投诉，无法回访" and shown["caller"] == ""
