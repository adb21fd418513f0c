"""Surveys on a database: defined by a supervisor, the sample drawn by building, the
call list, calls and paper forms, the results a supervisor would check by hand, and a
low score turned into a work order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, update

from frontdesk.db.models import AuditEntry, Room, SurveyHousehold, WorkOrder
from frontdesk.domain.household import PersonKind
from frontdesk.domain.roles import Actor, Role
from frontdesk.domain.rooms import RoomStatus
from frontdesk.domain.service_desk import Kind
from frontdesk.domain.surveys import Dimension, Outcome, Status
from frontdesk.errors import PermissionDenied, ValidationError
from frontdesk.services import surveys
from frontdesk.services.database import Database
from frontdesk.services.households import file as household_file
from frontdesk.services.households import structure
from frontdesk.services.surveys import Answers, SurveyInput

MakeUser = Callable[..., Actor]
ASKED = (Dimension.RECEPTION, Dimension.REPAIRS, Dimension.CLEANING)


@dataclass(frozen=True)
class Estate:
    one: int  # 1栋: 12 homes
    two: int  # 2栋: 8 homes
    rooms: dict[int, list[int]]


@pytest.fixture
def estate(db: Database, admin: Actor) -> Estate:
    one = structure.create_building(db, admin, structure.NewBuilding("1", "1栋", 6, 1, 2, "89.50"))
    two = structure.create_building(db, admin, structure.NewBuilding("2", "2栋", 4, 1, 2, "89.50"))
    with db.write(admin) as session:
        session.execute(update(Room).values(status=RoomStatus.OCCUPIED))
    rooms: dict[int, list[int]] = {}
    for b in (one.id, two.id):
        rooms[b] = structure.room_ids(db, admin, structure.RoomFilter(building_id=b))
    first = rooms[one.id][0]
    household_file.add_record(
        db,
        admin,
        first,
        household_file.PersonInput(PersonKind.OWNER, "张三", phone="13812345678"),
    )
    return Estate(one.id, two.id, rooms)


def survey(db: Database, admin: Actor, name: str = "2026年二季度满意度调查") -> int:
    return surveys.define_survey(
        db, admin, SurveyInput(name, "2026年第二季度", ASKED, "您还有什么意见和建议？")
    )


def answer(*scores: int, words: str = "") -> Answers:
    return Answers(dict(zip(ASKED, scores, strict=True)), words)


def test_only_supervisors_define_and_a_survey_needs_questions(
    db: Database, admin: Actor, make_user: MakeUser, estate: Estate
) -> None:
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied):
        surveys.define_survey(db, clerk, SurveyInput("调查", "2026年", ASKED))
    with pytest.raises(ValidationError) as refused:
        surveys.define_survey(db, admin, SurveyInput("调查", "2026年", ()))
    assert refused.value.field == "调查项目"
    boss = make_user(Role.SUPERVISOR)
    assert surveys.define_survey(db, boss, SurveyInput("调查", "2026年", ASKED)) > 0


def test_the_sample_is_stratified_and_a_too_large_one_is_refused(
    db: Database, admin: Actor, estate: Estate
) -> None:
    sid = survey(db, admin)
    with pytest.raises(ValidationError) as refused:
        surveys.draw_sample(db, admin, sid, count=21)
    assert refused.value.field == "样本量"
    assert "20 户" in refused.value.problem
    assert surveys.draw_sample(db, admin, sid, percent=50, seed=7) == 10
    listed = surveys.call_list(db, admin, sid)
    # 12 and 8 homes: 6 and 4 drawn
    assert sum(1 for r in listed if r.building == "1栋") == 6
    assert sum(1 for r in listed if r.building == "2栋") == 4
    assert [r.form_number for r in listed][:2] == [f"MY{sid:03d}-0001", f"MY{sid:03d}-0002"]
    with pytest.raises(ValidationError):
        surveys.draw_sample(db, admin, sid, count=1)  # drawn once


def test_households_surveyed_lately_are_left_out(
    db: Database, admin: Actor, estate: Estate
) -> None:
    first = survey(db, admin)
    surveys.draw_sample(db, admin, first, count=15, seed=1)
    for row in surveys.call_list(db, admin, first):
        surveys.record_call(db, admin, row.entry_id, Outcome.REACHED, answer(5, 4, 4))
    second = survey(db, admin, "第二次")
    with pytest.raises(ValidationError) as refused:
        surveys.draw_sample(db, admin, second, count=6)
    assert "可抽取的 5 户" in refused.value.problem
    surveys.draw_sample(db, admin, second, count=5, seed=2)
    again = {r.room_id for r in surveys.call_list(db, admin, first)}
    assert not again & {r.room_id for r in surveys.call_list(db, admin, second)}


def test_calls_answers_and_results_by_hand(
    db: Database, admin: Actor, make_user: MakeUser, estate: Estate
) -> None:
    sid = survey(db, admin)
    surveys.draw_sample(db, admin, sid, count=10, seed=3)
    rows = surveys.call_list(db, admin, sid)
    clerk = make_user(Role.CLERK)
    # three not answered calls and the household is unreached
    for _ in range(3):
        surveys.record_call(db, clerk, rows[0].entry_id, Outcome.NO_ANSWER)
    with pytest.raises(ValidationError):
        surveys.record_call(db, clerk, rows[0].entry_id, Outcome.NO_ANSWER)
    assert surveys.record_call(db, clerk, rows[1].entry_id, Outcome.REFUSED) == Status.REFUSED
    with pytest.raises(ValidationError) as refused:
        surveys.record_call(db, clerk, rows[2].entry_id, Outcome.REACHED, answer(5, 6, 4))
    assert refused.value.field == "工程维修"
    # 8 answers: reception 5,5,5,4,4,4,3,1 → 6 of 8 satisfied
    given = [(5, 4, 5), (5, 4, 5), (5, 4, 4), (4, 4, 4), (4, 2, 4), (4, 5, 5), (3, 5, 5), (1, 5, 5)]
    for row, scores in zip(rows[2:], given, strict=True):
        surveys.record_call(db, clerk, row.entry_id, Outcome.REACHED, answer(*scores))
    result = surveys.results(db, admin, sid)
    assert (result.sampled, result.answered, result.unreached, result.refused) == (10, 8, 1, 1)
    reception = result.share_of(Dimension.RECEPTION)
    assert reception is not None
    assert (reception.answered, reception.satisfied) == (6 + 2, 6)
    # p = 6/8, n = 8 answers, N = 20 homes: 1.96 · √(0.75 · 0.25 / 8) · √(12/19)
    #   = 1.96 · 0.15309 · 0.79472 = 0.2385
    assert reception.margin == pytest.approx(0.2385, abs=1e-4)
    repairs = result.dimensions[1]
    assert repairs.counts == (0, 1, 0, 4, 3)
    assert result.overall.satisfied == 6 + 7 + 8
    assert result.low_scores == 2
    assert sum(b.sampled for b in result.buildings) == 10
    listed = surveys.list_surveys(db, admin)[0]
    assert listed.response_rate == pytest.approx(0.8)
    assert listed.satisfaction == pytest.approx(21 / 24)


def test_results_by_dimension_building_and_overall_with_their_margins_by_hand(
    db: Database, admin: Actor, make_user: MakeUser, estate: Estate
) -> None:
    sid = survey(db, admin)
    # 10 of the 20 homes, by building: 1栋 12 → 6, 2栋 8 → 4
    surveys.draw_sample(db, admin, sid, count=10, seed=11)
    rows = surveys.call_list(db, admin, sid)
    one = [r.entry_id for r in rows if r.building == "1栋"]
    two = [r.entry_id for r in rows if r.building == "2栋"]
    assert (len(one), len(two)) == (6, 4)
    clerk = make_user(Role.CLERK)
    # 1栋: four answer (客服接待, 工程维修, 环境保洁), one is not reached three times,
    # one refuses; 2栋: all four answer.
    for entry, scores in zip(one, [(5, 5, 5), (4, 4, 4), (5, 3, 4), (2, 4, 5)], strict=False):
        surveys.record_call(db, clerk, entry, Outcome.REACHED, answer(*scores))
    for _ in range(3):
        surveys.record_call(db, clerk, one[4], Outcome.NO_ANSWER)
    surveys.record_call(db, clerk, one[5], Outcome.REFUSED)
    for entry, scores in zip(two, [(5, 5, 5), (4, 3, 3), (3, 2, 4), (5, 4, 4)], strict=True):
        surveys.record_call(db, clerk, entry, Outcome.REACHED, answer(*scores))
    result = surveys.results(db, admin, sid)
    assert (result.population, result.sampled, result.answered) == (20, 10, 8)
    assert (result.unreached, result.refused, result.low_scores) == (1, 1, 2)

    # 满意度 = scores of 4 (满意) or 5 (非常满意) over the scores given, n = 8 households,
    # N = 20 homes; e = 1.96 · √(p(1−p)/n) · √((N−n)/(N−1)), √(12/19) = 0.79472:
    # 客服接待 5 4 5 2 | 5 4 3 5 → 6/8, e = 1.96 · √(0.1875/8) · 0.79472 = 0.2385
    # 工程维修 5 4 3 4 | 5 3 2 4 → 5/8, e = 1.96 · √(0.234375/8) · 0.79472 = 0.2666
    # 环境保洁 5 4 4 5 | 5 3 4 4 → 7/8, e = 1.96 · √(0.109375/8) · 0.79472 = 0.1821
    found = [
        (d.label, d.share.answered, d.share.satisfied, d.share.margin) for d in result.dimensions
    ]
    assert found == [
        ("客服接待", 8, 6, pytest.approx(0.2385, abs=1e-4)),
        ("工程维修", 8, 5, pytest.approx(0.2666, abs=1e-4)),
        ("环境保洁", 8, 7, pytest.approx(0.1821, abs=1e-4)),
    ]
    assert result.dimensions[1].counts == (0, 1, 2, 3, 2)
    assert [d.share.text() for d in result.dimensions] == [
        "75.0%（±23.8%）",
        "62.5%（±26.7%）",
        "87.5%（±18.2%）",
    ]
    # Overall: 18 of the 24 scores, p = 0.75, the 8 households (not the 24 scores) as n:
    # e = 1.96 · √(0.1875/8) · 0.79472 = 0.2385
    overall = result.overall
    assert (overall.answered, overall.satisfied) == (24, 18)
    assert overall.margin == pytest.approx(0.2385, abs=1e-4)
    # By building, every score of its households, n its households that answered and
    # N its homes: 1栋 10 of 12 scores, n = 4 of N = 12:
    #   1.96 · √((10/12)(2/12)/4) · √(8/11) = 1.96 · 0.18634 · 0.85280 = 0.3115
    # 2栋 8 of 12 scores, n = 4 of N = 8: 1.96 · √((2/9)/4) · √(4/7) = 1.96 · 0.23570 · 0.75593
    #   = 0.3492
    buildings = [
        (b.building, b.households, b.sampled, b.answered, b.share.satisfied, b.share.margin)
        for b in result.buildings
    ]
    assert buildings == [
        ("1栋", 12, 6, 4, 10, pytest.approx(0.3115, abs=1e-4)),
        ("2栋", 8, 4, 4, 8, pytest.approx(0.3492, abs=1e-4)),
    ]


def test_phones_masked_for_clerks_and_butlers_only_their_buildings(
    db: Database, admin: Actor, make_user: MakeUser, estate: Estate
) -> None:
    sid = survey(db, admin)
    surveys.draw_sample(db, admin, sid, percent=100, seed=1)
    clerk = make_user(Role.CLERK)
    butler = make_user(Role.BUTLER)
    household_file.assign_butler(db, admin, estate.two, butler.user_id)
    owner_row = next(
        r for r in surveys.call_list(db, admin, sid) if r.room_id == estate.rooms[estate.one][0]
    )
    assert owner_row.phone == "13812345678"
    assert owner_row.contact == "张三"
    clerk_row = next(
        r for r in surveys.call_list(db, clerk, sid) if r.entry_id == owner_row.entry_id
    )
    assert clerk_row.phone == "138****5678"
    mine = surveys.call_list(db, butler, sid)
    assert {r.building for r in mine} == {"2栋"} and len(mine) == 8
    with pytest.raises(PermissionDenied):
        surveys.record_call(db, butler, owner_row.entry_id, Outcome.NO_ANSWER)
    surveys.record_call(db, butler, mine[0].entry_id, Outcome.REACHED, answer(5, 5, 5))


def test_paper_forms_and_a_low_score_becomes_a_work_order(
    db: Database, admin: Actor, make_user: MakeUser, estate: Estate
) -> None:
    sid = survey(db, admin)
    surveys.draw_sample(db, admin, sid, count=4, seed=5)
    number = surveys.call_list(db, admin, sid)[0].form_number
    clerk = make_user(Role.CLERK)
    found = surveys.find_form(db, clerk, number.lower())
    assert found.dimensions == ASKED
    surveys.enter_form(db, clerk, number, answer(2, 4, 5, words="前台接电话太慢"))
    with pytest.raises(ValidationError) as refused:
        surveys.enter_form(db, clerk, number, answer(5, 5, 5))
    assert refused.value.field == "问卷编号"
    low = surveys.low_scores(db, clerk, sid)
    assert [(r.dimension, r.score) for r in low] == [(Dimension.RECEPTION, 2)]
    taken = surveys.to_work_order(db, clerk, low[0].score_id)
    with db.read() as session:
        order = session.get(WorkOrder, taken.order_id)
        assert order is not None
        assert order.kind == Kind.COMPLAINT and order.room_id == low[0].room_id
        assert number in order.description and "前台接电话太慢" in order.description
        audited = {e.entity for e in session.scalars(select(AuditEntry))}
        entry = session.scalar(select(SurveyHousehold).where(SurveyHousehold.survey_id == sid))
        assert entry is not None
    assert {"survey", "survey_household", "survey_score", "work_order"} <= audited
    assert surveys.low_scores(db, clerk, sid)[0].order_number == taken.number
    with pytest.raises(ValidationError):
        surveys.to_work_order(db, clerk, low[0].score_id)
    assert surveys.results(db, admin, sid).low_scores_open == 0


def test_the_personal_data_tools_find_a_households_answers(
    db: Database, admin: Actor, estate: Estate, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from frontdesk.services.personal.export import export_person
    from frontdesk.services.personal.rights import RecordKind, find_person

    sid = survey(db, admin)
    surveys.draw_sample(db, admin, sid, percent=100, seed=1)
    mine = next(
        r for r in surveys.call_list(db, admin, sid) if r.room_id == estate.rooms[estate.one][0]
    )
    surveys.record_call(db, admin, mine.entry_id, Outcome.REACHED, answer(4, 4, 5, words="好"))
    refs = find_person(db, admin, name="张三", phone="13812345678")
    answers = [r for r in refs if r.kind == RecordKind.SURVEY]
    assert len(answers) == 1
    assert answers[0].record_id == mine.entry_id and not answers[0].erasable
    assert answers[0].room_id == mine.room_id and "2026年二季度满意度调查" in answers[0].dates
    assert not [r for r in find_person(db, admin, name="李四") if r.kind == RecordKind.SURVEY]
    path = tmp_path / "copy.xlsx"
    export_person(db, admin, answers, path)
    sheet = load_workbook(path)["满意度调查答卷"]
    row = [c.value for c in sheet[2]]
    assert row[0] == "2026年二季度满意度调查" and row[4] == "电话"
    assert row[5] == "客服接待 4分；工程维修 4分；环境保洁 5分" and row[6] == "好"
