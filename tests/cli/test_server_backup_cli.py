"""`frontdesk restore FILE.dump --db postgresql://…` as an administrator runs it: into an
empty server database once confirmed; over one that holds data only when confirmed."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, make_url, text

from frontdesk.db.engine import Database, make_engine
from frontdesk.domain.roles import SYSTEM
from frontdesk.services import users
from frontdesk.services.protection import backups, data_key, server_backups
from tests.cli.conftest import PASSWORD, Run

pytestmark = pytest.mark.postgres


def _names(url: str) -> list[str]:
    engine = create_engine(server_backups.with_password(make_url(url)))
    try:
        with engine.connect() as connection:
            return list(connection.scalars(text("SELECT name FROM community")))
    finally:
        engine.dispose()


def test_restore_a_dump_into_an_empty_server_database(
    frontdesk: Run, pg_url: str, pg_empty_url: str
) -> None:
    db = Database(make_engine(pg_url))
    try:
        data_key.unlock(db, os.environ.get(data_key.PASSPHRASE_VARIABLE))
        users.initialize(
            db, users.FirstRunInput("服务器小区", "admin", "管理员", PASSWORD, PASSWORD)
        )
        dump = backups.make_backup(db, SYSTEM, "manual").path
    finally:
        db.dispose()

    refused = frontdesk("restore", str(dump), "--db", pg_url, user=None)  # no consent
    assert refused.returncode == 1 and "已有数据" in refused.stdout and "已取消" in refused.stdout

    restored = frontdesk("restore", str(dump), "--db", pg_empty_url, "--yes", user=None)
    assert restored.returncode == 0, restored.stderr
    assert (
        "pg_restore 检查通过" in restored.stdout and "将恢复到空的服务器数据库" in restored.stdout
    )
    assert f"已从 {dump.name} 恢复服务器数据库" in restored.stdout
    assert _names(pg_empty_url) == ["服务器小区"]
