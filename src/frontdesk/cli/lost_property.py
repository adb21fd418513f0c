"""Commands for lost property: `lost-property` (items held and lately gone, or only
those past their keeping period) and `print lost-claim NUMBER` (the 认领单)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg

if TYPE_CHECKING:
    from frontdesk.domain.issued import Printout
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.lost_property import LostItemRow


def add_commands(commands: Any) -> None:
    items = commands.add_parser("lost-property", help="失物招领（保管中及近 30 天领走、处理的）")
    items.add_argument("--due", action="store_true", help="只列出保管期满待移交或处理的")
    items.add_argument("--json", action="store_true", help="以 JSON 输出")
    items.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def add_print(documents: Any) -> None:
    paper = documents.add_parser("lost-claim", help="失物认领单（A5，认领人签字）")
    paper.add_argument("number", help="失物登记号，如 SW-261125001")
    paper.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    paper.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def printout(db: Database, actor: Actor, args: argparse.Namespace) -> Printout:
    from frontdesk.printouts.lost_property import claim_form

    return claim_form(db, actor, args.number)


def _json(row: LostItemRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time

    return {
        "number": row.number,
        "category": row.category.label,
        "description": row.description,
        "found_at": local_time(row.found_at),
        "found_place": row.found_place,
        "finder": row.finder,
        "kept_place": row.kept_place,
        "due_on": row.due_on.isoformat(),
        "state": row.state.label,
        "outcome": row.outcome,
    }


def list_items(args: argparse.Namespace) -> int:
    from frontdesk.services import lost_property
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        rows = lost_property.list_items(db, actor, due_only=args.due)
    if args.json:
        print(json.dumps([_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        print(
            f"{r.number}\t{r.category.label}\t{r.description}\t{r.found_place}\t"
            f"{r.kept_place}\t{r.state.label}\t{r.outcome or f'保管至 {r.due_on:%Y-%m-%d}'}"
        )
    scope = "保管期满待处理" if args.due else "失物"
    print(f"{scope}：共 {len(rows)} 件")
    return 0
