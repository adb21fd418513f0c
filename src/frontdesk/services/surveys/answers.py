"""The call list of a survey's sample, each call and its answers, and the answers
of a returned paper form.

Clerks and butlers enter answers (TAKE_WORK_ORDERS: the desk's own staff, who call
owners back on work orders too); a butler only for the households of their own
buildings. The phone on the list is the household's contact: whole for who may see
phones whole (a butler in their buildings, a supervisor), masked for the others, as
the household file and the renovation list show it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import Building, Person, SurveyCall, SurveyHousehold, SurveyScore
from frontdesk.db.who import by_columns
from frontdesk.domain import clock
from frontdesk.domain.household import PersonKind
from frontdesk.domain.phone import mask_phone
from frontdesk.domain.roles import Actor, Permission
from frontdesk.domain.surveys import (
    Dimension,
    Outcome,
    Status,
    check_attempt,
    form_number,
    parse_form_number,
    parse_score,
    status_after,
)
from frontdesk.domain.text import clean_text
from frontdesk.errors import NotFound, ValidationError
from frontdesk.services.households.structure import room_places
from frontdesk.services.scope import in_scope_only, may, require_in_scope
from frontdesk.services.store import Store, reading, writing
from frontdesk.services.surveys.define import dimensions_of, load_survey

ENTER = Permission.TAKE_WORK_ORDERS


@dataclass(frozen=True)
class CallRow:
    """A sampled household on the call list."""

    entry_id: int
    form_number: str
    room_id: int
    room_code: str
    building: str
    contact: str  # the owner's (or a resident's) name
    phone: str  # whole or masked, see the module's note
    status: Status
    attempts: int
    last_call: datetime | None
    paper: bool


@dataclass(frozen=True)
class Answers:
    """What a household said: a score 1–5 per dimension asked, and the open answer."""

    scores: Mapping[Dimension, int]
    open_answer: str = ""


def _contacts(session: Session, room_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each room's contact for a survey call: its first owner with a phone, else anyone
    living there with one."""
    found: dict[int, tuple[str, str]] = {}
    rank = {PersonKind.OWNER: 0, PersonKind.TENANT: 1, PersonKind.RESIDENT: 2}
    people = session.scalars(
        select(Person)
        .where(Person.room_id.in_(room_ids), Person.left_on.is_(None))
        .order_by(Person.id)
    )
    best: dict[int, int] = {}
    for p in people:
        order = rank.get(PersonKind(p.kind))
        if order is None or not p.phone:
            continue
        if p.room_id not in best or order < best[p.room_id]:
            best[p.room_id] = order
            found[p.room_id] = (p.name, p.phone)
    return found


def call_list(
    store: Store, actor: Actor, survey_id: int, *, open_only: bool = False
) -> list[CallRow]:
    """The survey's households in the actor's scope, by form number."""
    with reading(store) as session:
        survey = load_survey(session, survey_id)
        query = (
            select(SurveyHousehold, Building)
            .join(Building, SurveyHousehold.building_id == Building.id)
            .where(SurveyHousehold.survey_id == survey.id)
            .order_by(SurveyHousehold.serial)
        )
        if open_only:
            query = query.where(SurveyHousehold.status == Status.PENDING)
        found = list(session.execute(in_scope_only(query, actor)))
        ids = [e.room_id for e, _ in found]
        places = room_places(session, ids)
        contacts = _contacts(session, ids)
        last: dict[int, datetime] = {}
        for entry_id, at in session.execute(
            select(SurveyCall.survey_household_id, SurveyCall.at)
            .where(SurveyCall.survey_household_id.in_([e.id for e, _ in found]))
            .order_by(SurveyCall.at)
        ):
            last[entry_id] = at
        rows = []
        for entry, building in found:
            name, phone = contacts.get(entry.room_id, ("", ""))
            whole = may(actor, Permission.REVEAL_PERSONAL_DATA, building.butler_id)
            rows.append(
                CallRow(
                    entry.id,
                    form_number(survey.id, entry.serial),
                    entry.room_id,
                    places.get(entry.room_id, ("", ""))[0],
                    building.name,
                    name,
                    phone if whole else mask_phone(phone),
                    Status(entry.status),
                    entry.attempts,
                    last.get(entry.id),
                    entry.paper,
                )
            )
        return rows


def _entry(session: Session, actor: Actor, entry_id: int) -> SurveyHousehold:
    entry = session.get(SurveyHousehold, entry_id)
    if entry is None:
        raise NotFound("找不到该样本户。")
    building = session.get(Building, entry.building_id)
    assert building is not None
    require_in_scope(actor, ENTER, building)
    return entry


def _save_answers(
    session: Session, actor: Actor, entry: SurveyHousehold, answers: Answers, now: datetime
) -> None:
    asked = dimensions_of(session, entry.survey_id)
    extra = [d for d in answers.scores if d not in asked]
    if extra:
        raise ValidationError(extra[0].label, "该调查没有这一项")
    missing = [d for d in asked if d not in answers.scores]
    if missing:
        raise ValidationError(missing[0].label, "请填写该项的评分（1–5）")
    scores = {d: parse_score(answers.scores[d], d.label) for d in asked}
    words = clean_text(answers.open_answer, "意见建议", 500)
    for dimension in asked:
        session.add(
            SurveyScore(
                survey_household_id=entry.id,
                room_id=entry.room_id,
                dimension=dimension,
                score=int(scores[dimension]),
            )
        )
    entry.status = Status.ANSWERED
    entry.answered_at = now
    entry.open_answer = words
    for key, value in by_columns("answered", actor).items():
        setattr(entry, key, value)


def record_call(
    store: Store,
    actor: Actor,
    entry_id: int,
    outcome: Outcome,
    answers: Answers | None = None,
) -> Status:
    """One call to a sampled household: not reached, refused, or reached with its
    answers (all of them, in one go). Returns where the household now stands."""
    if outcome == Outcome.REACHED and answers is None:
        raise ValidationError("评分", "接通后请填写各项评分")
    if outcome != Outcome.REACHED and answers is not None:
        raise ValidationError("通话结果", "未接通或拒访时不记录评分")
    now = clock.utc_now()
    with writing(store, actor, ENTER) as session:
        entry = _entry(session, actor, entry_id)
        earlier = [
            Outcome(o)
            for o in session.scalars(
                select(SurveyCall.outcome)
                .where(SurveyCall.survey_household_id == entry.id)
                .order_by(SurveyCall.id)
            )
        ]
        if entry.status == Status.ANSWERED:
            raise ValidationError("通话结果", "该户已答卷，不再拨打")
        check_attempt(earlier)
        session.add(
            SurveyCall(
                survey_household_id=entry.id,
                room_id=entry.room_id,
                outcome=outcome,
                at=now,
                **by_columns("called", actor),
            )
        )
        entry.attempts = len(earlier) + 1
        if answers is not None:
            _save_answers(session, actor, entry, answers, now)
        else:
            entry.status = status_after([*earlier, outcome])
        return Status(entry.status)


@dataclass(frozen=True)
class FormEntry:
    """A paper form found by its number, before its answers are typed."""

    entry_id: int
    survey_id: int
    form_number: str
    room_code: str
    dimensions: tuple[Dimension, ...]
    status: Status


def find_form(store: Store, actor: Actor, number: str) -> FormEntry:
    """The sampled household a returned form's number names."""
    survey_id, serial = parse_form_number(number)
    with reading(store) as session:
        entry = session.scalar(
            select(SurveyHousehold).where(
                SurveyHousehold.survey_id == survey_id, SurveyHousehold.serial == serial
            )
        )
        if entry is None:
            raise ValidationError("问卷编号", f"没有编号为 {form_number(survey_id, serial)} 的问卷")
        building = session.get(Building, entry.building_id)
        assert building is not None
        require_in_scope(actor, ENTER, building)
        return FormEntry(
            entry.id,
            survey_id,
            form_number(survey_id, serial),
            room_places(session, [entry.room_id]).get(entry.room_id, ("", ""))[0],
            dimensions_of(session, survey_id),
            Status(entry.status),
        )


def enter_form(store: Store, actor: Actor, number: str, answers: Answers) -> int:
    """The answers of a returned paper form, found by its number; a household that
    already answered (by phone or an earlier form) is refused. Returns the entry."""
    found = find_form(store, actor, number)
    with writing(store, actor, ENTER) as session:
        entry = _entry(session, actor, found.entry_id)
        if entry.status == Status.ANSWERED:
            raise ValidationError("问卷编号", f"问卷 {found.form_number} 已录入")
        entry.paper = True
        _save_answers(session, actor, entry, answers, clock.utc_now())
        return entry.id
