"""The demo's money could have happened: every payment settles only bills that existed
when it was posted, and `frontdesk check` names any payment that does not."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.cli.conftest import Run

PASSED = "每笔收款只收取收款时已经生成的账单"


def _copy(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "data" / "frontdesk.sqlite"
    path.parent.mkdir()
    shutil.copy(demo_db, path)
    files = demo_db.with_name(f"{demo_db.stem}-files")
    if files.is_dir():
        shutil.copytree(files, path.with_name("frontdesk-files"))
    return path


def test_a_fresh_demo_pays_only_bills_that_existed(frontdesk: Run, demo_db: Path) -> None:
    with closing(sqlite3.connect(demo_db)) as raw:
        early = raw.execute(
            "SELECT count(*) FROM allocation a JOIN payment p ON p.id = a.payment_id "
            "JOIN bill b ON b.id = a.bill_id WHERE b.created_at > p.posted_at"
        ).fetchone()[0]
        ahead = raw.execute(
            "SELECT count(*) FROM bill WHERE run_id IS NULL AND period IS NOT NULL"
        ).fetchone()[0]
        water_late = raw.execute(
            "SELECT count(*) FROM bill b JOIN fee_item f ON f.id = b.fee_item_id "
            "JOIN meter_reading m ON m.room_id = b.room_id AND m.period = b.period "
            "WHERE f.name = '水费' AND date(b.created_at) <= m.read_on"
        ).fetchone()[0]
    assert early == 0
    assert ahead > 0  # yearly and quarterly payers' months were billed by their 预交
    assert water_late == 0  # water is billed after its reading, not at the month's start
    checked = frontdesk("check", "--db", str(demo_db))
    assert checked.returncode == 0, checked.stderr
    assert PASSED in checked.stdout


def test_check_names_a_payment_of_a_bill_made_after_it(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = _copy(demo_db, tmp_path)
    with closing(sqlite3.connect(db)) as raw:
        payment_id, room_id, posted_at, series, number = raw.execute(
            "SELECT p.id, p.room_id, p.posted_at, r.series, r.number FROM payment p "
            "JOIN receipt r ON r.payment_id = p.id ORDER BY p.posted_at LIMIT 1"
        ).fetchone()
        item = raw.execute("SELECT id FROM fee_item WHERE name = '门禁卡工本费'").fetchone()[0]
        # A bill written a month after the payment, and the payment made to settle it.
        raw.execute(
            "INSERT INTO bill (room_id, fee_item_id, period, start_on, end_on, quantity_x100, "
            "unit_price, amount_fen, reduction_fen, reduction_reason, due_fen, description, "
            "created_at, created_by, run_id) VALUES (?, ?, NULL, '2026-01-01', '2026-01-01', "
            "100, 200000, 2000, 0, '', 2000, '门禁卡补办', "
            "datetime(?, '+30 days'), '系统', NULL)",
            (room_id, item, posted_at),
        )
        bill_id = raw.execute("SELECT max(id) FROM bill").fetchone()[0]
        raw.execute(
            "INSERT INTO allocation (payment_id, bill_id, amount_fen, void_id) "
            "VALUES (?, ?, 2000, NULL)",
            (payment_id, bill_id),
        )
        raw.commit()
    checked = frontdesk("check", "--db", str(db))
    assert checked.returncode == 1
    receipt = f"{series}{number:08d}"
    named = [line for line in checked.stderr.splitlines() if "才生成" in line]
    assert len(named) == 1, checked.stderr
    assert f"收据 {receipt}" in named[0] and "门禁卡补办" in named[0], named
    assert PASSED not in checked.stdout
