"""钥匙托管: taking a key in on the owner's authorisation, lending it and taking it
back, overdue keys, handing it back to the owner, the register's retention, its
home-screen lines and its part of the shift handover."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.db.models import AuditEntry, KeyLending
from frontdesk.domain.key_custody import KeyScope, KeyState, parse_scopes, parse_tag
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import NotFound, PermissionDenied, UserError, ValidationError
from frontdesk.services import key_custody as keys
from frontdesk.services.database import Database
from frontdesk.services.households import structure

# 2026-11-25 10:00 in Beijing.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


@pytest.fixture
def rooms(db: Database, admin: Actor) -> list[int]:
    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 2, 1, 2, "89.50")
    )
    return structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))


@pytest.fixture
def clerk(make_user: Callable[[Role], Actor]) -> Actor:
    return make_user(Role.CLERK)


def held(room: int, **changes: object) -> keys.KeyInput:
    values: dict[str, object] = {
        "room_id": room,
        "description": "入户门钥匙 2 把",
        "authorised_by": "张三",
        "scopes": frozenset({KeyScope.RENOVATION, KeyScope.REPAIR}),
        "authorised_on": TODAY - timedelta(days=3),
        "expires_on": TODAY + timedelta(days=60),
        "cabinet_slot": "A-12",
    }
    values.update(changes)
    return keys.KeyInput(**values)  # type: ignore[arg-type]


def lending(tag: str, **changes: object) -> keys.LendInput:
    values: dict[str, object] = {
        "tag": tag,
        "borrower": "李师傅",
        "borrower_phone": "139 1234 5678",
        "scope": KeyScope.REPAIR,
        "borrower_company": "维修班",
    }
    values.update(changes)
    return keys.LendInput(**values)  # type: ignore[arg-type]


def lendings_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(KeyLending)) or 0


def test_tags_are_typed_loosely_and_never_show_the_room() -> None:
    assert parse_tag("k42") == parse_tag(" K-0042 ") == parse_tag("42") == "K-0042"
    with pytest.raises(ValidationError, match="钥匙编号"):
        parse_tag("3-2-1201")
    assert parse_scopes("维修、装修") == {KeyScope.REPAIR, KeyScope.RENOVATION}
    with pytest.raises(ValidationError, match="授权范围"):
        parse_scopes("保洁")


def test_a_key_taken_in_gets_the_next_tag_and_sits_in_the_cabinet(db, clerk, rooms) -> None:
    first = keys.receive_key(db, clerk, held(rooms[0]), now=NOW)
    second = keys.receive_key(db, clerk, held(rooms[1]), now=NOW)
    assert (first.tag, second.tag) == ("K-0001", "K-0002")
    assert first.state == KeyState.HELD
    assert first.scopes == "装修、维修"
    assert first.room_code not in first.tag
    assert [r.tag for r in keys.list_keys(db, clerk, now=NOW)] == ["K-0001", "K-0002"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scopes": frozenset()}, "授权范围"),
        ({"expires_on": TODAY - timedelta(days=1)}, "授权截止"),
        ({"authorised_on": TODAY + timedelta(days=1)}, "授权日期"),
        ({"authorised_by": " "}, "授权人"),
        ({"description": ""}, "钥匙说明"),
        ({"scan": Path("/no/such/scan.pdf")}, "授权书扫描件"),
    ],
)
def test_bad_authorisations_are_refused_and_nothing_is_kept(
    db, clerk, rooms, changes, field
) -> None:
    with pytest.raises(ValidationError) as raised:
        keys.receive_key(db, clerk, held(rooms[0], **changes), now=NOW)
    assert raised.value.field == field
    assert keys.list_keys(db, clerk, now=NOW) == []


def test_the_scan_is_stored_and_its_opening_audited(db, clerk, rooms, tmp_path) -> None:
    scan = tmp_path / "授权书.jpg"
    scan.write_bytes(b"\xff\xd8 a scan")
    row = keys.receive_key(db, clerk, held(rooms[0], scan=scan), now=NOW)
    assert row.has_scan
    assert keys.scan_file(db, clerk, row.id).read_bytes() == b"\xff\xd8 a scan"
    with db.read() as session:
        summaries = list(session.scalars(select(AuditEntry.summary)))
    assert "查看钥匙 K-0001 的授权书扫描件" in summaries


def test_a_key_lent_out_cannot_be_lent_again_until_it_is_back(db, clerk, rooms) -> None:
    tag = keys.receive_key(db, clerk, held(rooms[0]), now=NOW).tag
    out = keys.lend_key(db, clerk, lending("k1"), now=NOW)
    assert (out.tag, out.phone, out.overdue) == ("K-0001", "139****5678", False)
    assert out.due_back_at == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # 18:00 Beijing
    assert keys.find_key(db, clerk, tag, NOW).state == KeyState.OUT
    with pytest.raises(UserError, match="已于 11-25 10:00 借给 李师傅（维修），尚未归还"):
        keys.lend_key(db, clerk, lending(tag, borrower="王五"), now=NOW + timedelta(hours=1))
    assert lendings_count(db) == 1
    back = keys.return_key(db, clerk, tag, now=NOW + timedelta(hours=2))
    assert back.returned_at == NOW + timedelta(hours=2)
    assert keys.find_key(db, clerk, tag, NOW).state == KeyState.HELD
    with pytest.raises(UserError, match="没有借出"):
        keys.return_key(db, clerk, tag, now=NOW + timedelta(hours=3))
    assert keys.lend_key(db, clerk, lending(tag), now=NOW + timedelta(hours=3)).borrower == "李师傅"


def test_a_lending_stays_within_the_owners_authorisation(db, clerk, rooms) -> None:
    tag = keys.receive_key(db, clerk, held(rooms[0]), now=NOW).tag
    with pytest.raises(ValidationError, match="只授权用于装修、维修，不含“看房”"):
        keys.lend_key(db, clerk, lending(tag, scope=KeyScope.VIEWING), now=NOW)
    with pytest.raises(ValidationError, match="应还时间"):
        keys.lend_key(db, clerk, lending(tag, due_back_at=NOW - timedelta(minutes=1)), now=NOW)
    with pytest.raises(ValidationError, match="借用人电话"):
        keys.lend_key(db, clerk, lending(tag, borrower_phone=""), now=NOW)
    with pytest.raises(NotFound, match="K-0099"):
        keys.lend_key(db, clerk, lending("99"), now=NOW)
    later = NOW + timedelta(days=61)
    with pytest.raises(UserError, match="授权已于 2027-01-24 到期"):
        keys.lend_key(db, clerk, lending(tag, due_back_at=later + timedelta(hours=1)), now=later)
    assert keys.find_key(db, clerk, tag, later).state == KeyState.LAPSED
    assert lendings_count(db) == 0


def test_an_overdue_key_is_listed_red_on_the_home_screen_and_in_the_handover(
    db, clerk, rooms
) -> None:
    first = keys.receive_key(db, clerk, held(rooms[0]), now=NOW).tag
    second = keys.receive_key(db, clerk, held(rooms[1]), now=NOW).tag
    keys.lend_key(db, clerk, lending(first, due_back_at=NOW + timedelta(hours=1)), now=NOW)
    keys.lend_key(db, clerk, lending(second, borrower="赵六"), now=NOW)
    later = NOW + timedelta(hours=2)
    assert keys.find_key(db, clerk, first, later).state == KeyState.OVERDUE
    assert [r.overdue for r in keys.keys_out(db, clerk, later)] == [True, False]
    lines = {line.key: line for line in keys.today_lines(db, clerk, later)}
    assert (lines["keys_out"].count, lines["keys_overdue"].count) == (2, 1)
    assert lines["keys_overdue"].severity == "alarm"
    assert lines["keys_out"].lead.tab == "钥匙托管"
    item = keys.handover_item(db, clerk, later)
    assert (item.register, item.count) == ("钥匙托管", 2)
    assert item.text == "借出钥匙 2 把，其中逾期 1 把"
    assert item.details[0].startswith("K-0001 ") and item.details[0].endswith("已逾期")


def test_a_key_goes_back_to_the_owner_once_and_only_when_in_the_cabinet(db, clerk, rooms) -> None:
    tag = keys.receive_key(db, clerk, held(rooms[0]), now=NOW).tag
    keys.lend_key(db, clerk, lending(tag), now=NOW)
    with pytest.raises(UserError, match="尚未归还，请先登记归还"):
        keys.release_key(db, clerk, tag, "张三", now=NOW)
    keys.return_key(db, clerk, tag, now=NOW + timedelta(hours=1))
    row = keys.release_key(db, clerk, tag, "张三", now=NOW + timedelta(hours=2))
    assert (row.state, row.released_to) == (KeyState.RELEASED, "张三")
    with pytest.raises(UserError, match="退还 张三"):
        keys.release_key(db, clerk, tag, "张三", now=NOW + timedelta(hours=3))
    with pytest.raises(UserError, match="已于 2026-11-25 退还业主"):
        keys.lend_key(db, clerk, lending(tag), now=NOW + timedelta(hours=3))
    assert keys.list_keys(db, clerk, now=NOW) == []
    assert [r.tag for r in keys.list_keys(db, clerk, include_released=True, now=NOW)] == [tag]
    half_a_year = NOW + timedelta(days=190)
    assert keys.list_keys(db, clerk, include_released=True, now=half_a_year) == []
    assert keys.find_key(db, clerk, tag, half_a_year).state == KeyState.RELEASED


def test_a_borrowers_details_never_enter_the_audit_log(db, clerk, rooms) -> None:
    tag = keys.receive_key(db, clerk, held(rooms[0]), now=NOW).tag
    keys.lend_key(db, clerk, lending(tag, note="带梯子"), now=NOW)
    with db.read() as session:
        logged = " ".join(f"{e.summary} {e.changes}" for e in session.scalars(select(AuditEntry)))
    assert "K-0001" in logged
    assert "李师傅" not in logged and "5678" not in logged and "带梯子" not in logged


def test_a_butler_sees_and_lends_the_keys_of_their_own_buildings_only(
    db, admin, clerk, rooms, make_user
) -> None:
    butler = make_user(Role.BUTLER)
    tag = keys.receive_key(db, clerk, held(rooms[0]), now=NOW).tag
    assert keys.list_keys(db, butler, now=NOW) == []
    with pytest.raises(PermissionDenied):
        keys.lend_key(db, butler, lending(tag), now=NOW)
    cashier = make_user(Role.CASHIER)
    with pytest.raises(PermissionDenied):
        keys.list_keys(db, cashier, now=NOW)


def test_retention_erases_borrowers_and_released_keys_after_the_period(
    db, admin, clerk, rooms, tmp_path
) -> None:
    scan = tmp_path / "授权书.pdf"
    scan.write_bytes(b"%PDF scan")
    long_ago = NOW - timedelta(days=400)
    old = keys.receive_key(
        db,
        clerk,
        held(
            rooms[0],
            scan=scan,
            authorised_on=long_ago.date(),
            expires_on=long_ago.date() + timedelta(days=30),
        ),
        now=long_ago,
    ).tag
    keys.lend_key(db, clerk, lending(old), now=long_ago)
    keys.return_key(db, clerk, old, now=long_ago + timedelta(hours=1))
    keys.release_key(db, clerk, old, "张三", now=long_ago + timedelta(days=2))
    recent = keys.receive_key(db, clerk, held(rooms[1]), now=NOW - timedelta(days=2)).tag
    keys.lend_key(db, clerk, lending(recent), now=NOW - timedelta(days=2))
    keys.return_key(db, clerk, recent, now=NOW - timedelta(days=2) + timedelta(hours=1))
    keys.set_key_settings(db, admin, keys.KeySettings(retention_days=365))

    assert keys.purge_personal_data(db, admin, now=NOW, dry_run=True) == 2
    assert keys.key_history(db, clerk, old, NOW)[1][0].borrower == "李师傅"
    assert keys.purge_personal_data(db, admin, now=NOW) == 2
    row, (erased,) = keys.key_history(db, clerk, old, NOW)
    assert (row.released_to, row.has_scan, erased.borrower, erased.phone) == (
        "",
        False,
        "（已按期清除）",
        "",
    )
    assert keys.key_history(db, clerk, recent, NOW)[1][0].borrower == "李师傅"
    assert keys.purge_personal_data(db, admin, now=NOW) == 0
    with db.read() as session:
        purged = select(AuditEntry.summary).where(AuditEntry.action == "purge")
        purges = list(session.scalars(purged))
    assert purges == [
        "清除 1 条钥匙借用记录、1 把已退还钥匙的个人信息和授权书及 0 份钥匙退还确认单、清单存档"
        "（保存期限 365 天）"
    ]
    with pytest.raises(ValidationError, match="保存天数"):
        keys.set_key_settings(db, admin, replace(keys.key_settings(db), retention_days=10))
