"""Backups, restore, `frontdesk check` and the ID-number key of a database on a
PostgreSQL server (issue 23 §6, §4): pg_dump in its custom format, verified by a trial
restore, rotated as file backups are; restored into an empty database with the same
rows and an unbroken audit chain; refused with an older pg_dump."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from frontdesk.db.engine import Database, make_engine
from frontdesk.domain.fees import PayMethod
from frontdesk.domain.roles import SYSTEM, Actor, Role
from frontdesk.services import users
from frontdesk.services.fees import payments
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.protection import (
    audit,
    backup_folder,
    backups,
    data_key,
    server_backups,
    server_restore,
)
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD
from tests.unit.fee_fixtures import TODAY, make_community

pytestmark = pytest.mark.postgres


def _open(url: str) -> Database:
    db = Database(make_engine(url))
    data_key.unlock(db, os.environ.get(data_key.PASSPHRASE_VARIABLE))
    return db


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """A server database after first run, with a community and two prepaid payments."""
    db = _open(pg_url)
    users.initialize(
        db, users.FirstRunInput("测试小区", "admin", "管理员", ADMIN_PASSWORD, ADMIN_PASSWORD)
    )
    admin = users.login(db, "admin", ADMIN_PASSWORD)
    community = make_community(db, admin)
    users.create_user(db, admin, users.NewUser("cashier1", "收银甲", Role.CASHIER, STAFF_PASSWORD))
    cashier = users.login(db, "cashier1", STAFF_PASSWORD)
    for room, fen in ((community.occupied, 30000), (community.vacant, 12000)):
        tender = (TenderInput(PayMethod.CASH, fen),)
        request = PaymentRequest(room, (), tender, prepaid_fen=fen)
        payments.post_payment(db, cashier, request, TODAY)
    yield db
    db.dispose()


@pytest.fixture
def admin(pg_db: Database) -> Actor:
    return users.login(pg_db, "admin", ADMIN_PASSWORD)


def _rows(url: str) -> dict[str, Any]:
    engine = create_engine(server_backups.with_password(make_url(url)))
    try:
        with engine.connect() as connection:
            snapshot = server_backups.read_snapshot(connection)
            receipts = connection.execute(
                text("SELECT series, number, payment_id FROM receipt ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    return {"snapshot": snapshot, "receipts": receipts}


def test_a_backup_is_a_verified_dump_that_restores_into_an_empty_database(
    pg_db: Database, admin: Actor, pg_url: str, pg_empty_url: str
) -> None:
    result = backups.make_backup(pg_db, admin, "manual")
    assert result.path.suffix == ".dump" and result.path.parent.name == "backups"
    assert result.verified == server_backups.RESTORED
    assert [b.path for b in backup_folder.backups_of(pg_db)] == [result.path]
    assert not [p for p in result.path.parent.iterdir() if p.name.startswith(".")]
    before = _rows(pg_url)

    restored = server_restore.restore_server(pg_empty_url, result.path, SYSTEM)

    assert restored.kept_aside is None and restored.upgraded_from is None
    assert restored.warnings == ()  # the key found under the dumped database's name
    after = _rows(pg_empty_url)
    assert after["receipts"] == before["receipts"] and after["receipts"]
    dumped = server_restore.logged_snapshot(result.path)  # counted in the dump's snapshot
    assert dumped is not None and dumped.counts == {
        **before["snapshot"].counts,
        "audit_log": before["snapshot"].counts["audit_log"] - 1,  # the backup's own entry
    }
    assert after["snapshot"].counts == {
        **dumped.counts,
        "audit_log": dumped.counts["audit_log"] + 1,
    }
    restored_db = _open(pg_empty_url)
    try:
        assert data_key.state(restored_db) is data_key.KeyState.READY
        chain = audit.verify_chain(restored_db)
        assert chain.ok and chain.keyed and not chain.unverified
        with restored_db.read() as session:
            last = session.execute(text("SELECT action FROM audit_log ORDER BY id DESC")).first()
        assert last is not None and last[0] == "restore"
    finally:
        restored_db.dispose()
