"""Commands for goods passes: `goods-passes` (a day's passes, or those still open) and
`print goods-pass NUMBER` (the A5 pass)."""

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
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.goods_passes import GoodsPassRow


def add_commands(commands: Any) -> None:
    passes = commands.add_parser("goods-passes", help="物品放行条（默认今天开具或今天放行的）")
    passes.add_argument("--date", type=day_arg, help="日期，如 2026-11-25（默认今天）")
    passes.add_argument("--json", action="store_true", help="以 JSON 输出")
    passes.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def add_print(documents: Any) -> None:
    paper = documents.add_parser("goods-pass", help="物品放行条（A5，带二维码）")
    paper.add_argument("number", help="放行条号，如 FX-261125001")
    paper.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    paper.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def printout(db: Database, actor: Actor, args: argparse.Namespace) -> Printout:
    from frontdesk.printouts.goods_passes import goods_pass

    return goods_pass(db, actor, args.number)


def _json(row: GoodsPassRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time

    return {
        "number": row.number,
        "room": row.room_code,
        "applicant": row.applicant.label,
        "name": row.applicant_name,
        "phone": row.phone,
        "consent": row.consent_text,
        "items": list(row.items),
        "plate": row.plate,
        "window_start": local_time(row.window_start),
        "window_end": local_time(row.window_end),
        "state": row.state.label,
        "warnings": row.warnings,
        "issued_at": local_time(row.issued_at),
        "issued_by": row.issued_by,
        "used_at": local_time(row.used_at) or None,
        "used_by": row.used_by,
    }


def list_passes(args: argparse.Namespace) -> int:
    from frontdesk.domain.goods_passes import window_text
    from frontdesk.services import goods_passes
    from frontdesk.services.database import opened

    day = args.date or clock.today()
    with opened(args.db) as db:
        actor = signin.actor(db, args)
        rows = goods_passes.list_passes(db, actor, day)
    if args.json:
        print(json.dumps([_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        window = window_text(r.window_start, r.window_end)
        print(
            f"{r.number}\t{r.room_code}\t{r.applicant.label} {r.applicant_name}\t"
            f"{'、'.join(r.items)}\t{r.plate or '-'}\t{window}\t{r.state.label}"
        )
    print(f"{day:%Y-%m-%d}：共 {len(rows)} 张放行条")
    return 0
