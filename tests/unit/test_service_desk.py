"""The service desk's use-cases on a database: intake with its number and repeats, an
order through every step with each one on record, the clocks the board shows, the
callback list, refusals, roles and a butler's buildings, the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from frontdesk.db.models import AuditEntry, WorkOrder, WorkOrderEvent
from frontdesk.domain import clock
from frontdesk.domain.issued import Output
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.service_desk import (
    CategoryPromises,
    Channel,
    Kind,
    Light,
    Stage,
    Status,
    Step,
    Team,
    Urgency,
)
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.printouts.work_order import work_order
from frontdesk.services import service_desk as desk
from frontdesk.services.database import Database
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from frontdesk.services.notices import register
from frontdesk.services.personal.erase import erase_person
from frontdesk.services.personal.export import export_person
from frontdesk.services.personal.rights import RecordKind, find_person
from frontdesk.services.protection.audit_text import value_text
from frontdesk.services.service_desk import CallbackInput, OrderInput

MakeUser = Callable[..., Actor]
START = datetime(2026, 12, 31, 23, 30).astimezone()  # the clocks cross midnight and the year
pytestmark = pytest.mark.clock(START)


@dataclass(frozen=True)
class Estate:
    room: int  # 1-1-101
    other: int  # 2-1-101, another building
    building: int
    other_building: int
    plumber: int
    cleaner: int
    water: int  # the 水电 category
    noise: int
    attitude: int


@pytest.fixture
def estate(db: Database, admin: Actor) -> Estate:
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    two = structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 2, 1, 2, "89.50"))
    rooms = {}
    for building in (one, two):
        ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=building.id))
        rooms.update({row.code: row.id for row in structure.room_rows(db, admin, ids)})
    return Estate(
        room=rooms["1-1-101"],
        other=rooms["2-1-101"],
        building=one.id,
        other_building=two.id,
        plumber=desk.save_staff(
            db, admin, desk.StaffInput("王师傅", Team.ENGINEERING, "13900001111")
        ),
        cleaner=desk.save_staff(db, admin, desk.StaffInput("李阿姨", Team.CLEANING)),
        water=desk.category_id(db, "水电"),
        noise=desk.category_id(db, "噪音"),
        attitude=desk.category_id(db, "服务态度"),
    )


def leak(estate: Estate, **changes: object) -> OrderInput:
    values: dict[str, object] = {
        "kind": Kind.REPAIR_HOME,
        "channel": Channel.PHONE,
        "category_id": estate.water,
        "description": "厨房水龙头漏水",
        "urgency": Urgency.URGENT,
        "room_id": estate.room,
        "caller_name": "张三",
        "caller_phone": "138 1234 5678",
    }
    values.update(changes)
    return OrderInput(**values)  # type: ignore[arg-type]


def at(minutes: float) -> datetime:
    """START plus `minutes`, with the clock set there."""
    instant = START + timedelta(minutes=minutes)
    clock.freeze(instant)
    return instant


def near(instant: datetime | None, expected: datetime) -> bool:
    """The set clock ticks on from where it was set: the same moment within a second."""
    return instant is not None and abs(instant - expected) < timedelta(seconds=1)


def steps(db: Database, order_id: int) -> list[Step]:
    with db.read() as session:
        return list(
            session.scalars(
                select(WorkOrderEvent.step)
                .where(WorkOrderEvent.work_order_id == order_id)
                .order_by(WorkOrderEvent.id)
            )
        )


# intake -------------------------------------------------------------------------------


def test_the_default_categories_carry_the_plans_promises(db: Database) -> None:
    names = [c.name for c in desk.categories(db)]
    assert names[:5] == ["水电", "土建", "门窗", "电梯", "公区照明"] and "装修扰民" in names
    assert desk.categories(db)[0].promises == CategoryPromises()


def test_orders_are_numbered_per_month_without_gaps(
    db: Database, admin: Actor, estate: Estate
) -> None:
    first = desk.take_order(db, admin, leak(estate))
    second = desk.take_order(db, admin, leak(estate, room_id=estate.other))
    assert first.number == "GD-2612-0001" and second.number == "GD-2612-0002"
    at(60)  # 2027-01-01 00:30 local: a new month, a new series
    assert desk.take_order(db, admin, leak(estate)).number == "GD-2701-0001"


def test_a_month_past_9999_orders_counts_on(db: Database, admin: Actor, estate: Estate) -> None:
    first = desk.take_order(db, admin, leak(estate))
    with db.write() as session:
        session.get_one(WorkOrder, first.order_id).number = "GD-2612-9999"
    assert desk.take_order(db, admin, leak(estate)).number == "GD-2612-10000"
    assert desk.take_order(db, admin, leak(estate)).number == "GD-2612-10001"


def test_an_order_is_found_by_its_number_as_typed(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, leak(estate))
    for typed in ("GD-2612-0001", "gd2612-0001", "gd26120001", " Gd-26120001 "):
        assert desk.find_number(db, admin, typed) == order.order_id
    with pytest.raises(UserError, match="GD-2612-0002"):
        desk.find_number(db, admin, "gd2612-0002")
    with pytest.raises(ValidationError, match="工单编号"):
        desk.find_number(db, admin, "2612-0001")
    register.record(db, admin, work_order(db, admin, order.order_id), Output.SAVED)
    found = register.list_issued(db, admin, register.RegisterFilter(text="gd26120001"))
    assert [d.title for d in found] == ["GD-2612-0001 派工单"]


def test_intake_keeps_the_phone_encrypted_and_the_clerk_as_first_owner(
    db: Database, admin: Actor, estate: Estate
) -> None:
    taken = desk.take_order(db, admin, leak(estate))
    facts = desk.order_facts(db, admin, taken.order_id)
    assert facts.caller_phone == "13812345678" and facts.row.taken_by == admin.display_name
    assert facts.row.status == Status.ACCEPTED and facts.row.where == "1-1-101"
    assert facts.arrive_minutes == 30 and facts.finish_minutes == 240
    with db.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT caller_phone FROM work_order").scalar()
        audit = " ".join(connection.exec_driver_sql("SELECT changes FROM audit_log").scalars())
    assert "13812345678" not in str(stored) and "13812345678" not in audit
    assert "张三" not in audit
    assert steps(db, taken.order_id) == [Step.TAKE]


def test_repeats_of_the_room_and_of_the_public_place_are_returned_at_intake(
    db: Database, admin: Actor, estate: Estate
) -> None:
    first = desk.take_order(db, admin, leak(estate))
    again = desk.take_order(db, admin, leak(estate, description="又漏了"))
    assert [r.number for r in again.repeats] == [first.number]
    public = OrderInput(
        Kind.REPAIR_PUBLIC,
        Channel.PATROL,
        estate.water,
        "地下室积水",
        place_building_id=estate.building,
        place="负一层 B区",
    )
    first_public = desk.take_order(db, admin, public)
    assert desk.take_order(db, admin, public).repeats[0].number == first_public.number
    other_category = desk.take_order(
        db, admin, OrderInput(**{**public.__dict__, "category_id": estate.noise})
    )
    assert other_category.repeats == ()
    at(31 * 24 * 60)  # a month later: no longer a repeat
    assert desk.take_order(db, admin, leak(estate)).repeats == ()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "  "}, "问题描述"),
        ({"room_id": None, "caller_phone": ""}, "联系电话"),
        ({"room_id": None}, "报修房屋"),
        ({"caller_phone": "12345"}, "联系电话"),
        ({"anonymous": True}, "匿名"),
        ({"kind": Kind.COMPLAINT, "anonymous": True}, "匿名"),
        ({"kind": Kind.REPAIR_PUBLIC, "room_id": None}, "位置"),
        ({"appointment_from": START}, "预约时段"),
        ({"appointment_from": START, "appointment_to": START}, "预约时段"),
        ({"category_id": 9999}, "类别"),
    ],
)
def test_bad_intake_is_refused_naming_the_field(
    db: Database, admin: Actor, estate: Estate, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        desk.take_order(db, admin, leak(estate, **changes))
    assert refused.value.field == field
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(WorkOrder)) == 0


def test_an_anonymous_complaint_keeps_no_personal_data(
    db: Database, admin: Actor, estate: Estate
) -> None:
    taken = desk.take_order(
        db,
        admin,
        OrderInput(
            Kind.COMPLAINT,
            Channel.PHONE,
            estate.noise,
            "夜间噪音",
            place_building_id=estate.building,
            anonymous=True,
        ),
    )
    facts = desk.order_facts(db, admin, taken.order_id)
    assert (facts.caller_name, facts.caller_phone, facts.row.room_id) == ("", "", None)
    # no one to call back: no callback is owed
    assert facts.anonymous and facts.callback_minutes is None and facts.arrive_minutes is None


# the whole life -----------------------------------------------------------------------


def test_a_repair_through_every_step_with_each_on_record(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, leak(estate)).order_id
    desk.dispatch(db, admin, order, team=Team.ENGINEERING)
    desk.transfer(db, admin, order, "王师傅在附近", staff_id=estate.plumber)
    at(10)
    desk.arrive(db, admin, order)
    desk.pause(db, admin, order, "等配件")
    at(70)
    desk.resume(db, admin, order)
    at(80)
    desk.finish(db, admin, order, "更换阀芯", "阀芯 1 个")
    assert desk.callback_failed(db, admin, order, "无人接听") == 1
    assert desk.callback(db, admin, order, CallbackInput(5, 5, 4, "很及时"))
    desk.close(db, admin, order)
    facts = desk.order_facts(db, admin, order)
    assert facts.row.status == Status.CLOSED and facts.scores == (5, 5, 4) and facts.satisfied
    assert facts.row.staff == "王师傅" and facts.work_done == "更换阀芯"
    assert [e.step for e in facts.events] == [
        Step.TAKE, Step.DISPATCH, Step.TRANSFER, Step.ARRIVE, Step.PAUSE, Step.RESUME,
        Step.FINISH, Step.CALLBACK_FAILED, Step.CALLBACK, Step.CLOSE,
    ]  # fmt: skip
    transfer = facts.events[2]
    assert transfer.staff == "王师傅" and transfer.note == "王师傅在附近"
    assert transfer.done_by == admin.display_name
    with db.read() as session:
        entities = session.scalars(select(AuditEntry.entity)).all()
    assert entities.count("work_order_event") == 10


def test_an_unsatisfied_callback_reopens_the_order_with_a_new_clock(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, leak(estate)).order_id
    desk.dispatch(db, admin, order, staff_id=estate.plumber)
    desk.arrive(db, admin, order)
    desk.finish(db, admin, order, "紧固接头")
    at(24 * 60)
    assert not desk.callback(db, admin, order, CallbackInput(4, 2, 4, "还在滴水"))
    facts = desk.order_facts(db, admin, order)
    assert facts.row.status == Status.ACCEPTED and facts.reopened == 1
    assert facts.row.stage == Stage.ARRIVE and facts.row.light == Light.GREEN
    assert facts.events[-2].scores == (4, 2, 4) and facts.events[-1].step == Step.REOPEN


def test_impossible_steps_are_refused_and_nothing_is_written(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, leak(estate)).order_id
    with pytest.raises(UserError, match="不能完工：尚未派单"):
        desk.finish(db, admin, order, "修好了")
    with pytest.raises(UserError, match="不能回访"):
        desk.callback(db, admin, order, CallbackInput(5, 5, 5))
    with pytest.raises(ValidationError, match="派给"):
        desk.dispatch(db, admin, order)
    with pytest.raises(ValidationError, match="班组"):
        desk.dispatch(db, admin, order, staff_id=estate.cleaner, team=Team.ENGINEERING)
    desk.dispatch(db, admin, order, staff_id=estate.plumber)
    with pytest.raises(UserError, match="不能完工：维修人员尚未到场"):
        desk.finish(db, admin, order, "修好了")
    with pytest.raises(ValidationError, match="到场时间"):
        desk.arrive(db, admin, order, START + timedelta(hours=1))
    assert steps(db, order) == [Step.TAKE, Step.DISPATCH]


def test_a_complaint_closes_only_after_a_callback_or_three_failed_attempts(
    db: Database, admin: Actor, estate: Estate
) -> None:
    complaint = OrderInput(
        Kind.COMPLAINT, Channel.VISIT, estate.attitude, "前台态度差", room_id=estate.room
    )
    order = desk.take_order(db, admin, complaint).order_id
    desk.dispatch(db, admin, order, team=Team.SERVICE)
    desk.finish(db, admin, order, "已向业主道歉并培训当班人员")
    with pytest.raises(UserError, match="投诉须回访后关闭"):
        desk.close(db, admin, order, "联系不上")
    for _ in range(3):
        desk.callback_failed(db, admin, order)
    with pytest.raises(ValidationError, match="未回访关闭原因"):
        desk.close(db, admin, order)
    desk.close(db, admin, order, "三次电话均未接通")
    assert desk.order_facts(db, admin, order).row.status == Status.CLOSED


# the board and the callback list -----------------------------------------------------------


def test_the_board_sorts_by_what_is_due_first_and_shows_the_clocks(
    db: Database, admin: Actor, estate: Estate
) -> None:
    at(0)  # the set clock ticked on while the estate was built: START again
    ordinary = desk.take_order(db, admin, leak(estate, urgency=Urgency.NORMAL)).order_id
    urgent = desk.take_order(db, admin, leak(estate, room_id=estate.other)).order_id
    paused = desk.take_order(db, admin, leak(estate, description="门锁坏")).order_id
    desk.pause(db, admin, paused, "业主不在家")
    at(25)
    rows = desk.board(db, admin)
    assert [r.id for r in rows] == [urgent, ordinary, paused]
    assert rows[0].light == Light.AMBER and rows[0].stage == Stage.ARRIVE
    assert near(rows[0].due_at, START + timedelta(minutes=30))
    assert rows[1].light == Light.GREEN and near(rows[1].due_at, START + timedelta(hours=2))
    assert rows[2].paused and rows[2].due_at is None
    at(31)
    assert desk.board(db, admin)[0].overdue
    assert [r.id for r in desk.list_orders(db, admin, overdue_only=True)] == [urgent]
    at(60)
    desk.resume(db, admin, paused)  # paused 60 minutes: due 30 minutes from now
    row = next(r for r in desk.board(db, admin) if r.id == paused)
    assert near(row.due_at, START + timedelta(minutes=90)) and row.light == Light.GREEN


def test_the_callback_list_holds_finished_orders_by_their_callback_due_time(
    db: Database, admin: Actor, estate: Estate
) -> None:
    at(0)  # the set clock ticked on while the estate was built: START again
    ordinary = desk.take_order(db, admin, leak(estate, urgency=Urgency.NORMAL)).order_id
    urgent = desk.take_order(db, admin, leak(estate, room_id=estate.other)).order_id
    enquiry = desk.take_order(
        db,
        admin,
        OrderInput(Kind.ENQUIRY, Channel.PHONE, estate.water, "停水时间", room_id=estate.room),
    ).order_id
    for order in (ordinary, urgent):
        desk.dispatch(db, admin, order, staff_id=estate.plumber)
        desk.arrive(db, admin, order)
        desk.finish(db, admin, order, "已修复")
    desk.finish(db, admin, enquiry, "明日 9 点至 12 点停水")
    rows = desk.callback_list(db, admin)
    assert [r.id for r in rows] == [urgent, ordinary]
    assert rows[0].stage == Stage.CALLBACK and rows[0].due_at is not None
    assert rows[0].due_at - START < timedelta(hours=24, minutes=1)


# roles and scope ---------------------------------------------------------------------------


def test_roles(db: Database, estate: Estate, make_user: MakeUser) -> None:
    cashier = make_user(Role.CASHIER)
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied):
        desk.take_order(db, cashier, leak(estate))
    order = desk.take_order(db, clerk, leak(estate)).order_id
    desk.dispatch(db, clerk, order, staff_id=estate.plumber)
    with pytest.raises(PermissionDenied):
        desk.save_category(db, clerk, desk.CategoryInput("漏水", Team.ENGINEERING))
    with pytest.raises(PermissionDenied):
        desk.save_staff(db, clerk, desk.StaffInput("赵师傅", Team.ENGINEERING))


def test_a_butler_works_the_orders_of_his_buildings(
    db: Database,
    admin: Actor,
    estate: Estate,
    make_user: MakeUser,
) -> None:
    butler = make_user(Role.BUTLER)
    households.assign_butler(db, admin, estate.building, butler.user_id)
    mine = desk.take_order(db, butler, leak(estate)).order_id
    with pytest.raises(PermissionDenied, match="2栋"):
        desk.take_order(db, butler, leak(estate, room_id=estate.other))
    theirs = desk.take_order(db, admin, leak(estate, room_id=estate.other)).order_id
    with pytest.raises(PermissionDenied):
        desk.dispatch(db, butler, theirs, staff_id=estate.plumber)
    assert [r.id for r in desk.board(db, butler)] == [mine]
    assert {r.id for r in desk.board(db, admin)} == {mine, theirs}


# settings ----------------------------------------------------------------------------------


def test_a_supervisor_changes_promises_for_orders_taken_afterwards(
    db: Database, admin: Actor, estate: Estate
) -> None:
    before = desk.take_order(db, admin, leak(estate)).order_id
    desk.save_category(
        db,
        admin,
        desk.CategoryInput("水电", Team.ENGINEERING, CategoryPromises(urgent_arrive_minutes=20)),
        estate.water,
    )
    after = desk.take_order(db, admin, leak(estate)).order_id
    assert desk.order_facts(db, admin, before).arrive_minutes == 30
    assert desk.order_facts(db, admin, after).arrive_minutes == 20
    with pytest.raises(ValidationError, match="已有类别"):
        desk.save_category(db, admin, desk.CategoryInput("噪音", Team.ORDER), estate.water)


def test_the_staff_register(db: Database, admin: Actor, estate: Estate) -> None:
    desk.set_on_duty(db, admin, estate.cleaner, False)
    assert [s.name for s in desk.staff(db, on_duty_only=True)] == ["王师傅"]
    order = desk.take_order(db, admin, leak(estate)).order_id
    with pytest.raises(ValidationError, match="李阿姨不在岗"):
        desk.dispatch(db, admin, order, staff_id=estate.cleaner)
    assert [s.name for s in desk.staff(db, team=Team.CLEANING)] == ["李阿姨"]
    with pytest.raises(ValidationError, match="电话"):
        desk.save_staff(db, admin, desk.StaffInput("赵师傅", Team.ENGINEERING, "123"))


# personal data -----------------------------------------------------------------------------


def test_a_callers_data_is_found_exported_and_erased_once_the_order_is_closed(
    db: Database, admin: Actor, estate: Estate, tmp_path: Path
) -> None:
    order = desk.take_order(
        db, admin, leak(estate, kind=Kind.ENQUIRY, room_id=None, caller_name="赵六")
    ).order_id
    (ref,) = find_person(db, admin, name="赵六", phone="13812345678")
    assert ref.kind == RecordKind.CALLER and not ref.erasable and ref.label.startswith("工单联系人")
    with pytest.raises(UserError, match="工单尚未关闭"):
        erase_person(db, admin, [ref], "本人申请")
    path = tmp_path / "copy.xlsx"
    assert export_person(db, admin, [ref], path) == 1
    rows = list(load_workbook(path)["工单联系人"].iter_rows(values_only=True))
    assert rows[1][3:5] == ("赵六", "13812345678")
    desk.finish(db, admin, order, "已答复")
    desk.close(db, admin, order)
    (ref,) = find_person(db, admin, name="赵六", phone="13812345678")
    erase_person(db, admin, [ref], "本人申请")
    facts = desk.order_facts(db, admin, order)
    assert (facts.caller_name, facts.caller_phone) == ("", "")
    assert facts.row.description == "厨房水龙头漏水"
    assert find_person(db, admin, phone="13812345678") == []


def test_the_audit_log_names_each_step_in_chinese(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, leak(estate)).order_id
    desk.dispatch(db, admin, order, team=Team.ENGINEERING)
    assert value_text("step", "dispatch", "work_order_event") == "派单"
    assert value_text("status", "dispatched", "work_order") == "已派单"
    with db.read() as session:
        summaries = session.scalars(
            select(AuditEntry.summary).where(AuditEntry.entity == "work_order")
        ).all()
    assert summaries and all("GD-2612-0001" in text for text in summaries)


def test_a_booked_slot_is_what_the_arrival_is_due_by(
    db: Database, admin: Actor, estate: Estate
) -> None:
    slot = (START + timedelta(days=1), START + timedelta(days=1, hours=2))
    order = desk.take_order(
        db,
        admin,
        leak(estate, urgency=Urgency.NORMAL, appointment_from=slot[0], appointment_to=slot[1]),
    ).order_id
    at(10 * 60)
    (row,) = desk.board(db, admin)
    assert row.id == order and row.light == Light.GREEN and row.due_at == slot[1]
    desk.pause(db, admin, order, "业主改约")  # paused before the slot: nothing to count
    at(11 * 60)
    desk.resume(db, admin, order)
    assert desk.board(db, admin)[0].due_at == slot[1]
    with pytest.raises(ValidationError, match="预约时段已经过去"):
        desk.take_order(
            db,
            admin,
            leak(estate, appointment_from=START, appointment_to=START + timedelta(hours=1)),
        )


def test_a_resident_reports_a_public_place_of_another_building(
    db: Database, admin: Actor, estate: Estate, make_user: MakeUser
) -> None:
    lamp = desk.category_id(db, "公区照明")
    report = OrderInput(
        Kind.REPAIR_PUBLIC,
        Channel.PHONE,
        lamp,
        "楼道灯不亮",
        room_id=estate.room,  # who called: a resident of 1栋
        place_building_id=estate.other_building,  # where: 2栋
        place="3 楼楼道",
    )
    first = desk.take_order(db, admin, report)
    other_caller = OrderInput(**{**report.__dict__, "room_id": estate.other, "caller_phone": ""})
    assert [r.number for r in desk.take_order(db, admin, other_caller).repeats] == [first.number]
    assert desk.order_facts(db, admin, first.order_id).row.where == "2栋 3 楼楼道"
    butler = make_user(Role.BUTLER)
    households.assign_butler(db, admin, estate.other_building, butler.user_id)
    assert {r.id for r in desk.board(db, butler)} == {first.order_id, first.order_id + 1}
    desk.dispatch(db, butler, first.order_id, team=Team.ENGINEERING)


def test_a_clerk_sees_the_callers_phone_masked_and_hands_it_whole_to_the_worker(
    db: Database, estate: Estate, make_user: MakeUser
) -> None:
    clerk = make_user(Role.CLERK)
    order = desk.take_order(db, clerk, leak(estate)).order_id
    assert desk.order_facts(db, clerk, order).caller_phone == "138****5678"
    assert desk.caller_phone_for_worker(db, clerk, order) == "13812345678"


def test_returned_to_the_desk_and_reopened_after_closing(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, leak(estate)).order_id
    desk.dispatch(db, admin, order, staff_id=estate.plumber)
    desk.arrive(db, admin, order)
    desk.return_to_desk(db, admin, order, "需先停水，改日上门")
    facts = desk.order_facts(db, admin, order)
    assert facts.row.status == Status.ACCEPTED and facts.row.staff == ""
    assert facts.arrived_at is None and facts.events[-1].note == "需先停水，改日上门"
    desk.dispatch(db, admin, order, staff_id=estate.plumber)
    desk.arrive(db, admin, order)
    desk.finish(db, admin, order, "更换阀门")
    desk.close(db, admin, order, "业主表示无需回访")
    at(3 * 24 * 60)
    desk.reopen(db, admin, order, "业主来电：又漏水")
    facts = desk.order_facts(db, admin, order)
    assert facts.row.status == Status.ACCEPTED and facts.closed_at is None and facts.reopened == 1
    assert facts.row.light == Light.GREEN  # a new clock from the reopening
    assert [r.id for r in desk.board(db, admin)] == [order]


def test_every_phone_column_is_sealed_and_checked_with_the_others() -> None:
    from frontdesk.db.base import Base
    from frontdesk.db.protection import EncryptedPhone
    from frontdesk.services.protection.data_key import _PHONE_COLUMNS

    declared = {
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, EncryptedPhone)
    }
    listed = {(model.__tablename__, name) for model, names in _PHONE_COLUMNS for name in names}
    assert declared == listed
