"""0028: `collection_tally` is filled from the money rows a file already holds, exactly
as its triggers kept it, and the triggers come with it; going down drops the table and
its triggers. (That the triggers follow every posting is tests/unit/test_money_properties.)"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, payments, voids
from frontdesk.services.fees.payments import PaymentRequest, ReductionInput, TenderInput
from tests.db.migration_steps import migrate
from tests.unit.fee_fixtures import TODAY, make_community

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only

TALLY = "SELECT * FROM collection_tally ORDER BY period, building_id, fee_item_id"
TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


def _read(path: Path, query: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(query).fetchall()


def test_the_tally_is_filled_as_the_triggers_kept_it(db: Database, admin: Actor, make_user) -> None:
    town = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    cashier = make_user(Role.CASHIER)
    for room in (town.occupied, town.vacant):
        bills = payments.counter_view(db, cashier, room, TODAY).open_bills
        first = bills[0]
        request = PaymentRequest(
            room,
            ((first.bill_id, first.outstanding_fen - 500),),
            (TenderInput(PayMethod.CASH, first.outstanding_fen - 500),),
            reductions=(ReductionInput(first.bill_id, 500, "电梯停运补偿"),),
        )
        payments.post_payment(db, admin, request, TODAY)
    voids.void_receipt(db, admin, "SJ00000002", "收错户", TODAY)
    path = Path(str(db.engine.url.database))
    db.dispose()
    kept = _read(path, TALLY)
    # October and November, 物业服务费 and 垃圾费 (and water billed by reading, none here)
    assert {row[0] for row in kept} == {"2026-10", "2026-11"}
    assert sum(row[6] for row in kept) > 0  # something collected (SJ1 stands)
    assert sum(row[5] for row in kept) == 500  # SJ1's reduction; SJ2's was voided

    migrate(path, "0027", down=True)
    assert not _read(path, "SELECT name FROM sqlite_master WHERE name LIKE 'collection_tally%'")
    migrate(path, "0028", down=False)
    assert _read(path, TALLY) == kept
    assert [name for (name,) in _read(path, TRIGGERS) if name.startswith("collection")] == [
        "collection_tally_on_allocation",
        "collection_tally_on_bill",
        "collection_tally_on_reduction",
    ]
