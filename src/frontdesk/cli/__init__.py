"""Command line: no subcommand opens the GUI; the rest are admin tools.

Every subcommand calls the same services the GUI does. Qt is imported only by
the commands that need it, so `frontdesk stats` stays fast and headless.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from frontdesk import __version__
from frontdesk.cli import (
    audit,
    backups,
    certificates,
    fees,
    goods_passes,
    key_custody,
    keys,
    lending,
    lost_property,
    move_to,
    notices,
    old_system,
    onboarding,
    parcels,
    personal,
    renovations,
    repairs,
    retention,
    server_roles,
    shift_log,
    signin,
    surveys,
    tickets,
    visitors,
)
from frontdesk.cli import reminders as reminder_cli
from frontdesk.cli.args import (
    DB_HELP,
    ChineseArgumentParser,
    day_arg,
    location_arg,
    positive_arg,
    screen_size_arg,
)
from frontdesk.cli.notices import add_commands, add_notice_print
from frontdesk.domain.fees import Paper
from frontdesk.domain.location import ServerLocation
from frontdesk.domain.visitors import PassPaper
from frontdesk.errors import FrontDeskError

if TYPE_CHECKING:
    from frontdesk.demo import DemoResult
    from frontdesk.domain.issued import Printout
    from frontdesk.services.database import Database


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="frontdesk", description="物业前台 FrontDesk")
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    parser.add_argument(
        "--db", type=location_arg, help=f"{DB_HELP}（默认为用户数据文件夹中的文件）"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="命令", parser_class=ChineseArgumentParser
    )

    demo = commands.add_parser("demo", help="生成演示小区数据库")
    demo.add_argument(
        "path",
        type=location_arg,
        help="新数据库文件的路径，或 PostgreSQL 服务器上一个空数据库的地址 postgresql://…",
    )
    demo.add_argument("--households", type=positive_arg, default=2000, help="住宅户数（默认 2000）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成相同数据）")

    stats = commands.add_parser("stats", help="以 JSON 输出各类记录数")
    stats.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    selftest = commands.add_parser("selftest", help="离屏打开所有界面并截图")
    selftest.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    selftest.add_argument("--screenshots", type=Path, help="保存截图（PNG）的文件夹")
    selftest.add_argument(
        "--size",
        type=screen_size_arg,
        default=(1366, 768),
        help="按此屏幕尺寸检查每个界面放得下（默认 1366x768，扣除任务栏和标题栏）",
    )

    onboarding.add_commands(commands)

    exporting = commands.add_parser("export-households", help="把全部住户导出为 Excel 业主名册")
    exporting.add_argument("file", type=Path, help="输出的 .xlsx")
    exporting.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    template = commands.add_parser("roster-template", help="生成空白的业主名册模板")
    template.add_argument("file", type=Path, help="输出的 .xlsx")

    find = commands.add_parser("find", help="查找住户（房号、姓名、拼音、电话尾号、车牌）")
    find.add_argument("query", help="要查找的内容")
    find.add_argument("--json", action="store_true", help="以 JSON 输出")
    find.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)

    printing = commands.add_parser("print", help="生成 PDF 文档")
    documents = printing.add_subparsers(
        dest="document", metavar="文档", required=True, parser_class=ChineseArgumentParser
    )
    rooms = documents.add_parser("rooms", help="小区房屋统计表")
    rooms.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    rooms.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    card = documents.add_parser("household", help="户档案卡")
    card.add_argument("room", help="房号，如 3-2-1201")
    card.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    card.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    receipt = documents.add_parser("receipt", help="收据（再次打印标注“补打”）")
    receipt.add_argument("number", help="收据号，如 SJ00000012")
    receipt.add_argument("--paper", choices=[p.value for p in Paper], help="纸张（默认按设置）")
    receipt.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    receipt.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")

    reminder_cli.add_print(documents, day_arg)

    pass_ = documents.add_parser("visitor-pass", help="访客单（80/58 毫米小票或 A6）")
    pass_.add_argument("visit", help="访客单号，如 FK2611250003")
    pass_.add_argument(
        "--paper", choices=[p.value for p in PassPaper], help="纸张（默认按访客设置）"
    )
    pass_.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    pass_.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")

    movein_set = documents.add_parser(
        "movein", help="入伙资料：入伙通知书、办理清单、验房记录表、钥匙移交确认单"
    )
    movein_set.add_argument("room", help="房号，如 5-1-1202")
    movein_set.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    movein_set.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    permit = documents.add_parser("permit", help="装修许可证（张贴在入户门上）")
    permit.add_argument("renovation", help="装修编号，如 ZX2611-0003")
    permit.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    permit.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    guide = documents.add_parser("renovation-guide", help="装修指南")
    guide.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    guide.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")
    handbook = documents.add_parser("handbook", help="业主手册")
    handbook.add_argument("--db", type=location_arg, default=argparse.SUPPRESS, help=DB_HELP)
    handbook.add_argument("--out", type=Path, required=True, help="输出的 PDF 文件")

    add_notice_print(documents, day_arg)
    repairs.add_print(documents)
    renovations.add_print(documents)
    visitors.add_print(documents)
    goods_passes.add_print(documents)
    lost_property.add_print(documents)
    parcels.add_print(documents)
    key_custody.add_print(documents)
    surveys.add_print(documents)
    certificates.add_print(documents)
    add_commands(commands, day_arg)
    backups.add_commands(commands)
    old_system.add_commands(commands)
    move_to.add_commands(commands)
    keys.add_commands(commands)
    audit.add_commands(commands, day_arg)
    personal.add_commands(commands)
    visitors.add_commands(commands)
    goods_passes.add_commands(commands)
    lost_property.add_commands(commands)
    parcels.add_commands(commands)
    key_custody.add_commands(commands)
    lending.add_commands(commands)
    renovations.add_commands(commands)
    tickets.add_commands(commands)
    surveys.add_commands(commands)
    retention.add_purge(commands)
    fees.add_commands(commands)
    reminder_cli.add_commands(commands, day_arg)
    server_roles.add_commands(commands)
    shift_log.add_commands(commands)
    certificates.add_commands(commands)
    signin.add_user_option(parser)
    return parser


def _cmd_demo(args: argparse.Namespace) -> int:
    from frontdesk import demo

    started = time.perf_counter()
    if isinstance(args.path, ServerLocation):
        return _demo_on_server(args.path, args, started)
    result = demo.build_demo(args.path.path, args.households, args.seed, progress=print)
    print("通知、发文登记、工单照片和满意度调查…")
    _demo_extras(args.path.path)
    _demo_made(result, str(result.path), started)
    return 0


def _demo_on_server(location: ServerLocation, args: argparse.Namespace, started: float) -> int:
    """The demo is written as a file first (its bulk load is SQLite's), then moved onto
    the server by `move-to`, which checks it on arrival; the file is thrown away."""
    from frontdesk import demo
    from frontdesk.services.database import PASSPHRASE_VARIABLE
    from frontdesk.services.protection.move_to import check_target, move_to

    check_target(location.shown())
    with tempfile.TemporaryDirectory(prefix="frontdesk-demo-") as folder:
        path = Path(folder) / "demo.sqlite"
        result = demo.build_demo(path, args.households, args.seed, progress=print)
        print("通知、发文登记、工单照片和满意度调查…")
        _demo_extras(path)
        print(f"迁移到服务器 {location.shown()}…")
        report = move_to(
            path,
            location.shown(),
            lambda step: print(f"…{step}", flush=True),
            os.environ.get(PASSPHRASE_VARIABLE) or demo.DEMO_PASSPHRASE,
        )
    for line in report.problems:
        print(f"  ✗ {line}", file=sys.stderr)
    if not report.ok:
        print("演示数据已复制到服务器，但到达后核对发现以上问题。", file=sys.stderr)
        return 1
    _demo_made(result, location.shown(), started)
    return 0


def _demo_made(result: DemoResult, where: str, started: float) -> None:
    from frontdesk import demo

    elapsed = time.perf_counter() - started
    print(
        f"演示数据已写入 {where}：{result.households} 户，{result.buildings} 栋，"
        f"{result.rooms} 间房屋，用时 {elapsed:.1f} 秒。"
    )
    names = [u for u, _ in demo.DEMO_USERS] + [demo.SECOND_CASHIER]
    print(f"演示账户：{', '.join(names)}，密码均为 {demo.DEMO_PASSWORD}")


def _demo_extras(path: Path) -> None:
    from frontdesk.demo import opened_demo
    from frontdesk.demo.notices import add_demo_papers
    from frontdesk.demo.order_photos import add_demo_order_photos
    from frontdesk.demo.surveys import add_demo_surveys

    with opened_demo(path) as db:
        add_demo_papers(db)
        add_demo_surveys(db)
        add_demo_order_photos(db)


def _cmd_stats(args: argparse.Namespace) -> int:
    from frontdesk.services import stats
    from frontdesk.services.database import opened

    with opened(args.db) as db:
        print(json.dumps(stats.counts(db), ensure_ascii=False))
    return 0


def _printout(db: Database, args: argparse.Namespace) -> Printout:
    from frontdesk import printouts
    from frontdesk.services.households import structure

    actor = signin.actor(db, args)
    if args.document == "household":
        return printouts.household_card(db, actor, structure.find_room_id(db, actor, args.room))
    if args.document in renovations.PRINTS:
        return renovations.printout(db, args)
    if args.document == "roll-call":
        from frontdesk.cli.visitors import roll_call

        return roll_call(db, args)
    if args.document == "parcel-label":
        return parcels.label_printout(db, args)
    if args.document == "key-return":
        return key_custody.key_return(db, actor, args)
    if args.document == "visitor-pass":
        from frontdesk.printouts import visitors as visitor_printouts
        from frontdesk.services.visitors import register as visitors

        visit = visitors.find_visit(db, actor, args.visit)
        paper_choice = PassPaper(args.paper) if args.paper else None
        return visitor_printouts.visitor_pass(db, actor, visit.id, paper_choice)
    if args.document == "movein":
        from frontdesk.printouts import movein as movein_printouts

        room_id = structure.find_room_id(db, actor, args.room)
        return movein_printouts.movein_set(db, actor, room_id)
    if args.document in ("permit", "renovation-guide"):
        from frontdesk.printouts import renovation as renovation_printouts
        from frontdesk.services.renovation import views as renovation_views

        if args.document == "renovation-guide":
            return renovation_printouts.guide(db, actor)
        renovation_id = renovation_views.find_number(db, actor, args.renovation)
        return renovation_printouts.permit(db, actor, renovation_id)
    if args.document == "handbook":
        from frontdesk.printouts import movein as movein_printouts

        return movein_printouts.owner_handbook(db, actor)
    if args.document == "receipt":
        paper = Paper(args.paper) if args.paper else None
        return printouts.receipt(db, actor, args.number, paper)
    if args.document == "work-order":
        return repairs.printout(db, actor, args)
    if args.document == "goods-pass":
        return goods_passes.printout(db, actor, args)
    if args.document == "lost-claim":
        return lost_property.printout(db, actor, args)
    if args.document == "survey-forms":
        return surveys.printout(db, actor, args)
    return printouts.room_summary(db, actor)


def _cmd_print(args: argparse.Namespace) -> int:
    from frontdesk import printouts
    from frontdesk.domain.issued import Output
    from frontdesk.services.database import opened
    from frontdesk.services.notices import register as issued_documents

    if args.document == "notice":
        from frontdesk.cli.notices import print_notice

        return print_notice(args)
    if args.document == "certificate":
        return certificates.print_certificate(args)
    with opened(args.db) as db:
        actor = signin.actor(db, args)
        if args.document == "reminders":
            args.out.write_bytes(reminder_cli.reminders_pdf(db, args))
            print(f"已生成 {args.out}")
            return 0
        printout = _printout(db, args)
        args.out.write_bytes(printout.pdf)
        number = issued_documents.record(db, actor, printout, Output.EXPORTED)
        if args.document == "receipt":
            paper = Paper(args.paper) if args.paper else None
            printouts.log_receipt_print(db, actor, args.number, paper)
    print(f"已生成 {args.out}，发文登记号 {number}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened
    from frontdesk.services.households import roster

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        count = roster.export_roster(db, actor, args.file)
    print(f"已导出 {count} 人到 {args.file}")
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from frontdesk.services.households import roster

    roster.write_template(args.file)
    print(f"已生成模板 {args.file}")
    return 0


def _cmd_find(args: argparse.Namespace) -> int:
    from frontdesk.services.database import opened
    from frontdesk.services.households import search

    with opened(args.db) as db:
        actor = signin.actor(db, args)
        hits = search.find_households(db, actor, args.query)
    if args.json:
        rows = [
            {
                "room": h.room_code,
                "place": h.place,
                "owners": list(h.owners),
                "status": h.status.label,
                "matched": h.matched,
            }
            for h in hits
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not hits:
        print("没有找到匹配的住户。")
    for h in hits:
        owners = "、".join(h.owners) or "无产权人登记"
        print(f"{h.room_code}\t{owners}\t{h.status.label}\t{h.matched}")
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from frontdesk.gui.display_check import display_problem

    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    from frontdesk.gui.app import run

    return run(args.db)


def _cmd_selftest(args: argparse.Namespace) -> int:
    from frontdesk.gui.selftest import run_selftest

    return run_selftest(args.db, args.screenshots, args.size)


_COMMANDS = {
    None: _cmd_gui,
    "demo": _cmd_demo,
    "stats": _cmd_stats,
    "selftest": _cmd_selftest,
    "print": _cmd_print,
    "import": onboarding.run_import,
    "import-households": onboarding.run_import,
    "imports": onboarding.run_imports,
    "import-undo": onboarding.run_undo,
    "export-households": _cmd_export,
    "roster-template": _cmd_template,
    "find": _cmd_find,
    "bill": fees.run_bill,
    "report": fees.make_report,
    "arrears": fees.list_arrears,
    "reminders": reminder_cli.run,
    "visitors": visitors.list_visits,
    "goods-passes": goods_passes.list_passes,
    "lost-property": lost_property.list_items,
    "purge": retention.purge,
    "purge-visitors": retention.purge,
    "parcels": parcels.list_parcels,
    "keys": key_custody.list_keys,
    "lending": lending.list_lending,
    "renovations": renovations.list_works,
    "notice-templates": notices.list_templates,
    "notices": notices.list_archive,
    "documents": notices.list_documents,
    "check": notices.run_check,
    "backup": backups.run_backup,
    "restore": backups.run_restore,
    "init": backups.run_init,
    "demo-export": old_system.run,
    "move-to": move_to.run,
    "key": keys.run,
    "audit": audit.export,
    "person": personal.run,
    "tickets": tickets.list_tickets,
    "ticket": tickets.run,
    "surveys": surveys.list_surveys,
    "survey": surveys.run,
    "server-roles": server_roles.run,
    "shift-log": shift_log.run,
    "certificates": certificates.list_register,
    "certificate": certificates.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.credentials = signin.credentials(args)  # asked before the database opens
        return _COMMANDS[args.command](args)
    except (signin.SignInNeeded, signin.SignInFailed) as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    except FrontDeskError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"错误：无法读写文件 {exc.filename or ''}（{exc.strerror}）", file=sys.stderr)
        return 1
