"""`frontdesk check`: is the database file sound, the audit chain unbroken and whole,
the money consistent, and every stored document and scan still the bytes that were
registered? (The money invariants are services/protection/money_checks.py.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from frontdesk.db import triggers
from frontdesk.db.engine import Database
from frontdesk.db.file_store import FileState
from frontdesk.db.models import Attachment, LostItem, Parcel, Reminder, WorkOrderPhoto
from frontdesk.services.households import attachments
from frontdesk.services.notices import register as issued_documents
from frontdesk.services.protection import audit, backup_log, money_checks
from frontdesk.services.protection.money_audit import money_audit_problems

MAX_LISTED = 20  # problems of one kind listed one by one; the rest counted


@dataclass
class CheckReport:
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def file_checks(db: Database, report: CheckReport) -> None:
    problems = [
        f"发文存档 {p.number}《{p.title}》：{p.problem}" for p in issued_documents.verify_store(db)
    ]
    with db.read() as session:
        registered = set(session.scalars(select(Reminder.document_sha256).distinct()))
        scans = list(session.execute(select(Attachment.sha256, Attachment.title).distinct()))
        scans += session.execute(
            select(WorkOrderPhoto.sha256, WorkOrderPhoto.filename).distinct()
        ).all()
        for model in (LostItem, Parcel):  # their photos, in the same store
            scans += session.execute(
                select(model.sha256, model.photo_name).where(model.sha256 != "").distinct()
            ).all()
    kept = issued_documents.stored_documents(db).hashes()
    for sha256 in sorted(h for h in registered if h and h not in kept):
        problems.append(f"催缴通知存档 {sha256[:12]}…：存档文件缺失")
    states = attachments.stored_attachments(db).verify_all(sha256 for sha256, _title in scans)
    for sha256, title in scans:
        if states[sha256] is FileState.MISSING:
            problems.append(f"附件《{title}》：文件缺失")
        elif states[sha256] is FileState.CHANGED:
            problems.append(f"附件《{title}》：文件内容与登记的哈希不符")
    if problems:
        report.problems += problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            report.problems.append(f"另有 {len(problems) - MAX_LISTED} 个存档文件问题未列出")
    else:
        report.passed.append("存档文件和附件均在，内容与登记一致")


def check_database(db: Database) -> CheckReport:
    report = CheckReport()
    on_file = db.engine.dialect.name == "sqlite"
    if on_file:
        _file_integrity(db, report)
    else:
        _server_integrity(db, report)
    chain = audit.verify_chain(db)
    if chain.ok:
        report.passed.append(f"审计日志{chain.verdict()}")
    else:
        report.problems += chain.problems()
    _trigger_checks(db, report)
    _audit_tail_checks(db, report, chain)
    for problems, passed in money_checks.money_problems(db):
        _add(report, problems, passed)
    _add(report, money_audit_problems(db), "每条金额记录都与审计日志中新增它的记录一致")
    _encryption_checks(db, report)
    file_checks(db, report)
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


def _server_integrity(db: Database, report: CheckReport) -> None:
    """What a server database's check can say of its storage: references are kept by
    the server itself (its foreign keys cannot be switched off by a connection as
    SQLite's can); the pages are checked where the server has data checksums or the
    amcheck extension, otherwise that is the server's own maintenance (its DBA's)."""
    report.passed.append("各表之间的引用由数据库服务器强制保证（外键约束）")
    with db.read() as session:
        checksums = session.execute(text("SHOW data_checksums")).scalar()
        has_amcheck = session.execute(
            text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")
        ).scalar()
        failures = session.execute(
            text(
                "SELECT coalesce(sum(checksum_failures), 0) FROM pg_stat_database "
                "WHERE datname = current_database()"
            )
        ).scalar()
        broken: list[str] = []
        if has_amcheck:
            indexes = session.execute(
                text(
                    "SELECT c.oid, c.relname FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am a ON a.oid = c.relam "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE a.amname = 'btree' AND n.nspname = current_schema()"
                )
            ).all()
            for oid, name in indexes:
                try:
                    with session.begin_nested():
                        session.execute(text("SELECT bt_index_check(:oid)"), {"oid": oid})
                except DBAPIError as exc:
                    broken.append(f"索引 {name} 损坏：{str(exc.orig).splitlines()[0]}")
    if int(failures or 0):
        report.problems.append(f"数据库服务器报告数据页校验失败 {failures} 次：请服务器管理员检查")
    report.problems += broken[:MAX_LISTED]
    if has_amcheck and not broken:
        report.passed.append("索引结构完整（amcheck）")
    if str(checksums) == "on" and not int(failures or 0):
        report.passed.append("数据页校验和已开启，服务器未报告校验失败")
    if not has_amcheck and str(checksums) != "on":
        report.passed.append(
            "数据页的完整性由数据库服务器自身维护（未开启校验和、未安装 amcheck），"
            "属服务器管理员的检查范围"
        )


def _file_integrity(db: Database, report: CheckReport) -> None:
    """SQLite's own checks of the file: its pages, and references (foreign keys can be
    switched off by any connection, so rows may point nowhere)."""
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


def _add(report: CheckReport, problems: list[str], passed: str) -> None:
    if problems:
        report.problems += problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            report.problems.append(f"另有 {len(problems) - MAX_LISTED} 个同类问题未列出")
    else:
        report.passed.append(passed)


def _trigger_checks(db: Database, report: CheckReport) -> None:
    """Each protecting trigger (the log, its head counter, posted money rows, the open
    amounts of bills) is in the database with the definition the program gave it,
    enabled, and no other: a dropped trigger, one replaced by a no-op of the same name
    or switched off, or one added to change rows as they are written, is how raw edits
    begin."""
    with db.read() as session:
        found = triggers.differences(session.connection())
    problems = [
        f"数据库中有程序未建立的触发器 {d.name}"
        if d.kind == "added"
        else f"表 {d.table} 的保护（触发器 {d.name}）{_TRIGGER_CHANGES[d.kind]}"
        for d in found
    ]
    _add(report, problems, "审计日志和收款记录的保护触发器都在，定义未被改动")


_TRIGGER_CHANGES = {
    "dropped": "被删除",
    "replaced": "被替换：定义与程序建立的不同",
    "disabled": "被停用",
}


# the end of the audit log ---------------------------------------------------------

# Written only through audited sessions (never bulk-inserted outside the demo), so the
# newest row of each has its own "create" entry unless the log's end was cut.
_AUDITED_NEWEST = {"receipt": "收据", "receipt_void": "作废记录", "refund": "退款"}


def _audit_tail_checks(db: Database, report: CheckReport, chain: audit.ChainCheck) -> None:
    """The hash chain cannot see entries cut from its end; other witnesses can: the
    head counter (signed under the chain key), the newest backup files themselves and
    the folder's log of backups, SQLite's AUTOINCREMENT counter (if the table had one),
    and the newest money rows, each written with its own entry. A cut tail is named
    against the newest anchor that shows it."""
    problems: list[str] = []
    with db.read() as session:
        last = int(session.execute(text("SELECT max(id) FROM audit_log")).scalar() or 0)
        problems += _head_problems(db, session, last, chain)
        anchored, compared = _anchor_problems(db, session, last)
        problems += anchored
        problems += _sequence_problems(session, last)
        problems += _newest_rows_problems(session, last)
    against = f"（对照{'、'.join(compared)}）" if compared else ""
    _add(report, problems, f"审计日志末尾完整，没有被截去的记录{against}")


@dataclass(frozen=True)
class _Anchor:
    label: str  # where the position was kept, for the message
    kind: str  # the same in a word, for the passing line
    audit_id: int
    audit_hash: str
    # False for an anchor taken before the log was signed over with the key at its first
    # open (services/audit.sign_chain re-chains it): its position still counts, not its hash.
    hash_counts: bool = True


def _head_problems(db: Database, session: Session, last: int, chain: audit.ChainCheck) -> list[str]:
    head = audit.read_head(db)
    if head is None:
        return ["审计日志的计数器（audit_head）被删除"]
    problems = []
    if head.valid is False and (head.signed or chain.keyed):
        problems.append("审计日志的计数器签名不符：计数器被改动过（可能为了掩盖删去的审计记录）")
    count = int(session.execute(text("SELECT count(*) FROM audit_log")).scalar() or 0)
    if head.last_id <= last and head.entries > count:
        problems.append(
            f"审计日志少了记录：计数器记下已写入 {head.entries} 条，现在只有 {count} 条"
        )
    return problems


def _anchor_problems(db: Database, session: Session, last: int) -> tuple[list[str], list[str]]:
    """What the anchors show, and which anchors were compared (for the passing line)."""
    head = audit.read_head(db)
    anchors: list[_Anchor] = []
    if head is not None:
        signed = "已签名" if head.valid else "签名未核验" if head.valid is None else "签名不符"
        anchors.append(
            _Anchor(f"数据库内的审计计数器（{signed}）", "审计计数器", head.last_id, head.head_hash)
        )
    restored_at = session.execute(
        text("SELECT max(at) FROM audit_log WHERE action = 'restore'")
    ).scalar()
    restored = datetime.fromisoformat(str(restored_at)) if restored_at else None
    signed_at = session.execute(
        text("SELECT max(at) FROM audit_log WHERE action = 'sign'")
    ).scalar()
    resigned = datetime.fromisoformat(str(signed_at)) if signed_at else None
    logged_restore = backup_log.last_restore(db)
    for found in backup_log.backup_file_anchors(db):
        # A backup taken before a later restore does not vouch for the restored log.
        if restored and found.entry_at is not None and found.entry_at < restored:
            continue
        if logged_restore is not None and found.taken_at <= logged_restore:
            continue
        anchors.append(
            _Anchor(
                f"{found.taken_at:%Y-%m-%d %H:%M} 的备份文件 {found.backup}",
                f"{found.taken_at:%m-%d %H:%M} 的备份文件",
                found.audit_id,
                found.audit_hash,
                not (resigned and found.entry_at is not None and found.entry_at < resigned),
            )
        )
    logged = backup_log.audit_anchor(db)
    if logged is not None:
        anchors.append(
            _Anchor(
                f"{logged.taken_at:%Y-%m-%d %H:%M} 的备份 {logged.backup}（备份记录）",
                "备份记录",
                logged.audit_id,
                logged.audit_hash,
                not (resigned and logged.taken_at < _local(resigned)),
            )
        )
    cut: list[tuple[_Anchor, str]] = []
    for anchor in anchors:
        stored = session.execute(
            text("SELECT hash FROM audit_log WHERE id = :id"), {"id": anchor.audit_id}
        ).scalar()
        if anchor.audit_id > last:
            cut.append(
                (
                    anchor,
                    f"审计日志末尾的记录被删除：{anchor.label}中已有第 {anchor.audit_id} 条，"
                    f"现在最后一条是第 {last} 条",
                )
            )
        elif anchor.hash_counts and stored is not None and stored != anchor.audit_hash:
            cut.append(
                (anchor, f"审计日志第 {anchor.audit_id} 条与{anchor.label}中的不同（日志被改写）")
            )
    compared = [a.kind for a in anchors]
    if not cut:
        return [], compared
    anchor, problem = max(cut, key=lambda pair: pair[0].audit_id)
    if len(cut) > 1:
        problem += f"（另有 {len(cut) - 1} 处记录同样显示）"
    return [problem], compared


def _local(utc: datetime) -> datetime:
    """A stored (naive UTC) time as the local wall time backups are named by."""
    return utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _sequence_problems(session: Session, last: int) -> list[str]:
    """SQLite's AUTOINCREMENT counter (transactional, so a higher one means rows cut).
    A PostgreSQL sequence is not: a rolled-back entry uses a number too, so it says
    nothing here."""
    if session.get_bind().dialect.name != "sqlite":
        return []
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
