"""今日工作: each role's lines on a small community, every count checked by hand; a
butler counts his own building only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from frontdesk.domain import clock
from frontdesk.domain.arrears import Channel as ReminderChannel
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.domain.service_desk import Channel, Kind, Urgency
from frontdesk.services import service_desk as desk
from frontdesk.services.arrears import listing as arrears
from frontdesk.services.database import Database
from frontdesk.services.households import butler_contacts, structure
from frontdesk.services.households import file as households
from frontdesk.services.movein import defects
from frontdesk.services.service_desk import OrderInput
from frontdesk.services.today import Lead, Severity, today_work
from frontdesk.services.visitors import register

MakeUser = Callable[..., Actor]


@dataclass(frozen=True)
class Town:
    mine: int  # 1-1-101, in the butler's building
    other: int  # 2-1-101
    butler: Actor


@pytest.fixture
def town(db: Database, admin: Actor, make_user: MakeUser) -> Town:
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    two = structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 2, 1, 2, "89.50"))
    rooms = {}
    for building in (one, two):
        ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
        rooms.update({row.code: row.id for row in structure.room_rows(db, admin, ids)})
    butler = make_user(Role.BUTLER)
    households.assign_butler(db, admin, one.id, butler.user_id)
    return Town(rooms["1-1-101"], rooms["2-1-101"], butler)


def _order(db: Database, actor: Actor, room_id: int) -> int:
    data = OrderInput(
        kind=Kind.REPAIR_HOME,
        channel=Channel.PHONE,
        category_id=desk.category_id(db, "水电"),
        description="厨房水龙头漏水",
        urgency=Urgency.URGENT,
        room_id=room_id,
        caller_name="张三",
        caller_phone="138 1234 5678",
    )
    return desk.take_order(db, actor, data).order_id


def _lines(db: Database, actor: Actor, now: datetime | None = None) -> dict[str, tuple[int, str]]:
    work = today_work(db, actor, now)
    return {line.key: (line.count, line.severity) for line in work.lines}


def test_an_empty_community_has_nothing_to_do_but_a_backup(
    db: Database, admin: Actor, make_user: MakeUser
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    work = today_work(db, supervisor)
    assert work.day == clock.today()
    alarms = [line.key for line in work.lines if line.severity != Severity.NORMAL]
    assert alarms == ["backup"]  # never backed up
    assert work.line("backup").text == "从未备份，请立即备份"  # type: ignore[union-attr]
    assert work.line("backup").lead == Lead("settings", "备份与恢复")  # type: ignore[union-attr]
    assert all(line.count == 0 for line in work.lines if line.key != "backup")


def test_each_role_has_its_own_lines_in_its_order(db: Database, make_user: MakeUser) -> None:
    keys = {
        role: [line.key for line in today_work(db, make_user(role)).lines]
        for role in (Role.CLERK, Role.CASHIER, Role.BUTLER, Role.SUPERVISOR)
    }
    assert keys[Role.CASHIER] == ["cash_shift", "promises_today", "notices_undelivered"]
    assert keys[Role.CLERK][:3] == ["orders_overdue", "orders_due_soon", "callbacks_due"]
    assert "cash_shift" not in keys[Role.CLERK] and "backup" not in keys[Role.CLERK]
    assert "complaints_overdue" not in keys[Role.BUTLER]
    assert {"care_due", "contact_quota"} <= set(keys[Role.BUTLER])
    assert "visitors_inside" not in keys[Role.BUTLER]  # the gate is the clerks'
    assert keys[Role.SUPERVISOR][0] == "complaints_overdue"
    assert keys[Role.SUPERVISOR][-2:] == ["cash_shift", "backup"]


def test_late_orders_defects_promises_and_visitors_counted_by_hand(
    db: Database, admin: Actor, make_user: MakeUser, town: Town
) -> None:
    clerk = make_user(Role.CLERK)
    supervisor = make_user(Role.SUPERVISOR)
    cashier = make_user(Role.CASHIER)
    today = clock.today()
    for room in (town.mine, town.other, town.other):
        _order(db, admin, room)
    late = clock.utc_now() + timedelta(days=3)  # an urgent repair is long overdue by then
    assert _lines(db, clerk, late)["orders_overdue"] == (3, Severity.ALARM)
    assert _lines(db, town.butler, late)["orders_overdue"] == (1, Severity.ALARM)
    assert _lines(db, clerk)["orders_overdue"] == (0, Severity.NORMAL)

    found = today - timedelta(days=10)
    for room, deadline in ((town.mine, today - timedelta(days=1)), (town.other, today)):
        data = defects.DefectInput("厨房", "防水", "墙角渗水", "施工单位", found, deadline)
        defects.add_defect(db, admin, room, data)
    # Only the one past its deadline; the one due today is not late yet.
    assert _lines(db, supervisor)["defects_overdue"] == (1, Severity.WARN)
    assert _lines(db, town.butler)["defects_overdue"] == (1, Severity.WARN)

    promise = arrears.ReminderInput(town.other, ReminderChannel.PHONE, "答应付款", today)
    arrears.log_reminder(db, admin, promise)
    later = arrears.ReminderInput(town.mine, ReminderChannel.PHONE, "答应付款", today)
    arrears.log_reminder(db, admin, later)
    # A later reminder without a promise replaces the earlier one's.
    arrears.log_reminder(db, admin, arrears.ReminderInput(town.mine, ReminderChannel.PHONE, "未接"))
    assert _lines(db, cashier)["promises_today"] == (1, Severity.WARN)
    assert _lines(db, town.butler)["promises_today"] == (0, Severity.NORMAL)

    register.register_visit(
        db, clerk, register.VisitInput(town.mine, "王五", "13900001111", confirmed_by="业主")
    )
    register.register_visit(
        db,
        clerk,
        register.VisitInput(town.other, "赵六", "13900002222", confirmed_by="业主", party_size=3),
    )
    work = today_work(db, clerk)
    inside = work.line("visitors_inside")
    assert inside is not None and inside.count == 2 and inside.text == "在场访客 2 批 4 人"
    assert inside.lead == Lead("visitors", "在场访客")
    assert work.line("visitors_overstaying").count == 0  # type: ignore[union-attr]
    next_day = clock.utc_now() + timedelta(days=1)
    assert _lines(db, clerk, next_day)["visitors_overstaying"] == (2, Severity.WARN)


def test_the_cashier_sees_no_open_shift_before_taking_money(
    db: Database, make_user: MakeUser
) -> None:
    line = today_work(db, make_user(Role.CASHIER)).line("cash_shift")
    assert line is not None and (line.count, line.text) == (0, "本班尚无收款")
    assert line.lead == Lead("cashier", "交班日结")


def test_a_butler_with_no_homes_lived_in_has_met_the_quota(
    db: Database, town: Town, make_user: MakeUser
) -> None:
    line = today_work(db, town.butler).line("contact_quota")
    assert line is not None and line.count == 0
    assert line.text == "本月已联系 0/0 户，已达标（10%）"
    assert line.lead == Lead("reports", "管家工作")


def test_the_contact_quota_is_a_tenth_of_the_lived_in_homes_rounded_up(
    db: Database, admin: Actor, make_user: MakeUser
) -> None:
    """管家责任制: a butler reaches 10% of the lived-in homes of his buildings each month."""
    three = structure.create_building(
        db, admin, structure.NewBuilding("3", "3栋", 6, 1, 2, "89.50")
    )
    rooms = structure.room_ids(db, admin, structure.RoomFilter(building_id=three.id))
    assert len(rooms) == 12
    for room in rooms:  # 11 lived in, the last one 空置 (not lived in)
        status = RoomStatus.VACANT if room == rooms[-1] else RoomStatus.OCCUPIED
        change = structure.RoomChange("89.50", RoomType.RESIDENCE, status, date(2020, 5, 1))
        structure.update_room(db, admin, room, change)
    butler = make_user(Role.BUTLER)
    households.assign_butler(db, admin, three.id, butler.user_id)
    make_user(Role.BUTLER, "butler2")  # no building: no quota, not counted below target
    supervisor = make_user(Role.SUPERVISOR)
    today = clock.today()
    last_month = today.replace(day=1) - timedelta(days=1)

    def contact(room: int, day: date) -> None:
        data = butler_contacts.ContactInput(day, "电话", "日常回访")
        butler_contacts.record_contact(db, butler, room, data)

    # 10% of 11 homes is 1.1: 2 homes. This month: one home twice and the empty one (not a
    # home lived in); last month's contact is not this month's. Reached: 1 of 11.
    contact(rooms[0], today)
    contact(rooms[0], today)
    contact(rooms[-1], today)
    contact(rooms[1], last_month)
    line = today_work(db, butler).line("contact_quota")
    assert line is not None
    assert (line.count, line.severity) == (1, Severity.WARN)
    assert line.text == "本月已联系 1/11 户，达标（10%）还差 1 户"
    boss = today_work(db, supervisor).line("contact_quota")
    assert boss is not None and (boss.count, boss.text) == (1, "本月联系未达标（10%）的管家 1 位")
    # a second home reached: 2 of 11, the quota met
    contact(rooms[1], today)
    line = today_work(db, butler).line("contact_quota")
    assert line is not None
    assert (line.count, line.severity) == (0, Severity.NORMAL)
    assert line.text == "本月已联系 2/11 户，已达标（10%）"
    boss = today_work(db, supervisor).line("contact_quota")
    assert boss is not None and (boss.count, boss.text) == (0, "本月联系未达标（10%）的管家 0 位")
