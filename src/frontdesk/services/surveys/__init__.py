"""满意度调查: surveys defined by a supervisor, their samples drawn by building, the
call list and the answers (by phone or on paper), the results with their margins, and
low scores turned into work orders.

The area's use-cases (functions taking a `Store`) with their inputs and rows, loaded on
first use; helpers taking a `Session` stay in their modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.services.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from frontdesk.services.surveys.answers import (
        Answers,
        CallRow,
        FormEntry,
        call_list,
        enter_form,
        find_form,
        record_call,
    )
    from frontdesk.services.surveys.define import (
        SurveyInput,
        SurveyRow,
        define_survey,
        draw_sample,
        find_survey,
        list_surveys,
        survey_row,
    )
    from frontdesk.services.surveys.forms import FormsData, survey_forms_data
    from frontdesk.services.surveys.outcomes import (
        AnsweredSurvey,
        BuildingResult,
        DimensionResult,
        LowScoreRow,
        SurveyResults,
        answered_surveys,
        low_scores,
        results,
        results_by_building,
        to_work_order,
    )

__all__ = [
    "AnsweredSurvey",
    "Answers",
    "BuildingResult",
    "CallRow",
    "DimensionResult",
    "FormEntry",
    "FormsData",
    "LowScoreRow",
    "SurveyInput",
    "SurveyResults",
    "SurveyRow",
    "answered_surveys",
    "call_list",
    "define_survey",
    "draw_sample",
    "enter_form",
    "find_form",
    "find_survey",
    "list_surveys",
    "low_scores",
    "record_call",
    "results",
    "results_by_building",
    "survey_forms_data",
    "survey_row",
    "to_work_order",
]

__getattr__, __dir__ = lazy_exports(__name__, __path__, __all__)
