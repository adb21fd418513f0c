"""What a committed write tells the database's listener (db/changes.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from frontdesk.db.base import Base
from frontdesk.db.changes import area_of_table, written_table
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.household import PersonKind
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor
from frontdesk.errors import ValidationError
from frontdesk.services.database import Changes, DataArea, Database
from frontdesk.services.fees import billing, payments
from frontdesk.services.households import file as households
from frontdesk.services.households import structure
from tests.unit.fee_fixtures import TODAY, Community, make_community


@pytest.fixture
def heard(db: Database) -> list[Changes]:
    told: list[Changes] = []
    db.on_change = told.append
    return told


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


def test_a_payment_tells_the_money_tables_it_wrote(db, admin, town, heard) -> None:
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    view = payments.counter_view(db, admin, town.occupied, TODAY)
    heard.clear()
    request = payments.PaymentRequest(
        town.occupied,
        tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills),
        (payments.TenderInput(PayMethod.CASH, sum(b.outstanding_fen for b in view.open_bills)),),
    )
    payments.post_payment(db, admin, request, TODAY)
    [changes] = heard
    assert {"payment", "tender", "allocation", "receipt", "audit_log"} <= changes.tables
    assert changes.areas == {DataArea.FEES, DataArea.AUDIT}
    assert changes.touches([DataArea.FEES, DataArea.VISITORS])
    assert not changes.touches([DataArea.HOUSEHOLDS, DataArea.VISITORS])


def test_a_billing_run_inserting_in_bulk_is_told_too(db, admin, town, heard) -> None:
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    assert any("bill" in c.tables and DataArea.FEES in c.areas for c in heard)


def test_a_new_person_touches_households_not_money(db, admin, town, heard) -> None:
    households.add_record(
        db, admin, town.occupied, households.PersonInput(PersonKind.OWNER, "张三")
    )
    [changes] = heard
    assert "person" in changes.tables
    assert DataArea.HOUSEHOLDS in changes.areas
    assert DataArea.FEES not in changes.areas


def test_a_refused_write_and_a_read_tell_nothing(db, admin, town, heard) -> None:
    with pytest.raises(ValidationError):
        structure.create_building(db, admin, structure.NewBuilding("", "", 2, 1, 2, "89.50"))
    structure.list_buildings(db, admin)
    assert heard == []


def test_a_rolled_back_unit_of_work_tells_nothing(db, admin, town, heard) -> None:
    with pytest.raises(RuntimeError), db.write(admin) as session:
        session.execute(text("UPDATE community SET name = name"))
        raise RuntimeError("rolled back")
    assert heard == []


def test_every_table_has_an_area() -> None:
    areas = area_of_table()
    assert set(Base.metadata.tables) == set(areas)
    assert areas["payment"] is DataArea.FEES
    assert areas["room"] is DataArea.STRUCTURE
    assert areas["visit"] is DataArea.VISITORS
    assert areas["notice"] is DataArea.DOCUMENTS


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        ("INSERT INTO bill (id, room_id) VALUES (?, ?)", "bill"),
        ('insert or replace into "setting" (key, value) values (?, ?)', "setting"),
        ("UPDATE room SET status=? WHERE room.id = ?", "room"),
        ("\n  DELETE FROM phone_lookup WHERE entity = ?", "phone_lookup"),
        ("SELECT * FROM bill WHERE id IN (SELECT bill_id FROM allocation)", None),
        ("PRAGMA table_info(bill)", None),
        ("WITH x AS (SELECT 1) SELECT * FROM x", None),
    ],
)
def test_the_written_table_is_read_from_the_statement(statement: str, table: str | None) -> None:
    assert written_table(statement) == table
