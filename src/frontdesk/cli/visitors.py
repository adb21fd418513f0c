"""Commands for visitors: `visitors` (the day's register, or who is inside now) and the
roll call; erasing their personal data is `frontdesk purge` (cli/retention.py)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, day_arg, location_arg
from frontdesk.domain import clock

if TYPE_CHECKING:
    from frontdesk.domain.issued import Printout
    from frontdesk.services.database import Database
    from frontdesk.services.visitors.register import VisitRow


def add_commands(commands: Any) -> None:
    visits = commands.add_parser("visitors", help="访客登记（默认今天全部）")
    visits.add_argument("--inside", action="store_true", help="只列出在场访客")
    visits.add_argument("--date", type=day_arg, help="日期，如 2026-11-25（默认今天）")
    visits.add_argument("--json", action="store_true", help="以 JSON 输出")
    visits.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def add_print(documents: Any) -> None:
    """`print roll-call`: the 在场访客点名表 with whole phone numbers (audited)."""
    roll = documents.add_parser("roll-call", help="在场访客点名表（消防疏散/应急清点用）")
    roll.add_argument(
        "--assembly-point", default="", help="集合点，如 小区中心广场（默认留空手填）"
    )
    roll.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    roll.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def roll_call(db: Database, args: argparse.Namespace) -> Printout:
    from frontdesk.printouts import visitors as visitor_printouts

    actor = signin.actor(db, args)
    return visitor_printouts.roll_call(db, actor, assembly_point=args.assembly_point)


def _visit_json(row: VisitRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time

    return {
        "number": row.number,
        "room": row.room_code,
        "visitor": row.visitor,
        "phone": row.phone,
        "party_size": row.party_size,
        "plate": row.plate,
        "purpose": row.purpose.label,
        "confirmation": row.confirmation_text,
        "arrived_at": local_time(row.arrived_at),
        "expected_leave_at": local_time(row.expected_leave_at),
        "left_at": local_time(row.left_at) or None,
        "state": row.state.label,
        "frequent": row.frequent,
        "watch_hit": row.watch_hit,
    }


def list_visits(args: argparse.Namespace) -> int:
    from frontdesk.domain.clock import local_clock
    from frontdesk.services.database import opened
    from frontdesk.services.visitors import history as visitor_history
    from frontdesk.services.visitors import register as visitors

    day = args.date or clock.today()
    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if args.inside:
            rows = visitors.inside_now(db, actor).rows
        else:
            flt = visitor_history.VisitFilter(day_from=day, day_to=day)
            rows = list(reversed(visitor_history.search_visits(db, actor, flt)))
    if args.json:
        print(json.dumps([_visit_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        left = local_clock(r.left_at) if r.left_at else r.state.label
        print(
            f"{r.number}\t{r.room_code}\t{r.visitor}\t{r.phone}\t{r.party_size} 人\t"
            f"{r.purpose.label}\t{local_clock(r.arrived_at)}–{left}"
        )
    people = sum(r.party_size for r in rows)
    scope = "在场" if args.inside else f"{day:%Y-%m-%d}"
    print(f"{scope}：共 {len(rows)} 批 {people} 人")
    return 0
