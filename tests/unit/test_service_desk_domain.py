"""The service desk's rules: every allowed and refused step of a work order, the
promises, and the clocks with pauses, across midnight and month ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.service_desk import (
    FAILED_CALLBACKS_TO_CLOSE,
    CategoryPromises,
    Kind,
    Light,
    OrderState,
    OrderTimes,
    Pause,
    Promise,
    Stage,
    Status,
    Step,
    Urgency,
    advance,
    check_scores,
    clock_words,
    duration_text,
    is_satisfied,
    light_of,
    promise_for,
    read_clock,
    running_clock,
    time_used,
    work_clock,
)
from frontdesk.errors import UserError, ValidationError

REPAIR = OrderState(Kind.REPAIR_HOME)


def walk(state: OrderState, *steps: Step, reason: str = "原因") -> OrderState:
    for step in steps:
        state = advance(state, step, reason=reason)
    return state


# the happy path and each allowed step ------------------------------------------------


def test_a_repair_goes_from_the_desk_to_closed() -> None:
    state = REPAIR
    for step, status in [
        (Step.DISPATCH, Status.DISPATCHED),
        (Step.ARRIVE, Status.ARRIVED),
        (Step.FINISH, Status.FINISHED),
        (Step.CALLBACK, Status.CALLED_BACK),
        (Step.CLOSE, Status.CLOSED),
    ]:
        state = advance(state, step)
        assert state.status == status


@pytest.mark.parametrize("at", [Status.DISPATCHED, Status.ARRIVED])
def test_transfer_keeps_the_state_and_return_goes_back_to_the_desk(at: Status) -> None:
    state = OrderState(Kind.REPAIR_PUBLIC, at)
    assert advance(state, Step.TRANSFER, reason="不是本班组") == state
    assert advance(state, Step.RETURN, reason="需业主在家").status == Status.ACCEPTED


@pytest.mark.parametrize("at", [Status.ACCEPTED, Status.DISPATCHED, Status.ARRIVED])
def test_pause_and_resume_keep_the_status(at: Status) -> None:
    paused = advance(OrderState(Kind.REPAIR_HOME, at), Step.PAUSE, reason="等配件")
    assert paused.paused and paused.status == at
    resumed = advance(paused, Step.RESUME)
    assert not resumed.paused and resumed.status == at


def test_a_paused_order_may_still_be_transferred() -> None:
    paused = OrderState(Kind.REPAIR_HOME, Status.ARRIVED, paused=True)
    assert advance(paused, Step.TRANSFER, reason="换人").paused


def test_an_unsatisfied_callback_sends_the_order_back_to_the_desk() -> None:
    done = walk(REPAIR, Step.DISPATCH, Step.ARRIVE, Step.FINISH)
    failed = advance(done, Step.CALLBACK_FAILED)
    reopened = advance(failed, Step.CALLBACK, satisfied=False)
    assert reopened.status == Status.ACCEPTED and reopened.failed_callbacks == 0


@pytest.mark.parametrize("at", [Status.FINISHED, Status.CALLED_BACK, Status.CLOSED])
def test_reopen_after_the_work_is_done(at: Status) -> None:
    state = OrderState(Kind.COMPLAINT, at, failed_callbacks=2)
    assert advance(state, Step.REOPEN, reason="业主再次来电") == OrderState(Kind.COMPLAINT)


def test_a_complaint_is_answered_without_anyone_arriving() -> None:
    state = walk(OrderState(Kind.COMPLAINT), Step.DISPATCH, Step.FINISH)
    assert state.status == Status.FINISHED


@pytest.mark.parametrize("kind", [Kind.ENQUIRY, Kind.SUGGESTION, Kind.PRAISE])
def test_an_enquiry_is_answered_at_the_desk_and_closed_without_callback(kind: Kind) -> None:
    state = walk(OrderState(kind), Step.FINISH, Step.CLOSE)
    assert state.status == Status.CLOSED


def test_a_repair_closes_without_callback_only_with_a_reason() -> None:
    done = OrderState(Kind.REPAIR_HOME, Status.FINISHED)
    with pytest.raises(ValidationError, match="未回访关闭原因"):
        advance(done, Step.CLOSE)
    assert advance(done, Step.CLOSE, reason="业主拒绝回访").status == Status.CLOSED


def test_a_complaint_closes_without_callback_only_after_three_failed_attempts() -> None:
    state = OrderState(Kind.COMPLAINT, Status.FINISHED)
    for attempt in range(FAILED_CALLBACKS_TO_CLOSE):
        with pytest.raises(UserError, match=f"不能关闭.*已尝试 {attempt} 次"):
            advance(state, Step.CLOSE, reason="联系不上")
        state = advance(state, Step.CALLBACK_FAILED)
    with pytest.raises(ValidationError, match="未回访关闭原因"):
        advance(state, Step.CLOSE)
    assert advance(state, Step.CLOSE, reason="三次未接通").status == Status.CLOSED


# refused steps -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "step", "message"),
    [
        (REPAIR, Step.TAKE, "不能受理"),
        (REPAIR, Step.ARRIVE, "不能到场：尚未派单"),
        (REPAIR, Step.FINISH, "不能完工：尚未派单"),
        (
            OrderState(Kind.REPAIR_HOME, Status.DISPATCHED),
            Step.FINISH,
            "不能完工：维修人员尚未到场",
        ),
        (OrderState(Kind.COMPLAINT), Step.FINISH, "不能完工：投诉须先派"),
        (REPAIR, Step.CALLBACK, "不能回访：该工单受理，完工后才能回访"),
        (OrderState(Kind.REPAIR_HOME, Status.ARRIVED), Step.CALLBACK, "不能回访"),
        (OrderState(Kind.REPAIR_HOME, Status.ARRIVED), Step.CALLBACK_FAILED, "不能回访未成功"),
        (OrderState(Kind.ENQUIRY, Status.FINISHED), Step.CALLBACK, "咨询不需要回访"),
        (OrderState(Kind.ENQUIRY, Status.DISPATCHED), Step.ARRIVE, "咨询不需要到场"),
        (REPAIR, Step.CLOSE, "不能关闭：该工单受理，尚未完工"),
        (OrderState(Kind.REPAIR_HOME, Status.ARRIVED), Step.CLOSE, "不能关闭"),
        (OrderState(Kind.COMPLAINT, Status.FINISHED), Step.CLOSE, "投诉须回访后关闭"),
        (OrderState(Kind.REPAIR_HOME, Status.DISPATCHED), Step.DISPATCH, "不能派单"),
        (OrderState(Kind.REPAIR_HOME, Status.ARRIVED), Step.ARRIVE, "不能到场"),
        (REPAIR, Step.TRANSFER, "不能转单"),
        (OrderState(Kind.REPAIR_HOME, Status.FINISHED), Step.TRANSFER, "不能转单"),
        (REPAIR, Step.RETURN, "不能退单"),
        (OrderState(Kind.REPAIR_HOME, Status.FINISHED), Step.RETURN, "不能退单"),
        (OrderState(Kind.REPAIR_HOME, Status.FINISHED), Step.FINISH, "不能完工：该工单已完工"),
        (OrderState(Kind.REPAIR_HOME, Status.CALLED_BACK), Step.FINISH, "不能完工"),
        (OrderState(Kind.REPAIR_HOME, Status.FINISHED), Step.PAUSE, "不能暂停：该工单已完工"),
        (OrderState(Kind.REPAIR_HOME, Status.ARRIVED, paused=True), Step.PAUSE, "不能暂停"),
        (REPAIR, Step.RESUME, "不能恢复：该工单没有暂停"),
        (OrderState(Kind.REPAIR_HOME, Status.ARRIVED, paused=True), Step.FINISH, "请先恢复"),
        (OrderState(Kind.REPAIR_HOME, Status.DISPATCHED, paused=True), Step.ARRIVE, "请先恢复"),
        (OrderState(Kind.REPAIR_HOME, Status.CLOSED), Step.DISPATCH, "已关闭"),
        (OrderState(Kind.REPAIR_HOME, Status.CLOSED), Step.CALLBACK, "已关闭"),
        (OrderState(Kind.REPAIR_HOME, Status.ARRIVED), Step.REOPEN, "不能重新打开"),
    ],
)
def test_impossible_steps_are_refused_naming_the_step(
    state: OrderState, step: Step, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        advance(state, step, reason="原因")


@pytest.mark.parametrize("step", [Step.TRANSFER, Step.RETURN, Step.PAUSE, Step.REOPEN])
def test_steps_that_need_a_reason_refuse_without_one(step: Step) -> None:
    state = OrderState(Kind.REPAIR_HOME, Status.ARRIVED)
    with pytest.raises(ValidationError, match=f"{step.label}原因"):
        advance(state, step, reason="  ")


# scores and promises -------------------------------------------------------------------


def test_scores() -> None:
    assert check_scores([5, 4, 3]) == (5, 4, 3)
    assert is_satisfied((5, 4, 3)) and not is_satisfied((5, 5, 2))
    with pytest.raises(ValidationError, match="处理质量"):
        check_scores([5, 6, 5])
    with pytest.raises(ValidationError, match="满意度评分"):
        check_scores([5, 5])


def test_the_plans_promises_by_kind_and_urgency() -> None:
    defaults = CategoryPromises()
    assert promise_for(Kind.REPAIR_HOME, Urgency.URGENT, defaults) == Promise(30, 240, 1440)
    assert promise_for(Kind.REPAIR_PUBLIC, Urgency.NORMAL, defaults) == Promise(120, 1440, 2880)
    assert promise_for(Kind.COMPLAINT, Urgency.NORMAL, defaults) == Promise(None, 1440, 2880)
    assert promise_for(Kind.ENQUIRY, Urgency.URGENT, defaults) == Promise(None, 240, None)


def test_promises_are_checked() -> None:
    with pytest.raises(ValidationError, match="紧急到场时限"):
        CategoryPromises(urgent_arrive_minutes=300, urgent_finish_minutes=240).check()
    with pytest.raises(ValidationError, match="回访时限"):
        CategoryPromises(callback_minutes=0).check()


# clocks --------------------------------------------------------------------------------

START = datetime(2026, 12, 31, 23, 40, tzinfo=UTC)  # crosses midnight and the month and year


def test_a_clock_across_midnight_and_the_month_end_turns_amber_then_red() -> None:
    thirty = timedelta(minutes=30)
    assert read_clock(START, thirty, (), START + timedelta(minutes=10)).light == Light.GREEN
    amber = read_clock(START, thirty, (), START + timedelta(minutes=24))
    assert amber.light == Light.AMBER and amber.due_at == datetime(2027, 1, 1, 0, 10, tzinfo=UTC)
    red = read_clock(START, thirty, (), START + timedelta(minutes=31))
    assert red.light == Light.RED and red.late and red.remaining == -timedelta(minutes=1)


def test_pauses_stop_the_clock_and_move_the_due_time() -> None:
    pause = Pause(START + timedelta(minutes=10), START + timedelta(hours=2))
    reading = read_clock(
        START, timedelta(minutes=30), (pause,), START + timedelta(hours=2, minutes=5)
    )
    assert reading.used == timedelta(minutes=15)
    assert reading.due_at == START + timedelta(hours=2, minutes=20)
    assert reading.light == Light.GREEN


def test_while_paused_there_is_no_due_time() -> None:
    pause = Pause(START + timedelta(minutes=10))
    reading = read_clock(START, timedelta(minutes=30), (pause,), START + timedelta(days=3))
    assert reading.paused and reading.due_at is None and reading.used == timedelta(minutes=10)


def test_the_work_clocks_stop_at_their_step_and_count_only_the_pauses_before_it() -> None:
    promise = Promise(arrive_minutes=30, finish_minutes=240, callback_minutes=None)
    pauses = (
        Pause(START + timedelta(minutes=5), START + timedelta(minutes=25)),  # before arrival
        Pause(START + timedelta(minutes=50), START + timedelta(minutes=170)),  # during the work
    )
    times = OrderTimes(
        START,
        arrived_at=START + timedelta(minutes=45),
        finished_at=START + timedelta(minutes=300),
        pauses=pauses,
    )
    later = START + timedelta(days=5)
    arrival = work_clock(Stage.ARRIVE, promise, times, later)
    assert arrival is not None and arrival.used == timedelta(minutes=25) and not arrival.late
    finish = work_clock(Stage.FINISH, promise, times, later)
    assert finish is not None and finish.used == timedelta(minutes=160) and not finish.late
    assert work_clock(Stage.ARRIVE, Promise(None, 240, None), times, later) is None
    assert work_clock(Stage.CALLBACK, promise, times, later) is None


def test_a_stopped_clock_keeps_its_reading() -> None:
    reading = read_clock(
        START, timedelta(minutes=30), (), START + timedelta(days=2), START + timedelta(minutes=45)
    )
    assert reading.late and reading.used == timedelta(minutes=45) and not reading.paused


def test_the_running_clock_moves_from_arrival_to_completion_to_callback() -> None:
    promise = promise_for(Kind.REPAIR_HOME, Urgency.URGENT, CategoryPromises())
    now = START + timedelta(hours=1)
    stage, _ = running_clock(Status.DISPATCHED, promise, OrderTimes(START), now) or (None, None)
    assert stage == Stage.ARRIVE
    arrived = OrderTimes(START, arrived_at=START + timedelta(minutes=20))
    stage, reading = running_clock(Status.ARRIVED, promise, arrived, now) or (None, None)
    assert stage == Stage.FINISH and reading is not None and reading.light == Light.GREEN
    finished = OrderTimes(START, arrived_at=START, finished_at=START + timedelta(minutes=50))
    stage, reading = running_clock(Status.FINISHED, promise, finished, now) or (None, None)
    assert stage == Stage.CALLBACK and reading is not None
    assert reading.due_at == START + timedelta(minutes=50, hours=24)
    assert running_clock(Status.CALLED_BACK, promise, finished, now) is None
    enquiry = promise_for(Kind.ENQUIRY, Urgency.NORMAL, CategoryPromises())
    assert running_clock(Status.FINISHED, enquiry, finished, now) is None


def test_duration_text() -> None:
    assert duration_text(timedelta(minutes=35)) == "35 分"
    assert duration_text(timedelta(hours=2, minutes=5)) == "2 小时 05 分"
    assert duration_text(-timedelta(days=1, hours=3)) == "1 天 3 小时"


instants = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda at: at.replace(tzinfo=UTC)
)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10))


@given(start=instants, pauses=st.lists(st.tuples(spans, spans), max_size=4), later=spans)
def test_time_used_never_exceeds_the_elapsed_time_nor_goes_negative(
    start: datetime, pauses: list[tuple[timedelta, timedelta]], later: timedelta
) -> None:
    spans_ = [Pause(start + a, start + a + b) for a, b in pauses]
    # pauses that do not overlap, as the service records them: one at a time
    disjoint: list[Pause] = []
    for pause in sorted(spans_, key=lambda p: p.start):
        if not disjoint or pause.start >= (disjoint[-1].end or pause.start):
            disjoint.append(pause)
    now = start + later
    used = time_used(start, now, disjoint)
    assert timedelta(0) <= used <= later
    paused = sum((min(p.end or now, now) - min(p.start, now) for p in disjoint), timedelta(0))
    assert used == later - paused


@given(start=instants, promised=st.integers(1, 10_000), pause=spans, later=spans)
def test_due_time_is_the_start_plus_the_promise_plus_the_pauses(
    start: datetime, promised: int, pause: timedelta, later: timedelta
) -> None:
    pauses = (Pause(start, start + pause),)
    now = start + pause + later
    reading = read_clock(start, timedelta(minutes=promised), pauses, now)
    assert reading.due_at == start + pause + timedelta(minutes=promised)
    assert reading.light == light_of(later, timedelta(minutes=promised))


def test_an_appointment_moves_the_arrival_and_completion_clocks_to_its_slot() -> None:
    promise = promise_for(Kind.REPAIR_HOME, Urgency.NORMAL, CategoryPromises())
    slot = (START + timedelta(days=1), START + timedelta(days=1, hours=2))
    times = OrderTimes(START, appointment=slot)
    assert times.booked and times.clock_start == slot[0]
    now = START + timedelta(hours=20)  # long past the two-hour promise, before the slot
    stage, reading = running_clock(Status.DISPATCHED, promise, times, now) or (None, None)
    assert stage == Stage.ARRIVE and reading is not None
    assert reading.light == Light.GREEN and reading.due_at == slot[1]
    assert reading.remaining == slot[1] - now  # due at the slot's end, not in its length
    late = slot[1] + timedelta(minutes=1)
    assert running_clock(Status.DISPATCHED, promise, times, late)[1].light == Light.RED  # type: ignore[index]
    arrived = OrderTimes(START, arrived_at=slot[0], appointment=slot)
    _, finishing = running_clock(Status.ARRIVED, promise, arrived, late) or (None, None)
    assert finishing is not None and finishing.due_at == slot[0] + timedelta(hours=24)
    reopened = OrderTimes(slot[1] + timedelta(days=2), appointment=slot)  # the slot is past
    assert not reopened.booked and reopened.clock_start == reopened.started_at


@pytest.mark.parametrize(
    ("stage", "remaining", "paused", "said"),
    [
        (Stage.ARRIVE, timedelta(minutes=29, seconds=59), False, "到场剩 30 分"),
        (Stage.ARRIVE, timedelta(minutes=30), False, "到场剩 30 分"),
        (Stage.FINISH, timedelta(hours=3, minutes=4, seconds=1), False, "完工剩 3 小时 05 分"),
        (Stage.FINISH, -timedelta(hours=1, minutes=5), False, "完工已超时 1 小时 05 分"),
        (Stage.CALLBACK, -timedelta(days=1, hours=2), False, "回访已超时 1 天 2 小时"),
        (Stage.FINISH, timedelta(hours=2), True, "已暂停"),
        (None, None, False, ""),
    ],
)
def test_a_clock_reads_the_same_in_every_list(
    stage: Stage | None, remaining: timedelta | None, paused: bool, said: str
) -> None:
    assert clock_words(stage, remaining, paused) == said
