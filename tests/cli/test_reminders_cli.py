"""The demo's 催缴 notices as a lawyer would check the record: every notice printed is
either waiting for its delivery or delivered with its evidence, a 催缴通知单 only went
where a 温馨提示 had been delivered 15 days before, and the limitation clock counts
only delivered demands."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path


def test_the_demo_notices_follow_the_order_and_carry_their_evidence(demo_db: Path) -> None:
    with closing(sqlite3.connect(demo_db)) as raw:
        notices = raw.execute(
            "SELECT room_id, level, delivery, delivered_on, delivery_method, signer, "
            "signer_relation, tracking_number, written, date(at) FROM reminder "
            "WHERE notice_number IS NOT NULL ORDER BY at, id"
        ).fetchall()
    assert {n[2] for n in notices} == {"printed", "delivered"}
    assert {n[1] for n in notices} == {1, 2}
    first_served: dict[int, date] = {}
    for room, level, state, on, method, signer, relation, tracking, written, printed in notices:
        if state == "printed":
            assert on is None and not written  # printing is no demand
            continue
        served = date.fromisoformat(on)
        assert served >= date.fromisoformat(printed)
        if level == 1:
            first_served.setdefault(room, served)
            continue
        assert written and method in ("当面签收", "挂号信", "EMS")
        assert (signer and relation) if method == "当面签收" else tracking
        # the 催缴通知单 went 15 days or more after the 温馨提示 reached the household
        assert date.fromisoformat(printed) - first_served[room] >= timedelta(days=15)


def test_printing_a_batch_from_the_command_line_records_no_demand(
    frontdesk, demo_db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "demo.sqlite"
    with closing(sqlite3.connect(demo_db)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    out = tmp_path / "n.pdf"
    made = frontdesk("print", "reminders", "--level", "1", "--db", str(copy), "--out", str(out))
    assert made.returncode == 0, made.stderr
    with closing(sqlite3.connect(copy)) as raw:
        written = raw.execute(
            "SELECT count(*) FROM reminder WHERE written AND delivery = 'printed'"
        ).fetchone()[0]
        pending = raw.execute(
            "SELECT count(*) FROM reminder WHERE delivery = 'printed' AND level = 1"
        ).fetchone()[0]
    assert written == 0 and pending > 0
