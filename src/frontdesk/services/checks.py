"""`frontdesk check`: is the database file sound, the audit chain unbroken, and every
stored document and scan still the bytes that were registered?"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, text

from frontdesk.db.engine import Database
from frontdesk.db.models import Attachment, Reminder
from frontdesk.services import attachments, audit, issued_documents

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
    _file_checks(db, report)
    return report
