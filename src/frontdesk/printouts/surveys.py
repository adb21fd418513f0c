"""满意度调查问卷 assembled: the sample's forms from the survey service, drawn by
documents/survey_form and registered like every paper (the GUI and the command line
print the same)."""

from __future__ import annotations

from frontdesk.documents.survey_form import SurveyForm, SurveyForms, survey_forms_pdf
from frontdesk.domain import clock
from frontdesk.domain.issued import DocKind, Issue, Printout, Subject
from frontdesk.domain.roles import Actor
from frontdesk.printouts import letterhead
from frontdesk.services.database import Database
from frontdesk.services.surveys.forms import survey_forms_data

RETURN_TO = "物业服务中心前台，或交给您的管家"


def survey_forms(
    db: Database, actor: Actor, survey_id: int, *, unanswered_only: bool = True
) -> Printout:
    """One numbered form per sampled household (those not yet answered, by default)."""
    data = survey_forms_data(db, actor, survey_id, unanswered_only=unanswered_only)
    forms = SurveyForms(
        data.name,
        data.period,
        tuple(d.label for d in data.dimensions),
        data.question,
        tuple(SurveyForm(f.number, f.place) for f in data.forms),
        RETURN_TO,
    )
    pdf = survey_forms_pdf(letterhead(db), forms, clock.now(), actor.display_name)
    first, last = data.forms[0].number, data.forms[-1].number
    return Printout(
        pdf,
        Issue(
            DocKind.SURVEY_FORMS,
            f"{data.name}调查问卷 {first}至{last}（{len(data.forms)}份）",
            f"{first}-{last}",
            tuple(
                Subject(room_id=f.room_id, page=page) for page, f in enumerate(data.forms, start=1)
            ),
        ),
    )
