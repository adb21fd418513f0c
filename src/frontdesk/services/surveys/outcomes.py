"""A survey's results by dimension and by building, with the 满意度's margin of error,
and its low scores, each of which can become a work order in one step.

满意度 is the share of scores of 满意 or 非常满意 (domain.surveys). A dimension's
margin takes the households that scored it as the sample and the community's homes
when the sample was drawn as the population. The overall and a building's 满意度 pool
the scores of every dimension; their margins take the households (not the scores) as
the sample, since one household's scores rise and fall together: counting each score
as a separate draw would claim a precision the survey does not have."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    Building,
    Room,
    Survey,
    SurveyHousehold,
    SurveyScore,
    WorkOrder,
)
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomType
from frontdesk.domain.service_desk import Channel, Kind
from frontdesk.domain.surveys import (
    DIMENSION_CATEGORIES,
    LOW_SCORE,
    Dimension,
    Score,
    Share,
    Status,
    form_number,
    is_satisfied,
    margin_at,
    share,
)
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.scope import in_scope_only, require_in_scope
from frontdesk.services.service_desk.orders import OrderInput, Taken, take_order
from frontdesk.services.service_desk.settings import category_id
from frontdesk.services.store import Store, reading, writing
from frontdesk.services.surveys.define import LIVED_IN, dimensions_of, load_survey


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    share: Share
    counts: tuple[int, int, int, int, int]  # households scoring 1, 2, 3, 4, 5

    @property
    def label(self) -> str:
        return self.dimension.label


@dataclass(frozen=True)
class BuildingResult:
    building_id: int
    building: str
    households: int  # lived-in homes of the building
    sampled: int
    answered: int
    share: Share  # every score of its households, margin by households


@dataclass(frozen=True)
class SurveyResults:
    survey_id: int
    name: str
    period: str
    population: int  # the community's homes when the sample was drawn
    sampled: int
    answered: int
    unreached: int
    refused: int
    overall: Share  # every score, margin by households
    dimensions: tuple[DimensionResult, ...]
    buildings: tuple[BuildingResult, ...]
    low_scores: int  # scores of 不满意 or worse
    low_scores_open: int  # of them not yet turned into a work order

    @property
    def response_rate(self) -> float | None:
        return None if self.sampled == 0 else self.answered / self.sampled

    def share_of(self, dimension: Dimension) -> Share | None:
        for d in self.dimensions:
            if d.dimension == dimension:
                return d.share
        return None


def _pooled(scores: list[int], households: int, population: int) -> Share:
    good = sum(1 for s in scores if is_satisfied(s))
    if not scores:
        return Share(0, 0, None)
    return Share(len(scores), good, margin_at(good / len(scores), households, population))


@dataclass(frozen=True)
class _Read:
    """What a survey's results are made from, read once."""

    survey_id: int
    name: str
    period: str
    population: int | None  # the community's homes when the sample was drawn
    asked: tuple[Dimension, ...]
    entries: tuple[tuple[int, str], ...]  # (building, status) of each sampled household
    scores: tuple[tuple[str, int, int | None, int], ...]  # dimension, score, order, building
    homes: dict[int, int]  # lived-in homes by building, now
    buildings: tuple[tuple[int, str], ...]  # the sampled buildings (id, name), in order


def _read(session: Session, survey_id: int) -> _Read:
    survey = load_survey(session, survey_id)
    entries = tuple(
        (building, status)
        for building, status in session.execute(
            select(SurveyHousehold.building_id, SurveyHousehold.status).where(
                SurveyHousehold.survey_id == survey_id
            )
        )
    )
    scores = tuple(
        (dimension, score, order, building)
        for dimension, score, order, building in session.execute(
            select(
                SurveyScore.dimension,
                SurveyScore.score,
                SurveyScore.work_order_id,
                SurveyHousehold.building_id,
            )
            .join(SurveyHousehold, SurveyScore.survey_household_id == SurveyHousehold.id)
            .where(SurveyHousehold.survey_id == survey_id)
        )
    )
    homes = {
        building: n
        for building, n in session.execute(
            select(Room.building_id, func.count())
            .where(Room.room_type == RoomType.RESIDENCE, Room.status.in_(LIVED_IN))
            .group_by(Room.building_id)
        )
    }
    sampled = {building for building, _status in entries}
    buildings = tuple(
        (building_id, name)
        for building_id, name in session.execute(
            select(Building.id, Building.name)
            .where(Building.id.in_(sampled))
            .order_by(Building.sort_key, Building.id)
        )
    )
    return _Read(
        survey.id,
        survey.name,
        survey.period,
        survey.population,
        dimensions_of(session, survey_id),
        entries,
        scores,
        homes,
        buildings,
    )


def _summary(read: _Read, building_id: int | None = None) -> SurveyResults:
    """The survey's figures, or those of one building's sampled households (the
    building's lived-in homes the population their margins stand for)."""
    entries = [e for e in read.entries if building_id is None or e[0] == building_id]
    rows = [r for r in read.scores if building_id is None or r[3] == building_id]
    answered = sum(1 for _b, status in entries if status == Status.ANSWERED)
    if building_id is None:
        population = read.population or len(entries)
    else:
        population = max(read.homes.get(building_id, 0), answered)
    per_dimension: dict[Dimension, list[int]] = {d: [] for d in read.asked}
    per_building: dict[int, list[int]] = {}
    for dimension, score, _order, building in rows:
        per_dimension.setdefault(Dimension(dimension), []).append(score)
        per_building.setdefault(building, []).append(score)
    dimensions = tuple(
        DimensionResult(
            d,
            share(per_dimension[d], max(population, len(per_dimension[d]))),
            (
                per_dimension[d].count(Score.VERY_DISSATISFIED),
                per_dimension[d].count(Score.DISSATISFIED),
                per_dimension[d].count(Score.NEUTRAL),
                per_dimension[d].count(Score.SATISFIED),
                per_dimension[d].count(Score.VERY_SATISFIED),
            ),
        )
        for d in read.asked
    )
    sampled: dict[int, int] = {}
    done: dict[int, int] = {}
    for building, status in entries:
        sampled[building] = sampled.get(building, 0) + 1
        done[building] = done.get(building, 0) + (status == Status.ANSWERED)
    buildings = tuple(
        BuildingResult(
            b,
            name,
            read.homes.get(b, 0),
            sampled[b],
            done[b],
            _pooled(per_building.get(b, []), done[b], max(read.homes.get(b, 0), done[b])),
        )
        for b, name in read.buildings
        if b in sampled
    )
    every = [score for _d, score, _o, _b in rows]
    low = [order for _d, score, order, _b in rows if score <= LOW_SCORE]
    return SurveyResults(
        read.survey_id,
        read.name,
        read.period,
        population,
        len(entries),
        answered,
        sum(1 for _b, status in entries if status == Status.UNREACHED),
        sum(1 for _b, status in entries if status == Status.REFUSED),
        _pooled(every, answered, max(population, answered)),
        dimensions,
        buildings,
        len(low),
        sum(1 for order in low if order is None),
    )


def results(
    store: Store, actor: Actor, survey_id: int, building_id: int | None = None
) -> SurveyResults:
    """The survey's figures: per dimension, per building and overall. With
    `building_id`, the same figures of that building's sampled households alone, the
    building's lived-in homes being the population their margins stand for."""
    require(actor, Permission.PRINT_REPORTS)
    with reading(store) as session:
        read = _read(session, survey_id)
    return _summary(read, building_id)


def results_by_building(
    store: Store, actor: Actor, survey_id: int
) -> tuple[SurveyResults, dict[int, SurveyResults]]:
    """The survey's figures and each sampled building's (as `results` gives them),
    read once."""
    require(actor, Permission.PRINT_REPORTS)
    with reading(store) as session:
        read = _read(session, survey_id)
    whole = _summary(read)
    return whole, {b.building_id: _summary(read, b.building_id) for b in whole.buildings}


@dataclass(frozen=True)
class AnsweredSurvey:
    """A survey with answers taken in a window of time: how many, the first and the last."""

    survey_id: int
    name: str
    period: str
    answered: int  # households whose answers were taken in the window
    first_at: datetime
    last_at: datetime


def answered_surveys(
    store: Store,
    actor: Actor,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AnsweredSurvey]:
    """The surveys with answers taken at or after `since` and before `until`, the one
    answered last first (then the newer survey): what a chart or a report of that
    time may show. Counts and times are of the answers in the window."""
    require(actor, Permission.PRINT_REPORTS)
    window = [SurveyHousehold.status == Status.ANSWERED, SurveyHousehold.answered_at.is_not(None)]
    if since is not None:
        window.append(SurveyHousehold.answered_at >= since)
    if until is not None:
        window.append(SurveyHousehold.answered_at < until)
    query = (
        select(
            Survey.id,
            Survey.name,
            Survey.period,
            func.count(),
            func.min(SurveyHousehold.answered_at),
            func.max(SurveyHousehold.answered_at),
        )
        .join(SurveyHousehold, SurveyHousehold.survey_id == Survey.id)
        .where(*window)
        .group_by(Survey.id, Survey.name, Survey.period)
    )
    with reading(store) as session:
        found = [
            AnsweredSurvey(sid, name, period, n, first, last)
            for sid, name, period, n, first, last in session.execute(query)
            if first is not None and last is not None
        ]
    return sorted(found, key=lambda s: (s.last_at, s.survey_id), reverse=True)


@dataclass(frozen=True)
class LowScoreRow:
    """A score of 不满意 or worse: whom to follow up, and the work order if one was made."""

    score_id: int
    form_number: str
    room_id: int
    room_code: str
    dimension: Dimension
    score: int
    open_answer: str
    order_number: str  # "" until it becomes a work order


def low_scores(store: Store, actor: Actor, survey_id: int) -> list[LowScoreRow]:
    """The survey's low scores in the actor's scope, by form number."""
    require(actor, Permission.PRINT_REPORTS)
    with reading(store) as session:
        load_survey(session, survey_id)
        query = (
            select(SurveyScore, SurveyHousehold, WorkOrder.number)
            .join(SurveyHousehold, SurveyScore.survey_household_id == SurveyHousehold.id)
            .join(Building, SurveyHousehold.building_id == Building.id)
            .outerjoin(WorkOrder, SurveyScore.work_order_id == WorkOrder.id)
            .where(SurveyHousehold.survey_id == survey_id, SurveyScore.score <= LOW_SCORE)
            .order_by(SurveyHousehold.serial, SurveyScore.id)
        )
        found = list(session.execute(in_scope_only(query, actor)))
        places = room_places(session, [e.room_id for _s, e, _n in found])
        return [
            LowScoreRow(
                s.id,
                form_number(survey_id, e.serial),
                e.room_id,
                places.get(e.room_id, ("", ""))[0],
                Dimension(s.dimension),
                s.score,
                e.open_answer,
                number or "",
            )
            for s, e, number in found
        ]


FOLLOW_UP_KINDS = (Kind.COMPLAINT, Kind.REPAIR_HOME)


def to_work_order(
    store: Store,
    actor: Actor,
    score_id: int,
    *,
    kind: Kind = Kind.COMPLAINT,
    category: int | None = None,
    note: str = "",
) -> Taken:
    """转为工单: a low score becomes a work order (a complaint to follow up, or an in-home
    repair) taken through the service desk, in the same transaction, and the score
    keeps the order it became. `category` defaults to the dimension's category."""
    if kind not in FOLLOW_UP_KINDS:
        raise ValidationError("工单类型", "调查低分只能转为投诉回访或户内报修")
    with writing(store, actor, Permission.TAKE_WORK_ORDERS) as session:
        score = session.get(SurveyScore, score_id)
        if score is None:
            raise NotFound("找不到该评分。")
        entry = session.get(SurveyHousehold, score.survey_household_id)
        assert entry is not None
        building = session.get(Building, entry.building_id)
        assert building is not None
        require_in_scope(actor, Permission.TAKE_WORK_ORDERS, building)
        if score.score > LOW_SCORE:
            raise ValidationError("评分", "只有“不满意”或“非常不满意”的评分可以转为工单")
        if score.work_order_id is not None:
            raise ValidationError("评分", "该评分已转为工单")
        survey = load_survey(session, entry.survey_id)
        dimension = Dimension(score.dimension)
        chosen = (
            category
            if category is not None
            else category_id(session, DIMENSION_CATEGORIES.get(dimension.value, "其他"))
        )
        said = f"；业主意见：{entry.open_answer}" if entry.open_answer else ""
        extra = f"；{note.strip()}" if note.strip() else ""
        description = (
            f"满意度调查“{survey.name}”问卷 {form_number(survey.id, entry.serial)}："
            f"{dimension.label}评为{Score(score.score).label}{said}{extra}"
        )[:500]
        taken = take_order(
            session,
            actor,
            OrderInput(
                kind=kind,
                channel=Channel.BUTLER if entry.paper else Channel.PHONE,
                category_id=chosen,
                description=description,
                room_id=entry.room_id,
            ),
        )
        score.work_order_id = taken.order_id
        return taken
