"""The demo's plan of work orders, without a database: the rate follows the number of
households, leaks follow the rain, and every plan passes the state machine."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from frontdesk.demo import service_desk as demo_desk
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
    return demo_desk._Desk(None, CLERK, CLERK, categories, staff, staff, now)  # type: ignore[arg-type]


def _callers(households: int) -> list[tuple[int, int, str, str]]:
    return [(n, 1 + n // 100, "张伟", f"139{n:08d}") for n in range(1, households + 1)]


def _plan(households: int, now: datetime) -> list[Any]:
    return demo_desk._random_lives(_desk(now), random.Random(4), _callers(households), now)


def test_the_rate_follows_the_households() -> None:
    now = datetime(2026, 11, 25, 10, 0).astimezone()
    small, large = len(_plan(2000, now)), len(_plan(20000, now))
    assert 5 * 91 < small < 15 * 91  # several a day
    assert 8 * small < large < 12 * small


def test_more_leaks_in_the_rainy_months() -> None:
    def leaks(now: datetime) -> int:
        return sum("漏水" in life.data.description for life in _plan(2000, now))

    assert leaks(datetime(2026, 8, 31, 10, 0).astimezone()) > 1.5 * leaks(
        datetime(2027, 2, 28, 10, 0).astimezone()
    )


def test_every_planned_life_passes_the_state_machine() -> None:
    now = datetime(2026, 11, 25, 10, 0).astimezone()
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
