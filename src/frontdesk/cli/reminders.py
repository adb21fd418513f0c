"""Commands for 催缴 notices: `print reminders` (a batch as one PDF; --preview records
nothing), `reminders list` (the notices printed and their delivery) and
`reminders deliver` (record how and when notices reached the households)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from frontdesk.cli import signin
from frontdesk.cli.args import DB_HELP, ChineseArgumentParser, building_ids, location_arg
from frontdesk.domain.money import format_yuan
from frontdesk.domain.reminders import DeliveryMethod
from frontdesk.services.database import Database


def add_print(documents: Any, day_arg: Callable[[str], date]) -> None:
    notices = documents.add_parser("reminders", help="催缴通知（批量，一个 PDF）")
    notices.add_argument("--building", help="楼栋编号，如 3")
    notices.add_argument("--min-months", type=int, default=0, help="至少欠费月数")
    notices.add_argument(
        "--level", type=int, choices=(1, 2, 3), default=1, help="1 温馨提示，2 催缴通知单，3 催告函"
    )
    notices.add_argument("--deadline", type=day_arg, help="缴费期限（默认 15 天后）")
    notices.add_argument(
        "--two-per-page",
        action="store_true",
        help="每张 A4 印两份，中间裁切线（仅温馨提示；催缴通知单、催告函附回执，一页一份）",
    )
    notices.add_argument(
        "--preview",
        action="store_true",
        help="只生成预览，不编号存档、不登记（默认登记为已打印，待送达）",
    )
    notices.add_argument(
        "--skip-not-due",
        action="store_true",
        help="跳过未到该级别的户（未送达上一级通知或未满 15 天）",
    )
    notices.add_argument("--override-reason", help="主管特批越级发送的原因（对未到该级别的户）")
    notices.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    notices.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")


def add_commands(commands: Any, day_arg: Callable[[str], date]) -> None:
    group = commands.add_parser("reminders", help="催缴通知的送达登记")
    actions = group.add_subparsers(
        dest="action", metavar="操作", required=True, parser_class=ChineseArgumentParser
    )
    listing = actions.add_parser("list", help="已打印的催缴通知及送达状态")
    listing.add_argument("--pending", action="store_true", help="只列已打印、待送达的")
    listing.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    deliver = actions.add_parser("deliver", help="登记送达（可一次登记多份）")
    deliver.add_argument("numbers", nargs="+", help="通知编号，如 CJ-2026-000123")
    deliver.add_argument(
        "--method", required=True, choices=[m.value for m in DeliveryMethod], help="送达方式"
    )
    deliver.add_argument("--date", type=day_arg, required=True, help="送达（签收）日期")
    deliver.add_argument("--signer", default="", help="签收人（当面签收）")
    deliver.add_argument("--relation", default="", help="签收人与业主关系（本人、配偶……）")
    deliver.add_argument("--tracking", default="", help="挂号信/EMS 单号")
    deliver.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)


def run(args: argparse.Namespace) -> int:
    from frontdesk.services.arrears import reminders
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if args.action == "list":
            rows = reminders.printed_notices(db, actor, pending_only=args.pending)
            for row in rows:
                print(
                    f"{row.number}\t{row.title}\t{row.room_code}\t{row.owner}\t"
                    f"{row.printed_on:%Y-%m-%d}\t{format_yuan(row.owed_fen)}\t{row.state}"
                )
            print(f"共 {len(rows)} 份")
            return 0
        ids = reminders.ids_of_notices(db, actor, args.numbers)
        data = reminders.DeliveryInput(
            DeliveryMethod(args.method), args.date, args.signer, args.relation, args.tracking
        )
        count = reminders.record_delivery(db, actor, ids, data)
    print(f"已登记送达 {count} 份（{args.method}，{args.date:%Y-%m-%d}）")
    return 0


def reminders_pdf(db: Database, args: argparse.Namespace) -> bytes:
    from frontdesk.printouts import reminders as printed
    from frontdesk.services.arrears import listing as arrears
    from frontdesk.services.arrears import reminders

    actor = signin.actor(db, args)
    flt = arrears.ArrearsFilter(
        building_id=building_ids(db, actor, [args.building])[0] if args.building else None,
        min_months=args.min_months,
    )
    drafts = reminders.draft_notices(db, actor, flt, level=args.level)
    refused = [d for d in drafts if d.refusal]
    overrides: dict[int, str] = {}
    if refused and args.skip_not_due:
        drafts = [d for d in drafts if not d.refusal]
        for draft in refused:
            print(f"跳过 {draft.room_code}：{draft.refusal}")
    elif refused and args.override_reason:
        overrides = {d.room_id: args.override_reason for d in refused}
    batch = printed.prepare_reminders(
        db,
        actor,
        drafts,
        args.level,
        deadline=args.deadline,
        two_per_page=args.two_per_page,
        overrides=overrides,
    )
    total = format_yuan(sum(d.total_fen for d in drafts))
    if args.preview:
        print(f"{len(drafts)} 户，物业服务费欠费合计 {total} 元；预览，未编号存档、未登记。")
    else:
        from frontdesk.domain.issued import Output

        number = printed.record_printed(db, actor, batch, Output.EXPORTED)
        print(
            f"{len(drafts)} 户，物业服务费欠费合计 {total} 元；发文登记号 {number}，"
            "每份登记为“已打印，待送达”，送达后请用 frontdesk reminders deliver 登记。"
        )
    return batch.pdf
