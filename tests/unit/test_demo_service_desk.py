"""The demo's plan of work orders, without a database: a year of them at a rate that
follows the number of households, faults that follow the seasons, a desk that gets
better through the year, and every plan passes the state machine."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from frontdesk.demo import service_desk_plan as demo_desk
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.service_desk import (
    DEFAULT_CATEGORIES,
    CategoryPromises,
    OrderState,
    Step,
    Team,
    advance,
    is_satisfied,
)
from frontdesk.services.service_desk.settings import CategoryRow

CLERK = Actor(3, "qiantai", "前台", Role.CLERK)


def _desk(now: datetime) -> Any:
    categories = {
        name: CategoryRow(number, name, team, CategoryPromises(), True)
        for number, (name, team) in enumerate(DEFAULT_CATEGORIES, 1)
    }
    staff = {team: [10 + n] for n, team in enumerate(Team)}
    return demo_desk.Desk(None, CLERK, CLERK, categories, staff, staff, now)  # type: ignore[arg-type]


def _callers(households: int) -> list[tuple[int, int, str, str]]:
    return [(n, 1 + n // 100, "张伟", f"139{n:08d}") for n in range(1, households + 1)]


def _plan(households: int, now: datetime) -> list[Any]:
    return demo_desk.random_lives(_desk(now), random.Random(4), _callers(households), now)


NOW = datetime(2026, 11, 25, 10, 0).astimezone()  # the year: December 2025 to now


def _month(life: Any) -> int:
    return int(life.taken.month)


def test_the_rate_follows_the_households() -> None:
    days = (NOW.date() - date(2025, 12, 1)).days + 1
    small, large = len(_plan(2000, NOW)), len(_plan(6000, NOW))
    assert 5 * days < small < 15 * days  # several a day, every day of the year
    assert 2.6 * small < large < 3.4 * small


def test_orders_in_every_month_of_the_year_fewer_at_the_spring_festival() -> None:
    per_day = Counter(_month(life) for life in _plan(2000, NOW))
    assert set(per_day) == set(range(1, 13))
    assert per_day[2] / 28 < 0.9 * per_day[3] / 31  # February against March


def test_the_seasons_show_in_the_faults() -> None:
    """More leaks in the rainy months, air conditioners in the summer, pipes split by
    the January cold, each compared by the day."""
    lives = _plan(2000, NOW)
    days = {(6, 7): 61, (12, 1, 2): 90, (10, 11): 55}  # November to the 25th

    def daily(word: str, months: tuple[int, ...]) -> float:
        found = sum(word in life.data.description and _month(life) in months for life in lives)
        return found / days[months]

    assert daily("漏水", (6, 7)) > 2 * daily("漏水", (12, 1, 2))
    assert daily("空调", (6, 7)) > 0 == daily("空调", (12, 1, 2))
    assert daily("冻裂", (12, 1, 2)) > 0 == daily("冻裂", (6, 7)) == daily("冻裂", (10, 11))


def _late_arrivals(lives: list[Any]) -> float:
    repairs = [life for life in lives if life.data.kind.is_repair]
    late = 0
    for life in repairs:
        arrived = next(at for at, step, _ in life.steps if step == Step.ARRIVE)
        promised = demo_desk.promise_of(life).arrive_minutes
        late += arrived - life.taken > timedelta(minutes=promised)
    return late / len(repairs)


def _satisfied(lives: list[Any]) -> float:
    scores = [
        (result.speed, result.quality, result.attitude)
        for life in lives
        for _, step, args in life.steps
        if step == Step.CALLBACK and (result := args["result"])
    ]
    return sum(is_satisfied(s) for s in scores) / len(scores)


def test_the_desk_keeps_its_promises_better_through_the_year() -> None:
    """The first quarter of the year against the last three whole months."""
    lives = _plan(2000, NOW)
    first = [life for life in lives if _month(life) in (12, 1, 2)]
    last = [life for life in lives if _month(life) in (8, 9, 10)]
    assert _late_arrivals(first) > 1.5 * _late_arrivals(last) > 0
    assert _satisfied(first) + 0.04 < _satisfied(last) < 1


def test_every_planned_life_passes_the_state_machine() -> None:
    now = NOW
    for life in _plan(2000, now):
        state = OrderState(life.data.kind, anonymous=life.data.anonymous)
        times = [life.taken]
        for at, step, args in life.steps:
            result = args.get("result")
            scores = (result.speed, result.quality, result.attitude) if result else (5, 5, 5)
            state = advance(
                state, step, reason=args.get("reason", ""), satisfied=is_satisfied(scores)
            )
            times.append(at)
        assert times == sorted(times)
        if life.steps and life.steps[-1][0] <= now:
            assert life.steps[-1][1] == Step.CLOSE
