"""The complaint rules without a database: the anonymous complaint owes no callback and
closes with its reason, a named one only after a callback or three failed attempts;
the deadline steps; a deadline as a reply promise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.domain.service_desk import (
    ANONYMOUS_CLOSE_REASON,
    FAILED_CALLBACKS_TO_CLOSE,
    MAX_DEADLINE_DAYS,
    CategoryPromises,
    Kind,
    OrderState,
    Status,
    Step,
    Urgency,
    advance,
    close_reason,
    deadline_minutes,
    promise_for,
)
from frontdesk.errors import UserError, ValidationError

NAMED = OrderState(Kind.COMPLAINT, Status.FINISHED)
ANONYMOUS = OrderState(Kind.COMPLAINT, Status.FINISHED, anonymous=True)
NOW = datetime(2026, 11, 30, 23, 50, tzinfo=UTC)


def test_an_anonymous_complaint_owes_no_callback_and_a_named_one_does() -> None:
    promises = CategoryPromises()
    assert promise_for(Kind.COMPLAINT, Urgency.NORMAL, promises).callback_minutes == 48 * 60
    anonymous = promise_for(Kind.COMPLAINT, Urgency.NORMAL, promises, anonymous=True)
    assert anonymous.callback_minutes is None and anonymous.finish_minutes == 24 * 60


def test_an_anonymous_complaint_cannot_be_called_back() -> None:
    for step in (Step.CALLBACK, Step.CALLBACK_FAILED):
        with pytest.raises(UserError, match="匿名投诉没有联系人，无法回访"):
            advance(ANONYMOUS, step)


def test_an_anonymous_complaint_closes_with_its_reason_recorded() -> None:
    reason = close_reason(Kind.COMPLAINT, True, "")
    assert reason == ANONYMOUS_CLOSE_REASON == "匿名投诉，无法回访"
    assert advance(ANONYMOUS, Step.CLOSE, reason=reason).status == Status.CLOSED
    with pytest.raises(ValidationError, match="未回访关闭原因"):
        advance(ANONYMOUS, Step.CLOSE)
    # not before the reply
    with pytest.raises(UserError, match="不能关闭：该工单已派单，尚未完工"):
        advance(OrderState(Kind.COMPLAINT, Status.DISPATCHED, anonymous=True), Step.CLOSE,
                reason=reason)  # fmt: skip


def test_a_named_complaint_closes_only_after_a_callback_or_three_failed_attempts() -> None:
    assert close_reason(Kind.COMPLAINT, False, "") == ""  # no reason made up for it
    with pytest.raises(UserError, match=r"^不能关闭：投诉须回访后关闭"):
        advance(NAMED, Step.CLOSE, reason=ANONYMOUS_CLOSE_REASON)
    state = NAMED
    for _ in range(FAILED_CALLBACKS_TO_CLOSE):
        state = advance(state, Step.CALLBACK_FAILED)
    assert advance(state, Step.CLOSE, reason="三次未接通").status == Status.CLOSED
    called = advance(NAMED, Step.CALLBACK)
    assert advance(called, Step.CLOSE).status == Status.CLOSED


def test_deadline_and_supervision_are_steps_of_an_unanswered_complaint() -> None:
    for status in (Status.ACCEPTED, Status.DISPATCHED, Status.ARRIVED):
        state = OrderState(Kind.COMPLAINT, status, paused=status == Status.ARRIVED)
        assert advance(state, Step.DEADLINE) == state
        assert advance(state, Step.SUPERVISE, reason="请今天内答复") == state
    with pytest.raises(ValidationError, match="督办原因"):
        advance(OrderState(Kind.COMPLAINT), Step.SUPERVISE)
    with pytest.raises(UserError, match="不能改期限：该投诉已完工，已答复"):
        advance(NAMED, Step.DEADLINE)
    with pytest.raises(UserError, match="不能督办：只有投诉有处理期限"):
        advance(OrderState(Kind.REPAIR_HOME), Step.SUPERVISE, reason="快")


def test_a_deadline_becomes_the_reply_promise_from_the_clocks_start() -> None:
    start = NOW - timedelta(hours=2)
    deadline = NOW + timedelta(hours=22)  # across midnight and the month's end
    assert deadline_minutes(deadline, start, 0, NOW) == 24 * 60
    # the time paused so far does not run: the clock reaches the deadline later
    assert deadline_minutes(deadline, start, 30 * 60, NOW) == 24 * 60 - 30
    # a part minute is a whole one (due at or just after the deadline, never before)
    assert deadline_minutes(deadline + timedelta(seconds=20), start, 0, NOW) == 24 * 60 + 1


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (NOW, "不能早于现在"),
        (NOW - timedelta(days=1), "不能早于现在"),
        (NOW + timedelta(days=MAX_DEADLINE_DAYS, minutes=1), "不能晚于 30 天以后"),
        (datetime(2026, 12, 2, 12), "请写明时区"),
    ],
)
def test_a_deadline_in_the_past_or_too_far_is_refused(deadline: datetime, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        deadline_minutes(deadline, NOW, 0, NOW)
    assert refused.value.field == "处理期限"
