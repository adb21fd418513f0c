"""0023: the paid repairs' tables (append-only charges), the starting price list, and
the document register's kind `work_order`; a new file's fee items stay the office's
own; 0023 goes down to 0022 (not with work orders registered) and up again."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from frontdesk.services.database import Database
from tests.db.migration_steps import migrate

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = pytest.mark.sqlite_only


def _path(fresh_db: Database) -> Path:
    path = Path(str(fresh_db.engine.url.database))
    fresh_db.dispose()
    return path


def _register(raw: sqlite3.Connection, kind: str) -> None:
    raw.execute(
        "INSERT INTO issued_document (number, kind, title, reference, sha256, size, pages, "
        "output, issued_at, by_name) VALUES ('FW-1', ?, 't', 'r', 'h', 1, 1, 'printed', "
        "'2026-12-07 03:00:00', 'x')",
        (kind,),
    )


def test_a_new_file_has_the_price_list_and_the_work_order_kind(
    fresh_db: Database,
) -> None:
    path = _path(fresh_db)
    with closing(sqlite3.connect(path)) as raw:
        prices = raw.execute("SELECT name, kind, unit_fen FROM repair_price").fetchall()
        assert ("上门维修人工费", "labour", 3000) in prices and len(prices) == 9
        assert raw.execute("SELECT count(*) FROM fee_item").fetchone() == (0,)
        _register(raw, "work_order")  # the CHECK lets the new kind in
        with pytest.raises(sqlite3.IntegrityError):
            _register(raw, "no_such_kind")
        triggers = {
            row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert {"repair_charge_no_update", "repair_charge_line_no_delete"} <= triggers


def test_down_and_up_again_but_not_down_with_work_orders_registered(
    fresh_db: Database,
) -> None:
    path = _path(fresh_db)
    migrate(path, "0022", down=True)
    with closing(sqlite3.connect(path)) as raw:
        names = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
        assert not names & {"repair_price", "repair_charge", "repair_charge_line"}
        with pytest.raises(sqlite3.IntegrityError):
            _register(raw, "work_order")
    migrate(path, "0023", down=False)
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("SELECT count(*) FROM repair_price").fetchone() == (9,)
        _register(raw, "work_order")
        raw.commit()
    with pytest.raises(Exception, match="派工单"):
        migrate(path, "0022", down=True)
