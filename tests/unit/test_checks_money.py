"""`frontdesk check` on money: damage a small town's books with raw SQL (as someone
with a SQLite editor would) and the check names each problem."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from frontdesk.domain.fees import PayMethod
from frontdesk.domain.periods import Period
from frontdesk.domain.roles import SYSTEM, Actor, Role
from frontdesk.services.database import Database
from frontdesk.services.fees import billing, payments, refunds, voids
from frontdesk.services.fees.payments import PaymentRequest, TenderInput
from frontdesk.services.fees.refunds import RefundRequest
from frontdesk.services.protection import backup_folder, backups, checks
from tests.unit.fee_fixtures import TODAY, Community, make_community

# SQLite only: the damage is made by editing the file through sqlite3, its triggers lifted.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def town(db: Database, admin: Actor, make_user) -> Community:
    """Five receipts SJ1–SJ5 (SJ2 voided), a prepaid deposit and its refund TK1."""
    community = make_community(db, admin)
    billing.run_billing(db, admin, Period(2026, 10), today=TODAY)
    billing.run_billing(db, admin, Period(2026, 11), today=TODAY)
    cashier = make_user(Role.CASHIER)
    for room in (community.occupied, community.vacant, community.new):
        view = payments.counter_view(db, cashier, room, TODAY)
        bills = tuple((b.bill_id, b.outstanding_fen) for b in view.open_bills)
        total = sum(amount for _, amount in bills)
        request = PaymentRequest(room, bills, (TenderInput(PayMethod.CASH, total),))
        payments.post_payment(db, cashier, request, TODAY)
    voids.void_receipt(db, cashier, "SJ00000002", "收错户", TODAY)
    for _ in range(2):
        request = PaymentRequest(
            community.unsold, (), (TenderInput(PayMethod.WECHAT, 30000),), prepaid_fen=30000
        )
        payments.post_payment(db, cashier, request, TODAY)
    refund = RefundRequest(
        community.unsold, PayMethod.CASH, "业主要求退回", "张三", amount_fen=10000
    )
    refunds.post_refund(db, cashier, refund, TODAY)
    return community


@contextmanager
def raw_edit(db: Database) -> Iterator[sqlite3.Connection]:
    """Edit the file directly, triggers lifted for the edit and put back after, so that
    only the damage under test remains."""
    db.dispose()
    with closing(sqlite3.connect(backup_folder.database_path(db))) as raw:
        triggers = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'"
        ).fetchall()
        for name, _sql in triggers:
            raw.execute(f"DROP TRIGGER {name}")
        raw.execute("PRAGMA foreign_keys = OFF")
        yield raw
        for _name, sql in triggers:
            raw.execute(sql)
        raw.commit()


def problems(db: Database) -> list[str]:
    return checks.check_database(db).problems


def test_a_sound_town_passes(db: Database, town: Community) -> None:
    report = checks.check_database(db)
    assert report.ok, report.problems
    assert "收据和退款凭证号连续、无缺号、无重号" in report.passed
    assert "每张作废收据的冲销与原收款一一对应，没有重复冲销" in report.passed
    assert "账单余额表和收缴汇总表与账单、收款、减免记录一致" in report.passed


def test_a_receipt_deleted_from_the_middle_is_named(db: Database, town: Community) -> None:
    with raw_edit(db) as raw:
        raw.execute("DELETE FROM receipt WHERE series = 'SJ' AND number = 3")
    found = problems(db)
    assert any("收据 SJ00000003 缺失" in p and "SJ00000005" in p for p in found), found
    assert any("1-1-201" in p and "没有收据" in p for p in found), found


def test_a_changed_allocation_is_named_with_amounts(db: Database, town: Community) -> None:
    with raw_edit(db) as raw:
        payment_id, amount = raw.execute(
            "SELECT a.payment_id, a.amount_fen FROM allocation a "
            "JOIN receipt r ON r.payment_id = a.payment_id "
            "WHERE r.number = 1 AND a.void_id IS NULL ORDER BY a.id LIMIT 1"
        ).fetchone()
        raw.execute(
            "UPDATE allocation SET amount_fen = amount_fen + 1234 "
            "WHERE id = (SELECT min(id) FROM allocation WHERE payment_id = ?)",
            (payment_id,),
        )
    found = problems(db)
    mismatch = [p for p in found if p.startswith("收据 SJ00000001（1-1-101）收款金额")]
    assert mismatch and "合计不符" in mismatch[0], found
    assert any("1-1-101 2026年10月" in p and "超过应收" in p for p in found), found
    assert amount > 0


def test_a_reversal_that_does_not_match_its_void_is_named(db: Database, town: Community) -> None:
    with raw_edit(db) as raw:
        raw.execute(
            "UPDATE allocation SET amount_fen = -1 "
            "WHERE id = (SELECT min(id) FROM allocation WHERE void_id IS NOT NULL)"
        )
    found = problems(db)
    assert any("作废的收据 SJ00000002的分配冲销不符" in p for p in found), found


def test_a_payment_reversed_twice_is_named(db: Database, town: Community) -> None:
    with raw_edit(db) as raw:
        raw.execute(
            "INSERT INTO allocation (payment_id, bill_id, amount_fen, void_id) "
            "SELECT payment_id, bill_id, amount_fen, void_id FROM allocation "
            "WHERE void_id IS NOT NULL"
        )
    found = problems(db)
    assert any("SJ00000002" in p and "冲销不符" in p for p in found), found
    assert any("冲销多于原收款" in p for p in found), found


def test_a_negative_prepaid_balance_and_a_bad_refund_are_named(
    db: Database, town: Community
) -> None:
    with raw_edit(db) as raw:
        raw.execute(
            "INSERT INTO prepaid_entry (room_id, amount_fen, at, note) "
            "VALUES (?, -99999, '2026-11-25 08:00:00', '手工')",
            (town.unsold,),
        )
        raw.execute("UPDATE refund SET amount_fen = amount_fen + 100")
    found = problems(db)
    assert any(p.startswith("1-1-202 预存余额为负：-¥") for p in found), found
    assert any(p.startswith("退款凭证 TK00000001（1-1-202）退款 ¥101.00") for p in found), found


def test_deleting_the_last_audit_entries_is_noticed(db: Database, town: Community) -> None:
    backups.make_backup(db, SYSTEM, "daily")  # the backup's log remembers the newest entry
    with raw_edit(db) as raw:  # the signed head counter counts the backup's own entry too
        last = raw.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        raw.execute("DELETE FROM audit_log WHERE id > ?", (last - 12,))
    report = checks.check_database(db)
    assert "审计日志哈希链完整" in " ".join(report.passed)  # the chain alone cannot see it
    found = report.problems
    assert any(
        "审计日志末尾的记录被删除" in p and f"已有第 {last} 条" in p and f"第 {last - 12} 条" in p
        for p in found
    ), found
    assert any("收据" in p and "没有对应的审计记录" in p for p in found), found


def test_cut_audit_entries_are_noticed_without_a_backup(db: Database, town: Community) -> None:
    with raw_edit(db) as raw:
        first_refund_entry = raw.execute(
            "SELECT min(id) FROM audit_log WHERE entity = 'refund'"
        ).fetchone()[0]
        raw.execute("DELETE FROM audit_log WHERE id >= ?", (first_refund_entry,))
    found = problems(db)
    assert any("收据 TK00000001 没有对应的审计记录" in p for p in found), found


def test_a_dropped_protection_trigger_is_named(db: Database, town: Community) -> None:
    db.dispose()
    with closing(sqlite3.connect(backup_folder.database_path(db))) as raw:
        raw.execute("DROP TRIGGER receipt_no_delete")
        raw.commit()
    assert any("触发器 receipt_no_delete" in p for p in problems(db))


def test_a_tender_changed_after_the_fact_is_named_in_chinese(db: Database, town: Community) -> None:
    with raw_edit(db) as raw:
        raw.execute(
            "UPDATE tender SET amount_fen = amount_fen + 100 WHERE payment_id = "
            "(SELECT payment_id FROM receipt WHERE series = 'SJ' AND number = 4)"
        )
    found = problems(db)
    assert any("收据 SJ00000004 的微信找零不符" in p for p in found), found
    assert any("各收款方式合计却是" in p for p in found), found


def test_a_payment_ahead_pays_bills_it_created_before_itself(
    db: Database, town: Community, make_user
) -> None:
    """预交 creates next months' bills inside the posting, before the payment row: the
    check that no payment settles a bill made after it passes for the counter's own work."""
    cashier = make_user(Role.CASHIER, "cashier2")
    lines = payments.advance_quote(db, cashier, town.occupied, 3, TODAY)
    total = sum(line.due_fen for line in lines)
    request = PaymentRequest(
        town.occupied,
        (),
        (TenderInput(PayMethod.TRANSFER, total),),
        advance_months=3,
        advance_total_fen=total,
    )
    payments.post_payment(db, cashier, request, TODAY)
    report = checks.check_database(db)
    assert report.ok, report.problems
    assert "每笔收款只收取收款时已经生成的账单" in report.passed


def test_a_bill_dated_after_the_payment_that_settled_it_is_named(
    db: Database, town: Community
) -> None:
    with raw_edit(db) as raw:
        bill_id, posted_at = raw.execute(
            "SELECT a.bill_id, p.posted_at FROM allocation a "
            "JOIN receipt r ON r.payment_id = a.payment_id "
            "JOIN payment p ON p.id = a.payment_id "
            "WHERE r.number = 1 AND a.void_id IS NULL ORDER BY a.bill_id LIMIT 1"
        ).fetchone()
        later = datetime.fromisoformat(posted_at) + timedelta(days=20)
        raw.execute(
            "UPDATE bill SET created_at = ? WHERE id = ?",
            (later.strftime("%Y-%m-%d %H:%M:%S.%f"), bill_id),
        )
    found = [p for p in problems(db) if "才生成" in p]
    assert len(found) == 1, found
    assert found[0].startswith("收据 SJ00000001（1-1-101")
    shown = later.replace(tzinfo=UTC).astimezone()
    assert "2026年10月物业服务费" in found[0] and f"{shown:%Y-%m-%d %H:%M} 才生成" in found[0]


def test_kept_totals_edited_by_hand_are_named(db: Database, town: Community) -> None:
    """bill_open and collection_tally are kept by triggers; a figure changed in either
    (the 收缴率 made to look better, a debt made to vanish) is named with its subject."""
    with raw_edit(db) as raw:
        raw.execute(
            "UPDATE collection_tally SET collected_fen = collected_fen + 50000 "
            "WHERE period = '2026-11' AND fee_item_id = ?",
            (town.service,),
        )
        raw.execute(
            "UPDATE bill_open SET open_fen = 0 WHERE bill_id = (SELECT min(id) FROM bill "
            "WHERE room_id = ? AND period = '2026-11' AND fee_item_id = ?)",
            (town.vacant, town.service),
        )
    found = problems(db)
    assert "收缴汇总 2026-11 1栋 物业服务费：与账单、收款、减免记录不符" in found, found
    assert "1-1-102 2026年11月物业服务费：账单余额表与收款、减免记录不符" in found, found
    assert len([p for p in found if "不符" in p and ("汇总" in p or "余额表" in p)]) == 2
