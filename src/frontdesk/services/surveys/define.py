"""A survey defined by a supervisor, its sample drawn, and the list of surveys.

Defining and drawing are the service desk supervisor's (MANAGE_SERVICE_DESK): the
survey measures the service the desk is judged by, and the permission already marks
who sets the desk's promises; no new permission is needed for one more of its tools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.db.models import (
    Room,
    Survey,
    SurveyDimension,
    SurveyHousehold,
    SurveyScore,
)
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.rooms import RoomStatus, RoomType
from frontdesk.domain.surveys import (
    RESURVEY_MONTHS,
    Dimension,
    Household,
    Status,
    draw,
    is_satisfied,
    months_before,
    sample_size,
)
from frontdesk.domain.text import clean_text
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.access import require
from frontdesk.services.store import Store, reading, writing

MANAGE = Permission.MANAGE_SERVICE_DESK
LIVED_IN = (RoomStatus.OCCUPIED, RoomStatus.RENTED, RoomStatus.HANDED_OVER)


@dataclass(frozen=True)
class SurveyInput:
    name: str
    period: str  # 2026年第二季度
    dimensions: Sequence[Dimension]
    question: str = ""  # the open question, e.g. 您对物业服务还有哪些意见和建议？


@dataclass(frozen=True)
class SurveyRow:
    """A survey in the list: its sample and how far the calls have come."""

    survey_id: int
    name: str
    period: str
    dimensions: tuple[Dimension, ...]
    question: str
    sampled: int  # households drawn; 0 before the sample
    population: int | None
    answered: int
    pending: int
    unreached: int
    refused: int
    scores: int  # scores given, over every dimension
    satisfied: int  # of them 满意 or 非常满意
    created_at: datetime

    @property
    def response_rate(self) -> float | None:
        """The share of the drawn households that answered."""
        return None if self.sampled == 0 else self.answered / self.sampled

    @property
    def satisfaction(self) -> float | None:
        """满意度 over every score given."""
        return None if self.scores == 0 else self.satisfied / self.scores


def define_survey(store: Store, actor: Actor, data: SurveyInput) -> int:
    """A new survey; its sample is drawn afterwards."""
    name = clean_text(data.name, "调查名称", 60, required=True)
    period = clean_text(data.period, "调查期间", 30, required=True)
    question = clean_text(data.question, "开放问题", 200)
    dimensions = list(dict.fromkeys(data.dimensions))
    if not dimensions:
        raise ValidationError("调查项目", "请至少选择一个调查项目（如客服接待、工程维修）")
    with writing(store, actor, MANAGE) as session:
        if session.scalar(select(Survey.id).where(Survey.name == name)) is not None:
            raise ValidationError("调查名称", f"已有名为“{name}”的调查")
        survey = Survey(name=name, period=period, question=question, **by_columns("created", actor))
        session.add(survey)
        session.flush()
        for position, dimension in enumerate(dimensions):
            session.add(
                SurveyDimension(survey_id=survey.id, dimension=dimension, position=position)
            )
        return survey.id


def dimensions_of(session: Session, survey_id: int) -> tuple[Dimension, ...]:
    return tuple(
        Dimension(d)
        for d in session.scalars(
            select(SurveyDimension.dimension)
            .where(SurveyDimension.survey_id == survey_id)
            .order_by(SurveyDimension.position)
        )
    )


def load_survey(session: Session, survey_id: int) -> Survey:
    survey = session.get(Survey, survey_id)
    if survey is None:
        raise NotFound("找不到该满意度调查。")
    return survey


def find_survey(store: Store, text: str) -> int:
    """A survey by its id or its name (the command line's SURVEY)."""
    with reading(store) as session:
        query = select(Survey.id).where(Survey.name == text.strip())
        found = session.scalar(query)
        if found is None and text.strip().isdigit():
            found = session.scalar(select(Survey.id).where(Survey.id == int(text)))
    if found is None:
        raise ValidationError("调查", f"找不到调查“{text}”（请填调查名称或编号）")
    return found


def _households(session: Session) -> list[Household]:
    """Every lived-in home of the community: what a sample stands for."""
    return [
        Household(room_id, building_id)
        for room_id, building_id in session.execute(
            select(Room.id, Room.building_id).where(
                Room.room_type == RoomType.RESIDENCE, Room.status.in_(LIVED_IN)
            )
        )
    ]


def _recently_surveyed(session: Session, survey_id: int) -> set[int]:
    """Rooms that answered another survey within RESURVEY_MONTHS, or are drawn for one
    not yet finished: a household is not asked again so soon."""
    since_day = months_before(clock.today(), RESURVEY_MONTHS)
    since = datetime.combine(since_day, time(), tzinfo=UTC)
    answered = select(SurveyHousehold.room_id).where(
        SurveyHousehold.survey_id != survey_id,
        SurveyHousehold.answered_at >= since,
    )
    waiting = select(SurveyHousehold.room_id).where(
        SurveyHousehold.survey_id != survey_id, SurveyHousehold.status == Status.PENDING
    )
    return set(session.scalars(answered)) | set(session.scalars(waiting))


def draw_sample(
    store: Store,
    actor: Actor,
    survey_id: int,
    *,
    count: int | None = None,
    percent: int | None = None,
    seed: int | None = None,
) -> int:
    """The households to ask: `count` of them, or `percent` of the community's homes,
    stratified by building, leaving out those surveyed in the last six months. A
    survey's sample is drawn once. Returns how many were drawn."""
    with writing(store, actor, MANAGE) as session:
        survey = load_survey(session, survey_id)
        if not dimensions_of(session, survey_id):
            raise ValidationError("调查项目", "该调查没有调查项目，不能抽样")
        if survey.sampled_at is not None:
            raise ValidationError("样本量", "该调查已抽样，不能重新抽取")
        homes = _households(session)
        size = sample_size(len(homes), count=count, percent=percent)
        if size > len(homes):
            raise ValidationError("样本量", f"样本量 {size} 户超过小区的 {len(homes)} 户")
        chosen_seed = seed if seed is not None else int(clock.utc_now().timestamp())
        sample = draw(
            homes, size, excluded=_recently_surveyed(session, survey_id), seed=chosen_seed
        )
        for serial, home in enumerate(sample, start=1):
            session.add(
                SurveyHousehold(
                    survey_id=survey_id,
                    room_id=home.room_id,
                    building_id=home.building_id,
                    serial=serial,
                    status=Status.PENDING,
                    attempts=0,
                    paper=False,
                    answered_by_id=None,
                )
            )
        survey.sampled_at = clock.utc_now()
        survey.population = len(homes)
        survey.seed = chosen_seed
        return len(sample)


def list_surveys(store: Store, actor: Actor) -> list[SurveyRow]:
    """Every survey, newest first, with its response rate and 满意度."""
    require(actor, Permission.PRINT_REPORTS)
    with reading(store) as session:
        surveys = list(session.scalars(select(Survey).order_by(Survey.id.desc())))
        states: dict[int, dict[Status, int]] = {}
        for sid, status, n in session.execute(
            select(SurveyHousehold.survey_id, SurveyHousehold.status, func.count()).group_by(
                SurveyHousehold.survey_id, SurveyHousehold.status
            )
        ):
            states.setdefault(sid, {})[Status(status)] = n
        scores: dict[int, list[int]] = {}
        for sid, score, n in session.execute(
            select(SurveyHousehold.survey_id, SurveyScore.score, func.count())
            .join(SurveyHousehold, SurveyScore.survey_household_id == SurveyHousehold.id)
            .group_by(SurveyHousehold.survey_id, SurveyScore.score)
        ):
            entry = scores.setdefault(sid, [0, 0])
            entry[0] += n
            entry[1] += n if is_satisfied(score) else 0
        rows = []
        for s in surveys:
            by = states.get(s.id, {})
            given, good = scores.get(s.id, [0, 0])
            rows.append(
                SurveyRow(
                    s.id,
                    s.name,
                    s.period,
                    dimensions_of(session, s.id),
                    s.question,
                    sum(by.values()),
                    s.population,
                    by.get(Status.ANSWERED, 0),
                    by.get(Status.PENDING, 0),
                    by.get(Status.UNREACHED, 0),
                    by.get(Status.REFUSED, 0),
                    given,
                    good,
                    s.created_at,
                )
            )
        return rows


def survey_row(store: Store, actor: Actor, survey_id: int) -> SurveyRow:
    for row in list_surveys(store, actor):
        if row.survey_id == survey_id:
            return row
    raise NotFound("找不到该满意度调查。")
