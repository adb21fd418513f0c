"""The demo's service desk: a staff register and three months of work orders in every
state, some overdue and some due soon at the demo's now, callbacks with their scores,
and the audit log still whole (`frontdesk check`)."""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import combinations

from sqlalchemy import select

from frontdesk.domain.service_desk import Status
from tests.cli.conftest import Run
from tests.cli.database_rows import INSTANT, Where, one, rows, table, typed


def _one(db: Where, sql: str) -> int:
    return int(one(db, sql))


def test_the_demo_has_orders_in_every_state(demo_db: Where) -> None:
    statuses = {s for (s,) in rows(demo_db, "SELECT DISTINCT status FROM work_order")}
    assert statuses == {s.value for s in Status}
    kinds = {k for (k,) in rows(demo_db, "SELECT DISTINCT kind FROM work_order")}
    assert {"repair_home", "repair_public", "complaint", "enquiry"} <= kinds
    # paused with its reason, the clock stopped
    paused = rows(
        demo_db,
        "SELECT o.due_at, e.note FROM work_order o JOIN work_order_event e "
        "ON e.work_order_id = o.id AND e.step = 'pause' "
        "WHERE o.paused_at IS NOT NULL AND e.at = o.paused_at",
    )
    assert paused and all(due is None and note for due, note in paused)
    # a few unsatisfied callbacks, each followed by the reopening
    unsatisfied = _one(
        demo_db,
        "SELECT count(*) FROM work_order_event WHERE step = 'callback' "
        "AND (score_speed <= 2 OR score_quality <= 2 OR score_attitude <= 2)",
    )
    reopened = _one(demo_db, "SELECT count(*) FROM work_order_event WHERE step = 'reopen'")
    callbacks = _one(demo_db, "SELECT count(*) FROM work_order_event WHERE step = 'callback'")
    assert 0 < unsatisfied == reopened < callbacks // 5
    # a complaint closed without a callback after three failed attempts, with the reason
    failed = rows(
        demo_db,
        "SELECT o.called_back_at, e.note, e.done_by FROM work_order o "
        "JOIN work_order_event e ON e.work_order_id = o.id AND e.step = 'close' "
        "WHERE o.kind = 'complaint' AND o.failed_callbacks = 3 AND o.status = 'closed'",
    )
    assert failed and all(at is None and note for at, note, _ in failed)
    # anonymous complaints keep no one; public places have no room
    assert rows(
        demo_db,
        "SELECT 1 FROM work_order WHERE anonymous AND kind = 'complaint' "
        "AND caller_name = '' AND caller_phone = '' AND room_id IS NULL",
    )
    assert rows(
        demo_db,
        "SELECT 1 FROM work_order WHERE kind = 'repair_public' AND room_id IS NULL "
        "AND (place != '' OR place_building_id IS NOT NULL)",
    )


def test_the_demo_has_repeats_and_a_register_of_staff(demo_db: Where) -> None:
    order = table("work_order")
    orders = rows(
        demo_db,
        select(
            order.c.room_id,
            order.c.kind,
            order.c.place,
            order.c.place_building_id,
            order.c.category_id,
            order.c.taken_at,
        ).order_by(order.c.id),
    )
    # pairs of orders taken within 30 days of each other, the earlier one first
    close = [(a, b) for a, b in combinations(orders, 2) if abs(b[5] - a[5]) <= timedelta(days=30)]
    same_room = sum(1 for a, b in close if a[0] is not None and a[0] == b[0])
    same_place = sum(  # the same place, building (or none) and category
        1
        for a, b in close
        if a[1] == b[1] == "repair_public" and a[4] is not None and a[2:5] == b[2:5]
    )
    assert same_room > 0 and same_place > 0
    teams = rows(
        demo_db,
        "SELECT team, sum(CASE WHEN on_duty THEN 1 ELSE 0 END), count(*) FROM service_staff "
        "GROUP BY team",
    )
    assert {t for t, _, _ in teams} == {
        "engineering",
        "cleaning",
        "order",
        "greening",
        "service",
    }
    assert all(on >= 1 for _, on, _ in teams) and any(on < n for _, on, n in teams)


def test_numbers_run_with_the_time_taken(demo_db: Where) -> None:
    taken = rows(demo_db, "SELECT number FROM work_order ORDER BY taken_at, id")
    numbers = [str(n) for (n,) in taken]
    by_month: dict[str, list[int]] = {}
    for number in numbers:
        prefix, _, serial = number.rpartition("-")
        by_month.setdefault(prefix, []).append(int(serial))
    for serials in by_month.values():
        assert serials == list(range(1, len(serials) + 1))


def test_some_are_overdue_and_some_due_soon_at_the_demos_now(
    frontdesk: Run, demo_db: Where
) -> None:
    listed = frontdesk("tickets", "--open", "--json", "--db", str(demo_db))
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    lights = {row["light"] for row in rows}
    assert {"已超时", "即将超时", "正常"} <= lights
    stages = {row["stage"] for row in rows if row["overdue"]}
    assert {"到场", "完工", "回访"} <= stages  # late on site, late finishing, not called back
    overdue = json.loads(frontdesk("tickets", "--overdue", "--json", "--db", str(demo_db)).stdout)
    # The second command reads its clock a moment later (a set clock ticks on): every
    # order late before is late still, and one that became late since was due soon.
    late_before = {row["number"] for row in rows if row["overdue"]}
    late_now = {row["number"] for row in overdue}
    assert late_before <= late_now
    due_soon = {row["number"] for row in rows if row["light"] == "即将超时"}
    assert late_now - late_before <= due_soon


def test_callbacks_have_their_scores_and_the_check_passes(frontdesk: Run, demo_db: Where) -> None:
    scored = rows(
        demo_db,
        "SELECT score_speed, score_quality, score_attitude, satisfied FROM work_order "
        "WHERE called_back_at IS NOT NULL",
    )
    assert scored
    assert all(None not in row[:3] and row[3] == (min(row[:3]) > 2) for row in scored)
    counts = json.loads(frontdesk("stats", "--db", str(demo_db)).stdout)
    assert counts["tickets"] == _one(demo_db, "SELECT count(*) FROM work_order")
    # 300 households: more than one order a day over the three months
    assert counts["tickets"] > 90
    checked = frontdesk("check", "--db", str(demo_db))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_demo_has_paid_repairs_paid_at_the_counter_open_and_voided(demo_db: Where) -> None:
    charges = rows(
        demo_db,
        typed(
            "SELECT c.charged_at AS charged, b.amount_fen, c.labour_fen + c.materials_fen, "
            " (SELECT sum(amount_fen) FROM repair_charge_line l WHERE l.charge_id = c.id), "
            " (SELECT count(*) FROM reduction r WHERE r.bill_id = b.id "
            "  AND r.reason LIKE '作废维修费：%'), "
            " (SELECT min(rc.issued_at) FROM allocation a JOIN receipt rc "
            "  ON rc.payment_id = a.payment_id WHERE a.bill_id = b.id AND a.amount_fen > 0) "
            " AS receipt "
            "FROM repair_charge c JOIN bill b ON b.id = c.bill_id",
            charged=INSTANT,
            receipt=INSTANT,
        ),
    )
    assert len(charges) >= 6
    assert all(bill == total == lines for _, bill, total, lines, _, _ in charges)
    voided = [c for c in charges if c[4]]
    paid = [c for c in charges if c[5] is not None]
    open_ = [c for c in charges if not c[4] and c[5] is None]
    assert 1 <= len(voided) <= 2 and open_ and len(paid) > len(charges) / 2
    assert not [c for c in voided if c[5] is not None]
    assert all(receipt > charged for charged, *_, receipt in paid)  # paid after the charge
