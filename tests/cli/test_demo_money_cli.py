"""The demo's money could have happened: every payment settles only bills that existed
when it was posted, and `frontdesk check` names any payment that does not."""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import closing
from itertools import pairwise
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.cli.conftest import Run, copy_of

PASSED = "每笔收款只收取收款时已经生成的账单"


def _copy(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "data" / "frontdesk.sqlite"
    path.parent.mkdir()
    path = copy_of(demo_db, path)
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


def _rows(demo_db: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(demo_db)) as raw:
        return raw.execute(sql).fetchall()


def test_every_demo_deposit_belongs_to_a_renovation_of_its_room(demo_db: Path) -> None:
    deposits = _rows(
        demo_db,
        "SELECT b.id, b.room_id, r.room_id, r.number, b.created_at, "
        " (SELECT min(e.at) FROM renovation_event e "
        "  WHERE e.renovation_id = r.id AND e.kind = 'approved') "
        "FROM bill b JOIN fee_item f ON f.id = b.fee_item_id "
        "LEFT JOIN renovation_bill rb ON rb.bill_id = b.id AND rb.purpose = 'deposit' "
        "LEFT JOIN renovation r ON r.id = rb.renovation_id "
        "WHERE f.name = '装修押金'",
    )
    assert len(deposits) >= 5  # closed works of the year and the ones under way
    for bill, room, renovation_room, number, created, approved in deposits:
        assert number is not None, f"押金账单 {bill} 没有对应的装修"
        assert renovation_room == room, (bill, number)
        # Charged when the renovation was approved, not before.
        assert approved is not None and created >= approved[:19], (number, created, approved)


def test_demo_deposits_are_refunded_after_the_acceptance_on_a_closed_day(
    demo_db: Path,
) -> None:
    refunds = _rows(
        demo_db,
        "SELECT f.id, f.day, f.cashier_id, r.number, r.status, r.completed_on, "
        " (SELECT count(*) FROM cash_close c WHERE c.cashier_id = f.cashier_id "
        "  AND c.day = f.day AND c.kind = 'day') "
        "FROM refund f JOIN bill b ON b.id = f.bill_id "
        "JOIN fee_item i ON i.id = b.fee_item_id "
        "LEFT JOIN renovation_bill rb ON rb.bill_id = f.bill_id "
        "LEFT JOIN renovation r ON r.id = rb.renovation_id WHERE i.name = '装修押金'",
    )
    assert len(refunds) >= 3
    for refund, day, _cashier, number, status, completed_on, closes in refunds:
        assert number is not None, f"押金退款 {refund} 没有对应的装修"
        assert status in ("settled", "closed"), (number, status)
        assert completed_on is not None and day >= completed_on, (number, day, completed_on)
        # Refunded on a past day the cashier has closed (its 日结 counts it), not today.
        assert closes == 1, (number, day)
    # The closed works of earlier in the year were refunded days after their acceptance.
    assert any(
        status == "closed" and day > completed_on
        for _, day, _, _, status, completed_on, _ in refunds
    )


def test_renovation_and_move_in_money_is_taken_before_the_step_that_needs_it(
    demo_db: Path,
) -> None:
    paid = _rows(
        demo_db,
        "SELECT r.number, p.posted_at, p.day, r.permit_issued_on, "
        " (SELECT min(e.at) FROM renovation_event e "
        "  WHERE e.renovation_id = r.id AND e.kind = 'permitted') "
        "FROM renovation r JOIN renovation_bill rb ON rb.renovation_id = r.id "
        "JOIN allocation a ON a.bill_id = rb.bill_id AND a.amount_fen > 0 "
        "JOIN payment p ON p.id = a.payment_id WHERE r.permit_no != ''",
    )
    assert len({row[0] for row in paid}) >= 5
    for number, posted_at, day, permit_on, permitted_at in paid:
        assert permitted_at is not None and posted_at <= permitted_at, (number, posted_at)
        assert day <= permit_on, (number, day, permit_on)
    steps = _rows(
        demo_db,
        "SELECT s.room_id, s.detail, s.done_at FROM handover_step s WHERE s.step = 'fees'",
    )
    assert steps
    receipts = {
        f"{series}{number:08d}": (room, posted_at)
        for series, number, room, posted_at in _rows(
            demo_db,
            "SELECT r.series, r.number, p.room_id, p.posted_at FROM receipt r "
            "JOIN payment p ON p.id = r.payment_id",
        )
    }
    for room, detail, done_at in steps:
        for number in json.loads(detail)["receipts"]:
            paid_room, posted_at = receipts[number]
            assert paid_room == room and posted_at <= done_at, (number, posted_at, done_at)


def test_demo_receipt_numbers_run_with_their_dates(demo_db: Path) -> None:
    """The renovations' and move-in's receipts, posted through the counter on their own
    past days, sit in the series among that day's receipts, not after today's."""
    for series in ("SJ", "TK"):
        issued = [
            at
            for (at,) in _rows(
                demo_db, f"SELECT issued_at FROM receipt WHERE series = '{series}' ORDER BY number"
            )
        ]
        assert len(issued) > 1
        late = [n for n, (a, b) in enumerate(pairwise(issued), 1) if b < a]
        assert not late, f"{series}{late[0]:08d} 的日期晚于下一号"


def test_a_demo_deposit_receipt_and_its_refund_voucher_name_the_renovation(
    frontdesk: Run, demo_db: Path, tmp_path: Path
) -> None:
    db = _copy(demo_db, tmp_path)  # printing registers the papers: not in the shared file
    [(receipt, voucher, number)] = _rows(
        db,
        "SELECT pr.series || printf('%08d', pr.number), "
        " tr.series || printf('%08d', tr.number), r.number "
        "FROM renovation r JOIN renovation_bill rb ON rb.renovation_id = r.id "
        "AND rb.purpose = 'deposit' "
        "JOIN allocation a ON a.bill_id = rb.bill_id AND a.void_id IS NULL "
        "JOIN receipt pr ON pr.payment_id = a.payment_id "
        "JOIN refund f ON f.bill_id = rb.bill_id JOIN receipt tr ON tr.refund_id = f.id "
        "WHERE r.status = 'closed' "
        "AND NOT EXISTS (SELECT 1 FROM receipt_void v WHERE v.receipt_id = pr.id) "
        "ORDER BY r.id LIMIT 1",
    )
    texts = []
    for paper in (receipt, voucher):
        out = tmp_path / f"{paper}.pdf"
        result = frontdesk("print", "receipt", paper, "--db", str(db), "--out", str(out))
        assert result.returncode == 0, result.stderr
        texts.append(PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text())
    receipt_text, voucher_text = (text.replace(" ", "").replace("\n", "") for text in texts)
    assert f"装修编号{number}" in receipt_text and "验收合格后凭" in receipt_text
    assert f"装修编号{number}" in voucher_text and receipt in voucher_text
