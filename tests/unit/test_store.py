"""A use-case alone or as one step of another's transaction (services/store.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from frontdesk.db.models import Bill
from frontdesk.domain.roles import Actor, Role
from frontdesk.errors import PermissionDenied
from frontdesk.services.database import Database
from frontdesk.services.fees import charges
from tests.unit.fee_fixtures import TODAY, Community, make_community


@pytest.fixture
def town(db: Database, admin: Actor) -> Community:
    return make_community(db, admin)


def bills(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Bill)) or 0


def test_alone_it_asks_for_its_permission_and_commits(db, admin, make_user, town) -> None:
    clerk = make_user(Role.CLERK)
    with pytest.raises(PermissionDenied, match="收款"):
        charges.add_charge(db, clerk, town.occupied, town.deposit, amount_fen=100, today=TODAY)
    before = bills(db)
    charges.add_charge(db, admin, town.occupied, town.deposit, amount_fen=100, today=TODAY)
    assert bills(db) == before + 1


def test_inside_another_transaction_it_rolls_back_with_it(db, admin, make_user, town) -> None:
    clerk = make_user(Role.CLERK)  # the outer use-case decided who may do the whole
    before = bills(db)
    with pytest.raises(RuntimeError), db.write(clerk) as session:
        charges.add_charge(session, clerk, town.occupied, town.deposit, amount_fen=100, today=TODAY)
        assert session.scalar(select(func.count()).select_from(Bill)) == before + 1
        raise RuntimeError("the outer use-case fails after the charge")
    assert bills(db) == before
