"""`frontdesk check`: is the database file sound, the audit chain unbroken and whole,
the money consistent, and every stored document and scan still the bytes that were
registered? (The money invariants are services/money_checks.py.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from frontdesk.db.engine import Database
from frontdesk.db.models import Attachment, Reminder
from frontdesk.services import attachments, audit, backups, issued_documents, money_checks
from frontdesk.services.money_audit import money_audit_problems

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
    for problems, passed in money_checks.money_problems(db):
        _add(report, problems, passed)
    _add(report, money_audit_problems(db), "每条金额记录都与审计日志中新增它的记录一致")
    _encryption_checks(db, report)
    _file_checks(db, report)
    return report


_ID_NUMBER_TABLES = {
    "person": "人员",
    "visit": "访客登记",
    "watch_entry": "黑名单",
    "renovation_worker": "装修工人",
}


_PHONE_TABLES = {
    ("person", "phone"): "人员",
    ("visit", "visitor_phone"): "访客登记",
    ("visit_booking", "visitor_phone"): "访客预约",
    ("watch_entry", "phone"): "黑名单",
    ("renovation", "applicant_phone"): "装修申请人",
    ("renovation", "contractor_phone"): "装修施工负责人",
    ("renovation_worker", "phone"): "装修工人",
}


def _encryption_checks(db: Database, report: CheckReport) -> None:
    """No ID number and no phone left in the clear (raw SQL: this needs no key)."""
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
    problems = []
    with db.read() as session:
        for (table, column), label in _PHONE_TABLES.items():
            clear = session.scalar(
                text(
                    f"SELECT count(*) FROM {table} "  # names are the constants above
                    f"WHERE {column} != '' AND {column} NOT LIKE 'e1:%'"
                )
            )
            if clear:
                problems.append(f"{label}：{clear} 个电话号码未加密保存")
    _add(report, problems, "电话号码均已加密保存")


def _add(report: CheckReport, problems: list[str], passed: str) -> None:
    if problems:
        report.problems += problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            report.problems.append(f"另有 {len(problems) - MAX_LISTED} 个同类问题未列出")
    else:
        report.passed.append(passed)


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
                what = f"收据 {'、'.join(money_checks.receipt_no(s, n) for s, n in numbers[:5])}"
                what += " 等" if len(numbers) > 5 else ""
            problems.append(
                f"审计日志末尾的记录可能被删除：{what} 没有对应的审计记录"
                f"（审计日志最后一条是第 {last} 条）"
            )
    return problems
