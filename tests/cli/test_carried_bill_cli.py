"""`frontdesk bill` says how many bills it left out because the old system was paid
through the month (已缴至, 数据导入), on a database set up in-process."""

from __future__ import annotations

from frontdesk.domain.periods import Period
from frontdesk.services import users
from frontdesk.services.database import open_at, parse_location
from tests.cli.conftest import ADMIN, PASSWORD
from tests.unit.carried_fixtures import import_batch, paid_through
from tests.unit.fee_fixtures import make_community


def test_bill_counts_the_months_paid_in_the_old_system(frontdesk, staffed_db) -> None:
    db = open_at(parse_location(str(staffed_db)))
    try:
        admin = users.login(db, ADMIN, PASSWORD)
        town = make_community(db, admin)
        batch = import_batch(db, admin)
        paid_through(db, admin, batch, town.occupied, town.service, Period(2026, 12))
    finally:
        db.dispose()
    result = frontdesk("bill", "--period", "2026-11", "--dry-run", "--db", str(staffed_db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2026年11月：将生成 5 笔账单")
    assert "原系统已缴至本月或以后：1 笔未生成。" in result.stdout
