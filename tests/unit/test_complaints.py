"""Complaints on a database: taken with their department, person and deadline; the
reply; the supervisors' list of overdue ones and their handling (督办) on record and in
the audit log; anonymous ones closed with their reason; the roles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from frontdesk.db.models import AuditEntry, WorkOrderEvent
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.service_desk import ANONYMOUS_CLOSE_REASON, Channel, Kind, Status, Step, Team
from frontdesk.errors import PermissionDenied, UserError, ValidationError
from frontdesk.services import service_desk as desk
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.service_desk import CallbackInput, OrderInput, Supervision

MakeUser = Callable[..., Actor]
START = datetime(2026, 11, 30, 20, 0).astimezone()  # deadlines cross midnight and the month
pytestmark = pytest.mark.clock(START)


@dataclass(frozen=True)
class Estate:
    room: int
    building: int
    guard: int  # 秩序
    clerk_staff: int  # 客服
    noise: int


@pytest.fixture
def estate(db: Database, admin: Actor) -> Estate:
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 2, 1, 2, "89.50"))
    ids = structure.room_ids(db, admin, structure.RoomFilter(building_id=one.id))
    room = structure.room_rows(db, admin, ids)[0].id
    return Estate(
        room=room,
        building=one.id,
        guard=desk.save_staff(db, admin, desk.StaffInput("赵队长", Team.ORDER)),
        clerk_staff=desk.save_staff(db, admin, desk.StaffInput("钱主管", Team.SERVICE)),
        noise=desk.category_id(db, "噪音"),
    )


def noise(estate: Estate, **changes: object) -> OrderInput:
    values: dict[str, object] = {
        "kind": Kind.COMPLAINT,
        "channel": Channel.PHONE,
        "category_id": estate.noise,
        "description": "楼上深夜装修噪音",
        "room_id": estate.room,
        "caller_name": "张三",
        "caller_phone": "13812345678",
    }
    values.update(changes)
    return OrderInput(**values)  # type: ignore[arg-type]


def at(minutes: float) -> datetime:
    instant = START + timedelta(minutes=minutes)
    clock.freeze(instant)
    return instant


def near(instant: datetime | None, expected: datetime) -> bool:
    return instant is not None and abs(instant - expected) < timedelta(minutes=1)


def events(db: Database, order_id: int) -> list[tuple[Step, str]]:
    with db.read() as session:
        rows = session.execute(
            select(WorkOrderEvent.step, WorkOrderEvent.note)
            .where(WorkOrderEvent.work_order_id == order_id)
            .order_by(WorkOrderEvent.id)
        ).all()
    return [(step, note) for step, note in rows]


def test_a_complaint_taken_with_department_person_and_deadline_is_dispatched_to_them(
    db: Database, admin: Actor, estate: Estate
) -> None:
    deadline = START + timedelta(hours=6)
    order = desk.take_order(
        db, admin, noise(estate, handler_id=estate.guard, deadline=deadline)
    ).order_id
    facts = desk.complaint_facts(db, admin, order)
    assert facts.department == Team.ORDER and facts.handler == "赵队长"
    assert near(facts.deadline, deadline)
    row = desk.order_facts(db, admin, order).row
    assert row.status == Status.DISPATCHED and row.staff == "赵队长" and near(row.due_at, deadline)
    assert [step for step, _ in events(db, order)] == [Step.TAKE, Step.DEADLINE, Step.DISPATCH]


def test_without_a_deadline_the_categorys_promise_is_the_deadline(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, noise(estate, department=Team.ORDER)).order_id
    facts = desk.complaint_facts(db, admin, order)
    assert facts.department == Team.ORDER and facts.handler == ""
    assert near(facts.deadline, START + timedelta(hours=24))


def test_bad_complaint_intake_is_refused_and_nothing_is_saved(
    db: Database, admin: Actor, estate: Estate, make_user: MakeUser
) -> None:
    with pytest.raises(ValidationError, match="处理期限"):
        desk.take_order(db, admin, noise(estate, deadline=START - timedelta(minutes=1)))
    with pytest.raises(ValidationError, match="班组"):
        desk.take_order(db, admin, noise(estate, handler_id=estate.guard, department=Team.SERVICE))
    with pytest.raises(ValidationError, match="责任部门"):
        desk.take_order(db, admin, noise(estate, kind=Kind.SUGGESTION, department=Team.ORDER))
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied, match="只有主管"):
        desk.take_order(db, clerk, noise(estate, deadline=START + timedelta(hours=2)))
    assert desk.list_orders(db, admin) == []


def test_the_reply_is_kept_with_when_and_by_whom(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, noise(estate, handler_id=estate.guard)).order_id
    with pytest.raises(ValidationError, match="答复内容"):
        desk.reply(db, admin, order, "  ")
    replied = at(90)
    desk.reply(db, admin, order, "已上门劝阻，装修时间改为白天")
    facts = desk.complaint_facts(db, admin, order)
    assert facts.reply == "已上门劝阻，装修时间改为白天" and facts.replied_by == "赵队长"
    assert near(facts.replied_at, replied) and facts.deadline is None
    assert desk.order_facts(db, admin, order).row.status == Status.FINISHED
    assert events(db, order)[-1] == (Step.FINISH, "答复（赵队长）：已上门劝阻，装修时间改为白天")
    with pytest.raises(UserError, match="不能完工：该工单已完工"):
        desk.reply(db, admin, order, "再次答复")


def test_a_reply_is_for_complaints_and_needs_the_department_first(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, noise(estate)).order_id
    with pytest.raises(UserError, match="投诉须先派给责任部门或责任人"):
        desk.reply(db, admin, order, "已处理")
    enquiry = desk.take_order(db, admin, noise(estate, kind=Kind.ENQUIRY)).order_id
    with pytest.raises(UserError, match="不是投诉"):
        desk.reply(db, admin, enquiry, "已答复")


def test_an_overdue_complaint_goes_up_to_the_supervisors_until_handled(
    db: Database, admin: Actor, estate: Estate, make_user: MakeUser
) -> None:
    late = desk.take_order(db, admin, noise(estate, department=Team.ORDER)).order_id
    answered = desk.take_order(db, admin, noise(estate, handler_id=estate.guard)).order_id
    repair = desk.take_order(
        db, admin, noise(estate, kind=Kind.REPAIR_PUBLIC, place="车库", room_id=None)
    ).order_id
    at(60)
    desk.reply(db, admin, answered, "已处理")
    assert desk.escalations(db, admin) == []
    at(24 * 60 + 5)  # the promise of 24 hours is broken
    listed = desk.escalations(db, admin)
    assert [e.row.id for e in listed] == [late] and repair not in [e.row.id for e in listed]
    assert near(listed[0].deadline, START + timedelta(hours=24))
    assert listed[0].late_by > timedelta(minutes=4) and not listed[0].supervised
    overdue = {r.id for r in desk.list_orders(db, admin, overdue_only=True)}
    assert late in overdue  # `tickets --overdue` holds it too

    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied):
        desk.supervise(db, clerk, late, Supervision("请尽快答复"))
    with pytest.raises(ValidationError, match="督办意见"):
        desk.supervise(db, admin, late, Supervision(" "))
    with pytest.raises(ValidationError, match="改期限原因"):
        desk.supervise(db, admin, late, Supervision("改期", deadline=START + timedelta(hours=30)))

    desk.supervise(db, admin, late, Supervision("已督促秩序部今天答复"))
    [handled] = desk.escalations(db, admin)
    assert handled.supervised and handled.supervised_by == admin.display_name

    new_deadline = START + timedelta(days=2)
    desk.supervise(
        db,
        admin,
        late,
        Supervision(
            "改由客服主管处理",
            staff_id=estate.clerk_staff,
            deadline=new_deadline,
            deadline_reason="需协调施工方",
        ),
    )
    assert desk.escalations(db, admin) == []  # a new deadline: no longer overdue
    facts = desk.complaint_facts(db, admin, late)
    assert facts.handler == "钱主管" and facts.department == Team.SERVICE
    assert near(facts.deadline, new_deadline)
    steps = events(db, late)
    assert [s for s, _ in steps] == [
        Step.TAKE, Step.DISPATCH, Step.SUPERVISE, Step.SUPERVISE, Step.TRANSFER, Step.DEADLINE,
    ]  # fmt: skip
    assert steps[-1][1].endswith("：需协调施工方")
    with db.read() as session:  # the supervisor's handling is in the audit log
        summaries = session.scalars(
            select(AuditEntry.summary).where(
                AuditEntry.entity == "work_order_event", AuditEntry.action == "create"
            )
        ).all()
    assert sum("督办" in summary for summary in summaries) == 2
    assert sum("改期限" in summary for summary in summaries) == 1


def test_a_supervisor_moves_a_deadline_with_a_reason_never_into_the_past(
    db: Database, admin: Actor, estate: Estate, make_user: MakeUser
) -> None:
    order = desk.take_order(db, admin, noise(estate, department=Team.ORDER)).order_id
    desk.pause(db, admin, order, "等业主在家")
    at(120)
    with pytest.raises(ValidationError, match="处理期限"):
        desk.set_deadline(db, admin, order, START + timedelta(minutes=60), "改早")
    with pytest.raises(ValidationError, match="改期限原因"):
        desk.set_deadline(db, admin, order, START + timedelta(hours=10), "")
    with pytest.raises(PermissionDenied):
        desk.set_deadline(db, make_user(Role.CLERK), order, START + timedelta(hours=10), "晚些")
    desk.set_deadline(db, admin, order, START + timedelta(hours=10), "业主出差")
    at(180)
    desk.resume(db, admin, order)  # the pause after the new deadline was set moves it on
    facts = desk.complaint_facts(db, admin, order)
    assert near(facts.deadline, START + timedelta(hours=11))


def test_an_anonymous_complaint_is_closed_with_its_reason_and_never_called_back(
    db: Database, admin: Actor, estate: Estate
) -> None:
    with pytest.raises(ValidationError, match="匿名"):
        desk.take_order(db, admin, noise(estate, anonymous=True, room_id=None))
    order = desk.take_order(
        db,
        admin,
        noise(estate, anonymous=True, room_id=None, caller_name="", caller_phone="",
              place_building_id=estate.building, department=Team.ORDER),
    ).order_id  # fmt: skip
    desk.reply(db, admin, order, "已加强巡查")
    assert order not in [r.id for r in desk.callback_list(db, admin)]
    with pytest.raises(UserError, match="无法回访"):
        desk.callback(db, admin, order, CallbackInput(5, 5, 5))
    with pytest.raises(UserError, match="无法回访"):
        desk.callback_failed(db, admin, order)
    desk.close(db, admin, order)
    assert desk.order_facts(db, admin, order).row.status == Status.CLOSED
    assert events(db, order)[-1] == (Step.CLOSE, ANONYMOUS_CLOSE_REASON)


def test_a_named_complaint_still_needs_its_callback_to_close(
    db: Database, admin: Actor, estate: Estate
) -> None:
    order = desk.take_order(db, admin, noise(estate, department=Team.ORDER)).order_id
    desk.reply(db, admin, order, "已劝阻")
    with pytest.raises(UserError, match=r"^不能关闭：投诉须回访后关闭"):
        desk.close(db, admin, order, ANONYMOUS_CLOSE_REASON)
    assert desk.callback(db, admin, order, CallbackInput(5, 4, 5))
    desk.close(db, admin, order)
    assert events(db, order)[-1] == (Step.CLOSE, "")
