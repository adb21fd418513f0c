"""Migration 0018 on a file with data: access cards moved out of the JSON (a number
an old file gave to two rooms is kept on both, flagged), user ids filled in beside
the names where one account has that name, triggers and indexes kept as they were."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command

from frontdesk.db.engine import make_engine
from frontdesk.db.migrate import alembic_config, open_database
from frontdesk.domain.movein import Step
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import Actor, Role
from frontdesk.services import users
from frontdesk.services.database import Database
from frontdesk.services.fees import billing
from frontdesk.services.households import structure
from frontdesk.services.movein import handover as movein
from frontdesk.services.visitors.register import VisitInput, register_visit
from tests.conftest import STAFF_PASSWORD
from tests.unit.fee_fixtures import TODAY, make_community

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only


def migrate(path: Path, revision: str) -> None:
    """Up or down to `revision`, as db/migrate.py runs migrations (foreign keys off)."""
    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    try:
        with engine.connect() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            if revision == "head":
                command.upgrade(config, revision)
            else:
                command.downgrade(config, revision)
            connection.commit()
    finally:
        engine.dispose()


def schema(path: Path) -> set[tuple[str, str, str]]:
    with sqlite3.connect(path) as raw:
        return set(
            raw.execute(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE type IN ('trigger', 'index') AND sql IS NOT NULL"
            ).fetchall()
        )


def clerk(db: Database, admin: Actor, username: str, name: str) -> Actor:
    users.create_user(db, admin, users.NewUser(username, name, Role.CLERK, STAFF_PASSWORD))
    return users.login(db, username, STAFF_PASSWORD)


@pytest.fixture
def old_file(db: Database, admin: Actor) -> tuple[Path, dict[str, int], set[tuple[str, str, str]]]:
    """A file at 0017 holding cards, visits by three clerks (two of one name), a
    billing run; with the number C1001 in both rooms' cards."""
    town = make_community(db, admin)
    first = structure.list_buildings(db, admin)[0].id
    movein.create_batch(db, admin, "一批", date(2026, 12, 1), date(2026, 12, 10), [first])
    other = structure.create_building(
        db, admin, structure.NewBuilding("2", "2栋", 1, 1, 1, "89.50")
    )
    second = movein.create_batch(
        db, admin, "二批", date(2026, 11, 1), date(2026, 11, 30), [other.id]
    )
    second_room = movein.batch_board(db, admin, second).rows[0].room_id
    movein.record_step(db, admin, town.unsold, Step.CARDS, {"cards": ["C1001", "C2002"]})
    movein.record_step(db, admin, second_room, Step.CARDS, {"cards": ["C3003"]})
    zhang = clerk(db, admin, "zhang", "张前台")
    li_1 = clerk(db, admin, "li1", "李前台")
    clerk(db, admin, "li2", "李前台")  # a second account of the same name
    now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    for who in (zhang, li_1):
        register_visit(
            db, who, VisitInput(town.occupied, "王五", "13912345678", confirmed_by="业主"), now=now
        )
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    path = Path(db.engine.url.database or "")
    db.dispose()
    at_head = schema(path)
    migrate(path, "0017")
    with sqlite3.connect(path) as raw:
        details = dict(
            raw.execute("SELECT room_id, detail FROM handover_step WHERE step = 'cards'")
        )
        assert {room: json.loads(d) for room, d in details.items()} == {
            town.unsold: {"cards": ["C1001", "C2002"]},
            second_room: {"cards": ["C3003"]},
        }
        # Written by an older program that did not check: C1001 in the second room too.
        raw.execute(
            "UPDATE handover_step SET detail = ? WHERE room_id = ?",
            (json.dumps({"cards": ["C3003", "C1001"]}), second_room),
        )
    assert schema(path) != at_head
    return (
        path,
        {
            "first": town.unsold,
            "second": second_room,
            "zhang": zhang.user_id or 0,
            "admin": admin.user_id or 0,
            "schema": len(at_head),
        },
        at_head,
    )  # type: ignore[return-value]


def test_upgrade_keeps_every_card_and_flags_the_one_given_twice(old_file, admin) -> None:
    path, ids, _ = old_file
    migrate(path, "head")
    db = open_database(path)
    try:
        first = movein.checklist(db, admin, ids["first"]).row(Step.CARDS)
        second = movein.checklist(db, admin, ids["second"]).row(Step.CARDS)
    finally:
        db.dispose()
    assert first.summary == "卡号 C1001、C2002（C1001 与 2-1-101 重复，待核实）"
    assert second.summary == "卡号 C3003、C1001（C1001 与 1-1-202 重复，待核实）"
    with sqlite3.connect(path) as raw:
        assert sorted(raw.execute("SELECT number, disputed FROM access_card")) == [
            ("C1001", 1),
            ("C1001", 1),
            ("C2002", 0),
            ("C3003", 0),
        ]
        assert {
            d for (d,) in raw.execute("SELECT detail FROM handover_step WHERE step = 'cards'")
        } == {"{}"}


def test_upgrade_fills_the_user_where_one_account_has_the_name(old_file) -> None:
    path, ids, _ = old_file
    migrate(path, "head")
    with sqlite3.connect(path) as raw:
        visits = sorted(raw.execute("SELECT registered_by, registered_by_id FROM visit"))
        runs = set(raw.execute("SELECT run_by, run_by_id FROM billing_run"))
        bills = set(raw.execute("SELECT created_by, created_by_id FROM bill"))
        steps = set(raw.execute("SELECT done_by, done_by_id FROM handover_step"))
    assert visits == [("张前台", ids["zhang"]), ("李前台", None)]  # two accounts: left empty
    assert runs == {("管理员", ids["admin"])}
    assert bills and bills == {("管理员", ids["admin"])}
    assert steps == {("管理员", ids["admin"])}


def test_upgrade_puts_back_every_trigger_and_index_and_money_stays_append_only(old_file) -> None:
    path, _ids, at_head = old_file
    migrate(path, "head")
    assert schema(path) == at_head
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE bill SET created_by_id = NULL")
