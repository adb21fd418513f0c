"""`frontdesk check`: is the database file sound, the audit chain unbroken and whole,
the money consistent, and every stored document and scan still the bytes that were
registered?

The money invariants follow from how postings are written (services/payments.py,
refunds.py, billing.py): money rows are only inserted, a void adds the originals
negated, so each balance is a plain sum and must add up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Attachment, Reminder
from frontdesk.domain.money import format_yuan
from frontdesk.domain.rooms import room_code
from frontdesk.services import attachments, audit, backups, issued_documents
from frontdesk.services.billing import AUTO_DRAW_CASHIER
from frontdesk.services.fees import RECEIPT_SERIES, REFUND_SERIES

MAX_LISTED = 20  # problems of one kind listed one by one; the rest counted


@dataclass
class CheckReport:
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _file_checks(db: Database, report: CheckReport) -> None:
    problems = [
        f"发文存档 {p.number}《{p.title}》：{p.problem}" for p in issued_documents.verify_store(db)
    ]
    with db.read() as session:
        registered = set(session.scalars(select(Reminder.document_sha256).distinct()))
        scans = list(session.execute(select(Attachment.sha256, Attachment.title).distinct()))
    for sha256 in sorted(h for h in registered if h):
        if not issued_documents.stored_path(db, sha256).exists():
            problems.append(f"催缴通知存档 {sha256[:12]}…：存档文件缺失")
    for sha256, title in scans:
        path = attachments.stored_path(db, sha256)
        if not path.exists():
            problems.append(f"附件《{title}》：文件缺失")
        elif attachments.hash_file(path) != sha256:
            problems.append(f"附件《{title}》：文件内容与登记的哈希不符")
    if problems:
        report.problems += problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            report.problems.append(f"另有 {len(problems) - MAX_LISTED} 个存档文件问题未列出")
    else:
        report.passed.append("存档文件和附件均在，内容与登记一致")


def check_database(db: Database) -> CheckReport:
    report = CheckReport()
    with db.read() as session:
        integrity = [row[0] for row in session.execute(text("PRAGMA integrity_check"))]
        dangling = list(session.execute(text("PRAGMA foreign_key_check")))
    if integrity == ["ok"]:
        report.passed.append("数据库文件结构完整")
    else:
        report.problems += [f"数据库文件损坏：{line}" for line in integrity[:MAX_LISTED]]
    if dangling:
        report.problems += [
            f"表 {row[0]} 第 {row[1]} 行引用的 {row[2]} 不存在" for row in dangling[:MAX_LISTED]
        ]
    else:
        report.passed.append("各表之间的引用一致")
    chain = audit.verify_chain(db)
    if chain.ok:
        report.passed.append(f"审计日志哈希链完整（{chain.entries} 条）")
    else:
        report.problems.append(f"审计日志第 {chain.first_broken_id} 条起被改动或删除")
    _trigger_checks(db, report)
    _audit_tail_checks(db, report)
    _money_checks(db, report)
    _encryption_checks(db, report)
    _file_checks(db, report)
    return report


_ID_NUMBER_TABLES = {
    "person": "人员",
    "visit": "访客登记",
    "watch_entry": "黑名单",
    "renovation_worker": "装修工人",
}


def _encryption_checks(db: Database, report: CheckReport) -> None:
    """No ID number left in the clear (raw SQL: this needs no key)."""
    problems = []
    with db.read() as session:
        for table, label in _ID_NUMBER_TABLES.items():
            clear = session.scalar(
                text(
                    f"SELECT count(*) FROM {table} "  # table names are the constants above
                    "WHERE id_number != '' AND id_number NOT LIKE 'e1:%'"
                )
            )
            if clear:
                problems.append(f"{label}：{clear} 个证件号码未加密保存")
    _add(report, problems, "证件号码均已加密保存")


def _add(report: CheckReport, problems: list[str], passed: str) -> None:
    if problems:
        report.problems += problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            report.problems.append(f"另有 {len(problems) - MAX_LISTED} 个同类问题未列出")
    else:
        report.passed.append(passed)


def _yuan(fen: int) -> str:
    return format_yuan(fen, symbol=True)


# The log and posted money rows refuse UPDATE and DELETE by triggers (migrations 0002
# and 0004); a dropped trigger is how raw edits begin.
_APPEND_ONLY = (
    "audit_log",
    "bill",
    "payment",
    "tender",
    "allocation",
    "reduction",
    "prepaid_entry",
    "receipt",
    "receipt_void",
    "receipt_print",
    "invoice_record",
    "spoiled_form",
    "refund",
    "refund_deduction",
    "cash_close",
    "billing_run",
)


def _trigger_checks(db: Database, report: CheckReport) -> None:
    with db.read() as session:
        rows = session.execute(text("SELECT type, name FROM sqlite_master")).all()
    tables = {name for kind, name in rows if kind == "table"}
    triggers = {name for kind, name in rows if kind == "trigger"}
    problems = [
        f"表 {table} 的只增不改保护（触发器 {table}_{suffix}）被删除"
        for table in _APPEND_ONLY
        if table in tables
        for suffix in ("no_update", "no_delete")
        if f"{table}_{suffix}" not in triggers
    ]
    _add(report, problems, "审计日志和收款记录的只增不改保护都在")


# the end of the audit log ---------------------------------------------------------

# Written only through audited sessions (never bulk-inserted outside the demo), so the
# newest row of each has its own "create" entry unless the log's end was cut.
_AUDITED_NEWEST = {"receipt": "收据", "receipt_void": "作废记录", "refund": "退款"}


def _audit_tail_checks(db: Database, report: CheckReport) -> None:
    """The hash chain cannot see entries cut from its end; three other witnesses can:
    SQLite's AUTOINCREMENT counter (if the table had one), the last entry a verified
    backup saw, and the newest money rows, each written with its own entry."""
    problems: list[str] = []
    with db.read() as session:
        last = session.execute(text("SELECT max(id) FROM audit_log")).scalar() or 0
        problems += _sequence_problems(session, int(last))
        problems += _newest_rows_problems(session, int(last))
        anchor = backups.audit_anchor(db)
        if anchor is not None:
            stored = session.execute(
                text("SELECT hash FROM audit_log WHERE id = :id"), {"id": anchor.audit_id}
            ).scalar()
            when = f"{anchor.taken_at:%Y-%m-%d %H:%M}"
            if stored is None:
                problems.append(
                    f"审计日志末尾的记录被删除：{when} 的备份 {anchor.backup} 中已有第 "
                    f"{anchor.audit_id} 条，现在最后一条是第 {last} 条"
                )
            elif stored != anchor.audit_hash:
                problems.append(
                    f"审计日志第 {anchor.audit_id} 条与 {when} 的备份 {anchor.backup} 中的不同"
                )
    _add(report, problems, "审计日志末尾完整，没有被截去的记录")


def _sequence_problems(session: Session, last: int) -> list[str]:
    has_sequence = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
    ).scalar()
    if not has_sequence:
        return []
    seq = session.execute(text("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")).scalar()
    if seq is not None and int(seq) > last:
        return [f"审计日志末尾的记录被删除：曾写到第 {seq} 条，现在最后一条是第 {last} 条"]
    return []


def _newest_rows_problems(session: Session, last: int) -> list[str]:
    problems = []
    for table, label in _AUDITED_NEWEST.items():
        audited = session.execute(
            text(
                "SELECT max(CAST(entity_id AS INTEGER)) FROM audit_log "
                "WHERE entity = :table AND action = 'create'"
            ),
            {"table": table},
        ).scalar()
        if audited is None:
            continue  # none written by the program yet (or a demo's bulk rows)
        newer = session.execute(
            text(f"SELECT count(*), max(id) FROM {table} WHERE id > :id"),
            {"id": audited},
        ).one()
        if newer[0]:
            what = f"{label}（第 {audited + 1}–{newer[1]} 号记录，共 {newer[0]} 条）"
            if table == "receipt":
                numbers = session.execute(
                    text("SELECT series, number FROM receipt WHERE id > :id ORDER BY id"),
                    {"id": audited},
                ).all()
                what = f"收据 {'、'.join(_receipt_no(s, n) for s, n in numbers[:5])}"
                what += " 等" if len(numbers) > 5 else ""
            problems.append(
                f"审计日志末尾的记录可能被删除：{what} 没有对应的审计记录"
                f"（审计日志最后一条是第 {last} 条）"
            )
    return problems


# money --------------------------------------------------------------------------------


def _receipt_no(series: str, number: int) -> str:
    return f"{series}{number:08d}"


@dataclass
class _Names:
    """How a problem names its subject: room codes, receipt numbers, bill titles."""

    rooms: dict[int, str]
    payment_receipts: dict[int, str]

    def room(self, room_id: int | None) -> str:
        return self.rooms.get(room_id or 0, f"房屋#{room_id}")

    def payment(self, payment_id: int) -> str:
        receipt = self.payment_receipts.get(payment_id)
        return f"收据 {receipt}" if receipt else f"收款#{payment_id}"


def _names(session: Session) -> _Names:
    rooms = {
        room_id: room_code(building, unit, number)
        for room_id, building, unit, number in session.execute(
            text(
                "SELECT room.id, building.code, unit.code, room.number FROM room "
                "JOIN building ON building.id = room.building_id "
                "LEFT JOIN unit ON unit.id = room.unit_id"
            )
        )
    }
    receipts = {
        payment_id: _receipt_no(series, number)
        for payment_id, series, number in session.execute(
            text("SELECT payment_id, series, number FROM receipt WHERE payment_id IS NOT NULL")
        )
    }
    return _Names(rooms, receipts)


_MoneyCheck = Callable[[Session, _Names], list[str]]


def _money_checks(db: Database, report: CheckReport) -> None:
    checks: list[tuple[_MoneyCheck, str]] = [
        (_receipt_numbers, "收据和退款凭证号连续、无缺号、无重号"),
        (_receipt_links, "每张收据对应一笔收款或退款，每笔收款和退款都有收据"),
        (_payment_sums, "每笔收款的收款方式合计、分配到账单和预存的金额与收款金额一致"),
        (_void_reversals, "每张作废收据的冲销与原收款一一对应，没有重复冲销"),
        (_bill_balances, "没有账单被多收：已收加减免不超过应收"),
        (_held_balances, "各户预存余额和押金余额均不为负"),
        (_refund_sums, "每笔退款的金额等于应退减扣款"),
    ]
    with db.read() as session:
        tables = {row[0] for row in session.execute(text("SELECT name FROM sqlite_master"))}
        if "receipt" not in tables:
            return  # a file from before fees existed
        names = _names(session)
        for check, passed in checks:
            _add(report, check(session, names), passed)


def _receipt_numbers(session: Session, names: _Names) -> list[str]:
    series_next: dict[str, int] = {
        code: int(next_number)
        for code, next_number in session.execute(
            text("SELECT code, next_number FROM receipt_series")
        )
    }
    numbers: dict[str, list[int]] = defaultdict(list)
    for series, number in session.execute(text("SELECT series, number FROM receipt")):
        numbers[series].append(int(number))
    problems = []
    for series in sorted(set(numbers) | ({RECEIPT_SERIES, REFUND_SERIES} & set(series_next))):
        taken = sorted(numbers.get(series, []))
        next_number = int(series_next.get(series, 1))
        seen: set[int] = set()
        for number in taken:
            if number in seen:
                problems.append(f"收据号 {_receipt_no(series, number)} 重复")
            seen.add(number)
            if number >= next_number or number < 1:
                problems.append(
                    f"收据 {_receipt_no(series, number)} 的号码不在号段已发出的范围内"
                    f"（下一个号应为 {_receipt_no(series, next_number)}）"
                )
        missing = [n for n in range(1, next_number) if n not in seen]
        problems += [
            f"收据 {_receipt_no(series, n)} 缺失：号段 {series} 已发到 "
            f"{_receipt_no(series, next_number - 1)}，这一号却不在"
            for n in missing
        ]
    return problems


def _receipt_links(session: Session, names: _Names) -> list[str]:
    problems = [
        f"收据 {_receipt_no(series, number)}（{names.room(room_id)}）"
        + ("既无收款也无退款" if payment_id is None else "同时登记为收款和退款")
        for series, number, room_id, payment_id in session.execute(
            text(
                "SELECT series, number, room_id, payment_id FROM receipt "
                "WHERE (payment_id IS NULL) = (refund_id IS NULL) ORDER BY series, number"
            )
        )
    ]
    problems += [
        f"{names.room(room_id)} {day} 的收款 {_yuan(total)}（{cashier}）没有收据"
        for room_id, day, total, cashier in session.execute(
            text(
                "SELECT room_id, day, total_fen, cashier_name FROM payment p "
                "WHERE NOT EXISTS (SELECT 1 FROM receipt r WHERE r.payment_id = p.id) "
                "AND NOT (cashier_id IS NULL AND cashier_name = :auto) ORDER BY id"
            ),
            {"auto": AUTO_DRAW_CASHIER},
        )
    ]
    problems += [
        f"{names.room(room_id)} {day} 的退款 {_yuan(amount)} 没有退款凭证"
        for room_id, day, amount in session.execute(
            text(
                "SELECT room_id, day, amount_fen FROM refund f "
                "WHERE NOT EXISTS (SELECT 1 FROM receipt r WHERE r.refund_id = f.id) ORDER BY id"
            )
        )
    ]
    return problems


def _payment_sums(session: Session, names: _Names) -> list[str]:
    rows = session.execute(
        text(
            "SELECT p.id, p.room_id, p.total_fen, "
            "(SELECT coalesce(sum(amount_fen), 0) FROM tender t WHERE t.payment_id = p.id), "
            "(SELECT coalesce(sum(amount_fen), 0) FROM allocation a "
            " WHERE a.payment_id = p.id AND a.void_id IS NULL), "
            "(SELECT coalesce(sum(amount_fen), 0) FROM prepaid_entry e "
            " WHERE e.payment_id = p.id AND e.void_id IS NULL AND e.amount_fen > 0), "
            "(SELECT count(*) FROM allocation a "
            " WHERE a.payment_id = p.id AND a.void_id IS NULL AND a.amount_fen <= 0) "
            "FROM payment p ORDER BY p.id"
        )
    )
    problems = []
    for payment_id, room_id, total, tendered, allocated, deposited, not_positive in rows:
        what = f"{names.payment(payment_id)}（{names.room(room_id)}）"
        if tendered != total:
            problems.append(f"{what}收款金额 {_yuan(total)}，各收款方式合计却是 {_yuan(tendered)}")
        if allocated + deposited != total:
            problems.append(
                f"{what}收款金额 {_yuan(total)}，分配到账单 {_yuan(allocated)}"
                f"、存入预存 {_yuan(deposited)}，合计不符"
            )
        if not_positive:
            problems.append(f"{what}有 {not_positive} 笔分配到账单的金额不是正数")
    problems += [
        f"{names.payment(payment_id)}的{method}找零不符：实收 {_yuan(tendered)}，"
        f"应收 {_yuan(amount)}，找零记为 {_yuan(change)}"
        for payment_id, method, amount, tendered, change in session.execute(
            text(
                "SELECT payment_id, method, amount_fen, tendered_fen, change_fen FROM tender "
                "WHERE change_fen != tendered_fen - amount_fen ORDER BY id"
            )
        )
    ]
    return problems


def _void_reversals(session: Session, names: _Names) -> list[str]:
    voids = {
        void_id: (series, number, payment_id)
        for void_id, series, number, payment_id in session.execute(
            text(
                "SELECT v.id, r.series, r.number, r.payment_id FROM receipt_void v "
                "JOIN receipt r ON r.id = v.receipt_id"
            )
        )
    }
    problems = [
        f"作废记录指向退款凭证 {_receipt_no(series, number)}（退款凭证不能作废）"
        for series, number, payment_id in voids.values()
        if payment_id is None
    ]
    for table, label in (("allocation", "分配"), ("reduction", "减免"), ("prepaid_entry", "预存")):
        key = "room_id" if table == "prepaid_entry" else "bill_id"
        original: dict[tuple[int, int], int] = defaultdict(int)
        reversed_: dict[tuple[int, int], int] = defaultdict(int)
        stray = []
        for payment_id, target, amount, void_id in session.execute(
            text(
                f"SELECT payment_id, {key}, amount_fen, void_id FROM {table} "
                "WHERE payment_id IS NOT NULL"
            )
        ):
            if void_id is None:
                original[(payment_id, target)] += amount
                continue
            voided = voids.get(void_id)
            if voided is None or voided[2] != payment_id:
                stray.append(payment_id)
            reversed_[(payment_id, target)] += amount
        problems += [
            f"{names.payment(p)}的{label}冲销不属于这张收据的作废记录" for p in sorted(set(stray))
        ]
        voided_payments = {v[2] for v in voids.values()}
        for (payment_id, target), amount in sorted(original.items()):
            if payment_id in voided_payments and reversed_.get((payment_id, target), 0) != -amount:
                problems.append(
                    f"作废的{names.payment(payment_id)}的{label}冲销不符：原为 {_yuan(amount)}，"
                    f"冲销 {_yuan(-reversed_.get((payment_id, target), 0))}"
                )
        for (payment_id, target), amount in sorted(reversed_.items()):
            if (payment_id, target) not in original:
                problems.append(
                    f"{names.payment(payment_id)}有 {_yuan(-amount)} 的{label}冲销，"
                    "却没有被冲销的原记录"
                )
            elif payment_id not in voided_payments:
                problems.append(f"{names.payment(payment_id)}未作废，却有{label}冲销")
    return problems


def _bill_title(period: str | None, item: str, description: str) -> str:
    if period:
        year, month = period.split("-")
        return f"{year}年{int(month)}月{item}"
    return description or item


def _bill_balances(session: Session, names: _Names) -> list[str]:
    rows = session.execute(
        text(
            "SELECT b.id, b.room_id, b.period, f.name, b.description, b.due_fen, "
            "coalesce(p.paid, 0), coalesce(r.reduced, 0) FROM bill b "
            "JOIN fee_item f ON f.id = b.fee_item_id "
            "LEFT JOIN (SELECT bill_id, sum(amount_fen) AS paid FROM allocation "
            "           GROUP BY bill_id) p ON p.bill_id = b.id "
            "LEFT JOIN (SELECT bill_id, sum(amount_fen) AS reduced FROM reduction "
            "           GROUP BY bill_id) r ON r.bill_id = b.id "
            "WHERE coalesce(p.paid, 0) + coalesce(r.reduced, 0) > b.due_fen "
            "   OR coalesce(p.paid, 0) < 0 OR coalesce(r.reduced, 0) < 0 "
            "ORDER BY b.id"
        )
    )
    problems = []
    for _bill_id, room_id, period, item, description, due, paid, reduced in rows:
        title = f"{names.room(room_id)} {_bill_title(period, item, description)}"
        if paid < 0 or reduced < 0:
            problems.append(f"{title}：已收 {_yuan(paid)}、减免 {_yuan(reduced)}，冲销多于原收款")
        else:
            problems.append(
                f"{title}：已收 {_yuan(paid)} 加减免 {_yuan(reduced)} 超过应收 {_yuan(due)}"
            )
    return problems


def _held_balances(session: Session, names: _Names) -> list[str]:
    problems = [
        f"{names.room(room_id)} 预存余额为负：{_yuan(balance)}"
        for room_id, balance in session.execute(
            text(
                "SELECT room_id, sum(amount_fen) AS balance FROM prepaid_entry "
                "GROUP BY room_id HAVING balance < 0 ORDER BY room_id"
            )
        )
    ]
    problems += [
        f"{names.room(room_id)} {_bill_title(period, item, description)}："
        f"退还 {_yuan(refunded)}，超过所收押金 {_yuan(paid)}"
        for room_id, period, item, description, paid, refunded in session.execute(
            text(
                "SELECT b.room_id, b.period, f.name, b.description, "
                "(SELECT coalesce(sum(amount_fen), 0) FROM allocation a WHERE a.bill_id = b.id), "
                "x.refunded FROM bill b JOIN fee_item f ON f.id = b.fee_item_id "
                "JOIN (SELECT bill_id, sum(gross_fen) AS refunded FROM refund "
                "      WHERE bill_id IS NOT NULL GROUP BY bill_id) x ON x.bill_id = b.id "
                "ORDER BY b.id"
            )
        )
        if refunded > paid
    ]
    return problems


def _refund_sums(session: Session, names: _Names) -> list[str]:
    receipts = {
        refund_id: _receipt_no(series, number)
        for refund_id, series, number in session.execute(
            text("SELECT refund_id, series, number FROM receipt WHERE refund_id IS NOT NULL")
        )
    }
    rows = session.execute(
        text(
            "SELECT f.id, f.room_id, f.kind, f.gross_fen, f.deductions_fen, f.amount_fen, "
            "(SELECT coalesce(sum(amount_fen), 0) FROM refund_deduction d "
            " WHERE d.refund_id = f.id), "
            "(SELECT coalesce(sum(amount_fen), 0) FROM prepaid_entry e "
            " WHERE e.refund_id = f.id) FROM refund f ORDER BY f.id"
        )
    )
    problems = []
    for refund_id, room_id, kind, gross, deductions, amount, itemised, drawn in rows:
        what = f"退款凭证 {receipts.get(refund_id, f'#{refund_id}')}（{names.room(room_id)}）"
        if amount != gross - deductions or deductions != itemised:
            problems.append(
                f"{what}退款 {_yuan(amount)} 不等于应退 {_yuan(gross)} 减扣款 "
                f"{_yuan(deductions)}（扣款明细合计 {_yuan(itemised)}）"
            )
        if kind == "prepaid" and drawn != -gross:
            problems.append(f"{what}退预存 {_yuan(gross)}，预存账却记减 {_yuan(-drawn)}")
    return problems
