"""`frontdesk audit --export F.xlsx`: the audit log for inspectors, with its chain
hashes and the tail to keep outside this PC."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg


def add_commands(commands: Any, day: Any) -> None:
    audit = commands.add_parser("audit", help="导出审计日志（含哈希链校验结果）")
    audit.add_argument("--export", type=Path, required=True, help="输出的 Excel 文件")
    audit.add_argument("--from", dest="since", type=day, help="开始日期")
    audit.add_argument("--to", dest="until", type=day, help="结束日期（含当天）")
    audit.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def _moment(day: date | None, *, end: bool = False) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if end else day, time()).astimezone()


def export(args: argparse.Namespace) -> int:
    from frontdesk.printouts import audit_export
    from frontdesk.services.database import opened
    from frontdesk.services.progress import NO_PROGRESS
    from frontdesk.services.protection import audit

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        flt = audit.AuditFilter(since=_moment(args.since), until=_moment(args.until, end=True))
        ids = list(reversed(audit.entry_ids(db, actor, flt)))
        written = audit_export.export_entries(db, actor, ids, args.export, NO_PROGRESS)
        chain = audit.verify_chain(db)
    state = chain.verdict()
    print(f"已导出 {written} 条审计日志到 {args.export}（{state}）。")
    return 0 if chain.ok else 1
