"""Commands for certificates (证明开具): `print certificate KIND ROOM` issues one,
`certificate verify NUMBER CODE` answers a bank or a school that calls,
`certificate revoke NUMBER --reason …` withdraws one, `certificates` lists the register."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, day_arg, location_arg
from frontdesk.domain.certificates import CertificateKind

if TYPE_CHECKING:
    from frontdesk.services.certificates.register import CertificateRow

KINDS = {kind.command_name: kind for kind in CertificateKind}


def add_print(documents: Any) -> None:
    paper = documents.add_parser("certificate", help="开具证明（物业费结清、居住、装修押金已退）")
    paper.add_argument(
        "kind",
        choices=sorted(KINDS),
        help="paid-up 物业费结清证明，residence 居住证明，deposit-refunded 装修押金已退证明",
    )
    paper.add_argument("room", help="房号，如 3-2-1201")
    paper.add_argument("--purpose", default="", help="用途，如 办理房屋过户、子女入学")
    paper.add_argument(
        "--person", action="append", default=[], help="居住证明只写这些人（姓名，可重复）"
    )
    paper.add_argument("--renovation", default="", help="装修编号，如 ZX2611-0003（默认最近一次）")
    paper.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    paper.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def add_commands(commands: Any) -> None:
    listing = commands.add_parser("certificates", help="证明登记簿（默认最近 500 份）")
    listing.add_argument("--date", type=day_arg, help="开具日期，如 2026-11-25")
    listing.add_argument("--kind", choices=sorted(KINDS), help="只列出这一类证明")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    one = commands.add_parser("certificate", help="核验或作废一份证明")
    actions = one.add_subparsers(dest="action", metavar="操作", required=True)
    verify = actions.add_parser("verify", help="按证明编号和核验码核验")
    verify.add_argument("number", help="证明编号，如 ZM2612070001")
    verify.add_argument("code", help="核验码，如 K7QM-3XPA")
    verify.add_argument("--json", action="store_true", help="以 JSON 输出")
    verify.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    revoke = actions.add_parser("revoke", help="作废一份证明（须写明原因）")
    revoke.add_argument("number", help="证明编号")
    revoke.add_argument("--reason", required=True, help="作废原因")
    revoke.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def print_certificate(args: argparse.Namespace) -> int:
    """Issue it: the certificate is registered as it is issued, not again on saving."""
    from frontdesk.domain.issued import Output
    from frontdesk.printouts import certificates as certificate_printouts
    from frontdesk.services.certificates.issuing import CertificateRequest
    from frontdesk.services.database import opened
    from frontdesk.services.households import file as households
    from frontdesk.services.households import structure
    from frontdesk.services.renovation import views as renovation_views

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        room_id = structure.find_room_id(db, actor, args.room)
        people = households.open_file(db, actor, room_id).people if args.person else ()
        wanted = {name.strip() for name in args.person}
        missing = wanted - {p.name for p in people}
        if missing:
            raise _not_on_file(args.room, missing)
        renovation = (
            renovation_views.find_number(db, actor, args.renovation) if args.renovation else None
        )
        request = CertificateRequest(
            KINDS[args.kind],
            room_id,
            args.purpose,
            tuple(p.id for p in people if p.name in wanted),
            renovation,
        )
        issued = certificate_printouts.issue(db, actor, request, Output.EXPORTED)
    args.out.write_bytes(issued.printout.pdf)
    print(f"已生成 {args.out}，证明编号 {issued.number}，发文登记号 {issued.register_number}")
    return 0


def _not_on_file(room: str, names: set[str]) -> Exception:
    from frontdesk.errors import ValidationError

    return ValidationError("人员", f"{room} 的住户档案中没有 {'、'.join(sorted(names))}")


def _row_json(row: CertificateRow) -> dict[str, object]:
    from frontdesk.domain.clock import local_time

    return {
        "number": row.number,
        "kind": row.kind.label,
        "room": row.room_code,
        "holder": row.holder,
        "purpose": row.purpose,
        "statement": row.statement,
        "issued_at": local_time(row.issued_at),
        "issued_by": row.issued_by,
        "register_number": row.register_number,
        "state": row.standing.label,
        "revoked_at": local_time(row.revoked_at) or None,
        "revoked_by": row.revoked_by or None,
        "revoke_reason": row.revoke_reason or None,
    }


def list_register(args: argparse.Namespace) -> int:
    from frontdesk.domain.clock import local_time
    from frontdesk.services.certificates.register import CertificateFilter, list_certificates
    from frontdesk.services.database import opened

    flt = CertificateFilter(
        kind=KINDS[args.kind] if args.kind else None, since=args.date, until=args.date
    )
    with opened(args.db) as db:
        rows = list_certificates(db, signin.actor(db, args), flt)
    if args.json:
        print(json.dumps([_row_json(r) for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        print(
            f"{r.number}\t{r.kind.label}\t{r.room_code}\t{r.holder}\t"
            f"{local_time(r.issued_at, seconds=False)}\t{r.issued_by}\t{r.standing.label}"
        )
    print(f"共 {len(rows)} 份证明")
    return 0


def run(args: argparse.Namespace) -> int:
    from frontdesk.services.certificates import register
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if args.action == "revoke":
            register.revoke_certificate(db, actor, args.number, args.reason)
            print(f"证明 {args.number.strip().upper()} 已作废。")
            return 0
        answer = register.verify_certificate(db, actor, args.number, args.code)
    if args.json:
        found = _row_json(answer.certificate) if answer.certificate else None
        print(
            json.dumps(
                {"number": answer.number, "result": answer.standing.label, "certificate": found},
                ensure_ascii=False,
            )
        )
    else:
        print(answer.text)
    # A script asking "is this genuine?" reads the exit status: 0 only for a valid one.
    return 0 if answer.certificate is not None and answer.certificate.revoked_at is None else 3
