"""The demo's 催缴 notices as a lawyer would check the record: every notice printed is
either waiting for its delivery or delivered with its evidence, a 催缴通知单 only went
where a 温馨提示 had been delivered 15 days before, and the limitation clock counts
only delivered demands."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.cli.conftest import copy_of
from tests.cli.database_rows import DAY, INSTANT, Where, one, rows, typed


def test_the_demo_notices_follow_the_order_and_carry_their_evidence(demo_db: Where) -> None:
    notices = [
        (*row[:-1], row[-1].astimezone().date())  # printed on this day, as the counter saw it
        for row in rows(
            demo_db,
            typed(
                "SELECT room_id, level, delivery, delivered_on AS delivered_on, "
                "delivery_method, signer, signer_relation, tracking_number, written, "
                "at AS printed_at FROM reminder "
                "WHERE notice_number IS NOT NULL ORDER BY at, id",
                delivered_on=DAY,
                printed_at=INSTANT,
            ),
        )
    ]
    assert {n[2] for n in notices} == {"printed", "delivered"}
    assert {n[1] for n in notices} == {1, 2}
    first_served: dict[int, date] = {}
    for room, level, state, served, method, signer, relation, tracking, written, printed in notices:
        if state == "printed":
            assert served is None and not written  # printing is no demand
            continue
        assert served >= printed
        if level == 1:
            first_served.setdefault(room, served)
            continue
        assert written and method in ("当面签收", "挂号信", "EMS")
        assert (signer and relation) if method == "当面签收" else tracking
        # the 催缴通知单 went 15 days or more after the 温馨提示 reached the household
        assert printed - first_served[room] >= timedelta(days=15)


def test_printing_a_batch_from_the_command_line_records_no_demand(
    frontdesk, demo_db: Where, tmp_path: Path
) -> None:
    copy = copy_of(demo_db, tmp_path / "demo.sqlite")
    out = tmp_path / "n.pdf"
    made = frontdesk("print", "reminders", "--level", "1", "--db", str(copy), "--out", str(out))
    assert made.returncode == 0, made.stderr
    written = one(copy, "SELECT count(*) FROM reminder WHERE written AND delivery = 'printed'")
    pending = one(copy, "SELECT count(*) FROM reminder WHERE delivery = 'printed' AND level = 1")
    assert written == 0 and pending > 0
