"""`frontdesk check` compares every money row with the audit entry that created it:
a skim that keeps every sum consistent (payment, tender, allocation and bill all
1.00 less) is still named, as are a money row whose create entry was deleted and
an entry whose row is gone. A demo, whose year of money is inserted in bulk and
sealed by one entry per table, passes clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from frontdesk.demo import build_demo
from frontdesk.domain.roles import Actor, Role
from frontdesk.services.database import Database, open_at
from frontdesk.services.protection import checks
from tests.unit.fee_fixtures import Community
from tests.unit.test_checks_money import raw_edit, town

# SQLite only: the damage is made by editing the file through sqlite3.
pytestmark = pytest.mark.sqlite_only

__all__ = ["town"]  # the fixture, shared with test_checks_money


def test_a_sound_town_passes_the_comparison(db: Database, town: Community) -> None:
    report = checks.check_database(db)
    assert report.ok, report.problems
    assert "每条金额记录都与审计日志中新增它的记录一致" in report.passed


def test_a_consistent_skim_is_named(db: Database, town: Community) -> None:
    """The issue's skim: triggers dropped, 1.00 off a payment, its tender, one of its
    allocations and that bill, triggers back. Every sum still adds up."""
    with raw_edit(db) as raw:
        payment_id, total = raw.execute(
            "SELECT p.id, p.total_fen FROM payment p JOIN receipt r ON r.payment_id = p.id "
            "WHERE r.series = 'SJ' AND r.number = 1"
        ).fetchone()
        allocation_id, bill_id, allocated = raw.execute(
            "SELECT id, bill_id, amount_fen FROM allocation WHERE payment_id = ? "
            "ORDER BY id LIMIT 1",
            (payment_id,),
        ).fetchone()
        raw.execute("UPDATE payment SET total_fen = total_fen - 100 WHERE id = ?", (payment_id,))
        raw.execute(
            "UPDATE tender SET amount_fen = amount_fen - 100, tendered_fen = tendered_fen - 100 "
            "WHERE payment_id = ?",
            (payment_id,),
        )
        raw.execute(
            "UPDATE allocation SET amount_fen = amount_fen - 100 WHERE id = ?", (allocation_id,)
        )
        raw.execute(
            "UPDATE bill SET amount_fen = amount_fen - 100, due_fen = due_fen - 100 WHERE id = ?",
            (bill_id,),
        )
        tender_id = raw.execute(
            "SELECT id FROM tender WHERE payment_id = ?", (payment_id,)
        ).fetchone()[0]
    report = checks.check_database(db)
    # The sums are consistent: only the log and the kept tally see the skim.
    assert "每笔收款的收款方式合计、分配到账单和预存的金额与收款金额一致" in report.passed
    assert "没有账单被多收：已收加减免不超过应收" in report.passed
    found = report.problems

    def yuan(fen: int) -> str:
        return f"¥{fen // 100:,}.{fen % 100:02d}"

    assert (
        f"收款 #{payment_id}（收据 SJ00000001，1-1-101）：金额 {yuan(total - 100)} "
        f"与审计日志记录的 {yuan(total)} 不符"
    ) in found, found
    assert any(
        p.startswith(f"收款方式 #{tender_id}（收款 #{payment_id}，收据 SJ00000001")
        and f"金额 {yuan(total - 100)} 与审计日志记录的 {yuan(total)} 不符" in p
        and f"实收金额 {yuan(total - 100)} 与审计日志记录的 {yuan(total)} 不符" in p
        for p in found
    ), found
    assert any(
        p.startswith(f"收款分配 #{allocation_id}（收款 #{payment_id}，收据 SJ00000001")
        and f"金额 {yuan(allocated - 100)} 与审计日志记录的 {yuan(allocated)} 不符" in p
        for p in found
    ), found
    # The bill came from a billing run, sealed in bulk: named, with the entry that holds it.
    assert any(
        p.startswith(f"账单 #{bill_id}（1-1-101，2026-1")
        and "与审计日志第" in p
        and "条批量新增时记录的不符" in p
        for p in found
    ), found
    # 收缴汇总 was kept by triggers as the money was posted: it still holds the truth.
    assert any(p.startswith("收缴汇总 2026-1") and "1栋 物业服务费" in p for p in found), found
    assert len(found) == 5, found


def test_a_deleted_create_entry_of_a_refund_is_named(db: Database, town: Community) -> None:
    with raw_edit(db) as raw:
        refund_id = raw.execute("SELECT id FROM refund").fetchone()[0]
        deleted = raw.execute(
            "DELETE FROM audit_log WHERE entity = 'refund' AND action = 'create'"
        ).rowcount
    assert deleted == 1
    found = checks.check_database(db).problems
    assert f"退款 #{refund_id}（退款凭证 TK00000001，1-1-202）：审计日志中没有它的新增记录" in (
        found
    ), found


def test_a_money_row_gone_behind_its_entry_is_named(db: Database, town: Community) -> None:
    with raw_edit(db) as raw:
        entry_id, prepaid_id = raw.execute(
            "SELECT id, entity_id FROM audit_log WHERE entity = 'prepaid_entry' "
            "AND action = 'create' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        raw.execute("DELETE FROM prepaid_entry WHERE id = ?", (prepaid_id,))
    found = checks.check_database(db).problems
    assert f"预存 #{prepaid_id}：审计日志第 {entry_id} 条记录了它的新增，记录却不在了" in found, (
        found
    )


def test_a_bulk_row_deleted_or_added_is_named(db: Database, town: Community) -> None:
    """Bills of a billing run have no entry each: the run's seal names them."""
    with raw_edit(db) as raw:
        bill_id = raw.execute("SELECT max(id) FROM bill WHERE run_id IS NOT NULL").fetchone()[0]
        raw.execute("DELETE FROM bill_open WHERE bill_id = ?", (bill_id,))
        raw.execute("DELETE FROM bill WHERE id = ?", (bill_id,))
        raw.execute(
            "INSERT INTO payment (room_id, posted_at, day, cashier_id, cashier_name, payer, "
            "total_fen, note) SELECT room_id, posted_at, day, cashier_id, cashier_name, payer, "
            "0, note FROM payment ORDER BY id LIMIT 1"
        )
        added = raw.execute("SELECT max(id) FROM payment").fetchone()[0]
    found = checks.check_database(db).problems
    assert any(
        p.startswith(f"账单 #{bill_id}：审计日志第 ")
        and p.endswith("条记录了它的批量新增，记录却不在了")
        for p in found
    ), found
    assert any(
        p.startswith(f"收款 #{added}（") and p.endswith("审计日志中没有它的新增记录") for p in found
    ), found


def test_a_demo_passes_check_clean(tmp_path: Path) -> None:
    """The demo inserts a year of money in bulk: each table's rows are sealed, so the
    comparison finds nothing to name; a changed demo bill is named."""
    path = tmp_path / "d.sqlite"
    build_demo(path, households=60, seed=5)
    demo = open_at(path)
    report = checks.check_database(demo)
    assert report.ok, report.problems
    assert "每条金额记录都与审计日志中新增它的记录一致" in report.passed
    with raw_edit(demo) as raw:
        raw.execute("UPDATE tender SET amount_fen = amount_fen + 1 WHERE id = 7")
        raw.execute(
            "UPDATE payment SET total_fen = total_fen + 1 "
            "WHERE id = (SELECT payment_id FROM tender WHERE id = 7)"
        )
    found = checks.check_database(demo).problems
    assert any(p.startswith("收款方式 #7（") and "条批量新增时记录的不符" in p for p in found), (
        found
    )
    assert any(p.startswith("收款 #") and "条批量新增时记录的不符" in p for p in found), found
    demo.dispose()


def test_money_from_before_sealing_is_sealed_once(db: Database, town: Community) -> None:
    """Rows an older version inserted in bulk with no entry are named until sealed; an
    upgrade seals them (db/migrate.py), and what is changed afterwards is named again."""
    from sqlalchemy import text

    from frontdesk.db.bulk_audit import seal_unrecorded
    from frontdesk.domain.roles import SYSTEM

    with raw_edit(db) as raw:
        raw.execute(
            "INSERT INTO cash_close (cashier_id, cashier_name, day, kind, closed_at, "
            "cash_expected_fen, cash_counted_fen, summary, note) "
            "VALUES (NULL, '收费员甲', '2026-11-20', 'day', '2026-11-20 10:00:00.000000', "
            "5000, 5000, '{}', '')"
        )
        close_id = raw.execute("SELECT max(id) FROM cash_close").fetchone()[0]
    found = checks.check_database(db).problems
    assert any(
        p.startswith(f"交班日结 #{close_id}（收费员甲 2026-11-20）：审计日志中没有它的新增记录")
        for p in found
    ), found
    with db.write(SYSTEM) as session:
        assert seal_unrecorded(session.connection(), SYSTEM, "升级前") == 1
        assert (
            session.execute(
                text("SELECT count(*) FROM audit_log WHERE action = 'bulk_create'")
            ).scalar_one()
        ) >= 2
    assert checks.check_database(db).ok
    with raw_edit(db) as raw:
        raw.execute("UPDATE cash_close SET cash_counted_fen = 4000 WHERE id = ?", (close_id,))
    found = checks.check_database(db).problems
    assert any(p.startswith(f"交班日结 #{close_id}（") for p in found), found


def test_an_upgrade_seals_older_bulk_money(tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    from frontdesk.db.engine import make_engine
    from frontdesk.db.migrate import open_database, upgrade
    from frontdesk.services.protection.money_audit import money_audit_problems

    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        upgrade(connection, "0013")
        connection.commit()
    engine.dispose()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute(
            "INSERT INTO cash_close (cashier_id, cashier_name, day, kind, closed_at, "
            "cash_expected_fen, cash_counted_fen, summary, note) "
            "VALUES (NULL, '收费员甲', '2026-11-20', 'day', '2026-11-20 10:00:00.000000', "
            "5000, 5000, '{}', '')"
        )
        # Every file since 0010 has a data key, not open while it is upgraded: the log is
        # not signed yet, so the seal goes in plain (signed over when the key opens).
        raw.execute(
            'INSERT INTO data_key (id, key_id, mode, "check", salt, wrapped_key, created_at, '
            "recovery_exported_by) VALUES (1, 'k', 'keyring', 'x', '', '', '2026-01-01', '')"
        )
        raw.commit()
    upgraded = open_database(path)
    assert money_audit_problems(upgraded) == []
    upgraded.dispose()
    with closing(sqlite3.connect(path)) as raw:
        (summary,) = raw.execute(
            "SELECT summary FROM audit_log WHERE action = 'bulk_create'"
        ).fetchone()
    assert summary == "批量新增交班日结 1 条（升级前已有、未逐条记入审计日志的金额记录）"


def test_a_bulk_entry_reads_as_words(db: Database, town: Community, admin: Actor) -> None:
    """The audit viewer and export show a billing run's seal as a count, the ids and
    the digest, in Chinese; the per-row tags stay out of sight."""
    from frontdesk.services.protection import audit
    from frontdesk.services.protection.audit_text import change_lines

    ids = audit.entry_ids(db, admin, audit.AuditFilter(action="bulk_create"))
    rows = audit.entry_rows(db, admin, ids)
    bills = [r for r in rows if r.entity == "bill"]
    assert bills and bills[0].action_label == "批量新增"
    assert bills[0].summary.startswith("批量新增账单 ")
    lines = change_lines(bills[0])
    assert lines[0].startswith("条数：") and lines[1].startswith("记录编号：")
    assert lines[2].startswith("校验值（SHA-256）：") and len(lines) == 3


def test_every_kind_of_posting_matches_its_entries(
    db: Database, town: Community, admin: Actor, make_user: Callable[[Role], Actor]
) -> None:
    """A reduction at the counter, 预存 drawn at the counter, a transfer refund (its
    account number is masked in the log) and a day close, all through the services:
    nothing to name. Then each changed row is named with the logged value."""
    from frontdesk.domain.fees import PayMethod
    from frontdesk.domain.periods import Period
    from frontdesk.services import users
    from frontdesk.services.fees import billing, cash_close, payments, refunds
    from frontdesk.services.fees.payments import PaymentRequest, ReductionInput, TenderInput
    from frontdesk.services.fees.refunds import RefundRequest
    from tests.unit.fee_fixtures import TODAY

    billing.run_billing(db, admin, Period(2026, 12), today=TODAY)
    cashier = users.login(db, "cashier1", "staff1234")  # the town's cashier
    view = payments.counter_view(db, cashier, town.vacant, TODAY)
    (bill_id, due), *rest = [(b.bill_id, b.outstanding_fen) for b in view.open_bills]
    request = PaymentRequest(
        town.vacant,
        ((bill_id, due - 500), *rest),
        (TenderInput(PayMethod.CASH, due - 500 + sum(a for _, a in rest)),),
        reductions=(ReductionInput(bill_id, 500, "水管维修期间停水补偿"),),
    )
    payments.post_payment(db, make_user(Role.SUPERVISOR), request, TODAY)
    refund = RefundRequest(
        town.unsold,
        PayMethod.TRANSFER,
        "业主要求退回",
        "张三",
        amount_fen=5000,
        account_name="张三",
        bank="中国工商银行滨江支行",
        account_no="6222021234567890123",
    )
    refunds.post_refund(db, cashier, refund, TODAY)
    expected = cash_close.open_takings(db, cashier, TODAY).cash_expected_fen
    cash_close.close_cash(db, cashier, "day", expected, today=TODAY)
    report = checks.check_database(db)
    assert report.ok, report.problems
    with raw_edit(db) as raw:
        raw.execute("UPDATE reduction SET amount_fen = 50000")
        raw.execute(
            "UPDATE refund SET payee_account_no = '6222029999999990000' WHERE method = 'transfer'"
        )
        raw.execute("UPDATE cash_close SET cash_counted_fen = cash_counted_fen + 10000")
    found = checks.check_database(db).problems
    assert any(
        p.startswith("减免 #") and "金额 ¥500.00 与审计日志记录的 ¥5.00 不符" in p for p in found
    ), found
    assert any(
        p.startswith("退款 #")
        and "收款账号 “6222 **** 0000” 与审计日志记录的 “6222 **** 0123” 不符" in p
        for p in found
    ), found
    assert any(p.startswith("交班日结 #") and "实点现金" in p for p in found), found
