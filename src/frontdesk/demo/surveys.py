"""The demo community's 满意度调查: one in the second quarter and one in the quarter
now running, each of 10% of the homes drawn by building. The clerk calls each
household up to three times (about seven in ten are reached, a few refuse); some
households hand back the paper form instead. Most are satisfied (满意度 in the low to
mid nineties, better in the second survey as the year's work shows); a few low scores
of the current survey become complaints to follow up, taken at the end of its calls.

It runs after `demo.build_demo`, through the services, with the clock set back to
each day of the story while it is written, so the records carry those days."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from frontdesk.demo import DEMO_PASSWORD
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor
from frontdesk.domain.surveys import Dimension, Outcome, Status
from frontdesk.services import surveys, users
from frontdesk.services.database import Database
from frontdesk.services.surveys import Answers, SurveyInput

ASKED = (
    Dimension.RECEPTION,
    Dimension.REPAIRS,
    Dimension.SECURITY,
    Dimension.CLEANING,
    Dimension.GREENING,
    Dimension.DISCLOSURE,
    Dimension.ACTIVITIES,
)
QUESTION = "您对我们的服务还有哪些意见和建议？"
# the chance of 非常满意, 满意, 一般, 不满意 by dimension (非常不满意 the rest), first survey
SCORES = {
    Dimension.RECEPTION: (0.50, 0.44, 0.04, 0.015),
    Dimension.REPAIRS: (0.38, 0.50, 0.08, 0.03),
    Dimension.SECURITY: (0.42, 0.49, 0.06, 0.02),
    Dimension.CLEANING: (0.45, 0.47, 0.06, 0.015),
    Dimension.GREENING: (0.44, 0.50, 0.05, 0.01),
    Dimension.DISCLOSURE: (0.40, 0.52, 0.06, 0.015),
    Dimension.ACTIVITIES: (0.36, 0.55, 0.07, 0.015),
}
BETTER = 0.02  # the second survey: this much of 一般 and below moves to 满意
WORDS = (
    "希望加强地下车库的清洁",
    "电梯维修能否更及时一些",
    "晚上小区门口外卖车太多",
    "绿化修剪后垃圾请及时清运",
    "物业通知请在业主群里也发一份",
    "报修后师傅上门很快，点赞",
    "希望多组织一些亲子活动",
    "快递柜不够用",
)
REACH, REFUSE = 0.35, 0.03  # one call's chances; not answered otherwise
PAPER = 0.08  # households that hand back the paper form instead
TO_ORDER = 0.6  # low scores the desk turns into a complaint to follow up


def _quarter_name(day: date) -> tuple[str, str]:
    quarter = "一二三四"[(day.month - 1) // 3]
    period = f"{day.year}年第{quarter}季度"
    return f"{period}业主满意度调查", period


def _at(day: date, hour: int, rng: random.Random) -> datetime:
    return datetime.combine(day, time(hour, rng.randint(0, 59))).astimezone()


def _scores(rng: random.Random, better: float) -> dict[Dimension, int]:
    given = {}
    for dimension in ASKED:
        very, good, neutral, bad = SCORES[dimension]
        roll = rng.random()
        if roll < very:
            given[dimension] = 5
        elif roll < very + good + better:
            given[dimension] = 4
        elif roll < very + good + neutral:
            given[dimension] = 3
        elif roll < very + good + neutral + bad:
            given[dimension] = 2
        else:
            given[dimension] = 1
    return given


def _answers(rng: random.Random, better: float) -> Answers:
    words = rng.choice(WORDS) if rng.random() < 0.25 else ""
    return Answers(_scores(rng, better), words)


def add_demo_surveys(db: Database, today: date | None = None, seed: int = 1) -> dict[str, int]:
    """Both surveys; returns how many households were drawn, answered and turned into
    work orders."""
    today = today or clock.today()
    rng = random.Random(seed)
    boss = users.login(db, "zhuguan", DEMO_PASSWORD)
    clerk = users.login(db, "qiantai", DEMO_PASSWORD)
    second_start = today - timedelta(days=12)
    first_start = second_start - timedelta(days=170)
    was = clock.now() if clock.is_set() else None
    now = clock.now()
    counts = {"sampled": 0, "answered": 0, "orders": 0}
    try:
        for start, better, finished in ((first_start, 0.0, True), (second_start, BETTER, False)):
            name, period = _quarter_name(start)
            clock.freeze(_at(start, 9, rng))
            survey_id = surveys.define_survey(db, boss, SurveyInput(name, period, ASKED, QUESTION))
            counts["sampled"] += surveys.draw_sample(
                db, boss, survey_id, percent=10, seed=rng.randint(1, 10**6)
            )
            days = 20 if finished else (today - start).days - 1
            low = _interview(db, clerk, survey_id, start, days, better, rng, counts)
            if not finished:
                counts["orders"] += _follow_up(db, clerk, low, now, rng)
    finally:
        clock.freeze(was)
    return counts


def _interview(
    db: Database,
    clerk: Actor,
    survey_id: int,
    start: date,
    days: int,
    better: float,
    rng: random.Random,
    counts: dict[str, int],
) -> list[tuple[int, date]]:
    """The calls and the paper forms over `days` days; the low scores with their day."""
    answered_on: dict[str, date] = {}
    rows = surveys.call_list(db, clerk, survey_id)
    rng.shuffle(rows)
    for index, row in enumerate(rows):
        first_day = start + timedelta(days=1 + index * max(days - 4, 1) // max(len(rows), 1))
        if rng.random() < PAPER:
            day = first_day + timedelta(days=rng.randint(2, 4))
            if day >= start + timedelta(days=days):
                continue  # not back yet
            clock.freeze(_at(day, 15, rng))
            surveys.enter_form(db, clerk, row.form_number, _answers(rng, better))
            counts["answered"] += 1
            answered_on[row.form_number] = day
            continue
        for attempt in range(3):
            day = first_day + timedelta(days=attempt * 2)
            if day >= start + timedelta(days=days):
                break
            clock.freeze(_at(day, rng.choice((10, 11, 14, 16, 19)), rng))
            roll = rng.random()
            if roll < REACH:
                surveys.record_call(db, clerk, row.entry_id, Outcome.REACHED, _answers(rng, better))
                counts["answered"] += 1
                answered_on[row.form_number] = day
                break
            outcome = Outcome.REFUSED if roll < REACH + REFUSE else Outcome.NO_ANSWER
            if surveys.record_call(db, clerk, row.entry_id, outcome) != Status.PENDING:
                break
    return [
        (r.score_id, answered_on[r.form_number]) for r in surveys.low_scores(db, clerk, survey_id)
    ]


def _follow_up(
    db: Database, clerk: Actor, low: list[tuple[int, date]], now: datetime, rng: random.Random
) -> int:
    """Some of the current survey's low scores become complaints, taken now: the desk
    goes through them at the end of the calls. (Work-order numbers run with the time an
    order is taken, month by month, and the demo's desk already has its orders: one
    taken on an earlier day now would break the run, so the second quarter's low scores
    stay 未转工单 in the demo.)"""
    clock.freeze(now)
    made = 0
    for score_id, _day in low:
        if rng.random() < TO_ORDER:
            surveys.to_work_order(db, clerk, score_id)
            made += 1
    return made
