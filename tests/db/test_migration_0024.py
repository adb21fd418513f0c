"""0024: a complaint's reply (replier) and its supervisor's handling (supervised_at,
supervised_by), and the steps `deadline` and `supervise`; the file's triggers survive
the copy of work_order_event; 0024 goes down to 0023 (not with those steps recorded)
and up again."""

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


def _step(raw: sqlite3.Connection, step: str) -> None:
    """A step of an order (the foreign keys are not enforced on this raw connection)."""
    raw.execute(
        "INSERT INTO work_order_event (work_order_id, step, at, done_by, note) "
        "VALUES (1, ?, '2026-12-07 04:00:00', 'x', '')",
        (step,),
    )


def _triggers(raw: sqlite3.Connection) -> set[str]:
    return {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}


def _columns(raw: sqlite3.Connection) -> set[str]:
    return {row[1] for row in raw.execute("PRAGMA table_info(work_order)")}


def test_a_new_file_records_the_new_steps_and_refuses_others(fresh_db: Database) -> None:
    path = _path(fresh_db)
    with closing(sqlite3.connect(path)) as raw:
        assert {"replier", "supervised_at", "supervised_by", "supervised_by_id"} <= _columns(raw)
        for step in ("deadline", "supervise", "take"):
            _step(raw, step)
        with pytest.raises(sqlite3.IntegrityError):
            _step(raw, "escalate")


def test_down_and_up_again_keeping_the_triggers_but_not_down_with_supervision(
    fresh_db: Database,
) -> None:
    path = _path(fresh_db)
    with closing(sqlite3.connect(path)) as raw:
        triggers = _triggers(raw)
    assert triggers  # the append-only tables' and others'
    # 0028's own (collection_tally's), 0037's (the shift book's) and 0038's (an undone
    # import's bills leaving bill_open and the tally) go down with them and stay away at
    # 0023 and 0024
    later = (
        "collection_tally_on_",
        "collection_tally_off_",
        "bill_open_off_",
        "shift_entry_",
        "shift_acknowledgement_",
    )
    triggers = {name for name in triggers if not name.startswith(later)}
    migrate(path, "0023", down=True)
    with closing(sqlite3.connect(path)) as raw:
        assert not {"replier", "supervised_at", "supervised_by", "supervised_by_id"} & _columns(raw)
        assert _triggers(raw) == triggers
        with pytest.raises(sqlite3.IntegrityError):
            _step(raw, "supervise")
    migrate(path, "0024", down=False)
    with closing(sqlite3.connect(path)) as raw:
        assert _triggers(raw) == triggers
        assert raw.execute("SELECT replier FROM work_order").fetchall() == []
        _step(raw, "supervise")
        raw.commit()
    with pytest.raises(Exception, match="督办"):
        migrate(path, "0023", down=True)
