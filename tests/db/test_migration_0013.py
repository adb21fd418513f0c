"""A 0012 file gains the papers' kept dates and numbers (0013): the permit's 发证日期
from the renovation's history, each violation's own 整改通知 number in the order
found, and the move-in notice's date; and 0013 goes down again cleanly."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command

from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import alembic_config
from frontdesk.domain import clock
from frontdesk.domain.roles import Actor
from frontdesk.services.database import Database, open_at
from frontdesk.services.households import structure
from frontdesk.services.movein import handover as movein
from frontdesk.services.renovation import applications as renovations
from frontdesk.services.renovation import site as renovation_site
from tests.unit.fee_fixtures import TODAY, make_community
from tests.unit.test_paper_dates import _fee
from tests.unit.test_renovations import approved, pay_everything

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only


def test_a_0012_file_gains_permit_dates_notice_numbers_and_notice_dates(
    db: Database, admin: Actor
) -> None:
    path = Path(str(db.engine.url.database))
    town = make_community(db, admin)
    renovation = approved(db, admin, town, _fee(db, admin))
    pay_everything(db, admin, town.occupied)
    renovations.issue_permit(db, admin, renovation)
    renovations.start_work(db, admin, renovation, TODAY + timedelta(days=1))
    later, earlier = TODAY + timedelta(days=9), TODAY + timedelta(days=2)
    for found in (later, earlier):  # recorded out of order: numbered in the order found
        renovation_site.record_violation(
            db, admin, renovation, found, "垃圾堆放楼道", found + timedelta(days=1)
        )
    building = structure.list_buildings(db, admin)[0].id
    movein.create_batch(db, admin, "交付", TODAY, TODAY + timedelta(days=9), [building])
    db.dispose()

    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
        connection.commit()
    engine.dispose()
    raw = sqlite3.connect(path)
    columns = {row[1] for row in raw.execute("PRAGMA table_info(renovation_violation)")}
    raw.close()
    assert "notice_no" not in columns

    db = open_at(path)  # upgrades to the head
    db.dispose()
    raw = sqlite3.connect(path)
    try:
        permit_day = raw.execute("SELECT permit_issued_on FROM renovation").fetchone()[0]
        numbers = raw.execute(
            "SELECT found_on, notice_no FROM renovation_violation ORDER BY found_on"
        ).fetchall()
        notice_on = raw.execute("SELECT notice_on FROM handover").fetchone()[0]
    finally:
        raw.close()
    assert permit_day == clock.today().isoformat()  # the day of its "permitted" step
    assert numbers == [
        (earlier.isoformat(), f"ZG{earlier:%y%m}-0001"),
        (later.isoformat(), f"ZG{later:%y%m}-{2 if later.month == earlier.month else 1:04d}"),
    ]
    assert notice_on == clock.today().isoformat()  # the batch was made that day
