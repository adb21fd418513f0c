"""`frontdesk renovations`: the renovation register (works under way, overdue, stages
awaiting inspection, open violations)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg

if TYPE_CHECKING:
    from frontdesk.domain.issued import Printout
    from frontdesk.services.database import Database


def add_commands(commands: Any) -> None:
    works = commands.add_parser("renovations", help="装修登记（施工中、逾期、待验收节点、违规）")
    works.add_argument("--active", action="store_true", help="只列出施工期内的装修")
    works.add_argument("--json", action="store_true", help="以 JSON 输出")
    works.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def list_works(args: argparse.Namespace) -> int:
    from frontdesk.domain.renovation import ACTIVE
    from frontdesk.services.database import opened
    from frontdesk.services.renovation import views as renovation_views

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        rows = renovation_views.list_renovations(db, actor, active_only=args.active)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "number": r.number,
                        "room": r.room_code,
                        "status": r.status.label,
                        "contractor": r.contractor,
                        "starts_on": r.starts_on.isoformat(),
                        "ends_on": r.ends_on.isoformat(),
                        "days_left": r.days_left,
                        "overdue": r.overdue,
                        "nodes_due": list(r.nodes_due),
                        "open_violations": r.open_violations,
                        "unpaid_fen": r.unpaid_fen,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )
        return 0
    for r in rows:
        working = r.status in ACTIVE
        left = (
            (f"逾期 {-r.days_left} 天" if r.overdue else f"剩 {r.days_left} 天") if working else "—"
        )
        due = "、".join(r.nodes_due) if working and r.nodes_due else "—"
        print(
            f"{r.number}\t{r.room_code}\t{r.status.label}\t{r.starts_on:%m-%d}–{r.ends_on:%m-%d}"
            f"\t{left}\t待验收：{due}\t违规 {r.open_violations}"
        )
    print(f"共 {len(rows)} 户装修，其中逾期 {sum(r.overdue for r in rows)} 户")
    return 0


# `print` of a renovation's papers, by its number: what the renovation screen prints.
PRINTS = {
    "renovation-application": "装修申请表",
    "worker-passes": "装修出入证（该装修全部有效的施工人员出入证）",
    "rectification": "整改通知（待整改的违规，每份通知各有编号）",
    "acceptance": "竣工验收单",
}


def add_print(documents: Any) -> None:
    for name, help_text in PRINTS.items():
        paper = documents.add_parser(name, help=help_text)
        paper.add_argument("renovation", help="装修编号，如 ZX2611-0003")
        paper.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
        paper.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def printout(db: Database, args: argparse.Namespace) -> Printout:
    """The Printout of `print <paper> <renovation number>`."""
    from frontdesk.printouts import renovation as renovation_printouts
    from frontdesk.services.renovation import views as renovation_views

    actor = signin.actor(db, args)
    renovation_id = renovation_views.find_number(db, actor, args.renovation)
    make = {
        "renovation-application": renovation_printouts.application,
        "worker-passes": renovation_printouts.passes,
        "rectification": renovation_printouts.rectification,
        "acceptance": renovation_printouts.acceptance,
    }[args.document]
    return make(db, actor, renovation_id)
