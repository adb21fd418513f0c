"""Commands of the key register: `keys` (the keys held, where each is now, as a list,
JSON, a PDF or a spreadsheet) and `print key-return TAG` (the 钥匙退还确认单)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, location_arg
from frontdesk.errors import ValidationError

if TYPE_CHECKING:
    from frontdesk.domain.issued import Printout
    from frontdesk.domain.roles import Actor
    from frontdesk.services.database import Database
    from frontdesk.services.key_custody import KeyRow


def add_commands(commands: Any) -> None:
    held = commands.add_parser("keys", help="托管钥匙：在柜、借出、逾期未还")
    held.add_argument("--out", type=Path, help="另存为 PDF（托管钥匙清单）或 .xlsx")
    held.add_argument("--json", action="store_true", help="以 JSON 输出")
    held.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def add_print(documents: Any) -> None:
    paper = documents.add_parser("key-return", help="钥匙退还确认单（业主领回钥匙时签字）")
    paper.add_argument("tag", help="钥匙编号，如 K-0042")
    paper.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    paper.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def key_return(db: Database, actor: Actor, args: argparse.Namespace) -> Printout:
    from frontdesk.printouts import key_custody as key_papers

    return key_papers.key_return(db, actor, args.tag)


def _key_json(row: KeyRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time

    return {
        "tag": row.tag,
        "room": row.room_code,
        "description": row.description,
        "cabinet_slot": row.cabinet_slot,
        "authorised_by": row.authorised_by,
        "scopes": row.scopes,
        "expires_on": row.expires_on.isoformat(),
        "state": row.state.label,
        "borrower": row.borrower or None,
        "due_back_at": local_time(row.due_back_at) or None,
    }


def _save(db: Database, actor: Actor, rows: list[KeyRow], out: Path) -> str:
    from frontdesk.documents.key_custody import LIST_HEAD, LIST_TITLE
    from frontdesk.domain.issued import Output
    from frontdesk.printouts import key_custody as key_papers
    from frontdesk.services.notices import register as issued_documents
    from frontdesk.services.xlsx import write_table

    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        widths = (10, 12, 20, 10, 14, 12, 10, 14, 18)
        write_table(out, LIST_TITLE, LIST_HEAD, map(key_papers.key_list_row, rows), widths)
        return f"已导出 {out}"
    if suffix != ".pdf":
        raise ValidationError("--out", "文件名应以 .pdf 或 .xlsx 结尾")
    printout = key_papers.key_list(db, actor)
    out.write_bytes(printout.pdf)
    number = issued_documents.record(db, actor, printout, Output.EXPORTED)
    return f"已生成 {out}，发文登记号 {number}"


def list_keys(args: argparse.Namespace) -> int:
    from frontdesk.domain.clock import local_time
    from frontdesk.domain.key_custody import KeyState
    from frontdesk.services import key_custody
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        rows = key_custody.list_keys(db, actor)
        saved = _save(db, actor, rows, args.out) if args.out else ""
    if saved:
        print(saved)
        return 0
    if args.json:
        print(json.dumps([_key_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        out = (
            f"\t{r.borrower}\t应还 {local_time(r.due_back_at, seconds=False)}" if r.borrower else ""
        )
        print(f"{r.tag}\t{r.room_code}\t{r.description}\t{r.state.label}{out}")
    late = sum(1 for r in rows if r.state == KeyState.OVERDUE)
    lent = sum(1 for r in rows if r.borrower)
    print(f"共 {len(rows)} 把，借出 {lent} 把，其中逾期 {late} 把")
    return 0
