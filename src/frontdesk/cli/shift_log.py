"""`shift-log`: one day of the shift handover book (交接班记录), as text, JSON, or the
A4 page (registered like every paper)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, day_arg, location_arg
from frontdesk.domain import clock

if TYPE_CHECKING:
    from frontdesk.services.shift_log.book import EntryRow


def add_commands(commands: Any) -> None:
    log = commands.add_parser("shift-log", help="交接班记录（默认今天）")
    log.add_argument("--date", type=day_arg, help="日期，如 2026-11-25（默认今天）")
    output = log.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="以 JSON 输出")
    output.add_argument("--out", type=Path, help="输出 A4 交接班记录 PDF")
    log.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def _entry_json(row: EntryRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time

    return {
        "id": row.id,
        "kind": row.kind.label,
        "state": row.state.label,
        "written_at": local_time(row.written_at),
        "written_by": row.written_by,
        "follows": row.follows_id,
        "items": [
            {"register": i.register, "count": i.count, "text": i.text, "details": list(i.details)}
            for i in row.items
        ],
        "notes": row.notes,
        "acknowledged_at": local_time(row.acknowledged_at) or None,
        "acknowledged_by": row.acknowledged_by or None,
        "acknowledged_how": row.ack_way.label if row.ack_way else None,
    }


def _print_rows(rows: list[EntryRow]) -> None:
    from frontdesk.domain.clock import local_clock
    from frontdesk.domain.shift_log import EntryKind

    for row in rows:
        taken = "" if row.kind == EntryKind.NOTE else f"\t{row.state.label}"
        if row.acknowledged_at is not None:
            taken = f"\t{row.acknowledged_by} {local_clock(row.acknowledged_at)} 接班"
        print(f"{local_clock(row.written_at)}\t{row.kind.label}\t{row.written_by}{taken}")
        for item in row.items:
            print(f"\t{item.register}：{item.text}")
            for detail in item.details:
                print(f"\t\t{detail}")
        if row.notes:
            print("\t" + row.notes.replace("\n", "\n\t"))


def run(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened
    from frontdesk.services.shift_log import book

    day = args.date or clock.today()
    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if args.out:
            return _write_pdf(db, actor, day, args.out)
        rows = book.book_entries(db, actor, day)
    if args.json:
        print(json.dumps([_entry_json(r) for r in rows], ensure_ascii=False))
        return 0
    _print_rows(rows)
    handovers = sum(1 for r in rows if r.follows_id is None)
    waiting = sum(1 for r in rows if r.waiting)
    print(f"{day:%Y-%m-%d}：交班 {handovers} 次，待接班确认 {waiting} 次")
    return 0


def _write_pdf(db: Any, actor: Any, day: Any, out: Path) -> int:
    from frontdesk.domain.issued import Output
    from frontdesk.printouts import shift_log as shift_log_printouts
    from frontdesk.services.notices import register as issued_documents

    printout = shift_log_printouts.shift_log(db, actor, day)
    out.write_bytes(printout.pdf)
    number = issued_documents.record(db, actor, printout, Output.EXPORTED)
    print(f"已生成 {out}，发文登记号 {number}")
    return 0
