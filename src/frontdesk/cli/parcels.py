"""Commands for parcels: `parcels` (what waits on the shelves, or only the overdue) and
`print parcel-label` (a parcel's shelf label, registered)."""

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
    from frontdesk.services.parcels.intake import ParcelRow


def add_commands(commands: Any) -> None:
    parcels = commands.add_parser("parcels", help="待取快递（快递代收）")
    parcels.add_argument(
        "--uncollected", action="store_true", help="只列出超过设置天数仍未取的快递"
    )
    parcels.add_argument("--json", action="store_true", help="以 JSON 输出")
    parcels.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def add_print(documents: Any) -> None:
    label = documents.add_parser("parcel-label", help="快递代收标签（80 毫米，取件码）")
    label.add_argument("parcel", help="快递登记号（如 KD2611250001）、取件码或快递单号")
    label.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    label.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def label_printout(db: Database, args: argparse.Namespace) -> Printout:
    from frontdesk.printouts import parcels as parcel_printouts
    from frontdesk.services.parcels import intake

    row = intake.find_parcel(db, signin.actor(db, args), args.parcel)
    return parcel_printouts.parcel_label(db, row)


def _parcel_json(row: ParcelRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time

    return {
        "number": row.number,
        "code": row.code,
        "room": row.room_code,
        "recipient": row.recipient,
        "courier": row.courier,
        "tracking": row.tracking,
        "shelf": row.shelf,
        "received_at": local_time(row.received_at),
        "days": row.days,
        "state": row.state.label,
    }


def list_parcels(args: argparse.Namespace) -> int:
    from frontdesk.domain.clock import local_time
    from frontdesk.services.database import opened
    from frontdesk.services.parcels import lists

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        rows = lists.waiting_parcels(db, actor, overdue_only=args.uncollected)
    if args.json:
        print(json.dumps([_parcel_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        print(
            f"{r.number}\t{r.code}\t{r.room_code}\t{r.recipient}\t{r.courier} {r.tracking}\t"
            f"货架 {r.shelf}\t{local_time(r.received_at, seconds=False)}\t{r.days} 天\t"
            f"{r.state.label}"
        )
    scope = "超期未取" if args.uncollected else "待取"
    print(f"{scope}快递：共 {len(rows)} 件")
    return 0
