"""What the paper forms of a survey print: one per sampled household, numbered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from frontdesk.db.models import Building, SurveyHousehold
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.surveys import Dimension, Status, form_number
from frontdesk.errors import ValidationError
from frontdesk.services.access import require
from frontdesk.services.households.structure import room_places
from frontdesk.services.scope import in_scope_only
from frontdesk.services.store import Store, reading
from frontdesk.services.surveys.define import dimensions_of, load_survey


@dataclass(frozen=True)
class FormLine:
    number: str  # MY001-0012
    room_id: int
    room_code: str  # 3-2-1201
    place: str  # 3栋2单元1201室


@dataclass(frozen=True)
class FormsData:
    survey_id: int
    name: str
    period: str
    question: str
    dimensions: tuple[Dimension, ...]
    forms: tuple[FormLine, ...]


def survey_forms_data(
    store: Store, actor: Actor, survey_id: int, *, unanswered_only: bool = True
) -> FormsData:
    """The forms to print: the sampled households in the actor's scope not yet answered
    (or all of them), by form number."""
    require(actor, Permission.TAKE_WORK_ORDERS)
    with reading(store) as session:
        survey = load_survey(session, survey_id)
        query = (
            select(SurveyHousehold)
            .join(Building, SurveyHousehold.building_id == Building.id)
            .where(SurveyHousehold.survey_id == survey_id)
            .order_by(SurveyHousehold.serial)
        )
        if unanswered_only:
            query = query.where(SurveyHousehold.status != Status.ANSWERED)
        entries = list(session.scalars(in_scope_only(query, actor)))
        if not entries:
            what = "尚未抽样" if survey.sampled_at is None else "没有待回收问卷的样本户"
            raise ValidationError("调查", f"“{survey.name}”{what}，没有可打印的问卷")
        places = room_places(session, [e.room_id for e in entries])
        return FormsData(
            survey.id,
            survey.name,
            survey.period,
            survey.question,
            dimensions_of(session, survey_id),
            tuple(
                FormLine(
                    form_number(survey.id, e.serial),
                    e.room_id,
                    *places.get(e.room_id, ("", "")),
                )
                for e in entries
            ),
        )
