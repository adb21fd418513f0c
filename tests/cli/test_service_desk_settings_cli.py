"""`frontdesk ticket add --appointment`, and the desk's staff register and categories
from the command line (`ticket staff|staff-add|staff-edit|staff-duty|categories|
category`), with the screen's rules: supervisors edit, the desk sends people on and
off duty."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
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


def test_an_in_home_repair_is_booked_for_a_slot(frontdesk: Run, desk_db: Path) -> None:
    db = ("--db", str(desk_db))
    tomorrow = clock.parse_instant(SET_NOW).astimezone() + timedelta(days=1)
    slot = f"{tomorrow:%Y-%m-%d} 14:00-16:00"
    repair = ("ticket", "add", "--kind", "户内报修", "--category", "水电", "--room", "1-1-101")
    added = frontdesk(*repair, "--description", "热水器漏水", "--appointment", slot, "--json", *db)
    assert added.returncode == 0, added.stderr
    number = json.loads(added.stdout)["number"]
    shown = json.loads(frontdesk("ticket", "show", number, "--json", *db).stdout)
    start, end = (datetime.fromisoformat(shown["appointment"][e]) for e in ("from", "to"))
    assert (start.astimezone().date(), start.astimezone().hour, end.astimezone().hour) == (
        tomorrow.date(),
        14,
        16,
    )
    assert datetime.fromisoformat(shown["due_at"]) == end  # arrival is due by the slot's end
    assert f"预约：{slot}" in frontdesk("ticket", "show", number, *db).stdout

    for typed, problem in (
        ("明天下午", "预约时段：“明天下午”看不懂"),
        (f"{tomorrow:%m-%d} 16:00-14:00", "预约时段：结束应晚于开始"),
        (f"{tomorrow:%m-%d} 25:00-26:00", "预约时段：“"),
    ):
        refused = frontdesk(*repair, "--description", "又漏了", "--appointment", typed, *db)
        assert refused.returncode == 1 and problem in refused.stderr, refused.stderr
    complaint = frontdesk(
        *("ticket", "add", "--kind", "投诉", "--category", "噪音", "--room", "1-1-101"),
        *("--description", "吵", "--appointment", slot, *db),
    )
    assert complaint.returncode == 1 and "预约时段：只有户内报修" in complaint.stderr


def test_the_staff_register(frontdesk: Run, desk_db: Path) -> None:
    db = ("--db", str(desk_db))

    def staff(*options: str) -> list[dict[str, object]]:
        listed = frontdesk("ticket", "staff", "--json", *options, *db)
        assert listed.returncode == 0, listed.stderr
        return list(json.loads(listed.stdout))

    assert "赵师傅" not in {s["name"] for s in staff()}
    added = frontdesk(
        "ticket", "staff-add", "赵师傅", "--team", "工程", "--phone", "139 0000 2222", *db
    )
    assert added.returncode == 0, added.stderr
    (zhao,) = [s for s in staff("--team", "工程") if s["name"] == "赵师傅"]
    assert zhao == {
        "name": "赵师傅",
        "team": "工程",
        "phone": "13900002222",
        "on_duty": True,
        "linked_user": False,
        "note": "",
    }
    # a clerk sends him off duty, but may not change the register
    off = frontdesk("ticket", "staff-duty", "赵师傅", "下班", *db, user="qiantai")
    assert off.returncode == 0 and "赵师傅：下班" in off.stdout
    assert "赵师傅" not in {s["name"] for s in staff("--on-duty")}
    refused = frontdesk("ticket", "staff-edit", "赵师傅", "--note", "电工", *db, user="qiantai")
    assert refused.returncode == 1 and "无权" in refused.stderr
    edited = frontdesk(
        *("ticket", "staff-edit", "赵师傅", "--rename", "赵建国", "--note", "电工"),
        *("--account", "guanjia", *db),
    )
    assert edited.returncode == 0, edited.stderr
    (zhao,) = [s for s in staff() if s["name"] == "赵建国"]
    assert (zhao["phone"], zhao["on_duty"], zhao["note"], zhao["linked_user"]) == (
        "13900002222",
        False,
        "电工",
        True,
    )
    assert frontdesk("ticket", "staff-edit", "赵建国", "--left", *db).returncode == 0
    assert "赵建国" not in {s["name"] for s in staff()}
    for args, problem in (
        (("staff-duty", "赵建国", "上班"), "姓名：人员名单中没有“赵建国”"),
        (("staff-add", "钱师傅", "--team", "工程", "--phone", "12345"), "电话："),
        (("staff-add", "钱师傅", "--team", "工程", "--account", "nobody"), "对应用户："),
    ):
        result = frontdesk("ticket", *args, *db)
        assert result.returncode == 1 and problem in result.stderr, result.stderr
    wrong_team = frontdesk("ticket", "staff-add", "钱师傅", "--team", "厨房", *db)
    assert wrong_team.returncode == 2 and "班组应为" in wrong_team.stderr


def test_categories_and_their_promises(frontdesk: Run, desk_db: Path) -> None:
    db = ("--db", str(desk_db))

    def category(name: str, *, everything: bool = False) -> dict[str, object]:
        listed = frontdesk(
            "ticket", "categories", "--json", *(["--all"] if everything else []), *db
        )
        return next(c for c in json.loads(listed.stdout) if c["name"] == name)

    water = category("水电")
    assert (water["team"], water["urgent_arrive_minutes"], water["finish_minutes"]) == (
        "工程",
        30,
        24 * 60,
    )
    changed = frontdesk(
        "ticket", "category", "水电", "--urgent-arrive", "20分钟", "--finish", "2天", *db
    )
    assert changed.returncode == 0 and "紧急：到场 20 分" in changed.stdout, changed.stderr
    water = category("水电")
    assert (water["urgent_arrive_minutes"], water["finish_minutes"], water["arrive_minutes"]) == (
        20,
        2 * 24 * 60,
        120,  # what was not given stays
    )
    taken = frontdesk(
        *("ticket", "add", "--kind", "户内报修", "--category", "水电", "--room", "1-1-101"),
        *("--description", "水管爆裂", "--urgent", "--json", *db),
    )
    number = json.loads(taken.stdout)["number"]
    shown = json.loads(frontdesk("ticket", "show", number, "--json", *db).stdout)
    due = datetime.fromisoformat(shown["due_at"]) - datetime.fromisoformat(shown["taken_at"])
    assert due == timedelta(minutes=20)  # the new promise holds for orders taken after it

    added = frontdesk("ticket", "category", "外墙渗水", "--team", "工程", "--finish", "3d", *db)
    assert added.returncode == 0 and "已新增类别 外墙渗水" in added.stdout
    assert frontdesk("ticket", "category", "外墙渗水", "--inactive", *db).returncode == 0
    assert category("外墙渗水", everything=True)["active"] is False
    assert "外墙渗水" not in frontdesk("ticket", "categories", *db).stdout
    for args, problem, user in (
        (("category", "新类别"), "班组：新增类别“新类别”须写 --team", "admin"),
        (("category", "水电", "--arrive", "2周"), "到场时限：“2周”应为时长", "admin"),
        (("category", "水电", "--arrive", "3天"), "到场时限：不能长于完工时限", "admin"),
        (("category", "水电", "--arrive", "60"), "无权", "qiantai"),
    ):
        result = frontdesk("ticket", *args, *db, user=user)
        assert result.returncode == 1 and problem in result.stderr, result.stderr
