"""Door-access cards handed over at move-in: one row a card, a number held by one
room of the community, in the database as well as in the service's check."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from frontdesk.db.models import AccessCard, HandoverStep
from frontdesk.domain.movein import Step
from frontdesk.domain.roles import Actor
from frontdesk.errors import ValidationError
from frontdesk.services.database import Database
from frontdesk.services.households import structure
from frontdesk.services.movein import handover as movein
from frontdesk.services.protection import audit
from frontdesk.services.protection.audit_text import change_lines
from tests.unit.fee_fixtures import Community, make_community


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


@pytest.fixture
def rooms(db: Database, admin: Actor, town: Community) -> tuple[int, int]:
    """Two rooms with a move-in under way: 1-1-202 and 2-1-101."""
    first = structure.list_buildings(db, admin)[0].id
    movein.create_batch(db, admin, "一批", date(2026, 12, 1), date(2026, 12, 10), [first])
    other = structure.create_building(
        db, admin, structure.NewBuilding("2", "2栋", 1, 1, 1, "89.50")
    )
    second = movein.create_batch(
        db, admin, "二批", date(2026, 11, 1), date(2026, 11, 30), [other.id]
    )
    return town.unsold, movein.batch_board(db, admin, second).rows[0].room_id


def cards_row(db: Database, admin: Actor, room: int) -> movein.StepRow:
    return movein.checklist(db, admin, room).row(Step.CARDS)


def test_cards_are_rows_shown_in_the_order_entered(db, admin, rooms) -> None:
    first, _ = rooms
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["B2000", " A1000 ", ""]})
    row = cards_row(db, admin, first)
    assert row.detail == {"cards": ["B2000", "A1000"]}
    assert row.summary == "卡号 B2000、A1000"
    with db.read() as session:
        assert session.scalars(select(AccessCard.number).order_by(AccessCard.id)).all() == [
            "B2000",
            "A1000",
        ]
        stored = session.scalars(select(HandoverStep.detail).where(HandoverStep.step == "cards"))
        assert [json.loads(d) for d in stored] == [{}]  # the numbers live in access_card only


def test_a_number_taken_back_is_free_for_another_room(db, admin, rooms) -> None:
    first, second = rooms
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["A1000", "B2000"]})
    with pytest.raises(ValidationError, match="B2000 已发给 1-1-202"):
        movein.record_step(db, admin, second, Step.CARDS, {"cards": ["B2000"]})
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["A1000"]})  # B2000 returned
    movein.record_step(db, admin, second, Step.CARDS, {"cards": ["B2000"]})
    assert cards_row(db, admin, first).detail == {"cards": ["A1000"]}
    assert cards_row(db, admin, second).detail == {"cards": ["B2000"]}
    # The file's history says which card went where and which came back.
    history = [
        (row.action, line)
        for row in audit.room_history(db, admin, first)
        if row.entity == "access_card"
        for line in change_lines(row)
        if line.startswith("卡号")
    ]
    assert history[::-1] == [
        ("create", "卡号：A1000"),
        ("create", "卡号：B2000"),
        ("delete", "卡号：B2000 → （空）"),  # A1000 stays with the room
    ]


def test_recording_the_same_cards_again_keeps_them(db, admin, rooms) -> None:
    first, _ = rooms
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["A1000", "B2000"]})
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["A1000", "B2000"]})
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["B2000", "A1000"]})
    assert cards_row(db, admin, first).detail == {"cards": ["B2000", "A1000"]}


def test_the_database_itself_refuses_a_second_holder(db, admin, rooms) -> None:
    first, second = rooms
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["A1000"]})
    movein.record_step(db, admin, second, Step.CARDS, {"cards": ["C3000"]})
    with pytest.raises(IntegrityError), db.write(admin) as session:
        step = session.scalar(select(HandoverStep).where(HandoverStep.room_id == second))
        assert step is not None
        session.add(AccessCard(room_id=second, step_id=step.id, number="A1000"))


def test_a_disputed_number_is_shown_on_both_rooms_until_the_holder_records_it(
    db, admin, rooms
) -> None:
    """What migration 0018 leaves of a number an older file gave to two rooms."""
    first, second = rooms
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["A1000"]})
    movein.record_step(db, admin, second, Step.CARDS, {"cards": ["C3000"]})
    with db.write(admin) as session:
        for card in session.scalars(select(AccessCard).where(AccessCard.number == "A1000")):
            card.disputed = True
        step = session.scalar(select(HandoverStep).where(HandoverStep.room_id == second))
        assert step is not None
        session.add(AccessCard(room_id=second, step_id=step.id, number="A1000", disputed=True))
    assert cards_row(db, admin, first).summary == "卡号 A1000（A1000 与 2-1-101 重复，待核实）"
    assert cards_row(db, admin, second).summary == (
        "卡号 C3000、A1000（A1000 与 1-1-202 重复，待核实）"
    )
    # The clerk finds the card with 1-1-202: recording it there settles that room ...
    movein.record_step(db, admin, first, Step.CARDS, {"cards": ["A1000"]})
    assert cards_row(db, admin, first).summary == "卡号 A1000"
    # ... and 2-1-101 can no longer keep it.
    with pytest.raises(ValidationError, match="A1000 已发给 1-1-202"):
        movein.record_step(db, admin, second, Step.CARDS, {"cards": ["C3000", "A1000"]})
    movein.record_step(db, admin, second, Step.CARDS, {"cards": ["C3000"]})
    assert cards_row(db, admin, second).summary == "卡号 C3000"
