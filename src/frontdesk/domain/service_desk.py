"""The service desk (客服中心): work orders (工单) from the first call to the callback;
no database.

An order is of a kind (报修, 投诉, 咨询, 建议, 表扬), came by a channel, has a category
and an urgency, and moves through its states by steps (`Step`): 受理 → 已派单 → 已到场
→ 已完工 → 已回访 → 已关闭, with 转单, 退单 back to the desk, 暂停/恢复 (the clock stops
while paused) and 重新打开 after an unsatisfied callback. `advance` is the whole state
machine: it refuses an impossible step with a message naming it.

Promises (承诺时限): each category has, per urgency, the minutes to arrive on site and
to finish, and the minutes to call back once finished. The defaults follow the
office's plan: an urgent repair on site within 30 minutes and finished within 4 hours;
an ordinary one on site within 2 hours and finished within 24 hours; a callback
within 24 hours of an urgent order's completion and 48 hours of an ordinary one's.
Complaints promise a reply (finish) within 24 hours, urgent ones within 4 hours, and
no arrival; enquiries, suggestions and praise promise a reply and no callback.

The clock (`read_clock`): the time used against a promise with paused spans left out,
the due time, and its light: green, amber in the last 20% of the promise, red past it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from frontdesk.errors import UserError, ValidationError

REPEAT_DAYS = 30  # an order repeats an earlier one of the same place within this
FAILED_CALLBACKS_TO_CLOSE = 3  # a complaint closes without a callback only after these
AMBER_SHARE = 0.8  # the light turns amber when this share of the promise is used
SCORE_ASPECTS = ("响应速度", "处理质量", "服务态度")
SCORE_LABELS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "很不满意"}
UNSATISFIED_AT = 2  # a callback with any score at or below this is unsatisfied


class Kind(StrEnum):
    REPAIR_HOME = "repair_home"
    REPAIR_PUBLIC = "repair_public"
    COMPLAINT = "complaint"
    ENQUIRY = "enquiry"
    SUGGESTION = "suggestion"
    PRAISE = "praise"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def is_repair(self) -> bool:
        return self in (Kind.REPAIR_HOME, Kind.REPAIR_PUBLIC)

    @property
    def needs_callback(self) -> bool:
        """Every repair and every complaint is called back (回访)."""
        return self.is_repair or self == Kind.COMPLAINT

    @property
    def needs_room(self) -> bool:
        return self == Kind.REPAIR_HOME


KIND_LABELS = {
    Kind.REPAIR_HOME: "报修（户内）",
    Kind.REPAIR_PUBLIC: "报修（公区）",
    Kind.COMPLAINT: "投诉",
    Kind.ENQUIRY: "咨询",
    Kind.SUGGESTION: "建议",
    Kind.PRAISE: "表扬",
}


class Channel(StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    BUTLER = "butler"
    GROUP = "group"
    PATROL = "patrol"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.PHONE: "来电",
    Channel.VISIT: "来访",
    Channel.BUTLER: "管家转",
    Channel.GROUP: "业主群",
    Channel.PATROL: "巡查发现",
}


class Urgency(StrEnum):
    URGENT = "urgent"
    NORMAL = "normal"

    @property
    def label(self) -> str:
        return "紧急" if self == Urgency.URGENT else "一般"


class Team(StrEnum):
    ENGINEERING = "engineering"
    CLEANING = "cleaning"
    ORDER = "order"
    GREENING = "greening"
    SERVICE = "service"

    @property
    def label(self) -> str:
        return TEAM_LABELS[self]


TEAM_LABELS = {
    Team.ENGINEERING: "工程",
    Team.CLEANING: "保洁",
    Team.ORDER: "秩序",
    Team.GREENING: "绿化",
    Team.SERVICE: "客服",
}


class Status(StrEnum):
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    ARRIVED = "arrived"
    FINISHED = "finished"
    CALLED_BACK = "called_back"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.ACCEPTED: "受理",
    Status.DISPATCHED: "已派单",
    Status.ARRIVED: "已到场",
    Status.FINISHED: "已完工",
    Status.CALLED_BACK: "已回访",
    Status.CLOSED: "已关闭",
}
OPEN = frozenset(Status) - {Status.CLOSED}


class Step(StrEnum):
    """What a work_order_event records: every step of an order."""

    TAKE = "take"
    DISPATCH = "dispatch"
    TRANSFER = "transfer"
    RETURN = "return"
    ARRIVE = "arrive"
    PAUSE = "pause"
    RESUME = "resume"
    FINISH = "finish"
    CALLBACK = "callback"
    CALLBACK_FAILED = "callback_failed"
    CLOSE = "close"
    REOPEN = "reopen"
    DEADLINE = "deadline"  # a complaint's deadline set or moved
    SUPERVISE = "supervise"  # a supervisor takes up an overdue complaint (督办)

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS = {
    Step.TAKE: "受理",
    Step.DISPATCH: "派单",
    Step.TRANSFER: "转单",
    Step.RETURN: "退单",
    Step.ARRIVE: "到场",
    Step.PAUSE: "暂停",
    Step.RESUME: "恢复",
    Step.FINISH: "完工",
    Step.CALLBACK: "回访",
    Step.CALLBACK_FAILED: "回访未成功",
    Step.CLOSE: "关闭",
    Step.REOPEN: "重新打开",
    Step.DEADLINE: "改期限",
    Step.SUPERVISE: "督办",
}
# The steps that must say why.
NEEDS_REASON = frozenset({Step.TRANSFER, Step.RETURN, Step.PAUSE, Step.REOPEN, Step.SUPERVISE})
# What closing an anonymous complaint records: no one can be called back.
ANONYMOUS_CLOSE_REASON = "匿名投诉，无法回访"
MAX_DEADLINE_DAYS = 30  # a complaint's deadline lies within this of now

DEFAULT_CATEGORIES: tuple[tuple[str, Team], ...] = (
    ("水电", Team.ENGINEERING),
    ("土建", Team.ENGINEERING),
    ("门窗", Team.ENGINEERING),
    ("电梯", Team.ENGINEERING),
    ("公区照明", Team.ENGINEERING),
    ("绿化", Team.GREENING),
    ("保洁", Team.CLEANING),
    ("秩序", Team.ORDER),
    ("噪音", Team.ORDER),
    ("停车", Team.ORDER),
    ("宠物", Team.ORDER),
    ("装修扰民", Team.ORDER),
    ("服务态度", Team.SERVICE),
    ("其他", Team.SERVICE),
)


# the state machine -----------------------------------------------------------------


@dataclass(frozen=True)
class OrderState:
    """What the rules need to know of an order."""

    kind: Kind
    status: Status = Status.ACCEPTED
    paused: bool = False
    failed_callbacks: int = 0
    anonymous: bool = False


def _refuse(step: Step, why: str) -> UserError:
    return UserError(f"不能{step.label}：{why}")


def advance(
    state: OrderState, step: Step, *, reason: str = "", satisfied: bool = True
) -> OrderState:
    """The state after `step`, or a UserError naming the step and why it is refused.

    `reason`: what NEEDS_REASON steps (and closing without a callback) must give;
    `satisfied`: for CALLBACK, whether the owner was satisfied (an unsatisfied
    callback sends the order back to the desk)."""
    status = state.status
    if step == Step.TAKE:
        raise _refuse(step, "工单只在登记时受理一次")
    if (step in NEEDS_REASON) and not reason.strip():
        raise ValidationError(f"{step.label}原因", "请填写")
    if status == Status.CLOSED and step != Step.REOPEN:
        raise _refuse(step, "该工单已关闭")
    if state.paused and step not in (Step.RESUME, Step.TRANSFER, Step.SUPERVISE, Step.DEADLINE):
        raise _refuse(step, "该工单已暂停，请先恢复")
    if step == Step.DISPATCH:
        if status != Status.ACCEPTED:
            raise _refuse(step, f"该工单{status.label}，不在前台待派")
        return replace(state, status=Status.DISPATCHED)
    if step == Step.TRANSFER:
        if status not in (Status.DISPATCHED, Status.ARRIVED):
            raise _refuse(step, "只有已派出、尚未完工的工单可以转给他人")
        return state
    if step == Step.RETURN:
        if status not in (Status.DISPATCHED, Status.ARRIVED):
            raise _refuse(step, "只有已派出、尚未完工的工单可以退回前台")
        return replace(state, status=Status.ACCEPTED)
    if step == Step.ARRIVE:
        if not state.kind.is_repair and state.kind != Kind.COMPLAINT:
            raise _refuse(step, f"{state.kind.label}不需要到场")
        if status != Status.DISPATCHED:
            why = "尚未派单" if status == Status.ACCEPTED else f"该工单{status.label}"
            raise _refuse(step, why)
        return replace(state, status=Status.ARRIVED)
    if step == Step.PAUSE:
        if state.paused:
            raise _refuse(step, "该工单已暂停")
        if status not in (Status.ACCEPTED, Status.DISPATCHED, Status.ARRIVED):
            raise _refuse(step, f"该工单{status.label}，计时已停止")
        return replace(state, paused=True)
    if step == Step.RESUME:
        if not state.paused:
            raise _refuse(step, "该工单没有暂停")
        return replace(state, paused=False)
    if step == Step.FINISH:
        return replace(state, status=_finish_from(state))
    if step in (Step.DEADLINE, Step.SUPERVISE):
        if state.kind != Kind.COMPLAINT:
            raise _refuse(step, f"只有投诉有处理期限（这是{state.kind.label}）")
        if status not in (Status.ACCEPTED, Status.DISPATCHED, Status.ARRIVED):
            raise _refuse(step, f"该投诉{status.label}，已答复")
        return state
    if step in (Step.CALLBACK, Step.CALLBACK_FAILED):
        if not state.kind.needs_callback:
            raise _refuse(step, f"{state.kind.label}不需要回访")
        if state.anonymous:
            raise _refuse(step, f"匿名{state.kind.label}没有联系人，无法回访")
        if status != Status.FINISHED:
            raise _refuse(step, f"该工单{status.label}，完工后才能回访")
        if step == Step.CALLBACK_FAILED:
            return replace(state, failed_callbacks=state.failed_callbacks + 1)
        if not satisfied:  # back to the desk, to be dispatched again
            return replace(state, status=Status.ACCEPTED, failed_callbacks=0)
        return replace(state, status=Status.CALLED_BACK)
    if step == Step.CLOSE:
        _check_close(state, reason)
        return replace(state, status=Status.CLOSED)
    # Step.REOPEN
    if status not in (Status.FINISHED, Status.CALLED_BACK, Status.CLOSED):
        raise _refuse(step, f"该工单{status.label}，尚未完工")
    return replace(state, status=Status.ACCEPTED, paused=False, failed_callbacks=0)


def _finish_from(state: OrderState) -> Status:
    step, status = Step.FINISH, state.status
    if status in (Status.FINISHED, Status.CALLED_BACK):
        raise _refuse(step, "该工单已完工")
    if state.kind.is_repair and status != Status.ARRIVED:
        why = "尚未派单" if status == Status.ACCEPTED else "维修人员尚未到场"
        raise _refuse(step, why)
    if state.kind == Kind.COMPLAINT and status == Status.ACCEPTED:
        raise _refuse(step, "投诉须先派给责任部门或责任人")
    return Status.FINISHED


def _check_close(state: OrderState, reason: str) -> None:
    step, status = Step.CLOSE, state.status
    if status == Status.CALLED_BACK:
        return
    if status != Status.FINISHED:
        raise _refuse(step, f"该工单{status.label}，尚未完工")
    if not state.kind.needs_callback:
        return
    if state.anonymous:  # no one to call: closed with the reason recorded (close_reason)
        if not reason.strip():
            raise ValidationError("未回访关闭原因", f"请写明：{ANONYMOUS_CLOSE_REASON}")
        return
    if state.kind == Kind.COMPLAINT and state.failed_callbacks < FAILED_CALLBACKS_TO_CLOSE:
        raise _refuse(
            step,
            f"投诉须回访后关闭；回访 {FAILED_CALLBACKS_TO_CLOSE} 次未成功的，"
            f"可写明原因关闭（已尝试 {state.failed_callbacks} 次）",
        )
    if not reason.strip():
        raise ValidationError("未回访关闭原因", "该工单尚未回访，请写明为何不回访")


def close_reason(kind: Kind, anonymous: bool, reason: str) -> str:
    """The reason a close records: as given, or for an anonymous complaint (which no
    one can be called back on) 匿名投诉，无法回访 when none is given."""
    if not reason.strip() and anonymous and kind == Kind.COMPLAINT:
        return ANONYMOUS_CLOSE_REASON
    return reason


def deadline_minutes(
    deadline: datetime, clock_start: datetime, paused_seconds: int, now: datetime
) -> int:
    """A complaint's deadline as its reply promise: the running minutes from the
    clock's start (the time paused so far left out, as the clock leaves it out) so that
    the reply falls due at `deadline`; a later pause moves it on like any due time.
    Refused in the past, or more than MAX_DEADLINE_DAYS ahead."""
    if deadline.tzinfo is None:
        raise ValidationError("处理期限", "请写明时区")
    if deadline <= now:
        raise ValidationError("处理期限", "不能早于现在")
    if deadline > now + timedelta(days=MAX_DEADLINE_DAYS):
        raise ValidationError("处理期限", f"不能晚于 {MAX_DEADLINE_DAYS} 天以后")
    seconds = (deadline - clock_start).total_seconds() - paused_seconds
    return max(1, -(-int(seconds) // 60))


def is_satisfied(scores: Sequence[int]) -> bool:
    """A callback's three scores (1–5): unsatisfied when any is 不满意 or worse."""
    return min(scores) > UNSATISFIED_AT


def check_scores(scores: Sequence[int]) -> tuple[int, int, int]:
    if len(scores) != len(SCORE_ASPECTS):
        raise ValidationError("满意度评分", "请为响应速度、处理质量、服务态度各打一个分")
    for aspect, score in zip(SCORE_ASPECTS, scores, strict=True):
        if not 1 <= score <= 5:
            raise ValidationError(aspect, "评分应在 1 到 5 之间")
    return (scores[0], scores[1], scores[2])


# promises --------------------------------------------------------------------------


@dataclass(frozen=True)
class Promise:
    """Minutes allowed: to be on site (None: no visit promised), to finish (reply, for
    complaints and enquiries), and to call back after finishing (None: no callback)."""

    arrive_minutes: int | None
    finish_minutes: int
    callback_minutes: int | None


@dataclass(frozen=True)
class CategoryPromises:
    """A category's promises as the settings hold them, per urgency."""

    urgent_arrive_minutes: int = 30
    urgent_finish_minutes: int = 4 * 60
    urgent_callback_minutes: int = 24 * 60
    arrive_minutes: int = 2 * 60
    finish_minutes: int = 24 * 60
    callback_minutes: int = 48 * 60

    def check(self) -> CategoryPromises:
        for field, label in _PROMISE_FIELDS:
            minutes = getattr(self, field)
            if not 1 <= minutes <= 30 * 24 * 60:
                raise ValidationError(label, "应在 1 分钟到 30 天之间")
        if self.urgent_arrive_minutes > self.urgent_finish_minutes:
            raise ValidationError("紧急到场时限", "不能长于紧急完工时限")
        if self.arrive_minutes > self.finish_minutes:
            raise ValidationError("到场时限", "不能长于完工时限")
        return self


_PROMISE_FIELDS = (
    ("urgent_arrive_minutes", "紧急到场时限"),
    ("urgent_finish_minutes", "紧急完工时限"),
    ("urgent_callback_minutes", "紧急回访时限"),
    ("arrive_minutes", "到场时限"),
    ("finish_minutes", "完工时限"),
    ("callback_minutes", "回访时限"),
)


def promise_for(
    kind: Kind, urgency: Urgency, promises: CategoryPromises, *, anonymous: bool = False
) -> Promise:
    """What an order of this kind and urgency is promised under its category's settings;
    an anonymous order is owed no callback (there is no one to call)."""
    urgent = urgency == Urgency.URGENT
    arrive = promises.urgent_arrive_minutes if urgent else promises.arrive_minutes
    finish = promises.urgent_finish_minutes if urgent else promises.finish_minutes
    callback = promises.urgent_callback_minutes if urgent else promises.callback_minutes
    return Promise(
        arrive_minutes=arrive if kind.is_repair else None,
        finish_minutes=finish,
        callback_minutes=callback if kind.needs_callback and not anonymous else None,
    )


# the clock -------------------------------------------------------------------------


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "正常", "amber": "即将超时", "red": "已超时"}[self]


class Stage(StrEnum):
    """Which promise an order's clock is running against."""

    ARRIVE = "arrive"
    FINISH = "finish"
    CALLBACK = "callback"

    @property
    def label(self) -> str:
        return {"arrive": "到场", "finish": "完工", "callback": "回访"}[self]


@dataclass(frozen=True)
class Pause:
    start: datetime
    end: datetime | None = None  # None: still paused


@dataclass(frozen=True)
class ClockReading:
    promised: timedelta
    used: timedelta  # running time from the start, paused spans left out
    due_at: datetime | None  # None while paused: the due time moves on with the pause
    light: Light
    paused: bool
    stopped_at: datetime | None  # the step that ended this clock (arrival, completion …)
    waiting: timedelta = timedelta(0)  # until a clock not yet started (a booked slot) starts

    @property
    def remaining(self) -> timedelta:
        """Time left until due: a slot booked for tomorrow is due tomorrow, not in
        the slot's length."""
        return self.promised - self.used + self.waiting

    @property
    def late(self) -> bool:
        return self.used > self.promised


def paused_within(pauses: Sequence[Pause], start: datetime, until: datetime) -> timedelta:
    """How much of [start, until] the pauses cover (a pause still open runs to `until`)."""
    total = timedelta(0)
    for pause in pauses:
        begin = max(pause.start, start)
        end = min(pause.end or until, until)
        if end > begin:
            total += end - begin
    return total


def time_used(start: datetime, until: datetime, pauses: Sequence[Pause]) -> timedelta:
    """The running time from `start` to `until` with the paused spans left out."""
    if until <= start:
        return timedelta(0)
    return until - start - paused_within(pauses, start, until)


def light_of(used: timedelta, promised: timedelta) -> Light:
    if used > promised:
        return Light.RED
    if used >= promised * AMBER_SHARE:
        return Light.AMBER
    return Light.GREEN


def read_clock(
    start: datetime,
    promised: timedelta,
    pauses: Sequence[Pause],
    now: datetime,
    stopped_at: datetime | None = None,
) -> ClockReading:
    """A promise's clock at `now` (or as it stood when `stopped_at` ended it)."""
    until = min(stopped_at, now) if stopped_at is not None else now
    used = time_used(start, until, pauses)
    paused = stopped_at is None and any(p.end is None and p.start <= now for p in pauses)
    # a clock that has not started yet (a booked slot ahead) is due from its start
    due_at = None if paused else max(until, start) + (promised - used)
    return ClockReading(
        promised=promised,
        used=used,
        due_at=due_at,
        light=light_of(used, promised),
        paused=paused,
        stopped_at=stopped_at,
        waiting=max(start - until, timedelta(0)),
    )


@dataclass(frozen=True)
class OrderTimes:
    """When an order reached its steps, for its clocks."""

    started_at: datetime  # taken, or reopened last: a reopened order starts afresh
    arrived_at: datetime | None = None
    finished_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()
    appointment: tuple[datetime, datetime] | None = None  # the in-home slot agreed

    @property
    def booked(self) -> bool:
        """An appointment still ahead of the clock's start (not one a reopening passed)."""
        return self.appointment is not None and self.appointment[0] >= self.started_at

    @property
    def clock_start(self) -> datetime:
        """Where the arrival and completion clocks start: the appointment's start when
        the owner booked a slot (the worker cannot be late before it), else the start."""
        return self.appointment[0] if self.booked and self.appointment else self.started_at

    @classmethod
    def stored(
        cls,
        started_at: datetime,
        arrived_at: datetime | None,
        finished_at: datetime | None,
        paused_seconds: int,
        paused_at: datetime | None,
        appointment: tuple[datetime, datetime] | None,
    ) -> OrderTimes:
        """From an order's stored columns: the pauses since its clock started lumped
        into one at that start (equivalent for the time used), and the pause still open."""
        times = cls(started_at, arrived_at, finished_at, (), appointment)
        start = times.clock_start
        pauses = [Pause(start, start + timedelta(seconds=paused_seconds))]
        if paused_at is not None:
            pauses.append(Pause(paused_at))
        return replace(times, pauses=tuple(pauses))


def running_clock(
    status: Status, promise: Promise, times: OrderTimes, now: datetime
) -> tuple[Stage, ClockReading] | None:
    """The promise an open order is working against now, and its clock: arrival until
    on site (if promised), then completion, then the callback; None when nothing is due
    (closed, called back, or finished without a callback owed). With an appointment,
    arrival is due by the end of the slot and completion counts from its start."""
    if status in (Status.CLOSED, Status.CALLED_BACK):
        return None
    if status == Status.FINISHED:
        if promise.callback_minutes is None or times.finished_at is None:
            return None
        reading = read_clock(
            times.finished_at, timedelta(minutes=promise.callback_minutes), (), now
        )
        return Stage.CALLBACK, reading
    stage = (
        Stage.ARRIVE
        if promise.arrive_minutes is not None and times.arrived_at is None
        else Stage.FINISH
    )
    working = work_clock(stage, promise, times, now)
    assert working is not None  # FINISH is always promised, ARRIVE when chosen above
    return stage, working


def work_clock(
    stage: Stage, promise: Promise, times: OrderTimes, now: datetime
) -> ClockReading | None:
    """The arrival or completion clock (CALLBACK: None), running at `now` or stopped
    by the arrival or completion: both count from the clock's start with the pauses
    left out; with an appointment, arrival is due by the end of the slot. None when
    arrival is not promised. The running board and the month's report read these."""
    start = times.clock_start
    if stage == Stage.ARRIVE:
        if promise.arrive_minutes is None:
            return None
        promised = timedelta(minutes=promise.arrive_minutes)
        if times.booked and times.appointment is not None:
            promised = times.appointment[1] - times.appointment[0]
        return read_clock(start, promised, times.pauses, now, times.arrived_at)
    if stage == Stage.FINISH:
        promised = timedelta(minutes=promise.finish_minutes)
        return read_clock(start, promised, times.pauses, now, times.finished_at)
    return None


def duration_text(span: timedelta) -> str:
    """`2 小时 05 分`, `35 分`, `1 天 3 小时` for a clock's time left or over."""
    minutes = int(abs(span).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} 天 {hours} 小时"
    if hours:
        return f"{hours} 小时 {minutes:02d} 分"
    return f"{minutes} 分"


def clock_words(stage: Stage | None, remaining: timedelta | None, paused: bool) -> str:
    """An order's clock as every list and the command line say it: 到场剩 30 分,
    完工已超时 1 小时 05 分, 已暂停; "" when nothing is due. Time left counts a begun
    minute whole: 29 min 59 s left is 剩 30 分."""
    if paused:
        return "已暂停"
    if stage is None or remaining is None:
        return ""
    if remaining < timedelta(0):
        return f"{stage.label}已超时 {duration_text(remaining)}"
    whole = timedelta(minutes=math.ceil(remaining.total_seconds() / 60))
    return f"{stage.label}剩 {duration_text(whole)}"


def step_label(step: Step, kind: Kind) -> str:
    """A step as said of this kind of order: a complaint is finished by its reply."""
    return "答复" if step == Step.FINISH and kind == Kind.COMPLAINT else step.label
