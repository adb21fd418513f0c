"""A small community for the satisfaction figures: 1栋 with 12 homes and 2栋 with 8, all
lived in, and surveys of two dimensions whose answers are taken on a chosen day, the
same known scores each time, so that every 满意度 and margin can be counted by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from frontdesk.db.models import Room
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor
from frontdesk.domain.rooms import RoomStatus
from frontdesk.domain.surveys import Dimension, Outcome
from frontdesk.services import surveys
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.surveys import Answers, SurveyInput

ASKED = (Dimension.RECEPTION, Dimension.REPAIRS)
# (客服接待, 工程维修) of the households answering, by building; one more refuses and
# one is not called yet in each building. The whole community (20 homes, 6 answers):
# 客服接待 5 of 6 satisfied, 工程维修 4 of 6, every score 9 of 12.
SCORES = {
    "1栋": ((5, 4), (4, 3), (5, 2), (4, 4)),  # 12 homes: 客服接待 4/4, 工程维修 2/4
    "2栋": ((3, 5), (4, 4)),  # 8 homes: 客服接待 1/2, 工程维修 2/2
}


@dataclass(frozen=True)
class Estate:
    one: int  # building ids
    two: int


def make_estate(db: Database, admin: Actor) -> Estate:
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 6, 1, 2, "89.50"))
    two = structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 4, 1, 2, "89.50"))
    with db.write(admin) as session:
        session.execute(update(Room).values(status=RoomStatus.OCCUPIED))
    return Estate(one.id, two.id)


def surveyed(db: Database, admin: Actor, name: str, when: datetime, period: str = "") -> int:
    """A survey of 10 households (6 of 1栋, 4 of 2栋) answered on `when` as SCORES says."""
    clock.freeze(when)
    survey_id = surveys.define_survey(
        db, admin, SurveyInput(name, period or f"{when:%Y年%m月}", ASKED)
    )
    surveys.draw_sample(db, admin, survey_id, count=10, seed=5)
    rows = surveys.call_list(db, admin, survey_id)
    for building, scores in SCORES.items():
        mine = [row for row in rows if row.building == building]
        for row, given in zip(mine, scores, strict=False):
            answers = Answers(dict(zip(ASKED, given, strict=True)), "")
            surveys.record_call(db, admin, row.entry_id, Outcome.REACHED, answers)
        surveys.record_call(db, admin, mine[len(scores)].entry_id, Outcome.REFUSED)
    return survey_id
