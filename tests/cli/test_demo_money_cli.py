"""The demo's money could have happened: every payment settles only bills that existed
when it was posted, and `frontdesk check` names any payment that does not."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, insert, select

from tests.cli.conftest import Run, copy_of
from tests.cli.database_rows import DAY, INSTANT, Where, one, rows, table, typed, write

PASSED = "每笔收款只收取收款时已经生成的账单"


def _copy(demo_db: Where, tmp_path: Path) -> Where:
    path = tmp_path / "data" / "frontdesk.sqlite"
    path.parent.mkdir()
    return copy_of(demo_db, path)


def test_a_fresh_demo_pays_only_bills_that_existed(frontdesk: Run, demo_db: Where) -> None:
    early = one(
        demo_db,
        "SELECT count(*) FROM allocation a JOIN payment p ON p.id = a.payment_id "
        "JOIN bill b ON b.id = a.bill_id WHERE b.created_at > p.posted_at",
    )
    ahead = one(demo_db, "SELECT count(*) FROM bill WHERE run_id IS NULL AND period IS NOT NULL")
    water = rows(
        demo_db,
        typed(
            "SELECT b.created_at AS billed, m.read_on AS read FROM bill b "
            "JOIN fee_item f ON f.id = b.fee_item_id "
            "JOIN meter_reading m ON m.room_id = b.room_id AND m.period = b.period "
            "WHERE f.name = '水费'",
            billed=INSTANT,
            read=DAY,
        ),
    )
    assert early == 0
    assert ahead > 0  # yearly and quarterly payers' months were billed by their 预交
    # water is billed after its reading (a day later or more), not at the month's start
    assert water and all(billed.astimezone().date() > read for billed, read in water)
    checked = frontdesk("check", "--db", str(demo_db))
    assert checked.returncode == 0, checked.stderr
    assert PASSED in checked.stdout


def test_check_names_a_payment_of_a_bill_made_after_it(
    frontdesk: Run, demo_db: Where, tmp_path: Path
) -> None:
    db = _copy(demo_db, tmp_path)
    payment, receipt, bill = table("payment"), table("receipt"), table("bill")
    [(payment_id, room_id, posted_at, series, number)] = rows(
        db,
        select(
            payment.c.id, payment.c.room_id, payment.c.posted_at, receipt.c.series, receipt.c.number
        )
        .join(receipt, receipt.c.payment_id == payment.c.id)
        .order_by(payment.c.posted_at)
        .limit(1),
    )
    item = one(db, "SELECT id FROM fee_item WHERE name = '门禁卡工本费'")
    # A bill written a month after the payment, and the payment made to settle it.
    write(
        db,
        insert(bill).values(
            room_id=room_id,
            fee_item_id=item,
            period=None,
            start_on=date(2026, 1, 1),
            end_on=date(2026, 1, 1),
            quantity_x100=100,
            unit_price=200000,
            amount_fen=2000,
            reduction_fen=0,
            reduction_reason="",
            due_fen=2000,
            description="门禁卡补办",
            created_at=posted_at + timedelta(days=30),
            created_by="系统",
            run_id=None,
        ),
        insert(table("allocation")).values(
            payment_id=payment_id,
            bill_id=select(func.max(bill.c.id)).scalar_subquery(),
            amount_fen=2000,
            void_id=None,
        ),
    )
    checked = frontdesk("check", "--db", str(db))
    assert checked.returncode == 1
    receipt_number = f"{series}{number:08d}"
    named = [line for line in checked.stderr.splitlines() if "才生成" in line]
    assert len(named) == 1, checked.stderr
    assert f"收据 {receipt_number}" in named[0] and "门禁卡补办" in named[0], named
    assert PASSED not in checked.stdout


def test_every_demo_deposit_belongs_to_a_renovation_of_its_room(demo_db: Where) -> None:
    deposits = rows(
        demo_db,
        typed(
            "SELECT b.id, b.room_id, r.room_id, r.number, b.created_at AS created, "
            " (SELECT min(e.at) FROM renovation_event e "
            "  WHERE e.renovation_id = r.id AND e.kind = 'approved') AS approved "
            "FROM bill b JOIN fee_item f ON f.id = b.fee_item_id "
            "LEFT JOIN renovation_bill rb ON rb.bill_id = b.id AND rb.purpose = 'deposit' "
            "LEFT JOIN renovation r ON r.id = rb.renovation_id "
            "WHERE f.name = '装修押金'",
            created=INSTANT,
            approved=INSTANT,
        ),
    )
    assert len(deposits) >= 5  # closed works of the year and the ones under way
    for bill, room, renovation_room, number, created, approved in deposits:
        assert number is not None, f"押金账单 {bill} 没有对应的装修"
        assert renovation_room == room, (bill, number)
        # Charged when the renovation was approved (to the second), not before.
        assert approved is not None, number
        assert created >= approved.replace(microsecond=0), (number, created, approved)


def test_demo_deposits_are_refunded_after_the_acceptance_on_a_closed_day(
    demo_db: Where,
) -> None:
    refunds = rows(
        demo_db,
        typed(
            "SELECT f.id, f.day AS day, f.cashier_id, r.number, r.status, "
            " r.completed_on AS completed_on, "
            " (SELECT count(*) FROM cash_close c WHERE c.cashier_id = f.cashier_id "
            "  AND c.day = f.day AND c.kind = 'day') "
            "FROM refund f JOIN bill b ON b.id = f.bill_id "
            "JOIN fee_item i ON i.id = b.fee_item_id "
            "LEFT JOIN renovation_bill rb ON rb.bill_id = f.bill_id "
            "LEFT JOIN renovation r ON r.id = rb.renovation_id WHERE i.name = '装修押金'",
            day=DAY,
            completed_on=DAY,
        ),
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
    demo_db: Where,
) -> None:
    paid = rows(
        demo_db,
        typed(
            "SELECT r.number, p.posted_at AS posted_at, p.day AS day, "
            " r.permit_issued_on AS permit_on, "
            " (SELECT min(e.at) FROM renovation_event e "
            "  WHERE e.renovation_id = r.id AND e.kind = 'permitted') AS permitted_at "
            "FROM renovation r JOIN renovation_bill rb ON rb.renovation_id = r.id "
            "JOIN allocation a ON a.bill_id = rb.bill_id AND a.amount_fen > 0 "
            "JOIN payment p ON p.id = a.payment_id WHERE r.permit_no != ''",
            posted_at=INSTANT,
            day=DAY,
            permit_on=DAY,
            permitted_at=INSTANT,
        ),
    )
    assert len({row[0] for row in paid}) >= 5
    for number, posted_at, day, permit_on, permitted_at in paid:
        assert permitted_at is not None and posted_at <= permitted_at, (number, posted_at)
        assert day <= permit_on, (number, day, permit_on)
    steps = rows(
        demo_db,
        typed(
            "SELECT s.room_id, s.detail, s.done_at AS done_at FROM handover_step s "
            "WHERE s.step = 'fees'",
            done_at=INSTANT,
        ),
    )
    assert steps
    receipts = {
        f"{series}{number:08d}": (room, posted_at)
        for series, number, room, posted_at in rows(
            demo_db,
            typed(
                "SELECT r.series, r.number, p.room_id, p.posted_at AS posted_at FROM receipt r "
                "JOIN payment p ON p.id = r.payment_id",
                posted_at=INSTANT,
            ),
        )
    }
    for room, detail, done_at in steps:
        for number in json.loads(detail)["receipts"]:
            paid_room, posted_at = receipts[number]
            assert paid_room == room and posted_at <= done_at, (number, posted_at, done_at)


def test_demo_receipt_numbers_run_with_their_dates(demo_db: Where) -> None:
    """The renovations' and move-in's receipts, posted through the counter on their own
    past days, sit in the series among that day's receipts, not after today's."""
    for series in ("SJ", "TK"):
        issued = [
            at
            for (at,) in rows(
                demo_db,
                typed(
                    "SELECT issued_at AS at FROM receipt WHERE series = :series ORDER BY number",
                    at=INSTANT,
                ),
                series=series,
            )
        ]
        assert len(issued) > 1
        late = [n for n, (a, b) in enumerate(pairwise(issued), 1) if b < a]
        assert not late, f"{series}{late[0]:08d} 的日期晚于下一号"


def test_a_demo_deposit_receipt_and_its_refund_voucher_name_the_renovation(
    frontdesk: Run, demo_db: Where, tmp_path: Path
) -> None:
    db = _copy(demo_db, tmp_path)  # printing registers the papers: not in the shared file
    [(receipt_series, receipt_number, voucher_series, voucher_number, number)] = rows(
        db,
        "SELECT pr.series, pr.number, tr.series, tr.number, r.number "
        "FROM renovation r JOIN renovation_bill rb ON rb.renovation_id = r.id "
        "AND rb.purpose = 'deposit' "
        "JOIN allocation a ON a.bill_id = rb.bill_id AND a.void_id IS NULL "
        "JOIN receipt pr ON pr.payment_id = a.payment_id "
        "JOIN refund f ON f.bill_id = rb.bill_id JOIN receipt tr ON tr.refund_id = f.id "
        "WHERE r.status = 'closed' "
        "AND NOT EXISTS (SELECT 1 FROM receipt_void v WHERE v.receipt_id = pr.id) "
        "ORDER BY r.id LIMIT 1",
    )
    receipt = f"{receipt_series}{receipt_number:08d}"
    voucher = f"{voucher_series}{voucher_number:08d}"
    texts = []
    for paper in (receipt, voucher):
        out = tmp_path / f"{paper}.pdf"
        result = frontdesk("print", "receipt", paper, "--db", str(db), "--out", str(out))
        assert result.returncode == 0, result.stderr
        texts.append(PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text())
    receipt_text, voucher_text = (text.replace(" ", "").replace("\n", "") for text in texts)
    assert f"装修编号{number}" in receipt_text and "验收合格后凭" in receipt_text
    assert f"装修编号{number}" in voucher_text and receipt in voucher_text
