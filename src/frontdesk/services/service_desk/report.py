"""The month's service report (客服月报): what the desk took in a month and how the
promises were kept, with the month before for comparison.

The orders counted are those taken within the month (local time). Their clocks are
the domain's (`work_clock`): from the clock's start (or the booked slot), the paused
spans left out, as the pause and resume steps recorded them. A reopened order is
judged on its latest handling. An arrival or completion is
- on time or late once it happened;
- late when it has not happened and its promise has passed at the time of the report;
- not yet due otherwise, and left out of the rate (counted apart).
A complaint is answered on time when its reply came by its deadline (the category's
promise, or the one a supervisor set) and it never went up to a supervisor: one taken
up (督办) after its deadline passed is late, though given a new deadline then. It is
escalated (升级) when it went up to a supervisor or is unanswered past its deadline.
A callback is owed by every finished repair and complaint; it is missed when the order
was closed without one or its callback promise has passed. Satisfaction counts every
callback that reached the owner (an unsatisfied one that reopened the order too).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from frontdesk.db.models import Building, Room, ServiceCategory, Unit, WorkOrder, WorkOrderEvent
from frontdesk.domain import clock
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import room_code
from frontdesk.domain.service_desk import (
    SCORE_ASPECTS,
    Channel,
    Kind,
    OrderTimes,
    Pause,
    Promise,
    Stage,
    Status,
    Step,
    Urgency,
    read_clock,
    work_clock,
)
from frontdesk.domain.service_report import SATISFIED_FROM, Average, Rate, all_satisfied
from frontdesk.services.access import require
from frontdesk.services.store import Store, reading

PERMISSION = Permission.PRINT_REPORTS
NO_BUILDING = "未指定楼栋"
REPEAT_AT = 2  # a place with this many orders in the month repeats


@dataclass(frozen=True)
class Kept:
    """A promise over the month's orders: `rate` of those decided, `pending` not due yet."""

    rate: Rate
    pending: int


@dataclass(frozen=True)
class Satisfaction:
    """The callbacks that reached the owner: the average per aspect (响应速度, 处理质量,
    服务态度), the share of 4–5 per aspect, and the share with all three 4–5."""

    averages: tuple[Average, Average, Average]
    aspect_satisfied: tuple[Rate, Rate, Rate]
    satisfied: Rate

    @property
    def callbacks(self) -> int:
        return self.satisfied.base


@dataclass(frozen=True)
class RepeatPlace:
    """A room, or a public place with a category, with several orders in the month."""

    place: str
    orders: int


@dataclass(frozen=True)
class MonthFigures:
    period: Period
    orders: int
    by_kind: dict[str, int]
    by_category: dict[str, int]
    by_building: dict[str, int]
    by_channel: dict[str, int]
    arrival: Kept  # repairs on site within the promise
    urgent_arrival: Kept  # urgent repairs on site within the promise (30 minutes)
    completion: Kept  # repairs finished within the promise
    complaint_on_time: Kept  # complaints answered by their deadline (投诉处理及时率)
    callback: Kept  # finished repairs and complaints called back (回访率)
    satisfaction: Satisfaction
    complaint_satisfaction: Satisfaction
    by_complaint_category: dict[str, int]  # complaints only: the root causes
    reopened: int  # orders of the month reopened (unsatisfied callback or later)
    places: dict[str, int]  # every room or public place (with category) -> orders
    complaints_escalated: int = 0  # went up to a supervisor, or unanswered past deadline

    @property
    def repeats(self) -> dict[str, int]:
        """The places with REPEAT_AT or more orders in the month, most first."""
        return {place: n for place, n in self.places.items() if n >= REPEAT_AT}


@dataclass(frozen=True)
class ServiceFigures:
    """The month and the month before, read at `as_of`."""

    this: MonthFigures
    before: MonthFigures
    as_of: datetime


def service_figures(
    store: Store, actor: Actor, period: Period, now: datetime | None = None
) -> ServiceFigures:
    """The month's figures and the month before's, both read at `now`."""
    require(actor, PERMISSION)
    now = now or clock.utc_now()
    with reading(store) as session:
        this = month_figures(session, period, now)
        before = month_figures(session, period.shifted(-1), now)
    return ServiceFigures(this, before, now)


def month_bounds(period: Period) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, in local time."""
    following = period.shifted(1)
    start = datetime(period.year, period.month, 1).astimezone()
    return start, datetime(following.year, following.month, 1).astimezone()


PlaceBuilding = aliased(Building)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the report reads of an order, as plain columns: a year's report reads
    about 30,000 orders, and making each a mapped object took half its time."""

    id: int
    kind: Kind
    channel: Channel
    urgency: Urgency
    status: Status
    reopened: int
    place: str
    place_building_id: int | None
    arrive_minutes: int | None
    finish_minutes: int
    callback_minutes: int | None
    started_at: datetime
    arrived_at: datetime | None
    finished_at: datetime | None
    paused_at: datetime | None
    appointment_from: datetime | None
    appointment_to: datetime | None


@dataclass(frozen=True, slots=True)
class StepFacts:
    """What the report reads of an order's step."""

    step: Step
    at: datetime
    score_speed: int | None
    score_quality: int | None
    score_attitude: int | None


def _columns(of: type[WorkOrder] | type[WorkOrderEvent], facts: type) -> list[Any]:
    return [getattr(of, field.name) for field in fields(facts)]


def month_figures(session: Session, period: Period, now: datetime) -> MonthFigures:
    tally = _Tally()
    for _category, add in _month_orders(session, period, now):
        add(tally)
    return tally.figures(period)


def category_figures(
    store: Store, actor: Actor, period: Period, now: datetime | None = None
) -> dict[str, MonthFigures]:
    """Each category's figures of the month, its orders alone and read by the same rules
    as `service_figures`, the category with most orders first."""
    require(actor, PERMISSION)
    now = now or clock.utc_now()
    tallies: dict[str, _Tally] = {}
    with reading(store) as session:
        for category, add in _month_orders(session, period, now):
            add(tallies.setdefault(category, _Tally()))
    ranked = sorted(tallies.items(), key=lambda item: (-item[1].orders, item[0]))
    return {category: tally.figures(period) for category, tally in ranked}


def _month_orders(
    session: Session, period: Period, now: datetime
) -> Iterator[tuple[str, Callable[[_Tally], None]]]:
    """The orders taken in the month, each as its category and how it adds to a tally."""
    start, end = month_bounds(period)
    found = session.execute(
        select(
            *_columns(WorkOrder, OrderFacts),
            ServiceCategory.name,
            Building.name,
            Building.code,
            Unit.code,
            Room.number,
            PlaceBuilding.name,
        )
        .join(ServiceCategory, WorkOrder.category_id == ServiceCategory.id)
        .outerjoin(Room, WorkOrder.room_id == Room.id)
        .outerjoin(Building, Room.building_id == Building.id)
        .outerjoin(Unit, Room.unit_id == Unit.id)
        .outerjoin(PlaceBuilding, WorkOrder.place_building_id == PlaceBuilding.id)
        .where(WorkOrder.taken_at >= start, WorkOrder.taken_at < end)
        .order_by(WorkOrder.id)
    ).all()
    events = _events(session, start, end)
    width = len(fields(OrderFacts))
    for row in found:
        order = OrderFacts(*row[:width])
        category, building, b_code, u_code, number, place_building = row[width:]
        where = place_building or building or NO_BUILDING
        place = _place(order, category, b_code, u_code, number, place_building)
        steps = events.get(order.id, [])

        def add(
            tally: _Tally,
            order: OrderFacts = order,
            category: str = category,
            where: str = where,
            place: str = place,
            steps: list[StepFacts] = steps,
        ) -> None:
            tally.add(order, category, where, place, steps, now)

        yield category, add


_EVENT_STEPS = (Step.PAUSE, Step.RESUME, Step.REOPEN, Step.CALLBACK, Step.SUPERVISE)


def _events(session: Session, start: datetime, end: datetime) -> dict[int, list[StepFacts]]:
    """The steps the report needs of the month's orders, in order, by order id."""
    month = select(WorkOrder.id).where(WorkOrder.taken_at >= start, WorkOrder.taken_at < end)
    by_order: dict[int, list[StepFacts]] = defaultdict(list)
    for order_id, *step in session.execute(
        select(WorkOrderEvent.work_order_id, *_columns(WorkOrderEvent, StepFacts))
        .where(
            WorkOrderEvent.work_order_id.in_(month),
            WorkOrderEvent.step.in_([step.value for step in _EVENT_STEPS]),
        )
        .order_by(WorkOrderEvent.id)
    ):
        by_order[order_id].append(StepFacts(*step))
    return by_order


def _place(
    order: OrderFacts,
    category: str,
    building_code: str | None,
    unit_code: str | None,
    number: str | None,
    place_building: str | None,
) -> str:
    """Where an order repeats: its public place with the category, else its room."""
    if order.place_building_id is not None or order.place:
        where = " ".join(part for part in (place_building, order.place) if part)
        return f"{where}（{category}）"
    if number is not None:
        return room_code(building_code or "", unit_code, number)
    return ""


def pauses_of(order: OrderFacts, events: Iterable[StepFacts]) -> tuple[Pause, ...]:
    """The pauses of the order's latest handling, from its pause and resume steps (a
    reopening starts afresh), the pause still open last."""
    pauses: list[Pause] = []
    opened: datetime | None = None
    for event in events:
        if event.step == Step.REOPEN:
            pauses, opened = [], None
        elif event.step == Step.PAUSE:
            opened = event.at
        elif event.step == Step.RESUME and opened is not None:
            pauses.append(Pause(opened, event.at))
            opened = None
    if order.paused_at is not None:
        pauses.append(Pause(order.paused_at))
    return tuple(pauses)


def times_with_pauses(order: OrderFacts, events: Iterable[StepFacts]) -> OrderTimes:
    appointment = (
        (order.appointment_from, order.appointment_to)
        if order.appointment_from is not None and order.appointment_to is not None
        else None
    )
    return OrderTimes(
        order.started_at,
        order.arrived_at,
        order.finished_at,
        pauses_of(order, events),
        appointment,
    )


def kept(stage: Stage, order: OrderFacts, times: OrderTimes, now: datetime) -> bool | None:
    """Whether the order kept its arrival or completion promise; None when not promised
    or not due yet."""
    promise = Promise(order.arrive_minutes, order.finish_minutes, order.callback_minutes)
    reading_ = work_clock(stage, promise, times, now)
    if reading_ is None:
        return None
    if reading_.stopped_at is None and not reading_.late:
        return None
    return not reading_.late


def supervised(events: Iterable[StepFacts]) -> bool:
    """Whether the order's latest handling (since it was last reopened) went up to a
    supervisor (督办)."""
    taken_up = False
    for event in events:
        if event.step == Step.REOPEN:
            taken_up = False
        elif event.step == Step.SUPERVISE:
            taken_up = True
    return taken_up


def owes_callback(order: OrderFacts, events: Sequence[StepFacts]) -> bool:
    """A repair or complaint owes a callback once finished (or once called back: an
    unsatisfied callback reopened it)."""
    return order.callback_minutes is not None and (
        order.finished_at is not None or any(e.step == Step.CALLBACK for e in events)
    )


def called_back(order: OrderFacts, events: Sequence[StepFacts], now: datetime) -> bool | None:
    """Whether an order owing a callback was called back; None when its callback is
    not due yet."""
    if any(event.step == Step.CALLBACK for event in events):
        return True
    if order.finished_at is None or order.callback_minutes is None:
        return None
    if order.status == Status.CLOSED:
        return False
    promised = timedelta(minutes=order.callback_minutes)
    return False if read_clock(order.finished_at, promised, (), now).late else None


class _Tally:
    def __init__(self) -> None:
        self.orders = 0
        self.kinds: Counter[str] = Counter()
        self.categories: Counter[str] = Counter()
        self.complaint_categories: Counter[str] = Counter()
        self.buildings: Counter[str] = Counter()
        self.channels: Counter[str] = Counter()
        self.places: Counter[str] = Counter()
        self.kept: dict[str, list[bool | None]] = defaultdict(list)
        self.scores: list[tuple[int, int, int]] = []
        self.complaint_scores: list[tuple[int, int, int]] = []
        self.reopened = 0
        self.escalated = 0

    def add(
        self,
        order: OrderFacts,
        category: str,
        building: str,
        place: str,
        events: list[StepFacts],
        now: datetime,
    ) -> None:
        self.orders += 1
        self.kinds[Kind(order.kind).label] += 1
        self.categories[category] += 1
        if order.kind == Kind.COMPLAINT:
            self.complaint_categories[category] += 1
        self.buildings[building] += 1
        self.channels[Channel(order.channel).label] += 1
        if place:
            self.places[place] += 1
        self.reopened += order.reopened > 0
        times = times_with_pauses(order, events)
        if order.kind.is_repair:
            arrival = kept(Stage.ARRIVE, order, times, now)
            self.kept["arrival"].append(arrival)
            if order.urgency == Urgency.URGENT:
                self.kept["urgent_arrival"].append(arrival)
            self.kept["completion"].append(kept(Stage.FINISH, order, times, now))
        if order.kind == Kind.COMPLAINT:
            on_time = kept(Stage.FINISH, order, times, now)
            if supervised(events):
                on_time = False  # taken up by a supervisor once its deadline had passed
            self.kept["complaint"].append(on_time)
            self.escalated += on_time is False
        if owes_callback(order, events):
            self.kept["callback"].append(called_back(order, events, now))
        for event in events:
            if event.step != Step.CALLBACK or event.score_speed is None:
                continue
            scores = (event.score_speed, event.score_quality or 0, event.score_attitude or 0)
            self.scores.append(scores)
            if order.kind == Kind.COMPLAINT:
                self.complaint_scores.append(scores)

    def _kept(self, name: str) -> Kept:
        results = self.kept.get(name, [])
        decided = [r for r in results if r is not None]
        return Kept(Rate(sum(decided), len(decided)), len(results) - len(decided))

    def figures(self, period: Period) -> MonthFigures:
        return MonthFigures(
            period=period,
            orders=self.orders,
            by_kind={k.label: self.kinds[k.label] for k in Kind if self.kinds[k.label]},
            by_category=_ranked(self.categories),
            by_building=_ranked(self.buildings),
            by_channel={c.label: self.channels[c.label] for c in Channel if self.channels[c.label]},
            arrival=self._kept("arrival"),
            urgent_arrival=self._kept("urgent_arrival"),
            completion=self._kept("completion"),
            complaint_on_time=self._kept("complaint"),
            callback=self._kept("callback"),
            satisfaction=satisfaction(self.scores),
            complaint_satisfaction=satisfaction(self.complaint_scores),
            by_complaint_category=_ranked(self.complaint_categories),
            reopened=self.reopened,
            places=_ranked(self.places),
            complaints_escalated=self.escalated,
        )


def _ranked(counts: Counter[str]) -> dict[str, int]:
    """Most first, then by name."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def satisfaction(callbacks: list[tuple[int, int, int]]) -> Satisfaction:
    count = len(callbacks)
    columns = list(zip(*callbacks, strict=True)) if callbacks else [(), (), ()]
    averages = tuple(Average(sum(column), count) for column in columns)
    shares = tuple(
        Rate(sum(score >= SATISFIED_FROM for score in column), count) for column in columns
    )
    assert len(averages) == len(shares) == len(SCORE_ASPECTS)
    return Satisfaction(
        (averages[0], averages[1], averages[2]),
        (shares[0], shares[1], shares[2]),
        Rate(sum(all_satisfied(scores) for scores in callbacks), count),
    )
