"""0026: work-order numbers GD2612-0001 become GD-2612-0001, in the orders and in the
document register's work-order papers (so a reprint still finds its original); other
papers, the audit log and bills' notes keep what they said; 0026 goes down and up."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from frontdesk.domain.roles import Actor
from frontdesk.domain.service_desk import Channel, Kind
from frontdesk.services import service_desk as desk
from frontdesk.services.database import Database
from tests.db.migration_steps import migrate

# SQLite only: an old file's upgrade (no server database predates revision 0028).
pytestmark = [
    pytest.mark.clock(datetime(2026, 12, 8, 9, 0).astimezone()),
    pytest.mark.sqlite_only,
]


def _register(raw: sqlite3.Connection, number: str, kind: str, text: str) -> None:
    raw.execute(
        "INSERT INTO issued_document (number, kind, title, reference, sha256, size, pages, "
        "output, issued_at, by_name) VALUES (?, ?, ?, ?, 'h', 1, 1, 'printed', "
        "'2026-12-08 01:00:00', 'x')",
        (number, kind, text, text),
    )


def _state(path: Path) -> tuple[list[str], list[tuple[str, str, str]], list[str]]:
    with closing(sqlite3.connect(path)) as raw:
        numbers = [r[0] for r in raw.execute("SELECT number FROM work_order ORDER BY id")]
        papers = raw.execute(
            "SELECT kind, title, reference FROM issued_document ORDER BY id"
        ).fetchall()
        audit = [r[0] for r in raw.execute("SELECT summary FROM audit_log ORDER BY id")]
    return numbers, papers, audit


def test_numbers_go_down_to_the_old_form_and_up_to_the_new(db: Database, admin: Actor) -> None:
    category = desk.category_id(db, "公区照明")
    for place in ("3栋 2 层楼道", "地下车库 B 区"):
        desk.take_order(
            db,
            admin,
            desk.OrderInput(Kind.REPAIR_PUBLIC, Channel.PATROL, category, "灯不亮", place=place),
        )
    path = Path(str(db.engine.url.database))
    db.dispose()
    with closing(sqlite3.connect(path)) as raw:
        _register(raw, "FW-2026-000001", "work_order", "GD-2612-0002 派工单")
        _register(raw, "FW-2026-000002", "receipt", "GD-2612-0001")
        raw.commit()
    _, _, audit_before = _state(path)

    migrate(path, "0025", down=True)
    numbers, papers, audit = _state(path)
    assert numbers == ["GD2612-0001", "GD2612-0002"]
    assert papers == [
        ("work_order", "GD2612-0002 派工单", "GD2612-0002 派工单"),
        ("receipt", "GD-2612-0001", "GD-2612-0001"),
    ]
    assert audit == audit_before

    with closing(sqlite3.connect(path)) as raw:  # a number already in the new form stays
        raw.execute("UPDATE work_order SET number = 'GD-2611-0007' WHERE id = 2")
        raw.commit()
    migrate(path, "0026", down=False)
    numbers, papers, audit = _state(path)
    assert numbers == ["GD-2612-0001", "GD-2611-0007"]
    assert papers[0] == ("work_order", "GD-2612-0002 派工单", "GD-2612-0002 派工单")
    assert papers[1] == ("receipt", "GD-2612-0001", "GD-2612-0001")
    assert audit == audit_before


def test_the_register_takes_service_reports_and_keeps_them_from_going_down(
    fresh_db: Database,
) -> None:
    path = Path(str(fresh_db.engine.url.database))
    fresh_db.dispose()
    with closing(sqlite3.connect(path)) as raw:
        _register(raw, "FW-2026-000001", "service_report", "客服服务月报 2026年11月")
        raw.commit()
    with pytest.raises(Exception, match="客服月报"):
        migrate(path, "0025", down=True)
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("DELETE FROM issued_document")
        raw.commit()
    migrate(path, "0025", down=True)
    with closing(sqlite3.connect(path)) as raw, pytest.raises(sqlite3.IntegrityError):
        _register(raw, "FW-2026-000002", "service_report", "客服服务月报 2026年11月")
    migrate(path, "0026", down=False)
    with closing(sqlite3.connect(path)) as raw:
        _register(raw, "FW-2026-000002", "service_report", "客服服务月报 2026年11月")
