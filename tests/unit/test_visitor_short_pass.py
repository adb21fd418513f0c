"""Signing a visitor out by the last four digits of a pass issued today (issue 20,
section 2): taken when no other pass still inside ends so; two are named, not guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.domain.visitors import VisitState, pass_tail
from frontdesk.errors import NotFound, UserError, ValidationError
from frontdesk.services.households import structure
from frontdesk.services.visitors.register import VisitInput, inside_now, register_visit, sign_out

# 2026-11-25 10:00 in Beijing; the zone is pinned so "today" is a Beijing day.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
YESTERDAY = NOW - timedelta(days=1)


@pytest.fixture(autouse=True)
def _beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    yield
    monkeypatch.delenv("TZ")
    time_module.tzset()


@pytest.fixture
def gate(db, admin) -> None:
    """Yesterday FK2611240001 and FK2611240002, still inside; today FK2611250001 … 0003."""
    building = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 2, 1, 2, "89.50")
    )
    room = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))[0]
    for at, name in ((YESTERDAY, "赵一"), (YESTERDAY, "钱二")):
        register_visit(db, admin, visit(room, name), now=at)
    for name in ("孙三", "李四", "周五"):
        register_visit(db, admin, visit(room, name), now=NOW)


def visit(room: int, name: str) -> VisitInput:
    return VisitInput(
        room_id=room, visitor_name=name, visitor_phone="13912345678", confirmed_by="业主 张三"
    )


def inside(db, admin) -> list[str]:
    return sorted(r.number for r in inside_now(db, admin, NOW).rows)


LATER = NOW + timedelta(hours=1)


@pytest.mark.parametrize("typed", ["0003", " 0003 ", "00 03", "00-03"])
def test_the_last_four_digits_sign_out_todays_pass(db, admin, gate, typed) -> None:
    row = sign_out(db, admin, typed, now=LATER)
    assert (row.number, row.visitor, row.state) == ("FK2611250003", "周五", VisitState.LEFT)
    assert "FK2611250003" not in inside(db, admin)


def test_two_passes_inside_with_those_digits_are_named_and_neither_signed_out(
    db, admin, gate
) -> None:
    with pytest.raises(UserError) as caught:
        sign_out(db, admin, "0001", now=LATER)
    message = caught.value.message
    assert message.startswith("尾号 0001 有 2 张访客单未签离：")
    assert "FK2611250001 孙三（3-1-101）" in message and "FK2611240001 赵一（3-1-101）" in message
    assert "请输入完整单号签离" in message
    assert len(inside(db, admin)) == 5
    # the whole number still works; then the digits are unambiguous
    sign_out(db, admin, "FK2611240001", now=LATER)
    assert sign_out(db, admin, "0001", now=LATER).number == "FK2611250001"


def test_digits_only_yesterdays_pass_still_inside_has_need_the_whole_number(
    db, admin, gate
) -> None:
    sign_out(db, admin, "fk2611250002", now=LATER)  # scanner input as before
    with pytest.raises(UserError, match="只对应 11-24 登记的访客单 FK2611240002 钱二"):
        sign_out(db, admin, "0002", now=LATER)
    assert "FK2611240002" in inside(db, admin)


def test_digits_of_a_pass_already_out_or_never_issued(db, admin, gate) -> None:
    sign_out(db, admin, "0003", now=LATER)
    with pytest.raises(UserError, match="访客单 FK2611250003 已于 11-25 11:00 签离"):
        sign_out(db, admin, "0003", now=LATER)
    with pytest.raises(NotFound, match="今天没有尾号为 0009 的访客单"):
        sign_out(db, admin, "0009", now=LATER)
    for typed in ("003", "00003", "FK0003"):
        with pytest.raises(ValidationError, match="访客单号"):
            sign_out(db, admin, typed, now=LATER)


@pytest.mark.parametrize(
    ("typed", "tail"),
    [("0003", "0003"), (" 12 34", "1234"), ("003", None), ("FK2611250003", None), ("٠١٢٣", None)],
)
def test_pass_tail(typed: str, tail: str | None) -> None:
    assert pass_tail(typed) == tail
