"""`frontdesk lending [--overdue] [--json]`: the things lent out now (or only those past
their due day), with the borrower masked and the deposit's state at the cashier."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg

if TYPE_CHECKING:
    from frontdesk.services.lending import LoanRow


def add_commands(commands: Any) -> None:
    lent = commands.add_parser("lending", help="物品借用：借出未还的物品（押金状态）")
    lent.add_argument("--overdue", action="store_true", help="只列出逾期未还的")
    lent.add_argument("--json", action="store_true", help="以 JSON 输出")
    lent.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def _loan_json(row: LoanRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time
    from frontdesk.domain.money import format_yuan

    return {
        "item": row.item,
        "quantity": row.quantity,
        "room": row.room_code,
        "borrower": row.borrower,
        "phone": row.phone,
        "out_at": local_time(row.out_at),
        "due_on": row.due_on.isoformat(),
        "state": row.state.label,
        "deposit": format_yuan(row.deposit_fen) if row.deposit_fen else None,
        "deposit_state": row.deposit.label,
    }


def list_lending(args: argparse.Namespace) -> int:
    from frontdesk.domain.lending import DepositState
    from frontdesk.services import lending
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        rows = lending.list_loans(db, actor, overdue_only=args.overdue)
    if args.json:
        print(json.dumps([_loan_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        deposit = r.deposit.label if r.deposit == DepositState.NONE else f"押金{r.deposit.label}"
        print(
            f"{r.item} ×{r.quantity}\t{r.room_code}\t{r.borrower}\t{r.phone}\t"
            f"应还 {r.due_on:%Y-%m-%d}\t{r.state.label}\t{deposit}"
        )
    scope = "逾期未还" if args.overdue else "借出未还"
    print(f"{scope}：共 {len(rows)} 笔 {sum(r.quantity for r in rows)} 件")
    return 0
